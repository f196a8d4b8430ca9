"""A full disk under a real `collab serve` (item 12 of issue 16).

The probe filled the disk: every request got 503 while `/healthz` said 200, so a load
balancer kept sending traffic. Here the database lives on a small tmpfs of its own (mounted in
a user and mount namespace, so no root is needed), which the test fills and frees: while it is
full `/readyz` says not ready and pages answer a plain 503, `/healthz` says the process is
alive; once there is room again, readiness comes back by itself.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from keys import AUDIT_KEY_HEX
from own_neo4j import free_port

ROOT = Path(__file__).resolve().parents[2]
# The database folder is a fresh 8 MB tmpfs seen only by the server; the test drives it
# through files in a control folder: fill, then free.
SCRIPT = r"""
set -e
mount -t tmpfs -o size=8m tmpfs "$DATA"
python -m collab init --database "$DATA/collab.sqlite3" >/dev/null
python -m collab serve --database "$DATA/collab.sqlite3" --port "$PORT" &
server=$!
trap 'kill $server 2>/dev/null' EXIT
trap 'exit 143' TERM INT
until [ -e "$CONTROL/fill" ]; do sleep 0.1; done
dd if=/dev/zero of="$DATA/filler" bs=64k 2>/dev/null || true
touch "$CONTROL/full"
until [ -e "$CONTROL/free" ]; do sleep 0.1; done
rm -f "$DATA/filler"
touch "$CONTROL/freed"
wait $server
"""


def _namespaces_usable() -> bool:
    if not shutil.which("unshare"):
        return False
    done = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"],
                          capture_output=True, check=False)
    return done.returncode == 0



@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, object]]:
    if not _namespaces_usable():
        message = "DISK-FULL TEST NOT RUN: unshare --user --mount is not available here"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    data, control, port = tmp_path / "data", tmp_path / "control", free_port()
    data.mkdir()
    control.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COLLAB_")}
    env |= {"PYTHONPATH": str(ROOT), "DATA": str(data), "CONTROL": str(control),
            "PORT": str(port), "COLLAB_AUDIT_KEY": AUDIT_KEY_HEX,
            "COLLAB_KEYS_DIR": str(tmp_path / "keys"), "COLLAB_INSTANCE": str(tmp_path / "var"),
            "COLLAB_READY_CACHE_SECONDS": "0", "PATH": f"{Path(sys.executable).parent}:"
                                                      f"{os.environ.get('PATH', '')}"}
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(["unshare", "--user", "--map-root-user", "--mount",
                                "sh", "-c", SCRIPT], env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                requests.get(url + "/healthz", timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "collab serve did not start"
                time.sleep(0.2)
        yield {"url": url, "control": control}
    finally:
        process.terminate()  # the script's trap stops the server with it
        process.wait(timeout=30)
        log.close()
        deadline = time.monotonic() + 30
        while _listening(port):
            assert time.monotonic() < deadline, f"collab serve outlived the test on {port}"
            time.sleep(0.2)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _step(control: Path, ask: str, wait_for: str) -> None:
    (control / ask).touch()
    deadline = time.monotonic() + 60
    while not (control / wait_for).exists():
        assert time.monotonic() < deadline, f"the server side did not {ask}"
        time.sleep(0.1)


def test_a_full_disk_is_not_ready_but_alive_and_readiness_returns(
        server: dict[str, object]) -> None:
    url, control = str(server["url"]), Path(str(server["control"]))
    assert requests.get(url + "/readyz", timeout=5).status_code == 200
    _step(control, "fill", "full")
    for _ in range(3):
        ready = requests.get(url + "/readyz", timeout=5)
        alive = requests.get(url + "/healthz", timeout=5)
        assert ready.status_code == 503 and ready.json() == {"ok": False}
        assert alive.status_code == 200 and alive.json() == {"ok": True}
    page = requests.get(url + "/login", timeout=5)
    assert page.status_code == 503 and "Traceback" not in page.text
    _step(control, "free", "freed")
    deadline = time.monotonic() + 30
    while requests.get(url + "/readyz", timeout=5).status_code != 200:
        assert time.monotonic() < deadline, "not ready again after the disk was freed"
        time.sleep(0.5)
    assert requests.get(url + "/login", timeout=5).status_code == 200
