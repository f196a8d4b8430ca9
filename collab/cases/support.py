"""The collaboration record (协作记录): support acts by departments, recorded and counted.

A support act is one Support node `(Department)-[:PROVIDED]->(Support)`, optionally
`-[:FOR]->(Round)`. Its region is the one given, else its round's, else its department's, so
counts per region follow where the work was done. Its optional `category` (an issue category)
lets proposals learn which departments know which kinds of problem. Counts run in the engine
and feed the collaborator-contribution figure.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from collab.access import regions
from collab.access.actors import Actor
from collab.errors import N_, ConflictError, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.queries.support import SUPPORT_COUNTS
from collab.graph.store import Graph

KINDS = {"briefing": "巡前通报", "secondment": "选派专业人员", "consultation": "问题会商评估",
         "evaluation": "整改评估", "joint_check": "联合检查"}


def record(g: Graph, *, actor: Actor, no: str, department: str, kind: str, on: date,
           round_code: str | None = None, region_code: str | None = None,
           category: str | None = None, title: str | None = None) -> Node:
    """Record one support act of `department` (who recorded it goes in the note)."""
    if kind not in KINDS:
        raise ValidationError(N_("unknown support kind %(kind)r; known: %(kinds)s"), kind=kind,
                              kinds=", ".join(f"{k} ({v})" for k, v in KINDS.items()))
    if g.get("Support", no) is not None:
        raise ConflictError(N_("support act %(no)s is already recorded"), no=no)
    dept = g.get("Department", department)
    if dept is None:
        raise NotFound(N_("no department %(code)r"), code=department)
    round_node = g.get("Round", round_code) if round_code else None
    if round_code and round_node is None:
        raise NotFound(N_("no round %(code)r"), code=round_code)
    region = region_code or (round_node.get("region_code") if round_node else None) \
        or dept.get("region_code")
    g.upsert_nodes("Support", [{"no": no, "kind": kind, "on": on, "region_code": region,
                                "category": category, "note": f"记录人: {actor.name}",
                                "title": title or f"{dept.get('name')}{KINDS[kind]}"}])
    g.upsert_rels("PROVIDED", [{"src": department, "dst": no}], src="Department",
                  dst="Support")
    if round_code:
        g.upsert_rels("FOR", [{"src": no, "dst": round_code}], src="Support", dst="Round")
    node = g.get("Support", no)
    assert node is not None
    return node


def counts(g: Graph, *, region: str | None = None, round_code: str | None = None,
           start: date | None = None, end: date | None = None) -> list[dict[str, Any]]:
    """Support acts per department and kind in a region subtree, round and period."""
    return g.run(SUPPORT_COUNTS, prefix=regions.subtree_prefix(region) if region else "",
                 round=round_code or "", start=start or date.min, end=end or date.max)


def totals(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Acts per kind across departments, from the rows of `counts`."""
    out: dict[str, int] = {}
    for row in rows:
        out[row["kind"]] = out.get(row["kind"], 0) + row["n"]
    return out
