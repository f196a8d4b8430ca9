"""Signing in and out, changing one's password, choosing the language."""

from __future__ import annotations

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
from collab.commands.users import ChangePassword, SignOut, SignOutEverywhere
from collab.web import auditing, changes
from collab.web.forms import LanguageForm, LoginForm, PasswordForm
from collab.web.i18n import LANGUAGES
from collab.web.nodes import id_key
from collab.web.security import now, safe_next
from collab.web.store import current_config, current_store

bp = Blueprint("auth", __name__)


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
        key = id_key() if code else None
        result = current_store().write(lambda tx: users.authenticate(
            tx, name=name, password=password, origin=origin, now=at, policy=policy,
            code=code, key=key))
        auditing.about("User", name)
        auditing.mark_recorded()
        if result.outcome == Outcome.OK:
            _fresh_session(sid=result.sid, rotate=result.must_change)
            return redirect(safe_next(request.args.get("next")) or url_for("dashboard.index"))
        if result.outcome == Outcome.LIMITED:
            flash(_("Too many attempts: try again later."), "danger")
            status = 429
        else:
            flash(_("Sign-in failed: the user name, password or code is not right, or the "
                    "account is locked for a while."), "danger")
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    changes.run(SignOut(sid=session.get("sid", ""))).result()
    _fresh_session()
    return redirect(url_for("auth.login"))


@bp.route("/logout/everywhere", methods=["POST"])
def logout_everywhere() -> Any:
    changes.run(SignOutEverywhere(name=current_user.name)).result()
    _fresh_session()
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
def password() -> Any:
    form = PasswordForm()
    if form.validate_on_submit():
        outcome = changes.run(ChangePassword(name=current_user.name, current=form.current.data,
                                             new=form.new.data))
        if changes.shown(outcome, _("Your password was changed.")):
            session.pop("rotate", None)
            return redirect(url_for("dashboard.index"))
    return render_template("auth/password.html", form=form)


@bp.route("/language", methods=["POST"])
def language() -> Any:
    form = LanguageForm()
    if form.validate_on_submit() and form.lang.data in LANGUAGES:
        session["lang"] = form.lang.data
    return redirect(safe_next(form.next.data) or url_for("dashboard.index"))
