"""The liaison's inbox page (待办), and its counts in the navigation bar on every page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, render_template
from flask_login import current_user

from collab.cases import inbox
from collab.errors import NotFound
from collab.web.store import current_config, current_store

bp = Blueprint("inbox", __name__, url_prefix="/inbox")


@bp.route("/")
def page() -> Any:
    authz = current_user.authz
    if not inbox.has_inbox(authz):
        raise NotFound("not found")
    today = current_config().today()
    found = current_store().read(lambda tx: inbox.trays(tx, authz=authz, as_of=today))
    return render_template("inbox/index.html", trays=found, order=inbox.TRAYS, as_of=today,
                           soon_days=inbox.SOON_DAYS)


def _counts() -> dict[str, int] | None:
    """The badges' counts for a signed-in liaison (None for everyone else)."""
    if not current_user.is_authenticated or not inbox.has_inbox(current_user.authz):
        return None
    authz, today = current_user.authz, current_config().today()
    return current_store().read(lambda tx: inbox.counts(tx, authz=authz, as_of=today))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(inbox_counts=_counts)
