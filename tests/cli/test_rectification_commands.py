"""`collab rect`, `collab check` and `collab letters` on the Yunnan seed scenario."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from collab.cli import main

UNIT = "U530622001"   # 中共巧家县玉屏街道委员会 (a township of the Zhaotong round)


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[CliRunner, str]:
    db = str(tmp_path / "c.sqlite3")
    runner = CliRunner(env={"COLLAB_USER": "王协调", "COLLAB_ID_KEY": "ab" * 32})
    assert runner.invoke(main, ["init", "--database", db]).exit_code == 0
    loaded = runner.invoke(main, ["seed", "yunnan", "--database", db])
    assert loaded.exit_code == 0, loaded.output
    return runner, db


def run(seeded: tuple[CliRunner, str], *args: str, ok: bool = True) -> str:
    runner, db = seeded
    done = runner.invoke(main, [*args, "--database", db])
    assert (done.exit_code == 0) is ok, done.output
    return done.output


def tasks_of(seeded: tuple[CliRunner, str], status: str) -> list[str]:
    out = run(seeded, "find", "Rectification", "--where", f"status={status}", "--where",
              "region_code=530622001", "--order-by", "no", "--limit", "2")
    return [line.split('"')[3] for line in out.splitlines() if '"no":' in line]


def test_a_check_from_proposal_to_findings(seeded: tuple[CliRunner, str]) -> None:
    run(seeded, "check", "create", "JC-1", "--title", "巧家县玉屏街道整改联合检查", "--unit", UNIT,
        "--start", "2024-05-06", "--end", "2024-05-10", "--on", "2024-05-01")
    proposal = run(seeded, "check", "propose", "JC-1", "--on", "2024-05-01")
    assert "* D530600-JW 昭通市纪委监委" in proposal
    cadre = run(seeded, "find", "Person", "--where", "region_code=530622001", "--limit", "1")
    uid = next(line.split('"')[3] for line in cadre.splitlines() if '"uid":' in line)
    refused = run(seeded, "check", "assign", "JC-1", "--person", uid, "--on", "2024-05-01",
                  ok=False)
    assert "conflict of interest" in refused and "中共巧家县玉屏街道委员会" in refused
    run(seeded, "check", "assign", "JC-1", "--department", "D530600-JW", "--on", "2024-05-01",
        "--expect-version", "0")
    stale = run(seeded, "check", "assign", "JC-1", "--department", "D530600-SJ",
                "--expect-version", "0", ok=False)
    assert "changed by someone else" in stale
    run(seeded, "check", "move", "JC-1", "in_progress", "--on", "2024-05-06")
    failing, passing = tasks_of(seeded, "done")
    out = run(seeded, "check", "finding", "JC-1", failing, "--not-verified", "--note",
              "整改资料不全", "--on", "2024-05-07")
    assert "再整改" in out
    assert "已验收" in run(seeded, "check", "finding", "JC-1", passing, "--verified",
                        "--on", "2024-05-07")
    assert "整改资料不全" in run(seeded, "check", "show", "JC-1")


def test_letters_and_closing_on_the_seed(seeded: tuple[CliRunner, str], tmp_path: Path) -> None:
    due = run(seeded, "letters", "due", "--as-of", "2023-10-20", "--region", "530622001")
    assert "提示函 ZG-ZT-2023-" in due
    task = next(line for line in due.splitlines() if line.startswith("提示函")).split()[1]
    out = run(seeded, "letters", "issue", "reminder", task, "--on", "2023-10-20", "--out",
              str(tmp_path / "函件"))
    assert out.startswith("巡提〔2023〕1号 提示函 致中共巧家县玉屏街道")
    text = "\n".join(p.text for p in Document(str(tmp_path / "函件" / "巡提〔2023〕1号.docx"))
                     .paragraphs)
    assert "关于按期完成整改任务的提示函" in text
    assert task not in run(seeded, "letters", "due", "--as-of", "2023-10-20", "--region",
                           "530622001")
    (verified,) = tasks_of(seeded, "verified")[:1]
    refused = run(seeded, "rect", "close", verified, ok=False)
    assert "整改佐证材料" in refused and "责任单位领导签字" in refused
    run(seeded, "rect", "evidence", verified, "整改台账及照片", "--on", "2024-05-09")
    run(seeded, "rect", "signoff", verified, "unit_leader", "--by", "李书记", "--on", "2024-05-09")
    run(seeded, "rect", "signoff", verified, "inspection_body", "--on", "2024-05-09")
    assert "已销号" in run(seeded, "rect", "close", verified, "--on", "2024-05-10")
    xlsx = tmp_path / "销号.xlsx"
    run(seeded, "rect", "closing-ledger", "--region", "530622001", "--as-of", "2024-05-10",
        "-o", str(xlsx))
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert rows[0][0] == "整改销号（归零）台账" and rows[1][3] == "整改编号"
    closed = next(r for r in rows[2:] if r[3] == verified)
    assert closed[-1] == "已销号" and closed[14] == "李书记"
    warnings = run(seeded, "rect", "warnings", "--as-of", "2023-10-20", "--region", "530622")
    assert "橙色预警" in warnings and "致分管领导" in warnings
