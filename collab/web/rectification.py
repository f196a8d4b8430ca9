"""The rectification ledger (整改台账) of one's jurisdiction, overdue tasks highlighted."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user

from collab.access import authz as access
from collab.access.authz import Authz
from collab.cases import rectification
from collab.errors import N_, NotFound, ValidationError
from collab.graph.store import Graph
from collab.web import changes
from collab.web.nodes import page_number
from collab.web.store import current_store

bp = Blueprint("rectification", __name__, url_prefix="/rectification")

PAGE = 100


def ledger_rows(g: Graph, *, authz: Authz, region: str | None, status: str | None,
                overdue_only: bool, as_of: date,
                policy: rectification.RectificationPolicy) -> list[dict[str, Any]]:
    """The ledger of a region in scope (default: the actor's own), each row with its colour."""
    if "Rectification" not in authz.listable():
        raise NotFound("not found")
    if region is not None:
        access.get(g, authz=authz, label="Region", key=region)
    if status is not None and status not in rectification.STATUSES:
        raise ValidationError(N_("unknown status %(value)r"), value=status)
    rows = rectification.ledger(g, region=region or authz.actor.region,
                                statuses=(status,) if status else rectification.STATUSES)
    for row in rows:
        row["colour"] = rectification.colour(deadline=row["deadline"], status=row["status"],
                                             as_of=as_of, policy=policy)
    return [r for r in rows if r["colour"] == "red"] if overdue_only else rows


@bp.route("/")
def index() -> Any:
    authz = current_user.authz
    region, status = request.args.get("region") or None, request.args.get("status") or None
    overdue = request.args.get("overdue") == "1"
    config = changes.config()
    number, today, policy = page_number(request.args), config.today(), \
        config.rectification_policy()
    rows = current_store().read(lambda tx: ledger_rows(
        tx, authz=authz, region=region, status=status, overdue_only=overdue, as_of=today,
        policy=policy))
    return render_template("rectification/index.html", rows=rows[(number - 1) * PAGE:
                                                                 number * PAGE],
                           total=len(rows), number=number, pages=max(1, -(-len(rows) // PAGE)),
                           statuses=rectification.STATUSES, as_of=today)
