"""API bearer tokens: minted for their own user only, kept as hashes, ended by many things.

A token is shown once, to the user who asked for it after proving who they are again
(`users.issue_token`: password and authenticator code); only its hash is kept. It ends when it
expires (COLLAB_TOKEN_DAYS, 30 by default), when its user or the security admin revokes it, or
at once for every token of a user whose password is changed or reset, who signs out
everywhere, whose role, jurisdiction or two-factor set-up changes, or who is disabled. The
security admin lists tokens, shortens and revokes them, and never sees one nor mints one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from collab.access.authz import Authz, Perm
from collab.errors import N_, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Graph, Page

PREFIX = "clb_"


class State(StrEnum):
    """Where a token stands."""

    LIVE = "live"
    EXPIRED = "expired"
    REVOKED = "revoked"


def digest(token: str) -> str:
    """The stored form of a token: its SHA-256 (a token is 256 random bits)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def mint(g: Graph, *, user: Node, label: str, now: datetime, lifetime: timedelta) -> str:
    """A new token for `user` (the caller has checked it is theirs to have); its text."""
    token = PREFIX + secrets.token_urlsafe(32)
    g.upsert_nodes("ApiToken", [{"token_hash": digest(token), "user": user.key,
                                 "name": label.strip()[:64] or "api", "created_at": now,
                                 "expires_at": now + lifetime}])
    return token


def state(token: Node, now: datetime) -> State:
    """Whether a stored token is live, expired or revoked."""
    if token.get("revoked_at") is not None:
        return State.REVOKED
    expires = token.get("expires_at")
    return State.EXPIRED if expires is None or expires <= now else State.LIVE


def live_user(g: Graph, *, token: str, now: datetime) -> Node | None:
    """The enabled user a live token belongs to, or None."""
    found = g.get("ApiToken", digest(token)) if token else None
    if found is None or state(found, now) != State.LIVE:
        return None
    user = g.get("User", found.get("user"))
    return None if user is None or user.get("disabled") else user


def _end(g: Graph, tokens: list[Node], *, now: datetime, by: str, why: str) -> int:
    rows = [{"token_hash": t.key, "revoked_at": now, "revoked_by": by, "revoked_why": why}
            for t in tokens if t.get("revoked_at") is None]
    if rows:
        g.upsert_nodes("ApiToken", rows)
    return len(rows)


def revoke_all(g: Graph, *, name: str, now: datetime, by: str, why: str) -> int:
    """End every token of a user (password, role or two-factor changed, signed out
    everywhere, disabled); how many were live."""
    ended = 0
    while True:
        page = g.find("ApiToken", where={"user": name, "revoked_at": None}, limit=1000)
        if not page.items:
            return ended
        ended += _end(g, page.items, now=now, by=by, why=why)


def _by_uid(g: Graph, uid: str) -> Node:
    node = g.get_uid(uid)
    if node is None or node.label != "ApiToken":
        raise NotFound(N_("no such token"))
    return node


def own(g: Graph, *, name: str, limit: int = 200) -> Page:
    """A user's own tokens, newest first (what they were for, when they end; no secret)."""
    return g.find("ApiToken", where={"user": name}, order_by="created_at", descending=True,
                  limit=limit)


def revoke_own(g: Graph, *, name: str, uid: str, now: datetime) -> Node:
    """A user ends one of their own tokens (anyone else's is not found)."""
    token = _by_uid(g, uid)
    if token.get("user") != name:
        raise NotFound(N_("no such token"))
    _end(g, [token], now=now, by=name, why="revoked by its user")
    return _by_uid(g, uid)


def listing(g: Graph, *, authz: Authz, limit: int = 500, offset: int = 0) -> Page:
    """Every token, for the security admin: whose, what for, when made and when it ends."""
    authz.require(Perm.MANAGE_ACCESS)
    return g.find("ApiToken", order_by="created_at", descending=True, limit=limit,
                  offset=offset)


def revoke(g: Graph, *, authz: Authz, uid: str, now: datetime) -> Node:
    """The security admin ends a token."""
    authz.require(Perm.MANAGE_ACCESS)
    _end(g, [_by_uid(g, uid)], now=now, by=authz.actor.name, why="revoked by the security "
                                                                 "admin")
    return _by_uid(g, uid)


def expire(g: Graph, *, authz: Authz, uid: str, at: datetime, now: datetime) -> Node:
    """The security admin brings a token's end forward (never later than it was)."""
    authz.require(Perm.MANAGE_ACCESS)
    token = _by_uid(g, uid)
    if state(token, now) != State.LIVE:
        raise ValidationError(N_("that token has ended already"))
    if at >= token.get("expires_at"):
        raise ValidationError(N_("a token's end can only be brought forward"))
    g.upsert_nodes("ApiToken", [{"token_hash": token.key, "expires_at": max(at, now)}])
    return _by_uid(g, uid)
