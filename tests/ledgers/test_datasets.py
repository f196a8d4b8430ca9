"""Importing reference data sets (数据集): headers as people write them, GBK and xlsx, rows kept
whole or not at all, people linked by the keyed hash of their ID number only."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from ledger_helpers import KEY, base, csv_file, xlsx
from test_id_numbers_at_rest import NUMBERS, valid_numbers

from collab.access import idnumbers
from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.errors import ConflictError, NotFound, ValidationError
from collab.graph.store import Direction, Store
from collab.ledgers import datasets as lds
from collab.ledgers.report import LedgerRejected

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "crosscheck"
COORD = Authz(Actor("数据管理员", "coordinator"))
FUNING = Authz(Actor("富宁县协调员", "coordinator", region="532628"))
INFO = lds.DataSetInfo(code="FN-DEATH-2024", name="富宁县2024年死亡人口", source="富宁县公安局",
                       as_of=date(2024, 6, 30), region_code="532628")


def imported(store: Store, path: Path, kind: str, info: lds.DataSetInfo = INFO,
             authz: Authz = COORD) -> lds.DataSetReport:
    data = lds.read_dataset(path, kind_code=kind)
    return store.write(lambda tx: lds.import_dataset(tx, authz=authz, data=data, info=info,
                                                     key=KEY))


def test_the_nanneng_lists_import_gbk_and_xlsx(store: Store) -> None:
    roster = imported(store, SEEDS / "nanneng_roster_60plus.csv", "roster",
                      lds.DataSetInfo("NN-ROSTER", "那能乡60周岁以上人员花名册", "那能乡",
                                      date(2023, 9, 30), "532628107"))
    pension = imported(store, SEEDS / "nanneng_pension_list.xlsx", "payment",
                       lds.DataSetInfo("NN-PENSION", "那能乡养老金发放名单", "富宁县人社局",
                                       date(2023, 9, 30), "532628107"))
    assert (roster.rows, roster.linked, len(roster.unlinked)) == (640, 632, 8)
    assert (pension.rows, pension.linked, len(pension.unlinked)) == (578, 572, 6)
    assert {why for _, why, _ in pension.unlinked} >= {"身份证号校验位错误"}
    assert store.count("DataRecord", {"dataset": "NN-ROSTER"}) == 640
    record = store.get("DataRecord", "NN-PENSION/2")
    assert record.get("paid_on") == date(2023, 9, 1) and record.get("amount") == 143.0
    assert record.get("benefit") is None and "********" in record.get("id_masked")
    people = store.expand([record.uid], types=["NAMES"], direction=Direction.OUT).nodes
    person = next(n for n in people if n.label == "Person")
    assert person.uid == idnumbers.person_uid(person.get("id_hash"))
    assert person.get("name") == record.get("name")
    dataset = store.get("DataSet", "NN-ROSTER")
    assert (dataset.get("kind"), dataset.get("rows"), dataset.get("unmatched")) == \
        ("roster", 640, 8)
    assert dataset.get("imported_by") == "数据管理员"


def test_headers_synonyms_a_title_row_and_a_gbk_csv(store: Store, tmp_path: Path) -> None:
    store.write(base)
    dead = csv_file(tmp_path / "死亡名单.csv", [
        ["富宁县2024年上半年死亡人口（合成）"],
        ["序号", "死者姓名", "公民身份号码", "死亡时间", "所属区划", "备注"],
        ["1", "黄 秀英", NUMBERS[0], "2024年1月15日", "532628107", ""],
        ["2", "农桂花", NUMBERS[1].lower(), "2024/2/3", "", "户籍注销"],
        ["3", "陆明", "", "2024.3.1", "", ""]], "gbk")
    report = imported(store, dead, "deceased")
    assert (report.rows, report.linked, [r for r, _, _ in report.unlinked]) == (3, 2, [5])
    first = store.get("DataRecord", "FN-DEATH-2024/3")
    assert (first.get("name"), first.get("died_on"), first.get("region_code")) == \
        ("黄秀英", date(2024, 1, 15), "532628107")
    assert store.get("DataRecord", "FN-DEATH-2024/4").get("region_code") == "532628"
    assert store.get("DataRecord", "FN-DEATH-2024/5").get("id_problem") == "无身份证号"


def test_a_problem_writes_nothing_and_says_where(store: Store, tmp_path: Path) -> None:
    bad = xlsx(tmp_path / "dead.xlsx", {"名单": [
        ["姓名", "身份证号", "死亡日期", "区划代码"],
        ["黄秀英", NUMBERS[0], "昨天", "532628107"],
        ["", NUMBERS[1], "2024-01-02", ""],
        ["农桂花", NUMBERS[2], "2024-01-02", "532622"]]})
    with pytest.raises(LedgerRejected) as e:
        imported(store, bad, "deceased")
    reasons = [(p.row, p.zh) for p in e.value.report.problems]
    assert reasons[0][0] == 2 and "不是有效的日期" in reasons[0][1]
    assert (3, "必填项为空") in reasons and (4, "不在数据集的区划范围内") in reasons
    assert store.count("DataRecord") == store.count("DataSet") == store.count("Person") == 0
    missing = xlsx(tmp_path / "no-date.xlsx", {"名单": [["姓名", "身份证号"],
                                                     ["黄秀英", NUMBERS[0]]]})
    with pytest.raises(LedgerRejected, match="required column is missing"):
        imported(store, missing, "deceased")


def test_people_already_known_are_linked_not_rewritten(store: Store, tmp_path: Path) -> None:
    known = idnumbers.person_fields(KEY, NUMBERS[0])
    store.upsert_nodes("Person", [{**known, "name": "黄秀英", "region_code": "532628107",
                                   "note": "台账导入"}])
    staff = xlsx(tmp_path / "staff.xlsx", {"财政供养": [
        ["姓名", "身份证号码", "单位", "职务职级"],
        ["黄 秀 英", NUMBERS[0], "富宁县财政局", "科员"],
        ["韦国华", NUMBERS[1], "富宁县人社局", ""]]})
    report = imported(store, staff, "public_servant",
                      lds.DataSetInfo("FN-STAFF", "富宁县财政供养人员", "富宁县财政局",
                                      date(2024, 6, 30), "532628"))
    assert (report.linked, report.people_created) == (2, 1)
    person = store.get("Person", known["uid"])
    assert (person.get("note"), person.get("region_code")) == ("台账导入", "532628107")
    assert store.get("DataRecord", "FN-STAFF/2").get("employer") == "富宁县财政局"


def test_a_code_is_never_reused_and_jurisdiction_holds(store: Store, tmp_path: Path) -> None:
    dead = xlsx(tmp_path / "dead.xlsx", {"名单": [["姓名", "身份证号", "死亡日期"],
                                                ["黄秀英", NUMBERS[0], "2024-01-15"]]})
    imported(store, dead, "deceased")
    with pytest.raises(ConflictError, match="exists already"):
        imported(store, dead, "deceased")
    elsewhere = lds.DataSetInfo("YS-DEATH", "砚山县死亡人口", "砚山县公安局", date(2024, 6, 30),
                                "532622")
    with pytest.raises(ValidationError, match="outside your jurisdiction"):
        imported(store, dead, "deceased", elsewhere, FUNING)
    with pytest.raises(NotFound):
        imported(store, dead, "deceased", elsewhere, Authz(Actor("领导", "leader")))
    with pytest.raises(ValidationError, match="unknown data set kind"):
        lds.read_dataset(dead, kind_code="vehicles")
    assert store.count("DataSet") == 1


def test_the_importers_role_always_may_use_what_it_imports(store: Store,
                                                            tmp_path: Path) -> None:
    dead = xlsx(tmp_path / "dead.xlsx", {"名单": [["姓名", "身份证号", "死亡日期"],
                                                ["黄秀英", NUMBERS[0], "2024-01-15"]]})
    info = lds.DataSetInfo("FN-D", "死亡人口", "公安局", date(2024, 6, 30), "532628",
                           roles=("leader",), regions=("532628107",))
    imported(store, dead, "deceased", info, FUNING)
    dataset = store.get("DataSet", "FN-D")
    assert dataset.get("roles") == ["coordinator", "leader"]
    assert dataset.get("regions") == ["532628107"]
    with pytest.raises(ValidationError, match="not auditor"):
        imported(store, dead, "deceased", lds.DataSetInfo(
            "FN-E", "x", "y", date(2024, 6, 30), "532628", roles=("auditor",)))


def test_no_plain_id_number_is_stored(sqlite_graph: Store, tmp_path: Path) -> None:
    rows = [["姓名", "身份证号", "发放金额（元）", "发放月份"]] + \
        [[f"人员{i}", n, 143, "2024-05"] for i, n in enumerate(NUMBERS)]
    imported(sqlite_graph, xlsx(tmp_path / "pay.xlsx", {"发放": rows}), "payment")
    sqlite_graph.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("collab.sqlite3*"))
    assert stored and valid_numbers(stored) == set()
    assert valid_numbers(",".join(NUMBERS).encode()) == set(NUMBERS)


def test_the_month_a_payment_list_writes_is_its_first_day(store: Store, tmp_path: Path) -> None:
    pay = xlsx(tmp_path / "pay.xlsx", {"发放": [
        ["领取人姓名", "证件号码", "待遇类别", "金额", "待遇年月"],
        ["黄秀英", NUMBERS[0], "养老金", "143元", "2024年5月"],
        ["农桂花", NUMBERS[1], "养老金", 143, datetime(2024, 5, 20)]]})
    imported(store, pay, "payment")
    assert store.get("DataRecord", "FN-DEATH-2024/2").get("paid_on") == date(2024, 5, 1)
    assert store.get("DataRecord", "FN-DEATH-2024/3").get("paid_on") == date(2024, 5, 20)


def test_columns_are_mapped_as_a_ledgers_are(store: Store, tmp_path: Path) -> None:
    """The ledgers' mapping step: a header nobody declared is named by its letter, a total
    row is left out, a column named twice is a problem of the header row."""
    odd = xlsx(tmp_path / "dead.xlsx", {"名单": [
        ["姓名", "身份证号", "殁日"],
        ["黄秀英", NUMBERS[0], "2024-01-15"],
        ["合计", "", ""]]})
    with pytest.raises(LedgerRejected, match="required column is missing"):
        imported(store, odd, "deceased")
    data = lds.read_dataset(odd, kind_code="deceased", corrections={"C": "died_on"})
    assert [(n, r["died_on"]) for n, r in data.rows] == [(2, date(2024, 1, 15))]
    assert data.report.total_rows == [("名单", 3)] and data.header_rows == {"名单": 1}
    assert ("名单", "殁日", "死亡日期") in data.report.mapped
    twice = xlsx(tmp_path / "twice.xlsx", {"名单": [
        ["姓名", "死者姓名", "死亡日期"], ["黄秀英", "黄秀英", "2024-01-15"]]})
    problems = lds.read_dataset(twice, kind_code="deceased").report.problems
    assert [(p.row, p.column) for p in problems] == [(1, "死者姓名")]
    assert "列名重复" in problems[0].zh
    assert store.count("DataSet") == 0
