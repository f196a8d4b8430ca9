"""Security headers on every answer of every route, and errors that tell nothing away.

Every route the URL map holds is requested signed out, signed in and with an API token; every
answer (pages, JSON, redirects, files, errors) must carry the CSP without inline script, with
`object-src 'none'` and `frame-ancestors`, and `nosniff`. Then the store is made unreachable,
input malformed or oversized, and a view fails unexpectedly: the answer is a plain page or JSON
with the request id, and no trace, query text, file path or personal data.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from web.client import Client, make_app
from web.routes import ROOT_MARKERS, rules, url
from web.scenario import FULL_ID, token_for

from collab.config import Config
from collab.graph.sqlite_engine import SqliteStore

# What an answer must never show: traces, driver and query text, paths, personal data.
NEVER = ("Traceback", "File \"", "sqlite3", "neo4j.", "bolt://", "json_extract", "SELECT",
         "MATCH (", "RETURN", "site-packages", FULL_ID, "k" * 64, "sealed", *ROOT_MARKERS)
# What a failing view's exception might hold: query text, a path, an ID number.
SECRET = " ".join(("SELECT props FROM nodes WHERE uid = :uid", "/work/secret/path.py", FULL_ID))


def assert_headers(response: Any, where: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives.get("script-src") == ["'self'"], where
    assert directives.get("object-src") == ["'none'"], where
    assert directives.get("frame-ancestors") == ["'none'"], where
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where


def assert_plain(response: Any, status: int, where: str = "") -> None:
    """A plain error: the status, the request id in the body, nothing that should stay inside."""
    assert response.status_code == status, (where, response.status_code)
    rid = response.headers["X-Request-Id"]
    text = response.get_data(as_text=True)
    assert len(rid) == 16 and rid in text, where
    assert not [w for w in NEVER if w in text], (where, [w for w in NEVER if w in text])
    if response.mimetype == "application/json":
        assert response.get_json()["request_id"] == rid
    else:
        assert response.mimetype == "text/html"
    assert_headers(response, where)


@pytest.fixture
def token(fresh: SqliteStore) -> str:
    return token_for(fresh, "coord", "headers")


def test_every_route_answers_with_the_security_headers(fresh_app: Flask, token: str) -> None:
    anonymous, coord = Client(fresh_app), Client(fresh_app)
    coord.sign_in("coord")
    tried = 0
    for method in ("GET", "POST"):
        for rule in rules(fresh_app, method):
            if rule.endpoint in ("auth.logout", "auth.logout_everywhere"):
                continue
            address = url(fresh_app, rule)
            for client in (anonymous, coord):
                sent = client.get(address) if method == "GET" else client.post(address, {})
                assert_headers(sent, f"{method} {address}")
                tried += 1
            api = coord.http.open(address, method=method,
                                  headers={"Authorization": "Bearer " + token})
            assert_headers(api, f"API {method} {address}")
    assert tried > 80


def test_the_store_down_answers_503_with_a_request_id_and_nothing_else() -> None:
    config = Config.from_env(backend="neo4j", neo4j_uri="bolt://127.0.0.1:1",
                             neo4j_password="not-the-password")
    app = make_app(None, COLLAB_CONFIG=config)
    client = app.test_client()
    for address in ("/login", "/", "/browse/Clue", "/explore/api/search?q=张三"):
        assert_plain(client.get(address), 503, address)
    api = client.get("/api/v1/me", headers={"Authorization": "Bearer some-token"})
    assert_plain(api, 503, "/api/v1/me")
    login = client.post("/login", data={"name": "coord", "password": "x"})
    assert_plain(login, 503, "POST /login")


def test_malformed_input_gets_a_plain_answer(fresh_app: Flask, token: str) -> None:
    coord = Client(fresh_app)
    coord.sign_in("coord")
    bearer = {"Authorization": "Bearer " + token}
    for address, status in (("/browse/Clue?page=abc", 400), ("/browse/Clue?page=-1", 400),
                            ("/explore/api/expand?uid=x&depth=9", 400),
                            ("/browse/Clue/%ff%fe%00", 404), ("/no/such/" + "x" * 300, 404),
                            ("/browse/Nonsense", 404)):
        assert_plain(coord.get(address), status, address)
    assert_plain(coord.get("/api/v1/nodes/Clue?page=zero", headers=bearer), 422, "api page")
    assert_plain(coord.get("/api/v1/nodes/Clue/%ff", headers=bearer), 404, "api key")
    assert_plain(coord.get("/logout"), 405, "GET /logout")
    assert_plain(coord.http.post("/checks/new", data={"no": "x"}), 400, "no CSRF token")
    broken = coord.http.post("/import/", data=b"--x\r\nbroken", headers={
        "Content-Type": "multipart/form-data; boundary=x"})
    assert broken.status_code in (400, 200) and "Traceback" not in broken.text


def test_oversized_input_gets_a_plain_answer(fresh_app: Flask) -> None:
    coord = Client(fresh_app)
    coord.sign_in("coord")
    big = io.BytesIO(b"a," * (11 * 2**20))
    upload = coord.http.post("/import/", data={"csrf_token": coord.token,
                                               "ledger": (big, "台账.csv")},
                             content_type="multipart/form-data")
    assert_plain(upload, 413, "upload")
    long_name = coord.http.post("/login", data={"name": "名" * 100_000, "password": "x"})
    assert long_name.status_code in (400, 413) and "Traceback" not in long_name.text
    search = coord.get("/explore/api/search?q=" + "张" * 20_000)
    assert search.status_code < 500 and "Traceback" not in search.text


def test_an_unexpected_failure_shows_only_a_request_id(fresh: SqliteStore) -> None:
    """A view that fails with query text, a path and an ID number in its exception."""
    app = make_app(fresh)

    def failing() -> Any:
        raise RuntimeError(SECRET)

    app.add_url_rule("/failing", "failing", failing)
    app.add_url_rule("/api/v1/failing", "api_failing", failing)
    coord = Client(app)
    coord.sign_in("coord")
    assert_plain(coord.get("/failing"), 500, "page")
    assert_plain(coord.get("/api/v1/failing"), 500, "api")
