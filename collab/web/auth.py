"""Signing in and out, changing one's password, choosing the language."""

from __future__ import annotations

import threading
from typing import Any

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from collab.access import users
from collab.access.users import Outcome
from collab.commands.users import ChangePassword, ChoosePassword, SignOut, SignOutEverywhere
from collab.web import auditing, changes
from collab.web.echo import shown
from collab.web.forms import ChoosePasswordForm, LanguageForm, LoginForm, PasswordForm
from collab.web.i18n import LANGUAGES
from collab.web.keys import audit_key, id_key
from collab.web.security import now, safe_next
from collab.web.store import current_config, current_store

bp = Blueprint("auth", __name__)
# Password checks (scrypt: tens of ms of CPU each) one at a time per worker process, outside
# any transaction: a crowd signing in at once waits its turn rather than starving the pages.
_HASHING = threading.BoundedSemaphore(1)


def _fresh_session(**values: Any) -> None:
    """Drop everything the old session held but the language (a new id at each sign-in)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    session.update(values)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    form = LoginForm()
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for("dashboard.index"))
    status = 200
    if form.validate_on_submit():
        name, password = form.name.data.strip(), form.password.data
        code = (form.code.data or "").strip()
        origin, at = auditing.origin(), now()
        policy = current_config().sign_in_policy()
        key, sealing = id_key() if code else None, audit_key()
        stored = current_store().read(lambda tx: users.stored_hash(tx, name=name, now=at))
        with _HASHING:  # a rush of sign-ins queues here instead of taking every core
            checked = users.Checked.of(stored, password)
        result = current_store().write(lambda tx: users.authenticate(
            tx, name=name, password=password, origin=origin, now=at, policy=policy,
            code=code, key=key, audit_key=sealing, checked=checked))
        auditing.about("User", name)
        auditing.mark_recorded()
        if result.via_reset:
            _fresh_session(sid=result.sid, rotate=True, reset=True)
            return redirect(url_for("auth.password"))
        if result.outcome == Outcome.OK:
            _fresh_session(sid=result.sid, rotate=result.must_change)
            return redirect(safe_next(request.args.get("next")) or url_for("dashboard.index"))
        if result.outcome == Outcome.LIMITED:
            flash(_("Too many attempts: try again later."), "danger")
            status = 429
        else:
            flash(_("Sign-in failed: the user name, password or code is not right, or the "
                    "account is locked for a while."), "danger")
        form.name.data = shown(name)  # typed back into the box, never a full ID number
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@changes.declares(SignOut)
def logout() -> Any:
    changes.run(SignOut(sid=session.get("sid", ""))).result()
    _fresh_session()
    return redirect(url_for("auth.login"))


@bp.route("/logout/everywhere", methods=["POST"])
@changes.declares(SignOutEverywhere)
def logout_everywhere() -> Any:
    changes.run(SignOutEverywhere(name=current_user.name)).result()
    _fresh_session()
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@changes.declares(ChangePassword, ChoosePassword)
def password() -> Any:
    """One's own new password: given the current one, or, in a session opened with a
    one-time reset code, the first one (which tells who reset it and when)."""
    reset = bool(session.get("reset"))
    form = ChoosePasswordForm() if reset else PasswordForm()
    if form.validate_on_submit():
        name = current_user.name
        command = ChoosePassword(name=name, sid=session.get("sid", ""), new=form.new.data) \
            if reset else ChangePassword(name=name, current=form.current.data,
                                         new=form.new.data)
        if changes.shown(changes.run(command), _("Your password was changed.")):
            session.pop("rotate", None)
            session.pop("reset", None)
            return redirect(url_for("dashboard.index"))
    return render_template("auth/password.html", form=form, reset=reset,
                           user=current_user.node)


@bp.route("/language", methods=["POST"])
def language() -> Any:
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in LANGUAGES:
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data) or url_for("dashboard.index"))
