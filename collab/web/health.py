"""Liveness and readiness, for load balancers and orchestrators; anyone may ask.

- `/healthz` — the process is alive and answering. It touches nothing else, so it stays quick
  and true while the store is down (a restart would not help then).
- `/readyz` — the process can serve: its store answers a read and takes a write (a full disk,
  a read-only file or a server that is gone all fail it). The result is kept a few seconds
  (COLLAB_READY_CACHE_SECONDS) per process, so probes do not load the store.

Both say only ok or not, to whoever asks. A worker's process id and connection pool, and how
many view records its writer has committed in how many transactions (`audit.GroupCommit`),
which the load benchmark reads before and after its run, are at `/healthz/pool` only when
COLLAB_POOL_PROBE is set, and only to callers on the machine itself; otherwise that page does
not exist.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request

from collab.errors import CollabError
from collab.web.security import now
from collab.web.store import current_config, current_store

bp = Blueprint("health", __name__)
_LOCAL = frozenset({"127.0.0.1", "::1"})


class _Readiness:
    """The last readiness check of this process and when it was made."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at = -1e9
        self.ready = False


@bp.route("/healthz")
def healthz() -> Any:
    return jsonify({"ok": True})


def _ready() -> bool:
    state: _Readiness = current_app.extensions.setdefault("collab_readiness", _Readiness())
    keep = current_config().ready_cache_seconds
    with state.lock:
        if time.monotonic() - state.checked_at >= keep:
            try:
                current_store().check_ready(now())
                state.ready = True
            except CollabError:
                state.ready = False
            state.checked_at = time.monotonic()
        return state.ready


@bp.route("/readyz")
def readyz() -> Any:
    ready = _ready()
    return jsonify({"ok": ready}), 200 if ready else 503


@bp.route("/healthz/pool")
def pool() -> Any:
    if not current_config().pool_probe or request.remote_addr not in _LOCAL:
        abort(404)
    writer = current_app.extensions.get("collab_audit_views")
    return jsonify({"pid": os.getpid(), "pool": current_store().pool(),
                    "audit": {"records": writer.records if writer else 0,
                              "commits": writer.commits if writer else 0}})
