"""Recording a department's support act (`collab.cases.support`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from collab.access.authz import Perm
from collab.cases import support
from collab.commands.base import Command, Context, register
from collab.graph.codec import Node
from collab.graph.store import Graph


@register
@dataclass(frozen=True)
class RecordSupport(Command):
    """One support act (巡前通报, 选派专业人员 …) of a department of the actor's reach."""

    event = "support.record"
    permission = Perm.REGISTER
    label, key_field, creates = "Support", "no", True
    no: str
    department: str
    kind: str
    on: date
    round_code: str | None = None
    category: str | None = None
    title: str | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        ctx.within(g, "Department", self.department)
        if self.round_code:
            ctx.within(g, "Round", self.round_code)
        node = support.record(g, actor=ctx.actor, no=self.no, department=self.department,
                              kind=self.kind, on=self.on,
                              round_code=self.round_code, category=self.category,
                              title=self.title)
        return {"support": node.key}
