"""Supervision and reminder letters (督办函 / 提示函): what is due, issuing one, the .docx."""

from __future__ import annotations

import secrets
import shutil
from datetime import date
from itertools import groupby
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from collab.access import authz as access
from collab.access.authz import Authz, Perm
from collab.cases import letters
from collab.errors import CollabError, NotFound
from collab.files import private_dir
from collab.graph.store import Graph
from collab.web import auditing
from collab.web.errors import message
from collab.web.forms import ActionForm
from collab.web.store import current_store

bp = Blueprint("letters", __name__, url_prefix="/letters")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _reader() -> Authz:
    authz = current_user.authz
    if "Letter" not in authz.listable():
        raise NotFound("not found")
    return authz


@bp.route("/")
def index() -> Any:
    authz, today = _reader(), date.today()
    due = current_store().read(lambda tx: letters.due(tx, as_of=today,
                                                      region=authz.actor.region))
    groups = [(key, list(rows)) for key, rows in
              groupby(sorted(due, key=lambda d: (d.unit_code or "", d.kind)),
                      key=lambda d: (d.unit_code, d.unit_name, d.kind))]
    return render_template("letters/index.html", groups=groups, action=ActionForm(),
                           may_send=authz.can(Perm.SEND_LETTERS), kinds=letters.KINDS)


@bp.route("/issue", methods=["POST"])
def issue() -> Any:
    authz = _reader()
    authz.require(Perm.SEND_LETTERS)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("letters.index"))
    kind, tasks = request.form.get("kind", ""), request.form.getlist("rectification")

    def send(tx: Graph) -> Any:
        for no in tasks:
            access.get(tx, authz=authz, label="Rectification", key=no)
        return letters.issue(tx, actor=authz.actor, kind=kind, rectifications=tasks,
                             on=date.today())

    try:
        letter = auditing.change(send, event="letter.issue")
    except NotFound:
        raise
    except CollabError as e:
        auditing.refused()
        flash(message(e), "danger")
        return redirect(url_for("letters.index"))
    flash(_("Letter %(no)s was issued.", no=letter.no), "success")
    return redirect(url_for("letters.index", issued=letter.no))


@bp.route("/<path:no>.docx")
def document(no: str) -> Any:
    """The letter as a Word document, rendered from what was recorded."""
    authz, today = _reader(), date.today()
    auditing.about("Letter", no)
    content = current_store().read(lambda tx: (
        access.get(tx, authz=authz, label="Letter", key=no),
        letters.content(tx, no, as_of=today))[1])
    folder = private_dir(Path(current_app.instance_path) / "letters" / secrets.token_hex(16))
    try:
        body = letters.render(content, folder).read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return Response(body, mimetype=DOCX,
                    headers={"Content-Disposition": "attachment; filename=letter.docx"})
