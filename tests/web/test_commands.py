"""`collab user ...` and `collab audit verify` against a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from web.client import Client, make_app

from collab.cli import main
from collab.graph.sqlite_engine import SqliteStore


def test_accounts_from_the_console_and_the_chain_check(tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite3")
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--database", db]).exit_code == 0
    added = runner.invoke(main, ["user", "add", "wang.fang", "--role", "coordinator",
                                 "--region", "532600", "--display-name", "王芳", "--generate",
                                 "--database", db])
    assert added.exit_code == 0, added.output
    password = added.output.strip().rsplit(": ", 1)[1]
    store = SqliteStore(db)
    try:
        client = Client(make_app(store))
        assert client.sign_in("wang.fang", password).status_code == 302
        assert client.get("/browse/Clue").headers["Location"] == "/password"
        assert runner.invoke(main, ["user", "disable", "wang.fang", "--database", db]) \
            .exit_code == 0
        assert client.get("/").status_code == 302
        again = runner.invoke(main, ["user", "add", "wang.fang", "--role", "leader",
                                     "--generate", "--database", db])
        assert again.exit_code == 1 and "exists already" in again.output
        weak = runner.invoke(main, ["user", "add", "li.si", "--role", "leader",
                                    "--database", db], input="12345678\n12345678\n")
        assert weak.exit_code == 1 and "at least 10 characters" in weak.output
        verified = runner.invoke(main, ["audit", "verify", "--database", db])
        assert verified.exit_code == 0 and "intact" in verified.output
        console = store.find("AuditRecord", where={"event": "user.disable"}).items[0]
        assert console.get("user").startswith("console:")
        store.upsert_nodes("AuditRecord", [{"no": console.key, "outcome": "nothing happened"}])
        broken = runner.invoke(main, ["audit", "verify", "--database", db])
        assert broken.exit_code == 1
        assert f"record {console.get('seq')}" in broken.output and "altered" in broken.output
    finally:
        store.close()
