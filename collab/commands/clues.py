"""Commands on clues, their transfers and the cases filed from them (`collab.cases.clues`,
`collab.cases.case_files`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from collab.access import authz as access
from collab.access.authz import Perm
from collab.cases import case_files, clues
from collab.commands.base import Command, Context, answer_of, register
from collab.graph.codec import Node
from collab.graph.store import Graph


@register
@dataclass(frozen=True)
class RegisterClue(Command):
    """Register a clue in the actor's jurisdiction (from an issue, or a petition)."""

    event = "clue.register"
    permission = Perm.REGISTER
    label, key_field, creates = "Clue", "no", True
    no: str
    title: str
    on: date
    region_code: str
    category: str | None = None
    summary: str | None = None
    source: str | None = None
    issue_no: str | None = None
    against: tuple[str, ...] = ()

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        ctx.require_region(self.region_code)
        if self.issue_no is not None:
            ctx.within(g, "Issue", self.issue_no)
        for uid in self.against:
            ctx.within(g, "Person", uid)
        node = clues.register(g, actor=ctx.actor, no=self.no, title=self.title, on=self.on,
                              region_code=self.region_code, category=self.category,
                              summary=self.summary, source=self.source, issue_no=self.issue_no,
                              against=self.against)
        return {"clue": node.key, **answer_of(node, "status")}


@register
@dataclass(frozen=True)
class TransferClue(Command):
    """Hand a clue to a department of the actor's jurisdiction (移交), under a letter."""

    event = "clue.transfer"
    permission = Perm.TRANSFER
    label, key_field = "Clue", "clue_no"
    clue_no: str
    department: str
    on: date
    letter_no: str
    feedback_due: date | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        assert target is not None
        department = ctx.within(g, "Department", self.department)
        node = clues.transfer(g, actor=ctx.actor, clue=target, to=department, on=self.on,
                              letter_no=self.letter_no.strip(),
                              default_feedback_days=ctx.config.feedback_days,
                              feedback_due=self.feedback_due)
        return {"clue": self.clue_no, "transfer": node.key,
                **answer_of(node, "status", "feedback_due")}


@dataclass(frozen=True)
class _TransferStep(Command):
    """A receiving department's step on one transfer."""

    permission = Perm.RECORD_DISPOSAL
    label, key_field = "Transfer", "transfer_no"
    transfer_no: str
    on: date

    def answer(self, transfer: Node | None, status: str | None) -> dict[str, Any]:
        """What a step answers: the clue (for the page to go back to), transfer and state."""
        return {"clue": transfer.get("clue_no") if transfer else None,
                "transfer": self.transfer_no, "status": status}


@register
@dataclass(frozen=True)
class AcceptTransfer(_TransferStep):
    """The department acknowledges receipt (接收)."""

    event = "transfer.accept"
    reason: str = ""

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        node = clues.accept(g, actor=ctx.actor, transfer_no=self.transfer_no, on=self.on,
                            reason=self.reason)
        return self.answer(target, node.get("status"))


@register
@dataclass(frozen=True)
class DisposeTransfer(_TransferStep):
    """The department records its disposal (处置)."""

    event = "transfer.dispose"
    disposal: str = ""
    reason: str = ""

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        node = clues.dispose(g, actor=ctx.actor, transfer_no=self.transfer_no,
                             disposal=self.disposal, on=self.on, reason=self.reason)
        return self.answer(target, node.get("status"))


@register
@dataclass(frozen=True)
class ReturnTransfer(_TransferStep):
    """The department sends the clue back (退回), saying why."""

    event = "transfer.return"
    reason: str = ""

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        node = clues.return_transfer(g, actor=ctx.actor, transfer_no=self.transfer_no,
                                     on=self.on, reason=self.reason)
        return self.answer(target, node.get("status"))


@register
@dataclass(frozen=True)
class FileCase(_TransferStep):
    """The department files a case (立案) from the transferred clue."""

    event = "transfer.file_case"
    case_no: str = ""
    reason: str = ""

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        access.require_not_foreign(g, authz=ctx.authz, label="Case", key=self.case_no.strip())
        case = clues.file_case(g, actor=ctx.actor, transfer_no=self.transfer_no,
                               case_no=self.case_no.strip(), on=self.on, reason=self.reason)
        return {**self.answer(target, "case_filed"), "case": case.key}


@register
@dataclass(frozen=True)
class FileOtherCase(Command):
    """A department of the actor's jurisdiction files a case from another origin (信访 …)."""

    event = "case.file_other"
    permission = Perm.RECORD_DISPOSAL
    label, key_field, creates = "Case", "no", True
    no: str
    department: str
    filed_on: date
    origin: str
    title: str
    subjects: tuple[str, ...] = ()

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        department = ctx.within(g, "Department", self.department)
        ctx.require_region(department.get("region_code"))
        for uid in self.subjects:
            ctx.within(g, "Person", uid)
        node = case_files.file_other_case(g, actor=ctx.actor, no=self.no,
                                          department=self.department, filed_on=self.filed_on,
                                          origin=self.origin, title=self.title,
                                          subjects=self.subjects)
        return {"case": node.key}


@register
@dataclass(frozen=True)
class RecordOutcome(Command):
    """Record how a case ended: sanctions, funds recovered, closing date."""

    event = "case.outcome"
    permission = Perm.RECORD_DISPOSAL
    label, key_field = "Case", "case_no"
    case_no: str
    sanctions: Sequence[str] = ()
    party_grade: str | None = None
    funds_recovered: float | None = None
    closed_on: date | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        node = case_files.record_outcome(g, actor=ctx.actor, case_no=self.case_no,
                                         sanctions=tuple(self.sanctions),
                                         party_grade=self.party_grade,
                                         funds_recovered=self.funds_recovered,
                                         closed_on=self.closed_on)
        return {"case": node.key, **answer_of(node, "sanctions")}
