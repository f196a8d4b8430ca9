"""Cypher and SQL metacharacters in every parameter of every route, on both engines.

Each hostile value goes into every query parameter any view or the API reads, into every free
path segment (labels, keys, numbers, names) and into every field of every form, as a signed-in
coordinator of one prefecture (pages and API token; the admin forms as the two admins). What
must hold: no 5xx, no query text, driver name, trace or file path in any answer, nothing from
the other prefecture, and the case data unchanged (only audit and session bookkeeping grow).
"""

from __future__ import annotations

from typing import Any

import pytest
from web.client import Client, make_app
from web.routes import ROOT_MARKERS, data_counts, form_fields, free_args, query_params, rules, url
from web.scenario import add_accounts, build, token_for

from collab.graph.store import Store

PAYLOADS = ("' OR 1=1 //", '"}) MATCH (n) DETACH DELETE n //', "`Clue`) DETACH DELETE n //",
            "1; DROP TABLE nodes; --", "Clue` OR `1`=`1")
# Text that only a leaked query, driver error or trace would put into an answer.
LEAKS = ("json_extract", "SELECT", "RETURN", "Traceback", "sqlite3", "neo4j.", "Neo4jError",
         "CypherSyntax", "site-packages", ".py\"", *ROOT_MARKERS)
# What only the other prefecture's accounts may see.
FOREIGN = ("ZT-2023-0001", "P-SYN-ZT1", "赵六")
# Forms that only end the session they are sent from.
SKIP_POST = {"auth.logout", "auth.logout_everywhere"}


@pytest.fixture
def target(store: Store) -> dict[str, Any]:
    store.write(build)
    store.write(add_accounts)
    app = make_app(store)
    clients = {}
    for name in ("coord", "sys", "sec"):
        clients[name] = Client(app)
        assert clients[name].sign_in(name).status_code == 302
    token = token_for(store, "coord", "attack")
    return {"app": app, "clients": clients, "store": store,
            "bearer": {"Authorization": "Bearer " + token}}


def body(response: Any) -> str:
    """The answer as text; a workbook (a template download) as what its bytes say."""
    return response.get_data().decode("utf-8", errors="replace")


def check(response: Any, where: str) -> None:
    assert response.status_code < 500, (where, response.status_code)
    text = body(response)
    leaked = [w for w in LEAKS if w in text]
    assert not leaked, (where, leaked)


def gets(target: dict[str, Any]) -> int:
    """Every GET route: every parameter at once, then each free path segment, per payload."""
    app, coord = target["app"], target["clients"]["coord"]
    tried, params = 0, query_params(app)
    for rule in rules(app, "GET"):
        for payload in PAYLOADS:
            attempts = [url(app, rule, dict.fromkeys(params, payload))]
            attempts += [url(app, rule, **{arg: payload}) for arg in free_args(rule)]
            for address in attempts:
                response = coord.get(address, headers=target["bearer"])
                check(response, address)
                if rule.endpoint != "static":
                    assert not any(f in body(response) for f in FOREIGN), \
                        address
                tried += 1
    return tried


def posts(target: dict[str, Any]) -> int:
    """Every form, every field hostile, as the account the form is for, with a CSRF token."""
    app, tried, fields = target["app"], 0, form_fields()
    for rule in rules(app, "POST"):
        if rule.endpoint in SKIP_POST:
            continue
        for payload in PAYLOADS:
            for name in ("sys", "sec") if rule.endpoint.startswith("admin.") else ("coord",):
                client = target["clients"][name]
                addresses = [url(app, rule, name="zt")] + \
                    [url(app, rule, **{arg: payload}) for arg in free_args(rule)]
                for address in addresses:
                    response = client.post(address, dict.fromkeys(fields, payload))
                    check(response, f"{name} POST {address}")
                    tried += 1
    return tried


def test_metacharacters_in_every_parameter_change_and_leak_nothing(target) -> None:
    before = data_counts(target["store"])
    tried = gets(target) + posts(target)
    print(f"metacharacter attempts: {tried}")
    assert tried > 400
    assert data_counts(target["store"]) == before


def test_hostile_text_finds_nothing(target) -> None:
    """A search or filter is a value compared as text, never a condition that matches all."""
    coord, store = target["clients"]["coord"], target["store"]
    for payload in PAYLOADS:
        listing = coord.get("/api/v1/nodes/Clue", query_string={"q": payload},
                            headers=target["bearer"]).get_json()
        assert listing["total"] == 0
        found = coord.get("/explore/api/search", query_string={"q": payload}).get_json()
        assert found["hits"] == []
        page = coord.get("/browse/Clue", query_string={"q": payload, "status": payload})
        assert page.status_code == 200 and 'id="total">0<' in page.text
    assert store.count("Clue") == 3
