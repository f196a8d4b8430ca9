"""Joint checks in the app: create, see the proposal, assign, record findings; scope holds."""

from __future__ import annotations

from datetime import date

from flask import Flask
from web.client import Client

from collab.graph.sqlite_engine import SqliteStore

NEW = {"no": "JC-WEB-1", "title": "那能乡整改联合检查<b>", "start": "2026-03-01",
       "end": "2026-03-31", "unit": "U532628107"}


def with_task(store: SqliteStore) -> None:
    store.upsert_nodes("Rectification", [{"no": "ZG-0001", "title": "补发养老金",
                                          "status": "done", "deadline": date(2026, 6, 30),
                                          "region_code": "532628107", "version": 1}])
    store.upsert_rels("OWNED_BY", [{"src": "ZG-0001", "dst": "U532628107"}],
                      src="Rectification", dst="Unit")


def test_create_assign_and_record_a_finding(fresh_app: Flask, fresh: SqliteStore) -> None:
    with_task(fresh)
    coord = Client(fresh_app)
    coord.sign_in("coord")
    assert coord.get("/checks/new").status_code == 200
    created = coord.post("/checks/new", NEW)
    assert created.status_code == 302 and created.headers["Location"] == "/checks/JC-WEB-1"
    page = coord.get("/checks/JC-WEB-1")
    assert page.status_code == 200 and 'id="assign-form"' in page.text
    assert "&lt;b&gt;" in page.text
    assigned = coord.post("/checks/JC-WEB-1/assign", {"department": ["D532628-JW"]})
    assert assigned.status_code == 302
    assert "富宁县纪委监委" in coord.get("/checks/JC-WEB-1").text
    coord.post("/checks/JC-WEB-1/advance", {"to": "in_progress"})
    liaison = Client(fresh_app)
    liaison.sign_in("liaison")
    assert liaison.get("/checks/JC-WEB-1").status_code == 200
    liaison.post("/checks/JC-WEB-1/finding", {"rectification": "ZG-0001", "verified": "y",
                                              "note": "已补发"})
    assert fresh.get("Rectification", "ZG-0001").get("status") == "verified"
    events = [r.get("event") for r in fresh.find(
        "AuditRecord", where={"object_key": "JC-WEB-1", "kind": "change"}, order_by="seq").items]
    assert events == ["check.create", "check.assign", "check.advance", "check.finding"]
    history = coord.get("/browse/JointCheck/JC-WEB-1").text
    assert "分派检查力量" in history and "记录检查结论" in history  # check.assign, check.finding


def test_refusals_change_nothing_and_say_why(fresh_app: Flask, fresh: SqliteStore) -> None:
    coord = Client(fresh_app)
    coord.sign_in("coord")
    coord.post("/checks/new", NEW)
    again = coord.post("/checks/new", NEW)
    assert again.status_code == 200 and "联合监督检查 JC-WEB-1 已存在" in again.text
    backwards = coord.post("/checks/new", {**NEW, "no": "JC-WEB-2", "end": "2026-01-01"})
    assert backwards.status_code == 200 and fresh.get("JointCheck", "JC-WEB-2") is None
    assert [r.get("outcome") for r in fresh.find("AuditRecord", where={"event": "check.create"},
                                                  order_by="seq").items] == \
        ["ok", "conflict", "refused"]


def test_checks_obey_roles_and_scope(fresh_app: Flask, fresh: SqliteStore) -> None:
    coord = Client(fresh_app)
    coord.sign_in("coord")
    coord.post("/checks/new", NEW)
    zt, inspector, liaison = Client(fresh_app), Client(fresh_app), Client(fresh_app)
    zt.sign_in("zt")
    inspector.sign_in("insp")
    liaison.sign_in("liaison")
    assert zt.get("/checks/JC-WEB-1").status_code == 404
    foreign = zt.post("/checks/new", {**NEW, "no": "JC-ZT-1"})  # a unit out of its reach
    assert foreign.status_code == 200 and 'data-error-for="unit"' in foreign.text
    assert fresh.get("JointCheck", "JC-ZT-1") is None
    assert inspector.get("/checks/new").status_code == 404
    assert inspector.get("/checks/JC-WEB-1").status_code == 200
    assert liaison.get("/checks/JC-WEB-1").status_code == 404  # not assigned to it yet
    assert liaison.get("/checks/JC-0002").status_code == 404
    assert coord.post("/checks/JC-WEB-1/assign", {"department": ["D530600-JW"]}) \
        .status_code == 404
    assert zt.post("/checks/JC-WEB-1/assign", {"department": ["D530600-JW"]}).status_code \
        == 404
