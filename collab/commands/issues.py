"""Commands on issues an inspection found (`collab.cases.issues`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from collab.access.authz import Perm
from collab.cases import issues
from collab.commands.base import Command, Context, register
from collab.graph.codec import Node
from collab.graph.store import Graph


@register
@dataclass(frozen=True)
class RegisterIssue(Command):
    """Register an issue on a unit of the actor's reach, found by one of its groups."""

    event = "issue.register"
    permission = Perm.REGISTER
    label, key_field, creates = "Issue", "no", True
    no: str
    title: str
    found_on: date
    unit: str
    group: str | None = None
    category: str | None = None
    description: str | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        unit = ctx.within(g, "Unit", self.unit)
        ctx.require_region(unit.get("region_code"))
        group = ctx.within(g, "Group", self.group) if self.group else None
        node = issues.register(g, actor=ctx.actor, no=self.no, title=self.title,
                               found_on=self.found_on, unit=unit, group=group,
                               category=self.category, description=self.description)
        return {"issue": node.key}
