"""Link analysis on a known graph: a planted clique is found and ranked first; ties, people in
several clues, recurrence across rounds; nothing outside the actor's region ever appears."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.analysis import centrality as analysis
from collab.errors import NotFound
from collab.graph.store import Store

EVERYWHERE = Authz(Actor("省巡察办"))
WENSHAN = Authz(Actor("文山州巡察办", region="532600"))
UNITS = 6
CLIQUE = [f"K{i}" for i in range(UNITS)]
WS = "532628107"  # 那能乡, in 文山
ZT = "530602001"  # a township of 昭通: out of 文山's reach


def nodes(store: Store, label: str, rows: list[dict]) -> None:
    store.upsert_nodes(label, rows)


def rels(store: Store, type_: str, src: str, dst: str, pairs: list[tuple]) -> None:
    rows = [{"src": p[0], "dst": p[1], **(p[2] if len(p) > 2 else {})} for p in pairs]
    store.upsert_rels(type_, rows, src=src, dst=dst)


@pytest.fixture
def graph(store: Store) -> Store:
    """Six units with four cadres each; a planted clique of six people, one per unit, all
    related to each other; clues, ties and rounds around them; and a 昭通 corner."""
    nodes(store, "Unit", [{"code": f"U{i}", "name": f"单位{i}", "region_code": WS}
                          for i in range(UNITS)] + [{"code": "UZ", "name": "昭通单位",
                                                     "region_code": ZT}])
    nodes(store, "Person", [{"uid": f"W{i}{j}", "name": f"干部{i}{j}", "region_code": WS}
                            for i in range(UNITS) for j in range(4)])
    nodes(store, "Person", [{"uid": k, "name": f"团伙{k}", "region_code": WS} for k in CLIQUE])
    nodes(store, "Person", [{"uid": u, "name": n, "region_code": r} for u, n, r in (
        ("Z0", "=昭通人", ZT), ("M", "多线索人", WS), ("N", "单单位人", WS), ("X", "被反映人", WS),
        ("Y", "村支书", WS), ("D1W", "局干部", WS), ("Z1", "昭通干部", ZT))])
    works = [(f"W{i}{j}", f"U{i}") for i in range(UNITS) for j in range(4)]
    works += [(k, f"U{i}") for i, k in enumerate(CLIQUE)] + [("Z0", "UZ"), ("Y", "U3"),
                                                              ("Z1", "U3", {"position": "外"})]
    rels(store, "WORKS_AT", "Person", "Unit", works)
    rels(store, "RELATED_TO", "Person", "Person",
         [(a, b, {"kind": "kin"}) for i, a in enumerate(CLIQUE) for b in CLIQUE[i + 1:]]
         + [("Z0", "K0", {"kind": "kin"}), ("X", "Y", {"kind": "spouse"}),
            ("D1W", "X", {"kind": "business"}), ("X", "Z1", {"kind": "kin"})])
    nodes(store, "Department", [{"code": "D1", "name": "富宁县某局", "region_code": "532628"}])
    rels(store, "WORKS_AT", "Person", "Department", [("D1W", "D1", {"position": "科长"})])
    nodes(store, "Round", [{"code": "R1", "name": "第一轮", "kind": "regular",
                            "start": date(2021, 3, 1), "region_code": "532600"},
                           {"code": "R2", "name": "回头看", "kind": "follow_up",
                            "start": date(2023, 3, 1), "region_code": "532600"}])
    nodes(store, "Group", [{"code": "G1", "region_code": "532600"},
                           {"code": "G2", "region_code": "532600"}])
    rels(store, "OF_ROUND", "Group", "Round", [("G1", "R1"), ("G2", "R2")])
    issues = [("I1", "U1", "G1", "民生"), ("I2", "U2", "G1", "民生"), ("I3", "U3", "G1", "作风"),
              ("IA", "U5", "G1", "民生"), ("IB", "U5", "G2", "民生"), ("IC", "U5", "G1", "作风")]
    nodes(store, "Issue", [{"no": n, "category": c, "region_code": WS} for n, _, _, c in issues])
    rels(store, "CONCERNS", "Issue", "Unit", [(n, u) for n, u, _, _ in issues])
    rels(store, "FOUND_BY", "Issue", "Group", [(n, g) for n, _, g, _ in issues])
    rels(store, "INVOLVES", "Issue", "Person", [("IA", "K5"), ("IB", "K5")])
    clues = [("C1", "I1", "M"), ("C2", "I2", "M"), ("C3", "I2", "M"), ("C4", "I3", "N"),
             ("C5", "I3", "N"), ("CT", "I3", "X")]
    nodes(store, "Clue", [{"no": c, "title": f"线索{c}", "region_code": WS} for c, _, _ in clues])
    rels(store, "FROM_ISSUE", "Clue", "Issue", [(c, i) for c, i, _ in clues])
    rels(store, "AGAINST", "Clue", "Person", [(c, p) for c, _, p in clues])
    nodes(store, "Transfer", [{"no": "CT/1", "region_code": WS}])
    rels(store, "TRANSFERRED", "Clue", "Transfer", [("CT", "CT/1")])
    rels(store, "TO", "Transfer", "Department", [("CT/1", "D1")])
    return store


def everything(store: Store, authz: Authz) -> str:
    """Every table of every analysis as one text, to look for what must not be there."""
    tables = store.read(lambda tx: [
        analysis.rank(tx, authz=authz, top=1000), analysis.communities(tx, authz=authz),
        analysis.multi_clue_people(tx, authz=authz, min_clues=1, min_units=0),
        analysis.ties(tx, authz=authz), analysis.recurrence(tx, authz=authz)])
    return json.dumps([t.to_json() for t in tables], ensure_ascii=False, default=str)


def test_the_planted_clique_ranks_first_and_forms_one_community(graph: Store) -> None:
    ranked = graph.read(lambda tx: analysis.rank(tx, authz=WENSHAN, labels=("Person",),
                                                 top=UNITS))
    assert {r["uid"] for r in ranked.rows} == set(CLIQUE)
    assert all(r["degree"] == UNITS for r in ranked.rows)
    assert all(r["betweenness"] > 0 for r in ranked.rows)
    found = graph.read(lambda tx: analysis.communities(tx, authz=WENSHAN))
    [home] = [c for c in found.rows if "K0" in c["uids"]]
    people = [u for u in home["uids"] if u in CLIQUE or u.startswith(("W", "M", "N", "X", "Y"))]
    assert sorted(people) == CLIQUE


def test_people_named_in_several_clues_across_units(graph: Store) -> None:
    table = graph.read(lambda tx: analysis.multi_clue_people(tx, authz=WENSHAN))
    assert [(r["uid"], r["clues"], r["units"]) for r in table.rows] == [("M", 3, 2)]
    one_unit = graph.read(lambda tx: analysis.multi_clue_people(tx, authz=WENSHAN,
                                                                min_units=1))
    assert [r["uid"] for r in one_unit.rows] == ["M", "N"]


def test_kin_and_business_ties_to_cadres_handling_the_clue(graph: Store) -> None:
    table = graph.read(lambda tx: analysis.ties(tx, authz=WENSHAN))
    assert [(r["clue_no"], r["person"], r["kind"], r["cadre"], r["place_label"], r["position"])
            for r in table.rows] == [("CT", "X", "business", "D1W", "Department", "科长"),
                                     ("CT", "X", "spouse", "Y", "Unit", None)]
    everyone = graph.read(lambda tx: analysis.ties(tx, authz=EVERYWHERE))
    assert "Z1" in [r["cadre"] for r in everyone.rows]


def test_recurrence_across_rounds_and_in_a_follow_up(graph: Store) -> None:
    table = graph.read(lambda tx: analysis.recurrence(tx, authz=WENSHAN))
    found = {(r["subject"], r["uid"] if r["subject"] == "person" else r["name"],
              r["category"], tuple(r["rounds"]), r["follow_up"]) for r in table.rows}
    assert found == {("unit", "单位5", "民生", ("第一轮", "回头看"), True),
                     ("person", "K5", None, ("第一轮", "回头看"), True)}


def test_nothing_outside_the_region_appears_in_any_analysis(graph: Store) -> None:
    scoped = everything(graph, WENSHAN)
    assert "Z0" not in scoped and "Z1" not in scoped and "昭通" not in scoped
    assert "昭通" in everything(graph, EVERYWHERE)
    with pytest.raises(NotFound):
        graph.read(lambda tx: analysis.rank(tx, authz=Authz(Actor("联", role="liaison",
                                                                   department="D1"))))


def test_tables_export_to_csv_and_xlsx_with_formulas_neutralised(graph: Store,
                                                                 tmp_path: Path) -> None:
    table = graph.read(lambda tx: analysis.rank(tx, authz=EVERYWHERE, labels=("Person",),
                                                top=1000))
    written = table.write(tmp_path / "rank.csv")
    with written.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(table.rows) and "'=昭通人" in [r["name"] for r in rows]
    book = load_workbook(table.write(tmp_path / "rank.xlsx"))
    names = [c.value for c in book.active["C"]][1:]
    assert "'=昭通人" in names and "=昭通人" not in names
