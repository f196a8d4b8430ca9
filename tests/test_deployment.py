"""The files our users deploy with: docker compose must accept the compose file."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(
            ["docker", "compose", "version"], capture_output=True, check=False).returncode == 0:
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_docker_compose_accepts_the_compose_file() -> None:
    compose = _compose()
    if compose is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("docker compose is not installed (.ci/run installs docker-compose)")
        pytest.skip("NO DOCKER COMPOSE: cannot validate docker-compose.yml here")
    done = subprocess.run([*compose, "-f", str(ROOT / "docker-compose.yml"), "config"],
                          capture_output=True, text=True, check=False, cwd=ROOT,
                          env={**os.environ, "NEO4J_PASSWORD": "example-only"})
    assert done.returncode == 0, done.stderr
    assert "neo4j:5.26-community" in done.stdout
    assert "bolt://neo4j:7687" in done.stdout


def test_compose_refuses_to_start_without_a_password() -> None:
    compose = _compose()
    if compose is None:
        pytest.skip("NO DOCKER COMPOSE")
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    done = subprocess.run([*compose, "-f", str(ROOT / "docker-compose.yml"), "config"],
                          capture_output=True, text=True, check=False, cwd=ROOT, env=env)
    assert done.returncode != 0 and "NEO4J_PASSWORD" in done.stderr
