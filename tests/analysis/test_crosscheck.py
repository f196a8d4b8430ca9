"""Data cross-checks: the seed lists give the article's 66; messy lists still match."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.analysis import crosscheck as xc
from collab.cli import main
from collab.errors import CollabError, ConflictError, NotFound
from collab.graph.store import Store
from seeds import crosscheck_lists

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "crosscheck"
ROSTER = SEEDS / "nanneng_roster_60plus.csv"
PENSION = SEEDS / "nanneng_pension_list.xlsx"
ZHANG = crosscheck_lists.id_number(date(1950, 3, 7), 123)
LI = crosscheck_lists.id_number(date(1948, 12, 1), 24)
WANG = crosscheck_lists.id_number(date(1955, 1, 30), 35)


def gbk_csv(path: Path, rows: list[list[str]]) -> Path:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    path.write_bytes(text.getvalue().encode("gbk"))
    return path


def xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in text)


def test_the_seed_lists_find_exactly_the_articles_66_without_pension() -> None:
    result = xc.crosscheck(ROSTER, PENSION)
    assert len(result.only_a) == 66
    people_b, _ = xc.parse_list(xc.read_rows(PENSION), name="b")
    ids_b = {p.id_number for p in people_b}
    names_b = {(p.name, p.birth_date) for p in people_b}
    people_a, _ = xc.parse_list(xc.read_rows(ROSTER), name="a")
    by_row = {p.row: p for p in people_a}
    for finding in result.only_a:
        person = by_row[finding.row]
        assert person.id_number not in ids_b and (person.name, person.birth_date) not in names_b
        assert finding.id_number is None or "********" in finding.id_number
    assert result.matched_by_name_birth > 0, "the seed has rows only name + birth date match"
    assert result.rows_a - 66 == result.matched_by_id + result.matched_by_name_birth


def test_the_seed_files_are_what_the_script_generates(tmp_path: Path) -> None:
    roster, pension = crosscheck_lists.write(tmp_path)
    assert roster.read_bytes() == ROSTER.read_bytes()
    assert pension.read_bytes() == PENSION.read_bytes()
    ROSTER.read_bytes().decode("gbk")  # the roster is GBK, as Chinese Excel saves CSV


def test_messy_values_still_match(tmp_path: Path) -> None:
    a = gbk_csv(tmp_path / "a.csv", [
        ["某村60岁以上人员名单"],
        ["序号", " 姓 名 ", "身份证号码", "出生日期"],
        ["1", "张 三", full_width(ZHANG), "1950年3月7日"],
        ["2", "李四 ", LI.lower(), "1948/12/1"],
        ["3", "王五", "", "1955.1.30"],
    ])
    b = xlsx(tmp_path / "b.xlsx", [
        ["姓名", "公民身份号码", "出生日期"],
        ["张三", ZHANG, datetime(1950, 3, 7)],
        ["\u3000李四", LI, "19481201"],
        ["王五", WANG, "1955-01-30"],
    ])
    result = xc.crosscheck(a, b)
    assert (result.only_a, result.only_b) == ([], [])
    assert (result.matched_by_id, result.matched_by_name_birth) == (2, 1)
    [missing] = result.mismatched
    assert missing.name == "王五" and "名单A无身份证号" in missing.reason


def test_mismatched_fields_come_with_their_reasons(tmp_path: Path) -> None:
    swapped = LI[:15] + LI[16] + LI[15] + LI[17:]
    assert xc.normalise_id(swapped) == (None, "身份证号校验位错误")
    a = xlsx(tmp_path / "a.xlsx", [["姓名", "身份证号", "性别"],
                                    ["张三", ZHANG, "男"], ["李四", LI, "女"]])
    b = xlsx(tmp_path / "b.xlsx", [["姓名", "身份证号", "性别", "出生日期"],
                                    ["张叁", ZHANG, "女", None],
                                    ["李四", swapped, "女", "1948-12-01"]])
    result = xc.crosscheck(a, b)
    by_name = {f.name: f for f in result.mismatched}
    assert {d["field"] for d in by_name["张三"].fields} == {"name", "gender"}
    assert by_name["张三"].reason == "姓名不一致；性别不一致"
    assert "名单B身份证号校验位错误" in by_name["李四"].reason
    assert by_name["李四"].other_row == 3


def test_only_in_b_duplicates_and_the_name_birth_key(tmp_path: Path) -> None:
    a = xlsx(tmp_path / "a.xlsx", [["姓名", "身份证号"], ["张三", ZHANG], ["张三", ZHANG]])
    b = xlsx(tmp_path / "b.xlsx", [["姓名", "身份证号"], ["张三", ZHANG], ["李四", LI]])
    result = xc.crosscheck(a, b)
    assert [f.name for f in result.only_b] == ["李四"]
    assert [(f.list, f.row) for f in result.duplicates] == [("A", 3)]
    by_birth = xc.crosscheck(a, b, key="name_birth")
    assert by_birth.matched_by_id == 0 and by_birth.matched_by_name_birth == 1


def test_ids_are_masked_unless_asked(tmp_path: Path) -> None:
    a = xlsx(tmp_path / "a.xlsx", [["姓名", "身份证号"], ["张三", ZHANG]])
    b = xlsx(tmp_path / "b.xlsx", [["姓名", "身份证号"], ["李四", LI]])
    assert ZHANG not in json.dumps(xc.crosscheck(a, b).to_json())
    assert xc.crosscheck(a, b, reveal=True).only_a[0].id_number == ZHANG


@pytest.mark.parametrize("rows_a, name_a, says", [
    ([["编号", "金额"], ["1", "2"]], "a.xlsx", "no header row"),
    ([["姓名", "金额"], ["张三", "2"]], "a.xlsx", "--key name_birth"),
    ([["姓名"]], "a.doc", "unsupported file type"),
])
def test_bad_lists_are_refused_clearly(tmp_path: Path, rows_a: list, name_a: str,
                                       says: str) -> None:
    path = tmp_path / name_a
    if name_a.endswith(".xlsx"):
        xlsx(path, rows_a)
    else:
        path.write_text("姓名\n张三\n", encoding="utf-8")
    b = xlsx(tmp_path / "b.xlsx", [["姓名", "身份证号"], ["张三", ZHANG]])
    with pytest.raises(CollabError, match=says):
        xc.crosscheck(path, b)


def test_an_unknown_encoding_and_a_corrupt_xlsx_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "a.csv"
    bad.write_bytes(bytes(range(128, 256)) * 4)
    with pytest.raises(CollabError, match="unknown encoding"):
        xc.read_rows(bad)
    broken = tmp_path / "b.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(CollabError, match="corrupt"):
        xc.read_rows(broken)


def test_an_id_saved_as_a_number_is_explained(tmp_path: Path) -> None:
    a = xlsx(tmp_path / "a.xlsx", [["姓名", "身份证号"], ["张三", float(ZHANG[:17])]])
    b = xlsx(tmp_path / "b.xlsx", [["姓名", "身份证号"], ["李四", LI]])
    [only] = xc.crosscheck(a, b).only_a
    assert "存成了数字" in only.reason


def _unit(store: Store) -> None:
    store.upsert_nodes("Unit", [{"code": "U532628107", "name": "中共富宁县那能乡委员会",
                                 "region_code": "532628107"}])


def test_selected_results_become_one_issue_on_a_unit(store: Store) -> None:
    _unit(store)
    result = xc.crosscheck(ROSTER, PENSION, reveal=True)
    authz = Authz(Actor("巡察办", region="532600"))
    no = store.write(lambda tx: xc.raise_issue(
        tx, authz=authz, unit_code="U532628107", findings=result.only_a,
        title="66名老年人未领取养老金", found_on=date(2023, 10, 12)))
    issue = store.get("Issue", no)
    assert issue is not None and issue.get("source") == "数据比对"
    assert issue.get("description").startswith("数据比对发现66人")
    assert not any(f.id_number in issue.get("description") for f in result.only_a
                   if f.id_number)
    sub = store.expand([issue.uid], types=["CONCERNS"])
    assert [n.key for n in sub.nodes if n.label == "Unit"] == ["U532628107"]
    with pytest.raises(ConflictError, match="already raised"):
        store.write(lambda tx: xc.raise_issue(
            tx, authz=authz, unit_code="U532628107", findings=result.only_a,
            title="66名老年人未领取养老金", found_on=date(2023, 10, 12)))


@pytest.mark.parametrize("actor, unit", [(Actor("外州", region="530600"), "U532628107"),
                                         (Actor("巡察办"), "U-NONE"),
                                         (Actor("领导", role="leader"), "U532628107")])
def test_an_issue_outside_ones_region_or_on_no_unit_is_refused(store: Store, actor: Actor,
                                                               unit: str) -> None:
    _unit(store)
    findings = xc.crosscheck(ROSTER, PENSION).only_a[:1]
    with pytest.raises(NotFound):
        store.write(lambda tx: xc.raise_issue(tx, authz=Authz(actor), unit_code=unit,
                                              findings=findings, title="t",
                                              found_on=date(2023, 10, 12)))
    assert store.count("Issue") == 0


def test_the_command_prints_the_66_as_json_and_raises_the_issue(tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite3")
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--database", db]).exit_code == 0
    from collab.graph.sqlite_engine import SqliteStore

    store = SqliteStore(db)
    _unit(store)
    store.close()
    done = runner.invoke(main, ["crosscheck", str(ROSTER), str(PENSION), "--json",
                                "--database", db, "--issue-on", "U532628107",
                                "--found-on", "2023-10-12"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert len(data["only_a"]) == 66 and all("reason" in r for r in data["only_a"])
    assert data["issue"].startswith("BD-20231012-")
    bad = runner.invoke(main, ["crosscheck", str(ROSTER), "nothing.csv"])
    assert bad.exit_code == 1
