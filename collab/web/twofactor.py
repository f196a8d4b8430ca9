"""Setting up, and for roles that may, turning off two-factor sign-in (TOTP) for oneself.

The QR code is drawn here (segno, as an SVG data URI), so the secret never leaves the server
for anyone else's; the secret is also shown as text for authenticators without a camera.
"""

from __future__ import annotations

from typing import Any

import segno
from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from collab.access import twofactor
from collab.access.audit import Kind
from collab.errors import ValidationError
from collab.web import auditing
from collab.web.errors import message
from collab.web.forms import ActionForm, CodeForm
from collab.web.keys import id_key
from collab.web.security import now
from collab.web.store import current_store

bp = Blueprint("twofactor", __name__, url_prefix="/account/2fa")
# The endpoints a user who must set up two-factor sign-in may reach meanwhile.
SETUP = frozenset({"twofactor.page", "twofactor.begin", "twofactor.confirm"})


def _roles() -> frozenset[str]:
    return current_app.config["COLLAB_POLICY"].two_factor_roles


@bp.route("")
def page() -> Any:
    name = current_user.name
    user = current_store().read(lambda tx: tx.get("User", name))
    qr = secret = None
    if not twofactor.enrolled(user) and user.get("totp_pending_enc"):
        totp = twofactor.authenticator(user, id_key(), pending=True)
        secret = totp.secret
        qr = segno.make(totp.provisioning_uri(), error="m").svg_data_uri(scale=4)
    return render_template("auth/twofactor.html", user=user,
                           enrolled=twofactor.enrolled(user),
                           required=twofactor.required(user, _roles()), qr=qr, secret=secret,
                           action=ActionForm(), form=CodeForm())


def _change(fn: Any, event: str, done: str) -> bool:
    """One change of one's own two-factor set-up, audited; say how it went."""
    name = current_user.name
    try:
        auditing.change(fn, event=event, label="User", key=name, kind=Kind.AUTH)
    except ValidationError as e:
        auditing.refused()
        flash(message(e), "danger")
        return False
    flash(done, "success")
    return True


@bp.route("/begin", methods=["POST"])
def begin() -> Any:
    name, key = current_user.name, id_key()
    if ActionForm().validate_on_submit():
        _change(lambda tx: twofactor.begin(tx, name=name, key=key), "auth.2fa_begin",
                _("Scan the code with your authenticator app, then enter the code it shows."))
    return redirect(url_for("twofactor.page"))


@bp.route("/confirm", methods=["POST"])
def confirm() -> Any:
    name, key, at = current_user.name, id_key(), now()
    form = CodeForm()
    if form.validate_on_submit() and _change(
            lambda tx: twofactor.confirm(tx, name=name, key=key, code=form.code.data, now=at),
            "auth.2fa_enrolled", _("Two-factor sign-in is on: sign-in now asks for a code.")):
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("twofactor.page"))


@bp.route("/off", methods=["POST"])
def turn_off() -> Any:
    name, roles, at = current_user.name, _roles(), now()
    if ActionForm().validate_on_submit() and _change(
            lambda tx: twofactor.turn_off(tx, name=name, roles=roles, now=at), "auth.2fa_off",
            _("Two-factor sign-in is off.")):
        return redirect(url_for("auth.login"))
    return redirect(url_for("twofactor.page"))
