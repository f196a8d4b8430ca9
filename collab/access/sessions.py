"""Server-side sign-in sessions: the cookie holds only a random id, the session lives here.

Signing out, an idle or absolute timeout, disabling a user or bumping their `epoch` (role,
jurisdiction, password reset, two-factor reset, "sign out everywhere") refuses the old cookie
on its very next request.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from collab.access import tokens
from collab.access.policy import DEFAULT_POLICY, Policy
from collab.errors import N_, NotFound
from collab.graph.codec import Node
from collab.graph.store import Graph


def _sha(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def start(g: Graph, *, user: Node, address: str, now: datetime, via_reset: bool = False) -> str:
    """A new session for `user`; its id (for the cookie). `via_reset`: opened with a one-time
    reset code, good only for choosing a new password."""
    sid = secrets.token_urlsafe(32)
    g.upsert_nodes("LoginSession", [{"sid_hash": _sha(sid), "user": user.key,
                                     "epoch": user.get("epoch", 0), "created_at": now,
                                     "seen_at": now, "address": address,
                                     "via_reset": via_reset}])
    return sid


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


def opened_by_reset(g: Graph, *, sid: str) -> bool:
    """Whether the session was opened with a one-time reset code."""
    session = g.get("LoginSession", _sha(sid)) if sid else None
    return bool(session and session.get("via_reset"))


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


def sign_out_everywhere(g: Graph, *, name: str, now: datetime) -> None:
    """End every session and every API token of a user, on every device."""
    user = g.lock("User", name)
    if user is None:
        raise NotFound(N_("no user %(name)r"), name=name)
    g.upsert_nodes("User", [{"name": name, "epoch": user.get("epoch", 0) + 1}])
    tokens.revoke_all(g, name=name, now=now, by=name, why="signed out everywhere")
