"""Two-factor sign-in with TOTP (RFC 6238): enrolment, checking a code once, turning it off.

The shared secret is stored sealed under the deployment's key (`IdKey.seal`), never in plain
text. A code is accepted once: the time step it belongs to is kept (`totp_step`) and a code of
that step or an earlier one is refused, so a code seen over a shoulder cannot be replayed.
Every role must use it (GB/T 22239-2019 level 3, 8.1.4.1 d) unless COLLAB_2FA_ROLES narrows it;
the three admin roles always must, and nobody whose role must can turn it off — only the
security admin resets it (the user enrols again). Turning it off or resetting it ends the
user's API tokens, which were issued against it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import pyotp
from cryptography.exceptions import InvalidTag

from collab.access import tokens
from collab.access.authz import ACCOUNT_ROLES, ADMIN_ROLES, Authz, Perm
from collab.access.idnumbers import IdKey
from collab.errors import N_, ConfigError, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Graph

ISSUER = "collab"
_PURPOSE = b"collab:totp-secret:v1"
_WINDOW = 1  # steps either side of now, for clocks a little apart


class WrongCode(ValidationError):
    """A two-factor code that is not right, or was used already."""


def roles_required(listed: Iterable[str] = ()) -> frozenset[str]:
    """The roles that must sign in with a code: every role, unless `listed` (COLLAB_2FA_ROLES,
    comma separated) narrows it to those roles and the admin roles, which always must."""
    named = {r.strip() for r in listed if r.strip()}
    unknown = named - {str(r) for r in ACCOUNT_ROLES}
    if unknown:
        raise ConfigError(N_("COLLAB_2FA_ROLES names unknown roles: %(roles)s"),
                          roles=", ".join(sorted(unknown)))
    if not named:
        return frozenset(str(r) for r in ACCOUNT_ROLES)
    return frozenset(str(r) for r in ADMIN_ROLES) | named


def required(user: Node, roles: frozenset[str]) -> bool:
    """Whether this user must use two-factor sign-in."""
    return user.get("role") in roles


def enrolled(user: Node) -> bool:
    """Whether this user has confirmed an authenticator."""
    return bool(user.get("totp_enc"))


def authenticator(user: Node, key: IdKey, *, pending: bool = False) -> pyotp.TOTP:
    """The user's authenticator (the enrolled one, or the one being set up)."""
    sealed = user.get("totp_pending_enc" if pending else "totp_enc")
    if not sealed:
        raise ValidationError(N_("no authenticator is being set up") if pending
                              else N_("two-factor sign-in is not set up"))
    try:
        secret = key.unseal(sealed, purpose=_PURPOSE)
    except InvalidTag:
        raise ConfigError("the two-factor secrets were sealed under another key: configure "
                          "the deployment's key (COLLAB_ID_KEY or COLLAB_KEY_FILE)") from None
    return pyotp.TOTP(secret, name=user.key, issuer=ISSUER)


def _step_of(totp: pyotp.TOTP, code: str, now: datetime, after: int) -> int | None:
    """The time step `code` belongs to (within the window, later than `after`), or None."""
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != totp.digits:
        return None
    here = totp.timecode(now)
    for step in range(here - _WINDOW, here + _WINDOW + 1):
        if step > after and pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def account(g: Graph, *, name: str) -> Node | None:
    """The signed-in user's own account as stored now (its enrolment may have changed since
    the session began), None when it is gone."""
    return g.get("User", name)


def _locked_user(g: Graph, name: str) -> Node:
    user = g.lock("User", name)
    if user is None:
        raise NotFound(N_("no user %(name)r"), name=name)
    return user


def use_code(g: Graph, *, user: Node, key: IdKey, code: str, now: datetime) -> bool:
    """Check a sign-in code and spend it; False when wrong, too old or used already."""
    step = _step_of(authenticator(user, key), code, now, after=user.get("totp_step", -1))
    if step is None:
        return False
    g.upsert_nodes("User", [{"name": user.key, "totp_step": step}])
    return True


def begin(g: Graph, *, name: str, key: IdKey) -> str:
    """Start setting up an authenticator: a new secret, kept sealed until a code confirms it."""
    user = _locked_user(g, name)
    if enrolled(user):
        raise ValidationError(N_("two-factor sign-in is set up already"))
    secret = pyotp.random_base32()
    g.upsert_nodes("User", [{"name": name, "totp_pending_enc": key.seal(secret,
                                                                        purpose=_PURPOSE)}])
    return secret


def confirm(g: Graph, *, name: str, key: IdKey, code: str, now: datetime) -> Node:
    """Finish the set-up with a code from the new authenticator; from now on it is asked."""
    user = _locked_user(g, name)
    totp = authenticator(user, key, pending=True)
    step = _step_of(totp, code, now, after=-1)
    if step is None:
        raise WrongCode(N_("that code is not right: check the time on the phone and try again"))
    g.upsert_nodes("User", [{"name": name, "totp_enc": user.get("totp_pending_enc"),
                             "totp_pending_enc": None, "totp_step": step,
                             "totp_enrolled_at": now}])
    return _locked_user(g, name)


def _clear(g: Graph, user: Node, *, now: datetime, by: str, why: str) -> None:
    g.upsert_nodes("User", [{"name": user.key, "totp_enc": None, "totp_pending_enc": None,
                             "totp_step": None, "totp_enrolled_at": None,
                             "epoch": user.get("epoch", 0) + 1}])
    tokens.revoke_all(g, name=user.key, now=now, by=by, why=why)


def turn_off(g: Graph, *, name: str, roles: frozenset[str], now: datetime) -> None:
    """A user's own choice to stop using two-factor sign-in, where the role allows it."""
    user = _locked_user(g, name)
    if required(user, roles):
        raise ValidationError(N_("your role must use two-factor sign-in: it cannot be turned off"))
    _clear(g, user, now=now, by=name, why="two-factor sign-in turned off")


def reset(g: Graph, *, authz: Authz | None, name: str, now: datetime, by: str = "") -> None:
    """Forget a user's authenticator (lost phone): the security admin's job; sessions and API
    tokens end and the user sets up a new one at the next sign-in."""
    if authz is not None:
        authz.require(Perm.MANAGE_ACCESS)
        if name == authz.actor.name:
            raise ValidationError(N_("nobody resets their own two-factor sign-in"))
    by = by or (authz.actor.name if authz is not None else "console")
    _clear(g, _locked_user(g, name), now=now, by=by, why="two-factor sign-in reset")
