"""Commands on collaborating departments (`collab.cases.departments`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from collab.access.authz import Perm
from collab.cases import departments
from collab.commands.base import Command, Context, register
from collab.graph.codec import Node
from collab.graph.store import Graph


@register
@dataclass(frozen=True)
class CreateDepartment(Command):
    """Add a department in a region."""

    event = "department.create"
    permission = Perm.MANAGE_DEPARTMENTS
    label, key_field, creates = "Department", "code", True
    code: str
    name: str
    region_code: str
    kind: str | None = None
    feedback_days: int | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        ctx.require_region(self.region_code)
        node = departments.create(g, authz=ctx.authz, code=self.code, name=self.name,
                                  kind=self.kind, region_code=self.region_code,
                                  feedback_days=self.feedback_days)
        return {"department": node.key}


@register
@dataclass(frozen=True)
class UpdateDepartment(Command):
    """Change a department's name, kind and feedback term (empty: the default applies)."""

    event = "department.update"
    permission = Perm.MANAGE_DEPARTMENTS
    label, key_field = "Department", "code"
    code: str
    name: str
    kind: str | None = None
    feedback_days: int | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        node = departments.update(g, authz=ctx.authz, code=self.code, name=self.name,
                                  kind=self.kind,
                                  feedback_days=self.feedback_days)
        return {"department": node.key}
