"""The dashboard: the key figures of one's jurisdiction, with charts fed from JSON.

The page shows the figures as text (so they read without scripts); `data.json` feeds the
ECharts charts. The figures are `collab.analysis.dashboard.overview`'s; this module checks the
request's region and year and names the clue states in the reader's language.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, render_template, request
from flask_login import current_user

from collab.access import regions
from collab.access.authz import Perm
from collab.analysis.dashboard import YEARS, overview
from collab.errors import N_, ValidationError
from collab.web.labels import state_name
from collab.web.store import current_config, current_store

bp = Blueprint("dashboard", __name__)


def _params() -> tuple[str | None, int | None]:
    region = request.args.get("region") or None
    year = request.args.get("year") or None
    if region is not None:
        regions.check_code(region)
    if year is not None and not (year.isdigit() and YEARS[0] <= int(year) <= YEARS[1]):
        raise ValidationError(N_("not a year: %(value)r"), value=year)
    return region, int(year) if year else None


def _overview() -> dict[str, Any]:
    region, year = _params()
    authz, today = current_user.authz, current_config().today()
    found = current_store().read(lambda tx: overview(tx, authz=authz, region=region, year=year,
                                                     as_of=today))
    found["clue_status"] = [{**s, "name": state_name(s["status"], "Clue")}
                            for s in found["clue_status"]]
    return found


@bp.route("/")
def index() -> Any:
    if not current_user.authz.can(Perm.DASHBOARD):
        return render_template("dashboard/admin_home.html")
    return render_template("dashboard/index.html", data=_overview())


@bp.route("/dashboard/data.json")
def data() -> Any:
    return jsonify(_overview())
