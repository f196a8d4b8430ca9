"""Importing a ledger: upload → column mapping → dry run → confirm, all or nothing, audited.

The upload is read in memory; while the user maps, checks and confirms it, it is kept sealed
(`holding`: encrypted under a key only the uploader's session cookie carries), an hour at
most, never as plain text on disk; the files given back (marked errors, templates) are built
in memory too. The mapping step shows each column with a field
picker pre-filled by the guess (or by the profile saved for the same headers) and its first
values; the dry run shows every problem on one page and offers the clerk's own file with the
bad cells marked; units the ledger names that are not on record are listed and created with
the confirm, and only those. The confirm checks everything again (`import_ledger`), and shows
its progress while it runs.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import IO, Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from collab.access.audit import Kind
from collab.commands.imports import ImportLedger, SaveImportProfile
from collab.ledgers import errorbook, exporter, profiles
from collab.ledgers.importer import check_ledger
from collab.ledgers.kinds import KINDS, ORDER
from collab.ledgers.mapping import IGNORE, signature
from collab.ledgers.reader import Ledger, Mapped, map_ledger, parse, read_ledger
from collab.ledgers.report import LedgerRejected, Report
from collab.sheets.reading import Blob
from collab.web import auditing, changes, holding
from collab.web.forms import ActionForm, UploadForm
from collab.web.keys import id_key
from collab.web.store import current_store

bp = Blueprint("imports", __name__, url_prefix="/import")
_HELD = ("import_held", "import_name", "import_map", "import_kinds", "import_expected")


def _folder() -> Path:
    return Path(current_app.instance_path) / "uploads"


def _held() -> Blob | None:
    """The upload this session is working on, if any (unsealed, in memory)."""
    held = session.get("import_held")
    data = holding.take(_folder(), held)
    return Blob(session.get("import_name") or "ledger", data) if data is not None else None


def _marker() -> Path | None:
    """Where the confirm of this session's upload writes its progress (no content of it)."""
    name = (session.get("import_held") or {}).get("file", "")
    return _folder() / f"{name}.progress" if name.isalnum() else None


def _forget() -> None:
    holding.drop(_folder(), session.get("import_held"))
    marker = _marker()
    if marker is not None:
        marker.unlink(missing_ok=True)
    for key in _HELD:
        session.pop(key, None)


def _download(book: IO[bytes], name: str) -> Any:
    book.seek(0)
    return send_file(book, as_attachment=True, download_name=name)


def _lang() -> str:
    return "en" if str(get_locale()) == "en" else "zh"


def _corrections() -> dict[str, dict[str, str]]:
    return session.get("import_map") or {}


def _read(path: Blob) -> Ledger:
    return read_ledger(path, corrections=_corrections(), name=session.get("import_name"),
                       kinds=session.get("import_kinds"))


def _mapped(path: Blob) -> Mapped:
    return map_ledger(path, name=session.get("import_name"), corrections=_corrections(),
                      kinds=session.get("import_kinds"))


def _posted() -> tuple[Any, Blob | None]:
    """The importer and the upload a posted step works on (None: nothing waits, or the form
    was not this session's)."""
    authz = changes.allowed(ImportLedger)
    path = _held()
    return authz, path if ActionForm().validate_on_submit() else None


def _nothing_waiting() -> Any:
    flash(_("Nothing is waiting to be imported: upload the ledger again."), "danger")
    return redirect(url_for("imports.upload"))


def _page(form: UploadForm | None = None, **context: Any) -> str:
    return render_template("imports/upload.html", form=form or UploadForm(),
                           confirm=ActionForm(), kinds=[KINDS[k] for k in ORDER], lang=_lang(),
                           **context)


@bp.route("/", methods=["GET", "POST"])
def upload() -> Any:
    """Upload a ledger; its columns are mapped next."""
    authz = changes.allowed(ImportLedger)
    form = UploadForm()
    if not form.validate_on_submit():
        if form.errors:
            auditing.refused()
        return _page(form)
    auditing.name_event("ledger.upload", Kind.IMPORT)
    _forget()
    name = Path(form.ledger.data.filename or "").name
    session.update(import_name=name, import_map={}, import_kinds={})
    path = Blob(name, form.ledger.data.read())
    mapped = map_ledger(path, name=name)
    signatures = {m.sheet: signature(m) for m in mapped.mappings}
    saved = current_store().read(lambda tx: profiles.for_sheets(tx, actor=authz.actor,
                                                                signatures=signatures))
    if saved:
        session["import_map"] = {s: dict(p.corrections) for s, p in saved.items()}
        session["import_kinds"] = {s: p.kind for s, p in saved.items()}
        mapped = _mapped(path)
    if mapped.report.problems or not mapped.mappings:
        auditing.refused()
        report = parse(mapped).report
        auditing.note(report.audit_detail())
        _forget()
        return _page(report=report)
    session["import_held"] = holding.hold(_folder(), path.data)
    return _page(mapped=mapped, saved=saved)


@bp.route("/check", methods=["POST"])
@changes.declares(SaveImportProfile)
def check() -> Any:
    """Take the mapping the user set, optionally save it as a profile, and run the dry run."""
    authz, path = _posted()
    if path is None:
        return _nothing_waiting()
    auditing.name_event("ledger.import_check", Kind.IMPORT)
    mapped = _mapped(path)
    chosen: dict[str, dict[str, str]] = {}
    kinds = dict(session.get("import_kinds") or {})
    for i, m in enumerate(mapped.mappings):
        picked_kind = request.form.get(f"kind-{i}", m.kind.name)
        if picked_kind != m.kind.name and picked_kind in KINDS:
            kinds[m.sheet] = picked_kind  # read the sheet as another kind: map it again
            continue
        fields = m.kind.field_names()
        chosen[m.sheet] = {}
        for col, header in m.headers.items():
            picked = request.form.get(f"map-{i}-{col}", "")
            if picked == IGNORE or picked in fields:
                chosen[m.sheet][header] = picked
    session["import_map"], session["import_kinds"] = chosen, kinds
    if "remap" in request.form or len(chosen) < len(mapped.mappings):
        return _page(mapped=_mapped(path), saved={})
    profile = request.form.get("profile", "").strip()
    if profile and mapped.mappings:
        first = mapped.mappings[0]
        changes.shown(changes.run(SaveImportProfile(
            name=profile, kind=first.kind.name, signature=signature(first),
            corrections=chosen[first.sheet])), _("The column mapping was saved."))
        auditing.name_event("ledger.import_check", Kind.IMPORT)
    ledger = _read(path)
    try:
        report = current_store().read(lambda tx: check_ledger(
            tx, actor=authz.actor, ledger=ledger, key=id_key(), create_missing=True))
    except LedgerRejected as e:
        auditing.refused()
        auditing.note(e.report.audit_detail())
        return _page(report=e.report, errors=True)
    session["import_expected"] = [list(p) for p in report.proposed]
    auditing.note(report.audit_detail())
    return _page(report=report, ready=True)


@bp.route("/errors.xlsx")
def errors() -> Any:
    """The clerk's own file with every problem marked, to fix and upload again."""
    authz = changes.allowed(ImportLedger)
    path = _held()
    if path is None:
        abort(404)
    ledger = _read(path)
    report = ledger.report
    if not report.problems:
        try:
            current_store().read(lambda tx: check_ledger(
                tx, actor=authz.actor, ledger=ledger, key=id_key(), create_missing=True))
        except LedgerRejected as e:
            report = e.report
    book = errorbook.write(path, report, io.BytesIO(),
                           {m.sheet: m.header_row for m in ledger.mappings},
                           name=session.get("import_name"))
    return _download(book, Path(path.name).stem + "（问题标注）.xlsx")


@bp.route("/template/<kind>.xlsx")
def template(kind: str) -> Any:
    """An empty ledger of `kind` with its 填写说明 sheet."""
    changes.allowed(ImportLedger)
    if kind not in KINDS:
        abort(404)
    book = io.BytesIO()
    exporter.write_template(book, KINDS[kind])
    return _download(book, KINDS[kind].zh + "模板.xlsx")


@bp.route("/progress")
def progress() -> Any:
    """Where the confirm of this session's import is: {stage, done, total}."""
    changes.allowed(ImportLedger)
    marker = _marker()
    if marker is None or not marker.is_file():
        return jsonify(stage="", done=0, total=0)
    return jsonify(json.loads(marker.read_text(encoding="utf-8") or "{}"))


@bp.route("/confirm", methods=["POST"])
@changes.declares(ImportLedger)
def confirm() -> Any:
    """Write the ledger: everything checked again; the units shown in the dry run created."""
    authz, path = _posted()
    if path is None:
        return _nothing_waiting()
    ledger = _read(path)
    expected = [tuple(p) for p in session.get("import_expected") or []]
    marker = _marker()
    assert marker is not None  # an upload is held: it has a name

    def step(stage: str, done: int, total: int) -> None:
        marker.write_text(json.dumps({"stage": stage, "done": done, "total": total}),
                          encoding="utf-8")

    outcome = changes.run(ImportLedger(ledger=ledger, id_key=id_key(), create_missing=True,
                                       expected=expected, progress=step))
    if isinstance(outcome.error, LedgerRejected):
        return _page(report=outcome.error.report, errors=True)
    report: Report = outcome.result()
    _forget()
    return _page(report=report, done=True)
