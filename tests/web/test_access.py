"""The access matrix (every route × every account × objects in and out of scope, on both
engines): allowed requests answer, the rest 404 with no data; and what pages never show."""

from __future__ import annotations

import io
import itertools
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from web.client import Client, make_app
from web.matrix import (
    ADMINS,
    CASEWORK,
    EVERYONE,
    LIAISONS,
    LISTS,
    OBJECTS,
    PROBES,
    VISIBLE,
    Probe,
    sees,
)
from web.scenario import ACCOUNTS, FULL_ID, TEST_KEY, XSS, add_accounts, build, token_for

from collab.graph.codec import Node
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Store
from collab.web.auditing import UNAUDITED


@dataclass
class Site:
    """The scenario on one engine, the app over it, and every account signed in (or holding
    an API token: the admin roles get none)."""

    store: Store
    app: Flask
    clients: dict[str, Client]
    tokens: dict[str, str]

    def send(self, probe: Probe, name: str) -> Any:
        if probe.api:
            token = self.tokens.get(name)
            headers = {"Authorization": "Bearer " + token} if token else {}
            return self.clients[name].http.open(probe.url, method=probe.method,
                                                headers=headers,
                                                json=dict(probe.data) if probe.data else None)
        if probe.method == "GET":
            return self.clients[name].get(probe.url)
        response = self.clients[name].post(probe.url, dict(probe.data), csrf=probe.csrf)
        with self.clients[name].http.session_transaction() as session:
            session.pop("_flashes", None)  # its own notice, not for the next probe's page
        return response


@pytest.fixture(scope="module")
def site_on(module_store: Store) -> Site:
    """The scenario on each engine in turn, shared by this module's read-only tests."""
    store = module_store
    store.write(build)
    store.write(add_accounts)
    tokens = {n: token_for(store, n, "matrix") for n in EVERYONE - ADMINS}
    app = make_app(store)
    clients = {}
    for name in EVERYONE:
        clients[name] = Client(app)
        assert clients[name].sign_in(name).status_code == 302
    return Site(store, app, clients, tokens)


def test_every_route_and_method_is_in_the_matrix(site_app: Flask) -> None:
    """A route added without its line in `web.matrix` fails here, so none is forgotten."""
    served = {(rule.endpoint, method) for rule in site_app.url_map.iter_rules()
              if rule.endpoint not in UNAUDITED  # no data, no record: see test_health.py
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    probed = {(p.endpoint, p.method) for p in PROBES if p.endpoint}
    assert served - probed == set(), "routes without a line in tests/web/matrix.py"
    assert probed - served == set(), "matrix lines for routes the app does not have"


@pytest.mark.parametrize("module_store", ["sqlite"], indirect=True)
@pytest.mark.parametrize("probe", [p for p in PROBES if not p.api], ids=lambda p: p.id)
def test_every_page_as_every_account(site_on: Site, probe: Probe) -> None:
    """Every page and form, as every account (on SQLite: the pages read through the same
    scoped services as the API, which runs on both engines)."""
    try_as_everyone(site_on, probe)


@pytest.mark.parametrize("probe", [p for p in PROBES if p.api], ids=lambda p: p.id)
def test_every_api_route_as_every_account(site_on: Site, probe: Probe) -> None:
    try_as_everyone(site_on, probe)


def try_as_everyone(site_on: Site, probe: Probe) -> None:
    """Only the allowed accounts get the allowed answer; the rest 404 (API without a token:
    401) and see none of the scenario's data; no answer shows a full ID number; each request
    leaves exactly one audit record naming who, what, from where and which request."""
    for name in sorted(EVERYONE):
        before = site_on.store.count("AuditRecord")
        response = site_on.send(probe, name)
        assert response.status_code == probe.expected(name), (probe.id, name)
        body = answer_text(response)
        assert FULL_ID not in body and "Traceback" not in body, (probe.id, name)
        assert not any(s in body for s in SECRETS), (probe.id, name)
        if probe.expected(name) in (401, 404):
            assert not [k for k in DATA if k in body], (probe.id, name)
        assert site_on.store.count("AuditRecord") == before + 1, (probe.id, name)
        record = site_on.store.find("AuditRecord", order_by="seq", descending=True,
                                    limit=1).items[0]
        assert_record(record, probe, name, response)


def answer_text(response: Any) -> str:
    """An answer as text: a spreadsheet or document is read from its XML parts, a picture
    from its bytes (where a leaked number would still show)."""
    data = response.get_data()
    if data.startswith(b"\x89PNG"):
        return data.decode("latin-1")
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "".join(z.read(n).decode("utf-8") for n in z.namelist()
                           if n.endswith(".xml"))
    return data.decode("utf-8")


def assert_record(record: Node, probe: Probe, name: str, response: Any) -> None:
    """The audit record of one probe: UTC time, user, role, department, event, object,
    outcome, address and the request id the answer carried."""
    signed = not (probe.api and name in ADMINS)  # the admin roles hold no API token
    role, _region, department = ACCOUNTS[name]
    assert record.get("at").utcoffset() == timedelta(0)
    assert record.get("request_id") == response.headers["X-Request-Id"] != ""
    assert record.get("address") == "127.0.0.1"
    assert (record.get("user"), record.get("role"), record.get("department")) == (
        (name, str(role), department or "") if signed else ("", "", ""))
    assert record.get("event") and record.get("kind")
    status = response.status_code
    assert record.get("outcome") == (OUTCOMES[status] if status >= 400 else
                                     record.get("outcome") if record.get("outcome")
                                     in ("ok", "refused") else "ok")
    if probe.about != ("", "") and status != 401:
        assert (record.get("object_label"), record.get("object_key")) == probe.about


OUTCOMES = {400: "bad_request", 401: "unauthenticated", 404: "not_found", 422: "bad_request"}
# What no answer may carry: the stored forms of the ID number, hashes and sealed values.
SECRETS = ("k" * 64, "h" * 64, "sealed", "53262819800101")
# What a 404 may not carry: the numbers, names and titles of the scenario's case data.
DATA = ("XS-2023-0001", "WS-2023-0002", "ZT-2023-0001", "WS-CASE-0001", "张三", "李四",
        "赵六", "养老金", "吃拿卡要", "截留补助")


def test_lists_and_counts_hold_exactly_the_allowed_set(site_on: Site) -> None:
    """Every list and count, on a page, through the API and on the dashboard, holds what
    the oracle says the account may see, no more and no less."""
    for name in sorted(CASEWORK | LIAISONS):
        client, token = site_on.clients[name].http, site_on.tokens[name]
        for label in sorted(LISTS[name]):
            want = VISIBLE[name].get(label, frozenset())
            body = client.get(f"/api/v1/nodes/{label}",
                              headers={"Authorization": "Bearer " + token}).get_json()
            assert body["total"] == len(want), (name, label)
            assert {item["key"] for item in body["items"]} == want, (name, label)
            page = site_on.clients[name].get(f"/browse/{label}").text
            assert f'id="total">{len(want)}<' in page, (name, label)
        figures = site_on.clients[name].get("/dashboard/data.json").get_json()["figures"]
        assert figures == {label: len(VISIBLE[name].get(label, ()))
                           for label in ("Issue", "Clue", "Transfer", "Case", "JointCheck")
                           if label in LISTS[name]}, name


def test_graph_expansion_search_and_paths_never_show_a_foreign_node(site_on: Site) -> None:
    """From every node an explorer may see, three hops out, every path between two of its
    nodes, and a search for every name of the scenario: nothing beyond its reach."""
    for name in sorted(CASEWORK):
        client = site_on.clients[name]
        mine = [(label, key) for label, key in OBJECTS if sees(name, label, key)]
        uids = {site_on.store.get(label, key).uid: (label, key) for label, key in mine}
        for uid in uids:
            view = client.get(f"/explore/api/expand?uid={uid}&depth=3&limit=1000").get_json()
            shown = {(n["group"], n["key"]) for n in view["nodes"]}
            assert shown <= set(mine), (name, uid, shown - set(mine))
        for a, b in itertools.combinations(sorted(uids), 2):
            answer = client.get(f"/explore/api/paths?a={a}&b={b}")
            assert answer.status_code == 200, (name, a, b, answer.text[-300:])
            routes = answer.get_json()
            assert {u for r in routes["paths"] for u in r["nodes"]} <= set(uids), (name, a, b)
            assert {(n["group"], n["key"]) for n in routes["nodes"]} <= set(mine)
        for q in ("张三", "李四", "赵六", "XS-2023-0001", "ZT-2023-0001", "WS-CASE-0001",
                  "文山", "昭通", "纪委"):
            hits = client.get(f"/explore/api/search?q={q}").get_json()["hits"]
            assert {(h["group"], h["key"]) for h in hits} <= set(mine), (name, q)


def test_signed_out_requests_go_to_the_sign_in_page(site_app) -> None:
    client = site_app.test_client()
    for route in {p.url for p in PROBES
                  if p.method == "GET" and not p.api and p.endpoint != "auth.login"}:
        response = client.get(route)
        assert response.status_code == 302, route
        assert response.headers["Location"].startswith("/login?next=")


def test_id_numbers_are_masked_and_secrets_never_shown(signed_in: dict) -> None:
    page = signed_in["coord"].get("/browse/Person/P-SYN-0001")
    assert page.status_code == 200
    assert FULL_ID not in page.text and "532628********123X" in page.text
    assert "kkkkkkkk" not in page.text and "sealed" not in page.text


def test_id_numbers_are_masked_in_pages_json_graph_and_exports(signed_in: dict) -> None:
    """The person whose number is on record (and typed into a note) is shown, masked, in a
    page, the explorer's data, a clue's trace and an export (the matrix checks no answer of
    any route, JSON API included, shows the full number)."""
    masked = FULL_ID[:6] + "********" + FULL_ID[-4:]
    coord = signed_in["coord"]
    uid = "P-SYN-0001"
    answers = {"page": coord.get(f"/browse/Person/{uid}"),
               "graph": coord.get(f"/explore/api/expand?uid={uid}"),
               "search": coord.get("/explore/api/search?q=张三"),
               "trace": coord.get("/clues/XS-2023-0001/trace.json"),
               "export": coord.get("/export/people.csv")}
    for form, answer in answers.items():
        text = answer_text(answer)
        assert answer.status_code == 200 and FULL_ID not in text, form
    for form in ("page", "graph", "search", "export"):
        assert masked in answer_text(answers[form]), form


def test_markup_in_names_is_shown_as_text(signed_in: dict) -> None:
    page = signed_in["zt"].get("/browse/Clue/ZT-2023-0001")
    assert XSS not in page.text and "&lt;img src=x onerror=alert(1)&gt;" in page.text


def test_the_region_filter_cannot_widen_a_list(signed_in: dict) -> None:
    page = signed_in["coord"].get("/browse/Clue?region=530600")
    assert 'id="total">0<' in page.text and "ZT-2023-0001" not in page.text
    bad = signed_in["coord"].get("/browse/Clue?region=53' OR 1=1 //")  # names no region
    assert 'id="total">0<' in bad.text and 'data-error-for="region"' in bad.text
    assert "MATCH" not in bad.text and "SELECT" not in bad.text


def test_out_of_scope_requests_are_audited(signed_in: dict, site: SqliteStore) -> None:
    before = site.count("AuditRecord", {"user": "coord", "outcome": "not_found"})
    assert signed_in["coord"].get("/browse/Clue/ZT-2023-0001").status_code == 404
    records = site.find("AuditRecord", where={"user": "coord", "outcome": "not_found"},
                        order_by="seq", descending=True).items
    assert len(records) == before + 1
    assert records[0].get("object_key") == "ZT-2023-0001"


def test_unmasking_is_granted_by_the_security_admin_and_audited(fresh: SqliteStore) -> None:
    fresh.upsert_nodes("Person", [{"uid": "P-SYN-0001", "id_enc": TEST_KEY.encrypt(FULL_ID)}])
    app = make_app(fresh)
    coord = Client(app)
    coord.sign_in("coord")
    assert 'id="unmask"' not in coord.get("/browse/Person/P-SYN-0001").text
    assert coord.post("/browse/Person/P-SYN-0001/unmask").status_code == 404
    security = Client(app)
    security.sign_in("sec")
    assert security.post("/admin/users/coord/unmask/allow").status_code == 302
    assert security.post("/admin/users/sys/unmask/allow").status_code == 302
    assert not fresh.get("User", "sys").get("may_unmask")
    assert coord.get("/browse/Person/P-SYN-0001").status_code == 302  # its session ended
    coord.sign_in("coord")
    assert 'id="unmask"' in coord.get("/browse/Person/P-SYN-0001").text
    shown = coord.post("/browse/Person/P-SYN-0001/unmask")
    assert shown.status_code == 200 and FULL_ID in shown.text
    assert coord.post("/browse/Person/P-SYN-ZT1/unmask").status_code == 404
    records = fresh.find("AuditRecord", where={"event": "person.unmask"}, order_by="seq").items
    assert [(r.get("kind"), r.get("outcome")) for r in records] == [
        ("security", "not_found"), ("security", "ok"), ("security", "not_found")]
    assert all(FULL_ID not in str(r.props) for r in records)
