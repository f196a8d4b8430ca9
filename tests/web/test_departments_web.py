"""The departments admin page: only the system admin, CSRF-guarded, every change audited."""

from __future__ import annotations

import json

from flask import Flask
from web.client import Client
from web.scenario import ACCOUNTS

from collab.graph.sqlite_engine import SqliteStore

NEW = {"code": "D532628-SJ", "name": "富宁县审计局", "kind": "audit", "region": "532628",
       "feedback_days": "15"}


def test_only_the_system_admin_sees_and_changes_departments(fresh_app: Flask,
                                                            fresh: SqliteStore) -> None:
    for name in ACCOUNTS:
        client = Client(fresh_app)
        client.sign_in(name)
        allowed = name == "sys"
        page = client.get("/admin/departments/")
        assert page.status_code == (200 if allowed else 404), name
        assert ("富宁县纪委监委" in page.text) == allowed
        created = client.post("/admin/departments/", {**NEW, "code": "D-" + name})
        assert created.status_code == (302 if allowed else 404), name
        edited = client.post("/admin/departments/D532628-JW", {"name": "改名" + name,
                                                                "kind": "other"})
        assert edited.status_code == (302 if allowed else 404), name
        assert ("改名" + name == fresh.get("Department", "D532628-JW").get("name")) == allowed
    assert [d.key for d in fresh.find("Department", where={"code": "D-sys"}).items] == ["D-sys"]
    assert fresh.count("Department") == 5


def test_create_and_edit_leave_audit_records_with_before_and_after(fresh_app: Flask,
                                                                    fresh: SqliteStore) -> None:
    admin = Client(fresh_app)
    admin.sign_in("sys")
    assert admin.post("/admin/departments/", NEW).headers["Location"] == "/admin/departments/"
    assert "富宁县审计局" in admin.get("/admin/departments/?region=532628").text
    admin.post("/admin/departments/D532628-SJ", {"name": "富宁县审计局", "kind": "finance",
                                                 "feedback_days": ""})
    node = fresh.get("Department", "D532628-SJ")
    assert (node.get("kind"), node.get("feedback_days")) == ("finance", None)
    records = fresh.find("AuditRecord", where={"object_label": "Department",
                                               "object_key": "D532628-SJ"},
                         order_by="seq").items
    assert [(r.get("event"), r.get("user"), r.get("outcome")) for r in records] == \
        [("department.create", "sys", "ok"), ("department.update", "sys", "ok")]
    created, edited = (json.loads(r.get("detail")) for r in records)
    assert created["after"]["feedback_days"] == 15 and created["before"]["name"] is None
    assert (edited["before"], edited["after"]) == ({"feedback_days": 15, "kind": "audit"},
                                                   {"feedback_days": None, "kind": "finance"})
    assert "修改协作部门" in admin.get("/browse/Department/D532628-SJ").text  # department.update


def test_without_a_csrf_token_nothing_changes(fresh_app: Flask, fresh: SqliteStore) -> None:
    admin = Client(fresh_app)
    admin.sign_in("sys")
    assert admin.post("/admin/departments/", NEW, csrf=False).status_code == 400
    edited = admin.post("/admin/departments/D532628-JW", {"name": "改名", "kind": "other"},
                        csrf=False)
    assert edited.status_code == 400
    assert fresh.get("Department", "D532628-SJ") is None
    assert fresh.get("Department", "D532628-JW").get("name") == "富宁县纪委监委"
    assert fresh.count("AuditRecord", {"event": "security.csrf"}) == 2


def test_refusals_say_why_in_the_readers_language(fresh_app: Flask, fresh: SqliteStore) -> None:
    for lang, taken, region in (
            ("zh", "协作单位 D532628-JW 已存在", "没有找到“532699”"),
            ("en", "department D532628-JW exists already", "nothing called 532699")):
        admin = Client(fresh_app)
        admin.sign_in("sys")
        admin.post("/language", {"lang": lang, "next": "/"})
        page = admin.post("/admin/departments/", {**NEW, "code": "D532628-JW"})
        assert taken in admin.get(page.headers["Location"]).text
        admin.post("/admin/departments/", {**NEW, "region": "532699"})
        assert region in admin.get("/admin/departments/").text
    assert fresh.get("Department", "D532628-SJ") is None
    assert [r.get("outcome") for r in fresh.find(
        "AuditRecord", where={"event": "department.create"}, order_by="seq").items] == \
        ["conflict", "refused"] * 2
