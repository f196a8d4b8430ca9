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
from collab.access.authz import Perm
from collab.ledgers.importer import import_ledger, read_ledger
from collab.ledgers.report import LedgerRejected
from collab.web import auditing, holding
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


def _run(path: Path, *, dry_run: bool) -> Any:
    authz, key = current_user.authz, id_key()
    ledger = read_ledger(path)
    if dry_run:
        return current_store().read(lambda tx: import_ledger(
            tx, actor=authz.actor, ledger=ledger, key=key, dry_run=True))
    return auditing.change(lambda tx: import_ledger(tx, actor=authz.actor, ledger=ledger,
                                                    key=key),
                           event="ledger.import", kind=Kind.IMPORT,
                           describe=lambda report: report.audit_detail())


def _lines(report: Any) -> list[str]:
    return report.lines("en" if str(get_locale()) == "en" else "zh")


@bp.route("/", methods=["GET", "POST"])
def upload() -> Any:
    current_user.authz.require(Perm.IMPORT)
    form, lines, ready = UploadForm(), [], False
    if form.validate_on_submit():
        auditing.name_event("ledger.import_check", Kind.IMPORT)
        suffix = Path(form.ledger.data.filename or "").suffix.lower()
        holding.sweep(_folder(), "*")  # uploads never confirmed, an hour on
        path = _folder() / (secrets.token_hex(16) + suffix)
        form.ledger.data.save(path)
        try:
            lines, ready = _lines(_run(path, dry_run=True)), True
        except LedgerRejected as e:
            path.unlink(missing_ok=True)
            auditing.refused()
            auditing.note(e.report.audit_detail())
            lines = _lines(e.report)
        else:
            session["import_file"] = path.name
    elif form.errors:
        auditing.refused()
    return render_template("imports/upload.html", form=form, lines=lines, ready=ready,
                           confirm=ActionForm())


@bp.route("/confirm", methods=["POST"])
def confirm() -> Any:
    current_user.authz.require(Perm.IMPORT)
    path = _held()
    if not ActionForm().validate_on_submit() or path is None:
        flash(_("Nothing is waiting to be imported: upload the ledger again."), "danger")
        return redirect(url_for("imports.upload"))
    try:
        lines = _lines(_run(path, dry_run=False))
    except LedgerRejected as e:
        auditing.refused()
        auditing.note(e.report.audit_detail())
        lines = _lines(e.report)
    finally:
        path.unlink(missing_ok=True)
        session.pop("import_file", None)
    return render_template("imports/upload.html", form=UploadForm(), lines=lines, ready=False,
                           confirm=ActionForm(), done=True)
