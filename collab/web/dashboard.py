"""The dashboard page: the key figures of one's jurisdiction, with charts fed from JSON.

The page shows the figures as text (so they read without scripts); `data.json` feeds the
ECharts charts. Every number comes from `collab.analysis.dashboard.overview`, which reads
them in at most three round trips (and one while nothing they count has changed).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template, request
from flask_login import current_user

from collab.access import regions
from collab.access.authz import Authz, Perm
from collab.analysis import dashboard
from collab.errors import N_, ValidationError
from collab.graph.store import Graph
from collab.web.labels import state_name
from collab.web.store import current_store

bp = Blueprint("dashboard", __name__)

# The years a dashboard may be asked about (the page and the API check the same bounds).
YEARS = (1990, 2100)


def _params() -> tuple[str | None, int | None]:
    region = request.args.get("region") or None
    year = request.args.get("year") or None
    if region is not None:
        regions.check_code(region)
    if year is not None and not (year.isdigit() and YEARS[0] <= int(year) <= YEARS[1]):
        raise ValidationError(N_("not a year: %(value)r"), value=year)
    return region, int(year) if year else None


def overview(g: Graph, *, authz: Authz, region: str | None, year: int | None) -> dict[str, Any]:
    """The dashboard's figures, the clue states named in the reader's language."""
    data = dashboard.overview(g, authz=authz, region=region, year=year)
    for row in data["clue_status"]:
        row["name"] = state_name(row["status"], "Clue")
    return data


def _overview() -> dict[str, Any]:
    region, year = _params()
    authz = current_user.authz
    return current_store().read(lambda tx: overview(tx, authz=authz, region=region, year=year))


@bp.route("/")
def index() -> Any:
    if not current_user.authz.can(Perm.DASHBOARD):
        return render_template("dashboard/admin_home.html")
    return render_template("dashboard/index.html", data=_overview())


@bp.route("/dashboard/data.json")
def data() -> Any:
    return jsonify(_overview())
