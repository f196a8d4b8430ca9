"""API tokens through the pages and the API, on both engines (items 2 and 5 of issue 16).

The probe's attack: the security admin issued an API token for a coordinator, saw it in plain
text and read every clue through /api/v1 in the coordinator's name. Now only the user mints a
token, after their password and authenticator code again, and sees it once; the security
admin lists, shortens and revokes tokens, never sees or mints one; a token expires, and
ends when its user's password, role or department, two-factor set-up or account changes or
they sign out everywhere.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from web.client import Client, code_for, make_app
from web.scenario import PASSWORD, add_accounts, build

from collab.access import tokens
from collab.config import Config
from collab.graph.store import Store

_TOKEN = re.compile(r'id="token">(clb_[A-Za-z0-9_-]+)<')
NEW_PASSWORD = "Er-Hai-Yue-2026"


def signed_in(app: Flask, name: str) -> Client:
    client = Client(app)
    assert client.sign_in(name).status_code == 302
    return client


def ask_for_token(client: Client, name: str, *, password: str = PASSWORD,
                  code: str | None = None) -> Any:
    return client.post("/account/tokens", {
        "label": "报表程序", "password": password,
        "code": code_for(client.app, name) if code is None else code})


def own_token(app: Flask, name: str = "coord") -> tuple[Client, str]:
    client = signed_in(app, name)
    answer = ask_for_token(client, name)
    found = _TOKEN.search(answer.text)
    assert answer.status_code == 200 and found, answer.text[:500]
    return client, found.group(1)


def api(app: Flask, token: str, url: str = "/api/v1/nodes/Clue") -> int:
    return app.test_client().get(url, headers={"Authorization": "Bearer " + token}).status_code


def records(store: Store, event: str) -> list[tuple[str, str]]:
    found = store.find("AuditRecord", where={"event": event}, order_by="seq", limit=100).items
    return [(r.get("user"), r.get("outcome")) for r in found]


def test_the_security_admin_can_neither_mint_nor_see_a_coordinators_token(
        app: Flask, store: Store) -> None:
    security = signed_in(app, "sec")
    attack = security.post("/admin/users/coord/token", {})  # the route the probe used
    assert attack.status_code == 404 and "clb_" not in attack.text
    mine = ask_for_token(security, "sec")  # an admin, even for itself: none
    assert "clb_" not in mine.text and store.count("ApiToken") == 0
    assert records(store, "token.issue") == [("sec", "refused")]

    coordinator, token = own_token(app)
    assert api(app, token) == 200
    assert token not in coordinator.get("/account/tokens").text  # shown once only
    listing = security.get("/admin/tokens").text
    assert 'data-user="coord"' in listing and "报表程序" in listing
    assert token not in listing and tokens.digest(token) not in listing
    assert records(store, "token.issue")[-1] == ("coord", "ok")


def test_a_token_needs_the_password_and_a_fresh_code(app: Flask, store: Store) -> None:
    client = signed_in(app, "coord")
    for password, code in (("Not-the-password-1", None), (PASSWORD, "000000"),
                           (PASSWORD, "")):
        answer = ask_for_token(client, "coord", password=password, code=code)
        assert "clb_" not in answer.text
    assert store.count("ApiToken") == 0
    assert [o for _, o in records(store, "token.issue")] == ["refused", "refused"]
    assert store.get("User", "coord").get("failures") == 2


def test_the_security_admin_revokes_and_shortens_tokens_on_the_page(
        app: Flask, store: Store) -> None:
    _, first = own_token(app, "coord")
    _, second = own_token(app, "lead")
    security = signed_in(app, "sec")
    uids = {t.get("user"): t.uid for t in store.find("ApiToken").items}
    assert security.post(f"/admin/tokens/{uids['coord']}/revoke").status_code == 302
    assert api(app, first) == 401 and api(app, second) == 200
    today = time.strftime("%Y-%m-%d", time.gmtime())
    assert security.post(f"/admin/tokens/{uids['lead']}/expire", {"on": today}) \
        .status_code == 302
    assert api(app, second) == 401
    for other in ("sys", "aud", "coord"):
        client = signed_in(app, other)
        assert client.get("/admin/tokens").status_code == 404
        assert client.post(f"/admin/tokens/{uids['lead']}/revoke").status_code == 404
    assert records(store, "token.revoke")[0] == ("sec", "ok")
    assert records(store, "token.expire") == [("sec", "ok")]


def test_a_user_lists_and_revokes_their_own(app: Flask, store: Store) -> None:
    client, token = own_token(app)
    page = client.get("/account/tokens").text
    uid = store.find("ApiToken").items[0].uid
    assert f'data-token="{uid}"' in page and 'data-state="live"' in page
    other = signed_in(app, "zt")
    assert other.post(f"/account/tokens/{uid}/revoke").status_code == 404
    assert api(app, token) == 200
    assert client.post(f"/account/tokens/{uid}/revoke").status_code == 302
    assert api(app, token) == 401
    assert 'data-state="revoked"' in client.get("/account/tokens").text


def _change_password(app: Flask) -> None:
    client = signed_in(app, "coord")
    assert client.post("/password", {"current": PASSWORD, "new": NEW_PASSWORD,
                                     "confirm": NEW_PASSWORD}).status_code == 302


def _as(name: str, url: str, form: dict[str, str] | None = None) -> Callable[[Flask], None]:
    def act(app: Flask) -> None:
        assert signed_in(app, name).post(url, form or {}).status_code in (200, 302)
    return act


ENDINGS: dict[str, tuple[Callable[[Flask], None], str]] = {
    "password changed": (_change_password, "auth.password_changed"),
    "password reset": (_as("sys", "/admin/users/coord/reset"), "user.reset_password"),
    "signed out everywhere": (_as("coord", "/logout/everywhere"), "auth.sign_out_everywhere"),
    "role changed": (_as("sec", "/admin/users/coord/grant", {"role": "leader",
                                                             "region": "532600"}),
                     "user.grant"),
    "jurisdiction changed": (_as("sec", "/admin/users/coord/grant",
                                 {"role": "coordinator", "region": "532628"}), "user.grant"),
    "department changed": (_as("sec", "/admin/users/coord/grant",
                               {"role": "liaison", "department": "D532628-JW"}), "user.grant"),
    "two-factor reset": (_as("sec", "/admin/users/coord/2fa-reset"), "user.2fa_reset"),
    "disabled": (_as("sys", "/admin/users/coord/disable"), "user.disable"),
}


@pytest.mark.parametrize("ending", ENDINGS)
def test_a_token_ends_when(app: Flask, store: Store, ending: str) -> None:
    _, token = own_token(app)
    _, others = own_token(app, "zt")
    act, event = ENDINGS[ending]
    act(app)
    assert api(app, token) == 401 and api(app, others) == 200
    assert records(store, event)[-1][1] == "ok"
    ended = store.find("ApiToken", where={"user": "coord"}).items[0]
    assert tokens.state(ended, datetime.now(UTC)) == tokens.State.REVOKED


def test_a_token_expires(store: Store) -> None:
    store.write(build)
    store.write(lambda tx: add_accounts(tx, ("coord",)))
    app = make_app(store, COLLAB_CONFIG=Config.from_env(token_days=2 / 86400))
    _, token = own_token(app)
    assert api(app, token) == 200
    time.sleep(2.1)
    assert api(app, token) == 401
