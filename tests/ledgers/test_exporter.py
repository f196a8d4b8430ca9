"""Exports: the template layout, formula injection neutralised, and a round trip on both engines."""

from __future__ import annotations

from pathlib import Path

import pytest
from ledger_helpers import ACTOR, ISSUES, KEY, UNITS, base, xlsx
from openpyxl import load_workbook
from test_importer import CLUES

from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Store
from collab.ledgers import exporter
from collab.ledgers.importer import import_ledger, read_ledger
from collab.ledgers.kinds import KINDS, ORDER
from collab.ledgers.report import Report
from collab.sheets import guard

CASES = [["案件编号", "案件名称", "立案日期", "立案单位", "线索编号", "追回资金(元)"],
         ["AJ-001", "王某违规发放养老金案", "2023-06-01", "富宁县纪委监委", "XS-001", "12,000"]]
SUPPORT = [["支持编号", "协作单位", "支持方式", "日期", "巡察轮次"],
           ["ZC-001", "富宁县人社局", "选派专业人员", "2023-04-01", "R1"],
           ["ZC-002", "富宁县纪委监委", "问题会商评估", "2023-05-15", "R1"]]
RECTS = [["整改编号", "问题编号", "整改任务", "责任单位", "整改时限", "整改状态"],
         ["ZG-001", "FN-001", "-补发66名老人养老金", "中共富宁县那能乡委员会", "2023-08-31",
          "整改中"]]
PEOPLE = [["姓名", "身份证号", "性别", "工作单位", "职务"],
          ["赵某", "53262819480712004X", "女", "那能村党支部", "@村委会主任"]]


def load(store: Store, path: Path) -> Report:
    ledger = read_ledger(path)
    return store.write(lambda tx: import_ledger(tx, actor=ACTOR, ledger=ledger, key=KEY))


def export_all(store: Store, folder: Path, fmt: str, **kwargs: object) -> Path:
    """Every kind into one file per kind; the folder."""
    folder.mkdir()
    for kind in ORDER:
        spec = KINDS[kind]
        store.read(lambda tx, spec=spec: exporter.write_ledger(
            folder / f"{spec.name}.{fmt}", spec,
            exporter.export_rows(tx, kind=spec, **kwargs), fmt=fmt))
    return folder


def snapshot(store: Store) -> dict[str, list[tuple[str, dict]]]:
    return {label: sorted((n.uid, dict(n.props)) for n in store.find(label, limit=1000).items)
            for label in ("Unit", "Person", "Issue", "Rectification", "Clue", "Transfer", "Case",
                          "Support")}


@pytest.fixture
def filled(graph: Store, tmp_path: Path) -> Store:
    load(graph, xlsx(tmp_path / "all.xlsx", {"单位": UNITS, "人员": PEOPLE, "问题": ISSUES,
                                             "整改": RECTS, "线索": CLUES, "案件": CASES,
                                             "支持": SUPPORT}))
    return graph


def emptied(store: Store, tmp_path: Path) -> Store:
    """An empty store of the same engine: a new SQLite file, or the Neo4j test database wiped
    (all but its test marker and the schema's version, as tests/conftest.py does)."""
    if store.backend == "sqlite":
        fresh = SqliteStore(tmp_path / "target.sqlite3")
        fresh.init_schema()
        return fresh
    with store.driver.session() as s:
        s.run("MATCH (n) WHERE NOT n:CollabTestDatabase AND NOT n:CollabSchema "
              "DETACH DELETE n").consume()
    return store


@pytest.mark.parametrize("fmt", exporter.FORMATS)
def test_an_export_reimports_to_the_same_graph(filled: Store, tmp_path: Path, fmt: str) -> None:
    """Exported (ID numbers in full), the store emptied, the files imported: the same graph."""
    folder = export_all(filled, tmp_path / "out", fmt, unmask=KEY)
    before = snapshot(filled), filled.counts()
    target = emptied(filled, tmp_path)
    assert target.counts()["nodes"]["Issue"] == 0
    target.write(base)
    for kind in ORDER:
        load(target, folder / f"{kind}.{fmt}")
    assert (snapshot(target), target.counts()) == before


def test_reimporting_a_masked_export_changes_nothing(filled: Store, tmp_path: Path) -> None:
    folder = export_all(filled, tmp_path / "out", "xlsx")
    before = snapshot(filled), filled.counts()
    for kind in ORDER:
        report = load(filled, folder / f"{kind}.xlsx")
        assert not any(report.created.values()) and not any(report.updated.values())
    assert (snapshot(filled), filled.counts()) == before
    people = load_workbook(folder / "people.xlsx").active
    assert people.cell(2, 2).value == "532628********004X"


def test_formula_like_cells_are_neutralised(filled: Store, tmp_path: Path) -> None:
    folder = export_all(filled, tmp_path / "out", "xlsx")
    rect = load_workbook(folder / "rectifications.xlsx").active
    measures = [c.value for c in rect[1]].index("整改措施") + 1
    assert rect.cell(2, measures).value == "'-补发66名老人养老金"
    people = load_workbook(folder / "people.xlsx").active
    assert [c.value for c in people[2]][5] == "'@村委会主任"
    assert people.cell(2, 6).data_type == "s"
    assert guard.neutralise("@SUM(A1)") == "'@SUM(A1)" and guard.neutralise(5) == 5


def test_an_export_keeps_to_its_scope(filled: Store, tmp_path: Path) -> None:
    spec = KINDS["issues"]
    rows = filled.read(lambda tx: list(exporter.export_rows(tx, kind=spec, scope="532628")))
    assert sorted(r["no"] for r in rows) == ["FN-001", "FN-002", "FN-003", "FN-005"]


@pytest.mark.parametrize("kind", ORDER)
def test_templates_have_the_export_layout_and_import_as_empty(tmp_path: Path,
                                                              kind: str) -> None:
    path = tmp_path / f"{kind}.xlsx"
    exporter.write_template(path, KINDS[kind])
    book = load_workbook(path)
    assert [c.value for c in book.worksheets[0][1]] == [c.zh for c in KINDS[kind].columns]
    assert book.sheetnames[1] == "填写说明"
    ledger = read_ledger(path)
    assert ["no data rows" in p.en for p in ledger.report.problems] == [True]
