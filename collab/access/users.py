"""Users, passwords, sign-in, sessions and API tokens, kept in the graph.

Passwords are stored as scrypt hashes; sign-in failures lock an account (and rate-limit an
address) for a while; sessions live on the server, so signing out, disabling a user or
changing their role takes effect on their very next request. Every sign-in, success or not,
leaves an audit record in the same transaction as its effect.

The user functions take `authz`: the acting admin's permissions, or None for the operator at
the server's console (the `collab user` commands), who is trusted with the store anyway.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from collab.access import audit, regions, twofactor
from collab.access.actors import Actor
from collab.access.audit import Kind, Origin
from collab.access.authz import ADMIN_ROLES, Authz, Perm, Role
from collab.access.idnumbers import IdKey
from collab.errors import N_, CollabError, ConflictError, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Graph, Page

_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
# The 10,000 most common passwords and common Chinese ones (scripts/common-passwords.py).
_COMMON = frozenset(
    line for line in Path(__file__).with_name("common-passwords.txt")
    .read_text(encoding="utf-8").split("\n") if line and not line.startswith("#"))


class WeakPassword(ValidationError):
    """A password the rules refuse."""


@dataclass(frozen=True)
class Policy:
    """The sign-in settings of a deployment (SECURITY.md numbers by default)."""

    max_failures: int = 5
    failure_window: timedelta = timedelta(minutes=15)
    lock_for: timedelta = timedelta(minutes=15)
    address_max_failures: int = 10
    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)
    min_length: int = 10
    rotate_after: timedelta | None = None
    two_factor_roles: frozenset[str] = field(default_factory=twofactor.roles_required)


DEFAULT_POLICY = Policy()

class Outcome(StrEnum):
    """How a sign-in ended. Refusals look the same to the person signing in."""

    OK = "ok"
    REFUSED = "refused"
    LOCKED = "locked"
    LIMITED = "rate_limited"


@dataclass(frozen=True)
class SignIn:
    """The result of `authenticate`: a new session id when it succeeded."""

    outcome: Outcome
    sid: str | None = None
    must_change: bool = False


class SignInRefused(CollabError):
    """Credentials given at the console were refused (the same words whatever the cause)."""

    def __init__(self) -> None:
        super().__init__("sign-in failed: the user name, password or code is not right, the "
                         "account is locked for a while, or two-factor sign-in is not set up")


# --- passwords ---------------------------------------------------------------------------
def hash_password(password: str) -> str:
    """A salted scrypt hash, with its parameters, as one string."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def check_password(stored: str | None, password: str) -> bool:
    """Whether `password` matches the stored hash (constant time; False for no hash)."""
    try:
        _, salt, digest = (stored or "scrypt$$").split("$")
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), **_SCRYPT)
    except ValueError:
        return False
    return bool(expected) and hmac.compare_digest(expected, got)


def check_rules(name: str, password: str, policy: Policy = DEFAULT_POLICY) -> None:
    """Refuse a password that is short, common, simple or made of the user name."""
    lowered = password.lower()
    classes = sum(any(test(c) for c in password)
                  for test in (str.islower, str.isupper, str.isdigit,
                               lambda c: not c.isalnum()))
    if len(password) < policy.min_length:
        raise WeakPassword(N_("a password needs at least %(least)d characters"),
                           least=policy.min_length)
    if lowered in _COMMON or lowered.rstrip("!@#.0123456789") in _COMMON:
        raise WeakPassword(N_("that password is too common"))
    if name and name.lower() in lowered:
        raise WeakPassword(N_("a password may not contain the user name"))
    if classes < 3:
        raise WeakPassword(N_("a password needs three of: lower case, upper case, digits, "
                              "symbols"))


def generate_password() -> str:
    """A random password that passes the rules (for accounts created from the console)."""
    while True:
        candidate = "".join((secrets.token_urlsafe(12), "-", secrets.choice("23456789"),
                             secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ"),
                             secrets.choice("abcdefghijkmnpqrstuvwxyz")))
        try:
            check_rules("", candidate)
        except WeakPassword:
            continue
        return candidate


# --- accounts ----------------------------------------------------------------------------
def _require(authz: Authz | None, perm: Perm) -> None:
    if authz is not None:
        authz.require(perm)


def _user(g: Graph, name: str, *, lock: bool = False) -> Node:
    node = g.lock("User", name) if lock else g.get("User", name)
    if node is None:
        raise NotFound(N_("no user %(name)r"), name=name)
    return node


def _check_reach(role: Role, region: str | None, department: str | None, g: Graph) -> None:
    if role == Role.OPERATOR:
        raise ValidationError(N_("the operator role is the command line's own: no account "
                                 "holds it"))
    if region is not None:
        regions.check_code(region)
    if role == Role.LIAISON and not department:
        raise ValidationError(N_("a liaison needs a department"))
    if department and g.get("Department", department) is None:
        raise NotFound(N_("no department %(code)s"), code=department)


def add(g: Graph, *, authz: Authz | None, name: str, password: str, now: datetime,
        display_name: str = "", role: Role = Role.PENDING, region: str | None = None,
        department: str | None = None) -> Node:
    """Create an account that must choose a new password at its first sign-in.

    A system admin creates accounts without a role (the security admin grants one); the
    console operator may give the role at once, to set up the first admins.
    """
    _require(authz, Perm.MANAGE_USERS)
    if authz is not None and role != Role.PENDING:
        raise ValidationError(N_("roles are granted by the security admin"))
    if not name or not name.isprintable() or len(name) > 64 or " " in name:
        raise ValidationError(N_("a user name is 1-64 printable characters without spaces"))
    if g.get("User", name) is not None:
        raise ConflictError(N_("user %(name)r exists already"), name=name)
    role = Role(role)
    _check_reach(role, region, department, g)
    check_rules(name, password)
    g.upsert_nodes("User", [{"name": name, "display_name": display_name or name,
                             "role": str(role), "region_code": region,
                             "department_code": department,
                             "password_hash": hash_password(password), "password_set_at": now,
                             "must_change": True, "disabled": False, "failures": 0,
                             "epoch": 1, "created_at": now}])
    return _user(g, name)


def grant(g: Graph, *, authz: Authz | None, name: str, role: Role, region: str | None,
          department: str | None = None) -> Node:
    """Give a user a role and jurisdiction (security admin); their sessions end."""
    _require(authz, Perm.MANAGE_ACCESS)
    role = Role(role)
    if authz is not None and name == authz.actor.name:
        raise ValidationError(N_("nobody changes their own role"))
    _check_reach(role, region, department, g)
    user = _user(g, name, lock=True)
    g.upsert_nodes("User", [{"name": name, "role": str(role), "region_code": region,
                             "department_code": department if role == Role.LIAISON else None,
                             "may_unmask": bool(user.get("may_unmask"))
                             and role not in ADMIN_ROLES and role != Role.PENDING,
                             "epoch": user.get("epoch", 0) + 1}])
    return _user(g, name)


def allow_unmask(g: Graph, *, authz: Authz | None, name: str, allowed: bool) -> Node:
    """Let a user read full ID numbers, one person at a time (security admin only)."""
    _require(authz, Perm.MANAGE_ACCESS)
    user = _user(g, name, lock=True)
    if allowed and (is_admin(user) or user.get("role") == Role.PENDING):
        raise ValidationError(N_("only case-work roles may unmask ID numbers"))
    g.upsert_nodes("User", [{"name": name, "may_unmask": allowed,
                             "epoch": user.get("epoch", 0) + 1}])
    return _user(g, name)


def set_disabled(g: Graph, *, authz: Authz | None, name: str, disabled: bool) -> Node:
    """Disable (or enable again) an account; a disabled one is signed out at once."""
    _require(authz, Perm.MANAGE_USERS)
    if authz is not None and name == authz.actor.name:
        raise ValidationError(N_("nobody disables their own account"))
    user = _user(g, name, lock=True)
    g.upsert_nodes("User", [{"name": name, "disabled": disabled,
                             "epoch": user.get("epoch", 0) + 1}])
    return _user(g, name)


def unlock(g: Graph, *, authz: Authz | None, name: str) -> Node:
    """Lift a lockout (security admin only)."""
    _require(authz, Perm.MANAGE_ACCESS)
    _user(g, name, lock=True)
    g.upsert_nodes("User", [{"name": name, "failures": 0, "first_failure_at": None,
                             "locked_until": None}])
    return _user(g, name)


def reset_password(g: Graph, *, authz: Authz | None, name: str, password: str,
                   now: datetime) -> Node:
    """Set a new password that must be changed at the next sign-in; sessions end."""
    _require(authz, Perm.MANAGE_USERS)
    check_rules(name, password)
    user = _user(g, name, lock=True)
    g.upsert_nodes("User", [{"name": name, "password_hash": hash_password(password),
                             "password_set_at": now, "must_change": True,
                             "epoch": user.get("epoch", 0) + 1}])
    return _user(g, name)


def change_password(g: Graph, *, name: str, current: str, new: str, now: datetime) -> Node:
    """A user's own change: needs the current password, and a new one that passes the rules."""
    user = _user(g, name, lock=True)
    if not check_password(user.get("password_hash"), current):
        raise ValidationError(N_("the current password is not right"))
    if new == current:
        raise WeakPassword(N_("the new password must differ from the current one"))
    check_rules(name, new)
    g.upsert_nodes("User", [{"name": name, "password_hash": hash_password(new),
                             "password_set_at": now, "must_change": False}])
    return _user(g, name)


def listing(g: Graph, *, authz: Authz, limit: int = 200, offset: int = 0) -> Page:
    """The accounts, for the system admin and the security admin (no secrets in them)."""
    if not (authz.can(Perm.MANAGE_USERS) or authz.can(Perm.MANAGE_ACCESS)):
        authz.require(Perm.MANAGE_USERS)
    return g.find("User", order_by="name", limit=limit, offset=offset)


def authz_of(user: Node) -> Authz:
    """The permission object of a user."""
    return Authz(Actor(name=user.key, role=user.get("role", Role.PENDING),
                       region=user.get("region_code"),
                       department=user.get("department_code")),
                 may_unmask=bool(user.get("may_unmask")))


def is_admin(user: Node) -> bool:
    """Whether the user holds one of the three separated admin roles."""
    return user.get("role") in ADMIN_ROLES


# --- sign-in ------------------------------------------------------------------------------
_DUMMY = hash_password(secrets.token_urlsafe(16))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _address_limited(g: Graph, address: str, now: datetime, policy: Policy) -> bool:
    guard = g.lock("AddressGuard", address) if address else None
    if guard is None:
        return False
    first = guard.get("first_failure_at")
    return bool(first and now - first < policy.failure_window
                and guard.get("failures", 0) >= policy.address_max_failures)


def _count_failure(g: Graph, user: Node | None, address: str, now: datetime,
                   policy: Policy) -> None:
    if address:
        guard = g.get("AddressGuard", address)
        first = guard.get("first_failure_at") if guard else None
        fresh = first is None or now - first >= policy.failure_window
        g.upsert_nodes("AddressGuard", [{
            "address": address, "first_failure_at": now if fresh else first,
            "failures": 1 if fresh or guard is None else guard.get("failures", 0) + 1}])
    if user is None:
        return
    first = user.get("first_failure_at")
    fresh = first is None or now - first >= policy.failure_window
    failures = 1 if fresh else user.get("failures", 0) + 1
    row: dict[str, Any] = {"name": user.key, "failures": failures,
                           "first_failure_at": now if fresh else first}
    if failures >= policy.max_failures:
        row["locked_until"] = now + policy.lock_for
    g.upsert_nodes("User", [row])


def _second_factor(g: Graph, user: Node, code: str, key: IdKey | None,
                   now: datetime) -> bool:
    """Whether the code is right (or none is needed: the user has no authenticator yet)."""
    if not twofactor.enrolled(user):
        return True
    return key is not None and twofactor.use_code(g, user=user, key=key, code=code, now=now)


def verify(g: Graph, *, name: str, password: str, code: str, key: IdKey | None,
           origin: Origin, now: datetime, policy: Policy = DEFAULT_POLICY,
           event: str = "auth.sign_in") -> tuple[Outcome, Node | None]:
    """Check a name, password and (when set up) two-factor code; the outcome and the user.

    Refusals count towards lockout and every attempt is audited as `event`. Call it in a
    write transaction and commit whatever it returns: a refusal is recorded too.
    """
    who = Origin(user=name, address=origin.address, request_id=origin.request_id)
    if _address_limited(g, origin.address, now, policy):
        audit.append(g, origin=who, kind=Kind.AUTH, event=event, outcome=Outcome.LIMITED)
        return Outcome.LIMITED, None
    user = g.lock("User", name) if name else None
    locked = bool(user and user.get("locked_until") and user.get("locked_until") > now)
    matches = check_password(user.get("password_hash") if user else _DUMMY, password)
    usable = (user is not None and not user.get("disabled") and matches and not locked
              and _second_factor(g, user, code, key, now))
    if not usable:
        if not locked:
            _count_failure(g, user, origin.address, now, policy)
        outcome = Outcome.LOCKED if locked else Outcome.REFUSED
        audit.append(g, origin=who, kind=Kind.AUTH, event=event, outcome=outcome)
        return outcome, None
    assert user is not None
    g.upsert_nodes("User", [{"name": name, "failures": 0, "first_failure_at": None,
                             "locked_until": None}])
    audit.append(g, origin=Origin(name, user.get("role", ""), user.get("department_code", ""),
                                  origin.address, origin.request_id),
                 kind=Kind.AUTH, event=event)
    return Outcome.OK, user


def authenticate(g: Graph, *, name: str, password: str, origin: Origin, now: datetime,
                 policy: Policy = DEFAULT_POLICY, code: str = "",
                 key: IdKey | None = None) -> SignIn:
    """Check a sign-in (see `verify`) and open a session when it succeeds."""
    outcome, user = verify(g, name=name, password=password, code=code, key=key,
                           origin=origin, now=now, policy=policy)
    if user is None:
        return SignIn(outcome)
    sid = secrets.token_urlsafe(32)
    g.upsert_nodes("LoginSession", [{"sid_hash": _sha(sid), "user": name,
                                     "epoch": user.get("epoch", 0), "created_at": now,
                                     "seen_at": now, "address": origin.address}])
    stale = (policy.rotate_after is not None
             and now - user.get("password_set_at", now) > policy.rotate_after)
    return SignIn(Outcome.OK, sid, bool(user.get("must_change")) or stale)


def console_authz(g: Graph, *, name: str, password: str, code: str, key: IdKey | None,
                  now: datetime, policy: Policy = DEFAULT_POLICY) -> Authz | None:
    """The permissions of an admin who proves who they are at the console (password and,
    once set up, code; lockout and audit as on the web), or None: commit either way."""
    _, user = verify(g, name=name, password=password, code=code, key=key,
                     origin=Origin(user=name, address="console"), now=now, policy=policy,
                     event="auth.console")
    if user is None or (twofactor.required(user, policy.two_factor_roles)
                        and not twofactor.enrolled(user)):
        return None
    return authz_of(user)


def session_user(g: Graph, *, sid: str, now: datetime,
                 policy: Policy = DEFAULT_POLICY) -> Node | None:
    """The user of a live session, or None (ended, idle, too old, or user changed)."""
    session = g.get("LoginSession", _sha(sid)) if sid else None
    if session is None or session.get("ended_at") is not None:
        return None
    user = g.get("User", session.get("user"))
    if (user is None or user.get("disabled") or user.get("epoch") != session.get("epoch")
            or now - session.get("seen_at") > policy.idle
            or now - session.get("created_at") > policy.absolute):
        return None
    return user


def touch(g: Graph, *, sid: str, now: datetime) -> None:
    """Note activity on a session (call at most every minute or so)."""
    g.upsert_nodes("LoginSession", [{"sid_hash": _sha(sid), "seen_at": now}])


def seen_at(g: Graph, *, sid: str) -> datetime | None:
    """When the session was last active."""
    session = g.get("LoginSession", _sha(sid))
    return session.get("seen_at") if session else None


def sign_out(g: Graph, *, sid: str, now: datetime) -> None:
    """End one session: its cookie is refused from now on."""
    if g.get("LoginSession", _sha(sid)) is not None:
        g.upsert_nodes("LoginSession", [{"sid_hash": _sha(sid), "ended_at": now}])


def sign_out_everywhere(g: Graph, *, name: str) -> None:
    """End every session of a user, on every device."""
    user = _user(g, name, lock=True)
    g.upsert_nodes("User", [{"name": name, "epoch": user.get("epoch", 0) + 1}])


# --- API tokens ---------------------------------------------------------------------------
def issue_token(g: Graph, *, authz: Authz | None, name: str, label: str,
                now: datetime) -> str:
    """A new bearer token for a user's API client; only its hash is kept."""
    _require(authz, Perm.MANAGE_ACCESS)
    user = _user(g, name)
    if is_admin(user):
        raise ValidationError(N_("admin accounts do not get API tokens"))
    token = "clb_" + secrets.token_urlsafe(32)
    g.upsert_nodes("ApiToken", [{"token_hash": _sha(token), "user": name, "name": label,
                                 "created_at": now}])
    return token


def token_user(g: Graph, *, token: str) -> Node | None:
    """The enabled user a live token belongs to, or None."""
    found = g.get("ApiToken", _sha(token)) if token else None
    if found is None or found.get("revoked_at") is not None:
        return None
    user = g.get("User", found.get("user"))
    return None if user is None or user.get("disabled") else user
