"""Accounts: the system admin creates, resets and disables them; the security admin grants
roles and jurisdictions, unlocks accounts and resets two-factor sign-in. Each sees only its
buttons. A password reset gives a one-time code, shown once, never a password the admin
chooses; API tokens are the users' own (`web/tokens.py`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from collab.access import users
from collab.access.authz import Perm, Role
from collab.commands.base import Command
from collab.commands.twofactor import ResetTwoFactor
from collab.commands.users import (
    AddUser,
    AllowUnmask,
    DisableUser,
    EnableUser,
    GrantRole,
    ResetPassword,
    RevokeUnmask,
    Unlock,
)
from collab.errors import NotFound
from collab.web import auditing, changes
from collab.web.forms import ActionForm, GrantForm, NewUserForm
from collab.web.pickers import picked_all
from collab.web.security import now
from collab.web.store import current_config, current_store

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _admin() -> Any:
    authz = current_user.authz
    if not (authz.can(Perm.MANAGE_USERS) or authz.can(Perm.MANAGE_ACCESS)):
        raise NotFound("not found")
    return authz


@bp.route("/users")
def user_list() -> Any:
    authz = _admin()
    page = current_store().read(lambda tx: users.listing(tx, authz=authz))
    return render_template("admin/users.html", page=page, new=NewUserForm(), grant=GrantForm(),
                           action=ActionForm(), now=now(),
                           may_manage=authz.can(Perm.MANAGE_USERS),
                           may_grant=authz.can(Perm.MANAGE_ACCESS))


def _act(command: Command, done: str) -> Any:
    """One account change; how it went is said on the list page. Its answer, or None."""
    outcome = changes.run(command)
    return outcome.value if changes.shown(outcome, done) else None


@bp.route("/users", methods=["POST"])
@changes.declares(AddUser)
def create() -> Any:
    _admin()
    form = NewUserForm()
    if form.validate_on_submit():
        _act(AddUser(name=form.name.data.strip(), password=form.password.data,
                     display_name=form.display_name.data.strip()),
             _("The account was created; it must set a new password first."))
    else:
        auditing.refused()
        flash(_("Fill in every field."), "danger")
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<name>/grant", methods=["POST"])
@changes.declares(GrantRole)
def grant(name: str) -> Any:
    _admin()
    form = GrantForm()
    if form.validate_on_submit():
        keys = picked_all(form, {"region": "region", "department": "department"})
        if keys is None:
            changes.flash_errors(form)
        else:
            _act(GrantRole(name=name, role=Role(form.role.data), region=keys["region"],
                           department=keys["department"]),
                 _("The role was granted; the user's sessions and API tokens ended."))
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<name>/<any(disable, enable):what>", methods=["POST"])
@changes.declares(DisableUser, EnableUser)
def disable(name: str, what: str) -> Any:
    _admin()
    if ActionForm().validate_on_submit():
        _act(DisableUser(name=name) if what == "disable" else EnableUser(name=name), _("Done."))
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<name>/unmask/<any(allow, revoke):what>", methods=["POST"])
@changes.declares(AllowUnmask, RevokeUnmask)
def unmasking(name: str, what: str) -> Any:
    _admin()
    if ActionForm().validate_on_submit():
        _act(AllowUnmask(name=name) if what == "allow" else RevokeUnmask(name=name),
             _("Done."))
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<name>/unlock", methods=["POST"])
@changes.declares(Unlock)
def unlock(name: str) -> Any:
    _admin()
    if ActionForm().validate_on_submit():
        _act(Unlock(name=name), _("The account was unlocked."))
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<name>/2fa-reset", methods=["POST"])
@changes.declares(ResetTwoFactor)
def reset_two_factor(name: str) -> Any:
    _admin()
    if ActionForm().validate_on_submit():
        _act(ResetTwoFactor(name=name),
             _("Two-factor sign-in was reset: the user sets it up again at the next sign-in."))
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<name>/reset", methods=["POST"])
@changes.declares(ResetPassword)
def reset(name: str) -> Any:
    _admin()
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.user_list"))
    code = _act(ResetPassword(name=name),
                _("The password was reset: give the user the one-time code below."))
    if not code:
        return redirect(url_for("admin.user_list"))
    valid = current_config().sign_in_policy().reset_valid
    return render_template("admin/reset.html", name=name, code=code,
                           hours=int(valid.total_seconds() // 3600) or 1)
