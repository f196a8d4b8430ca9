"""The API's changes: one operation for each change the console and the pages offer.

Each operation takes a JSON body whose fields are the command's (`collab.commands.*`), the
object's number in the path, and an optional `Idempotency-Key` header; it runs the command
as the token holder through `collab.web.changes`, so the same reach, state rules and audit
records hold as on the pages. Declared once here as a table; `collab.web.api` registers
them on its blueprint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import Any

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from collab.analysis import crosscheck as xc
from collab.commands.base import Command
from collab.commands.checks import AdvanceCheck, AssignCheck, CreateCheck, RecordFinding
from collab.commands.clues import (
    AcceptTransfer,
    DisposeTransfer,
    RecordOutcome,
    RegisterClue,
    ReturnTransfer,
)
from collab.commands.crosscheck import RaiseIssue
from collab.commands.imports import ImportLedger
from collab.commands.issues import RegisterIssue
from collab.commands.letters import IssueLetter
from collab.commands.rectification import (
    AddEvidence,
    AdvanceRectification,
    CloseRectification,
    CreateRectification,
    EvaluateRectification,
    SignOff,
)
from collab.errors import N_, ValidationError
from collab.ledgers.reader import read_ledger
from collab.ledgers.report import LedgerRejected
from collab.sheets.reading import Blob
from collab.web import changes
from collab.web.keys import id_key

KEY_HEADER = "Idempotency-Key"


def _text(most: int, required: bool = True) -> fields.String:
    return fields.String(required=required, validate=validate.Length(1 if required else 0, most))


def _texts() -> fields.List:
    return fields.List(fields.String(validate=validate.Length(1, 64)), load_default=list,
                       validate=validate.Length(max=500))


class RegisterClueArgs(Schema):
    no, title, on = _text(64), _text(200), fields.Date(required=True)
    region_code = fields.String(required=True, validate=validate.Regexp(r"^[0-9]{6,12}$"))
    issue_no, category, summary = _text(64, False), _text(50, False), _text(4000, False)
    against = _texts()


class RegisterIssueArgs(Schema):
    no, title, found_on, unit = _text(64), _text(200), fields.Date(required=True), _text(64)
    group, category, description = _text(64, False), _text(50, False), _text(4000, False)


class StepArgs(Schema):
    on = fields.Date(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class DisposeArgs(StepArgs):
    disposal = fields.String(required=True, validate=validate.Length(1, 32))


class OutcomeArgs(Schema):
    sanctions = _texts()
    party_grade = _text(64, False)
    funds_recovered = fields.Float(validate=validate.Range(min=0))
    closed_on = fields.Date()


class Versioned(Schema):
    on = fields.Date(required=True)
    expected_version = fields.Integer(validate=validate.Range(min=0))


class CreateRectificationArgs(Schema):
    no, issue, unit, title = _text(64), _text(64), _text(64), _text(200)
    deadline, on = fields.Date(required=True), fields.Date(required=True)
    responsible, leader, principal = _text(64, False), _text(64, False), _text(64, False)


class AdvanceArgs(Versioned):
    to = _text(32)
    reason = fields.String(load_default="", validate=validate.Length(max=500))
    evidence = _text(2000, False)


class EvidenceArgs(Versioned):
    text = _text(2000)


class EvaluateArgs(Versioned):
    score = fields.Float(required=True, validate=validate.Range(0, 100))


class SignOffArgs(Versioned):
    role = _text(32)


class CreateCheckArgs(Schema):
    no, title = _text(64), _text(200)
    start, end = fields.Date(required=True), fields.Date(required=True)
    unit = _text(64, False)
    rectifications = _texts()


class AssignArgs(Schema):
    departments, people = _texts(), _texts()
    on = fields.Date()
    expected_version = fields.Integer(validate=validate.Range(min=0))


class AdvanceCheckArgs(Schema):
    to = _text(32)
    reason = fields.String(load_default="", validate=validate.Length(max=500))
    on = fields.Date()
    expected_version = fields.Integer(validate=validate.Range(min=0))


class FindingArgs(Schema):
    rectification = _text(64)
    verified = fields.Boolean(required=True)
    note = fields.String(load_default="", validate=validate.Length(max=500))
    on = fields.Date()


class LetterArgs(Schema):
    kind = _text(32)
    rectifications = fields.List(fields.String(validate=validate.Length(1, 64)),
                                 required=True, validate=validate.Length(1, 500))
    on = fields.Date()


# path, command, body, the path's key field (None: the body names the new object), summary
OPERATIONS: tuple[tuple[str, type[Command], type[Schema], str | None, str], ...] = (
    ("/issues", RegisterIssue, RegisterIssueArgs, None, "Register an issue on a unit."),
    ("/clues", RegisterClue, RegisterClueArgs, None, "Register a clue."),
    ("/transfers/<path:key>/accept", AcceptTransfer, StepArgs, "transfer_no",
     "The receiving department acknowledges receipt (接收)."),
    ("/transfers/<path:key>/dispose", DisposeTransfer, DisposeArgs, "transfer_no",
     "The receiving department records its disposal (处置)."),
    ("/transfers/<path:key>/return", ReturnTransfer, StepArgs, "transfer_no",
     "The receiving department sends the clue back (退回), saying why."),
    ("/cases/<path:key>/outcome", RecordOutcome, OutcomeArgs, "case_no",
     "Record how a case ended."),
    ("/rectifications", CreateRectification, CreateRectificationArgs, None,
     "Set a rectification task for an issue."),
    ("/rectifications/<path:key>/advance", AdvanceRectification, AdvanceArgs, "no",
     "Move a task on (or reopen it)."),
    ("/rectifications/<path:key>/evidence", AddEvidence, EvidenceArgs, "no",
     "Add an evidence note."),
    ("/rectifications/<path:key>/evaluate", EvaluateRectification, EvaluateArgs, "no",
     "Record a finished task's evaluation (0-100)."),
    ("/rectifications/<path:key>/signoff", SignOff, SignOffArgs, "no",
     "Sign a task off, in the configured order."),
    ("/rectifications/<path:key>/close", CloseRectification, Versioned, "no",
     "Close (销号) a verified task."),
    ("/checks", CreateCheck, CreateCheckArgs, None, "Create a joint supervision check."),
    ("/checks/<path:key>/assign", AssignCheck, AssignArgs, "no",
     "Assign departments and people to a check."),
    ("/checks/<path:key>/advance", AdvanceCheck, AdvanceCheckArgs, "no",
     "Move a check on."),
    ("/checks/<path:key>/findings", RecordFinding, FindingArgs, "no",
     "Record what a check found about one task."),
    ("/letters", IssueLetter, LetterArgs, None, "Issue a supervision letter (督办函)."),
)


def _values(args: dict[str, Any]) -> dict[str, Any]:
    """The body as the command's fields: lists become the tuples the commands hold."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in args.items()}


def _answer(value: Any) -> Any:
    """A command's answer as JSON (a letter's content by its fields)."""
    return asdict(value) if is_dataclass(value) and not isinstance(value, type) else value


def _operation(kind: type[Command], key_field: str | None, summary: str
               ) -> Callable[..., Any]:
    def view(args: dict[str, Any], key: str | None = None) -> Any:
        values = _values(args) | ({key_field: key} if key_field else {})
        body, status, headers = changes.answered(changes.run(
            kind(**values), key=request.headers.get(KEY_HEADER)))
        return _answer(body), status, headers
    view.__doc__ = summary + " Send an `Idempotency-Key` header to retry safely."
    view.__name__ = kind.event.replace(".", "_")
    return view




class FileArgs(Schema):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class ImportArgs(Schema):
    create_missing = fields.Boolean(load_default=False, metadata={
        "description": "create the units the ledger names that are not known yet"})
    lang = fields.String(load_default="zh", validate=validate.OneOf(("zh", "en")))


class ListsArgs(Schema):
    list_a = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})
    list_b = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class RaiseArgs(Schema):
    unit = _text(64)
    title = _text(200)
    key = fields.String(load_default="id_number", validate=validate.OneOf(xc.KEYS))
    select = fields.String(load_default="only_a",
                           validate=validate.OneOf(("only_a", "only_b", "mismatched")))
    found_on = fields.Date()


def _blob(upload: Any) -> Blob:
    """An uploaded file in memory, under its bare name (a path in the name is refused)."""
    name = getattr(upload, "filename", "") or ""
    if not name or any(c in name for c in "/\\\0") or name.startswith(".."):
        raise ValidationError(N_("the file name may not contain a folder path"))
    return Blob(name, upload.read())


def _import(files: dict[str, Any], args: dict[str, Any]) -> Any:
    """Import a ledger (xlsx or csv, UTF-8 or GBK) read with the standard mapping: every row
    or, on any problem, none (400 listing every problem)."""
    ledger = read_ledger(_blob(files["file"]))
    outcome = changes.run(ImportLedger(ledger=ledger, id_key=id_key(),
                                       create_missing=args["create_missing"]))
    if isinstance(outcome.error, LedgerRejected):
        report = outcome.error.report
        return {"error": report.lines(args["lang"])[0] if report.problems else "",
                "status": 400, "problems": report.lines(args["lang"])}, 400
    return {"report": outcome.result().lines(args["lang"])}, 201


def _raise_issue(files: dict[str, Any], args: dict[str, Any]) -> Any:
    """Compare two lists of people and register one issue (数据比对) on a unit for the
    results selected."""
    result = xc.crosscheck(_blob(files["list_a"]), _blob(files["list_b"]), key=args["key"])
    return changes.answered(changes.run(RaiseIssue(
        unit_code=args["unit"], findings=tuple(getattr(result, args["select"])),
        title=args["title"], found_on=args.get("found_on"))))


def _upload(blp: Blueprint, path: str, kind: type[Command], files: type[Schema],
            form: type[Schema], handle: Callable[[dict[str, Any], dict[str, Any]], Any]
            ) -> None:
    def view(file_args: dict[str, Any], form_args: dict[str, Any]) -> Any:
        return handle(file_args, form_args)
    view.__doc__, view.__name__ = handle.__doc__, kind.event.replace(".", "_")
    blp.route(path, methods=["POST"], endpoint=view.__name__)(changes.runs(kind)(
        blp.arguments(files, location="files")(blp.arguments(form, location="form")(
            blp.response(201)(view)))))


def register(blp: Blueprint) -> None:
    """Add every operation to the API's blueprint."""
    for path, kind, body, key_field, summary in OPERATIONS:
        view = _operation(kind, key_field, summary)
        # the role is checked first: one without it is not found, whatever it sent
        blp.route(path, methods=["POST"], endpoint=view.__name__)(changes.runs(kind)(
            blp.arguments(body)(blp.response(201)(view))))
    _upload(blp, "/imports", ImportLedger, FileArgs, ImportArgs, _import)
    _upload(blp, "/crosscheck/issues", RaiseIssue, ListsArgs, RaiseArgs, _raise_issue)
