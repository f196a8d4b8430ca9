"""Replacing a corrected link: when a re-imported ledger names another unit for an issue.

Some links hold one value per object (an issue concerns one unit, a rectification belongs to
one issue). When a ledger row gives a different value than the graph holds, the old link is
deleted as the new one is written. A blank cell replaces nothing; links that may hold several
values (people named in a clue, departments an issue was found with) are only ever added.
"""

from __future__ import annotations

from collections.abc import Iterable

from collab.graph.store import Direction, Graph
from collab.ledgers.build import Plan

# (type, src label, dst label) → the end that holds one value of it
SINGLE = {("CONCERNS", "Issue", "Unit"): "src", ("FOUND_BY", "Issue", "Group"): "src",
          ("OWNED_BY", "Rectification", "Unit"): "src",
          ("HAS_TASK", "Issue", "Rectification"): "dst",
          ("FROM_ISSUE", "Clue", "Issue"): "src", ("FILED_BY", "Case", "Department"): "src",
          ("BECAME", "Clue", "Case"): "dst", ("PROVIDED", "Department", "Support"): "dst",
          ("FOR", "Support", "Round"): "src", ("IN_REGION", "Unit", "Region"): "src"}
_CHUNK = 1000


def stale_links(g: Graph, plan: Plan, existing_uids: dict[str, set[str]]) -> \
        dict[tuple[str, str, str], list[dict[str, str]]]:
    """The links the plan replaces: per (type, src, dst), rows {src, dst} to delete."""
    out: dict[tuple[str, str, str], list[dict[str, str]]] = {}
    for (type_, src, dst), rows in plan.rels.items():
        side = SINGLE.get((type_, src, dst))
        if side is None:
            continue
        owner_label = src if side == "src" else dst
        wanted = {(s if side == "src" else d): (d if side == "src" else s) for s, d in rows}
        uids = [u for u in existing_uids.get(owner_label, ()) if u]
        stale = []
        for owner, other in _current(g, uids, type_, Direction.OUT if side == "src"
                                     else Direction.IN):
            if owner in wanted and wanted[owner] != other:
                stale.append({"src": owner, "dst": other} if side == "src"
                             else {"src": other, "dst": owner})
        if stale:
            out[(type_, src, dst)] = stale
    return out


def _current(g: Graph, uids: list[str], type_: str,
             direction: Direction) -> Iterable[tuple[str, str]]:
    """(owner key, other key) for each existing link of `type_` from these nodes."""
    for i in range(0, len(uids), _CHUNK):
        chunk = uids[i:i + _CHUNK]
        sub = g.expand(chunk, depth=1, types=[type_], direction=direction,
                       limit=len(chunk) * 10 + 100)
        keys = {n.uid: n.key for n in sub.nodes}
        starts = set(chunk)
        for r in sub.rels:
            owner, other = (r.src, r.dst) if direction is Direction.OUT else (r.dst, r.src)
            if owner in starts:
                yield keys[owner], keys[other]


def replace(g: Graph, stale: dict[tuple[str, str, str], list[dict[str, str]]]) -> int:
    """Delete the stale links; how many."""
    return sum(g.delete_rels(t, rows, src=s, dst=d) for (t, s, d), rows in stale.items())
