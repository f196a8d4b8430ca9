"""The app under a real threaded HTTP server on 127.0.0.1, and a plain HTTP client for it."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from werkzeug.serving import make_server


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve `app` on a free port in a background thread; its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


def call(method: str, url: str, *, token: str, body: dict[str, Any] | None = None,
         headers: dict[str, str] | None = None, timeout: float = 60) -> tuple[int, Any]:
    """One HTTP request with a bearer token; the status and the decoded JSON answer."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": "Bearer " + token, "Content-Type": "application/json",
        **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, _decoded(response)
    except urllib.error.HTTPError as e:
        return e.code, _decoded(e)


def _decoded(response: Any) -> Any:
    """JSON answers decoded, pages as text."""
    text = response.read().decode("utf-8")
    if response.headers.get("Content-Type", "").startswith("application/json"):
        return json.loads(text)
    return text
