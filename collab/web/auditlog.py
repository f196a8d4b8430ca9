"""The audit log, for the audit admin only: search, export, and the chain's own check."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from flask import Blueprint, Response, render_template, request
from flask_login import current_user

from collab.access import audit, checkpoints
from collab.access.authz import Perm
from collab.errors import N_, ValidationError
from collab.web.keys import audit_key, checkpoint_path
from collab.web.nodes import page_number
from collab.web.store import current_store

bp = Blueprint("auditlog", __name__, url_prefix="/audit")

PAGE = 100
EXPORT_LIMIT = 100_000
COLUMNS = ("seq", "at", "user", "role", "department", "address", "request_id", "kind", "event",
           "object_label", "object_key", "outcome", "detail", "hash")
# A spreadsheet would evaluate a cell starting with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@bp.route("/export.csv")
def export() -> Any:
    filters = _filters()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    offset = 0
    while offset < EXPORT_LIMIT:
        page = _search(filters, limit=1000, offset=offset)
        for record in page.items:
            writer.writerow([as_text_cell(record.get(c)) for c in COLUMNS])
        offset += len(page.items)
        if not page.items or offset >= page.total:
            break
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit.csv"})


@bp.route("/verify")
def verify() -> Any:
    current_user.authz.require(Perm.READ_AUDIT)
    verdict = checkpoints.verify_trail(current_store(), audit_key(), checkpoint_path())
    return render_template("auditlog/verify.html", verdict=verdict)
