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
from collab.commands.imports import ImportLedger
from collab.ledgers.importer import check_ledger, read_ledger
from collab.ledgers.report import LedgerRejected
from collab.sheets.reading import Blob
from collab.web import auditing, changes, holding
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


def _check(upload: Blob) -> Any:
    """The dry run: every row checked against the graph and the actor's reach; a read."""
    authz, key, ledger = current_user.authz, id_key(), read_ledger(upload)
    return current_store().read(lambda tx: check_ledger(tx, actor=authz.actor, ledger=ledger,
                                                        key=key))


def _lines(report: Any) -> list[str]:
    return report.lines("en" if str(get_locale()) == "en" else "zh")


@bp.route("/", methods=["GET", "POST"])
def upload() -> Any:
    changes.allowed(ImportLedger)
    form, lines, ready = UploadForm(), [], False
    if form.validate_on_submit():
        auditing.name_event("ledger.import_check", Kind.IMPORT)
        upload = Blob(Path(form.ledger.data.filename or "").name, form.ledger.data.read())
        holding.drop(_folder(), session.pop("import_held", None))
        try:
            lines, ready = _lines(_check(upload)), True
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
    changes.allowed(ImportLedger)
    upload = _held()
    if not ActionForm().validate_on_submit() or upload is None:
        flash(_("Nothing is waiting to be imported: upload the ledger again."), "danger")
        return redirect(url_for("imports.upload"))
    try:
        outcome = changes.run(ImportLedger(ledger=read_ledger(upload), id_key=id_key()))
    finally:
        holding.drop(_folder(), session.pop("import_held", None))
    if isinstance(outcome.error, LedgerRejected):
        lines = _lines(outcome.error.report)
    else:
        lines = _lines(outcome.result())
    return render_template("imports/upload.html", form=UploadForm(), lines=lines, ready=False,
                           confirm=ActionForm(), done=True)
