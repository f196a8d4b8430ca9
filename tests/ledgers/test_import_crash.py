"""`kill -9` of `collab import` in the middle of its write, on SQLite: nothing was imported,
the file passes `PRAGMA integrity_check`, and running the import again imports every row once.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from keys import process_env
from ledger_helpers import base

from collab.graph.sqlite_engine import SqliteStore

ROOT = Path(__file__).resolve().parents[2]
ROWS = 20000


def _ledger(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(["单位编码", "单位名称", "所属区划代码"])
        out.writerows([f"U-KILL-{i:05d}", f"那能乡第{i}村党支部", "532628107"]
                      for i in range(ROWS))
    return path


def _import(ledger: Path, db: Path) -> subprocess.Popen[bytes]:
    env = process_env(COLLAB_ID_KEY="ab" * 32, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "collab", "import", str(ledger), "--kind",
                             "units", "--lang", "en", "--database", str(db)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _writing(db: Path) -> bool:
    """Whether another connection holds the database's write lock (a write is under way)."""
    probe = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        probe.close()


def _wait_for_the_write(process: subprocess.Popen[bytes], db: Path) -> float:
    """Wait until the import holds the write lock; when it took it."""
    while not _writing(db):
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.01)
    return time.monotonic()


def _write_span(ledger: Path, db: Path) -> float:
    """How long an import of this ledger holds the write lock on this machine (on a copy)."""
    copy = db.with_name("calibration.sqlite3")
    shutil.copyfile(db, copy)
    process = _import(ledger, copy)
    began = _wait_for_the_write(process, copy)
    while _writing(copy):
        time.sleep(0.01)
    span = time.monotonic() - began
    assert process.wait(timeout=300) == 0, process.stderr.read().decode()
    return span


def _kill_while_writing(process: subprocess.Popen[bytes], db: Path, into: float) -> None:
    """Wait until the import holds the write lock, let it write for `into` s, then kill -9."""
    _wait_for_the_write(process, db)
    time.sleep(into)
    assert _writing(db), "the import finished its write before it could be killed"
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL


def test_kill_9_during_an_import_leaves_nothing_and_a_sound_file(tmp_path: Path) -> None:
    db = tmp_path / "collab.sqlite3"
    store = SqliteStore(db)
    store.init_schema()
    store.write(base)
    units_before = store.count("Unit")
    store.close()
    ledger = _ledger(tmp_path / "units.csv")
    span = _write_span(ledger, db)
    for into in (0.1 * span, 0.6 * span):  # early in the write, and well into it
        _kill_while_writing(_import(ledger, db), db, into)
        after = SqliteStore(db)
        assert after.integrity_check() == "ok"
        assert after.count("Unit") == units_before
        after.close()
    finished = _import(ledger, db)
    out, err = finished.communicate(timeout=300)
    assert finished.returncode == 0, err.decode()
    assert f"Units ledger: {ROWS} rows, {ROWS} new" in out.decode()
    again = _import(ledger, db)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0 and f"0 new, 0 updated, {ROWS} unchanged" in out.decode()
    done = SqliteStore(db)
    assert done.integrity_check() == "ok"
    assert done.count("Unit") == units_before + ROWS
    assert done.count("Unit", {"code": ["U-KILL-00000", f"U-KILL-{ROWS - 1:05d}"]}) == 2
    done.close()
