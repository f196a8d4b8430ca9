"""Changes through the API on both engines: idempotent retries, conflicts, and the audit
record that commits with its change or takes the change down with it."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask.testing import FlaskClient
from keys import AUDIT_KEY
from web.client import Client, csrf_token, make_app
from web.scenario import add_accounts, authz_for, build, token_for

from collab.access import audit
from collab.access.audit import Kind, Origin
from collab.cases import clues
from collab.graph.codec import derive_uid
from collab.graph.store import Graph, Store

NAMES = ("coord", "liaison")
CLUE = "XS-2023-0001"  # transferred to D532628-JW, the liaison's department
NEW_CLUE = "WS-2023-0101"


def _new_clue(g: Graph) -> None:
    g.upsert_nodes("Clue", [{"no": NEW_CLUE, "title": "某村集体资金去向不明",
                             "status": "registered", "registered_on": date(2023, 11, 1),
                             "region_code": "532628107", "synthetic": True}])


@pytest.fixture
def api(store: Store) -> tuple[FlaskClient, dict[str, str], Store]:
    store.write(build)
    store.write(_new_clue)
    store.write(lambda tx: add_accounts(tx, NAMES))
    tokens = {n: token_for(store, n) for n in NAMES}
    return make_app(store).test_client(), tokens, store


def post(client: FlaskClient, token: str, url: str, body: dict[str, Any],
         key: str | None = None) -> Any:
    headers = {"Authorization": "Bearer " + token}
    if key:
        headers["Idempotency-Key"] = key
    return client.post(url, json=body, headers=headers)


def _transfer(client: FlaskClient, token: str, key: str | None = None) -> Any:
    return post(client, token, f"/api/v1/clues/{NEW_CLUE}/transfers",
                {"department": "D532628-JW", "letter_no": "文巡移〔2023〕9号",
                 "on": "2023-11-05"}, key)


def _records(store: Store, event: str) -> list[tuple[str, str]]:
    page = store.find("AuditRecord", where={"event": event}, order_by="seq", limit=100)
    return [(r.get("outcome"), r.get("object_key")) for r in page.items]


def test_a_retry_with_the_same_key_returns_the_first_answer_and_changes_nothing(api) -> None:
    client, tokens, store = api
    first = _transfer(client, tokens["coord"], key="retry-0001-a")
    assert first.status_code == 201
    assert first.get_json()["transfer"] == NEW_CLUE + "/1"
    again = _transfer(client, tokens["coord"], key="retry-0001-a")
    assert again.status_code == 201 and again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert store.count("Transfer", {"clue_no": NEW_CLUE}) == 1
    assert _records(store, "clue.transfer") == [("ok", NEW_CLUE), ("replayed", NEW_CLUE)]
    assert store.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok


def test_without_a_key_a_repeated_transfer_is_a_conflict_not_a_duplicate(api) -> None:
    client, tokens, store = api
    assert _transfer(client, tokens["coord"]).status_code == 201
    again = _transfer(client, tokens["coord"])
    assert again.status_code == 409 and "已移交" in again.get_json()["error"]
    assert again.get_json()["request_id"]
    assert store.count("Transfer", {"clue_no": NEW_CLUE}) == 1


def test_a_key_is_checked_and_never_reused_for_another_change(api) -> None:
    client, tokens, store = api
    bad = _transfer(client, tokens["coord"], key="short")
    assert bad.status_code == 400 and "幂等键" in bad.get_json()["error"]
    assert _transfer(client, tokens["coord"], key="shared-key-0002").status_code == 201
    mixed = post(client, tokens["coord"], f"/api/v1/clues/{CLUE}/transfers",
                 {"department": "D532600-ZZB", "letter_no": "x", "on": "2023-11-05"},
                 key="shared-key-0002")
    assert mixed.status_code == 400 and "另一请求" in mixed.get_json()["error"]
    assert store.count("Transfer", {"clue_no": CLUE}) == 1
    assert store.count("Transfer", {"clue_no": NEW_CLUE}) == 1


def test_filing_a_case_twice_is_a_conflict_with_a_clear_message(api) -> None:
    client, tokens, store = api
    liaison = authz_for("liaison").actor
    store.write(lambda tx: clues.accept(tx, actor=liaison, transfer_no=CLUE + "/1",
                                        on=date(2023, 10, 28)))
    store.write(lambda tx: clues.dispose(tx, actor=liaison, transfer_no=CLUE + "/1",
                                         disposal="inquiry", on=date(2023, 11, 2)))
    url = f"/api/v1/transfers/{CLUE}/1/case"
    first = post(client, tokens["liaison"], url, {"case_no": "AJ-API-1", "on": "2023-12-01"})
    assert first.status_code == 201 and first.get_json()["case"] == "AJ-API-1"
    second = post(client, tokens["liaison"], url, {"case_no": "AJ-API-2", "on": "2023-12-02"})
    assert second.status_code == 409
    assert "已立案" in second.get_json()["error"]
    assert store.get("Case", "AJ-API-2") is None
    assert _records(store, "transfer.file_case") == [("ok", CLUE + "/1"),
                                                     ("conflict", CLUE + "/1")]


def _block_next_audit_record(g: Graph) -> None:
    """Take the uid the next audit record will get, so its write breaks a uniqueness rule."""
    head = g.get("AuditHead", audit.CHAIN)
    following = f"{(head.get('seq') if head else 0) + 1:012d}"
    g.upsert_nodes("Department", [{"code": "D-BLOCK", "name": "占位",
                                   "uid": derive_uid("AuditRecord", following)}])


def test_when_the_audit_record_cannot_be_written_the_transfer_rolls_back(api) -> None:
    client, tokens, store = api
    store.write(lambda tx: audit.append(tx, key=AUDIT_KEY, origin=Origin("setup"),
                                        kind=Kind.AUTH, event="setup"))
    records = store.count("AuditRecord")
    store.write(_block_next_audit_record)
    response = _transfer(client, tokens["coord"], key="audit-fails-1")
    assert response.status_code == 503
    body = response.get_json()
    assert body["request_id"] and "Traceback" not in response.text
    assert "AuditRecord" not in response.text and "uid" not in body["error"]
    assert store.count("Transfer", {"clue_no": NEW_CLUE}) == 0
    assert store.get("Clue", NEW_CLUE).get("status") == "registered"
    assert store.count("IdempotencyKey") == 0
    assert store.count("AuditRecord") == records
    assert store.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok


def test_when_the_audit_record_cannot_be_written_the_web_form_shows_a_plain_error(
        store: Store) -> None:
    store.write(build)
    store.write(_new_clue)
    store.write(lambda tx: add_accounts(tx, ("coord",)))
    coord = Client(make_app(store))
    coord.sign_in("coord")
    page = coord.get(f"/clues/{NEW_CLUE}/trace")
    store.write(_block_next_audit_record)
    response = coord.post(f"/clues/{NEW_CLUE}/transfer",
                          {"csrf_token": csrf_token(page.text), "department": "D532628-JW",
                           "letter_no": "文巡移〔2023〕9号", "on": "2023-11-05"})
    assert response.status_code == 503
    assert response.headers["X-Request-Id"] in response.text
    assert "Traceback" not in response.text and "uniqueness" not in response.text
    assert store.count("Transfer", {"clue_no": NEW_CLUE}) == 0
    assert store.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok


def test_a_failed_transfer_leaves_no_record_claiming_success(api) -> None:
    client, tokens, store = api
    failures = [
        post(client, tokens["coord"], f"/api/v1/clues/{NEW_CLUE}/transfers",
             {"department": "D-NONE", "letter_no": "x", "on": "2023-11-05"}),
        post(client, tokens["coord"], f"/api/v1/clues/{NEW_CLUE}/transfers",
             {"department": "D532628-JW", "letter_no": "x", "on": "2023-01-01"}),
        post(client, tokens["coord"], "/api/v1/clues/ZT-2023-0001/transfers",
             {"department": "D530600-JW", "letter_no": "x", "on": "2023-11-05"}),
        post(client, tokens["liaison"], f"/api/v1/clues/{NEW_CLUE}/transfers",
             {"department": "D532628-JW", "letter_no": "x", "on": "2023-11-05"}),
    ]
    assert [r.status_code for r in failures] == [404, 400, 404, 404]
    assert all(r.get_json()["request_id"] for r in failures)
    assert store.count("Transfer", {"clue_no": NEW_CLUE}) == 0
    outcomes = [outcome for event in ("clue.transfer", "api.transfer")
                for outcome, _ in _records(store, event)]
    assert len(outcomes) == 4 and "ok" not in outcomes
    assert store.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok


def test_a_replayed_web_form_transfers_once(store: Store) -> None:
    store.write(build)
    store.write(_new_clue)
    store.write(lambda tx: add_accounts(tx, ("coord",)))
    coord = Client(make_app(store))
    coord.sign_in("coord")
    page = coord.get(f"/clues/{NEW_CLUE}/trace").text
    assert 'name="request_key"' in page
    form = {"csrf_token": csrf_token(page), "department": "D532628-JW",
            "letter_no": "文巡移〔2023〕9号", "on": "2023-11-05",
            "request_key": re.search(r'name="request_key" type="hidden" value="(\w+)"',
                                     page).group(1)}
    assert coord.post(f"/clues/{NEW_CLUE}/transfer", form).status_code == 302
    assert coord.post(f"/clues/{NEW_CLUE}/transfer", form).status_code == 302
    assert store.count("Transfer", {"clue_no": NEW_CLUE}) == 1
    assert _records(store, "clue.transfer") == [("ok", NEW_CLUE), ("replayed", NEW_CLUE)]
