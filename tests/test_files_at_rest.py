"""Files at rest are their owner's alone (item 9 of issue 16): the SQLite database, its WAL
and shared-memory files, backups and bulk exports 0600, the folders collab makes 0700, and
the keys outside the data folder. The commands run as their own processes, as deployed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from collab.graph.sqlite_engine import SqliteStore

ROOT = Path(__file__).resolve().parent.parent


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def collab(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COLLAB_")}
    env |= {"PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "collab", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(autouse=True)
def shell_umask() -> Iterator[None]:
    """What a default shell gives: files 644 unless collab says otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_commands_leave_only_owner_only_files(tmp_path: Path) -> None:
    collab("init", cwd=tmp_path)
    collab("seed", "yunnan", cwd=tmp_path)
    collab("backup", "var/backup.dump.gz", cwd=tmp_path)
    collab("bulk-export", "var/bulk", cwd=tmp_path)
    var, keys = tmp_path / "var", tmp_path / "keys"
    assert mode(var) == 0o700 and mode(keys) == 0o700
    made = [p for p in (*var.rglob("*"), *keys.rglob("*")) if p.is_file()]
    assert {p.name for p in made} >= {"collab.sqlite3", "backup.dump.gz", "collab-id.key",
                                      "collab-audit.key", "import.args"}
    assert {str(p.relative_to(tmp_path)): oct(mode(p)) for p in made if mode(p) != 0o600} \
        == {}
    assert mode(var / "bulk") == 0o700
    assert not list(var.glob("*.key"))  # the keys are not in the data folder


def test_the_wal_and_shared_memory_files_are_owner_only_and_a_loose_file_is_tightened(
        tmp_path: Path) -> None:
    loose = tmp_path / "old.sqlite3"
    loose.touch(mode=0o644)
    store = SqliteStore(loose)
    store.init_schema()
    store.upsert_nodes("Region", [{"code": "530000", "name": "云南省", "level": "province"}])
    parts = sorted(tmp_path.glob("old.sqlite3*"))
    assert [p.name for p in parts] == ["old.sqlite3", "old.sqlite3-shm", "old.sqlite3-wal"]
    assert [mode(p) for p in parts] == [0o600] * 3
    store.close()
