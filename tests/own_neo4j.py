"""A Neo4j server of a test's own, to kill: scripts/neo4j-local in a temporary home.

The engine's jars are linked from the provisioned home (NEO4J_LOCAL_HOME, else <repo>/.neo4j),
so nothing is downloaded; the data folder and the port are the test's alone, so killing this
server disturbs no other test or engineer.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "neo4j-local" / "neo4j-local"
PASSWORD = "collab-test-pw"


def free_port() -> int:
    """A port nothing listens on now, on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnNeo4j:
    """Start, kill -9 and restart one Neo4j server in `home`."""

    def __init__(self, home: Path):
        source = Path(os.environ.get("NEO4J_LOCAL_HOME") or ROOT / ".neo4j")
        self.env = {**os.environ, "NEO4J_LOCAL_HOME": str(source)}
        self._script("provision", timeout=900)
        home.mkdir(parents=True, exist_ok=True)
        for name in ("build", "lib", "provisioned.sha256"):
            (home / name).symlink_to(source / name)
        self.home, self.port = home, free_port()
        self.env.update(NEO4J_LOCAL_HOME=str(home), NEO4J_LOCAL_PORT=str(self.port),
                        NEO4J_LOCAL_HEAP="512m", NEO4J_LOCAL_START_TIMEOUT="300")
        self.uri = f"bolt://127.0.0.1:{self.port}"

    def _script(self, command: str, timeout: float = 300) -> str:
        done = subprocess.run([str(SCRIPT), command], env=self.env, capture_output=True,
                              text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"neo4j-local {command} failed: {done.stderr[-800:]}")
        return done.stdout

    def start(self) -> None:
        self._script("start")

    def kill(self) -> int:
        """kill -9 the server's JVM, and wait until its port is closed; its pid."""
        pid = int((self.home / "neo4j.pid").read_text().strip())
        os.kill(pid, signal.SIGKILL)
        while _listening(self.port):
            time.sleep(0.05)
        return pid

    def stop(self) -> None:
        self._script("stop", timeout=120)


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
