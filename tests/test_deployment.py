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
    # keys on a volume of their own; traffic routed on readiness (issue 16, items 9 and 12)
    assert "collab-keys" in done.stdout and "/keys" in done.stdout
    assert "/readyz" in done.stdout


def test_the_app_keeps_its_keys_apart_and_is_checked_for_readiness() -> None:
    """What docker compose would run, read from the file itself (also where compose is not
    installed): keys on their own volume, not the database's; the health check on /readyz."""
    import yaml

    app = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    app = app["services"]["app"]
    assert app["environment"]["COLLAB_KEYS_DIR"] == "/keys"
    assert "collab-keys:/keys" in app["volumes"]
    assert "/readyz" in " ".join(app["healthcheck"]["test"])
    assert "mkdir -m 700 /keys" in (ROOT / "Dockerfile").read_text(encoding="utf-8")


def test_compose_refuses_to_start_without_a_password() -> None:
    compose = _compose()
    if compose is None:
        pytest.skip("NO DOCKER COMPOSE")
    env = {k: v for k, v in os.environ.items() if k != "NEO4J_PASSWORD"}
    done = subprocess.run([*compose, "-f", str(ROOT / "docker-compose.yml"), "config"],
                          capture_output=True, text=True, check=False, cwd=ROOT, env=env)
    assert done.returncode != 0 and "NEO4J_PASSWORD" in done.stderr
