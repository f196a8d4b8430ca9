"""`/healthz`: whether the app answers and its store is reachable, for load balancers.

Anyone may ask (no sign-in), so the answer says only ok or not; a caller on the machine
itself (127.0.0.1 or ::1, after any trusted proxy) also gets the worker's process id and its
store's connection pool, which the load benchmark reads before and after its run, and how
many view records its writer has committed in how many transactions (`audit.GroupCommit`).
"""

from __future__ import annotations

import os
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from collab.errors import CollabError
from collab.web.store import current_store

bp = Blueprint("health", __name__)
_LOCAL = frozenset({"127.0.0.1", "::1"})


@bp.route("/healthz")
def healthz() -> Any:
    try:
        store = current_store()
        store.read(lambda tx: tx.count("Region"))
    except CollabError:
        return jsonify({"ok": False}), 503
    body: dict[str, Any] = {"ok": True}
    if request.remote_addr in _LOCAL:
        writer = current_app.extensions.get("collab_audit_views")
        body |= {"pid": os.getpid(), "pool": store.pool(),
                 "audit": {"records": writer.records if writer else 0,
                           "commits": writer.commits if writer else 0}}
    return jsonify(body)
