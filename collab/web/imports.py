"""Importing a ledger: upload → dry-run report → confirm, all or nothing, audited.

The upload is read in memory; between the dry run and the confirmation it is kept sealed
(`holding`: encrypted under a key only the uploader's session cookie carries), an hour at
most, and a refused file is never kept. The importer checks every row against the actor's
jurisdiction and writes nothing when anything is wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from collab.access.audit import Kind
from collab.access.authz import Perm
from collab.ledgers.importer import import_ledger, read_ledger
from collab.ledgers.report import LedgerRejected
from collab.sheets.reading import Blob
from collab.web import auditing, holding
from collab.web.forms import ActionForm, UploadForm
from collab.web.keys import id_key
from collab.web.store import current_store

bp = Blueprint("imports", __name__, url_prefix="/import")


def _folder() -> Path:
    return Path(current_app.instance_path) / "uploads"


def _held() -> Blob | None:
    """The upload waiting for confirmation in this session, if any."""
    held = session.get("import_held")
    data = holding.take(_folder(), held)
    return Blob(held.get("name", "ledger"), data) if held and data is not None else None


def _run(upload: Blob, *, dry_run: bool) -> Any:
    authz, key = current_user.authz, id_key()
    ledger = read_ledger(upload)
    if dry_run:
        return current_store().read(lambda tx: import_ledger(
            tx, actor=authz.actor, ledger=ledger, key=key, dry_run=True))
    return auditing.change(lambda tx: import_ledger(tx, actor=authz.actor, ledger=ledger,
                                                    key=key),
                           event="ledger.import", kind=Kind.IMPORT)


def _lines(report: Any) -> list[str]:
    return report.lines("en" if str(get_locale()) == "en" else "zh")


@bp.route("/", methods=["GET", "POST"])
def upload() -> Any:
    current_user.authz.require(Perm.IMPORT)
    form, lines, ready = UploadForm(), [], False
    if form.validate_on_submit():
        auditing.name_event("ledger.import_check", Kind.IMPORT)
        upload = Blob(Path(form.ledger.data.filename or "").name, form.ledger.data.read())
        holding.drop(_folder(), session.pop("import_held", None))
        try:
            lines, ready = _lines(_run(upload, dry_run=True)), True
        except LedgerRejected as e:
            auditing.refused()
            lines = _lines(e.report)
        else:
            session["import_held"] = {**holding.hold(_folder(), upload.data),
                                      "name": upload.name}
    elif form.errors:
        auditing.refused()
    return render_template("imports/upload.html", form=form, lines=lines, ready=ready,
                           confirm=ActionForm())


@bp.route("/confirm", methods=["POST"])
def confirm() -> Any:
    current_user.authz.require(Perm.IMPORT)
    upload = _held()
    if not ActionForm().validate_on_submit() or upload is None:
        flash(_("Nothing is waiting to be imported: upload the ledger again."), "danger")
        return redirect(url_for("imports.upload"))
    try:
        lines = _lines(_run(upload, dry_run=False))
    except LedgerRejected as e:
        auditing.refused()
        lines = _lines(e.report)
    finally:
        holding.drop(_folder(), session.pop("import_held", None))
    return render_template("imports/upload.html", form=UploadForm(), lines=lines, ready=False,
                           confirm=ActionForm(), done=True)
