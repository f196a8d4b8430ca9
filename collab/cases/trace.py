"""A clue's whole chain, as one structure every view renders (CLI, JSON API, web page).

Forward: round → group → unit → issue (or the supervision model's hit it was registered from,
with the runs that found it) → the clue and the people it names → each transfer with its steps
(dates, actors, reasons) → the case, its outcome and funds recovered. Reverse: from a person or
a unit, every clue and case that touches it. Both are one read of the store (`Graph.follow`: a
statement per engine), a few levels from one node, never a scan.
"""

from __future__ import annotations

from typing import Any

from collab.access import authz as access
from collab.access.authz import Authz, Role
from collab.access.idnumbers import redact
from collab.errors import N_, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Graph, Level, Subgraph


def _props(node: Node) -> dict[str, Any]:
    return {k: v for k, v in node.props.items() if k not in ("version", "id_enc", "id_hash")}


def _steps(events: list[Node]) -> list[dict[str, Any]]:
    """Lifecycle events as steps, oldest first (by business date, then recording time), the
    order `lifecycle.history` gives."""
    return [{"on": e.get("on"), "from": e.get("from_status"), "to": e.get("to_status"),
             "kind": e.get("kind"), "actor": e.get("actor"), "reason": e.get("reason")}
            for e in sorted(events, key=lambda e: (e.get("on"), e.get("at")))]


# The chain of a clue, level by level: what the clue links to (and its lifecycle events); the
# groups, units, departments and subjects of those (and their events), the runs that found a
# hit; the groups' rounds.
_EVENTS = "EVENT_OF"
CHAIN = (Level(out=("FROM_ISSUE", "TRANSFERRED", "AGAINST", "BECAME", "FROM_HIT"),
               into=(_EVENTS,)),
         Level(out=("FOUND_BY", "CONCERNS", "FOUND_WITH", "TO", "FILED_BY", "SUBJECT",
                    "FOUND_IN"), into=(_EVENTS,)),
         Level(out=("OF_ROUND",)))
# From a person: the clues against them and the cases they are the subject of, then the cases
# those clues became; from a unit: the issues about it, their clues, those clues' cases.
FROM_PERSON = (Level(into=("AGAINST", "SUBJECT")), Level(out=("BECAME",)))
FROM_UNIT = (Level(into=("CONCERNS",)), Level(into=("FROM_ISSUE",)), Level(out=("BECAME",)))

Links = dict[str, dict[str, list[Node]]]


def _links(sub: Subgraph) -> Links:
    """For each node of a follow: its neighbours along each type (outgoing) and its lifecycle
    events (`EVENT_OF`, incoming), each list in uid order."""
    found = {n.uid: n for n in sub.nodes}
    out: Links = {uid: {} for uid in found}
    for rel in sub.rels:
        if rel.type == _EVENTS:
            out[rel.dst].setdefault(_EVENTS, []).append(found[rel.src])
        else:
            out[rel.src].setdefault(rel.type, []).append(found[rel.dst])
    for lists in out.values():
        for kind in lists:
            lists[kind].sort(key=lambda n: n.uid)
    return out


def _person(node: Node) -> dict[str, Any]:
    """A person as a trace shows them: name and masked ID number only."""
    return {"uid": node.uid, "name": node.get("name"), "id_masked": node.get("id_masked")}


def trace(g: Graph, *, clue_no: str) -> dict[str, Any]:
    """The chain of one clue, from the round that found it to the case it became (one read)."""
    sub = g.follow("Clue", clue_no, CHAIN)
    if sub is None:
        raise NotFound(N_("no clue %(no)r"), no=clue_no)
    clue, links = sub.nodes[0], _links(sub)

    def of(node: Node, kind: str) -> list[Node]:
        return links[node.uid].get(kind, [])

    return {
        "clue": _props(clue), "steps": _steps(of(clue, _EVENTS)),
        "issues": [{**_props(i),
                    "units": [_props(u) for u in of(i, "CONCERNS")],
                    "groups": [{**_props(grp), "rounds": [_props(r) for r in of(grp, "OF_ROUND")]}
                               for grp in of(i, "FOUND_BY")],
                    "found_with": [d.get("name") for d in of(i, "FOUND_WITH")]}
                   for i in of(clue, "FROM_ISSUE")],
        "against": [_person(p) for p in of(clue, "AGAINST")],
        "hits": [{**_props(h), "runs": [_props(r) for r in sorted(
                      of(h, "FOUND_IN"), key=lambda r: r.get("started_at"))]}
                 for h in of(clue, "FROM_HIT")],
        "transfers": [{**_props(t), "to": [d.get("name") for d in of(t, "TO")],
                       "steps": _steps(of(t, _EVENTS))}
                      for t in sorted(of(clue, "TRANSFERRED"), key=lambda n: n.key)],
        "cases": [{**_props(k), "filed_by": [d.get("name") for d in of(k, "FILED_BY")],
                   "subjects": [_person(p) for p in of(k, "SUBJECT")],
                   "steps": _steps(of(k, _EVENTS))} for k in of(clue, "BECAME")]}


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
        sub = g.follow("Person", person, FROM_PERSON)
        if sub is None:
            raise NotFound(N_("no person %(uid)r"), uid=person)
    else:
        sub = g.follow("Unit", unit or "", FROM_UNIT)
        if sub is None:
            raise NotFound(N_("no unit %(code)r"), code=unit)
    start, links = sub.nodes[0], _links(sub)
    clues = [n for n in sub.nodes if n.label == "Clue"]
    clue_rows = [{"no": c.key, "title": c.get("title"), "status": c.get("status"),
                  "cases": [k.key for k in links[c.uid].get("BECAME", [])]} for c in clues]
    direct = {r.src for r in sub.rels if r.type == "SUBJECT" and r.dst == start.uid}
    cases = {n.key for n in sub.nodes if n.uid in direct}
    return {"subject": _person(start) if person is not None else _props(start),
            "clues": sorted(clue_rows, key=lambda r: r["no"]),
            "cases": sorted({k for row in clue_rows for k in row["cases"]} | cases)}
