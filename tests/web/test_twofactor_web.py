"""Two-factor sign-in in the app: enrolment at first sign-in, codes, turning off, resetting."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pyotp
from flask import Flask
from web.client import Client, code_for, make_app
from web.scenario import PASSWORD

from collab.access import twofactor
from collab.config import Config
from collab.graph.sqlite_engine import SqliteStore

FAILED = "登录失败"
_SECRET = re.compile(r'id="totp-secret">([A-Z2-7]+)<')


def setup(client: Client) -> str:
    """Go through the set-up page as a person would; the secret the phone now holds."""
    assert client.get("/admin/users").headers["Location"] == "/account/2fa"
    return setup_from(client)


def setup_from(client: Client) -> str:
    """Set up the authenticator from the two-factor page; the secret the phone holds."""
    assert client.post("/account/2fa/begin").status_code == 302
    page = client.get("/account/2fa").text
    assert 'src="data:image/svg+xml' in page
    return _SECRET.search(page).group(1)


def test_an_admin_sets_it_up_at_first_sign_in(fresh_app: Flask, fresh: SqliteStore) -> None:
    fresh.write(lambda tx: twofactor.reset(tx, authz=None, name="sys", now=datetime.now(UTC)))
    fresh.upsert_nodes("User", [{"name": "sys", "must_change": True}])
    client = Client(fresh_app)
    assert client.sign_in("sys").status_code == 302
    assert client.get("/admin/users").headers["Location"] == "/password"  # first this
    assert client.post("/password", {"current": PASSWORD, "new": "Er-Hai-2026x",
                                     "confirm": "Er-Hai-2026x"}).status_code == 302
    secret = setup(client)
    wrong = client.post("/account/2fa/confirm", {"code": "000000" if pyotp.TOTP(secret).now()
                                                 != "000000" else "111111"})
    assert wrong.headers["Location"] == "/account/2fa"
    assert not twofactor.enrolled(fresh.get("User", "sys"))
    done = client.post("/account/2fa/confirm", {"code": pyotp.TOTP(secret).now()})
    assert done.headers["Location"] == "/" and client.get("/admin/users").status_code == 200
    user = fresh.get("User", "sys")
    assert twofactor.enrolled(user) and all(secret not in str(v) for v in user.props.values())
    events = [(r.get("event"), r.get("outcome")) for r in fresh.find(
        "AuditRecord", where={"user": "sys", "kind": "auth"}, order_by="seq").items]
    assert events[-3:] == [("auth.2fa_begin", "ok"), ("auth.2fa_enrolled", "refused"),
                           ("auth.2fa_enrolled", "ok")]


def test_the_secret_is_nowhere_in_the_database_files(fresh_app: Flask, fresh: SqliteStore,
                                                     tmp_path: Path) -> None:
    fresh.write(lambda tx: twofactor.reset(tx, authz=None, name="aud", now=datetime.now(UTC)))
    client = Client(fresh_app)
    client.sign_in("aud")
    secret = setup(client)
    client.post("/account/2fa/confirm", {"code": pyotp.TOTP(secret).now()})
    for path in tmp_path.glob("collab.sqlite3*"):
        assert secret.encode() not in path.read_bytes(), path.name


def test_no_code_a_wrong_code_or_a_spent_code_opens_no_session(fresh_app: Flask) -> None:
    client = Client(fresh_app)
    for code in ("", "12345", "abcdef"):
        answer = client.sign_in("sec", code=code)
        assert answer.status_code == 200 and FAILED in answer.text
        assert client.get("/admin/users").status_code == 302
    code = code_for(fresh_app, "sec")
    assert client.sign_in("sec", code=code).status_code == 302
    thief = Client(fresh_app)
    replay = thief.sign_in("sec", code=code)
    assert replay.status_code == 200 and FAILED in replay.text
    assert thief.get("/admin/users").status_code == 302


def test_admins_cannot_turn_it_off_for_themselves(fresh_app: Flask, fresh: SqliteStore) -> None:
    for name in ("sys", "sec", "aud"):
        client = Client(fresh_app)
        client.sign_in(name)
        assert 'id="two-factor-off"' not in client.get("/account/2fa").text
        assert client.post("/account/2fa/off").headers["Location"] == "/account/2fa"
        assert twofactor.enrolled(fresh.get("User", name))
    assert fresh.count("AuditRecord", {"event": "auth.2fa_off", "outcome": "refused"}) == 3


def _without_authenticator(store: SqliteStore, *names: str) -> None:
    for name in names:
        store.write(lambda tx, n=name: twofactor.reset(tx, authz=None, name=n,
                                                       now=datetime.now(UTC)))


def test_every_role_sets_it_up_at_first_sign_in_by_default(fresh_app: Flask,
                                                           fresh: SqliteStore) -> None:
    """Item 7 of issue 16 (GB/T 22239-2019 8.1.4.1 d): not only the admins."""
    _without_authenticator(fresh, "lead", "liaison", "pend")
    for name in ("lead", "liaison", "pend"):
        client = Client(fresh_app)
        assert client.sign_in(name).status_code == 302
        for page in ("/", "/browse/Clue", "/account/tokens", "/api/v1/me"):
            answer = client.get(page)
            assert answer.status_code in (302, 401), (name, page)
            if answer.status_code == 302:
                assert answer.headers["Location"] == "/account/2fa", (name, page)
        secret = setup_from(client)
        client.post("/account/2fa/confirm", {"code": pyotp.TOTP(secret).now()})
        assert twofactor.enrolled(fresh.get("User", name))
        assert 'id="two-factor-off"' not in client.get("/account/2fa").text
        assert client.post("/account/2fa/off").headers["Location"] == "/account/2fa"
        assert twofactor.enrolled(fresh.get("User", name))
    assert fresh.count("AuditRecord", {"event": "auth.2fa_enrolled", "outcome": "ok"}) == 3
    assert fresh.count("AuditRecord", {"event": "auth.2fa_off", "outcome": "refused"}) == 3


def test_a_deployment_may_narrow_it_and_then_others_may_turn_it_off(
        fresh: SqliteStore) -> None:
    """COLLAB_2FA_ROLES=coordinator: coordinators and the admins must, a leader may."""
    _without_authenticator(fresh, "coord", "lead")
    app = make_app(fresh, COLLAB_CONFIG=Config.from_env(two_factor_roles=("coordinator",)))
    client = Client(app)
    assert client.sign_in("coord").status_code == 302
    assert client.get("/browse/Clue").headers["Location"] == "/account/2fa"
    leader = Client(app)
    assert leader.sign_in("lead").status_code == 302
    assert leader.get("/browse/Clue").status_code == 200
    secret = setup_from(leader)
    leader.post("/account/2fa/confirm", {"code": pyotp.TOTP(secret).now()})
    assert FAILED in Client(app).sign_in("lead", code="").text
    assert leader.post("/account/2fa/off").headers["Location"] == "/login"
    assert not twofactor.enrolled(fresh.get("User", "lead"))
    assert Client(app).sign_in("lead").status_code == 302


def test_the_security_admin_resets_it(fresh_app: Flask, fresh: SqliteStore) -> None:
    admin = Client(fresh_app)
    admin.sign_in("sys")
    security = Client(fresh_app)
    security.sign_in("sec")
    assert 'admin/users/sys/2fa-reset' in security.get("/admin/users").text
    assert admin.post("/admin/users/aud/2fa-reset").status_code == 404
    assert security.post("/admin/users/sec/2fa-reset").status_code == 302
    assert twofactor.enrolled(fresh.get("User", "sec"))
    assert security.post("/admin/users/sys/2fa-reset").status_code == 302
    assert not twofactor.enrolled(fresh.get("User", "sys"))
    assert admin.get("/admin/users").status_code == 302  # its session ended
    admin.sign_in("sys")
    assert admin.get("/admin/users").headers["Location"] == "/account/2fa"
    records = fresh.find("AuditRecord", where={"event": "user.2fa_reset"}, order_by="seq").items
    assert [(r.get("user"), r.get("object_key"), r.get("outcome")) for r in records] == [
        ("sys", "aud", "not_found"), ("sec", "sec", "refused"), ("sec", "sys", "ok")]
