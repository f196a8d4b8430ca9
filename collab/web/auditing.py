"""One audit record per request: views after the response is made, changes inside their write.

A change is a command run by the command runner (`collab.web.changes.run`), which writes its
record in the same transaction as the change itself (with the object's properties before and
after), or a record saying it was refused, and marks the request recorded; should the runner
fail altogether, the request's closing record carries the command's event, marked as failed.
Every other request gets its record when its response is ready, written together with the
records of the requests answered at the same moment (`audit.GroupCommit`, one per process):
the response waits until its record is committed, and if that record cannot be written it is
replaced by a plain 503, so nothing is shown unrecorded.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, g, request
from flask_login import current_user

from collab.access import audit
from collab.access.audit import Entry, Kind, Origin
from collab.web.errors import plain_error
from collab.web.keys import audit_key
from collab.web.security import PROBES
from collab.web.store import current_store

log = logging.getLogger("collab.web")
_OUTCOMES = {400: "bad_request", 401: "unauthenticated", 403: "refused", 404: "not_found",
             405: "method_not_allowed", 409: "conflict", 422: "bad_request",
             429: "rate_limited",
             503: "unavailable"}


def origin() -> Origin:
    """Who is making this request and from where."""
    address = request.remote_addr or ""
    rid = g.get("request_id", "")
    if not current_user or not current_user.is_authenticated:
        return Origin(address=address, request_id=rid)
    actor = current_user.authz.actor
    return Origin(actor.name, actor.role, actor.department or "", address, rid)


def about(label: str, key: str) -> None:
    """Name the object this request is about, for its record."""
    g.audit_object = (label, key)


def name_event(event: str, kind: Kind) -> None:
    """Record this request under `event` rather than its endpoint's name."""
    g.audit_event, g.audit_kind = event, kind


def refused() -> None:
    """What this request asked for was refused before any change (e.g. an invalid form);
    its record says so."""
    g.audit_refused = True


def note(detail: Mapping[str, Any]) -> None:
    """Add to this request's closing record (what a refused import was: file, hash, counts)."""
    g.audit_detail = dict(detail)


def mark_recorded() -> None:
    """This request's record has been written already (e.g. with its sign-in)."""
    g.audited = True


def _security_event(status: int) -> str | None:
    """A refused cross-site form or a change tried with the wrong method (e.g. a GET)."""
    if g.get("csrf_refused"):
        return "security.csrf"
    return "security.method" if status == 405 else None


def _kind(status: int) -> Kind:
    if g.get("audit_kind"):
        return g.audit_kind
    if _security_event(status):
        return Kind.SECURITY
    if request.path.endswith((".csv", ".xlsx", ".docx")):
        return Kind.EXPORT
    return Kind.VIEW if request.method in ("GET", "HEAD", "OPTIONS") else Kind.CHANGE


# Static files, and the load balancer's health probes (they show no data and would flood the
# trail).
UNAUDITED = PROBES | {"static"}


def _record(response: Response) -> Response:
    if g.get("audited") or request.endpoint in UNAUDITED:
        return response
    label, key = g.get("audit_object", ("", ""))
    status = response.status_code
    event = _security_event(status) or g.get("audit_event") or request.endpoint or "unknown_url"
    try:  # who asks is read from the store too: a store that is down fails here as well
        entry = Entry(origin(), _kind(status), event,
                      "refused" if g.get("audit_refused") else
                      "ok" if status < 400 else _OUTCOMES.get(status, str(status)),
                      label, key, {"method": request.method, "path": request.path,
                                   **g.get("audit_detail", {})})
        views(current_app).append(entry)
    except Exception as e:  # noqa: BLE001 - unrecorded means unanswered, whatever the cause
        log.error("audit record not written (request %s): %s", g.get("request_id"),
                  type(e).__name__)
        return plain_error(503)
    g.audited = True
    return response


def views(app: Flask) -> audit.GroupCommit:
    """The process's writer of view records for this app's store (made on first use)."""
    with _MAKING:
        writer = app.extensions.get("collab_audit_views")
        if writer is None:
            writer = app.extensions["collab_audit_views"] = audit.GroupCommit(current_store(),
                                                                            audit_key())
        return writer


_MAKING = threading.Lock()


def init_app(app: Flask) -> None:
    app.after_request(_record)
