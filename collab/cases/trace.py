"""A clue's whole chain, as one structure every view renders (CLI, JSON API, web page).

Forward: round → group → unit → issue → the clue and the people it names → each transfer with
its steps (dates, actors, reasons) → the case, its outcome and funds recovered. Reverse: from a
person or a unit, every clue and case that touches it. Both follow relationships with the
store's `expand`, a handful of hops from one node, never a scan.
"""

from __future__ import annotations

from typing import Any

from collab.cases.lifecycle import history
from collab.errors import N_, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Direction, Graph


def _props(node: Node) -> dict[str, Any]:
    return {k: v for k, v in node.props.items() if k not in ("version", "id_enc", "id_hash")}


def _steps(g: Graph, node: Node) -> list[dict[str, Any]]:
    return [{"on": e.get("on"), "from": e.get("from_status"), "to": e.get("to_status"),
             "kind": e.get("kind"), "actor": e.get("actor"), "reason": e.get("reason")}
            for e in history(g, node.label, node.key)]


def _around(g: Graph, node: Node, types: list[str], direction: Direction = Direction.OUT,
            labels: list[str] | None = None) -> list[Node]:
    """The neighbours of `node` along `types`, in uid order."""
    sub = g.expand([node.uid], depth=1, types=types, labels=labels, direction=direction,
                   limit=1000)
    return [n for n in sub.nodes if n.uid != node.uid]


def _person(node: Node) -> dict[str, Any]:
    """A person as a trace shows them: name and masked ID number only."""
    return {"uid": node.uid, "name": node.get("name"), "id_masked": node.get("id_masked")}


def _case(g: Graph, case: Node) -> dict[str, Any]:
    return {**_props(case),
            "filed_by": [d.get("name") for d in _around(g, case, ["FILED_BY"])],
            "subjects": [_person(p) for p in _around(g, case, ["SUBJECT"])],
            "steps": _steps(g, case)}


def trace(g: Graph, *, clue_no: str) -> dict[str, Any]:
    """The chain of one clue, from the round that found it to the case it became."""
    clue = g.get("Clue", clue_no)
    if clue is None:
        raise NotFound(N_("no clue %(no)r"), no=clue_no)
    issues = []
    for issue in _around(g, clue, ["FROM_ISSUE"]):
        groups = _around(g, issue, ["FOUND_BY"])
        issues.append({
            **_props(issue),
            "units": [_props(u) for u in _around(g, issue, ["CONCERNS"])],
            "groups": [{**_props(grp), "rounds": [_props(r) for r in
                                                  _around(g, grp, ["OF_ROUND"])]}
                       for grp in groups],
            "found_with": [d.get("name") for d in _around(g, issue, ["FOUND_WITH"])]})
    transfers = []
    for t in sorted(_around(g, clue, ["TRANSFERRED"]), key=lambda n: n.key):
        transfers.append({**_props(t), "to": [d.get("name") for d in _around(g, t, ["TO"])],
                          "steps": _steps(g, t)})
    return {"clue": _props(clue), "steps": _steps(g, clue), "issues": issues,
            "against": [_person(p) for p in _around(g, clue, ["AGAINST"])],
            "transfers": transfers,
            "cases": [_case(g, k) for k in _around(g, clue, ["BECAME"])]}


def touching(g: Graph, *, person: str | None = None, unit: str | None = None) -> dict[str, Any]:
    """Every clue and case that touches a person (uid) or a unit (code)."""
    if (person is None) == (unit is None):
        raise ValidationError(N_("name one person (uid) or one unit (code)"))
    if person is not None:
        start = g.get("Person", person)
        if start is None:
            raise NotFound(N_("no person %(uid)r"), uid=person)
        found = _around(g, start, ["AGAINST"], Direction.IN, ["Clue"])
        direct = _around(g, start, ["SUBJECT"], Direction.IN, ["Case"])
        subject = _person(start)
    else:
        start = g.get("Unit", unit or "")
        if start is None:
            raise NotFound(N_("no unit %(code)r"), code=unit)
        issues = _around(g, start, ["CONCERNS"], Direction.IN, ["Issue"])
        found = sorted({c.uid: c for i in issues
                        for c in _around(g, i, ["FROM_ISSUE"], Direction.IN, ["Clue"])}
                       .values(), key=lambda n: n.uid)
        direct = []
        subject = _props(start)
    clue_rows = [{"no": c.key, "title": c.get("title"), "status": c.get("status"),
                  "cases": [k.key for k in _around(g, c, ["BECAME"])]} for c in found]
    from_clues = {k for row in clue_rows for k in row["cases"]}
    cases = sorted({k.key: k for k in direct}.values(), key=lambda n: n.key)
    return {"subject": subject, "clues": sorted(clue_rows, key=lambda r: r["no"]),
            "cases": sorted(from_clues | {k.key for k in cases})}
