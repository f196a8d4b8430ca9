"""The deployment's keys as the app uses them, and the audit checkpoints it signs.

Both keys come from the deployment's settings (`collab.config`: the keys folder, kept apart
from the data); tests may hand the ID-number key in as COLLAB_IDKEY. The audit key is loaded
when the app is built, so an app without one refuses to start instead of answering every
request with 503.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, Response, current_app, request

from collab.access.checkpoints import Marker
from collab.access.idnumbers import IdKey
from collab.access.keys import AuditKey
from collab.config import Config
from collab.web.store import current_config, current_store

log = logging.getLogger("collab.web")


def id_key() -> IdKey:
    """The deployment's ID-number key (loaded once; tests hand one in as COLLAB_IDKEY)."""
    if not current_app.config.get("COLLAB_IDKEY"):
        current_app.config["COLLAB_IDKEY"] = current_config().load_key()
    key: IdKey = current_app.config["COLLAB_IDKEY"]
    return key


def audit_key() -> AuditKey:
    """The audit key (the one the command runner seals changes with)."""
    return current_config().load_audit_key()


def checkpoint_path() -> Path:
    """Where the app appends signed audit checkpoints."""
    return current_config().checkpoint_path()


def _checkpoint(response: Response) -> Response:
    """After a request that may have added records (not a static file, nor a probe, which
    must not touch the store), sign a checkpoint when one is due."""
    marker: Marker = current_app.extensions["collab_checkpoints"]
    if request.endpoint != "static" and not str(request.endpoint).startswith("health.") \
            and marker.due():
        marker.mark(current_store)
    return response


def init_app(app: Flask) -> None:
    config: Config = app.config["COLLAB_CONFIG"]
    app.extensions["collab_checkpoints"] = Marker(
        config.checkpoint_path(), config.load_audit_key(), config.audit_checkpoint_minutes,
        log.error)
    app.after_request(_checkpoint)
