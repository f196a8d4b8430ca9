"""API tokens: a user asks for their own (password and authenticator code again), sees it once,
lists and revokes theirs; the security admin lists every token, brings an end forward or
revokes one, and never sees or mints a token."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from collab.access import tokens, users
from collab.access.audit import Kind
from collab.commands.tokens import ExpireToken, RevokeOwnToken, RevokeToken
from collab.errors import ValidationError
from collab.web import auditing, changes
from collab.web.errors import message
from collab.web.forms import ActionForm, ExpireForm, TokenForm
from collab.web.keys import audit_key, id_key
from collab.web.security import now
from collab.web.store import current_config, current_store

bp = Blueprint("tokens", __name__)


@bp.route("/account/tokens")
def own() -> Any:
    name = current_user.name
    page = current_store().read(lambda tx: tokens.own(tx, name=name))
    return render_template("auth/tokens.html", page=page, form=TokenForm(),
                           action=ActionForm(), now=now(), state=tokens.state)


@bp.route("/account/tokens", methods=["POST"])
def issue() -> Any:
    form, name = TokenForm(), current_user.name
    if not form.validate_on_submit():
        auditing.refused()
        flash(_("Fill in every field."), "danger")
        return redirect(url_for("tokens.own"))
    origin, at, policy = auditing.origin(), now(), current_config().sign_in_policy()
    key, sealing = id_key(), audit_key()
    auditing.name_event("token.issue", Kind.AUTH)
    auditing.about("User", name)
    try:  # the check and the token commit together, and so does a refusal, with its record
        issued = current_store().write(lambda tx: users.issue_token(
            tx, name=name, password=form.password.data, code=form.code.data, key=key,
            audit_key=sealing, origin=origin, now=at, label=form.label.data, policy=policy))
    except ValidationError as e:
        auditing.refused()
        flash(message(e), "danger")
        return redirect(url_for("tokens.own"))
    auditing.mark_recorded()
    if issued is None:
        flash(_("The password or the code is not right."), "danger")
        return redirect(url_for("tokens.own"))
    return render_template("auth/token.html", token=issued, days=policy.token_lifetime.days)


@bp.route("/account/tokens/<uid>/revoke", methods=["POST"])
@changes.declares(RevokeOwnToken)
def revoke_own(uid: str) -> Any:
    if ActionForm().validate_on_submit():
        changes.shown(changes.run(RevokeOwnToken(name=current_user.name, uid=uid)),
                      _("The token was revoked."))
    return redirect(url_for("tokens.own"))


@bp.route("/admin/tokens")
def every() -> Any:
    authz = changes.allowed(RevokeToken)
    page = current_store().read(lambda tx: tokens.listing(tx, authz=authz))
    return render_template("admin/tokens.html", page=page, action=ActionForm(),
                           expire=ExpireForm(), now=now(), state=tokens.state)


@bp.route("/admin/tokens/<uid>/revoke", methods=["POST"])
@changes.declares(RevokeToken)
def revoke(uid: str) -> Any:
    changes.allowed(RevokeToken)
    if ActionForm().validate_on_submit():
        changes.shown(changes.run(RevokeToken(uid=uid)), _("The token was revoked."))
    return redirect(url_for("tokens.every"))


@bp.route("/admin/tokens/<uid>/expire", methods=["POST"])
@changes.declares(ExpireToken)
def expire(uid: str) -> Any:
    changes.allowed(ExpireToken)
    form = ExpireForm()
    if form.validate_on_submit():
        end = datetime.combine(form.on.data, time(0, 0), tzinfo=UTC)
        changes.shown(changes.run(ExpireToken(uid=uid, at=end)),
                      _("The token's end was brought forward."))
    else:
        auditing.refused()
        flash(_("Choose a date."), "danger")
    return redirect(url_for("tokens.every"))
