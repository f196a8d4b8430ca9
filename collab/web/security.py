"""Who is asking: request ids, server-side sessions, API tokens, CSRF and response headers.

The session cookie carries only a random session id (and the CSRF token); the session itself
lives in the graph, so signing out, an idle timeout, disabling a user or changing their role
refuses the old cookie on the very next request. API clients send a bearer token instead and
get no cookie session at all.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, g, jsonify, redirect, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect

from collab.access import sessions, tokens, twofactor, users
from collab.access.authz import Authz
from collab.access.idnumbers import redact
from collab.errors import StoreUnavailable
from collab.graph.codec import Node
from collab.web.store import current_config, current_store

login_manager = LoginManager()
csrf = CSRFProtect()

# Endpoints anyone may reach; everything else needs a signed-in user.
PUBLIC = frozenset({"auth.login", "auth.language", "static"})
# The probes of load balancers: they never look at a session (nor the store, for liveness).
PROBES = frozenset({"health.healthz", "health.readyz", "health.pool"})
# Endpoints a user who must change their password may still reach.
BEFORE_NEW_PASSWORD = frozenset({"auth.password", "auth.logout", "auth.language", "static"})
# And those a user who must set up two-factor sign-in may reach.
BEFORE_TWO_FACTOR = BEFORE_NEW_PASSWORD - {"auth.password"} | {
    "twofactor.page", "twofactor.begin", "twofactor.confirm"}
TOUCH_EVERY = timedelta(minutes=1)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


class WebUser(UserMixin):
    """The signed-in user of a request, with the permission object services take."""

    def __init__(self, node: Node, *, must_change: bool = False,
                 two_factor_roles: frozenset[str] = frozenset()):
        self.node = node
        self.authz: Authz = users.authz_of(node)
        self.must_change = must_change or bool(node.get("must_change"))
        self.must_enrol = (twofactor.required(node, two_factor_roles)
                           and not twofactor.enrolled(node))

    def get_id(self) -> str:
        return self.node.key

    @property
    def name(self) -> str:
        return self.node.key

    @property
    def display_name(self) -> str:
        return self.node.get("display_name") or self.node.key

    @property
    def role(self) -> str:
        return str(self.authz.role)


def now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


def is_api() -> bool:
    """Whether this request is for the JSON API."""
    return request.path.startswith("/api/")


def _from_token() -> WebUser | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    at = now()
    node = current_store().read(lambda tx: tokens.live_user(tx, token=token.strip(), now=at))
    return WebUser(node) if node else None


def _from_session() -> WebUser | None:
    sid = session.get("sid")
    if not sid:
        return None
    policy, at = current_config().sign_in_policy(), now()
    store = current_store()
    node, seen = store.read(lambda tx: (
        sessions.session_user(tx, sid=sid, now=at, policy=policy),
        sessions.seen_at(tx, sid=sid)))
    if node is None:
        session.clear()
        return None
    if seen is None or at - seen >= TOUCH_EVERY:
        store.write(lambda tx: sessions.touch(tx, sid=sid, now=at))
    return WebUser(node, must_change=bool(session.get("rotate")),
                   two_factor_roles=policy.two_factor_roles)


def _load(_request: Any) -> WebUser | None:
    """The signed-in user. If the store is down the first call raises (the request answers
    503); later calls in that request (its audit record, the error page) see no user."""
    if g.get("user_unloadable"):
        return None
    try:
        return _from_token() if is_api() else _from_session()
    except StoreUnavailable:
        g.user_unloadable = True
        raise


def _unauthorized() -> Any:
    if is_api():
        response = jsonify(error="sign-in required: send an API token as "
                                 "'Authorization: Bearer <token>'", status=401,
                           request_id=g.request_id)
        response.status_code = 401
        return response
    # the way back, as a link may carry it (an ID number in it masked: `echo`)
    return redirect(url_for("auth.login", next=redact(request.full_path.rstrip("?"))))


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no open redirects)."""
    if (not target or not target.startswith("/") or target.startswith("//")
            or "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target)):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _request_id() -> None:
    """Every request's id, set before anything can refuse it (CSRF included), so every
    answer, error page and audit record carries one."""
    g.request_id = uuid.uuid4().hex[:16]
    g.audited = False


def _begin() -> Any:
    if request.endpoint == "static" or request.endpoint in PROBES or is_api():
        return None
    if not current_user.is_authenticated:
        return None if request.endpoint in PUBLIC else login_manager.unauthorized()
    if current_user.must_change:  # first a new password, then two-factor set-up
        return None if request.endpoint in BEFORE_NEW_PASSWORD \
            else redirect(url_for("auth.password"))
    if current_user.must_enrol and request.endpoint not in BEFORE_TWO_FACTOR:
        return redirect(url_for("twofactor.page"))
    return None


def _headers(response: Any) -> Any:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Request-Id"] = g.get("request_id", "")
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.session_protection = None  # the server-side session is the protection
    login_manager.request_loader(_load)
    login_manager.unauthorized_handler(_unauthorized)
    app.before_request(_request_id)
    csrf.init_app(app)
    app.before_request(_begin)
    app.after_request(_headers)
