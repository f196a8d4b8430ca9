"""Concurrent requests against a real threaded server on 127.0.0.1, on both engines.

20 clients file a case from the same clue at once: one wins, the rest get 409 and exactly one
case exists. 50 clients transfer 50 different clues at once: all succeed. And no request,
succeeding or failing, leaves a Neo4j driver connection borrowed.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import pytest
from keys import AUDIT_KEY
from web.client import make_app
from web.scenario import add_accounts, authz_for, build, token_for
from web.server import call, serving

from collab.access import audit
from collab.cases import clues
from collab.graph.neo4j_engine import Neo4jStore
from collab.graph.store import Graph, Store

CLUE, TRANSFER = "XS-2023-0001", "XS-2023-0001/1"
MANY = [f"WS-2023-1{i:03d}" for i in range(50)]


def _prepare(g: Graph) -> None:
    build(g)
    add_accounts(g, ("coord", "liaison"))
    g.upsert_nodes("Clue", [{"no": no, "title": f"某村第{i}号问题线索", "status": "registered",
                             "registered_on": date(2023, 11, 1), "region_code": "532628107",
                             "synthetic": True} for i, no in enumerate(MANY)])
    liaison = authz_for("liaison").actor
    clues.accept(g, actor=liaison, transfer_no=TRANSFER, on=date(2023, 10, 28))
    clues.dispose(g, actor=liaison, transfer_no=TRANSFER, disposal="inquiry",
                  on=date(2023, 11, 2))


@pytest.fixture
def served(store: Store) -> Any:
    store.write(_prepare)
    tokens = {n: token_for(store, n) for n in ("coord", "liaison")}
    with serving(make_app(store)) as base:
        yield base, tokens, store


def _all_at_once(calls: list[Any]) -> list[tuple[int, Any]]:
    """Run the calls on as many threads, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(fn: Any) -> tuple[int, Any]:
        barrier.wait()
        return fn()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def test_twenty_concurrent_case_filings_from_one_clue_give_one_case(served) -> None:
    base, tokens, store = served
    cases_before = store.count("Case")
    url = f"{base}/api/v1/transfers/{TRANSFER}/case"
    answers = _all_at_once([
        lambda i=i: call("POST", url, token=tokens["liaison"],
                         body={"case_no": f"AJ-RACE-{i:02d}", "on": "2023-12-01"})
        for i in range(20)])
    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] + [409] * 19
    for status, body in answers:
        if status == 409:
            assert "已立案" in body["error"] and body["request_id"]
    assert store.count("Case") == cases_before + 1
    winner = next(body["case"] for status, body in answers if status == 201)
    assert store.get("Case", winner) is not None
    assert store.get("Transfer", TRANSFER).get("status") == "case_filed"
    outcomes = sorted(r.get("outcome") for r in store.find(
        "AuditRecord", where={"event": "transfer.file_case"}, limit=100).items)
    assert outcomes == ["conflict"] * 19 + ["ok"]
    assert store.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok


def test_fifty_concurrent_transfers_of_different_clues_all_succeed(served) -> None:
    base, tokens, store = served
    answers = _all_at_once([
        lambda no=no: call("POST", f"{base}/api/v1/clues/{no}/transfers", token=tokens["coord"],
                           body={"department": "D532628-JW", "letter_no": "文巡移〔2023〕9号",
                                 "on": "2023-11-05"},
                           headers={"Idempotency-Key": "bulk-" + no})
        for no in MANY])
    assert [status for status, _ in answers] == [201] * 50
    assert sorted(body["transfer"] for _, body in answers) == sorted(no + "/1" for no in MANY)
    assert store.count("Transfer", {"clue_no": MANY}) == 50
    assert store.count("Clue", {"no": MANY, "status": "transferred"}) == 50
    assert store.count("AuditRecord", {"event": "clue.transfer", "outcome": "ok"}) == 50
    assert store.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok


@pytest.mark.neo4j
def test_requests_leave_no_driver_connection_borrowed(neo4j_graph: Neo4jStore) -> None:
    neo4j_graph.write(_prepare)
    token = token_for(neo4j_graph, "coord")
    baseline = neo4j_graph.connections_in_use()
    with serving(make_app(neo4j_graph)) as base:
        urls = [("GET", "/api/v1/me", None), ("GET", "/api/v1/nodes/Clue", None),
                ("GET", f"/api/v1/nodes/Clue/{CLUE}", None),
                ("GET", "/api/v1/nodes/Clue/NOPE", None), ("GET", "/api/v1/nodes/Nonsense", None),
                ("POST", f"/api/v1/clues/{MANY[0]}/transfers",
                 {"department": "D532628-JW", "letter_no": "x", "on": "2023-11-05"}),
                ("POST", f"/api/v1/clues/{MANY[0]}/transfers",
                 {"department": "D532628-JW", "letter_no": "x", "on": "2023-11-05"}),
                ("POST", f"/api/v1/clues/{MANY[1]}/transfers", {"department": "D-NONE"}),
                ("GET", "/no/such/page", None)]
        statuses = {call(method, base + url, token=token, body=body)[0]
                    for _ in range(3) for method, url, body in urls}
        statuses.add(call("GET", base + "/api/v1/dashboard", token=token)[0])
    assert statuses == {200, 201, 404, 409, 422}
    assert neo4j_graph.connections_in_use() == baseline


@pytest.mark.neo4j
def test_the_pool_check_catches_a_leaked_session(neo4j_graph: Neo4jStore) -> None:
    baseline = neo4j_graph.connections_in_use()
    leaked = neo4j_graph.driver.session()
    leaked.run("RETURN 1")  # a result never consumed, a session never closed
    assert neo4j_graph.connections_in_use() == baseline + 1
    leaked.close()
    assert neo4j_graph.connections_in_use() == baseline
