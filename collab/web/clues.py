"""The clue trace page (from the round that found an issue to the case its clue became), and
the transfer and its receiving department's steps, each a command."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from collab.cases import clues, trace
from collab.commands.base import Command
from collab.commands.clues import (
    AcceptTransfer,
    DisposeTransfer,
    FileCase,
    RecordOutcome,
    RegisterClue,
    ReturnTransfer,
    TransferClue,
)
from collab.web import auditing, changes
from collab.web.forms import OutcomeForm, RegisterClueForm, StepForm, TransferForm
from collab.web.pickers import picked, picked_all
from collab.web.store import current_config, current_store

bp = Blueprint("clues", __name__, url_prefix="/clues")


def _trace(no: str) -> dict[str, Any]:
    authz = current_user.authz
    auditing.about("Clue", no)
    return current_store().read(lambda tx: trace.visible(tx, authz=authz, clue_no=no))


def _page(no: str, transfer: TransferForm | None = None) -> str:
    """The trace page; `transfer` is a form sent back with what was typed and its messages."""
    authz, config = current_user.authz, current_config()
    today = config.today()
    if transfer is None and TransferClue.allowed(authz):
        transfer = TransferForm(on=today)
    return render_template("clues/trace.html", no=no, chain=_trace(no), transfer=transfer,
                           step=StepForm(on=today) if AcceptTransfer.allowed(authz) else None,
                           outcome_form=OutcomeForm() if RecordOutcome.allowed(authz) else None,
                           offered=clues.steps_offered, feedback_days=config.feedback_days)


@bp.route("/<path:no>/trace")
def trace_page(no: str) -> Any:
    return _page(no)


@bp.route("/<path:no>/transfer", methods=["POST"])
@changes.runs(TransferClue)
def transfer(no: str) -> Any:
    """A coordinator hands the clue to a department of its jurisdiction, picked by its name;
    a wrong value shows the form again with what was typed."""
    form = TransferForm()
    valid = form.validate_on_submit()
    department = picked(form.department, "department") if form.department.data else None
    if not valid or department is None:
        return _page(no, transfer=form), 400
    outcome = changes.run(TransferClue(clue_no=no, department=department, on=form.on.data,
                                       letter_no=form.letter_no.data,
                                       feedback_due=form.feedback_due.data),
                          key=form.request_key.data or None)
    if not changes.shown(outcome, _("Done.")):
        return _page(no, transfer=form), 400
    return redirect(url_for("clues.trace_page", no=no))


STEPS: dict[str, Callable[[str, StepForm], Command]] = {
    "accept": lambda no, form: AcceptTransfer(transfer_no=no, on=form.on.data,
                                              reason=form.reason.data or ""),
    "dispose": lambda no, form: DisposeTransfer(transfer_no=no, on=form.on.data,
                                                disposal=form.disposal.data or "",
                                                reason=form.reason.data or ""),
    "return": lambda no, form: ReturnTransfer(transfer_no=no, on=form.on.data,
                                              reason=form.reason.data or ""),
    "file_case": lambda no, form: FileCase(transfer_no=no, on=form.on.data,
                                           case_no=form.case_no.data or "",
                                           reason=form.reason.data or ""),
}


@bp.route("/transfers/<path:transfer_no>/<any(accept, dispose, return, file_case):what>",
          methods=["POST"])
@changes.runs(AcceptTransfer, DisposeTransfer, ReturnTransfer, FileCase)
def transfer_step(transfer_no: str, what: str) -> Any:
    """The receiving department's steps: accept, dispose, return, file a case."""
    form = StepForm()
    if not form.validate_on_submit():
        abort(400)
    outcome = changes.run(STEPS[what](transfer_no, form))
    changes.shown(outcome, _("Done."))
    clue = outcome.value["clue"] if outcome.ok else transfer_no.rpartition("/")[0]
    return redirect(url_for("clues.trace_page", no=clue))


@bp.route("/<path:no>/trace.json")
def trace_json(no: str) -> Any:
    return jsonify(_trace(no))


@bp.route("/new", methods=["GET", "POST"])
@changes.runs(RegisterClue)
def new() -> Any:
    """Register a clue: from an issue when there is one, naming the people it concerns."""
    form = RegisterClueForm() if request.method == "POST" else \
        RegisterClueForm(on=current_config().today())
    if request.method == "GET":
        return render_template("clues/new.html", form=form)
    valid = form.validate_on_submit()
    kinds = {"region": "region", "issue": "issue", "against_1": "person",
             "against_2": "person", "against_3": "person"}
    keys = picked_all(form, kinds)
    if not valid or keys is None:
        return render_template("clues/new.html", form=form), 400
    people = tuple(dict.fromkeys(k for f, k in keys.items() if f.startswith("against") and k))
    outcome = changes.run(RegisterClue(
        no=form.no.data.strip(), title=form.title.data.strip(), on=form.on.data,
        region_code=keys["region"] or "", issue_no=keys["issue"], against=people,
        category=form.category.data or None, summary=form.summary.data or None),
        key=form.request_key.data or None)
    if not changes.shown(outcome, _("The clue was registered.")):
        return render_template("clues/new.html", form=form), 400
    return redirect(url_for("clues.trace_page", no=outcome.value["clue"]))
