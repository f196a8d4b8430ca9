"""Users: accounts, sign-in and API tokens, kept in the graph.

Passwords are stored as scrypt hashes (`passwords`); sign-in failures lock an account (and
rate-limit an address) for a while; sessions live on the server (`sessions`), so signing out,
disabling a user or changing their role takes effect on their very next request. Every
sign-in, success or not, leaves an audit record in the same transaction as its effect, and a
refusal costs the same work whatever its cause (unknown user, wrong password, locked).

Nobody chooses another person's password: a reset gives a one-time code (an hour) that only
opens the page where the user chooses their own — past their second factor, when they have
one — and tells them who reset it and when. API tokens are minted only for their own user,
after a fresh password and code (`issue_token`), and end with the password, the role, the
two-factor set-up, "sign out everywhere" or the account (`tokens`).

The user functions take `authz`: the acting admin's permissions, or None for the operator at
the server's console (the `collab user` commands), who is trusted with the store anyway.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from collab.access import audit, regions, sessions, tokens, twofactor
from collab.access.actors import Actor
from collab.access.audit import Kind, Origin
from collab.access.authz import ADMIN_ROLES, Authz, Perm, Role
from collab.access.idnumbers import IdKey
from collab.access.keys import AuditKey
from collab.access.passwords import (
    WeakPassword,
    check_password,
    check_rules,
    hash_password,
    own_words,
)
from collab.access.policy import DEFAULT_POLICY, Policy
from collab.errors import N_, CollabError, ConflictError, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Graph, Page

# Letters nobody confuses when reading a code aloud or typing it (no 0/O, 1/I/L).
_CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class Outcome(StrEnum):
    """How a sign-in ended. Refusals look the same to the person signing in."""

    OK = "ok"
    REFUSED = "refused"
    LOCKED = "locked"
    LIMITED = "rate_limited"


@dataclass(frozen=True)
class SignIn:
    """The result of `authenticate`: a new session id when it succeeded. `via_reset`: opened
    with a one-time reset code, good only for choosing a new password."""

    outcome: Outcome
    sid: str | None = None
    must_change: bool = False
    via_reset: bool = False


class SignInRefused(CollabError):
    """Credentials given at the console were refused (the same words whatever the cause)."""

    def __init__(self) -> None:
        super().__init__("sign-in failed: the user name, password or code is not right, the "
                         "account is locked for a while, or two-factor sign-in is not set up")


# --- passwords ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Checked:
    """A password checked before the sign-in's write transaction, against the hash then
    stored: scrypt's CPU time (tens of ms) then holds no lock, and on SQLite no writer waits
    behind it. The transaction uses the answer only if the hash is still the same."""

    stored: str
    matches: bool

    @classmethod
    def of(cls, stored: str, password: str) -> Checked:
        """Check `password` against `stored` now (the slow part, outside any transaction)."""
        return cls(stored, check_password(stored, password))


def stored_hash(g: Graph, *, name: str, now: datetime) -> str:
    """The hash a sign-in as `name` checks against (the password's, or a pending one-time
    reset code's; a decoy for no such user or neither), read before its write transaction so
    the check runs with no transaction open."""
    user = g.get("User", name) if name else None
    return _stored_secret(user, now) or _DUMMY


def _require(authz: Authz | None, perm: Perm) -> None:
    if authz is not None:
        authz.require(perm)


def _actor_name(authz: Authz | None, by: str) -> str:
    """Who made a change, for the records it leaves on tokens and resets: `by` (the console's
    operator), else the signed-in admin."""
    return by or (authz.actor.name if authz is not None else "console")


def _user(g: Graph, name: str, *, lock: bool = False) -> Node:
    node = g.lock("User", name) if lock else g.get("User", name)
    if node is None:
        raise NotFound(N_("no user %(name)r"), name=name)
    return node


def _names(g: Graph, label: str, key: str | None) -> str | None:
    node = g.get(label, key) if key else None
    return node.get("name") if node else None


def check_new_password(g: Graph, *, name: str, password: str, display_name: str | None = None,
                       region: str | None = None, department: str | None = None,
                       policy: Policy = DEFAULT_POLICY) -> None:
    """Refuse a password easy to guess for this person: the rules of `passwords`, with their
    name, department, region and the deployment's words as words a guesser tries first."""
    user = g.get("User", name)
    if user is not None:
        display_name = display_name or user.get("display_name")
        region, department = region or user.get("region_code"), \
            department or user.get("department_code")
    words = own_words([display_name, _names(g, "Region", region),
                       _names(g, "Department", department), *policy.words])
    check_rules(password, name=name, words=words, min_length=policy.min_length)


# --- accounts ----------------------------------------------------------------------------
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
        department: str | None = None, policy: Policy = DEFAULT_POLICY) -> Node:
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
    check_new_password(g, name=name, password=password, display_name=display_name,
                       region=region, department=department, policy=policy)
    g.upsert_nodes("User", [{"name": name, "display_name": display_name or name,
                             "role": str(role), "region_code": region,
                             "department_code": department,
                             "password_hash": hash_password(password), "password_set_at": now,
                             "must_change": True, "disabled": False, "failures": 0,
                             "epoch": 1, "created_at": now}])
    return _user(g, name)


def grant(g: Graph, *, authz: Authz | None, name: str, role: Role, region: str | None,
          department: str | None = None, now: datetime, by: str = "") -> Node:
    """Give a user a role and jurisdiction (security admin); their sessions and tokens end."""
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
    tokens.revoke_all(g, name=name, now=now, by=_actor_name(authz, by),
                      why="role or jurisdiction changed")
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


def set_disabled(g: Graph, *, authz: Authz | None, name: str, disabled: bool,
                 now: datetime, by: str = "") -> Node:
    """Disable (or enable again) an account; a disabled one is signed out at once and its
    API tokens end."""
    _require(authz, Perm.MANAGE_USERS)
    if authz is not None and name == authz.actor.name:
        raise ValidationError(N_("nobody disables their own account"))
    user = _user(g, name, lock=True)
    g.upsert_nodes("User", [{"name": name, "disabled": disabled,
                             "epoch": user.get("epoch", 0) + 1}])
    if disabled:
        tokens.revoke_all(g, name=name, now=now, by=_actor_name(authz, by),
                          why="account disabled")
    return _user(g, name)


def unlock(g: Graph, *, authz: Authz | None, name: str) -> Node:
    """Lift a lockout (security admin only)."""
    _require(authz, Perm.MANAGE_ACCESS)
    _user(g, name, lock=True)
    g.upsert_nodes("User", [{"name": name, "failures": 0, "first_failure_at": None,
                             "locked_until": None}])
    return _user(g, name)


def reset_password(g: Graph, *, authz: Authz | None, name: str, now: datetime,
                   policy: Policy = DEFAULT_POLICY, by: str = "") -> str:
    """A one-time code (good for `policy.reset_valid`, an hour) instead of the password, which
    stops working; sessions and tokens end. The code opens only the page where the user
    chooses their own password, and only past their second factor when they have one."""
    _require(authz, Perm.MANAGE_USERS)
    if authz is not None and name == authz.actor.name:
        raise ValidationError(N_("nobody resets their own password: change it instead"))
    user = _user(g, name, lock=True)
    code = "-".join("".join(secrets.choice(_CODE_LETTERS) for _ in range(4)) for _ in range(4))
    by = _actor_name(authz, by)
    g.upsert_nodes("User", [{"name": name, "password_hash": None, "must_change": True,
                             "reset_code_hash": hash_password(code), "reset_by": by,
                             "reset_at": now, "reset_expires_at": now + policy.reset_valid,
                             "epoch": user.get("epoch", 0) + 1}])
    tokens.revoke_all(g, name=name, now=now, by=by, why="password reset")
    return code


def _set_password(g: Graph, user: Node, new: str, now: datetime, policy: Policy) -> Node:
    check_new_password(g, name=user.key, password=new, policy=policy)
    g.upsert_nodes("User", [{"name": user.key, "password_hash": hash_password(new),
                             "password_set_at": now, "must_change": False,
                             "reset_code_hash": None, "reset_expires_at": None}])
    tokens.revoke_all(g, name=user.key, now=now, by=user.key, why="password changed")
    return _user(g, user.key)


def change_password(g: Graph, *, name: str, current: str, new: str, now: datetime,
                    policy: Policy = DEFAULT_POLICY) -> Node:
    """A user's own change: needs the current password, and a new one that passes the rules.
    Their API tokens end (a token outliving a changed password is a way back in)."""
    user = _user(g, name, lock=True)
    if not check_password(user.get("password_hash"), current):
        raise ValidationError(N_("the current password is not right"))
    if new == current:
        raise WeakPassword(N_("the new password must differ from the current one"))
    return _set_password(g, user, new, now, policy)


def choose_password(g: Graph, *, sid: str, new: str, now: datetime,
                    policy: Policy = DEFAULT_POLICY) -> Node:
    """After signing in with a one-time reset code: the user's own new password."""
    user = sessions.session_user(g, sid=sid, now=now, policy=policy)
    if user is None or not sessions.opened_by_reset(g, sid=sid) \
            or user.get("password_hash") is not None:
        raise ValidationError(N_("sign in with your current password to change it"))
    return _set_password(g, _user(g, user.key, lock=True), new, now, policy)


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


def _address_limited(g: Graph, address: str, now: datetime, policy: Policy) -> bool:
    guard = g.lock("AddressGuard", address) if address else None
    if guard is None:
        return False
    first = guard.get("first_failure_at")
    return bool(first and now - first < policy.failure_window
                and guard.get("failures", 0) >= policy.address_max_failures)


def _count_failure(g: Graph, user: Node | None, address: str, now: datetime,
                   policy: Policy, locked: bool) -> None:
    """Count a refusal against the address and the account (the same writes whether the
    account was locked already or not, so neither answer is quicker)."""
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
    if failures >= policy.max_failures and not locked:
        row["locked_until"] = now + policy.lock_for
    g.upsert_nodes("User", [row])


def _second_factor(g: Graph, user: Node, code: str, key: IdKey | None,
                   now: datetime) -> bool:
    """Whether the code is right (or none is needed: the user has no authenticator yet)."""
    if not twofactor.enrolled(user):
        return True
    return key is not None and twofactor.use_code(g, user=user, key=key, code=code, now=now)


def _stored_secret(user: Node | None, now: datetime) -> str | None:
    """What a sign-in's password is checked against: the password, or while a reset is
    pending (the password cleared), its one-time code until it expires."""
    if user is None or user.get("password_hash"):
        return user.get("password_hash") if user else None
    expires = user.get("reset_expires_at")
    return user.get("reset_code_hash") if expires and now < expires else None


def verify(g: Graph, *, name: str, password: str, code: str, key: IdKey | None,
           audit_key: AuditKey, origin: Origin, now: datetime,
           policy: Policy = DEFAULT_POLICY, event: str = "auth.sign_in",
           checked: Checked | None = None) -> tuple[Outcome, Node | None]:
    """Check a name, password (or one-time reset code) and, when set up, two-factor code;
    the outcome and the user.

    Refusals count towards lockout and every attempt is audited as `event`. Call it in a
    write transaction and commit whatever it returns: a refusal is recorded too.
    """
    who = Origin(user=name, address=origin.address, request_id=origin.request_id)
    if _address_limited(g, origin.address, now, policy):
        audit.append(g, key=audit_key, origin=who, kind=Kind.AUTH, event=event,
                     outcome=Outcome.LIMITED)
        return Outcome.LIMITED, None
    user = g.lock("User", name) if name else None
    locked = bool(user and user.get("locked_until") and user.get("locked_until") > now)
    stored = _stored_secret(user, now)
    against = stored or _DUMMY
    matches = (checked.matches if checked is not None and checked.stored == against
               else check_password(against, password)) and stored is not None
    usable = (user is not None and not user.get("disabled") and matches and not locked
              and _second_factor(g, user, code, key, now))
    if not usable:
        _count_failure(g, user, origin.address, now, policy, locked)
        outcome = Outcome.LOCKED if locked else Outcome.REFUSED
        audit.append(g, key=audit_key, origin=who, kind=Kind.AUTH, event=event,
                     outcome=outcome)
        return outcome, None
    assert user is not None
    g.upsert_nodes("User", [{"name": name, "failures": 0, "first_failure_at": None,
                             "locked_until": None}])
    audit.append(g, key=audit_key,
                 origin=Origin(name, user.get("role", ""), user.get("department_code", ""),
                               origin.address, origin.request_id),
                 kind=Kind.AUTH, event=event,
                 outcome="ok" if user.get("password_hash") else "ok_reset_code")
    return Outcome.OK, user


def authenticate(g: Graph, *, name: str, password: str, origin: Origin, now: datetime,
                 audit_key: AuditKey, policy: Policy = DEFAULT_POLICY, code: str = "",
                 key: IdKey | None = None, checked: Checked | None = None) -> SignIn:
    """Check a sign-in (see `verify`) and open a session when it succeeds. A one-time reset
    code is spent here: its session may only choose the new password."""
    outcome, user = verify(g, name=name, password=password, code=code, key=key,
                           audit_key=audit_key, origin=origin, now=now, policy=policy,
                           checked=checked)
    if user is None:
        return SignIn(outcome)
    via_reset = not user.get("password_hash")
    if via_reset:
        g.upsert_nodes("User", [{"name": name, "reset_code_hash": None}])
    sid = sessions.start(g, user=user, address=origin.address, now=now, via_reset=via_reset)
    stale = (policy.rotate_after is not None and not via_reset
             and now - user.get("password_set_at", now) > policy.rotate_after)
    return SignIn(Outcome.OK, sid, bool(user.get("must_change")) or stale, via_reset)


def console_authz(g: Graph, *, name: str, password: str, code: str, key: IdKey | None,
                  audit_key: AuditKey, now: datetime,
                  policy: Policy = DEFAULT_POLICY) -> Authz | None:
    """The permissions of an admin who proves who they are at the console (password and,
    once set up, code; lockout and audit as on the web), or None: commit either way."""
    _, user = verify(g, name=name, password=password, code=code, key=key, audit_key=audit_key,
                     origin=Origin(user=name, address="console"), now=now, policy=policy,
                     event="auth.console")
    if user is None or not user.get("password_hash") or (
            twofactor.required(user, policy.two_factor_roles)
            and not twofactor.enrolled(user)):
        return None
    return authz_of(user)


# --- API tokens ---------------------------------------------------------------------------
def issue_token(g: Graph, *, name: str, password: str, code: str, key: IdKey,
                audit_key: AuditKey, origin: Origin, now: datetime, label: str,
                policy: Policy = DEFAULT_POLICY) -> str | None:
    """A new bearer token for the user's own API client, after a fresh password and
    authenticator code (audited as `token.issue`, counted towards lockout like a sign-in);
    None when they are refused. Admin accounts, and accounts without two-factor sign-in, get
    no token."""
    user = _user(g, name)
    if is_admin(user):
        raise ValidationError(N_("admin accounts do not get API tokens"))
    if not twofactor.enrolled(user):
        raise ValidationError(N_("set up two-factor sign-in first: a token is issued only "
                                 "after a password and an authenticator code"))
    outcome, checked = verify(g, name=name, password=password, code=code, key=key,
                              audit_key=audit_key, origin=origin, now=now, policy=policy,
                              event="token.issue")
    if checked is None or outcome != Outcome.OK or not checked.get("password_hash"):
        return None
    return tokens.mint(g, user=checked, label=label, now=now, lifetime=policy.token_lifetime)
