"""The conversion figures' shortcut, kept on each Clue in the transaction of every write.

The conversion rate (成案率) needs, for every clue of a scope, its first live transfer, that
transfer's department and the case it became: walked as Clue→Transfer→Department and Clue→Case,
that is several hops for each of a province's tens of thousands of clues whenever a table is
drawn. Most clues have one transfer, never returned, and at most one case, filed by that
transfer's department. For those, the answer as of any date follows from six properties of the
clue itself (`SOLE`), which the figure queries read from one label through an index.

A clue with anything else (several transfers, a returned one, a case filed by another
department, or links written around this module) has no `sole_*` properties, and the figure
queries walk it exactly as before: so every as-of answer stays exact, and a missing shortcut
only costs speed. Who keeps it: the clue services after each step (`clues.py`), `Plan.write`
for the clues a ledger import, the seeds or the scale generator touch, and `refresh_all` (the
CLI's `fill-clue-facts`) for a graph written before the shortcut existed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from collab.graph.codec import Node
from collab.graph.queries import clue_facts as q
from collab.graph.store import Graph

SOLE = ("sole_transfer_at", "sole_transfer_dept", "sole_transfer_closed",
        "sole_transfer_closed_on", "sole_case_no", "sole_case_filed_on")
_CHUNK = 500


def facts_of(transfers: Sequence[Mapping[str, Any]],
             cases: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The `SOLE` properties of a clue with these transfer and case rows (one row per linked
    department); all None unless it has exactly one live transfer to one department and no case
    except one filed by that department alone."""
    none = dict.fromkeys(SOLE)
    if len(transfers) != 1 or len(cases) > 1:
        return none
    [t] = transfers
    if t["at"] is None or t["dept"] is None or t["status"] == "returned":
        return none
    case = cases[0] if cases else {}
    if case and case["dept"] != t["dept"]:
        return none
    closed = t["status"] == "closed"
    return {"sole_transfer_at": _day(t["at"]), "sole_transfer_dept": t["dept"],
            "sole_transfer_closed": closed,
            "sole_transfer_closed_on": _day(t["status_on"]) if closed else None,
            "sole_case_no": case.get("no"), "sole_case_filed_on": _day(case.get("filed_on"))}


def _day(value: date | str | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def refresh(g: Graph, clue_nos: Iterable[str], *, read: Sequence[Node] = ()) -> int:
    """Recompute the shortcut of these clues (unknown numbers are skipped); how many changed.

    `read`: clue nodes the caller holds as they stand in this transaction (not read again).
    """
    nos = sorted(set(clue_nos))
    held = {n.key: n for n in read}
    changed = 0
    for i in range(0, len(nos), _CHUNK):
        chunk = nos[i:i + _CHUNK]
        clues = [held[no] for no in chunk] if all(no in held for no in chunk) else \
            g.find("Clue", where={"no": chunk}, limit=len(chunk)).items
        transfers, cases = _by_clue(g.run(q.TRANSFERS, nos=chunk)), \
            _by_clue(g.run(q.CASES, nos=chunk))
        rows = []
        for clue in clues:
            facts = facts_of(transfers[clue.key], cases[clue.key])
            if any(clue.get(k) != v for k, v in facts.items()):
                rows.append({"no": clue.key, **facts})
        changed += g.upsert_nodes("Clue", rows)
    return changed


def refresh_around(g: Graph, *, clues: Iterable[str] = (), transfers: Iterable[str] = (),
                   cases: Iterable[str] = ()) -> int:
    """Recompute the shortcut of these clues and of the clues behind these transfers and
    cases (what a batch write touched); how many changed."""
    rows = g.run(q.CLUES_OF, transfers=sorted(set(transfers)), cases=sorted(set(cases)))
    return refresh(g, [*clues, *(r["clue_no"] for r in rows)])


def refresh_all(g: Graph) -> int:
    """Recompute the shortcut of every clue, a page at a time; how many changed."""
    return sum(refresh(g, (n.key for n in page), read=page)
               for page in g.pages("Clue", size=_CHUNK))


def _by_clue(rows: list[dict[str, Any]]) -> defaultdict[str, list[dict[str, Any]]]:
    out: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        out[row.pop("clue_no")].append(row)
    return out
