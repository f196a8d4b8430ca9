"""A clue's whole chain, as one structure every view renders (CLI, JSON API, web page).

Forward: round → group → unit → issue (or the supervision model's hit it was registered from,
with the runs that found it) → the clue and the people it names → each transfer with its steps
(dates, actors, reasons) → the case, its outcome and funds recovered. Reverse: from a
person or a unit, every clue and case that touches it. Both follow relationships with the
store's `expand`, a handful of hops from one node, never a scan.
"""

from __future__ import annotations

from typing import Any

from collab.access import authz as access
from collab.access.authz import Authz, Role
from collab.access.idnumbers import redact
from collab.errors import N_, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Direction, Graph


def _props(node: Node) -> dict[str, Any]:
    return {k: v for k, v in node.props.items() if k not in ("version", "id_enc", "id_hash")}


def _steps(events: list[Node]) -> list[dict[str, Any]]:
    """Lifecycle events as steps, oldest first (by business date, then recording time), the
    order `lifecycle.history` gives."""
    return [{"on": e.get("on"), "from": e.get("from_status"), "to": e.get("to_status"),
             "kind": e.get("kind"), "actor": e.get("actor"), "reason": e.get("reason")}
            for e in sorted(events, key=lambda e: (e.get("on"), e.get("at")))]


def _around(g: Graph, node: Node, types: list[str], direction: Direction = Direction.OUT,
            labels: list[str] | None = None) -> list[Node]:
    """The neighbours of `node` along `types`, in uid order."""
    sub = g.expand([node.uid], depth=1, types=types, labels=labels, direction=direction,
                   limit=1000)
    return [n for n in sub.nodes if n.uid != node.uid]


Level = dict[str, dict[str, list[Node]]]


def _level(g: Graph, nodes: list[Node], types: list[str]) -> Level:
    """For each of `nodes`: its neighbours along each of `types` (outgoing) and its lifecycle
    events (`EVENT_OF`, incoming), each list in uid order — one expansion for them all, so a
    trace costs a round trip per level of the chain, not one per neighbour asked about."""
    out: Level = {n.uid: {t: [] for t in [*types, _EVENTS]} for n in nodes}
    if not nodes:
        return out
    sub = g.expand([n.uid for n in nodes], depth=1, types=[*types, _EVENTS],
                   direction=Direction.BOTH, limit=_PER_NODE * len(nodes))
    found = {n.uid: n for n in sub.nodes}
    for rel in sub.rels:
        if rel.type == _EVENTS and rel.dst in out:
            out[rel.dst][_EVENTS].append(found[rel.src])
        elif rel.type != _EVENTS and rel.src in out:
            out[rel.src][rel.type].append(found[rel.dst])
    for lists in out.values():
        for kind in lists:
            lists[kind].sort(key=lambda n: n.uid)
    return out


_EVENTS = "EVENT_OF"
_PER_NODE = 1000


def _person(node: Node) -> dict[str, Any]:
    """A person as a trace shows them: name and masked ID number only."""
    return {"uid": node.uid, "name": node.get("name"), "id_masked": node.get("id_masked")}


def trace(g: Graph, *, clue_no: str) -> dict[str, Any]:
    """The chain of one clue, from the round that found it to the case it became."""
    clue = g.get("Clue", clue_no)
    if clue is None:
        raise NotFound(N_("no clue %(no)r"), no=clue_no)
    first = _level(g, [clue], ["FROM_ISSUE", "TRANSFERRED", "AGAINST", "BECAME",
                               "FROM_HIT"])[clue.uid]
    issues, transfers, cases = first["FROM_ISSUE"], first["TRANSFERRED"], first["BECAME"]
    hits = first["FROM_HIT"]
    second = _level(g, [*issues, *transfers, *cases, *hits],
                    ["FOUND_BY", "CONCERNS", "FOUND_WITH", "TO", "FILED_BY", "SUBJECT",
                     "FOUND_IN"])
    groups = [grp for i in issues for grp in second[i.uid]["FOUND_BY"]]
    third = _level(g, list({grp.uid: grp for grp in groups}.values()), ["OF_ROUND"])
    return {
        "clue": _props(clue), "steps": _steps(first[_EVENTS]),
        "issues": [{**_props(i),
                    "units": [_props(u) for u in second[i.uid]["CONCERNS"]],
                    "groups": [{**_props(grp), "rounds": [_props(r) for r in
                                                          third[grp.uid]["OF_ROUND"]]}
                               for grp in second[i.uid]["FOUND_BY"]],
                    "found_with": [d.get("name") for d in second[i.uid]["FOUND_WITH"]]}
                   for i in issues],
        "against": [_person(p) for p in first["AGAINST"]],
        "hits": [{**_props(h), "runs": [_props(r) for r in sorted(
                      second[h.uid]["FOUND_IN"], key=lambda r: r.get("started_at"))]}
                 for h in hits],
        "transfers": [{**_props(t), "to": [d.get("name") for d in second[t.uid]["TO"]],
                       "steps": _steps(second[t.uid][_EVENTS])}
                      for t in sorted(transfers, key=lambda n: n.key)],
        "cases": [{**_props(k), "filed_by": [d.get("name") for d in second[k.uid]["FILED_BY"]],
                   "subjects": [_person(p) for p in second[k.uid]["SUBJECT"]],
                   "steps": _steps(second[k.uid][_EVENTS])} for k in cases]}


def visible(g: Graph, *, authz: Authz, clue_no: str) -> dict[str, Any]:
    """The trace of a clue within the actor's reach, cut down to what it may see: a liaison
    sees its own department's transfers and cases only; ID numbers masked throughout."""
    access.get(g, authz=authz, label="Clue", key=clue_no)
    chain = trace(g, clue_no=clue_no)
    if authz.role == Role.LIAISON:
        own_cases = set(access.own_keys(g, authz=authz, label="Case"))
        chain["transfers"] = [t for t in chain["transfers"]
                              if t.get("department_code") == authz.actor.department]
        chain["cases"] = [c for c in chain["cases"] if c.get("no") in own_cases]
    masked: dict[str, Any] = _masked(chain)
    return masked


def _masked(value: Any) -> Any:
    """Every string in a nested structure with its ID numbers masked."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


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
