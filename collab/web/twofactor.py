"""Setting up, and for roles that may, turning off two-factor sign-in (TOTP) for oneself.

The QR code is drawn here (segno, as an SVG data URI), so the secret never leaves the server
for anyone else's; the secret is also shown as text for authenticators without a camera.
"""

from __future__ import annotations

from typing import Any

import segno
from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from collab.access import twofactor
from collab.commands.twofactor import BeginTwoFactor, ConfirmTwoFactor, TurnOffTwoFactor
from collab.web import changes
from collab.web.forms import ActionForm, CodeForm
from collab.web.keys import id_key
from collab.web.store import current_config, current_store

bp = Blueprint("twofactor", __name__, url_prefix="/account/2fa")
# The endpoints a user who must set up two-factor sign-in may reach meanwhile.
SETUP = frozenset({"twofactor.page", "twofactor.begin", "twofactor.confirm"})


def _roles() -> frozenset[str]:
    return current_config().sign_in_policy().two_factor_roles


@bp.route("")
def page() -> Any:
    name = current_user.name
    user = current_store().read(lambda tx: twofactor.account(tx, name=name))
    if user is None:  # signed out everywhere meanwhile
        abort(404)
    qr = secret = None
    if not twofactor.enrolled(user) and user.get("totp_pending_enc"):
        totp = twofactor.authenticator(user, id_key(), pending=True)
        secret = totp.secret
        qr = segno.make(totp.provisioning_uri(), error="m").svg_data_uri(scale=4)
    return render_template("auth/twofactor.html", user=user,
                           enrolled=twofactor.enrolled(user),
                           required=twofactor.required(user, _roles()), qr=qr, secret=secret,
                           action=ActionForm(), form=CodeForm())


@bp.route("/begin", methods=["POST"])
@changes.declares(BeginTwoFactor)
def begin() -> Any:
    if ActionForm().validate_on_submit():
        changes.shown(changes.run(BeginTwoFactor(name=current_user.name, id_key=id_key())),
                      _("Scan the code with your authenticator app, then enter the code it "
                        "shows."))
    return redirect(url_for("twofactor.page"))


@bp.route("/confirm", methods=["POST"])
@changes.declares(ConfirmTwoFactor)
def confirm() -> Any:
    form = CodeForm()
    if form.validate_on_submit() and changes.shown(
            changes.run(ConfirmTwoFactor(name=current_user.name, id_key=id_key(),
                                         code=form.code.data)),
            _("Two-factor sign-in is on: sign-in now asks for a code.")):
        return redirect(url_for("dashboard.index"))
    return redirect(url_for("twofactor.page"))


@bp.route("/off", methods=["POST"])
@changes.declares(TurnOffTwoFactor)
def turn_off() -> Any:
    if ActionForm().validate_on_submit() and changes.shown(
            changes.run(TurnOffTwoFactor(name=current_user.name)),
            _("Two-factor sign-in is off.")):
        return redirect(url_for("auth.login"))
    return redirect(url_for("twofactor.page"))
