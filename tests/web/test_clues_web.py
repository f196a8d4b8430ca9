"""The clue trace page: the chain from issue to case, cut to what the reader may see."""

from __future__ import annotations

from datetime import date

from flask import Flask
from web.client import Client

from collab.graph.sqlite_engine import SqliteStore


def second_transfer(store: SqliteStore) -> None:
    """The same clue also went to the organisation department."""
    store.upsert_nodes("Transfer", [{"no": "XS-2023-0001/2", "clue_no": "XS-2023-0001",
                                     "department_code": "D532600-ZZB", "at": date(2023, 11, 2),
                                     "status": "transferred", "region_code": "532628107"}])
    store.upsert_rels("TRANSFERRED", [{"src": "XS-2023-0001", "dst": "XS-2023-0001/2"}],
                      src="Clue", dst="Transfer")
    store.upsert_rels("TO", [{"src": "XS-2023-0001/2", "dst": "D532600-ZZB"}],
                      src="Transfer", dst="Department")


def test_the_trace_runs_from_issue_to_case(fresh_app: Flask, fresh: SqliteStore) -> None:
    second_transfer(fresh)
    coord = Client(fresh_app)
    coord.sign_in("coord")
    page = coord.get("/clues/XS-2023-0001/trace")
    assert page.status_code == 200
    for text in ("66名老年人未领取养老金", "XS-2023-0001/1", "XS-2023-0001/2", "WS-CASE-0001",
                 "富宁县某村干部失职案"):
        assert text in page.text
    assert page.text.index('data-step="issue"') < page.text.index('data-step="clue"') \
        < page.text.index('data-step="transfer"') < page.text.index('data-step="case"')
    assert 'id="trace-link"' in coord.get("/browse/Clue/XS-2023-0001").text


def test_a_liaison_sees_only_its_own_transfer(fresh_app: Flask, fresh: SqliteStore) -> None:
    second_transfer(fresh)
    liaison = Client(fresh_app)
    liaison.sign_in("liaison")
    chain = liaison.get("/clues/XS-2023-0001/trace.json").get_json()
    assert [t["no"] for t in chain["transfers"]] == ["XS-2023-0001/1"]
    assert [c["no"] for c in chain["cases"]] == ["WS-CASE-0001"]
    assert liaison.get("/clues/WS-2023-0002/trace").status_code == 404


def test_the_trace_is_scoped_masked_and_audited(fresh_app: Flask, fresh: SqliteStore) -> None:
    fresh.upsert_nodes("Person", [{"uid": "P-SYN-0001", "id_masked": "532628********123X"}])
    zt, lead = Client(fresh_app), Client(fresh_app)
    zt.sign_in("zt")
    lead.sign_in("lead")
    assert zt.get("/clues/XS-2023-0001/trace").status_code == 404
    assert zt.get("/clues/XS-2023-0001/trace.json").get_json()["error"]
    page = lead.get("/clues/XS-2023-0001/trace")
    assert "532628********123X" in page.text and "53262819800101123X" not in page.text
    records = fresh.find("AuditRecord", where={"object_key": "XS-2023-0001"},
                         order_by="seq").items
    assert [(r.get("user"), r.get("outcome")) for r in records] == [
        ("zt", "not_found"), ("zt", "not_found"), ("lead", "ok")]


def test_transfer_accept_dispose_and_file_a_case(fresh_app: Flask, fresh: SqliteStore) -> None:
    coord, liaison = Client(fresh_app), Client(fresh_app)
    coord.sign_in("coord")
    liaison.sign_in("liaison")
    assert liaison.get("/clues/WS-2023-0002/trace").status_code == 404
    sent = coord.post("/clues/WS-2023-0002/transfer", {"department": "D532628-JW",
                                                       "letter_no": "文巡移〔2023〕9号",
                                                       "on": "2023-11-01"})
    assert sent.status_code == 302
    assert fresh.get("Transfer", "WS-2023-0002/2").get("department_code") == "D532628-JW"
    page = liaison.get("/clues/WS-2023-0002/trace")
    assert page.status_code == 200 and "WS-2023-0002/1" not in page.text
    base = "/clues/transfers/WS-2023-0002/2/"
    early = liaison.post(base + "file_case", {"on": "2023-11-02", "case_no": "AJ-WEB-1"})
    assert early.status_code == 302 and fresh.get("Case", "AJ-WEB-1") is None
    liaison.post(base + "accept", {"on": "2023-11-03"})
    liaison.post(base + "dispose", {"on": "2023-11-10", "disposal": "verification"})
    liaison.post(base + "file_case", {"on": "2023-12-01", "case_no": "AJ-WEB-1"})
    assert fresh.get("Case", "AJ-WEB-1") is not None
    assert fresh.get("Clue", "WS-2023-0002").get("status") == "case_filed"
    outcomes = [(r.get("event"), r.get("outcome")) for r in fresh.find(
        "AuditRecord", where={"kind": "change"}, order_by="seq").items]
    assert outcomes == [("clue.transfer", "ok"), ("transfer.file_case", "refused"),
                        ("transfer.accept", "ok"), ("transfer.dispose", "ok"),
                        ("transfer.file_case", "ok")]


def test_workflow_steps_obey_scope_and_role(fresh_app: Flask, fresh: SqliteStore) -> None:
    coord, zt, liaison = Client(fresh_app), Client(fresh_app), Client(fresh_app)
    coord.sign_in("coord")
    zt.sign_in("zt")
    liaison.sign_in("liaison")
    form = {"department": "D530600-JW", "letter_no": "x", "on": "2023-11-01"}
    foreign = coord.post("/clues/WS-2023-0002/transfer", form)  # a department out of reach
    assert foreign.status_code == 400 and 'data-error-for="department"' in foreign.text
    assert 'value="D530600-JW"' in foreign.text  # what was typed is kept
    assert zt.post("/clues/WS-2023-0002/transfer", form).status_code == 404
    assert liaison.post("/clues/XS-2023-0001/transfer",
                        {**form, "department": "D532628-JW"}).status_code == 404
    assert liaison.post("/clues/transfers/WS-2023-0002/1/accept",
                        {"on": "2023-11-03"}).status_code == 404
    assert coord.post("/clues/transfers/XS-2023-0001/1/accept",
                      {"on": "2023-11-03"}).status_code == 404
    assert fresh.count("Transfer") == 3
    assert fresh.get("Transfer", "WS-2023-0002/1").get("status") == "transferred"
