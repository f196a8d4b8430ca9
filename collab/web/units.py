"""Units by region tree: pick a region in one's jurisdiction, see the units below it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user

from collab.access import regions
from collab.cases import units
from collab.web.nodes import page_number
from collab.web.store import current_store

bp = Blueprint("units", __name__, url_prefix="/units")
PAGE = 50


@bp.route("/")
def by_region() -> Any:
    authz = current_user.authz
    region = request.args.get("region", "").strip() or None
    if region is not None:
        regions.check_code(region)
    number = page_number(request.args)

    found = current_store().read(lambda tx: units.page(tx, authz=authz, region=region,
                                                       limit=PAGE, offset=(number - 1) * PAGE))
    total = found["page"].total if found["page"] else 0
    return render_template("units/by_region.html", number=number,
                           pages=max(1, -(-total // PAGE)), **found)
