"""The `collab` command: init twice is a no-op, bad input gets one clear line and exit 1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from keys import process_env

from collab.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real console entry point in a child process, as a user would run it."""
    full_env = process_env(**(env or {}))
    return subprocess.run([sys.executable, "-m", "collab", *args], capture_output=True,
                          text=True, env=full_env, timeout=120, check=False)


def test_init_twice_is_a_no_op(tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite3")
    first = run("init", "--database", db)
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout
    second = run("init", "--database", db)
    assert second.returncode == 0
    assert "nothing to do" in second.stdout


@pytest.mark.parametrize("args, says", [
    (["status", "--database", "/no/such/folder/c.sqlite3"], "no database at"),
    (["init", "--database", "/no/such/folder/c.sqlite3"], "folder for the database file"),
    (["status", "--backend", "neo4j", "--neo4j-uri", "http://example.invalid"],
     "unusable Neo4j URI"),
    (["status", "--backend", "neo4j", "--neo4j-uri", "bolt://127.0.0.1:9"], "not reachable"),
])
def test_bad_settings_get_one_clear_line(args: list[str], says: str) -> None:
    done = run(*args)
    assert done.returncode == 1
    assert says in done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_unknown_label_and_uninitialised_file(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite3"
    run("init", "--database", str(db))
    done = run("find", "Nonsense", "--database", str(db))
    assert done.returncode == 1 and "unknown label 'Nonsense'" in done.stderr
    assert "Traceback" not in done.stderr
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database at all" * 100)
    done = run("status", "--database", str(junk))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    done = run("status", "--database", str(empty))
    assert done.returncode == 1 and "not an initialised collab database" in done.stderr


def test_environment_chooses_the_database(tmp_path: Path) -> None:
    db = str(tmp_path / "env.sqlite3")
    assert run("init", env={"COLLAB_DATABASE": db}).returncode == 0
    assert Path(db).exists()
    bad = run("status", env={"COLLAB_BACKEND": "postgres"})
    assert bad.returncode == 1 and "unknown backend" in bad.stderr


def test_seed_and_query_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite3")
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--database", db]).exit_code == 0
    loaded = runner.invoke(main, ["seed", "yunnan", "--database", db])
    assert loaded.exit_code == 0 and "loaded the Yunnan seed scenario: Region" in loaded.output
    found = runner.invoke(main, ["find", "Region", "--where", "level=county", "--where",
                                 "name=富宁县", "--database", db])
    assert found.exit_code == 0 and "富宁县" in found.output and '"total": 1' in found.output
    got = runner.invoke(main, ["get", "Region", "532628", "--database", db])
    assert got.exit_code == 0 and "富宁县" in got.output
    missing = runner.invoke(main, ["get", "Region", "999999", "--database", db])
    assert missing.exit_code == 1
