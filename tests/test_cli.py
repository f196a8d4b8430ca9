"""The `collab` command: init twice is a no-op, bad input gets one clear line and exit 1."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from keys import process_env

from collab.cli import main
from collab.graph import schema
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Cond, Op


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
    runner = CliRunner(env={"COLLAB_USER": "运维.赵"})
    assert runner.invoke(main, ["init", "--database", db]).exit_code == 0
    loaded = runner.invoke(main, ["seed", "yunnan", "--database", db])
    assert loaded.exit_code == 0 and "loaded the Yunnan seed scenario: Region" in loaded.output
    store = SqliteStore(db)
    try:  # the seed is a change like any other: the operator's, on the record
        record = store.find("AuditRecord", where={"event": "maintenance.load_scenario"}).items
        assert [(r.get("user"), r.get("role"), r.get("address"), r.get("outcome"))
                for r in record] == [("运维.赵", "operator", "console", "ok")]
    finally:
        store.close()
    found = runner.invoke(main, ["find", "Region", "--where", "level=county", "--where",
                                 "name=富宁县", "--database", db])
    assert found.exit_code == 0 and "富宁县" in found.output and '"total": 1' in found.output
    got = runner.invoke(main, ["get", "Region", "532628", "--database", db])
    assert got.exit_code == 0 and "富宁县" in got.output
    missing = runner.invoke(main, ["get", "Region", "999999", "--database", db])
    assert missing.exit_code == 1


def test_init_upgrades_an_older_store_and_nothing_runs_on_one_until_then(
        tmp_path: Path) -> None:
    db = tmp_path / "old.sqlite3"
    assert run("init", "--database", str(db)).returncode == 0
    old = SqliteStore(db)  # a store of version 1: written before the shortcut and pinyin
    old.upsert_nodes("Clue", [{"no": "XS-OLD-1", "title": "旧线索", "status": "transferred"}])
    old.upsert_nodes("Transfer", [{"no": "XS-OLD-1/1", "clue_no": "XS-OLD-1",
                                   "department_code": "D-JW", "at": date(2023, 5, 1),
                                   "status": "transferred"}])
    old.upsert_nodes("Department", [{"code": "D-JW", "name": "富宁县纪委监委"}])
    old.upsert_rels("TRANSFERRED", [{"src": "XS-OLD-1", "dst": "XS-OLD-1/1"}], src="Clue",
                    dst="Transfer")
    old.upsert_rels("TO", [{"src": "XS-OLD-1/1", "dst": "D-JW"}], src="Transfer",
                    dst="Department")
    with old.transaction() as tx:  # nor had it a full-text table (version 3)
        for made in ("TABLE node_text", "TRIGGER node_text_insert", "TRIGGER node_text_update"):
            tx._conn.execute("DROP " + made)
    old.set_schema_version(1)
    old.close()
    refused = run("status", "--database", str(db))
    assert refused.returncode == 1 and "schema version 1" in refused.stderr \
        and "run `collab init`" in refused.stderr
    upgraded = run("init", "--database", str(db), env={"COLLAB_USER": "运维.王"})
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"to schema version {schema.VERSION}" in upgraded.stdout
    store = SqliteStore(db)
    try:
        assert store.schema_version() == schema.VERSION
        assert store.get("Clue", "XS-OLD-1").get("sole_transfer_dept") == "D-JW"
        assert store.get("Department", "D-JW").get("pinyin") == "funingxianjiweijianwei"
        assert [n.key for n in store.find("Clue", where={"title": Cond(Op.WORDS, "旧线索")})
                .items] == ["XS-OLD-1"]  # found through the table made and filled by init
        steps = [(r.get("event"), r.get("user"), r.get("address"))
                 for r in store.find("AuditRecord", order_by="seq").items]
        assert steps == [("maintenance.fill_clue_facts", "运维.王", "console"),
                         ("maintenance.fill_pinyin", "运维.王", "console")]
        store.set_schema_version(schema.VERSION + 1)
    finally:
        store.close()
    for command in ("status", "init"):
        newer = run(command, "--database", str(db))
        assert newer.returncode == 1 and "newer than this collab" in newer.stderr
