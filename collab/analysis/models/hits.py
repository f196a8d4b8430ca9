"""Hits (疑点) as people see and decide them: list, detail, evidence, triage.

A hit is visible to a reader who may view the models' work, within the reader's region, and
only when the reader may use every data set it rests on; anything else is NotFound, and lists
and counts leave it out. Triage is a lifecycle: 待研判 (pending) → 已核实 (confirmed: a clue is
registered from it, linked FROM_HIT, and goes on through the usual transfer → case flow) or
已排除 (dismissed, with the reason). Each decision is an Event (when, who, why).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from collab.access.authz import Authz, Perm
from collab.access.regions import subtree_prefix
from collab.analysis import datasets, explore
from collab.analysis.models import model
from collab.analysis.models.declare import MAX_EVIDENCE
from collab.cases import clues
from collab.cases.lifecycle import Lifecycle, history, moves, transition
from collab.errors import N_, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.queries import model_hits as q
from collab.graph.store import Cond, Direction, Graph, Op

LIFECYCLE = Lifecycle("ModelHit", "pending",
                      moves({"pending": "confirmed dismissed", "confirmed": "", "dismissed": ""}))
CLUE_SOURCE = "监督模型"
MAX_LIMIT = 200


def hidden_sets(g: Graph, *, authz: Authz) -> list[str]:
    """The data sets this actor may not use: hits resting on them are not its to see."""
    every: list[str] = []
    while True:
        page = g.find("DataSet", order_by="code", limit=1000, offset=len(every))
        every += [n.key for n in page.items]
        if not page.items or len(every) >= page.total:
            break
    usable = {n.key for n in datasets.usable(g, authz=authz)}
    return [code for code in every if code not in usable]


def scope_params(g: Graph, authz: Authz, model_code: str | None,
             status: str | None) -> dict[str, Any]:
    """The parameters of the hit queries for this reader and these filters."""
    authz.require(Perm.VIEW_MODELS)
    if model_code is not None:
        model(model_code)
    if status is not None and status not in LIFECYCLE.names:
        raise ValidationError(N_("unknown hit state %(state)r; one of: %(states)s"),
                              state=status, states=", ".join(LIFECYCLE.names))
    region = authz.actor.region
    return {"prefix": None if region is None else subtree_prefix(region),
            "hidden": hidden_sets(g, authz=authz), "model": model_code, "status": status}


def listing(g: Graph, *, authz: Authz, model_code: str | None = None,
            status: str | None = None, offset: int = 0,
            limit: int = 50) -> tuple[list[dict[str, Any]], int]:
    """One page of the hits this actor may see (newest first) and how many there are."""
    if not (isinstance(limit, int) and 1 <= limit <= MAX_LIMIT) or offset < 0:
        raise ValidationError(N_("a page holds 1 to %(most)s hits"), most=MAX_LIMIT)
    params = scope_params(g, authz, model_code, status)
    rows = g.run(q.HITS, **params, skip=offset, limit=limit)
    total = g.run(q.HIT_COUNT, **params)[0]["n"]
    return [{**r, "facts": json.loads(r["facts"] or "{}")} for r in rows], total


def get(g: Graph, *, authz: Authz, no: str) -> Node:
    """A hit this actor may see, else NotFound."""
    authz.require(Perm.VIEW_MODELS)
    node = g.get("ModelHit", no)
    if node is None or not authz.sees(g, node):
        raise NotFound(N_("no hit %(no)r"), no=no)
    return node


@dataclass(frozen=True)
class Detail:
    """A hit with what its page shows: its model, facts, evidence, runs and steps."""

    hit: Node
    facts: dict[str, Any]
    evidence: list[tuple[str, Node]]
    runs: list[Node]
    steps: list[Node]


def detail(g: Graph, *, authz: Authz, no: str) -> Detail:
    """The hit, its evidence (visible nodes and their roles), the runs that found it (newest
    first) and its triage steps."""
    hit = get(g, authz=authz, no=no)
    around = g.expand([hit.uid], types=["EVIDENCE", "FOUND_IN"], direction=Direction.OUT,
                      limit=MAX_EVIDENCE + 1000)
    by_uid = {n.uid: n for n in around.nodes}
    shown = sorted(((str(r.props.get("role") or ""), by_uid[r.dst]) for r in around.rels
                    if r.type == "EVIDENCE" and authz.sees(g, by_uid[r.dst])),
                   key=lambda x: (x[0] != "subject", x[1].label, x[1].key))
    runs = sorted((by_uid[r.dst] for r in around.rels if r.type == "FOUND_IN"
                   and authz.sees(g, by_uid[r.dst])),
                  key=lambda n: n.get("started_at"), reverse=True)
    return Detail(hit, json.loads(hit.get("facts") or "{}"), shown, runs,
                  history(g, "ModelHit", no))


def evidence_view(g: Graph, *, authz: Authz, no: str) -> explore.View:
    """The hit's evidence as the explorer draws it: the nodes it rests on that this actor may
    see and the relationships between them (the path the model followed), laid out."""
    authz.require(Perm.EXPLORE)
    return explore.among(g, authz=authz, uids=[n.uid for _, n in
                                               detail(g, authz=authz, no=no).evidence])


def evidence_json(g: Graph, *, authz: Authz, no: str, lang: str = "zh") -> dict[str, Any]:
    """The evidence as the explorer takes it, with the hit's reason in `lang` as its hint."""
    view = evidence_view(g, authz=authz, no=no)
    hit = get(g, authz=authz, no=no)
    m = model(hit.get("model"))
    return {**view.to_json(), "hint": m.reason(json.loads(hit.get("facts") or "{}"), lang),
            "hit": {"no": no, "model": m.name(lang), "status": hit.get("status")}}


def confirm(g: Graph, *, authz: Authz, no: str, on: date, clue_no: str | None = None,
            title: str | None = None, expected_version: int | None = None) -> Node:
    """已核实: register a clue from the hit (against the people it names as its subject),
    linked to it, and move the hit to confirmed; the new clue."""
    authz.require(Perm.TRIAGE)
    authz.require(Perm.REGISTER)
    hit = get(g, authz=authz, no=no)
    m = model(hit.get("model"))
    number = (clue_no or "").strip() or f"XS-{no}"
    facts = json.loads(hit.get("facts") or "{}")
    people = [n.uid for role, n in detail(g, authz=authz, no=no).evidence
              if n.label == "Person" and role == "subject"]
    clue = clues.register(g, actor=authz.actor, no=number,
                          title=(title or "").strip() or f"{m.zh}（{hit.get('subject')}）",
                          on=on, region_code=hit.get("region_code"),
                          summary=m.reason(facts), source=CLUE_SOURCE, against=people)
    g.upsert_rels("FROM_HIT", [{"src": number, "dst": no}], src="Clue", dst="ModelHit")
    transition(g, LIFECYCLE, key=no, to="confirmed", actor=authz.actor, on=on,
               reason=f"登记为问题线索 {number}", expected_version=expected_version,
               changes={"clue_no": number})
    return clue


def dismiss(g: Graph, *, authz: Authz, no: str, on: date, reason: str,
            expected_version: int | None = None) -> Node:
    """已排除: set the hit aside, saying why."""
    authz.require(Perm.TRIAGE)
    get(g, authz=authz, no=no)
    if not reason.strip():
        raise ValidationError(N_("say why the hit is dismissed"))
    return transition(g, LIFECYCLE, key=no, to="dismissed", actor=authz.actor, on=on,
                      reason=reason.strip(), expected_version=expected_version)


def runs(g: Graph, *, authz: Authz, model_code: str | None = None,
         limit: int = 20) -> list[Node]:
    """The latest runs this actor may see (of one model, or of all)."""
    authz.require(Perm.VIEW_MODELS)
    where: dict[str, Any] = {} if model_code is None else {"model": model(model_code).code}
    if authz.actor.region is not None:
        where["region_code"] = Cond(Op.PREFIX, subtree_prefix(authz.actor.region))
    page = g.find("ModelRun", where=where, order_by="started_at", descending=True,
                  limit=min(limit * 5, 1000))
    return [n for n in page.items if authz.sees(g, n)][:limit]
