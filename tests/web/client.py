"""A test client that signs in and sends CSRF tokens the way a browser does."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from web.scenario import PASSWORD
from werkzeug.serving import make_server

from collab.graph.store import Store
from collab.web import create_app

_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def make_app(store: Store, **config: Any) -> Flask:
    return create_app({"COLLAB_STORE": store, "SECRET_KEY": "test-secret", "TESTING": True,
                       **config})


@contextmanager
def served(app: Flask) -> Iterator[str]:
    """`app` served on 127.0.0.1 in a thread (for a real browser); yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def csrf_token(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


class Client:
    """A test client that signs in and sends CSRF tokens like a browser would."""

    def __init__(self, app: Flask):
        self.http: FlaskClient = app.test_client()
        self.token = ""

    def get(self, url: str, **kw: Any) -> Any:
        return self.http.get(url, **kw)

    def sign_in(self, name: str, password: str = PASSWORD, next_: str = "") -> Any:
        page = self.http.get("/login")
        token = csrf_token(page.text) if page.status_code == 200 else self.token
        url = "/login" + (f"?next={next_}" if next_ else "")
        response = self.http.post(url, data={"csrf_token": token, "name": name,
                                             "password": password})
        if response.status_code == 302:
            self.refresh_token()
        return response

    def refresh_token(self) -> None:
        page = self.http.get("/password")
        if page.status_code == 200:
            self.token = csrf_token(page.text)

    def post(self, url: str, data: dict[str, Any] | None = None, *, csrf: bool = True) -> Any:
        body = dict(data or {})
        if csrf:
            body.setdefault("csrf_token", self.token)
        return self.http.post(url, data=body)
