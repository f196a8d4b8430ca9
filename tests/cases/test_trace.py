"""The trace of a clue, forward and reverse, on both engines."""

from __future__ import annotations

from datetime import date

import pytest

from collab.access.actors import Actor
from collab.cases import case_files, clues, trace
from collab.errors import NotFound, ValidationError
from collab.graph.store import Store

A, L = Actor("王协调"), Actor("李联络", role="liaison")
D = date(2023, 10, 20)


@pytest.fixture
def chain(store: Store) -> Store:
    """Round → group → unit → issue → clue (two transfers) → case with an outcome."""
    store.upsert_nodes("Round", [{"code": "R1", "name": "十届州委第十轮巡察"}])
    store.upsert_nodes("Group", [{"code": "G1", "name": "州委第一巡察组"}])
    store.upsert_nodes("Unit", [{"code": "U1", "name": "中共富宁县那能乡委员会"}])
    store.upsert_nodes("Department", [{"code": "D-JW", "name": "富宁县纪委监委"},
                                      {"code": "D-RS", "name": "富宁县人社局"}])
    store.upsert_nodes("Person", [{"uid": "P-1", "name": "张三",
                                   "id_masked": "530102********1234", "id_hash": "h"}])
    store.upsert_nodes("Issue", [{"no": "WT-1", "title": "66名老年人未领取养老金"}])
    store.upsert_rels("OF_ROUND", [{"src": "G1", "dst": "R1"}], src="Group", dst="Round")
    store.upsert_rels("FOUND_BY", [{"src": "WT-1", "dst": "G1"}], src="Issue", dst="Group")
    store.upsert_rels("CONCERNS", [{"src": "WT-1", "dst": "U1"}], src="Issue", dst="Unit")
    store.upsert_rels("FOUND_WITH", [{"src": "WT-1", "dst": "D-RS"}], src="Issue",
                      dst="Department")

    def work(tx: Store) -> None:
        clues.register(tx, actor=A, no="XS-1", title="乡村干部未跟进", on=D,
                       region_code="532628107", issue_no="WT-1", against=["P-1"])
        jw = clues.transfer(tx, actor=A, clue="XS-1", to="D-JW", on=D, letter_no="移〔1〕")
        clues.transfer(tx, actor=A, clue="XS-1", to="D-RS", on=D, letter_no="移〔2〕")
        clues.accept(tx, actor=L, transfer_no=jw.key, on=date(2023, 10, 22))
        clues.dispose(tx, actor=L, transfer_no=jw.key, disposal="verification",
                      on=date(2023, 10, 25), reason="初核属实")
        clues.file_case(tx, actor=L, transfer_no=jw.key, case_no="AJ-1", on=date(2023, 11, 1))
        case_files.record_outcome(tx, actor=L, case_no="AJ-1", sanctions=["党纪处分"],
                                  party_grade="警告", funds_recovered=8800.0,
                                  closed_on=date(2024, 1, 5))
    store.write(work)
    return store


def test_the_whole_chain_of_a_clue(chain: Store) -> None:
    got = trace.trace(chain, clue_no="XS-1")
    assert got["clue"]["status"] == "case_filed"
    [issue] = got["issues"]
    assert issue["title"] == "66名老年人未领取养老金" and issue["found_with"] == ["富宁县人社局"]
    assert issue["units"][0]["name"] == "中共富宁县那能乡委员会"
    assert issue["groups"][0]["rounds"][0]["name"] == "十届州委第十轮巡察"
    assert got["against"] == [{"uid": "P-1", "name": "张三", "id_masked": "530102********1234"}]
    assert [(t["no"], t["to"], t["status"]) for t in got["transfers"]] == [
        ("XS-1/1", ["富宁县纪委监委"], "case_filed"), ("XS-1/2", ["富宁县人社局"], "transferred")]
    steps = got["transfers"][0]["steps"]
    assert [(s["to"], s["actor"]) for s in steps] == [
        ("transferred", "王协调"), ("accepted", "李联络"), ("verification", "李联络"),
        ("case_filed", "李联络")]
    assert steps[2]["reason"] == "初核属实" and steps[2]["on"] == date(2023, 10, 25)
    [case] = got["cases"]
    assert case["no"] == "AJ-1" and case["filed_by"] == ["富宁县纪委监委"]
    assert case["sanctions"] == ["党纪处分"] and case["party_sanction"] == "警告"
    assert case["funds_recovered"] == 8800.0 and case["closed_on"] == date(2024, 1, 5)
    assert case["subjects"][0]["name"] == "张三"
    assert [s["to"] for s in got["steps"]][-1] == "case_filed"
    with pytest.raises(NotFound):
        trace.trace(chain, clue_no="XS-404")


def test_reverse_trace_from_a_person_and_a_unit(chain: Store) -> None:
    person = trace.touching(chain, person="P-1")
    assert person["subject"]["name"] == "张三" and "id_hash" not in person["subject"]
    assert [(c["no"], c["cases"]) for c in person["clues"]] == [("XS-1", ["AJ-1"])]
    assert person["cases"] == ["AJ-1"]
    unit = trace.touching(chain, unit="U1")
    assert [c["no"] for c in unit["clues"]] == ["XS-1"] and unit["cases"] == ["AJ-1"]
    with pytest.raises(ValidationError):
        trace.touching(chain)
    with pytest.raises(NotFound):
        trace.touching(chain, unit="U-404")
