"""Registering an issue (问题) an inspection found: on a unit, by a group of a round."""

from __future__ import annotations

from datetime import date

from collab.access.actors import Actor
from collab.cases.lifecycle import record_event
from collab.errors import N_, ConflictError, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Graph

SOURCE = "巡察发现"


def register(g: Graph, *, actor: Actor, no: str, title: str, found_on: date, unit: Node,
             group: Node | None = None, category: str | None = None,
             description: str | None = None, masses_problem: bool = False) -> Node:
    """Register issue `no` on `unit` (found by `group`, when given); the new Issue node.
    Its region is the unit's, so it is seen by whoever sees the unit."""
    no, title = no.strip(), title.strip()
    if not no or not title:
        raise ValidationError(N_("an issue needs a number and a title"))
    if g.get("Issue", no) is not None:
        raise ConflictError(N_("issue %(no)s is already registered"), no=no)
    g.upsert_nodes("Issue", [{"no": no, "title": title, "found_on": found_on,
                              "region_code": unit.get("region_code"), "source": SOURCE,
                              "category": category or None, "description": description or None,
                              "masses_problem": masses_problem}])
    g.upsert_rels("CONCERNS", [{"src": no, "dst": unit.key}], src="Issue", dst="Unit")
    if group is not None:
        g.upsert_rels("FOUND_BY", [{"src": no, "dst": group.key}], src="Issue", dst="Group")
    record_event(g, label="Issue", key=no, actor=actor, on=found_on, kind="created",
                 reason=group.get("name") if group is not None else "")
    found = g.get("Issue", no)
    if found is None:  # pragma: no cover - written just above, in this transaction
        raise NotFound(N_("no issue %(no)r"), no=no)
    return found
