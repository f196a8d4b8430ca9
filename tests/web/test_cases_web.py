"""Cases on pages: the outcome recorded from the clue's trace, a case of another origin filed
with its department and people picked by name."""

from __future__ import annotations

from flask import Flask
from web.client import signed

from collab.graph.sqlite_engine import SqliteStore


def test_the_liaison_records_a_cases_outcome_from_the_trace(fresh_app: Flask,
                                                            fresh: SqliteStore) -> None:
    liaison = signed(fresh_app, "liaison")
    page = liaison.get("/clues/XS-2023-0001/trace").text
    assert 'data-outcome="WS-CASE-0001"' in page
    done = liaison.http.post("/cases/WS-CASE-0001/outcome", data={
        "csrf_token": liaison.token, "clue": "XS-2023-0001", "sanctions": ["党纪处分", "组织处理"],
        "party_grade": "严重警告", "funds_recovered": "3000", "closed_on": "2024-01-10"})
    assert done.status_code == 302 and done.location.endswith("/clues/XS-2023-0001/trace")
    case = fresh.get("Case", "WS-CASE-0001")
    assert case.get("sanctions") == ["党纪处分", "组织处理"]
    assert case.get("party_sanction") == "严重警告"
    coord = signed(fresh_app, "coord")  # a coordinator reads the trace, records nothing
    assert 'data-outcome=' not in coord.get("/clues/XS-2023-0001/trace").text
    assert coord.post("/cases/WS-CASE-0001/outcome", {"sanctions": "政务处分"}).status_code \
        == 404
    assert signed(fresh_app, "liaison2").post("/cases/WS-CASE-0001/outcome", {
        "sanctions": "政务处分"}).status_code == 404
    assert fresh.get("Case", "WS-CASE-0001").get("sanctions") == ["党纪处分", "组织处理"]


def test_a_case_of_another_origin_is_filed_with_its_department_picked(
        fresh_app: Flask, fresh: SqliteStore) -> None:
    liaison = signed(fresh_app, "liaison")
    assert 'id="case-form"' in liaison.get("/cases/new").text
    filed = liaison.post("/cases/new", {"no": "XF-2024-0001", "title": "信访反映村干部问题",
                                        "department": "富宁县纪委监委", "origin": "petition",
                                        "filed_on": "2024-02-01", "subject_1": "张三"})
    assert filed.status_code == 302
    case = fresh.get("Case", "XF-2024-0001")
    assert case is not None and case.get("origin") == "petition"
    foreign = liaison.post("/cases/new", {"no": "XF-2024-0002", "title": "x",
                                          "department": "昭通市纪委监委", "origin": "petition",
                                          "filed_on": "2024-02-01", "subject_1": "张三"})
    assert foreign.status_code == 400 and 'data-error-for="department"' in foreign.text
    assert fresh.get("Case", "XF-2024-0002") is None
    assert signed(fresh_app, "lead").get("/cases/new").status_code == 404
