"""API tokens (items 2 and 5 of issue 16): only their own user mints one, after a fresh
password and authenticator code; they expire, and end with the password, a reset, "sign out
everywhere", a role or department change, a two-factor reset and disabling; their user lists
and revokes them; the security admin lists, shortens and revokes them, and never sees one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from keys import AUDIT_KEY

from collab.access import sessions, tokens, twofactor, users
from collab.access.actors import Actor
from collab.access.audit import Origin
from collab.access.authz import Authz, Role
from collab.access.idnumbers import IdKey
from collab.access.tokens import State
from collab.errors import NotFound, ValidationError
from collab.graph.store import Graph, Store

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
STEP = timedelta(seconds=30)
GOOD = "Lan-Cang-2026"
KEY = IdKey.from_secret(b"token-tests-key-of-thirty-two-by")
HERE = Origin(user="wang.fang", address="10.3.3.3", request_id="r")
SECURITY = Authz(Actor("sec.admin", Role.SECURITY_ADMIN))
SYSTEM = Authz(Actor("sys.admin", Role.SYSTEM_ADMIN))


class Person:
    """A user with a phone, who asks for tokens at successive moments."""

    def __init__(self, store: Store, name: str, role: Role = Role.COORDINATOR):
        store.upsert_nodes("Department", [{"code": "D1", "name": "某部门",
                                           "region_code": "532600"}])
        store.write(lambda tx: users.add(tx, authz=None, name=name, password=GOOD, now=T0,
                                         role=role, region="532600" if role == Role.COORDINATOR
                                         else None))
        secret = store.write(lambda tx: twofactor.begin(tx, name=name, key=KEY))
        self.phone, self.store, self.name, self.at = pyotp.TOTP(secret), store, name, T0
        store.write(lambda tx: twofactor.confirm(tx, name=name, key=KEY,
                                                 code=self.phone.at(T0), now=T0))

    def token(self, *, password: str = GOOD, code: str | None = None) -> str | None:
        self.at += 2 * STEP
        shown = self.phone.at(self.at) if code is None else code
        return self.store.write(lambda tx: users.issue_token(
            tx, name=self.name, password=password, code=shown, key=KEY, audit_key=AUDIT_KEY,
            origin=HERE, now=self.at, label="reports"))


def live(store: Store, token: str, at: datetime) -> bool:
    return store.read(lambda tx: tokens.live_user(tx, token=token, now=at)) is not None


def test_a_token_needs_a_fresh_password_and_code_and_only_its_hash_is_kept(
        store: Store) -> None:
    wang = Person(store, "wang.fang")
    assert wang.token(password="Not-the-one-1") is None
    assert wang.token(code="000000") is None
    assert store.count("ApiToken") == 0
    assert store.get("User", "wang.fang").get("failures") == 2  # refusals count to lockout
    token = wang.token()
    assert token and token.startswith("clb_") and live(store, token, wang.at)
    assert store.read(lambda tx: tokens.live_user(tx, token=token, now=wang.at)).key == \
        "wang.fang"
    assert not live(store, token + "x", wang.at)
    assert store.count("ApiToken", {"token_hash": token}) == 0  # kept as its hash only
    assert store.count("AuditRecord", {"event": "token.issue", "outcome": "refused"}) == 2
    assert store.count("AuditRecord", {"event": "token.issue", "outcome": "ok"}) == 1


def test_admins_and_accounts_without_two_factor_get_none(store: Store) -> None:
    admin = Person(store, "sec.two", Role.SECURITY_ADMIN)
    with pytest.raises(ValidationError, match="admin accounts"):
        admin.token()
    store.write(lambda tx: users.add(tx, authz=None, name="no.phone", password=GOOD, now=T0,
                                     role=Role.LEADER, region="532600"))
    with pytest.raises(ValidationError, match="two-factor"):
        store.write(lambda tx: users.issue_token(
            tx, name="no.phone", password=GOOD, code="", key=KEY, audit_key=AUDIT_KEY,
            origin=HERE, now=T0, label="x"))
    assert store.count("ApiToken") == 0


def test_a_token_expires_after_thirty_days_by_default(store: Store) -> None:
    wang = Person(store, "wang.fang")
    token = wang.token()
    assert live(store, token, wang.at + timedelta(days=29, hours=23))
    assert not live(store, token, wang.at + timedelta(days=30))
    stored = store.find("ApiToken").items[0]
    assert tokens.state(stored, wang.at + timedelta(days=31)) == State.EXPIRED


ENDINGS: dict[str, Callable[[Graph], object]] = {
    "password changed": lambda tx: users.change_password(
        tx, name="wang.fang", current=GOOD, new="Er-Hai-2026x", now=T0 + timedelta(hours=1)),
    "password reset": lambda tx: users.reset_password(
        tx, authz=SYSTEM, name="wang.fang", now=T0 + timedelta(hours=1)),
    "signed out everywhere": lambda tx: sessions.sign_out_everywhere(
        tx, name="wang.fang", now=T0 + timedelta(hours=1)),
    "role or jurisdiction changed": lambda tx: users.grant(
        tx, authz=SECURITY, name="wang.fang", role=Role.COORDINATOR, region="532628",
        now=T0 + timedelta(hours=1)),
    "department changed": lambda tx: users.grant(
        tx, authz=SECURITY, name="wang.fang", role=Role.LIAISON, region=None, department="D1",
        now=T0 + timedelta(hours=1)),
    "account disabled": lambda tx: users.set_disabled(
        tx, authz=SYSTEM, name="wang.fang", disabled=True, now=T0 + timedelta(hours=1)),
    "two-factor sign-in reset": lambda tx: twofactor.reset(
        tx, authz=SECURITY, name="wang.fang", now=T0 + timedelta(hours=1)),
}


@pytest.mark.parametrize("ending", ENDINGS)
def test_every_token_of_a_user_ends_when(store: Store, ending: str) -> None:
    wang, li = Person(store, "wang.fang"), Person(store, "li.si")
    first, second, others = wang.token(), wang.token(), li.token()
    store.write(ENDINGS[ending])
    at = T0 + timedelta(hours=2)
    assert not live(store, first, at) and not live(store, second, at)
    assert live(store, others, at)
    ended = store.find("ApiToken", where={"user": "wang.fang"}).items
    assert {t.get("revoked_why").split(" ")[0] for t in ended} <= {
        "password", "signed", "role", "account", "two-factor"}
    assert all(tokens.state(t, at) == State.REVOKED for t in ended)


def test_a_user_lists_and_revokes_their_own_and_nobody_elses(store: Store) -> None:
    wang, li = Person(store, "wang.fang"), Person(store, "li.si")
    mine, theirs = wang.token(), li.token()
    page = store.read(lambda tx: tokens.own(tx, name="wang.fang"))
    assert page.total == 1 and "token_hash" not in str(page.items[0].props.get("name"))
    uid = page.items[0].uid
    their_uid = store.read(lambda tx: tokens.own(tx, name="li.si")).items[0].uid
    with pytest.raises(NotFound):
        store.write(lambda tx: tokens.revoke_own(tx, name="wang.fang", uid=their_uid,
                                                 now=wang.at))
    store.write(lambda tx: tokens.revoke_own(tx, name="wang.fang", uid=uid, now=wang.at))
    assert not live(store, mine, wang.at) and live(store, theirs, wang.at)


def test_the_security_admin_lists_shortens_and_revokes_and_sees_no_token(
        store: Store) -> None:
    wang = Person(store, "wang.fang")
    first, second = wang.token(), wang.token()
    for other in (SYSTEM, Authz(Actor("coord", Role.COORDINATOR, "532600")),
                  Authz(Actor("aud", Role.AUDIT_ADMIN))):
        with pytest.raises(NotFound):
            store.read(lambda tx, a=other: tokens.listing(tx, authz=a))
    page = store.read(lambda tx: tokens.listing(tx, authz=SECURITY))
    assert page.total == 2 and all(first not in str(t.props) for t in page.items)
    newer, older = page.items
    store.write(lambda tx: tokens.revoke(tx, authz=SECURITY, uid=newer.uid, now=wang.at))
    assert not live(store, second, wang.at) and live(store, first, wang.at)
    with pytest.raises(ValidationError, match="brought forward"):
        store.write(lambda tx: tokens.expire(tx, authz=SECURITY, uid=older.uid,
                                             at=wang.at + timedelta(days=90), now=wang.at))
    store.write(lambda tx: tokens.expire(tx, authz=SECURITY, uid=older.uid,
                                         at=wang.at + timedelta(days=2), now=wang.at))
    assert live(store, first, wang.at + timedelta(days=1))
    assert not live(store, first, wang.at + timedelta(days=2))
    with pytest.raises(NotFound):
        store.write(lambda tx: tokens.revoke(tx, authz=SYSTEM, uid=older.uid, now=wang.at))
