"""Raising the findings of a data cross-check as one issue (`collab.analysis.crosscheck`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from collab.access.authz import Perm
from collab.analysis import crosscheck as xc
from collab.commands.base import Command, Context, register
from collab.graph.codec import Node
from collab.graph.store import Graph


@register
@dataclass(frozen=True)
class RaiseIssue(Command):
    """Register one issue (source 数据比对) on a unit of the actor's reach; answers its
    number."""

    event = "crosscheck.raise_issue"
    permission = Perm.REGISTER
    creates = True
    unit_code: str
    findings: tuple[xc.Finding, ...]
    title: str
    found_on: date | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        no = xc.raise_issue(g, authz=ctx.authz, unit_code=self.unit_code,
                            findings=self.findings, title=self.title,
                            found_on=self.found_on or ctx.today)
        return {"issue": no}
