"""Joint checks: create one, see the proposal (with conflicts explained), assign, record findings.

Each step first shows the objects are in the actor's scope (`authz.get`), then calls the check
service with the actor, in one audited transaction.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from collab.access import authz as access
from collab.access.authz import Authz, Perm
from collab.cases import checks, proposals
from collab.errors import NotFound
from collab.graph.store import Graph
from collab.web import auditing
from collab.web.errors import message
from collab.web.forms import ActionForm, AdvanceForm, FindingForm, NewCheckForm
from collab.web.store import current_store

bp = Blueprint("checks", __name__, url_prefix="/checks")


def _authz(perm: Perm) -> Authz:
    authz = current_user.authz
    authz.require(perm)
    return authz


def _step(no: str, fn: Any, event: str, done: str) -> bool:
    """One audited change to check `no`; a refusal is shown, not raised (unless not found)."""
    return auditing.change_shown(fn, event=event, done=done, label="JointCheck",
                                 key=no) is not None


def _create(g: Graph, *, authz: Authz, form: NewCheckForm) -> None:
    unit = (form.unit.data or "").strip() or None
    tasks = tuple(t.strip() for t in (form.rectifications.data or "").replace("，", ",")
                  .split(",") if t.strip())
    if unit:
        access.get(g, authz=authz, label="Unit", key=unit)
    for task in tasks:
        access.get(g, authz=authz, label="Rectification", key=task)
    access.require_not_foreign(g, authz=authz, label="JointCheck", key=form.no.data.strip())
    checks.create(g, actor=authz.actor, no=form.no.data.strip(), title=form.title.data.strip(),
                  start=form.start.data, end=form.end.data, on=date.today(), unit=unit,
                  rectifications=tasks)


@bp.route("/new", methods=["GET", "POST"])
def new() -> Any:
    authz = _authz(Perm.PLAN_CHECKS)
    form = NewCheckForm()
    if request.method == "GET":
        form.start.data, form.end.data = date.today(), date.today() + timedelta(days=30)
    if form.validate_on_submit():
        no = form.no.data.strip()
        if _step(no, lambda tx: _create(tx, authz=authz, form=form), "check.create",
                 _("The joint check was created.")):
            return redirect(url_for("checks.show", no=no))
    return render_template("checks/new.html", form=form)


def _view(g: Graph, *, authz: Authz, no: str) -> dict[str, Any]:
    access.get(g, authz=authz, label="JointCheck", key=no)
    proposal, why_none = None, ""
    if authz.can(Perm.PLAN_CHECKS):
        try:
            proposal = proposals.propose(g, check=no, on=date.today())
        except NotFound as e:  # the check exists (in scope), but has nothing to propose for
            why_none = message(e)
    return {"check": checks.describe(g, no), "proposal": proposal, "why_none": why_none}


@bp.route("/<path:no>")
def show(no: str) -> Any:
    authz = current_user.authz
    auditing.about("JointCheck", no)
    found = current_store().read(lambda tx: _view(tx, authz=authz, no=no))
    return render_template("checks/show.html", no=no, action=ActionForm(),
                           finding=FindingForm(), advance=AdvanceForm(),
                           states=sorted(checks.LIFECYCLE.allowed(found["check"]["status"])),
                           may_plan=authz.can(Perm.PLAN_CHECKS),
                           may_record=authz.can(Perm.RECORD_DISPOSAL)
                           or authz.can(Perm.PLAN_CHECKS), **found)


def _assign(g: Graph, *, authz: Authz, no: str, departments: tuple[str, ...],
            people: tuple[str, ...]) -> None:
    access.get(g, authz=authz, label="JointCheck", key=no)
    for code in departments:
        access.get(g, authz=authz, label="Department", key=code)
    checks.assign(g, actor=authz.actor, no=no, on=date.today(), departments=departments,
                  people=people)


@bp.route("/<path:no>/assign", methods=["POST"])
def assign(no: str) -> Any:
    authz = _authz(Perm.PLAN_CHECKS)
    if ActionForm().validate_on_submit():
        departments = tuple(request.form.getlist("department"))
        people = tuple(request.form.getlist("person"))
        _step(no, lambda tx: _assign(tx, authz=authz, no=no, departments=departments,
                                     people=people), "check.assign",
              _("The departments and people were assigned."))
    return redirect(url_for("checks.show", no=no))


@bp.route("/<path:no>/advance", methods=["POST"])
def advance(no: str) -> Any:
    authz = _authz(Perm.PLAN_CHECKS)
    form = AdvanceForm()
    if form.validate_on_submit():
        def move(tx: Graph) -> None:
            access.get(tx, authz=authz, label="JointCheck", key=no)
            checks.advance(tx, actor=authz.actor, no=no, to=form.to.data, on=date.today())

        _step(no, move, "check.advance", _("Done."))
    return redirect(url_for("checks.show", no=no))


@bp.route("/<path:no>/finding", methods=["POST"])
def finding(no: str) -> Any:
    authz = current_user.authz
    if not (authz.can(Perm.RECORD_DISPOSAL) or authz.can(Perm.PLAN_CHECKS)):
        raise NotFound("not found")
    form = FindingForm()
    if form.validate_on_submit():
        def record(tx: Graph) -> None:
            access.get(tx, authz=authz, label="JointCheck", key=no)
            checks.record_finding(tx, actor=authz.actor, no=no,
                                  rectification_no=form.rectification.data.strip(),
                                  verified=bool(form.verified.data), on=date.today(),
                                  note=(form.note.data or "").strip())

        _step(no, record, "check.finding", _("The finding was recorded."))
    return redirect(url_for("checks.show", no=no))
