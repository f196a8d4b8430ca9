"""What a ledger may change: only records in the importer's reach, never their region or state.

A ledger row matches existing records by their numbers. Before anything is written (in the dry
run and again at the confirm, which runs the same check on the graph as it is then) every
record the plan would change is looked at as it is stored:
- one the importer may not see is refused as not found, in the same words as a number that
  names nothing, so a ledger can neither capture nor probe another jurisdiction's records;
- its region is never changed by a ledger (a person's is kept: people are named in rows of
  many places), and
- its lifecycle state is kept (states change only through the lifecycle services); the report
  lists each state the ledger disagreed on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from collab.graph import schema
from collab.graph.codec import Node
from collab.graph.store import Graph
from collab.ledgers.build import Plan
from collab.ledgers.report import NOT_FOUND, Report

# Labels whose status moves through a lifecycle (collab.cases) once they exist.
LIFECYCLES = frozenset({"Clue", "Transfer", "Rectification", "JointCheck"})
# Labels whose region a row states for them; a person's follows the rows that name them.
_KEEP_REGION = frozenset({"Person"})
_CHUNK = 1000


def existing(g: Graph, label: str, keys: list[str]) -> dict[str, Node]:
    """The stored nodes of `label` with these keys."""
    node = schema.label(label)
    if node.key == "uid":
        found = (g.get(label, k) for k in keys)
        return {n.uid: n for n in found if n is not None}
    out = {}
    for i in range(0, len(keys), _CHUNK):
        page = g.find(label, where={node.key: keys[i:i + _CHUNK]}, limit=_CHUNK)
        out.update({n.key: n for n in page.items})
    return out


def check(g: Graph, plan: Plan, report: Report,
          visible: Callable[[Node], bool]) -> dict[str, dict[str, Node]]:
    """Refuse (as problems on the report) what the plan may not change; keep regions of people
    and every stored lifecycle state. The stored nodes by label and key."""
    stored = {label: existing(g, label, list(rows)) for label, rows in plan.nodes.items()}
    for label, rows in plan.nodes.items():
        for key, props in rows.items():
            old = stored[label].get(key)
            if old is not None:
                _one(plan, report, label, key, props, old, visible(old))
    return stored


def _one(plan: Plan, report: Report, label: str, key: str, props: dict[str, Any], old: Node,
         seen: bool) -> None:
    if not seen:
        _problem(plan, report, label, key, *NOT_FOUND)
        return
    region = "code" if label == "Region" else "region_code"
    if props.get(region) not in (None, old.get(region)):
        if label in _KEEP_REGION:
            props.pop(region)
        else:
            _problem(plan, report, label, key,
                     f"台账不能更改已有记录的所属区划（该记录属于 {old.get(region)}）",
                     f"a ledger does not move an existing record to another region "
                     f"(this one is in {old.get(region)})")
    if label in LIFECYCLES and "status" in props:
        given = props.pop("status")
        if given != old.get("status"):
            report.kept_status.append((label, key, given, old.get("status")))


def _problem(plan: Plan, report: Report, label: str, key: str, zh: str, en: str) -> None:
    source = plan.sources.get((label, key))
    if source is None:
        report.problem("", 0, label, key, zh, en)
        return
    row, field = source
    report.problem(row.sheet, row.number, row.headers.get(field, field), row.get(field), zh, en,
                   row.columns.get(field, -1))
