"""Importing a ledger (`collab.ledgers.importer`): every row checked against the actor's
reach, then all written or none (a `LedgerRejected` refusal carries the whole report)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from collab.access.audit import Kind
from collab.access.authz import Perm
from collab.access.idnumbers import IdKey
from collab.commands.base import Command, Context, register
from collab.graph.codec import Node
from collab.graph.store import Graph
from collab.ledgers.importer import Ledger, import_ledger


@register
@dataclass(frozen=True)
class ImportLedger(Command):
    """Write a ledger read by `read_ledger`; answers the import's report."""

    event = "ledger.import"
    permission = Perm.IMPORT
    creates = True
    audit_kind = Kind.IMPORT
    ledger: Ledger
    id_key: IdKey

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return import_ledger(g, actor=ctx.actor, ledger=self.ledger, key=self.id_key)
