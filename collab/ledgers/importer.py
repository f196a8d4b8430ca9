"""Importing a ledger, all or nothing: read and check every row, then write them all or none.

`read_ledger` opens the file and parses every cell (no store needed); `check_ledger` (the dry
run, a read) resolves references and builds the writes; `import_ledger` does the same and, when
nothing is wrong, writes them in the caller's transaction (the `ledger.import` command). Any
problem raises `LedgerRejected` carrying the full report, so the caller's transaction rolls
back and nothing is written.

Rows are matched by the ledger's own numbers (问题编号, 线索编号 …) and people by ID number
(its keyed hash), so importing the same ledger twice changes nothing. Imports record the state a
ledger shows (a clue's status, a rectification's status) as it is; they do not replay the
lifecycle step by step.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from collab.access.actors import Actor
from collab.access.idnumbers import IdKey
from collab.cases import clue_facts
from collab.graph import schema
from collab.graph.store import Graph
from collab.ledgers import relink
from collab.ledgers.build import BUILDERS, Context, Plan, Row
from collab.ledgers.headers import HeaderMatch, locate
from collab.ledgers.kinds import KINDS, ORDER, Kind
from collab.ledgers.kinds import kind as kind_named
from collab.ledgers.report import LedgerRejected, Report
from collab.ledgers.resolve import Resolver
from collab.sheets import values
from collab.sheets.reading import Sheet, Source, UnreadableFile, name_of, read_sheets

_CHUNK = 1000
# Labels whose status moves through a lifecycle (collab.cases.lifecycle) once they exist.
_LIFECYCLES = frozenset({"Clue", "Transfer", "Rectification"})
# A header row names at least two known columns (a notes sheet listing them one per row won't).
_MIN_FIELDS = 2


@dataclass
class Ledger:
    """A file read and parsed: rows per kind, and the report so far."""

    report: Report
    rows: dict[str, list[Row]] = field(default_factory=dict)


def read_ledger(path: Source, *, kind: str | None = None) -> Ledger:
    """Read every sheet of the file (a path, or an upload in memory), find its kind and
    header, parse every cell."""
    wanted = [kind_named(kind)] if kind else [KINDS[k] for k in ORDER]
    ledger = Ledger(Report(file=name_of(path)))
    try:
        sheets = read_sheets(path)
    except UnreadableFile as e:
        ledger.report.problem("", 0, "", name_of(path), e.zh, e.en)
        return ledger
    for sheet in sheets:
        found = _detect(sheet, wanted)
        if found is None:
            ledger.report.ignored_sheets.append(sheet.name)
            continue
        _parse_sheet(ledger, sheet, *found)
    if not ledger.report.problems and not any(ledger.rows.values()):
        ledger.report.problem("", 0, "", None, "没有可导入的数据行（或未找到台账表头）",
                              "no data rows to import (or no ledger header found)")
    return ledger


def _detect(sheet: Sheet, kinds: list[Kind]) -> tuple[Kind, HeaderMatch] | None:
    """The kind whose headers the sheet matches best (all required columns first)."""
    best, best_score = None, (False, 0)
    for k in kinds:
        match = locate(sheet.rows, k.aliases())
        if match is None or len(match.fields) < _MIN_FIELDS:
            continue
        score = (all(c.field in match.fields.values() for c in k.required), len(match.fields))
        if score > best_score:
            best, best_score = (k, match), score
    return best


def _parse_sheet(ledger: Ledger, sheet: Sheet, kind: Kind, match: HeaderMatch) -> None:
    report = ledger.report
    report.ignored_columns += [(sheet.name, h) for h in match.ignored]
    missing = [c for c in kind.required if c.field not in match.fields.values()]
    for c in missing:
        report.problem(sheet.name, match.row, c.zh, None, "缺少必填列",
                       "a required column is missing")
    if missing:
        return
    headers = {f: match.headers[col] for col, f in match.fields.items()}
    seen: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    rows = ledger.rows.setdefault(kind.name, [])
    for number, cells in sheet.rows[match.index + 1:]:
        raw = {f: cells[col] if col < len(cells) else None for col, f in match.fields.items()}
        if all(values.clean(x) is None for x in raw.values()):
            continue
        parsed = _parse_row(report, sheet.name, number, kind, raw, headers)
        if parsed is None:
            continue
        row_key = tuple(parsed.get(f) for f in kind.row_key)
        if row_key in seen:
            first, earlier = seen[row_key]
            if earlier == parsed:
                report.duplicate_rows.append((sheet.name, number))
            else:
                report.problem(sheet.name, number, headers[kind.row_key[0]], row_key[0],
                               f"与第{first}行编号相同但内容不同",
                               f"same number as row {first} with different content")
            continue
        seen[row_key] = (number, parsed)
        rows.append(Row(sheet.name, number, parsed, headers))


def _parse_row(report: Report, sheet: str, number: int, kind: Kind, raw: dict[str, Any],
               headers: dict[str, str]) -> dict[str, Any] | None:
    parsed: dict[str, Any] = {}
    ok = True
    for f, value in raw.items():
        column = kind.column(f)
        try:
            parsed[f] = column.parse(value)
        except values.BadValue as e:
            report.problem(sheet, number, headers[f], value, e.zh, e.en)
            ok = False
            continue
        if parsed[f] is None and column.required:
            report.problem(sheet, number, headers[f], None, "必填项为空",
                           "a required cell is empty")
            ok = False
    return parsed if ok else None


def check_ledger(g: Graph, *, actor: Actor, ledger: Ledger, key: IdKey) -> Report:
    """The dry run: every row checked against the graph, nothing written; the report of what
    an import would do. Raises LedgerRejected with the full report when anything is wrong."""
    return _prepare(g, actor=actor, ledger=ledger, key=key, dry_run=True)[0]


def import_ledger(g: Graph, *, actor: Actor, ledger: Ledger, key: IdKey) -> Report:
    """Check every row against the graph, then write them all; the report.

    Raises LedgerRejected with the full report when anything is wrong; write nothing then.
    """
    report, plan, stale = _prepare(g, actor=actor, ledger=ledger, key=key, dry_run=False)
    relink.replace(g, stale)
    plan.write(g)
    # a case moved to another clue: the clue it left has one case fewer
    clue_facts.refresh(g, [r["src"] for r in stale.get(("BECAME", "Clue", "Case"), [])])
    return report


def _prepare(g: Graph, *, actor: Actor, ledger: Ledger, key: IdKey, dry_run: bool
             ) -> tuple[Report, Plan, dict[tuple[str, str, str], list[dict[str, str]]]]:
    """The report, the plan of what to write and the links it replaces (nothing written)."""
    report = copy.deepcopy(ledger.report)
    report.dry_run = dry_run
    plan, resolver = Plan(), Resolver(g)
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
        ctx = Context(plan, resolver, report, key, actor, kind)
        for row in rows:
            BUILDERS[name](ctx, row)
        for label, nodes in plan.nodes.items():
            for node_key, props in nodes.items():
                resolver.add(label, node_key, props)
        report.rows[name] = len(rows)
    if report.problems:
        raise LedgerRejected(report)
    labels = {KINDS[n].label for n in report.rows} | (_LIFECYCLES & set(plan.nodes))
    existing = {label: _existing(g, label, list(plan.nodes.get(label, {}))) for label in labels}
    _keep_lifecycle_status(report, plan, existing)
    for name in report.rows:
        label = KINDS[name].label
        _count_changes(report, name, plan.nodes.get(label, {}), existing[label])
    stale = relink.stale_links(g, plan, {label: {props["uid"] for props in found.values()}
                                         for label, found in existing.items()})
    report.relinked = sum(len(rows) for rows in stale.values())
    return report, plan, stale


def _existing(g: Graph, label: str, keys: list[str]) -> dict[str, dict[str, Any]]:
    """The stored properties (and uid) of the nodes of `label` with these keys."""
    node = schema.label(label)
    if node.key == "uid":
        found = (g.get(label, k) for k in keys)
        return {n.uid: {**n.props, "uid": n.uid} for n in found if n is not None}
    out = {}
    for i in range(0, len(keys), _CHUNK):
        page = g.find(label, where={node.key: keys[i:i + _CHUNK]}, limit=_CHUNK)
        out.update({n.key: {**n.props, "uid": n.uid} for n in page.items})
    return out


def _keep_lifecycle_status(report: Report, plan: Plan,
                           existing: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Leave alone the status of objects collab's lifecycle has moved (they carry status_on).

    A ledger is a snapshot that may be older than the steps recorded since; the lifecycle (with
    its events) stays the authority, and the report lists each status the ledger disagreed on.
    """
    for label in sorted(_LIFECYCLES & set(plan.nodes)):
        for node_key, props in plan.nodes[label].items():
            old = existing[label].get(node_key)
            if old is None or old.get("status_on") is None or "status" not in props:
                continue
            given = props.pop("status")
            if given != old.get("status"):
                report.kept_status.append((label, node_key, given, old.get("status")))


def _count_changes(report: Report, name: str, planned: dict[str, dict[str, Any]],
                   existing: dict[str, dict[str, Any]]) -> None:
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
