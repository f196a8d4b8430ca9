"""`collab import` as an office uses it: --map, --profile, --errors, progress, the audit record,
templates with their 填写说明, and `collab regions load`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from click.testing import CliRunner
from ledger_helpers import base, csv_file
from openpyxl import load_workbook

from collab.cli import main
from collab.graph.sqlite_engine import SqliteStore
from collab.ledgers import errorbook

ROWS = [["编号", "反映内容", "收到日期", "区划代码", "承办部门", "移送日期"],
        ["XS-M-1", "某村干部违规领取补贴", "2023/7/2", "532628107", "县纪委监委", "2023-07-09"],
        ["XS-M-2", "某站所吃拿卡要", "2023.7.3", "532628107", "县委组织部", "2023-07-10"]]


def _db(tmp_path: Path) -> list[str]:
    db = str(tmp_path / "c.sqlite3")
    assert CliRunner().invoke(main, ["init", "--database", db]).exit_code == 0
    store = SqliteStore(db)
    store.write(base)
    store.close()
    return ["--database", db]


def test_map_profile_progress_and_the_audit_record(tmp_path: Path) -> None:
    db = _db(tmp_path)
    path = csv_file(tmp_path / "线索.csv", ROWS, "gbk")
    runner = CliRunner(env={"COLLAB_USER": "富宁县巡察办"})
    unmapped = runner.invoke(main, ["import", str(path), "--region", "富宁县", *db])
    assert unmapped.exit_code == 1 and "缺少必填列" in unmapped.output
    mapped = runner.invoke(main, ["import", str(path), "--region", "富宁县", "--map",
                                  "反映内容=title", "--profile", "富宁线索", "--dry-run", *db])
    assert mapped.exit_code == 0, mapped.output
    assert "反映内容→线索标题" in mapped.output and "新增2" in mapped.output
    # the same headers again: the saved mapping is used without being named
    done = runner.invoke(main, ["import", str(path), "--region", "532628", *db])
    assert done.exit_code == 0, done.output
    assert "富宁线索" in done.stderr and "已检查 2/2" in done.stderr and "已写入" in done.stderr
    store = SqliteStore(db[1])
    assert store.get("Transfer", "XS-M-2/1").get("department_code") == "D532628-ZZB"
    records = store.find("AuditRecord", where={"kind": "import"}, order_by="seq").items
    assert [(r.get("event"), r.get("outcome")) for r in records] == [
        ("ledger.import", "refused"), ("ledger.profile", "ok"), ("ledger.import_check", "ok"),
        ("ledger.import", "ok")]
    detail = json.loads(records[-1].get("detail"))
    assert detail["file"] == "线索.csv" and detail["created"] == {"clues": 2}
    assert detail["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert records[-1].get("user") == "富宁县巡察办" and records[-1].get("address") == "console"
    store.close()


def test_a_refused_ledger_comes_back_marked(tmp_path: Path) -> None:
    db = _db(tmp_path)
    bad = [ROWS[0], [*ROWS[1][:2], "去年", *ROWS[1][3:]]]
    path = csv_file(tmp_path / "线索.csv", bad, "utf-8-sig")
    marked = tmp_path / "问题.xlsx"
    refused = CliRunner().invoke(main, ["import", str(path), "--map", "反映内容=title",
                                        "--errors", str(marked), *db])
    assert refused.exit_code == 1 and marked.exists()
    book = load_workbook(marked)
    assert book.sheetnames == [errorbook.SUMMARY, "线索"]
    sheet = book["线索"]
    assert sheet.cell(2, 3).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(1, 7).value == errorbook.COLUMN and "日期" in sheet.cell(2, 7).value


def test_templates_say_what_each_column_accepts(tmp_path: Path) -> None:
    out = tmp_path / "模板.xlsx"
    assert CliRunner().invoke(main, ["template", "clues", "-o", str(out)]).exit_code == 0
    notes = {r[0]: r for r in load_workbook(out)["填写说明"].iter_rows(values_only=True)}
    assert "线索名称" in notes["线索标题"][3] and notes["线索标题"][2] == "是"
    assert "已立案" in notes["线索状态"][4] and "2023年7月2日" in notes["登记日期"][4]


def test_regions_load_merges_by_code_and_refuses_a_bad_row(tmp_path: Path) -> None:
    db = _db(tmp_path)
    good = tmp_path / "regions.csv"
    good.write_text("code,name,level,parent\n532628204,那能乡,township,532628\n"
                    "532628204201,那能村委会,village,532628204\n", encoding="utf-8")
    runner = CliRunner()
    for _ in range(2):
        done = runner.invoke(main, ["regions", "load", str(good), *db])
        assert done.exit_code == 0 and "loaded 2 regions" in done.output
    store = SqliteStore(db[1])
    assert store.get("Region", "532628204201").get("name") == "那能村委会"
    assert store.count("Region") == 5 + 2
    store.close()
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,level,parent\n5326X,某乡,township,532628\n", encoding="utf-8")
    refused = runner.invoke(main, ["regions", "load", str(bad), *db])
    assert refused.exit_code == 1 and "line 2" in refused.output
