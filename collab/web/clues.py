"""The clue trace page: from the round that found an issue to the case its clue became."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from collab.access import authz as access
from collab.access.authz import Authz, Perm, Role
from collab.access.idnumbers import redact
from collab.cases import clues, trace
from collab.cases.idempotency import Answer
from collab.errors import CollabError, NotFound, StoreUnavailable
from collab.graph.store import Graph
from collab.web import auditing
from collab.web.errors import message
from collab.web.forms import StepForm, TransferForm
from collab.web.idempotent import change_once
from collab.web.store import current_store

bp = Blueprint("clues", __name__, url_prefix="/clues")


def _masked(value: Any) -> Any:
    """Every string in a nested structure with its ID numbers masked."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def visible_trace(g: Graph, *, authz: Authz, no: str) -> dict[str, Any]:
    """The trace of a clue in scope, cut down to what this actor may see."""
    access.get(g, authz=authz, label="Clue", key=no)
    chain = trace.trace(g, clue_no=no)
    if authz.role == Role.LIAISON:
        own_cases = set(access.own_keys(g, authz=authz, label="Case"))
        chain["transfers"] = [t for t in chain["transfers"]
                              if t.get("department_code") == authz.actor.department]
        chain["cases"] = [c for c in chain["cases"] if c.get("no") in own_cases]
    return _masked(chain)


def _trace(no: str) -> dict[str, Any]:
    authz = current_user.authz
    auditing.about("Clue", no)
    return current_store().read(lambda tx: visible_trace(tx, authz=authz, no=no))


@bp.route("/<path:no>/trace")
def trace_page(no: str) -> Any:
    authz = current_user.authz
    today = date.today()
    return render_template("clues/trace.html", no=no, chain=_trace(no),
                           transfer=TransferForm(on=today) if authz.can(Perm.TRANSFER) else None,
                           step=StepForm(on=today) if authz.can(Perm.RECORD_DISPOSAL) else None)


def _changed(no: str, run: Callable[[], Any]) -> Any:
    """One audited workflow step (`run` makes it); a refusal is shown on the trace page."""
    try:
        run()
    except (NotFound, StoreUnavailable):
        raise
    except CollabError as e:
        auditing.refused()
        flash(message(e), "danger")
    else:
        flash(_("Done."), "success")
    return redirect(url_for("clues.trace_page", no=no))


@bp.route("/<path:no>/transfer", methods=["POST"])
def transfer(no: str) -> Any:
    """A coordinator hands the clue to a department of its jurisdiction."""
    authz = current_user.authz
    authz.require(Perm.TRANSFER)
    form = TransferForm()
    if not form.validate_on_submit():
        abort(400)
    to = form.department.data.strip()

    def unit(tx: Graph) -> Answer:
        access.get(tx, authz=authz, label="Clue", key=no)
        access.get(tx, authz=authz, label="Department", key=to)
        node = clues.transfer(tx, actor=authz.actor, clue_no=no, to=to, on=form.on.data,
                              letter_no=form.letter_no.data.strip())
        return Answer(201, {"clue": no, "transfer": node.key})

    return _changed(no, lambda: change_once(unit, key=form.request_key.data or None,
                                            event="clue.transfer", label="Clue",
                                            object_key=no))


@bp.route("/transfers/<path:transfer_no>/<any(accept, dispose, return, file_case):what>",
          methods=["POST"])
def transfer_step(transfer_no: str, what: str) -> Any:
    """The receiving department's steps: accept, dispose, return, file a case."""
    authz = current_user.authz
    authz.require(Perm.RECORD_DISPOSAL)
    form = StepForm()
    if not form.validate_on_submit():
        abort(400)
    found = current_store().read(lambda tx: access.get(tx, authz=authz, label="Transfer",
                                                       key=transfer_no))
    common = {"actor": authz.actor, "transfer_no": transfer_no, "on": form.on.data}
    reason = (form.reason.data or "").strip()
    calls = {
        "accept": lambda tx: clues.accept(tx, **common, reason=reason),
        "dispose": lambda tx: clues.dispose(tx, **common, disposal=form.disposal.data,
                                            reason=reason),
        "return": lambda tx: clues.return_transfer(tx, **common, reason=reason),
        "file_case": lambda tx: clues.file_case(tx, **common,
                                                case_no=(form.case_no.data or "").strip(),
                                                reason=reason),
    }

    def unit(tx: Graph) -> None:
        access.get(tx, authz=authz, label="Transfer", key=transfer_no)
        calls[what](tx)

    return _changed(found.get("clue_no"), lambda: auditing.change(
        unit, event="transfer." + what, label="Transfer", key=transfer_no))


@bp.route("/<path:no>/trace.json")
def trace_json(no: str) -> Any:
    return jsonify(_trace(no))
