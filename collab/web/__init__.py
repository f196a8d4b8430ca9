"""The web application: pages for staff and a JSON API, over the `collab.cases` services.

`create_app` builds everything; nothing is built at import time. Views validate input, call
a service with the request's permission object (`g.authz`), and render; they never hold a
query or a driver.
"""

from __future__ import annotations

import os
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from collab.access.policy import Policy
from collab.access.twofactor import roles_required
from collab.config import Settings
from collab.files import write_new


def _secret_key(instance: Path) -> str:
    """A key generated once and kept (owner-only) in the instance folder."""
    path = instance / "secret_key"
    if not path.exists():
        write_new(path, secrets.token_urlsafe(48))
    return path.read_text(encoding="utf-8").strip()


class IsoJSON(DefaultJSONProvider):
    """JSON answers with dates as ISO text and Chinese as it is."""

    ensure_ascii = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, date | datetime):
            return o.isoformat()
        return DefaultJSONProvider.default(o)


def _minutes(name: str, default: int) -> timedelta:
    return timedelta(minutes=int(os.environ.get(name, default)))


def default_config() -> dict[str, Any]:
    """Settings from COLLAB_* variables; `test_config` overrides any of them."""
    secure = os.environ.get("COLLAB_SECURE_COOKIES", "").lower() in ("1", "true", "yes")
    rotate = os.environ.get("COLLAB_PASSWORD_ROTATE_DAYS")
    return {
        "SECRET_KEY": os.environ.get("COLLAB_SECRET_KEY"),
        "COLLAB_SETTINGS": Settings.from_env(),
        "COLLAB_STORE": None,  # a ready Store (tests), else opened from COLLAB_SETTINGS
        "COLLAB_POLICY": Policy(
            max_failures=int(os.environ.get("COLLAB_LOCKOUT_FAILURES", 5)),
            failure_window=_minutes("COLLAB_LOCKOUT_WINDOW_MINUTES", 15),
            lock_for=_minutes("COLLAB_LOCKOUT_MINUTES", 15),
            address_max_failures=int(os.environ.get("COLLAB_ADDRESS_FAILURES", 10)),
            idle=_minutes("COLLAB_IDLE_MINUTES", 30),
            absolute=_minutes("COLLAB_SESSION_MAX_MINUTES", 12 * 60),
            rotate_after=timedelta(days=int(rotate)) if rotate else None,
            two_factor_roles=roles_required(
                os.environ.get("COLLAB_2FA_ROLES", "").split(",")),
            token_lifetime=timedelta(days=int(os.environ.get("COLLAB_TOKEN_DAYS", 30))),
            words=tuple(w.strip() for w in os.environ.get("COLLAB_PASSWORD_WORDS", "").split(",")
                        if w.strip())),
        "COLLAB_AUDIT_CHECKPOINT_EVERY": _minutes("COLLAB_AUDIT_CHECKPOINT_MINUTES", 10),
        "COLLAB_READY_CACHE_SECONDS": float(os.environ.get("COLLAB_READY_CACHE_SECONDS", 3)),
        "COLLAB_POOL_PROBE": os.environ.get("COLLAB_POOL_PROBE", "").lower() in ("1", "true",
                                                                                  "yes"),
        "SESSION_COOKIE_NAME": "collab_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "PREFERRED_URL_SCHEME": "https" if secure else "http",
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the server-side session
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "API_TITLE": "collab API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The application, configured from the environment and then `test_config`."""
    instance = Path(os.environ.get("COLLAB_INSTANCE") or "var").resolve()
    app = Flask(__name__, instance_path=str(instance))
    app.json = IsoJSON(app)
    app.config.from_mapping(default_config())
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _secret_key(instance)

    from collab.web import (
        api,
        auditing,
        echo,
        errors,
        holding,
        i18n,
        keys,
        labels,
        logs,
        security,
    )
    from collab.web.blueprints import register_blueprints
    from collab.web.store import store_ext

    proxies = int(os.environ.get("COLLAB_TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore
    app.request_class = holding.InMemoryUploads
    logs.init_app(app)
    keys.init_app(app)
    store_ext.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    echo.init_app(app)
    security.init_app(app)
    auditing.init_app(app)
    register_blueprints(app)
    api.init_app(app)
    errors.init_app(app)
    return app
