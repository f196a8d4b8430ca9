"""A test client that signs in and sends CSRF tokens the way a browser does."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from web import scenario
from web.scenario import PASSWORD, TEST_KEY

from collab.config import Config
from collab.graph.store import Store
from collab.web import create_app

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_app(store: Store, **config: Any) -> Flask:
    """The app over `store`, with the tests' keys (the environment's: `tests/keys.py`) and a
    checkpoint file of its own, unless the test brings its own settings."""
    checkpoints = Path(tempfile.mkdtemp(prefix="collab-checkpoints-")) / "audit-checkpoints"
    config.setdefault("COLLAB_CONFIG", Config.from_env(audit_checkpoints=checkpoints))
    return create_app({"COLLAB_STORE": store, "SECRET_KEY": "test-secret", "TESTING": True,
                       "COLLAB_IDKEY": TEST_KEY, **config})


def code_for(app: Flask, name: str) -> str:
    """What the user's authenticator shows now (see `scenario.code_for`)."""
    return scenario.code_for(app.config["COLLAB_STORE"], name, app.config["COLLAB_IDKEY"])


def csrf_token(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


class Client:
    """A test client that signs in and sends CSRF tokens like a browser would."""

    def __init__(self, app: Flask):
        self.app = app
        self.http: FlaskClient = app.test_client()
        self.token = ""

    def get(self, url: str, **kw: Any) -> Any:
        return self.http.get(url, **kw)

    def sign_in(self, name: str, password: str = PASSWORD, next_: str = "",
                code: str | None = None) -> Any:
        """Sign in; the code defaults to what the user's authenticator shows (if any)."""
        page = self.http.get("/login")
        token = csrf_token(page.text) if page.status_code == 200 else self.token
        url = "/login" + (f"?next={next_}" if next_ else "")
        code = code_for(self.app, name) if code is None else code
        response = self.http.post(url, data={"csrf_token": token, "name": name,
                                             "password": password, "code": code})
        if response.status_code == 302:
            self.refresh_token()
        return response

    def refresh_token(self) -> None:
        """The session's CSRF token, from a page the user may open (even before setting up
        two-factor sign-in)."""
        for url in ("/password", "/account/2fa"):
            page = self.http.get(url)
            if page.status_code == 200:
                self.token = csrf_token(page.text)
                return

    def post(self, url: str, data: dict[str, Any] | None = None, *, csrf: bool = True) -> Any:
        body = dict(data or {})
        if csrf:
            body.setdefault("csrf_token", self.token)
        return self.http.post(url, data=body)


def signed(app: Flask, name: str) -> Client:
    """A client signed in as `name` (a scenario account)."""
    client = Client(app)
    client.sign_in(name)
    return client
