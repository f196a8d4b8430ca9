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

from flask import Flask, current_app, g, jsonify, redirect, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFProtect

from collab.cases import users
from collab.cases.authz import Authz
from collab.graph.codec import Node
from collab.web.store import current_store

login_manager = LoginManager()
csrf = CSRFProtect()

# Endpoints anyone may reach; everything else needs a signed-in user.
PUBLIC = frozenset({"auth.login", "auth.language", "static", "health.healthz"})
# Endpoints a user who must change their password may still reach.
BEFORE_NEW_PASSWORD = frozenset({"auth.password", "auth.logout", "auth.language", "static"})
TOUCH_EVERY = timedelta(minutes=1)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


class WebUser(UserMixin):
    """The signed-in user of a request, with the permission object services take."""

    def __init__(self, node: Node, *, must_change: bool = False):
        self.node = node
        self.authz: Authz = users.authz_of(node)
        self.must_change = must_change or bool(node.get("must_change"))

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
    node = current_store().read(lambda tx: users.token_user(tx, token=token.strip()))
    return WebUser(node) if node else None


def _from_session() -> WebUser | None:
    sid = session.get("sid")
    if not sid:
        return None
    policy, at = current_app.config["COLLAB_POLICY"], now()
    store = current_store()
    node, seen = store.read(lambda tx: (users.session_user(tx, sid=sid, now=at, policy=policy),
                                        users.seen_at(tx, sid=sid)))
    if node is None:
        session.clear()
        return None
    if seen is None or at - seen >= TOUCH_EVERY:
        store.write(lambda tx: users.touch(tx, sid=sid, now=at))
    return WebUser(node, must_change=bool(session.get("rotate")))


def _load(_request: Any) -> WebUser | None:
    return _from_token() if is_api() else _from_session()


def _unauthorized() -> Any:
    if is_api():
        response = jsonify(error="sign-in required: send an API token as "
                                 "'Authorization: Bearer <token>'", request_id=g.request_id)
        response.status_code = 401
        return response
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _begin() -> Any:
    g.request_id = uuid.uuid4().hex[:16]
    g.audited = False
    if request.endpoint == "static" or is_api():
        return None
    if not current_user.is_authenticated:
        return None if request.endpoint in PUBLIC else login_manager.unauthorized()
    if current_user.must_change and request.endpoint not in BEFORE_NEW_PASSWORD:
        return redirect(url_for("auth.password"))
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
    csrf.init_app(app)
    app.before_request(_begin)
    app.after_request(_headers)
