"""Column mappings saved under a name, per department: a clerk maps a ledger once.

A profile belongs to an owner (the importer's department, else its region, else the console)
and holds the kind and the corrections (`{header: field}`) of one layout of headers (its
signature). When a ledger with the same headers is uploaded again, its profile is applied.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from collab.access.actors import Actor
from collab.errors import N_, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Graph
from collab.ledgers.kinds import kind as kind_named

_MAX_NAME = 60


@dataclass(frozen=True)
class Profile:
    """A saved mapping: its name, the kind and the corrections it applies."""

    name: str
    kind: str
    corrections: Mapping[str, str]
    signature: str = ""


def owner(actor: Actor) -> str:
    """Whose profiles an importer uses: its department's, else its region's."""
    return actor.department or actor.region or "console"


def _profile(node: Node) -> Profile:
    return Profile(node.get("name"), node.get("kind"), json.loads(node.get("mapping") or "{}"),
                   node.get("signature") or "")


def save(g: Graph, *, actor: Actor, name: str, kind: str, signature: str,
         corrections: Mapping[str, str]) -> Profile:
    """Save (or replace) the profile `name` of the actor's department."""
    name = (name or "").strip()
    if not name or len(name) > _MAX_NAME:
        raise ValidationError(N_("a mapping profile needs a name of at most %(most)d "
                                 "characters"), most=_MAX_NAME)
    kind_named(kind)
    mine = owner(actor)
    g.upsert_nodes("ImportProfile", [{
        "key": f"{mine}\x1f{name}", "name": name, "owner": mine, "kind": kind,
        "signature": signature, "saved_by": actor.name, "saved_at": datetime.now(UTC),
        "mapping": json.dumps(dict(corrections), ensure_ascii=False, sort_keys=True)}])
    return Profile(name, kind, dict(corrections), signature)


def named(g: Graph, *, actor: Actor, name: str) -> Profile:
    """The actor's department's profile called `name`."""
    node = g.get("ImportProfile", f"{owner(actor)}\x1f{name}")
    if node is None:
        raise NotFound(N_("no mapping profile called %(name)r"), name=name)
    return _profile(node)


def for_headers(g: Graph, *, actor: Actor, signature: str) -> Profile | None:
    """The actor's department's latest profile for ledgers with these headers, if any."""
    page = g.find("ImportProfile", where={"owner": owner(actor), "signature": signature},
                  order_by="saved_at", descending=True, limit=1)
    return _profile(page.items[0]) if page.items else None


def for_sheets(g: Graph, *, actor: Actor, signatures: Mapping[str, str]) -> dict[str, Profile]:
    """The profile saved for each sheet's headers (`signatures`: sheet → signature), where one
    is."""
    found = {sheet: for_headers(g, actor=actor, signature=sig) for sheet, sig in signatures.items()}
    return {sheet: p for sheet, p in found.items() if p is not None}
