"""The store extension: one store per application, handed to each request as `g.store`; and
the deployment's settings, read once when the app was made (`current_config`).

The store holds the engine's connections (a per-thread SQLite connection or the Neo4j
driver's pool), so it is opened once, on first use, and closed with the application; a request
only borrows it. Tests hand in a ready store through `COLLAB_STORE`.
"""

from __future__ import annotations

import threading

from flask import Flask, current_app, g

from collab.config import Config, open_store
from collab.graph.store import Store


class StoreExtension:
    """Opens the configured store lazily and lends it to requests."""

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def init_app(self, app: Flask) -> None:
        app.extensions["collab_store"] = self

    def store_for(self, app: Flask) -> Store:
        """The application's store, opened on first use."""
        with self._lock:
            store = app.config.get("COLLAB_STORE")
            if store is None:
                store = open_store(app.config["COLLAB_CONFIG"])
                app.config["COLLAB_STORE"] = store
            return store


store_ext = StoreExtension()


def current_store() -> Store:
    """The store lent to this request (kept on `g` for the rest of it)."""
    if "store" not in g:
        g.store = store_ext.store_for(current_app)
    return g.store


def current_config() -> Config:
    """The deployment's settings, read once when the app was made."""
    found: Config = current_app.config["COLLAB_CONFIG"]
    return found
