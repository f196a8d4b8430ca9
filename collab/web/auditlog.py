"""The audit log, for the audit admin only: search, export, and the chain's own check."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from collab.access import audit, checkpoints
from collab.access.authz import Perm
from collab.errors import N_, ValidationError
from collab.sheets.guard import neutralise
from collab.web import when
from collab.web.downloads import attachment, file_name
from collab.web.keys import audit_key, checkpoint_path
from collab.web.nodes import page_number
from collab.web.store import current_store

bp = Blueprint("auditlog", __name__, url_prefix="/audit")

PAGE = 100
EXPORT_LIMIT = 100_000
COLUMNS = ("seq", "at", "user", "role", "department", "address", "request_id", "kind", "event",
           "object_label", "object_key", "outcome", "detail", "hash")


def _filters() -> dict[str, Any]:
    since = request.args.get("since") or None
    try:
        when = datetime.fromisoformat(since) if since else None
    except ValueError:
        raise ValidationError(N_("not a date: %(value)r"), value=since) from None
    return {"user": request.args.get("user") or None, "event": request.args.get("event") or None,
            "object_key": request.args.get("object") or None, "since": when}


def _search(filters: dict[str, Any], *, limit: int, offset: int) -> Any:
    authz, key = current_user.authz, audit_key()
    return current_store().read(lambda tx: audit.search(tx, authz=authz, key=key, **filters,
                                                        limit=limit, offset=offset))


@bp.route("/")
def index() -> Any:
    number = page_number(request.args)
    page = _search(_filters(), limit=PAGE, offset=(number - 1) * PAGE)
    return render_template("auditlog/index.html", page=page, number=number,
                           pages=max(1, -(-page.total // PAGE)))


def as_text_cell(value: Any) -> str:
    """A value for a CSV cell that no spreadsheet will run as a formula."""
    return str(neutralise("" if value is None else str(value)))


@bp.route("/export.csv")
def export() -> Any:
    authz, key, filters = current_user.authz, audit_key(), _filters()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(current_store().read(lambda tx: [
        [as_text_cell(r.get(c)) for c in COLUMNS]
        for r in audit.records(tx, authz=authz, key=key, **filters, limit=EXPORT_LIMIT)]))
    today = when.today()
    return attachment("\ufeff" + out.getvalue(), mimetype="text/csv",
                      name=file_name(_("Audit log"), day=today, ext="csv"),
                      fallback=file_name("audit", day=today, ext="csv"))


@bp.route("/verify")
def verify() -> Any:
    current_user.authz.require(Perm.READ_AUDIT)
    verdict = checkpoints.verify_trail(current_store(), audit_key(), checkpoint_path())
    return render_template("auditlog/verify.html", verdict=verdict)
