"""Exporting ledgers of one's jurisdiction, in the template layout (ID numbers masked).

Cells that a spreadsheet would run as formulas are written as text by the exporter. Every
download is audited as an export.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template
from flask_login import current_user

from collab.access.authz import Perm
from collab.files import private_file
from collab.ledgers.exporter import export_rows, write_ledger
from collab.ledgers.kinds import KINDS, ORDER
from collab.web import auditing
from collab.web.store import current_store

bp = Blueprint("exports", __name__, url_prefix="/export")
TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv"}


@bp.route("/")
def index() -> Any:
    current_user.authz.require(Perm.EXPORT)
    return render_template("exports/index.html", kinds=[KINDS[k] for k in ORDER])


@bp.route("/<name>.<fmt>")
def download(name: str, fmt: str) -> Any:
    authz = current_user.authz
    authz.require(Perm.EXPORT)
    if name not in KINDS or fmt not in TYPES:
        abort(404)
    kind = KINDS[name]
    auditing.about(kind.label, authz.actor.region or "")
    path = private_file(Path(current_app.instance_path) / "exports"
                        / (secrets.token_hex(16) + "." + fmt))
    try:
        current_store().read(lambda tx: write_ledger(
            path, kind, export_rows(tx, kind=kind, scope=authz.actor.region), fmt=fmt))
        body = path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
    return Response(body, mimetype=TYPES[fmt], headers={
        "Content-Disposition": f"attachment; filename={name}.{fmt}"})
