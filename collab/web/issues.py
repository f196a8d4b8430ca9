"""Registering an issue (问题) an inspection found, its unit and group picked by name."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from collab.commands.issues import RegisterIssue
from collab.web import changes
from collab.web.forms import RegisterIssueForm
from collab.web.pickers import picked_all
from collab.web.store import current_config

bp = Blueprint("issues", __name__, url_prefix="/issues")


@bp.route("/new", methods=["GET", "POST"])
@changes.runs(RegisterIssue)
def new() -> Any:
    if request.method == "GET":
        return render_template("issues/new.html",
                               form=RegisterIssueForm(found_on=current_config().today()))
    form = RegisterIssueForm()
    valid = form.validate_on_submit()
    keys = picked_all(form, {"unit": "unit", "group": "group"})
    if not valid or keys is None:
        return render_template("issues/new.html", form=form), 400
    outcome = changes.run(RegisterIssue(
        no=form.no.data.strip(), title=form.title.data.strip(), found_on=form.found_on.data,
        unit=keys["unit"] or "", group=keys["group"], category=form.category.data or None,
        description=form.description.data or None))
    if not changes.shown(outcome, _("The issue was registered.")):
        return render_template("issues/new.html", form=form), 400
    return redirect(url_for("nodes.detail", label="Issue", key=outcome.value["issue"]))
