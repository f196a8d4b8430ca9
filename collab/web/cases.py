"""Cases on pages: a department records how a case ended (from the clue's trace), and files
a case that came from another origin (信访举报, 审计 …), its department and people picked."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _

from collab.cases.case_files import ORIGINS
from collab.commands.clues import FileOtherCase, RecordOutcome
from collab.web import auditing, changes
from collab.web.forms import OtherCaseForm, OutcomeForm
from collab.web.labels import value
from collab.web.pickers import picked_all
from collab.web.store import current_config

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.route("/<path:no>/outcome", methods=["POST"])
@changes.runs(RecordOutcome)
def outcome(no: str) -> Any:
    """Record the case's outcome; back to the clue it came from (or the case's record)."""
    form = OutcomeForm()
    back = request.form.get("clue", "")
    target = url_for("clues.trace_page", no=back) if back else \
        url_for("nodes.detail", label="Case", key=no)
    if not form.validate_on_submit():
        auditing.refused()
        changes.flash_errors(form)
        return redirect(target)
    changes.shown(changes.run(RecordOutcome(
        case_no=no, sanctions=tuple(form.sanctions.data or ()),
        party_grade=form.party_grade.data or None,
        funds_recovered=float(form.funds_recovered.data)
        if form.funds_recovered.data is not None else None,
        closed_on=form.closed_on.data)), _("The outcome was recorded."))
    return redirect(target)


def _other_form() -> OtherCaseForm:
    form = OtherCaseForm() if request.method == "POST" else \
        OtherCaseForm(filed_on=current_config().today())
    form.origin.choices = [(o, value("Case", "origin", o)) for o in ORIGINS[1:]]
    return form


@bp.route("/new", methods=["GET", "POST"])
@changes.runs(FileOtherCase)
def new() -> Any:
    form = _other_form()
    if request.method == "GET":
        return render_template("cases/new.html", form=form)
    valid = form.validate_on_submit()
    keys = picked_all(form, {"department": "department", "subject_1": "person",
                             "subject_2": "person"})
    if not valid or keys is None:
        return render_template("cases/new.html", form=form), 400
    subjects = tuple(dict.fromkeys(k for f, k in keys.items() if f.startswith("subject") and k))
    outcome = changes.run(FileOtherCase(
        no=form.no.data.strip(), department=keys["department"] or "",
        filed_on=form.filed_on.data, origin=form.origin.data, title=form.title.data.strip(),
        subjects=subjects))
    if not changes.shown(outcome, _("The case was filed.")):
        return render_template("cases/new.html", form=form), 400
    return redirect(url_for("nodes.detail", label="Case", key=outcome.value["case"]))
