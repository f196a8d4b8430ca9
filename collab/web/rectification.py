"""The rectification ledger (整改台账) of one's jurisdiction, overdue tasks highlighted, and
each task's page with the steps its state allows: progress, evidence, evaluation, the
sign-offs in the configured order, closing (销号) and reopening — each a command."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from collab.cases import evidence_files, rectification
from collab.commands.base import Command
from collab.commands.rectification import (
    AddEvidence,
    AdvanceRectification,
    AttachEvidenceFile,
    CloseRectification,
    CreateRectification,
    EvaluateRectification,
    SignOff,
)
from collab.errors import N_, NotFound, ValidationError
from collab.sheets.tables import table_xlsx
from collab.web import auditing, changes
from collab.web.downloads import attachment as attachment_response
from collab.web.downloads import file_name
from collab.web.errors import message
from collab.web.forms import EvidenceFileForm, NewTaskForm, TaskStepForm
from collab.web.nodes import page_number
from collab.web.pickers import picked_all, picked_arg
from collab.web.store import current_config, current_store

bp = Blueprint("rectification", __name__, url_prefix="/rectification")

PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/")
def index() -> Any:
    authz, args = current_user.authz, request.args
    region, region_text, region_error = picked_arg("region", "region")
    unit, unit_text, unit_error = picked_arg("unit", "unit")
    status = args.get("status") or None
    overdue = args.get("overdue") == "1"
    config = current_config()
    number, today, policy = page_number(args), config.today(), config.rectification_policy()
    narrow = rectification.LedgerFilter(
        unit=unit, owner=args.get("owner", "").strip()[:64], colour=args.get("colour") or None,
        due_from=day_arg("due_from"), due_to=day_arg("due_to"))
    rows = [] if region_error or unit_error else current_store().read(
        lambda tx: rectification.ledger_rows(tx, authz=authz, region=region, status=status,
                                             overdue_only=overdue, as_of=today, policy=policy,
                                             narrow=narrow))
    return render_template("rectification/index.html", rows=rows[(number - 1) * PAGE:
                                                                 number * PAGE],
                           total=len(rows), number=number, pages=max(1, -(-len(rows) // PAGE)),
                           statuses=rectification.STATUSES, as_of=today, policy=policy,
                           region=region, region_text=region_text, region_error=region_error,
                           unit=unit, unit_text=unit_text, unit_error=unit_error,
                           colours=rectification.COLOURS)


def day_arg(name: str) -> date | None:
    """A date from the query string (YYYY-MM-DD; anything else refused)."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(N_("not a date: %(value)r"), value=raw) from None


@bp.route("/closing-ledger.xlsx")
def closing_ledger() -> Any:
    """The closing ledger (整改销号 / 归零台账) of the region the ledger page shows."""
    authz, config = current_user.authz, current_config()
    region, region_text, region_error = picked_arg("region", "region")
    if region_error:
        raise NotFound("not found")
    today = config.today()
    headers, rows = current_store().read(lambda tx: rectification.closing_for(
        tx, authz=authz, region=region, as_of=today, policy=config.rectification_policy()))
    return attachment_response(
        table_xlsx("整改销号台账", headers, rows, heading="整改销号（归零）台账"),
        name=file_name("整改销号台账", region_text, day=today, ext="xlsx"),
        fallback=file_name("closing-ledger", ext="xlsx"), mimetype=XLSX)


def _page(no: str, form: TaskStepForm | None = None,
          files: EvidenceFileForm | None = None) -> str:
    authz, config = current_user.authz, current_config()
    today = config.today()
    shown = current_store().read(lambda tx: rectification.task(
        tx, authz=authz, no=no, as_of=today, policy=config.rectification_policy()))
    auditing.about("Rectification", no)
    return render_template("rectification/task.html", no=no, form=form or TaskStepForm(on=today),
                           files_form=files or EvidenceFileForm(on=today),
                           max_mb=config.evidence_max_mb,
                           may_report=AdvanceRectification.allowed(authz),
                           may_judge=SignOff.allowed(authz),
                           roles=rectification.SIGNOFF_ROLES, **shown)


@bp.route("/new", methods=["GET", "POST"])
@changes.runs(CreateRectification)
def new() -> Any:
    """Set a task for an issue, owned by a unit: both picked by name."""
    if request.method == "GET":
        return render_template("rectification/new.html", form=NewTaskForm(
            issue=request.args.get("issue", "")))
    form = NewTaskForm()
    valid = form.validate_on_submit()
    keys = picked_all(form, {"issue": "issue", "unit": "unit"})
    if not valid or keys is None:
        return render_template("rectification/new.html", form=form), 400
    outcome = changes.run(CreateRectification(
        no=form.no.data.strip(), issue=keys["issue"] or "", unit=keys["unit"] or "",
        title=form.title.data.strip(), deadline=form.deadline.data, on=current_config().today(),
        responsible=form.responsible.data or None, leader=form.leader.data or None,
        principal=form.principal.data or None))
    if not changes.shown(outcome, _("The task was set.")):
        return render_template("rectification/new.html", form=form), 400
    return redirect(url_for("rectification.task", no=outcome.value["rectification"]))


@bp.route("/<path:no>")
def task(no: str) -> Any:
    return _page(no)


STEPS: dict[str, Callable[[str, TaskStepForm], Command]] = {
    "move": lambda no, f: AdvanceRectification(no=no, on=f.on.data, to=f.to.data or "",
                                               reason=f.reason.data or "",
                                               expected_version=f.version.data),
    "evidence": lambda no, f: AddEvidence(no=no, on=f.on.data, text=f.text.data or "",
                                          expected_version=f.version.data),
    "evaluate": lambda no, f: EvaluateRectification(no=no, on=f.on.data,
                                                    score=float(f.score.data or 0),
                                                    expected_version=f.version.data),
    "signoff": lambda no, f: SignOff(no=no, on=f.on.data, role=f.role.data or "",
                                     expected_version=f.version.data),
    "close": lambda no, f: CloseRectification(no=no, on=f.on.data,
                                              expected_version=f.version.data),
}
# What each step cannot do without (a message on the field when it is left empty).
NEEDS = {"move": "to", "evidence": "text", "evaluate": "score", "signoff": "role"}


@bp.route("/<path:no>/attach", methods=["POST"])
@changes.runs(AttachEvidenceFile)
def attach(no: str) -> Any:
    """Attach an evidence file: the task must be in reach before anything is kept, the file
    what its name says and within the size limit; a refused change keeps nothing."""
    authz, config = current_user.authz, current_config()
    auditing.about("Rectification", no)
    form = EvidenceFileForm()
    current_store().read(lambda tx: rectification.visible(tx, authz=authz, no=no))
    if not form.validate_on_submit():
        return _page(no, files=form), 400
    upload = form.file.data
    data = upload.read()
    try:
        name, content_type = evidence_files.checked(
            upload.filename or "", data, max_bytes=config.evidence_max_mb * 1024 * 1024)
    except ValidationError as refused:
        form.file.errors = [*form.file.errors, message(refused)]
        return _page(no, files=form), 400
    sha256, new = evidence_files.keep(config.instance, data)
    outcome = changes.run(AttachEvidenceFile(
        no=no, on=form.on.data, sha256=sha256, size=len(data), content_type=content_type,
        name=name, expected_version=form.version.data))
    if outcome.error is not None and new:
        evidence_files.forget(config.instance, sha256)
    if not changes.shown(outcome, _("The file was attached.")):
        return _page(no, files=form), 400
    return redirect(url_for("rectification.task", no=no))


@bp.route("/<path:no>/files/<sha256>")
def evidence_download(no: str, sha256: str) -> Any:
    """One of a task's evidence files, for whoever may see the task (each download is on the
    audit trail, naming the task)."""
    authz, config = current_user.authz, current_config()
    auditing.about("Rectification", no)
    props = current_store().read(lambda tx: rectification.visible(tx, authz=authz, no=no))
    attachment = evidence_files.find(props, sha256)
    data = evidence_files.path_of(config.instance, sha256).read_bytes()
    return attachment_response(data, name=attachment.name, fallback=f"evidence.{sha256[:8]}",
                               mimetype=attachment.content_type)


@bp.route("/<path:no>/<any(move, evidence, evaluate, signoff, close):what>",
          methods=["POST"])
@changes.runs(AdvanceRectification, AddEvidence, EvaluateRectification, SignOff,
              CloseRectification)
def step(no: str, what: str) -> Any:
    """One step on the task; a refusal shows the page again with the reason."""
    form = TaskStepForm()
    valid = form.validate_on_submit()
    needed = NEEDS.get(what)
    if needed and form[needed].data in (None, ""):
        form[needed].errors = [*form[needed].errors, _("This field is required.")]
        valid = False
    if not valid:
        return _page(no, form), 400
    if not changes.shown(changes.run(STEPS[what](no, form)), _("The step was recorded.")):
        return _page(no, form), 400
    return redirect(url_for("rectification.task", no=no))
