"""Every change the pages offer, through `/api/v1` on both engines: an issue, a clue from it,
its transfer worked to a case and the case's outcome; a task to its closing (销号); a letter;
a ledger import refused whole; a cross-check raised as an issue. The same reach and state
rules as on the pages: a foreign object is not found, a role without the permission too."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from web.client import make_app
from web.scenario import add_accounts, build, token_for

from collab.graph.store import Store

NAMES = ("coord", "liaison", "lead", "zt")
SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "crosscheck"


@pytest.fixture
def api(store: Store) -> tuple[FlaskClient, dict[str, str], Store]:
    store.write(build)
    store.write(lambda tx: add_accounts(tx, NAMES))
    return make_app(store).test_client(), {n: token_for(store, n) for n in NAMES}, store


def call(client: FlaskClient, token: str, url: str, body: dict[str, Any] | None = None,
         **kw: Any) -> Any:
    return client.post("/api/v1" + url, headers={"Authorization": "Bearer " + token},
                       **({"json": body} if body is not None else kw))


def test_an_issue_to_a_case_through_the_api(api: tuple[FlaskClient, dict[str, str],
                                                       Store]) -> None:
    client, tokens, store = api
    coord, liaison = tokens["coord"], tokens["liaison"]
    assert call(client, coord, "/issues", {
        "no": "API-I-1", "title": "低保资金发放不及时", "found_on": "2024-03-01",
        "unit": "U532628107"}).status_code == 201
    made = call(client, coord, "/clues", {"no": "API-C-1", "title": "村干部优亲厚友",
                                          "on": "2024-03-02", "region_code": "532628107",
                                          "issue_no": "API-I-1", "against": ["P-SYN-0001"]})
    assert made.status_code == 201 and made.get_json()["clue"] == "API-C-1"
    sent = call(client, coord, "/clues/API-C-1/transfers", {
        "department": "D532628-JW", "letter_no": "文巡移〔2024〕2号", "on": "2024-03-03",
        "feedback_due": "2024-03-20"})
    assert sent.status_code == 201 and sent.get_json()["transfer"] == "API-C-1/1"
    assert str(store.get("Transfer", "API-C-1/1").get("feedback_due")) == "2024-03-20"
    early = call(client, liaison, "/transfers/API-C-1/1/dispose", {"on": "2024-03-04",
                                                                   "disposal": "inquiry"})
    assert early.status_code == 400 and early.get_json()["error"]  # not received yet
    for step, body in (("accept", {}), ("dispose", {"disposal": "verification"}),
                       ("case", {"case_no": "API-CASE-1"})):
        done = call(client, liaison, f"/transfers/API-C-1/1/{step}", {"on": "2024-03-05",
                                                                      **body})
        assert done.status_code == 201, (step, done.get_json())
    ended = call(client, liaison, "/cases/API-CASE-1/outcome", {
        "sanctions": ["党纪处分"], "party_grade": "警告", "funds_recovered": 12000,
        "closed_on": "2024-06-01"})
    assert ended.status_code == 201 and store.get("Case", "API-CASE-1").get("sanctions") \
        == ["党纪处分"]
    assert call(client, tokens["zt"], "/transfers/API-C-1/1/return",
                {"on": "2024-03-06", "reason": "x"}).status_code == 404
    assert call(client, tokens["lead"], "/clues", {
        "no": "API-C-2", "title": "x", "on": "2024-03-02",
        "region_code": "532628107"}).status_code == 404
    assert call(client, coord, "/clues", {"no": "API-C-3"}).status_code == 422
    assert store.get("Clue", "API-C-2") is None and store.get("Clue", "API-C-3") is None


def test_a_task_to_its_closing_and_a_letter_through_the_api(
        api: tuple[FlaskClient, dict[str, str], Store]) -> None:
    client, tokens, store = api
    coord = tokens["coord"]
    assert call(client, coord, "/rectifications", {
        "no": "API-ZG-1", "issue": "WS-2023-0001", "unit": "U532628107", "title": "补发养老金",
        "deadline": "2024-04-30", "on": "2024-03-01"}).status_code == 201
    steps = [("advance", {"to": "done"}), ("evidence", {"text": "已补发"}),
             ("advance", {"to": "verified"}), ("signoff", {"role": "unit_leader"}),
             ("signoff", {"role": "inspection_body"}), ("evaluate", {"score": 90}),
             ("close", {})]
    for what, body in steps:
        done = call(client, coord, f"/rectifications/API-ZG-1/{what}", {"on": "2024-04-01",
                                                                          **body})
        assert done.status_code == 201, (what, done.get_json())
    assert str(store.get("Rectification", "API-ZG-1").get("closed_on")) == "2024-04-01"
    stale = call(client, coord, "/rectifications/API-ZG-1/evidence",
                 {"on": "2024-04-02", "text": "x", "expected_version": 1})
    assert stale.status_code == 409
    call(client, coord, "/rectifications", {
        "no": "API-ZG-2", "issue": "WS-2023-0001", "unit": "U532628107", "title": "建立台账",
        "deadline": "2024-01-31", "on": "2024-01-01"})
    sent = call(client, coord, "/letters", {"kind": "supervision", "rectifications": ["API-ZG-2"],
                                            "on": "2024-02-05"})
    assert sent.status_code == 201 and sent.get_json()["no"]
    assert call(client, tokens["zt"], "/rectifications/API-ZG-2/advance",
                {"on": "2024-04-01", "to": "done"}).status_code == 404


def test_a_ledger_and_a_cross_check_through_the_api(
        api: tuple[FlaskClient, dict[str, str], Store]) -> None:
    client, tokens, store = api
    coord = tokens["coord"]
    bad = "问题编号,问题标题,发现日期,被巡察单位\nAPI-L-1,标题,不是日期,U532628107\n"
    refused = call(client, coord, "/imports", data={
        "file": (io.BytesIO(bad.encode("gbk")), "问题台账.csv")},
        content_type="multipart/form-data")
    assert refused.status_code == 400 and refused.get_json()["problems"]
    assert store.get("Issue", "API-L-1") is None
    with (SEEDS / "nanneng_roster_60plus.csv").open("rb") as a, \
            (SEEDS / "nanneng_pension_list.xlsx").open("rb") as b:
        raised = call(client, coord, "/crosscheck/issues", data={
            "list_a": (a, "名单A.csv"), "list_b": (b, "名单B.xlsx"), "unit": "U532628107",
            "title": "数据比对：未领取养老金", "found_on": "2024-03-01"},
            content_type="multipart/form-data")
    assert raised.status_code == 201, raised.get_json()
    assert store.get("Issue", raised.get_json()["issue"]).get("source") == "数据比对"
