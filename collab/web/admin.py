"""Accounts: the system admin creates, resets and disables them; the security admin grants
roles and jurisdictions, unlocks accounts and resets two-factor sign-in. Each sees only its
buttons. A password reset gives a one-time code, shown once, never a password the admin
chooses; API tokens are the users' own (`web/tokens.py`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from collab.access import twofactor, users
from collab.access.authz import Perm, Role
from collab.errors import NotFound
from collab.graph.store import Graph
from collab.web import auditing
from collab.web.forms import ActionForm, GrantForm, NewUserForm
from collab.web.security import now
from collab.web.store import current_store

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


def _act(name: str, fn: Callable[[Graph], Any], event: str, done: str) -> Any:
    """One account change with its audit record; how it went is said on the list page."""
    return auditing.change_shown(fn, event=event, done=done, label="User", key=name)


@bp.route("/users", methods=["POST"])
def create() -> Any:
    authz = _admin()
    form = NewUserForm()
    if form.validate_on_submit():
        name, at, policy = form.name.data.strip(), now(), current_app.config["COLLAB_POLICY"]
        _act(name, lambda tx: users.add(tx, authz=authz, name=name, password=form.password.data,
                                        display_name=form.display_name.data.strip(), now=at,
                                        policy=policy),
             "user.add", _("The account was created; it must set a new password first."))
    else:
        auditing.refused()
        flash(_("Fill in every field."), "danger")
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<name>/grant", methods=["POST"])
def grant(name: str) -> Any:
    authz = _admin()
    form = GrantForm()
    if form.validate_on_submit():
        role, region = Role(form.role.data), (form.region.data or "").strip() or None
        department, at = (form.department.data or "").strip() or None, now()
        _act(name, lambda tx: users.grant(tx, authz=authz, name=name, role=role, region=region,
                                          department=department, now=at),
             "user.grant", _("The role was granted; the user's sessions and API tokens "
                             "ended."))
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<name>/<any(disable, enable):what>", methods=["POST"])
def disable(name: str, what: str) -> Any:
    authz = _admin()
    if ActionForm().validate_on_submit():
        off, at = what == "disable", now()
        _act(name, lambda tx: users.set_disabled(tx, authz=authz, name=name, disabled=off,
                                                 now=at),
             "user." + what, _("Done."))
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<name>/unmask/<any(allow, revoke):what>", methods=["POST"])
def unmasking(name: str, what: str) -> Any:
    authz = _admin()
    if ActionForm().validate_on_submit():
        allowed = what == "allow"
        _act(name, lambda tx: users.allow_unmask(tx, authz=authz, name=name, allowed=allowed),
             "user.unmask_" + what, _("Done."))
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<name>/unlock", methods=["POST"])
def unlock(name: str) -> Any:
    authz = _admin()
    if ActionForm().validate_on_submit():
        _act(name, lambda tx: users.unlock(tx, authz=authz, name=name), "user.unlock",
             _("The account was unlocked."))
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<name>/2fa-reset", methods=["POST"])
def reset_two_factor(name: str) -> Any:
    authz = _admin()
    if ActionForm().validate_on_submit():
        at = now()
        _act(name, lambda tx: twofactor.reset(tx, authz=authz, name=name, now=at),
             "user.2fa_reset",
             _("Two-factor sign-in was reset: the user sets it up again at the next sign-in."))
    return redirect(url_for("admin.user_list"))


@bp.route("/users/<name>/reset", methods=["POST"])
def reset(name: str) -> Any:
    authz = _admin()
    if not ActionForm().validate_on_submit():
        return redirect(url_for("admin.user_list"))
    at, policy = now(), current_app.config["COLLAB_POLICY"]
    code = _act(name, lambda tx: users.reset_password(tx, authz=authz, name=name, now=at,
                                                      policy=policy),
                "user.reset_password", _("The password was reset: give the user the one-time "
                                         "code below."))
    if not code:
        return redirect(url_for("admin.user_list"))
    return render_template("admin/reset.html", name=name, code=code,
                           hours=int(policy.reset_valid.total_seconds() // 3600) or 1)
