"""Joint checks: create one, see the proposal (with conflicts explained), assign, record findings.

Each step is a command (`collab.commands.checks`) run by the command runner: the check and
everything it names are read within the actor's reach, changed and audited in one transaction.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from collab.cases import checks
from collab.commands.checks import AdvanceCheck, AssignCheck, CreateCheck, RecordFinding
from collab.web import auditing, changes
from collab.web.errors import message
from collab.web.forms import ActionForm, AdvanceForm, FindingForm, NewCheckForm
from collab.web.pickers import picked_all, picked_many
from collab.web.store import current_config, current_store

bp = Blueprint("checks", __name__, url_prefix="/checks")


@bp.route("/new", methods=["GET", "POST"])
@changes.declares(CreateCheck)
def new() -> Any:
    changes.allowed(CreateCheck)
    form = NewCheckForm()
    if request.method == "GET":
        today = current_config().today()
        form.start.data, form.end.data = today, today + timedelta(days=30)
    if form.validate_on_submit():
        unit = picked_all(form, {"unit": "unit"})
        tasks = picked_many(form.rectifications, "rectification")
        if unit is not None and tasks is not None:
            no = form.no.data.strip()
            outcome = changes.run(CreateCheck(no=no, title=form.title.data.strip(),
                                              start=form.start.data, end=form.end.data,
                                              unit=unit["unit"], rectifications=tuple(tasks)))
            if changes.shown(outcome, _("The joint check was created.")):
                return redirect(url_for("checks.show", no=no))
    return render_template("checks/new.html", form=form)


@bp.route("/<path:no>")
def show(no: str) -> Any:
    authz = current_user.authz
    auditing.about("JointCheck", no)
    config = current_config()
    today, policy = config.today(), config.proposal_policy()
    found = current_store().read(lambda tx: checks.view(tx, authz=authz, no=no, on=today,
                                                        policy=policy))
    if found["why_none"] is not None:
        found["why_none"] = message(found["why_none"])
    return render_template("checks/show.html", no=no, action=ActionForm(),
                           finding=FindingForm(), advance=AdvanceForm(),
                           states=sorted(checks.LIFECYCLE.allowed(found["check"]["status"])),
                           may_plan=AssignCheck.allowed(authz),
                           may_record=RecordFinding.allowed(authz), **found)


@bp.route("/<path:no>/assign", methods=["POST"])
@changes.declares(AssignCheck)
def assign(no: str) -> Any:
    changes.allowed(AssignCheck)
    if ActionForm().validate_on_submit():
        changes.shown(changes.run(AssignCheck(
            no=no, departments=tuple(request.form.getlist("department")),
            people=tuple(request.form.getlist("person")))),
            _("The departments and people were assigned."))
    return redirect(url_for("checks.show", no=no))


@bp.route("/<path:no>/advance", methods=["POST"])
@changes.declares(AdvanceCheck)
def advance(no: str) -> Any:
    changes.allowed(AdvanceCheck)
    form = AdvanceForm()
    if form.validate_on_submit():
        changes.shown(changes.run(AdvanceCheck(no=no, to=form.to.data)), _("Done."))
    return redirect(url_for("checks.show", no=no))


@bp.route("/<path:no>/finding", methods=["POST"])
@changes.declares(RecordFinding)
def finding(no: str) -> Any:
    changes.allowed(RecordFinding)
    form = FindingForm()
    if form.validate_on_submit():
        changes.shown(changes.run(RecordFinding(
            no=no, rectification=form.rectification.data.strip(),
            verified=bool(form.verified.data), note=(form.note.data or "").strip())),
            _("The finding was recorded."))
    return redirect(url_for("checks.show", no=no))
