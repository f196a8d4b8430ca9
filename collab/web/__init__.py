"""The web application: pages for staff and a JSON API, over the `collab.cases` services.

`create_app` builds everything; nothing is built at import time. Views validate input, call
a service with the request's permission object, or build a command and run it
(`collab.web.changes`), and render; they never hold a query or a driver. The settings are one
`collab.config.Config`, read from the environment here unless `test_config` brings one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from collab.config import Config
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


def _static_version(app: Flask) -> str:
    """A short fingerprint of the static files, added to their URLs (`?v=`): browsers keep
    them for a day without asking again, and fetch them anew when an upgrade changes one."""
    digest = hashlib.sha256()
    for path in sorted(Path(app.static_folder or "").rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:10]


def default_config(config: Config) -> dict[str, Any]:
    """Flask's settings from the deployment's `config`; `test_config` overrides any of them."""
    return {
        "SECRET_KEY": config.secret_key or None,
        "COLLAB_CONFIG": config,
        "COLLAB_STORE": None,  # a ready Store (tests), else opened from COLLAB_CONFIG
        "SESSION_COOKIE_NAME": "collab_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": config.secure_cookies,
        "PREFERRED_URL_SCHEME": "https" if config.secure_cookies else "http",
        "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
        "SEND_FILE_MAX_AGE_DEFAULT": timedelta(days=1),  # static files; their URLs carry ?v=
        "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the server-side session
        "BABEL_DEFAULT_LOCALE": "zh",
        "BABEL_DEFAULT_TIMEZONE": config.timezone,
        "API_TITLE": "collab API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """The application, configured from `COLLAB_CONFIG` in `test_config` (else the
    environment, read once here), then the rest of `test_config`."""
    config = (test_config or {}).get("COLLAB_CONFIG") or Config.from_env()
    instance = config.instance.resolve()
    app = Flask(__name__, instance_path=str(instance))
    app.json = IsoJSON(app)
    app.config.from_mapping(default_config(config))
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _secret_key(instance)
    app.config["COLLAB_CONFIG"].zone()  # an unknown COLLAB_TIMEZONE stops the start
    version = _static_version(app)
    app.url_defaults(lambda endpoint, values: values.setdefault("v", version)
                     if endpoint == "static" else None)

    from collab.web import (
        api,
        auditing,
        echo,
        errors,
        holding,
        i18n,
        inbox,
        keys,
        labels,
        logs,
        menu,
        security,
    )
    from collab.web.blueprints import register_blueprints
    from collab.web.store import store_ext

    proxies = config.trusted_proxies
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore
    app.request_class = holding.InMemoryUploads
    logs.init_app(app)
    keys.init_app(app)
    store_ext.init_app(app)
    i18n.init_app(app)
    labels.init_app(app)
    echo.init_app(app)
    menu.init_app(app)
    inbox.init_app(app)
    security.init_app(app)
    auditing.init_app(app)
    register_blueprints(app)
    api.init_app(app)
    errors.init_app(app)
    return app
