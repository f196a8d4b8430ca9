"""The JSON API on both engines: tokens, the same jurisdiction as the pages, JSON errors."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from web.client import Client, make_app
from web.scenario import CLUES_SEEN, FULL_ID, add_accounts, build, token_for

from collab.graph.store import Store

NAMES = ("coord", "zt", "liaison", "prov")


@pytest.fixture
def api(store: Store) -> tuple[FlaskClient, dict[str, str], Store]:
    store.write(build)
    store.write(lambda tx: add_accounts(tx, NAMES))
    tokens = {n: token_for(store, n) for n in NAMES}
    return make_app(store).test_client(), tokens, store


def get(client: FlaskClient, token: str, url: str) -> Any:
    return client.get(url, headers={"Authorization": "Bearer " + token})


def test_a_token_is_required(api) -> None:
    client, tokens, _ = api
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": tokens["coord"]}):
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        body = response.get_json()
        assert "token" in body["error"] and body["request_id"]


def test_me_and_lists_follow_jurisdiction(api) -> None:
    client, tokens, _ = api
    assert get(client, tokens["liaison"], "/api/v1/me").get_json()["department"] == "D532628-JW"
    for name in NAMES:
        body = get(client, tokens[name], "/api/v1/nodes/Clue").get_json()
        assert body["total"] == len(CLUES_SEEN[name])
        assert {item["key"] for item in body["items"]} == CLUES_SEEN[name]


def test_out_of_scope_and_unknown_answer_404_json(api) -> None:
    client, tokens, _ = api
    for url in ("/api/v1/nodes/Clue/ZT-2023-0001", "/api/v1/nodes/Clue/NOPE",
                "/api/v1/nodes/User/coord", "/api/v1/nodes/Nonsense",
                "/api/v1/nodes/AuditRecord"):
        response = get(client, tokens["coord"], url)
        assert response.status_code == 404, url
        assert response.get_json()["error"] and "ZT-2023" not in response.text
    assert get(client, tokens["liaison"], "/api/v1/nodes/Issue").status_code == 404


def test_people_come_masked(api) -> None:
    client, tokens, _ = api
    body = get(client, tokens["coord"], "/api/v1/nodes/Person/P-SYN-0001").get_json()
    assert "id_hash" not in body["props"] and "id_enc" not in body["props"]
    assert FULL_ID not in str(body) and body["props"]["id_masked"].startswith("532628****")


@pytest.mark.parametrize("query", ["' OR 1=1 //", '"}) MATCH (n) DETACH DELETE n //', "`x`"])
def test_metacharacters_are_only_text(api, query: str) -> None:
    client, tokens, store = api
    before = store.count("Clue")
    response = get(client, tokens["prov"], "/api/v1/nodes/Clue?q=" + query)
    assert response.status_code == 200 and response.get_json()["total"] == 0
    assert store.count("Clue") == before
    bad = get(client, tokens["prov"], "/api/v1/nodes/Clue?region=" + query)
    assert bad.status_code == 422  # the document declares what a region code is
    assert not any(w in bad.text for w in ("json_extract", "props", "RETURN", "Traceback"))


def test_bad_parameters_get_json_errors(api) -> None:
    client, tokens, _ = api
    response = get(client, tokens["coord"], "/api/v1/nodes/Clue?page=0")
    assert response.status_code == 422 and response.get_json()["request_id"], response.text


def test_dashboard_figures_by_scope(api) -> None:
    client, tokens, _ = api
    body = get(client, tokens["coord"], "/api/v1/dashboard?year=2023").get_json()
    assert body["figures"]["Clue"] == 2 and body["figures"]["Issue"] == 1
    assert get(client, tokens["coord"], "/api/v1/dashboard?region=530600").status_code == 404
    body = get(client, tokens["prov"], "/api/v1/dashboard?region=530600").get_json()
    assert body["figures"]["Clue"] == 1


def test_every_api_request_is_audited(api) -> None:
    client, tokens, store = api
    before = store.count("AuditRecord")
    get(client, tokens["zt"], "/api/v1/nodes/Clue/ZT-2023-0001")
    get(client, tokens["zt"], "/api/v1/nodes/Clue/XS-2023-0001")
    records = store.find("AuditRecord", order_by="seq", descending=True, limit=2).items
    assert store.count("AuditRecord") == before + 2
    assert [r.get("outcome") for r in records] == ["not_found", "ok"]
    assert all(r.get("user") == "zt" for r in records)


def test_a_browser_session_does_not_open_the_api(api) -> None:
    _, _, store = api
    app = make_app(store)
    browser = Client(app)
    browser.sign_in("coord")
    assert browser.get("/browse/Clue").status_code == 200
    assert browser.get("/api/v1/me").status_code == 401


def test_errors_are_chinese_by_default_and_english_on_request(api) -> None:
    client, tokens, store = api
    before = store.count("Transfer")
    early = {"department": "D532600-SJ", "letter_no": "文纪移〔1990〕1号", "on": "1990-02-01"}
    for lang, expected in (
            ("", "问题线索 XS-2023-0001：移交日期 1990-02-01 早于登记日期 2023-10-20"),
            ("?lang=en", "clue XS-2023-0001: transfer date 1990-02-01 is before its "
                         "registration on 2023-10-20")):
        response = client.post("/api/v1/clues/XS-2023-0001/transfers" + lang, json=early,
                               headers={"Authorization": "Bearer " + tokens["coord"]})
        assert response.status_code == 400
        assert response.get_json()["error"] == expected
    assert store.count("Transfer") == before
