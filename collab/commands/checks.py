"""Commands on joint supervision checks (`collab.cases.checks`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from collab.access.authz import Perm
from collab.cases import checks
from collab.commands.base import Command, Context, answer_of, register
from collab.graph.codec import Node
from collab.graph.store import Graph


def _answer(node: Node) -> dict[str, Any]:
    return {"check": node.key, **answer_of(node, "status", "version")}


@register
@dataclass(frozen=True)
class CreateCheck(Command):
    """Plan a check of a unit and/or rectification tasks, all within the actor's reach."""

    event = "check.create"
    permission = Perm.PLAN_CHECKS
    label, key_field, creates = "JointCheck", "no", True
    no: str
    title: str
    start: date
    end: date
    unit: str | None = None
    rectifications: tuple[str, ...] = ()
    on: date | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        if self.unit:
            ctx.within(g, "Unit", self.unit)
        for task in self.rectifications:
            ctx.within(g, "Rectification", task)
        return _answer(checks.create(g, actor=ctx.actor, no=self.no, title=self.title,
                                     start=self.start, end=self.end, on=self.on or ctx.today,
                                     unit=self.unit, rectifications=self.rectifications))


@register
@dataclass(frozen=True)
class AssignCheck(Command):
    """Assign departments (of the actor's reach) and people to a check."""

    event = "check.assign"
    permission = Perm.PLAN_CHECKS
    label, key_field = "JointCheck", "no"
    no: str
    departments: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    on: date | None = None
    expected_version: int | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        for code in self.departments:
            ctx.within(g, "Department", code)
        return _answer(checks.assign(g, actor=ctx.actor, no=self.no, on=self.on or ctx.today,
                                     departments=self.departments, people=self.people,
                                     expected_version=self.expected_version,
                                     policy=ctx.config.proposal_policy()))


@register
@dataclass(frozen=True)
class AdvanceCheck(Command):
    """Move a check along planned → in_progress → reported → closed."""

    event = "check.advance"
    permission = Perm.PLAN_CHECKS
    label, key_field = "JointCheck", "no"
    no: str
    to: str
    reason: str = ""
    on: date | None = None
    expected_version: int | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return _answer(checks.advance(g, actor=ctx.actor, no=self.no, to=self.to,
                                      on=self.on or ctx.today, reason=self.reason,
                                      expected_version=self.expected_version))


@register
@dataclass(frozen=True)
class RecordFinding(Command):
    """Record what a check found about one task: verified, or reopened (再整改)."""

    event = "check.finding"
    permission = (Perm.RECORD_DISPOSAL, Perm.PLAN_CHECKS)
    label, key_field = "JointCheck", "no"
    no: str
    rectification: str
    verified: bool
    note: str = ""
    on: date | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        found = checks.record_finding(g, actor=ctx.actor, no=self.no,
                                      rectification_no=self.rectification,
                                      verified=self.verified, on=self.on or ctx.today,
                                      note=self.note)
        task = g.get("Rectification", found.rectification)
        return {"check": self.no, "rectification": found.rectification,
                "verified": found.verified, "status": task.get("status") if task else None}
