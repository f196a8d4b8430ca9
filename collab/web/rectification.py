"""The rectification ledger (整改台账) of one's jurisdiction, overdue tasks highlighted."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user

from collab.cases import rectification
from collab.web.nodes import page_number
from collab.web.store import current_config, current_store

bp = Blueprint("rectification", __name__, url_prefix="/rectification")

PAGE = 100


@bp.route("/")
def index() -> Any:
    authz = current_user.authz
    region, status = request.args.get("region") or None, request.args.get("status") or None
    overdue = request.args.get("overdue") == "1"
    config = current_config()
    number, today, policy = page_number(request.args), config.today(), \
        config.rectification_policy()
    rows = current_store().read(lambda tx: rectification.ledger_rows(
        tx, authz=authz, region=region, status=status, overdue_only=overdue, as_of=today,
        policy=policy))
    return render_template("rectification/index.html", rows=rows[(number - 1) * PAGE:
                                                                 number * PAGE],
                           total=len(rows), number=number, pages=max(1, -(-len(rows) // PAGE)),
                           statuses=rectification.STATUSES, as_of=today, policy=policy)
