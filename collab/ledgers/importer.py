"""Importing a ledger, all or nothing: read and check every row, then write them all or none.

`read_ledger` (`collab.ledgers.reader`) opens the file, maps and parses every cell (no store
needed); `check_ledger` (the dry run, a read) resolves references and builds the writes;
`import_ledger` does the same and, when nothing is wrong, writes them in the caller's
transaction (the `ledger.import` command). Any problem raises `LedgerRejected` carrying the
full report, so the caller's transaction rolls back and nothing is written.

Rows are matched by the ledger's own numbers (问题编号, 线索编号 …) and people by ID number
(its keyed hash), so importing the same ledger twice changes nothing. Imports record the state a
ledger shows (a clue's status, a rectification's status) as it is; they do not replay the
lifecycle step by step.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.access.idnumbers import IdKey
from collab.cases import clue_facts
from collab.graph.codec import Node
from collab.graph.store import Graph
from collab.ledgers import guard, relink
from collab.ledgers.build import BUILDERS, Context, Plan
from collab.ledgers.kinds import KINDS, ORDER
from collab.ledgers.reader import Ledger, read_ledger
from collab.ledgers.report import LedgerRejected, Report
from collab.ledgers.resolve import Resolver

__all__ = ["check_ledger", "import_ledger", "read_ledger", "Ledger", "Progress"]


Progress = Callable[[str, int, int], None]
_STEP = 1000


def quiet(stage: str, done: int, total: int) -> None:
    """No progress shown."""


def check_ledger(g: Graph, *, actor: Actor, ledger: Ledger, key: IdKey,
                 create_missing: bool = False, expected: Sequence[tuple[str, str, str]] | None
                 = None, progress: Progress = quiet) -> Report:
    """The dry run, a read: every row checked against the graph, nothing written; the report
    of what an import would do. Raises LedgerRejected with the full report when anything is
    wrong. (Arguments as for `import_ledger`.)"""
    return _prepare(g, actor=actor, ledger=ledger, key=key, dry_run=True,
                    create_missing=create_missing, expected=expected, progress=progress)[0]


def import_ledger(g: Graph, *, actor: Actor, ledger: Ledger, key: IdKey,
                  create_missing: bool = False,
                  expected: Sequence[tuple[str, str, str]] | None = None,
                  progress: Progress = quiet) -> Report:
    """Check every row against the graph, then write them all; the report.

    References resolve, and rows match records, only within what `actor` may see
    (`collab.ledgers.guard`). Raises LedgerRejected with the full report when anything is
    wrong; write nothing then. Units the rows name but the graph lacks are proposed
    (`report.proposed`) and created only with `create_missing`; `expected` (what the user saw
    in the dry run) refuses a confirm that would create anything else. `progress(stage, done,
    total)` hears where a long import is: rows checked ("check"), then labels written ("write").
    """
    report, plan, stale = _prepare(g, actor=actor, ledger=ledger, key=key, dry_run=False,
                                   create_missing=create_missing, expected=expected,
                                   progress=progress)
    relink.replace(g, stale)
    plan.write(g, progress=lambda done, total: progress("write", done, total))
    # a case moved to another clue: the clue it left has one case fewer
    clue_facts.refresh(g, [r["src"] for r in stale.get(("BECAME", "Clue", "Case"), [])])
    return report


def _prepare(g: Graph, *, actor: Actor, ledger: Ledger, key: IdKey, dry_run: bool,
             create_missing: bool, expected: Sequence[tuple[str, str, str]] | None,
             progress: Progress
             ) -> tuple[Report, Plan, dict[tuple[str, str, str], list[dict[str, str]]]]:
    """The report, the plan of what to write and the links it replaces (nothing written)."""
    report = copy.deepcopy(ledger.report)
    report.dry_run = dry_run
    authz = Authz(actor)
    visible = partial(authz.sees, g)
    plan, resolver = Plan(), Resolver(g, visible, actor.region)
    total, done = sum(len(rows) for rows in ledger.rows.values()), 0
    for name in ORDER:
        rows = ledger.rows.get(name) or []
        if not rows:
            continue
        kind = KINDS[name]
        for column in kind.columns:
            for label in column.ref:
                resolver.prefetch(label, (r.get(column.field) for r in rows))
        if name == "clues":
            resolver.prefetch_transfers(r.get("no") for r in rows)
        ctx = Context(plan, resolver, report, key, actor, kind, create_missing)
        for row in rows:
            BUILDERS[name](ctx, row)
            done += 1
            if done % _STEP == 0 or done == total:
                progress("check", done, total)
        for label, nodes in plan.nodes.items():
            for node_key, props in nodes.items():
                resolver.add(label, node_key, props)
        report.rows[name] = len(rows)
    stored = guard.check(g, plan, report, visible)
    if expected is not None and sorted(report.proposed) != sorted(expected):
        report.problem("", 0, "", None, "要新建的单位与试运行时显示的不同，请重新试运行",
                       "the units to create differ from those the dry run showed: check again")
    if report.problems:
        raise LedgerRejected(report)
    for name in report.rows:
        label = KINDS[name].label
        _count_changes(report, name, plan.nodes.get(label, {}), stored.get(label, {}))
    own = {KINDS[n].label for n in report.rows}
    report.also_created = {label: n for label, rows in plan.nodes.items() if label not in own
                           and (n := sum(1 for k in rows if k not in stored.get(label, {})))}
    stale = relink.stale_links(g, plan, {label: {n.uid for n in found.values()}
                                         for label, found in stored.items()})
    report.relinked = sum(len(rows) for rows in stale.values())
    return report, plan, stale


def _count_changes(report: Report, name: str, planned: dict[str, dict[str, Any]],
                   existing: dict[str, Node]) -> None:
    created = updated = 0
    for node_key, props in planned.items():
        old = existing.get(node_key)
        if old is None:
            created += 1
        elif any(old.get(k) != v for k, v in props.items() if k != "uid"):
            updated += 1
    report.created[name] = created
    report.updated[name] = updated
    report.unchanged[name] = len(planned) - created - updated
