"""Importing a ledger (`collab.ledgers.importer`): every row checked against the actor's
reach, then all written or none (a `LedgerRejected` refusal carries the whole report), and a
column mapping saved as a named profile (`collab.ledgers.profiles`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from collab.access.audit import Kind
from collab.access.authz import Perm
from collab.access.idnumbers import IdKey
from collab.commands.base import Command, Context, register
from collab.graph.codec import Node
from collab.graph.store import Graph
from collab.ledgers import profiles
from collab.ledgers.importer import Ledger, Progress, import_ledger, quiet
from collab.ledgers.report import LedgerRejected


@register
@dataclass(frozen=True)
class ImportLedger(Command):
    """Write a ledger read by `read_ledger`; answers the import's report. `expected`: the
    units the user saw proposed in the dry run (a confirm creating others is refused)."""

    event = "ledger.import"
    permission = Perm.IMPORT
    creates = True
    audit_kind = Kind.IMPORT
    ledger: Ledger
    id_key: IdKey
    create_missing: bool = False
    expected: Sequence[tuple[str, str, str]] | None = None
    progress: Progress | None = field(default=None, compare=False)

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return import_ledger(g, actor=ctx.actor, ledger=self.ledger, key=self.id_key,
                             create_missing=self.create_missing, expected=self.expected,
                             progress=self.progress or quiet)

    def detail(self, value: Any = None, error: Exception | None = None) -> Mapping[str, Any]:
        report = error.report if isinstance(error, LedgerRejected) else value
        return report.audit_detail() if report is not None else {}


@register
@dataclass(frozen=True)
class SaveImportProfile(Command):
    """Keep a column mapping under a name, for the next ledger with the same headers."""

    event = "ledger.profile"
    permission = Perm.IMPORT
    creates = True
    audit_kind = Kind.IMPORT
    name: str
    kind: str
    signature: str
    corrections: Mapping[str, str]

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        profiles.save(g, actor=ctx.actor, name=self.name, kind=self.kind,
                      signature=self.signature, corrections=dict(self.corrections))
        return {"profile": self.name}
