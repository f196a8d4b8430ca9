"""`collab clue …`, `collab trace` and `collab stats …` over the seed scenario (SQLite file)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from keys import AUDIT_KEY

from collab.access import audit
from collab.cli import main
from collab.graph.sqlite_engine import SqliteStore

CATEGORY = "命令行测试"


def test_clue_lifecycle_trace_and_stats_from_the_command_line(tmp_path: Path) -> None:
    db = ["--database", str(tmp_path / "c.sqlite3")]
    runner = CliRunner()

    def run(*args: str) -> str:
        done = runner.invoke(main, [*args, *db])
        assert done.exit_code == 0, done.output
        return done.output

    run("init")
    run("seed", "yunnan")
    run("clue", "register", "XS-CLI-1", "--title", "违规发放补贴", "--on", "2023-10-20",
        "--region", "532628204", "--category", CATEGORY)
    assert "XS-CLI-1/1" in run("clue", "transfer", "XS-CLI-1", "--to", "富宁县纪委监委",
                               "--on", "2023-10-25", "--letter", "富巡移〔2023〕9号")
    waiting = json.loads(run("clue", "awaiting", "--as-of", "2024-03-01", "--json"))
    mine = [r for r in waiting if r["transfer_no"] == "XS-CLI-1/1"]
    assert [(r["awaiting"], r["overdue"]) for r in mine] == [("receipt", True)]
    run("clue", "accept", "XS-CLI-1/1", "--on", "2023-10-27")
    run("clue", "dispose", "XS-CLI-1/1", "--disposal", "verification", "--on", "2023-11-02")
    run("clue", "file-case", "XS-CLI-1/1", "--case-no", "AJ-CLI-1", "--on", "2023-12-01")
    run("clue", "outcome", "AJ-CLI-1", "--sanction", "党纪处分", "--grade", "警告",
        "--funds", "8800")
    refused = runner.invoke(main, ["clue", "accept", "XS-CLI-1/1", *db])
    assert refused.exit_code == 1 and "cannot move from 立案" in refused.output
    chain = json.loads(run("trace", "XS-CLI-1"))
    assert chain["cases"][0]["no"] == "AJ-CLI-1" and chain["cases"][0]["funds_recovered"] == 8800
    assert [s["to"] for s in chain["transfers"][0]["steps"]] == [
        "transferred", "accepted", "verification", "case_filed"]
    scope = ["--category", CATEGORY, "--period", "2023"]
    summary = json.loads(run("stats", "summary", *scope, "--json"))
    assert (summary["clues"], summary["clues_transferred"], summary["cases_from_clues"]) == (
        1, 1, 1)
    assert summary["conversion_rate"] == 1.0
    listed = json.loads(run("stats", "summary", *scope, "--list", "cases_from_clues"))
    assert [r["clue_no"] for r in listed] == ["XS-CLI-1"]
    table = json.loads(run("stats", "conversion", "--by", "department", *scope,
                           "--as-of", "2023-11-30", "--json", "--list"))
    assert [(r["group"], r["transferred"], r["converted"], r["rate"]) for r in table["rows"]] \
        == [("D532628-JW", 1, 0, 0.0)]
    assert [r["clue_no"] for r in table["clues"]] == ["XS-CLI-1"]
    assert "富宁县纪委监委" in run("stats", "conversion", "--by", "department", *scope)
    zhaotong = json.loads(run("stats", "summary", "--region", "昭通市", "--period", "2023",
                              "--json"))
    assert zhaotong["scope"]["region"] == "530600"
    text = run("stats", "summary", "--region", "昭通市", "--period", "2023")
    funds = f"funds_recovered_yuan: {zhaotong['funds_recovered_yuan']:,.2f}"
    assert funds in text and "conversion_rate: 35.6%" in text
    empty = json.loads(run("stats", "summary", "--region", "530129", "--period", "2019",
                           "--json"))
    assert empty["conversion_rate"] is None and empty["clues_transferred"] == 0
    bad = runner.invoke(main, ["stats", "summary", "--period", "2023/1", *db])
    assert bad.exit_code == 1 and "period" in bad.output


def test_a_change_from_the_command_line_is_audited_under_the_operators_name(
        tmp_path: Path) -> None:
    db = ["--database", str(tmp_path / "c.sqlite3")]
    runner = CliRunner(env={"COLLAB_USER": "运维.王", "COLLAB_FEEDBACK_DAYS": "12"})

    def run(*args: str, code: int = 0) -> str:
        done = runner.invoke(main, [*args, *db])
        assert done.exit_code == code, done.output
        return done.output

    run("init")
    run("seed", "yunnan")
    store = SqliteStore(tmp_path / "c.sqlite3")  # a department that sets no term of its own
    store.upsert_nodes("Department", [{"code": "D532628-JW", "feedback_days": None}])
    store.close()
    run("clue", "register", "XS-CLI-2", "--title", "违规发放补贴", "--on", "2023-10-20",
        "--region", "532628107")
    sent = run("clue", "transfer", "XS-CLI-2", "--to", "富宁县纪委监委", "--on", "2023-10-25",
               "--letter", "富巡移〔2023〕10号")
    assert "feedback due 2023-11-06" in sent  # COLLAB_FEEDBACK_DAYS, as on the web
    again = run("clue", "transfer", "XS-CLI-2", "--to", "富宁县纪委监委", "--on", "2023-10-26",
                "--letter", "富巡移〔2023〕11号", code=1)
    assert "already with" in again
    store = SqliteStore(tmp_path / "c.sqlite3")
    try:
        records = [(r.get("event"), r.get("user"), r.get("role"), r.get("address"),
                    r.get("outcome"), r.get("object_key"))
                   for r in store.find("AuditRecord", order_by="seq", limit=10).items]
        assert records == [
            ("maintenance.load_scenario", "运维.王", "operator", "console", "ok", ""),
            ("clue.register", "运维.王", "operator", "console", "ok", "XS-CLI-2"),
            ("clue.transfer", "运维.王", "operator", "console", "ok", "XS-CLI-2"),
            ("clue.transfer", "运维.王", "operator", "console", "conflict", "XS-CLI-2")]
        assert store.get("Transfer", "XS-CLI-2/1").get("by") == "运维.王"
        assert store.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok
    finally:
        store.close()
