"""Every figure on a small hand-built graph whose answers are worked out by hand, on both engines,
and property tests of the conversion rate against the same count done in Python."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collab.access.actors import Actor
from collab.analysis import figures as fig
from collab.cases import case_files, clues
from collab.errors import NotFound, ValidationError
from collab.graph.store import Store

A = Actor("王协调")
END_2023, END_2024 = date(2023, 12, 31), date(2024, 12, 31)


def _regions(store: Store) -> None:
    store.upsert_nodes("Region", [
        {"code": "530000", "name": "云南省", "level": "province"},
        {"code": "530600", "name": "昭通市", "level": "prefecture"},
        {"code": "530602", "name": "昭阳区", "level": "county"},
        {"code": "530621", "name": "鲁甸县", "level": "county"},
        {"code": "532600", "name": "文山壮族苗族自治州", "level": "prefecture"},
        {"code": "532628", "name": "富宁县", "level": "county"}])
    store.upsert_nodes("Department", [
        {"code": "D-JW", "name": "鲁甸县纪委监委", "region_code": "530621"},
        {"code": "D-ZZB", "name": "昭通市委组织部", "region_code": "530600"},
        {"code": "D-SJ", "name": "昭通市审计局", "region_code": "530600"}])


def _inspection(store: Store) -> None:
    store.upsert_nodes("Round", [
        {"code": "R1", "name": "五届市委第三轮巡察", "start": date(2023, 3, 1),
         "end": date(2023, 5, 31), "region_code": "530600"},
        {"code": "R2", "name": "十届州委第九轮巡察", "start": date(2022, 9, 1),
         "end": date(2022, 11, 30), "region_code": "532600"}])
    store.upsert_nodes("Group", [{"code": "G1", "name": "市委第一巡察组"},
                                 {"code": "G2", "name": "州委第二巡察组"}])
    store.upsert_rels("OF_ROUND", [{"src": "G1", "dst": "R1"}, {"src": "G2", "dst": "R2"}],
                      src="Group", dst="Round")
    store.upsert_nodes("Unit", [
        {"code": "U1", "name": "中共鲁甸县某镇委员会", "kind": "township_committee",
         "region_code": "530621001"},
        {"code": "U2", "name": "某村党总支", "kind": "village_branch",
         "region_code": "530621001201"},
        {"code": "U3", "name": "富宁县某村党支部", "kind": "village_branch",
         "region_code": "532628107201"}])
    store.upsert_rels("INSPECTS", [{"src": "G1", "dst": "U1"}, {"src": "G1", "dst": "U2"},
                                   {"src": "G2", "dst": "U3"}], src="Group", dst="Unit")
    store.upsert_nodes("Issue", [
        {"no": "I1", "title": "低保资金被挪用", "found_on": date(2023, 3, 5),
         "region_code": "530621001", "category": "民生保障", "masses_problem": True,
         "solved": True},
        {"no": "I2", "title": "公车私用", "found_on": date(2023, 5, 1),
         "region_code": "530602", "category": "作风", "masses_problem": True},
        {"no": "I3", "title": "养老金未发放", "found_on": date(2022, 11, 1),
         "region_code": "532628107"}])
    store.upsert_rels("FOUND_BY", [{"src": "I1", "dst": "G1"}, {"src": "I2", "dst": "G1"},
                                   {"src": "I3", "dst": "G2"}], src="Issue", dst="Group")
    store.upsert_rels("FOUND_WITH", [{"src": "I1", "dst": "D-SJ"}], src="Issue",
                      dst="Department")
    store.upsert_nodes("Support", [
        {"no": "S1", "kind": "briefing", "on": date(2023, 2, 1), "region_code": "530600"},
        {"no": "S2", "kind": "consultation", "on": date(2023, 4, 1), "region_code": "530600"},
        {"no": "S3", "kind": "consultation", "on": date(2022, 5, 1), "region_code": "530600"}])
    store.upsert_rels("PROVIDED", [{"src": "D-SJ", "dst": "S1"}, {"src": "D-SJ", "dst": "S2"},
                                   {"src": "D-ZZB", "dst": "S3"}], src="Department",
                      dst="Support")
    store.upsert_rels("FOR", [{"src": "S1", "dst": "R1"}], src="Support", dst="Round")


def _tasks(store: Store) -> None:
    d = date
    store.upsert_nodes("Rectification", [
        {"no": "T1", "deadline": d(2023, 6, 30), "status": "verified", "done_on": d(2023, 6, 20),
         "region_code": "530621"},
        {"no": "T2", "deadline": d(2023, 6, 30), "status": "done", "done_on": d(2023, 7, 10),
         "region_code": "530621"},
        {"no": "T3", "deadline": d(2023, 9, 30), "status": "in_progress",
         "region_code": "530621"},
        {"no": "T4", "deadline": d(2024, 3, 31), "status": "open", "region_code": "530621"},
        {"no": "T5", "deadline": d(2023, 10, 31), "status": "reopened", "reopened": 1,
         "done_on": d(2023, 10, 1), "region_code": "530602"}])
    store.upsert_rels("HAS_TASK", [{"src": "I1", "dst": t} for t in ("T1", "T2", "T3")],
                      src="Issue", dst="Rectification")


def _clue(store: Store, no: str, on: date, region: str, category: str | None,
          issue: str | None) -> None:
    store.write(lambda tx: clues.register(tx, actor=A, no=no, title="线索" + no, on=on,
                                          region_code=region, category=category,
                                          issue_no=issue))


def _do(store: Store, fn, **kw) -> None:  # noqa: ANN001 - a service function
    store.write(lambda tx: fn(tx, actor=A, **kw))


def _send(store: Store, no: str, to: str, on: date) -> str:
    return store.write(lambda tx: clues.transfer(tx, actor=A, clue=no, to=to, on=on,
                                                 letter_no="昭巡移〔2023〕号")).key


def build(store: Store) -> Store:
    """The hand-built graph; the figures each test expects are worked out in its comments."""
    _regions(store)
    _inspection(store)
    _tasks(store)
    d = date
    _clue(store, "C1", d(2023, 3, 8), "530621001", "民生保障", "I1")
    jw, zzb = _send(store, "C1", "D-JW", d(2023, 3, 10)), _send(store, "C1", "D-ZZB",
                                                                 d(2023, 3, 12))
    _do(store, clues.accept, transfer_no=jw, on=d(2023, 3, 15))
    _do(store, clues.dispose, transfer_no=jw, disposal="verification", on=d(2023, 3, 20))
    _do(store, clues.file_case, transfer_no=jw, case_no="K1", on=d(2023, 4, 1))
    _do(store, case_files.record_outcome, case_no="K1", sanctions=["党纪处分"],
        party_grade="严重警告", funds_recovered=50000.0, closed_on=d(2023, 10, 1))
    _do(store, clues.accept, transfer_no=zzb, on=d(2023, 3, 14))
    _do(store, clues.dispose, transfer_no=zzb, disposal="closed", on=d(2023, 3, 30))
    _clue(store, "C2", d(2023, 5, 20), "530602", "作风", "I2")
    t = _send(store, "C2", "D-JW", d(2023, 6, 1))
    _do(store, clues.accept, transfer_no=t, on=d(2023, 6, 5))
    _do(store, clues.dispose, transfer_no=t, disposal="inquiry", on=d(2023, 6, 10))
    _do(store, clues.file_case, transfer_no=t, case_no="K2", on=d(2024, 2, 1))
    _clue(store, "C3", d(2023, 6, 20), "530621", "民生保障", "I1")
    t = _send(store, "C3", "D-JW", d(2023, 7, 1))
    _do(store, clues.accept, transfer_no=t, on=d(2023, 7, 3))
    _do(store, clues.dispose, transfer_no=t, disposal="closed", on=d(2023, 7, 10))
    _clue(store, "C4", d(2022, 12, 1), "532628107", None, "I3")
    _send(store, "C4", "D-JW", d(2022, 12, 20))
    _clue(store, "C5", d(2023, 8, 1), "530621", None, None)
    _clue(store, "C6", d(2023, 8, 20), "530621", "作风", "I2")
    t = _send(store, "C6", "D-ZZB", d(2023, 9, 1))
    _do(store, clues.return_transfer, transfer_no=t, on=d(2023, 9, 5), reason="不属管辖")
    _do(store, case_files.file_other_case, no="K3", department="D-JW", filed_on=d(2023, 5, 1),
        origin="petition", title="信访案件")
    _do(store, case_files.record_outcome, case_no="K3", funds_recovered=20000.5)
    return store


@pytest.fixture
def graph(store: Store) -> Store:
    return build(store)


def scope(**kw) -> fig.Scope:  # noqa: ANN003
    kw.setdefault("start", date(2023, 1, 1))
    kw.setdefault("end", END_2023)
    kw.setdefault("as_of", END_2023)
    return fig.Scope(**kw)


def counts(rows: list[dict]) -> list[tuple]:
    return [(r["group"], r["transferred"], r["converted"], r["settled"], r["rate"],
             r["settled_rate"]) for r in rows]


def test_conversion_overall_as_of_two_dates(graph: Store) -> None:
    # C1 (first sent 03-10, two departments), C2, C3 are transferred in 2023; C4 in 2022; C6
    # was returned. By 2023-12-31 only C1 became a case (K1); C3 was closed.
    assert counts(fig.conversion(graph, scope=scope())) == [("all", 3, 1, 2, 0.3333, 0.5)]
    # C2's case, filed 2024-02-01, counts once the as-of date has passed it.
    assert counts(fig.conversion(graph, scope=scope(as_of=END_2024))) == [
        ("all", 3, 2, 3, 0.6667, 0.6667)]
    # Before C6 was returned (09-05), it counted as transferred.
    assert counts(fig.conversion(graph, scope=scope(as_of=date(2023, 9, 3)))) == [
        ("all", 4, 1, 2, 0.25, 0.5)]


def test_conversion_over_zero_clues_is_empty_not_zero(graph: Store) -> None:
    rows = fig.conversion(graph, scope=scope(region="532600"))
    assert counts(rows) == [("all", 0, 0, 0, None, None)]
    assert counts(fig.conversion(graph, scope=scope(region="532600"), by="department")) == []


def test_conversion_by_department_counts_each_departments_own_cases(graph: Store) -> None:
    # D-ZZB received C1 but the case was filed by D-JW: 0 of 1 for it; C6 was returned.
    rows = fig.conversion(graph, scope=scope(), by="department")
    assert counts(rows) == [("D-JW", 3, 1, 2, 0.3333, 0.5), ("D-ZZB", 1, 0, 1, 0.0, 0.0)]
    assert [r["name"] for r in rows] == ["鲁甸县纪委监委", "昭通市委组织部"]
    only = fig.conversion(graph, scope=scope(department="D-ZZB"))
    assert counts(only) == [("all", 1, 0, 1, 0.0, 0.0)]


def test_conversion_by_region_round_and_category(graph: Store) -> None:
    by_region = fig.conversion(graph, scope=scope(), by="region")
    assert counts(by_region) == [("5306", 3, 1, 2, 0.3333, 0.5)]
    assert by_region[0]["name"] == "昭通市"
    in_zhaotong = fig.conversion(graph, scope=scope(region="530600"), by="region")
    assert counts(in_zhaotong) == [("530602", 1, 0, 0, 0.0, None),
                                   ("530621", 2, 1, 2, 0.5, 0.5)]
    assert [r["name"] for r in in_zhaotong] == ["昭阳区", "鲁甸县"]
    assert counts(fig.conversion(graph, scope=scope(region="530621"))) == [
        ("all", 2, 1, 2, 0.5, 0.5)]
    assert counts(fig.conversion(graph, scope=scope(), by="round")) == [
        ("R1", 3, 1, 2, 0.3333, 0.5)]
    assert counts(fig.conversion(graph, scope=scope(), by="category")) == [
        ("作风", 1, 0, 0, 0.0, None), ("民生保障", 2, 1, 2, 0.5, 0.5)]
    assert counts(fig.conversion(graph, scope=scope(category="作风"))) == [
        ("all", 1, 0, 0, 0.0, None)]
    assert counts(fig.conversion(graph, scope=scope(round="R2"))) == [
        ("all", 0, 0, 0, None, None)]


def test_contribution_rate_with_cases_of_other_origins(graph: Store) -> None:
    # D-JW filed K1 (from C1) and K3 (a petition) in 2023; K2 (from C2) in 2024.
    rows = fig.contribution(graph, scope=scope())
    assert [(r["department"], r["cases"], r["from_inspection"], r["rate"]) for r in rows] == [
        ("D-JW", 2, 1, 0.5)]
    wide = fig.contribution(graph, scope=scope(end=END_2024, as_of=END_2024))
    assert [(r["cases"], r["from_inspection"], r["rate"]) for r in wide] == [(3, 2, 0.6667)]
    assert fig.contribution(graph, scope=scope(department="D-ZZB")) == [
        {"department": "D-ZZB", "name": "昭通市委组织部", "cases": 0, "from_inspection": 0,
         "rate": None}]
    with pytest.raises(ValidationError, match="not a round"):
        fig.contribution(graph, scope=scope(round="R1"))


def nearest_rank(values: list[int], p: float) -> int | None:
    """The k-th smallest value, k = ceil(p * n) (at least 1), computed independently."""
    ordered = sorted(values)
    if not ordered:
        return None
    k = max(1, -(-int(p * 100) * len(ordered) // 100))
    return ordered[k - 1]


def test_lead_times_median_and_p90(graph: Store) -> None:
    d = date
    accept = [(d(2023, 3, 15) - d(2023, 3, 10)).days, (d(2023, 3, 14) - d(2023, 3, 12)).days,
              (d(2023, 6, 5) - d(2023, 6, 1)).days, (d(2023, 7, 3) - d(2023, 7, 1)).days]
    case = [(d(2023, 4, 1) - d(2023, 3, 10)).days, (d(2024, 2, 1) - d(2023, 6, 1)).days]
    got = fig.lead_times(graph, scope=scope(as_of=END_2024))
    assert got == {"accept": {"n": 4, "median": nearest_rank(accept, 0.5),
                              "p90": nearest_rank(accept, 0.9)},
                   "case": {"n": 2, "median": nearest_rank(case, 0.5),
                            "p90": nearest_rank(case, 0.9)}}
    assert got["case"] == {"n": 2, "median": 22, "p90": 245}
    assert fig.lead_times(graph, scope=scope(region="532600")) == {
        "accept": {"n": 0, "median": None, "p90": None},
        "case": {"n": 0, "median": None, "p90": None}}


def test_funnel(graph: Store) -> None:
    # Transfers in 2023: C1→JW, C1→ZZB, C2→JW, C3→JW, C6→ZZB (returned, never accepted).
    assert fig.funnel(graph, scope=scope()) == {"transferred": 5, "accepted": 4, "disposed": 4,
                                                "filed": 1, "concluded": 1}
    assert fig.funnel(graph, scope=scope(as_of=END_2024)) == {
        "transferred": 5, "accepted": 4, "disposed": 4, "filed": 2, "concluded": 1}


def test_rectification_figures(graph: Store) -> None:
    # Due by 2023-12-31: T1 (verified on time), T2 (done late), T3 (overdue 92 days),
    # T5 (reopened, overdue 61 days); T4 falls due in 2024.
    assert fig.rectification(graph, scope=scope()) == {
        "due": 4, "done": 2, "on_time": 1, "overdue": 2, "reopened": 1,
        "completion_rate": 0.5, "on_time_rate": 0.5, "reopen_rate": 0.25,
        "oldest_overdue_days": 92, "mean_overdue_days": 76.5}
    assert fig.rectification(graph, scope=scope(round="R1"))["due"] == 3
    assert fig.rectification(graph, scope=scope(region="530602"))["overdue"] == 1
    assert fig.rectification(graph, scope=scope(as_of=date(2023, 7, 1)))["done"] == 1


def test_summary_of_a_region_subtree(graph: Store) -> None:
    got = fig.summary(graph, scope=fig.resolve_scope(graph, region="昭通市", period="2023",
                                                     as_of=END_2023))
    expected = {"issues": 2, "clues": 5, "clues_transferred": 3, "cases_from_clues": 1,
                "conversion_rate": 0.3333, "support_acts": 2, "consultations": 1,
                "units_inspected": 2, "villages_inspected": 1, "problems_solved": 1,
                "funds_recovered_yuan": 70000.5, "rectifications_due": 4,
                "rectifications_done": 2, "overdue": 2}
    assert {k: got[k] for k in expected} == expected
    assert got["scope"]["region"] == "530600" and got["scope"]["from"] == "2023-01-01"
    empty = fig.summary(graph, scope=scope(region="530100"))
    assert empty["conversion_rate"] is None and empty["issues"] == 0
    assert empty["funds_recovered_yuan"] == 0.0


def test_collaborator_contribution(graph: Store) -> None:
    got = fig.collaborator(graph, scope=scope(), department="昭通市审计局")
    assert got == {"department": "D-SJ", "support": {"briefing": 1, "consultation": 1},
                   "support_acts": 2, "issues_found_with": 1, "clues": 2, "cases": 1,
                   "scope_clues": 4, "scope_cases": 1, "clue_share": 0.5, "case_share": 1.0}


def test_drill_down_lists_what_each_count_counted(graph: Store) -> None:
    s = scope()
    assert [r["clue_no"] for r in fig.drill_down(graph, scope=s, figure="clues_transferred")] \
        == ["C1", "C2", "C3"]
    assert [r["clue_no"] for r in fig.drill_down(graph, scope=s, figure="cases_from_clues")] \
        == ["C1"]
    assert [r["no"] for r in fig.drill_down(graph, scope=s, figure="overdue")] == ["T3", "T5"]
    assert [r["no"] for r in fig.drill_down(graph, scope=s, figure="consultations")] == ["S2"]
    assert [r["code"] for r in fig.drill_down(graph, scope=s, figure="villages_inspected")] \
        == ["U2"]
    per_dept = fig.drill_down(graph, scope=s, figure="clues_transferred", by_department=True)
    assert [(r["clue_no"], r["dept"], r["converted"]) for r in per_dept] == [
        ("C1", "D-JW", True), ("C1", "D-ZZB", False), ("C2", "D-JW", False),
        ("C3", "D-JW", False)]
    with pytest.raises(ValidationError, match="no list behind"):
        fig.drill_down(graph, scope=s, figure="nonsense")


def test_scope_from_names_and_periods(graph: Store) -> None:
    s = fig.resolve_scope(graph, region="530621", round="五届市委第三轮巡察",
                          department="鲁甸县纪委监委", period="2022..2023-06-30")
    assert (s.region, s.round, s.department) == ("530621", "R1", "D-JW")
    assert (s.start, s.end) == (date(2022, 1, 1), date(2023, 6, 30))
    with pytest.raises(NotFound):
        fig.resolve_scope(graph, region="不存在市")
    with pytest.raises(ValidationError, match="period"):
        fig.parse_period("2023/01")
    with pytest.raises(ValidationError, match="ends before"):
        fig.parse_period("2024..2023")


# --- properties: the rate against the same count done in Python --------------------------

_REGION = itertools.count(100)
_DAY0 = date(2023, 1, 1)
TRANSFERS = st.lists(st.tuples(st.sampled_from(["D-JW", "D-ZZB"]), st.integers(0, 400),
                               st.one_of(st.none(), st.integers(0, 60))), max_size=2)
CLUES = st.lists(st.tuples(TRANSFERS, st.one_of(st.none(), st.integers(0, 400))), max_size=6)


def _expected(data: list, start: date, end: date, as_of: date) -> tuple[int, int]:
    transferred = converted = 0
    for transfers, case_day in data:
        live = [_DAY0 + timedelta(at) for dept, at, back in transfers
                if _DAY0 + timedelta(at) <= as_of
                and not (back is not None and _DAY0 + timedelta(at + back) <= as_of)]
        if live and start <= min(live) <= end:
            transferred += 1
            converted += case_day is not None and _DAY0 + timedelta(case_day) <= as_of
    return transferred, converted


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(CLUES, st.integers(0, 500), st.integers(0, 200), st.integers(0, 300))
def test_conversion_rate_equals_the_same_count_in_python(
        store: Store, data: list, as_of_day: int, from_day: int, length: int) -> None:
    region = f"53{next(_REGION):04d}"
    store.upsert_nodes("Department", [{"code": "D-JW"}, {"code": "D-ZZB"}])
    for i, (transfers, case_day) in enumerate(data):
        no = f"{region}-C{i}"
        store.upsert_nodes("Clue", [{"no": no, "region_code": region}])
        for j, (dept, at, back) in enumerate(transfers):
            row = {"no": f"{no}/{j}", "at": _DAY0 + timedelta(at)}
            if back is not None:
                row.update(status="returned", status_on=_DAY0 + timedelta(at + back))
            store.upsert_nodes("Transfer", [row])
            store.upsert_rels("TRANSFERRED", [{"src": no, "dst": row["no"]}], src="Clue",
                              dst="Transfer")
            store.upsert_rels("TO", [{"src": row["no"], "dst": dept}], src="Transfer",
                              dst="Department")
        if case_day is not None:
            store.upsert_nodes("Case", [{"no": no + "-K",
                                         "filed_on": _DAY0 + timedelta(case_day)}])
            store.upsert_rels("BECAME", [{"src": no, "dst": no + "-K"}], src="Clue", dst="Case")
    start = _DAY0 + timedelta(from_day)
    s = fig.Scope(region=region, start=start, end=start + timedelta(length),
                  as_of=_DAY0 + timedelta(as_of_day))
    [row] = fig.conversion(store, scope=s)
    transferred, converted = _expected(data, s.start, s.end, s.as_of)
    assert (row["transferred"], row["converted"]) == (transferred, converted)
    if transferred:
        assert 0 <= row["rate"] <= 1 and row["rate"] == round(converted / transferred, 4)
    else:
        assert row["rate"] is None


def test_transfers_imported_at_a_final_status_without_dates(store: Store) -> None:
    """A ledger row gives the status but no disposal or feedback date: the loop is closed."""
    store.upsert_nodes("Department", [{"code": "D-JW", "name": "纪委监委"}])
    store.upsert_nodes("Clue", [{"no": "C9", "region_code": "530621", "status": "closed"}])
    store.upsert_nodes("Transfer", [{"no": "C9/1", "at": date(2023, 4, 1), "status": "closed",
                                     "received_on": date(2023, 4, 3)}])
    store.upsert_rels("TRANSFERRED", [{"src": "C9", "dst": "C9/1"}], src="Clue", dst="Transfer")
    store.upsert_rels("TO", [{"src": "C9/1", "dst": "D-JW"}], src="Transfer", dst="Department")
    assert fig.funnel(store, scope=scope()) == {"transferred": 1, "accepted": 1, "disposed": 1,
                                                "filed": 0, "concluded": 0}
    assert clues.awaiting(store, as_of=END_2023) == []
    assert counts(fig.conversion(store, scope=scope())) == [("all", 1, 0, 1, 0.0, 0.0)]
