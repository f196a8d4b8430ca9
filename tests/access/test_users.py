"""Accounts: password rules, lockout, address rate limits, sessions, roles kept apart."""

from __future__ import annotations

import hashlib
import re
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from keys import AUDIT_KEY

from collab.access import sessions, users
from collab.access.actors import Actor
from collab.access.audit import Origin
from collab.access.authz import Authz, Role
from collab.access.passwords import WeakPassword
from collab.access.policy import DEFAULT_POLICY, Policy
from collab.access.users import Outcome
from collab.errors import ConflictError, NotFound, ValidationError
from collab.graph.store import Store

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
GOOD = "Lan-Cang-2026"
HERE = Origin(address="10.1.1.1", request_id="r")
SYSTEM = Authz(Actor("sys.admin", Role.SYSTEM_ADMIN))
SECURITY = Authz(Actor("sec.admin", Role.SECURITY_ADMIN))


def make(store: Store, name: str = "wang.fang", role: Role = Role.COORDINATOR, **kw) -> None:
    store.write(lambda tx: users.add(tx, authz=None, name=name, password=GOOD, now=T0,
                                     display_name="王芳", role=role, region="532600", **kw))


def sign_in(store: Store, name: str, password: str, at: datetime = T0,
            origin: Origin = HERE, policy: Policy = DEFAULT_POLICY) -> users.SignIn:
    return store.write(lambda tx: users.authenticate(tx, name=name, password=password,
                                                     origin=origin, now=at, policy=policy,
                                                     audit_key=AUDIT_KEY))


def test_add_refuses_duplicates_and_unknown_departments(sqlite_graph: Store) -> None:
    make(sqlite_graph)
    with pytest.raises(ConflictError):
        make(sqlite_graph)
    with pytest.raises(NotFound):
        make(sqlite_graph, name="li.si", role=Role.LIAISON, department="D-NOWHERE")
    with pytest.raises(ValidationError):
        make(sqlite_graph, name="zhao.liu", role=Role.LIAISON)


def test_sign_in_opens_a_session_and_a_new_account_must_change(store: Store) -> None:
    make(store)
    result = sign_in(store, "wang.fang", GOOD)
    assert result.outcome == Outcome.OK and result.must_change and result.sid
    user = store.read(lambda tx: sessions.session_user(tx, sid=result.sid, now=T0))
    assert user is not None and user.key == "wang.fang"
    second = sign_in(store, "wang.fang", GOOD)
    assert second.sid != result.sid
    assert store.count("AuditRecord", {"event": "auth.sign_in", "outcome": "ok"}) == 2


def test_five_failures_lock_the_account(store: Store) -> None:
    make(store)
    for i in range(5):
        assert sign_in(store, "wang.fang", "Wrong-pass-1", T0 + timedelta(minutes=i)).outcome \
            == Outcome.REFUSED
    locked = sign_in(store, "wang.fang", GOOD, T0 + timedelta(minutes=6))
    assert locked.outcome == Outcome.LOCKED and locked.sid is None
    later = sign_in(store, "wang.fang", GOOD, T0 + timedelta(minutes=4 + 15, seconds=1))
    assert later.outcome == Outcome.OK
    assert store.count("AuditRecord", {"outcome": "locked"}) == 1
    assert store.count("AuditRecord", {"outcome": "refused"}) == 5


def test_failures_outside_the_window_do_not_add_up(sqlite_graph: Store) -> None:
    make(sqlite_graph)
    for i in range(4):
        sign_in(sqlite_graph, "wang.fang", "Wrong-pass-1", T0 + timedelta(minutes=i))
    for i in range(4):
        sign_in(sqlite_graph, "wang.fang", "Wrong-pass-1", T0 + timedelta(minutes=20 + i))
    assert sign_in(sqlite_graph, "wang.fang", GOOD, T0 + timedelta(minutes=25)).outcome \
        == Outcome.OK


def test_only_the_security_admin_unlocks(sqlite_graph: Store) -> None:
    make(sqlite_graph)
    for _ in range(5):
        sign_in(sqlite_graph, "wang.fang", "Wrong-pass-1")
    with pytest.raises(NotFound):
        sqlite_graph.write(lambda tx: users.unlock(tx, authz=SYSTEM, name="wang.fang"))
    sqlite_graph.write(lambda tx: users.unlock(tx, authz=SECURITY, name="wang.fang"))
    assert sign_in(sqlite_graph, "wang.fang", GOOD).outcome == Outcome.OK


def test_spraying_from_one_address_is_rate_limited_before_accounts_lock(
        sqlite_graph: Store) -> None:
    for i in range(20):
        make(sqlite_graph, name=f"user{i:02d}")
    outcomes = [sign_in(sqlite_graph, f"user{i:02d}", "Spring-2026-x").outcome
                for i in range(20)]
    assert outcomes[:10] == [Outcome.REFUSED] * 10
    assert set(outcomes[10:]) == {Outcome.LIMITED}
    assert sqlite_graph.count("User", {"locked_until": None}) == 20
    elsewhere = Origin(address="10.9.9.9")
    assert sign_in(sqlite_graph, "user15", GOOD, origin=elsewhere).outcome == Outcome.OK


def test_unknown_user_and_disabled_user_are_refused_alike(sqlite_graph: Store) -> None:
    make(sqlite_graph)
    sqlite_graph.write(lambda tx: users.set_disabled(tx, authz=SYSTEM, name="wang.fang",
                                                     disabled=True, now=T0))
    assert sign_in(sqlite_graph, "wang.fang", GOOD).outcome == Outcome.REFUSED
    assert sign_in(sqlite_graph, "nobody", GOOD).outcome == Outcome.REFUSED


def test_sessions_end_on_idle_age_sign_out_disable_and_role_change(store: Store) -> None:
    make(store)
    policy = DEFAULT_POLICY

    def alive(sid: str, at: datetime) -> bool:
        return store.read(lambda tx: sessions.session_user(tx, sid=sid, now=at,
                                                           policy=policy)) is not None

    sid = sign_in(store, "wang.fang", GOOD).sid
    assert alive(sid, T0 + timedelta(minutes=29))
    assert not alive(sid, T0 + timedelta(minutes=31))
    store.write(lambda tx: sessions.touch(tx, sid=sid,
                                          now=T0 + timedelta(hours=11, minutes=50)))
    assert not alive(sid, T0 + timedelta(hours=12, minutes=1))
    sid = sign_in(store, "wang.fang", GOOD).sid
    store.write(lambda tx: sessions.sign_out(tx, sid=sid, now=T0))
    assert not alive(sid, T0)
    sid = sign_in(store, "wang.fang", GOOD).sid
    store.write(lambda tx: users.grant(tx, authz=SECURITY, name="wang.fang",
                                       role=Role.LEADER, region="532600", now=T0))
    assert not alive(sid, T0)
    sid = sign_in(store, "wang.fang", GOOD).sid
    store.write(lambda tx: users.set_disabled(tx, authz=SYSTEM, name="wang.fang",
                                              disabled=True, now=T0))
    assert not alive(sid, T0)


def test_admin_roles_are_kept_apart(sqlite_graph: Store) -> None:
    make(sqlite_graph, name="new.one", role=Role.PENDING)
    with pytest.raises(ValidationError):
        sqlite_graph.write(lambda tx: users.add(tx, authz=SYSTEM, name="x.y", password=GOOD,
                                                now=T0, role=Role.COORDINATOR))
    with pytest.raises(NotFound):
        sqlite_graph.write(lambda tx: users.add(tx, authz=SECURITY, name="x.y",
                                                password=GOOD, now=T0))
    with pytest.raises(NotFound):
        sqlite_graph.write(lambda tx: users.grant(tx, authz=SYSTEM, name="new.one",
                                                  role=Role.COORDINATOR, region=None, now=T0))
    with pytest.raises(ValidationError):
        sqlite_graph.write(lambda tx: users.grant(tx, authz=SECURITY, name="sec.admin",
                                                  role=Role.AUDIT_ADMIN, region=None, now=T0))
    granted = sqlite_graph.write(lambda tx: users.grant(
        tx, authz=SECURITY, name="new.one", role=Role.COORDINATOR, region="532600", now=T0))
    assert granted.get("role") == "coordinator"


def test_change_password_needs_the_current_one(sqlite_graph: Store) -> None:
    make(sqlite_graph)
    with pytest.raises(ValidationError):
        sqlite_graph.write(lambda tx: users.change_password(
            tx, name="wang.fang", current="Not-the-one-1", new="Er-Hai-2026x", now=T0))
    with pytest.raises(WeakPassword):
        sqlite_graph.write(lambda tx: users.change_password(
            tx, name="wang.fang", current=GOOD, new="12345678", now=T0))
    sqlite_graph.write(lambda tx: users.change_password(
        tx, name="wang.fang", current=GOOD, new="Er-Hai-2026x", now=T0))
    result = sign_in(sqlite_graph, "wang.fang", "Er-Hai-2026x")
    assert result.outcome == Outcome.OK and not result.must_change


def test_rotation_period_forces_a_change(sqlite_graph: Store) -> None:
    make(sqlite_graph)
    sqlite_graph.write(lambda tx: users.change_password(
        tx, name="wang.fang", current=GOOD, new="Er-Hai-2026x", now=T0))
    policy = Policy(rotate_after=timedelta(days=90))
    assert not sign_in(sqlite_graph, "wang.fang", "Er-Hai-2026x", T0 + timedelta(days=10),
                       policy=policy).must_change
    assert sign_in(sqlite_graph, "wang.fang", "Er-Hai-2026x", T0 + timedelta(days=91),
                   policy=policy).must_change


def test_unmasking_is_for_case_work_roles_and_survives_no_role_change(
        sqlite_graph: Store) -> None:
    make(sqlite_graph)
    make(sqlite_graph, name="sys.two", role=Role.SYSTEM_ADMIN)
    with pytest.raises(ValidationError):
        sqlite_graph.write(lambda tx: users.allow_unmask(tx, authz=SECURITY, name="sys.two",
                                                         allowed=True))
    with pytest.raises(NotFound):
        sqlite_graph.write(lambda tx: users.allow_unmask(tx, authz=SYSTEM, name="wang.fang",
                                                         allowed=True))
    user = sqlite_graph.write(lambda tx: users.allow_unmask(tx, authz=SECURITY,
                                                            name="wang.fang", allowed=True))
    assert users.authz_of(user).may_unmask
    demoted = sqlite_graph.write(lambda tx: users.grant(tx, authz=SECURITY, name="wang.fang",
                                                        role=Role.AUDIT_ADMIN, region=None,
                                                        now=T0))
    assert not users.authz_of(demoted).may_unmask


class Recording:
    """A transaction that notes every write made through it (and makes it)."""

    def __init__(self, tx: Any):
        self.tx, self.writes = tx, []

    def upsert_nodes(self, label: str, rows: list[dict[str, Any]]) -> int:
        self.writes.append((label, tuple(sorted(k for k in rows[0] if k != "seq"))))
        return self.tx.upsert_nodes(label, rows)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.tx, name)


def test_a_locked_account_and_a_wrong_password_cost_the_same(
        sqlite_graph: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Item 10 of issue 16: the answer to a locked account came quicker than to a wrong
    password, which told an attacker the account was locked (so: real)."""
    make(sqlite_graph, name="wang.fang")
    make(sqlite_graph, name="li.si")
    for i in range(5):
        sign_in(sqlite_graph, "li.si", "Wrong-pass-1", T0 + timedelta(minutes=i))
    hashes = []
    real = hashlib.scrypt
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: hashes.append(1) or real(*a, **k))

    def attempt(name: str, password: str) -> tuple[Outcome, list[Any], int]:
        hashes.clear()
        seen: list[Any] = []

        def unit(tx: Any) -> Outcome:
            recording = Recording(tx)
            outcome, _ = users.verify(recording, name=name, password=password, code="",
                                      key=None, audit_key=AUDIT_KEY, origin=HERE,
                                      now=T0 + timedelta(minutes=6))
            seen.extend(recording.writes)
            return outcome
        return sqlite_graph.write(unit), seen, len(hashes)

    wrong = attempt("wang.fang", "Wrong-pass-1")
    locked = attempt("li.si", GOOD)
    locked_and_wrong = attempt("li.si", "Wrong-pass-1")
    assert wrong[0] == Outcome.REFUSED and locked[0] == locked_and_wrong[0] == Outcome.LOCKED
    assert wrong[1] == locked[1] == locked_and_wrong[1]  # the same writes, row for row
    assert wrong[2] == locked[2] == locked_and_wrong[2] == 1  # and one password hash each
    times: dict[str, list[float]] = {"wrong": [], "locked": []}
    for i in range(7):  # interleaved, so the machine's load falls on both alike
        make(sqlite_graph, name=f"user{i}")  # one wrong password each: none gets locked
        for kind, name, password in (("wrong", f"user{i}", "Wrong-pass-1"),
                                     ("locked", "li.si", GOOD)):
            started = time.perf_counter()
            sign_in(sqlite_graph, name, password, T0 + timedelta(minutes=6),
                    origin=Origin(address=f"10.4.{len(times[kind])}.{kind == 'wrong'}"))
            times[kind].append(time.perf_counter() - started)
    ratio = statistics.median(times["locked"]) / statistics.median(times["wrong"])
    assert 0.67 < ratio < 1.5, times


def test_a_reset_code_is_good_once_for_an_hour_and_only_to_choose_a_password(
        store: Store) -> None:
    make(store)
    code = store.write(lambda tx: users.reset_password(tx, authz=SYSTEM, name="wang.fang",
                                                       now=T0))
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}", code)
    assert sign_in(store, "wang.fang", GOOD, T0).outcome == Outcome.REFUSED  # old one gone
    late = sign_in(store, "wang.fang", code, T0 + timedelta(hours=1, seconds=1))
    assert late.outcome == Outcome.REFUSED
    first = sign_in(store, "wang.fang", code, T0 + timedelta(minutes=5))
    assert first.outcome == Outcome.OK and first.via_reset and first.must_change
    assert sign_in(store, "wang.fang", code, T0 + timedelta(minutes=6)).outcome == \
        Outcome.REFUSED
    with pytest.raises(ValidationError):  # a session opened by password cannot do it
        store.write(lambda tx: users.choose_password(tx, sid="not-a-session", new="Er-Hai-2026x",
                                                     now=T0 + timedelta(minutes=7)))
    assert store.write(lambda tx: users.console_authz(
        tx, name="wang.fang", password=code, code="", key=None, audit_key=AUDIT_KEY,
        now=T0 + timedelta(minutes=7))) is None
    store.write(lambda tx: users.choose_password(tx, sid=first.sid, new="Er-Hai-2026x",
                                                 now=T0 + timedelta(minutes=8)))
    assert sign_in(store, "wang.fang", "Er-Hai-2026x", T0 + timedelta(minutes=9)).outcome \
        == Outcome.OK
    with pytest.raises(ValidationError):  # the reset session has done its one job
        store.write(lambda tx: users.choose_password(tx, sid=first.sid, new="Cang-Shan-2026x",
                                                     now=T0 + timedelta(minutes=10)))
    with pytest.raises(ValidationError, match="nobody resets their own"):
        store.write(lambda tx: users.reset_password(tx, authz=SYSTEM, name="sys.admin",
                                                    now=T0))
    user = store.get("User", "wang.fang")
    assert user.get("reset_by") == "sys.admin" and user.get("reset_at") == T0
