"""Commands on rectification tasks (`collab.cases.rectification`).

Who may do what, where DOMAIN.md leaves it open: those who register issues (coordinators,
inspectors) set tasks, move them and add evidence; those who plan joint checks (coordinators)
evaluate, sign off and close (销号), the inspection body's supervision of the work.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from collab.access.actors import Actor
from collab.access.authz import Perm
from collab.cases import rectification as rect
from collab.cases.evidence_files import Attachment
from collab.commands.base import Command, Context, answer_of, register
from collab.graph.codec import Node
from collab.graph.store import Graph


def _answer(node: Node) -> dict[str, Any]:
    return {"rectification": node.key, **answer_of(node, "status", "version")}


@register
@dataclass(frozen=True)
class CreateRectification(Command):
    """Set a task for an issue, owned by a unit, both within the actor's reach."""

    event = "rectification.create"
    permission = Perm.REGISTER
    label, key_field, creates = "Rectification", "no", True
    no: str
    issue: str
    unit: str
    title: str
    deadline: date
    on: date
    responsible: str | None = None
    leader: str | None = None
    principal: str | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        ctx.within(g, "Issue", self.issue)
        ctx.within(g, "Unit", self.unit)
        return _answer(rect.create(g, actor=ctx.actor, no=self.no, issue=self.issue,
                                   unit=self.unit, title=self.title, deadline=self.deadline,
                                   on=self.on, responsible=self.responsible,
                                   leader=self.leader, principal=self.principal))


@dataclass(frozen=True)
class _TaskStep(Command):
    """A step on one task; `expected_version` refuses a stale write."""

    permission = Perm.REGISTER
    label, key_field = "Rectification", "no"
    no: str
    on: date


@register
@dataclass(frozen=True)
class AdvanceRectification(_TaskStep):
    """Move a task along open → in_progress → done → verified / reopened."""

    event = "rectification.advance"
    to: str = ""
    reason: str = ""
    evidence: str | None = None
    expected_version: int | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return _answer(rect.advance(g, actor=ctx.actor, no=self.no, to=self.to, on=self.on,
                                    reason=self.reason, evidence=self.evidence,
                                    expected_version=self.expected_version))


@register
@dataclass(frozen=True)
class AddEvidence(_TaskStep):
    """Append an evidence note (整改佐证材料)."""

    event = "rectification.evidence"
    text: str = ""
    expected_version: int | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return _answer(rect.add_evidence(g, actor=ctx.actor, no=self.no, text=self.text,
                                         on=self.on, expected_version=self.expected_version))


@register
@dataclass(frozen=True)
class AttachEvidenceFile(_TaskStep):
    """Attach an evidence file, checked and kept by its hash before (`evidence_files.keep`)."""

    event = "rectification.evidence_file"
    sha256: str = ""
    size: int = 0
    content_type: str = ""
    name: str = ""
    expected_version: int | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        attachment = Attachment(self.sha256, self.size, self.content_type, self.on,
                                ctx.actor.name, self.name)
        return _answer(rect.attach_file(g, actor=ctx.actor, no=self.no, attachment=attachment,
                                        expected_version=self.expected_version))


@register
@dataclass(frozen=True)
class EvaluateRectification(_TaskStep):
    """Record the evaluation score (整改质效评估, 0-100) of a finished task."""

    event = "rectification.evaluate"
    permission = Perm.PLAN_CHECKS
    score: float = 0.0
    expected_version: int | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return _answer(rect.evaluate(g, actor=ctx.actor, no=self.no, score=self.score,
                                     on=self.on, expected_version=self.expected_version))


@register
@dataclass(frozen=True)
class SignOff(_TaskStep):
    """A sign-off towards closing, in the configured order; `signer` names who signed when
    it is not the actor (a leader's signature recorded by the operator)."""

    event = "rectification.signoff"
    permission = Perm.PLAN_CHECKS
    role: str = ""
    signer: str | None = None
    expected_version: int | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        signer = Actor(self.signer) if self.signer else ctx.actor
        return _answer(rect.sign_off(g, actor=signer, no=self.no, role=self.role, on=self.on,
                                     expected_version=self.expected_version,
                                     policy=ctx.config.rectification_policy()))


@register
@dataclass(frozen=True)
class CloseRectification(_TaskStep):
    """Close (销号) a verified task with its evidence and every configured sign-off."""

    event = "rectification.close"
    permission = Perm.PLAN_CHECKS
    expected_version: int | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return _answer(rect.close(g, actor=ctx.actor, no=self.no, on=self.on,
                                  expected_version=self.expected_version,
                                  policy=ctx.config.rectification_policy()))
