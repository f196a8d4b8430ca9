"""Importing ledgers on both engines: as people make them, all or nothing, idempotent."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from ledger_helpers import ACTOR, ISSUES, KEY, UNITS, csv_file, xlsx

from collab.graph.store import Store
from collab.ledgers.importer import check_ledger, import_ledger, read_ledger
from collab.ledgers.report import LedgerRejected, Report

CLUES = [["线索编号", "线索标题", "登记日期", "问题编号", "被反映人", "被反映人身份证号",
          "移交单位", "移交日期", "移交文号", "线索状态"],
         ["XS-001", "村干部未跟进养老金发放", "2023-05-10", "FN-001", "王某", "532628195503010022",
          "富宁县纪委监委", "2023-05-20", "富巡移〔2023〕1号", "已移交"],
         ["XS-001", "村干部未跟进养老金发放", "2023-05-10", "FN-001", "王某", "532628195503010022",
          "富宁县委组织部", "2023-05-21", "富巡移〔2023〕2号", "已移交"],
         ["XS-002", "挪用惠民资金", "2023-05-11", "FN-003", "李某", "", "", "", "", ""]]


def load(store: Store, path: Path, kind: str | None = None, *, dry_run: bool = False) -> Report:
    ledger = read_ledger(path, kind=kind)
    if dry_run:
        return store.read(lambda tx: check_ledger(tx, actor=ACTOR, ledger=ledger, key=KEY))
    return store.write(lambda tx: import_ledger(tx, actor=ACTOR, ledger=ledger, key=KEY))


def test_a_ledger_made_the_way_people_make_them(graph: Store, tmp_path: Path) -> None:
    """Merged title row, full-width and broken headers, GBK CSV, dates five ways."""
    units = xlsx(tmp_path / "单位.xlsx", {"单位": UNITS}, title="富宁县被巡察单位名册")
    report = load(graph, units, "units")
    assert report.created["units"] == 3
    assert ("单位", "序号") in report.ignored_columns and ("单位", "备注") in report.ignored_columns
    messy = [["问题\n编号", "　问题描述 ", "被巡察单位", "发现日期", "问题来源", "巡察组",
              "协作单位", "是否群众急难愁盼问题"], *ISSUES[1:], ["", "", "", "", "", "", "", ""]]
    issues = csv_file(tmp_path / "问题台账.csv", [["富宁县巡察问题台账"], *messy], "gbk")
    report = load(graph, issues)
    assert report.rows == {"issues": 5} and report.created["issues"] == 5
    for no in ("FN-001", "FN-002", "FN-003", "FN-004", "FN-005"):
        assert graph.get("Issue", no).get("found_on") == date(2023, 5, 1)
    assert graph.get("Issue", "FN-004").get("region_code") == "532622"
    assert graph.get("Issue", "FN-001").get("masses_problem") is True
    sub = graph.expand([graph.get("Issue", "FN-001").uid], types=["CONCERNS", "FOUND_WITH"])
    assert {n.get("name") for n in sub.nodes} >= {"中共富宁县那能乡委员会", "富宁县人社局"}


def test_an_xlsx_with_several_sheets_imports_in_dependency_order(graph: Store,
                                                                  tmp_path: Path) -> None:
    book = xlsx(tmp_path / "台账.xlsx", {"问题": ISSUES, "单位": UNITS, "说明": [["请按模板填写"]]})
    report = load(graph, book)
    assert report.rows == {"units": 3, "issues": 5}
    assert report.ignored_sheets == ["说明"]
    assert graph.count("Issue") == 5


def test_importing_twice_changes_nothing_and_an_update_updates(graph: Store,
                                                              tmp_path: Path) -> None:
    load(graph, xlsx(tmp_path / "u.xlsx", {"单位": UNITS}))
    path = xlsx(tmp_path / "i.xlsx", {"问题": ISSUES})
    load(graph, path)
    counts = graph.counts()
    again = load(graph, path)
    assert again.created["issues"] == 0 and again.updated["issues"] == 0
    assert again.unchanged["issues"] == 5
    assert graph.counts() == counts
    changed = [list(r) for r in ISSUES]
    changed[2][1] = "村务公开不及时，已督促整改"
    report = load(graph, xlsx(tmp_path / "i2.xlsx", {"问题": changed}))
    assert (report.created["issues"], report.updated["issues"]) == (0, 1)
    assert graph.get("Issue", "FN-002").get("description") == "村务公开不及时，已督促整改"
    moved = [list(r) for r in changed]
    moved[2][2] = "中共富宁县那能乡委员会"
    report = load(graph, xlsx(tmp_path / "i3.xlsx", {"问题": moved}))
    assert report.relinked == 1
    units = graph.expand([graph.get("Issue", "FN-002").uid], types=["CONCERNS"]).nodes
    assert [n.get("name") for n in units if n.label == "Unit"] == ["中共富宁县那能乡委员会"]


def test_a_ledger_never_moves_a_record_to_another_region(graph: Store, tmp_path: Path) -> None:
    """Issue 16: the region of an existing record is not the ledger's to change."""
    load(graph, xlsx(tmp_path / "u.xlsx", {"单位": UNITS, "问题": ISSUES}))
    before = graph.counts()
    moved = [list(r) for r in ISSUES]
    moved[2][2] = "中共砚山县江那镇委员会"
    with pytest.raises(LedgerRejected) as e:
        load(graph, xlsx(tmp_path / "i.xlsx", {"问题": moved}))
    [problem] = e.value.report.problems
    assert (problem.row, problem.column, problem.value) == (3, "问题编号", "FN-002")
    assert "532628107" in problem.zh
    assert graph.get("Issue", "FN-002").get("region_code") == "532628107"
    assert graph.counts() == before


def test_clues_make_transfers_and_people_matched_by_id_number(graph: Store,
                                                              tmp_path: Path) -> None:
    load(graph, xlsx(tmp_path / "u.xlsx", {"单位": UNITS, "问题": ISSUES}))
    load(graph, xlsx(tmp_path / "c.xlsx", {"线索": CLUES}))
    assert graph.count("Transfer") == 2


def test_a_status_the_lifecycle_moved_is_kept(graph: Store, tmp_path: Path) -> None:
    """An older ledger does not undo steps recorded in collab; the report says so."""
    from collab.cases import clues

    load(graph, xlsx(tmp_path / "u.xlsx", {"单位": UNITS, "问题": ISSUES}))
    load(graph, xlsx(tmp_path / "c.xlsx", {"线索": CLUES[:2]}))
    graph.write(lambda tx: clues.accept(tx, actor=ACTOR, transfer_no="XS-001/1",
                                        on=date(2023, 5, 25)))
    moved = graph.get("Clue", "XS-001").get("status")
    report = load(graph, xlsx(tmp_path / "c2.xlsx", {"线索": CLUES[:2]}))
    assert graph.get("Clue", "XS-001").get("status") == moved != "transferred"
    assert ("Clue", "XS-001", "transferred", moved) in report.kept_status
    assert any("kept its status" in line for line in report.lines("en"))
    transfer = graph.get("Transfer", "XS-001/1")
    assert transfer.get("department_code") == "D532628-JW"
    assert transfer.get("at") == date(2023, 5, 20)
    assert transfer.get("letter_no") == "富巡移〔2023〕1号"
    people = graph.find("Person", where={"name": "王某"}).items
    assert len(people) == 1 and people[0].get("id_masked") == "532628********0022"
    assert KEY.decrypt(people[0].get("id_enc")) == "532628195503010022"
    assert "532628195503010022" not in str(people[0].props)
    roster = [["姓名", "身份证号", "工作单位", "职务"],
              ["王某某", "532628195503010022", "那能村党支部", "村委会主任"]]
    load(graph, xlsx(tmp_path / "p.xlsx", {"人员": roster}))
    people = graph.find("Person", where={"id_hash": people[0].get("id_hash")}).items
    assert len(people) == 1 and people[0].get("name") == "王某某"


def test_any_invalid_row_writes_nothing_and_every_problem_is_reported(
        graph: Store, tmp_path: Path) -> None:
    load(graph, xlsx(tmp_path / "u.xlsx", {"单位": UNITS}))
    before = graph.counts()
    bad = [ISSUES[0], ISSUES[1],
           ["FN-010", "描述", "不存在的单位", "2023-05-01", "", "", "", ""],
           ["FN-011", "描述", "那能村党支部", "2023-13-45", "", "", "", "也许"],
           ["FN-012", "", "那能村党支部", "", "", "", "", ""]]
    with pytest.raises(LedgerRejected) as e:
        load(graph, xlsx(tmp_path / "bad.xlsx", {"问题台账": bad}))
    found = {(p.sheet, p.row, p.column) for p in e.value.report.problems}
    assert found == {("问题台账", 3, "被巡察单位"), ("问题台账", 4, "发现日期"),
                     ("问题台账", 4, "是否群众急难愁盼问题"), ("问题台账", 5, "问题描述")}
    assert graph.counts() == before
    english = "\n".join(e.value.report.lines("en"))
    assert "nothing was written" in english and "not a date" in english
    assert "未写入任何数据" in "\n".join(e.value.report.lines("zh"))


def test_a_dry_run_reports_the_same_and_writes_nothing(graph: Store, tmp_path: Path) -> None:
    path = xlsx(tmp_path / "u.xlsx", {"单位": UNITS})
    report = load(graph, path, dry_run=True)
    assert report.created["units"] == 3 and graph.count("Unit") == 0
    assert "试运行" in "\n".join(report.lines())


def test_id_numbers_excel_mangled_are_reported(graph: Store, tmp_path: Path) -> None:
    roster = [["姓名", "身份证号", "人员编号"],
              ["甲", 5.32628195503010e17, ""], ["乙", "5.32628E+17", ""],
              ["丙", "532628195503010023", ""], ["丁", "", "P-001"]]
    with pytest.raises(LedgerRejected) as e:
        load(graph, xlsx(tmp_path / "p.xlsx", {"人员": roster}))
    reasons = {p.row: p.en for p in e.value.report.problems}
    assert "digits are lost" in reasons[2] and "scientific notation" in reasons[3]
    assert "check digit" in reasons[4] and 5 not in reasons


def test_duplicated_rows_count_once_and_conflicting_ones_are_refused(
        graph: Store, tmp_path: Path) -> None:
    rows = [*UNITS, UNITS[1]]
    report = load(graph, xlsx(tmp_path / "u.xlsx", {"单位": rows}))
    assert report.duplicate_rows == [("单位", 5)] and graph.count("Unit") == 3
    conflicting = [*UNITS, [9, "U532628107", "另一个名称", "532628107", ""]]
    with pytest.raises(LedgerRejected) as e:
        load(graph, xlsx(tmp_path / "u2.xlsx", {"单位": conflicting}))
    assert "different content" in e.value.report.problems[0].en


def test_rows_outside_the_actors_jurisdiction_are_refused(graph: Store, tmp_path: Path) -> None:
    from collab.access.actors import Actor

    ledger = read_ledger(xlsx(tmp_path / "u.xlsx", {"单位": UNITS}))
    county = Actor("富宁县巡察办", region="532628")
    with pytest.raises(LedgerRejected) as e:
        graph.write(lambda tx: import_ledger(tx, actor=county, ledger=ledger, key=KEY))
    assert [p.row for p in e.value.report.problems] == [4]
    assert graph.count("Unit") == 0


def test_a_clue_ledger_matches_transfers_the_service_made(graph: Store, tmp_path: Path) -> None:
    """A transfer made by `clues.transfer` is found by clue and department, not duplicated."""
    from collab.cases import clues

    load(graph, xlsx(tmp_path / "u.xlsx", {"单位": UNITS, "问题": ISSUES}))
    graph.write(lambda tx: clues.register(tx, actor=ACTOR, no="XS-001", title="未跟进养老金发放",
                                          on=date(2023, 5, 10), region_code="532628107"))
    graph.write(lambda tx: clues.transfer(tx, actor=ACTOR, clue="XS-001", to="D532628-ZZB",
                                          on=date(2023, 5, 21), letter_no="富巡移〔2023〕2号"))
    report = load(graph, xlsx(tmp_path / "c.xlsx", {"线索": [CLUES[0], CLUES[2], CLUES[1]]}))
    assert report.rows == {"clues": 2}
    assert graph.get("Transfer", "XS-001/1").get("department_code") == "D532628-ZZB"
    assert graph.get("Transfer", "XS-001/2").get("department_code") == "D532628-JW"
    assert graph.count("Transfer") == 2


def test_a_two_level_header_is_read(graph: Store, tmp_path: Path) -> None:
    """问题编号 merged down two rows beside 移交情况 merged across 移交单位 / 移交日期."""
    load(graph, xlsx(tmp_path / "u.xlsx", {"单位": UNITS, "问题": ISSUES}))
    rows = [["线索编号", "线索标题", "登记日期", "区划代码", "移交情况", None],
            [None, None, None, None, "移交单位", "移交日期"],
            ["XS-009", "挪用资金", "2023-06-01", "532628107", "富宁县纪委监委", "2023-06-05"]]
    report = load(graph, xlsx(tmp_path / "c.xlsx", {"线索": rows}))
    assert report.created["clues"] == 1
    assert graph.get("Transfer", "XS-009/1").get("at") == date(2023, 6, 5)


def test_people_without_an_id_number_are_known_by_name_within_their_unit(
        graph: Store, tmp_path: Path) -> None:
    load(graph, xlsx(tmp_path / "u.xlsx", {"单位": UNITS}))
    roster = [["姓名", "工作单位", "职务"], ["农某", "那能村党支部", "村支书"],
              ["农某", "中共富宁县那能乡委员会", "干部"]]
    load(graph, xlsx(tmp_path / "p.xlsx", {"人员": roster}))
    again = load(graph, xlsx(tmp_path / "p2.xlsx", {"人员": roster}))
    assert graph.count("Person", {"name": "农某"}) == 2  # two units, two people
    assert again.created["people"] == 0
    without = [["姓名", "职务"], ["无单位某", "村民"]]
    with pytest.raises(LedgerRejected) as e:
        load(graph, xlsx(tmp_path / "p3.xlsx", {"人员": without}))
    assert "ID number" in e.value.report.problems[0].en
