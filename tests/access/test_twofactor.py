"""Two-factor sign-in: enrolment, codes spent once, who may turn it off or reset it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from keys import AUDIT_KEY

from collab.access import twofactor, users
from collab.access.actors import Actor
from collab.access.authz import ACCOUNT_ROLES, Authz, Role
from collab.access.idnumbers import IdKey
from collab.access.policy import DEFAULT_POLICY, Policy
from collab.access.sessions import session_user
from collab.access.users import Outcome
from collab.errors import ConfigError, NotFound, ValidationError
from collab.graph.store import Store

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
STEP = timedelta(seconds=30)
GOOD = "Lan-Cang-2026"
KEY = IdKey.from_secret(b"two-factor-tests-key-of-32-bytes")
HERE = users.Origin(address="10.2.2.2", request_id="r")
SECURITY = Authz(Actor("sec.admin", Role.SECURITY_ADMIN))
SYSTEM = Authz(Actor("sys.admin", Role.SYSTEM_ADMIN))


def make(store: Store, name: str, role: Role) -> None:
    store.write(lambda tx: users.add(tx, authz=None, name=name, password=GOOD, now=T0,
                                     role=role, region=None if role != Role.COORDINATOR
                                     else "532600"))


def enrol(store: Store, name: str, at: datetime = T0) -> pyotp.TOTP:
    """Set up the user's authenticator; the phone that now shows its codes."""
    secret = store.write(lambda tx: twofactor.begin(tx, name=name, key=KEY))
    phone = pyotp.TOTP(secret)
    store.write(lambda tx: twofactor.confirm(tx, name=name, key=KEY, code=phone.at(at),
                                             now=at))
    return phone


def sign_in(store: Store, name: str, code: str, at: datetime,
            policy: Policy = DEFAULT_POLICY) -> users.SignIn:
    return store.write(lambda tx: users.authenticate(tx, name=name, password=GOOD,
                                                     origin=HERE, now=at, policy=policy,
                                                     code=code, key=KEY, audit_key=AUDIT_KEY))


def test_enrolment_needs_a_code_of_the_new_secret_and_stores_it_sealed(store: Store) -> None:
    make(store, "sys.admin", Role.SYSTEM_ADMIN)
    secret = store.write(lambda tx: twofactor.begin(tx, name="sys.admin", key=KEY))
    phone = pyotp.TOTP(secret)
    with pytest.raises(twofactor.WrongCode):
        store.write(lambda tx: twofactor.confirm(tx, name="sys.admin", key=KEY,
                                                 code=pyotp.TOTP(pyotp.random_base32()).at(T0),
                                                 now=T0))
    assert not twofactor.enrolled(store.get("User", "sys.admin"))
    store.write(lambda tx: twofactor.confirm(tx, name="sys.admin", key=KEY,
                                             code=phone.at(T0), now=T0))
    user = store.get("User", "sys.admin")
    assert twofactor.enrolled(user) and not user.get("totp_pending_enc")
    assert all(secret not in str(v) for v in user.props.values())
    assert twofactor.authenticator(user, KEY).secret == secret
    with pytest.raises(ValidationError):
        store.write(lambda tx: twofactor.begin(tx, name="sys.admin", key=KEY))
    with pytest.raises(ConfigError):
        twofactor.authenticator(user, IdKey.from_secret(b"another-deployment-key-32-bytes!"))


def test_no_code_a_wrong_code_or_a_spent_code_opens_no_session(store: Store) -> None:
    make(store, "sec.admin", Role.SECURITY_ADMIN)
    phone = enrol(store, "sec.admin", T0)
    at = T0 + 4 * STEP
    assert sign_in(store, "sec.admin", "", at).outcome == Outcome.REFUSED
    wrong = str((int(phone.at(at)) + 1) % 10 ** 6).zfill(6)
    assert sign_in(store, "sec.admin", wrong, at).outcome == Outcome.REFUSED
    assert sign_in(store, "sec.admin", phone.at(T0), at).outcome == Outcome.REFUSED  # too old
    first = sign_in(store, "sec.admin", phone.at(at), at)
    assert first.outcome == Outcome.OK and first.sid
    again = sign_in(store, "sec.admin", phone.at(at), at + timedelta(seconds=5))
    assert again.outcome == Outcome.REFUSED and again.sid is None
    earlier = sign_in(store, "sec.admin", phone.at(at - STEP), at + timedelta(seconds=5))
    assert earlier.outcome == Outcome.REFUSED
    assert sign_in(store, "sec.admin", phone.at(at + STEP), at + STEP).outcome == Outcome.OK
    assert store.count("LoginSession", {"user": "sec.admin"}) == 2
    assert store.count("AuditRecord", {"event": "auth.sign_in", "outcome": "refused"}) == 5


def test_wrong_codes_count_towards_the_lockout(sqlite_graph: Store) -> None:
    make(sqlite_graph, "sys.admin", Role.SYSTEM_ADMIN)
    phone = enrol(sqlite_graph, "sys.admin", T0)
    for i in range(5):
        sign_in(sqlite_graph, "sys.admin", "000000" if phone.at(T0) != "000000" else "111111",
                T0 + timedelta(seconds=i))
    later = T0 + 2 * STEP
    assert sign_in(sqlite_graph, "sys.admin", phone.at(later), later).outcome == Outcome.LOCKED


def test_nobody_turns_it_off_where_the_role_must_use_it(store: Store) -> None:
    """By default every role must; a deployment narrowing it to leaders lets a coordinator
    turn it off, never an admin."""
    assert "coordinator" in twofactor.roles_required()
    roles = twofactor.roles_required(["leader"])
    make(store, "aud.admin", Role.AUDIT_ADMIN)
    make(store, "wang.fang", Role.COORDINATOR)
    enrol(store, "aud.admin")
    enrol(store, "wang.fang")
    with pytest.raises(ValidationError):
        store.write(lambda tx: twofactor.turn_off(tx, name="aud.admin", roles=roles, now=T0))
    with pytest.raises(ValidationError):
        store.write(lambda tx: twofactor.turn_off(tx, name="wang.fang", now=T0,
                                                  roles=twofactor.roles_required()))
    assert twofactor.enrolled(store.get("User", "aud.admin"))
    store.write(lambda tx: twofactor.turn_off(tx, name="wang.fang", roles=roles, now=T0))
    assert not twofactor.enrolled(store.get("User", "wang.fang"))
    assert sign_in(store, "wang.fang", "", T0 + STEP).outcome == Outcome.OK


def test_only_the_security_admin_resets_it_and_the_user_enrols_again(store: Store) -> None:
    make(store, "sys.admin", Role.SYSTEM_ADMIN)
    make(store, "sec.admin", Role.SECURITY_ADMIN)
    phone = enrol(store, "sys.admin")
    enrol(store, "sec.admin")
    at = T0 + 2 * STEP
    sid = sign_in(store, "sys.admin", phone.at(at), at).sid
    with pytest.raises(NotFound):
        store.write(lambda tx: twofactor.reset(tx, authz=SYSTEM, name="sys.admin", now=at))
    with pytest.raises(ValidationError):
        store.write(lambda tx: twofactor.reset(tx, authz=SECURITY, name="sec.admin", now=at))
    store.write(lambda tx: twofactor.reset(tx, authz=SECURITY, name="sys.admin", now=at))
    user = store.get("User", "sys.admin")
    assert not twofactor.enrolled(user)
    assert twofactor.required(user, twofactor.roles_required())
    assert store.read(lambda tx: session_user(tx, sid=sid, now=at)) is None


def test_every_role_must_use_it_unless_the_setting_narrows_it() -> None:
    assert twofactor.roles_required() == {str(r) for r in ACCOUNT_ROLES}
    assert twofactor.roles_required([" ", ""]) == {str(r) for r in ACCOUNT_ROLES}
    narrowed = twofactor.roles_required(["coordinator", " "])
    assert narrowed == {"system_admin", "security_admin", "audit_admin", "coordinator"}
    with pytest.raises(ConfigError):
        twofactor.roles_required(["superuser"])


def test_the_console_needs_the_security_admins_password_and_code(sqlite_graph: Store) -> None:
    make(sqlite_graph, "sec.admin", Role.SECURITY_ADMIN)
    make(sqlite_graph, "sys.admin", Role.SYSTEM_ADMIN)

    def console(name: str, code: str, at: datetime) -> Authz | None:
        return sqlite_graph.write(lambda tx: users.console_authz(
            tx, name=name, password=GOOD, code=code, key=KEY, audit_key=AUDIT_KEY, now=at))

    assert console("sec.admin", "", T0) is None  # two-factor not set up yet
    phone = enrol(sqlite_graph, "sec.admin")
    at = T0 + 2 * STEP
    assert console("sec.admin", "123", at) is None
    authz = console("sec.admin", phone.at(at), at)
    assert authz is not None and authz.role == Role.SECURITY_ADMIN
    assert [r.get("outcome") for r in sqlite_graph.find(
        "AuditRecord", where={"event": "auth.console"}, order_by="seq").items] == \
        ["ok", "refused", "ok"]
