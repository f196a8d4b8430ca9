"""Importing a ledger: upload → dry-run report → confirm, all or nothing, audited.

The upload is kept (under a random name, in the instance folder) only between the dry run and
the confirmation, an hour at most; a refused file is deleted at once. The importer checks
every row against the actor's jurisdiction and writes nothing when anything is wrong.
"""

from __future__ import annotations

import secrets
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
from collab.web import auditing, changes, holding
from collab.web.forms import ActionForm, UploadForm
from collab.web.nodes import id_key
from collab.web.store import current_store

bp = Blueprint("imports", __name__, url_prefix="/import")
SUFFIXES = (".xlsx", ".csv")


def _folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _held() -> Path | None:
    """The upload waiting for confirmation in this session, if any."""
    name = session.get("import_file", "")
    if not name or Path(name).name != name or not name.endswith(SUFFIXES):
        return None
    path = _folder() / name
    return path if path.is_file() else None


def _check(path: Path) -> Any:
    """The dry run: every row checked against the graph and the actor's reach; a read."""
    authz, key, ledger = current_user.authz, id_key(), read_ledger(path)
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
        suffix = Path(form.ledger.data.filename or "").suffix.lower()
        holding.sweep(_folder(), "*")  # uploads never confirmed, an hour on
        path = _folder() / (secrets.token_hex(16) + suffix)
        form.ledger.data.save(path)
        try:
            lines, ready = _lines(_check(path)), True
        except LedgerRejected as e:
            path.unlink(missing_ok=True)
            auditing.refused()
            lines = _lines(e.report)
        else:
            session["import_file"] = path.name
    elif form.errors:
        auditing.refused()
    return render_template("imports/upload.html", form=form, lines=lines, ready=ready,
                           confirm=ActionForm())


@bp.route("/confirm", methods=["POST"])
def confirm() -> Any:
    changes.allowed(ImportLedger)
    path = _held()
    if not ActionForm().validate_on_submit() or path is None:
        flash(_("Nothing is waiting to be imported: upload the ledger again."), "danger")
        return redirect(url_for("imports.upload"))
    try:
        outcome = changes.run(ImportLedger(ledger=read_ledger(path), id_key=id_key()))
    finally:
        path.unlink(missing_ok=True)
        session.pop("import_file", None)
    if isinstance(outcome.error, LedgerRejected):
        lines = _lines(outcome.error.report)
    else:
        lines = _lines(outcome.result())
    return render_template("imports/upload.html", form=UploadForm(), lines=lines, ready=False,
                           confirm=ActionForm(), done=True)
