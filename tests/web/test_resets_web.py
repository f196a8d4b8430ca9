"""A password reset through the pages, on both engines (item 6 of issue 16).

The probe's attack: the system admin reset a coordinator's password to one it chose, signed
in as the coordinator and read their clues. Now a reset gives a one-time code that expires in
an hour and opens only the page where the user chooses their own password — and only with the
user's authenticator code; the user is told who reset it and when.
"""

from __future__ import annotations

import re
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from web.client import Client, make_app
from web.scenario import add_accounts, build

from collab.config import Config
from collab.graph.store import Store

_CODE = re.compile(r'id="reset-code"[^>]*>([A-Z0-9]{4}(?:-[A-Z0-9]{4}){3})<')
MINE = "Er-Hai-Yue-2026"


def reset_by_admin(app: Flask, name: str = "coord") -> str:
    admin = Client(app)
    assert admin.sign_in("sys").status_code == 302
    page = admin.post(f"/admin/users/{name}/reset")
    found = _CODE.search(page.text)
    assert page.status_code == 200 and found, page.text[:400]
    return found.group(1)


def outcomes(store: Store, event: str) -> list[str]:
    return [r.get("outcome") for r in store.find(
        "AuditRecord", where={"event": event, "object_key": "coord"}, order_by="seq").items]


def test_the_admin_gets_a_code_that_opens_nothing_without_the_users_phone(
        app: Flask, store: Store) -> None:
    code = reset_by_admin(app)
    assert store.get("User", "coord").get("password_hash") is None
    assert "reset_code_hash" not in str([r.props for r in store.find("AuditRecord").items])
    assert Client(app).sign_in("coord").status_code == 200  # the old password is gone
    admin_as_user = Client(app)
    for phone in ("", "123456"):  # the admin has the code, not the coordinator's phone
        answer = admin_as_user.sign_in("coord", password=code, code=phone)
        assert answer.status_code == 200 and "登录失败" in answer.text
        assert admin_as_user.get("/browse/Clue").status_code == 302
        assert admin_as_user.get("/password").status_code == 302
    assert store.get("User", "coord").get("reset_code_hash") is not None  # not spent by that
    assert [r for r in outcomes(store, "user.reset_password")] == ["ok"]


def test_the_user_with_their_phone_only_chooses_a_password_and_is_told_who_reset_it(
        app: Flask, store: Store) -> None:
    code = reset_by_admin(app)
    user = Client(app)
    answer = user.sign_in("coord", password=code)
    assert answer.status_code == 302 and answer.headers["Location"] == "/password"
    page = user.get("/password").text
    notice = re.search(r'id="reset-notice">([^<]+)<', page).group(1)
    reset_at = store.get("User", "coord").get("reset_at").astimezone(ZoneInfo("Asia/Shanghai"))
    assert "由 sys 重置" in notice and reset_at.strftime("%Y-%m-%d %H:%M") in notice
    assert 'name="current"' not in page  # no old password to give
    for url in ("/", "/browse/Clue", "/explore/", "/account/tokens", "/admin/users"):
        assert user.get(url).headers.get("Location") == "/password", url
    assert Client(app).sign_in("coord", password=code).status_code == 200  # spent
    weak = user.post("/password", {"new": "Passw0rd!x", "confirm": "Passw0rd!x"})
    assert weak.status_code == 200 and "常用密码" in weak.text
    chosen = user.post("/password", {"new": MINE, "confirm": MINE})
    assert chosen.status_code == 302 and chosen.headers["Location"] == "/"
    assert user.get("/browse/Clue").status_code == 200
    again = Client(app)
    assert again.sign_in("coord", password=MINE).status_code == 302
    assert outcomes(store, "auth.password_chosen") == ["refused", "ok"]
    assert store.count("AuditRecord", {"event": "auth.sign_in",
                                       "outcome": "ok_reset_code"}) == 1


def test_the_code_expires_within_the_hour(store: Store) -> None:
    store.write(build)
    store.write(lambda tx: add_accounts(tx, ("sys", "coord")))
    app = make_app(store, COLLAB_CONFIG=Config.from_env(reset_code_minutes=2 / 60))
    code = reset_by_admin(app)
    time.sleep(2.1)
    assert Client(app).sign_in("coord", password=code).status_code == 200
    assert Config.from_env().sign_in_policy().reset_valid == timedelta(hours=1)


def test_nobody_resets_their_own_or_someone_elses_from_the_wrong_role(
        app: Flask, store: Store) -> None:
    admin = Client(app)
    admin.sign_in("sys")
    assert admin.post("/admin/users/sys/reset").status_code == 302  # refused, shown
    assert store.get("User", "sys").get("password_hash") is not None
    for name in ("sec", "aud", "coord"):
        other = Client(app)
        other.sign_in(name)
        assert other.post("/admin/users/lead/reset").status_code == 404
    assert store.get("User", "lead").get("password_hash") is not None
