"""Departments admin: the system admin lists, creates and edits collaborating departments.

Each change is a command run by the command runner, so the audit trail keeps who changed
which fields from what to what; a refused change says why on the page and changes nothing.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from collab.access.audit import Kind
from collab.access.authz import Authz, Perm
from collab.cases import departments
from collab.commands.departments import CreateDepartment, UpdateDepartment
from collab.web import auditing, changes
from collab.web.forms import DepartmentForm, NewDepartmentForm
from collab.web.nodes import page_number
from collab.web.pickers import picked_all, picked_arg
from collab.web.store import current_config, current_store

bp = Blueprint("departments", __name__, url_prefix="/admin/departments")
PAGE = 50


def _authz() -> Authz:
    authz = current_user.authz
    authz.require(Perm.MANAGE_DEPARTMENTS)
    return authz


@bp.route("/")
def listing() -> Any:
    authz = _authz()
    region, region_text, region_error = picked_arg("region", "region")
    number = page_number(request.args)
    page = current_store().read(lambda tx: departments.listing(
        tx, authz=authz, region=region, limit=PAGE, offset=(number - 1) * PAGE))
    return render_template("admin/departments.html", page=page, number=number,
                           pages=max(1, -(-page.total // PAGE)), new=NewDepartmentForm(),
                           edit=DepartmentForm(), region=region, region_text=region_text,
                           region_error=region_error,
                           default_days=current_config().feedback_days)


def _refused(form: DepartmentForm) -> None:
    auditing.refused()
    problems = [f"{field.label.text}: {err}" for field in form for err in field.errors]
    flash("; ".join(problems) or _("Fill in every field."), "danger")


@bp.route("/", methods=["POST"])
@changes.declares(CreateDepartment)
def create() -> Any:
    _authz()
    form = NewDepartmentForm()
    code = (form.code.data or "").strip()
    keys = picked_all(form, {"region": "region"}) if form.validate_on_submit() else None
    if keys is not None:
        changes.shown(changes.run(CreateDepartment(
            code=code, name=form.name.data, kind=form.kind.data or None,
            region_code=keys["region"] or "", feedback_days=form.feedback_days.data)),
            _("The department was created."))
    else:
        auditing.name_event("department.create", Kind.CHANGE)
        _refused(form)
    return redirect(url_for("departments.listing"))


@bp.route("/<code>", methods=["POST"])
@changes.declares(UpdateDepartment)
def update(code: str) -> Any:
    _authz()
    form = DepartmentForm()
    if form.validate_on_submit():
        changes.shown(changes.run(UpdateDepartment(
            code=code, name=form.name.data, kind=form.kind.data or None,
            feedback_days=form.feedback_days.data)), _("The department was saved."))
    else:
        auditing.name_event("department.update", Kind.CHANGE)
        auditing.about("Department", code)
        _refused(form)
    shown: dict[str, Any] = request.args.to_dict()  # back to the page the form was on
    return redirect(url_for("departments.listing", **shown))
