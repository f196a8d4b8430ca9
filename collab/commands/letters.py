"""Issuing a supervision or reminder letter (`collab.cases.letters`).

The letter is numbered and recorded in the transaction; its .docx is written by the caller
after the commit, from the content the command answers, so a retried transaction never
writes a file.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from collab.access.authz import Perm
from collab.cases import letters
from collab.commands.base import Command, Context, register
from collab.graph.codec import Node
from collab.graph.store import Graph


@register
@dataclass(frozen=True)
class IssueLetter(Command):
    """One letter to the unit owning the tasks (all within the actor's reach); answers the
    letter's content. `issuer` overrides who signs (COLLAB_LETTER_ISSUER)."""

    event = "letter.issue"
    permission = Perm.SEND_LETTERS
    creates = True
    kind: str
    rectifications: tuple[str, ...]
    on: date | None = None
    issuer: str | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        for no in self.rectifications:
            ctx.within(g, "Rectification", no)
        policy = ctx.config.letter_policy()
        if self.issuer:
            policy = replace(policy, issuer=self.issuer)
        return letters.issue(g, actor=ctx.actor, kind=self.kind,
                             rectifications=list(self.rectifications), on=self.on or ctx.today,
                             policy=policy, rect_policy=ctx.config.rectification_policy())
