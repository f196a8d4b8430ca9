"""Commands of the supervision models (`collab.analysis.models`) and their data sets
(`collab.analysis.datasets`, `collab.ledgers.datasets`): a run, the two triage decisions, a
data set's import and who may use it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from collab.access.audit import Kind
from collab.access.authz import Perm
from collab.access.idnumbers import IdKey
from collab.analysis import datasets
from collab.analysis.models import hits, runner
from collab.commands.base import Command, Context, register
from collab.graph.codec import Node
from collab.graph.store import Graph
from collab.ledgers import datasets as lds


@register
@dataclass(frozen=True)
class RunModels(Command):
    """Run models (all when `codes` is empty) within the actor's jurisdiction, or a region
    inside it; answers each model's `RunResult` (its run, hits, how many new, or why it could
    not run)."""

    event = "models.run"
    permission = Perm.RUN_MODELS
    label = "ModelRun"
    codes: tuple[str, ...] = ()
    region: str | None = None
    as_of: date | None = None
    params: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    sets: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return runner.run(g, authz=ctx.authz, codes=self.codes, region=self.region,
                          as_of=self.as_of or ctx.today, params=self.params, sets=self.sets,
                          now=ctx.now)


@register
@dataclass(frozen=True)
class ConfirmHit(Command):
    """已核实: register a clue from a hit in reach, linked to it; answers the clue's number."""

    event = "model_hit.confirm"
    permission = Perm.TRIAGE
    label, key_field = "ModelHit", "no"
    no: str
    on: date | None = None
    clue_no: str | None = None
    title: str | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        clue = hits.confirm(g, authz=ctx.authz, no=self.no, on=self.on or ctx.today,
                            clue_no=self.clue_no, title=self.title)
        return {"clue": clue.key}


@register
@dataclass(frozen=True)
class DismissHit(Command):
    """已排除: set a hit in reach aside, with the reason."""

    event = "model_hit.dismiss"
    permission = Perm.TRIAGE
    label, key_field = "ModelHit", "no"
    no: str
    reason: str
    on: date | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        hits.dismiss(g, authz=ctx.authz, no=self.no, on=self.on or ctx.today,
                     reason=self.reason)
        return {"hit": self.no}


@register
@dataclass(frozen=True)
class ImportDataSet(Command):
    """Write a data set read by `read_dataset`, all rows or none; answers the import's
    report (a `LedgerRejected` refusal carries the whole report)."""

    event = "dataset.import"
    permission = Perm.MANAGE_DATASETS
    label, creates = "DataSet", True
    audit_kind = Kind.IMPORT
    data: lds.DataSetFile
    info: lds.DataSetInfo
    id_key: IdKey

    @property
    def key(self) -> str:
        return self.info.code

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return lds.import_dataset(g, authz=ctx.authz, data=self.data, info=self.info,
                                  key=self.id_key)


@register
@dataclass(frozen=True)
class SetDataSetAccess(Command):
    """Change which roles and regions may use a data set the actor may use and manage."""

    event = "dataset.access"
    permission = Perm.MANAGE_DATASETS
    label, key_field = "DataSet", "code"
    code: str
    roles: tuple[str, ...]
    regions: tuple[str, ...] = ()

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        node = datasets.set_access(g, authz=ctx.authz, code=self.code, roles=self.roles,
                                   regions_=self.regions)
        return {"code": node.key, "roles": node.get("roles"), "regions": node.get("regions")}
