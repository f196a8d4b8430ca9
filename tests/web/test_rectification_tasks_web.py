"""A rectification task's page: only the steps its state allows are offered, each step is a
command refused with its reason on the page, out of reach is not found."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
from web.client import Client, signed

from collab.graph.sqlite_engine import SqliteStore

DAY = date.today().isoformat()


def task(store: SqliteStore, status: str = "in_progress") -> None:
    store.upsert_nodes("Rectification", [
        {"no": "ZG-WEB-1", "title": "补发养老金", "status": status, "region_code": "532628107",
         "deadline": date.today() + timedelta(days=5), "version": 1},
        {"no": "ZG-ZT", "title": "昭阳区整改", "status": "open", "region_code": "530602",
         "deadline": date.today() - timedelta(days=10)}])


def step(client: Client, what: str, version: int, **form: str) -> object:
    return client.post(f"/rectification/ZG-WEB-1/{what}", {"on": DAY, "version": str(version),
                                                           **form})


def test_a_task_goes_from_work_to_closing_in_the_browser(fresh_app: Flask,
                                                         fresh: SqliteStore) -> None:
    task(fresh)
    coord = signed(fresh_app, "coord")
    page = coord.get("/rectification/ZG-WEB-1").text
    assert 'data-to="done"' in page and 'data-to="verified"' not in page
    assert 'id="close-form"' not in page and 'data-missing="evidence"' in page
    refused = step(coord, "move", 1, to="verified")  # not allowed from 整改中
    assert refused.status_code == 400 and fresh.get("Rectification", "ZG-WEB-1").get("status") \
        == "in_progress"
    assert step(coord, "move", 1, to="done").status_code == 302
    stale = step(coord, "evidence", 1, text="已补发")  # the page showed version 1
    assert stale.status_code == 400 and not fresh.get("Rectification", "ZG-WEB-1").get(
        "evidence")
    assert step(coord, "evidence", 2, text="已补发66人养老金").status_code == 302
    assert step(coord, "move", 3, to="verified").status_code == 302
    page = coord.get("/rectification/ZG-WEB-1").text
    assert 'data-role="unit_leader"' in page and 'id="close-task" disabled' in page
    early = step(coord, "close", 4)
    assert early.status_code == 400 and fresh.get("Rectification", "ZG-WEB-1").get(
        "closed_on") is None
    assert step(coord, "signoff", 4, role="inspection_body").status_code == 400  # out of order
    assert step(coord, "signoff", 4, role="unit_leader").status_code == 302
    assert step(coord, "signoff", 5, role="inspection_body").status_code == 302
    assert step(coord, "evaluate", 6, score="92").status_code == 302
    assert step(coord, "close", 7).status_code == 302
    done = fresh.get("Rectification", "ZG-WEB-1")
    assert done.get("closed_on") == date.today() and done.get("score") == 92
    page = coord.get("/rectification/ZG-WEB-1").text
    assert 'id="task-closed"' in page and 'id="task-actions"' in page \
        and 'id="move-form"' not in page
    changed = [e.get("event") for e in fresh.find(
        "AuditRecord", where={"object_key": "ZG-WEB-1", "kind": "change"}, order_by="seq").items
        if e.get("outcome") == "ok"]
    assert changed == ["rectification.advance", "rectification.evidence",
                       "rectification.advance", "rectification.signoff",
                       "rectification.signoff", "rectification.evaluate",
                       "rectification.close"]


def test_who_may_do_what_on_a_task(fresh_app: Flask, fresh: SqliteStore) -> None:
    task(fresh, status="done")
    insp, lead, zt, liaison = (signed(fresh_app, n) for n in ("insp", "lead", "zt", "liaison"))
    page = insp.get("/rectification/ZG-WEB-1").text  # reports progress, does not sign
    assert 'id="evidence-form"' in page and 'id="signoff-form"' not in page
    assert step(insp, "signoff", 1, role="unit_leader").status_code == 404
    page = lead.get("/rectification/ZG-WEB-1").text  # a leader reads
    assert 'id="evidence-form"' not in page and 'id="move-form"' not in page
    assert step(lead, "evidence", 1, text="x").status_code == 404
    for outsider in (zt, liaison):
        assert outsider.get("/rectification/ZG-WEB-1").status_code == 404
        assert step(outsider, "evidence", 1, text="x").status_code == 404
    assert not fresh.get("Rectification", "ZG-WEB-1").get("evidence")
    refused = [r.get("outcome") for r in fresh.find(
        "AuditRecord", where={"object_key": "ZG-WEB-1", "user": "zt"}).items]
    assert refused and set(refused) == {"not_found"}


def test_a_step_needs_its_token_and_its_value(fresh_app: Flask, fresh: SqliteStore) -> None:
    task(fresh)
    coord = signed(fresh_app, "coord")
    forged = coord.post("/rectification/ZG-WEB-1/evidence", {"on": DAY, "text": "伪造"},
                        csrf=False)
    assert forged.status_code == 400
    empty = step(coord, "evidence", 1, text="")
    assert empty.status_code == 400 and 'class="invalid-feedback d-block"' in empty.text
    assert not fresh.get("Rectification", "ZG-WEB-1").get("evidence")
