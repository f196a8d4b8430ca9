"""The deployment's keys as the app uses them, and the audit checkpoints it signs.

Tests hand keys in through the app's config (COLLAB_IDKEY, COLLAB_AUDITKEY); a deployment
loads them from the keys folder (`collab.access.keys`). The audit key is loaded when the app
is built, so an app without one refuses to start instead of answering every request with 503.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, request

from collab.access import keys
from collab.access.checkpoints import Marker
from collab.access.idnumbers import IdKey
from collab.access.keys import AuditKey
from collab.web.store import current_store

log = logging.getLogger("collab.web")


def id_key() -> IdKey:
    """The deployment's ID-number key (COLLAB_IDKEY in tests, else the configured one)."""
    return current_app.config.get("COLLAB_IDKEY") or keys.id_key()


def audit_key() -> AuditKey:
    """The audit key, loaded when the app was built."""
    return current_app.config["COLLAB_AUDITKEY"]


def checkpoint_path() -> Path:
    """Where the app appends signed audit checkpoints."""
    return Path(current_app.config["COLLAB_AUDIT_CHECKPOINTS"])


def _checkpoint(response: Response) -> Response:
    """After a request that may have added records (not a static file, nor a probe, which
    must not touch the store), sign a checkpoint when one is due."""
    marker: Marker = current_app.extensions["collab_checkpoints"]
    if request.endpoint != "static" and not str(request.endpoint).startswith("health.") \
            and marker.due():
        marker.mark(current_store)
    return response


def init_app(app: Flask) -> None:
    if not app.config.get("COLLAB_AUDITKEY"):
        app.config["COLLAB_AUDITKEY"] = keys.audit_key()
    app.config.setdefault("COLLAB_AUDIT_CHECKPOINTS", str(keys.checkpoint_path()))
    every: Any = app.config["COLLAB_AUDIT_CHECKPOINT_EVERY"]
    minutes = every.total_seconds() / 60 if isinstance(every, timedelta) else float(every)
    app.extensions["collab_checkpoints"] = Marker(
        Path(app.config["COLLAB_AUDIT_CHECKPOINTS"]), app.config["COLLAB_AUDITKEY"], minutes,
        log.error)
    app.after_request(_checkpoint)
