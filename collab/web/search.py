"""The search box's results page: hits grouped by kind, each a link to its page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from flask_login import current_user

from collab.cases import search as finder
from collab.errors import NotFound
from collab.web.keys import id_key
from collab.web.store import current_store

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.route("/")
def results() -> Any:
    authz = current_user.authz
    if not authz.labels():
        raise NotFound("not found")
    q, key = request.args.get("q", "")[:100], id_key()
    groups = current_store().read(lambda tx: finder.search(tx, authz=authz, q=q, key=key)) \
        if q.strip() else []
    return render_template("search/results.html", groups=groups, asked_anything=bool(q.strip()))
