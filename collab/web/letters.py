"""Supervision and reminder letters (督办函 / 提示函): what is due, issuing one, the .docx."""

from __future__ import annotations

import secrets
import shutil
from itertools import groupby
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from collab.access import authz as access
from collab.access.authz import Authz
from collab.cases import letters
from collab.commands.letters import IssueLetter
from collab.errors import NotFound
from collab.files import private_dir
from collab.graph import names
from collab.web import auditing, changes
from collab.web.downloads import attachment, file_name
from collab.web.forms import ActionForm
from collab.web.nodes import page_number
from collab.web.pickers import picked_arg
from collab.web.store import current_config, current_store

bp = Blueprint("letters", __name__, url_prefix="/letters")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _reader() -> Authz:
    authz = current_user.authz
    if "Letter" not in authz.listable():
        raise NotFound("not found")
    return authz


GROUPS_PER_PAGE = 20


@bp.route("/")
def index() -> Any:
    """The letters due, filtered (unit, kind, days late) and paged by unit; nothing ticked
    until the user ticks it; the letters sent, each downloadable again."""
    authz, config = _reader(), current_config()
    today, policy = config.today(), config.rectification_policy()
    unit, unit_text, unit_error = picked_arg("unit", "unit")
    kind = request.args.get("kind") if request.args.get("kind") in letters.KINDS else None
    late = request.args.get("late", "")
    min_late = int(late) if late.isdigit() else None
    due, sent = current_store().read(lambda tx: (letters.due(
        tx, as_of=today, region=authz.actor.region, policy=config.letter_policy(),
        rect_policy=policy), letters.issued(tx, authz=authz)))
    shown = [] if unit_error else letters.narrowed(due, as_of=today, unit=unit, kind=kind,
                                                   min_late=min_late)
    groups = [(key, list(rows)) for key, rows in
              groupby(sorted(shown, key=lambda d: (d.unit_code or "", d.kind)),
                      key=lambda d: (d.unit_code, d.unit_name, d.kind))]
    number = page_number(request.args)
    pages = max(1, -(-len(groups) // GROUPS_PER_PAGE))
    return render_template(
        "letters/index.html", action=ActionForm(), may_send=IssueLetter.allowed(authz),
        policy=policy, total=len(shown), number=number, pages=pages, sent=sent,
        groups=groups[(number - 1) * GROUPS_PER_PAGE:number * GROUPS_PER_PAGE],
        unit=unit, unit_text=unit_text, unit_error=unit_error, kinds=letters.KINDS)


@bp.route("/issue", methods=["POST"])
@changes.declares(IssueLetter)
def issue() -> Any:
    _reader()
    changes.allowed(IssueLetter)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("letters.index"))
    outcome = changes.run(IssueLetter(kind=request.form.get("kind", ""),
                                      rectifications=tuple(request.form.getlist("rectification"))))
    letter = outcome.value
    if not changes.shown(outcome, _("Letter %(no)s was issued.", no=letter.no) if letter else ""):
        return redirect(url_for("letters.index"))
    return redirect(url_for("letters.index", issued=letter.no))


@bp.route("/<path:no>.docx")
def document(no: str) -> Any:
    """The letter as a Word document, rendered from what was recorded."""
    authz, config = _reader(), current_config()
    today, policy, rect_policy = config.today(), config.letter_policy(), \
        config.rectification_policy()
    auditing.about("Letter", no)
    content = current_store().read(lambda tx: (
        access.get(tx, authz=authz, label="Letter", key=no),
        letters.content(tx, no, as_of=today, policy=policy, rect_policy=rect_policy))[1])
    folder = private_dir(Path(current_app.instance_path) / "letters" / secrets.token_hex(16))
    try:
        body = letters.render(content, folder).read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    kind = names.value_name("Letter", "kind", content.kind)
    return attachment(body, name=file_name(kind.zh if kind else "", no, ext="docx"),
                      fallback=file_name("letter", str(today.year), ext="docx"),
                      mimetype=DOCX)
