"""Running supervision models: within the runner's scope, over the data sets it may use,
each run recorded and its hits deduplicated across runs.

A run is one model, once: a `ModelRun` node says who ran which version with which parameters
and data sets over which region, when, for how long, and how many hits it found (how many of
them new). A hit's number comes from its model and signature, so the same finding made again —
by a later run, or by a run over a wider region — is the same `ModelHit`: it gains a FOUND_IN
link to the new run, and its evidence and triage stay as they were. A run is a command
(`collab.commands.models.RunModels`): the runner writes its audit record in the same
transaction.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from collab.access import regions
from collab.access.authz import Authz, Perm
from collab.analysis import datasets
from collab.analysis.models import MODELS, model
from collab.analysis.models.declare import Found, Inputs, Model, nodes_by_key
from collab.errors import N_, ValidationError
from collab.graph.store import Graph


@dataclass
class RunResult:
    """What one model's run did; `skipped` says why a model could not run (no data set)."""

    model: str
    run_no: str | None = None
    hits: int = 0
    new_hits: int = 0
    duration_ms: int = 0
    datasets: list[str] = field(default_factory=list)
    skipped: str | None = None
    hit_nos: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"model": self.model, "run": self.run_no, "hits": self.hits,
                "new_hits": self.new_hits, "duration_ms": self.duration_ms,
                "datasets": self.datasets, "skipped": self.skipped}


def hit_no(m: Model, signature: str) -> str:
    """A hit's number: its model and a digest of its signature, the same in every run."""
    return f"{m.code}-{hashlib.sha256(signature.encode()).hexdigest()[:12]}"


def scope_of(authz: Authz, region: str | None) -> str | None:
    """The region a run covers: the one asked for, inside the actor's jurisdiction; by default
    the whole jurisdiction."""
    if region is None:
        return authz.actor.region
    regions.check_code(region)
    if authz.actor.region is not None and not regions.within(region, authz.actor.region):
        raise ValidationError(N_("region %(code)s is outside your jurisdiction"), code=region)
    return region


def run(g: Graph, *, authz: Authz, codes: Sequence[str] = (), region: str | None = None,
        as_of: date | None = None, params: Mapping[str, Mapping[str, Any]] | None = None,
        sets: Mapping[str, Sequence[str]] | None = None,
        now: datetime | None = None) -> list[RunResult]:
    """Run the models named by `codes` (all when empty) in the caller's transaction.

    `params` gives settings per model code; `sets` names the data sets of a slot (by slot
    name) for every model that has it, else each slot takes every data set of its kinds that
    the actor may use and that covers part of the region.
    """
    authz.require(Perm.RUN_MODELS)
    where = scope_of(authz, region)
    chosen = [model(c) for c in dict.fromkeys(codes)] or list(MODELS.values())
    known = {s.name for m in MODELS.values() for s in m.slots}
    unknown = sorted(set(sets or {}) - known)
    if unknown:
        raise ValidationError(N_("no model takes data sets as %(slots)s; slots: %(known)s"),
                              slots=", ".join(unknown), known=", ".join(sorted(known)))
    day, at = as_of or date.today(), now or datetime.now(UTC)
    return [_run_one(g, authz, m, where, day, at, (params or {}).get(m.code), sets or {})
            for m in chosen]


def _slots(g: Graph, authz: Authz, m: Model, region: str | None,
           given: Mapping[str, Sequence[str]]) -> tuple[dict[str, list[str]], str | None]:
    """The data sets of each slot, and why the model cannot run if a slot has none."""
    out: dict[str, list[str]] = {}
    for slot in m.slots:
        if slot.name in given:
            found = [datasets.get(g, authz=authz, code=c) for c in given[slot.name]]
            wrong = [n.key for n in found if n.get("kind") not in slot.kinds]
            if wrong:
                raise ValidationError(N_("data set %(codes)s cannot fill %(slot)s (it takes "
                                         "%(kinds)s)"), codes=", ".join(wrong), slot=slot.name,
                                      kinds=", ".join(slot.kinds))
        else:
            found = [n for n in datasets.usable(g, authz=authz, kinds=slot.kinds)
                     if _covers(n.get("region_code"), region)]
        if not found:
            return out, f"{slot.zh}：没有可用的数据集（{'、'.join(slot.kinds)}）"
        out[slot.name] = [n.key for n in found]
    return out, None


def _covers(set_region: str | None, region: str | None) -> bool:
    """Whether a data set's region and the run's overlap."""
    if region is None or set_region is None:
        return True
    return regions.within(set_region, region) or regions.within(region, set_region)


def inputs_for(g: Graph, *, authz: Authz, m: Model, region: str | None, as_of: date,
               params: Mapping[str, Any] | None = None,
               sets: Mapping[str, Sequence[str]] | None = None) -> tuple[Inputs | None, str | None]:
    """What a run of `m` gives it (checked settings, the data sets of each slot), or None and
    why it cannot run."""
    values = m.param_values(params)
    chosen, missing = _slots(g, authz, m, region, sets or {})
    return (None, missing) if missing else (Inputs(region, as_of, values, chosen), None)


def _run_one(g: Graph, authz: Authz, m: Model, region: str | None, as_of: date, now: datetime,
             given: Mapping[str, Any] | None,
             sets: Mapping[str, Sequence[str]]) -> RunResult:
    inputs, missing = inputs_for(g, authz=authz, m=m, region=region, as_of=as_of, params=given,
                                 sets=sets)
    if inputs is None:
        return RunResult(m.code, skipped=missing)
    start = time.perf_counter()
    found = m.find(g, inputs)
    used = sorted({c for codes in inputs.sets.values() for c in codes})
    result = RunResult(m.code, f"RUN-{now:%Y%m%d-%H%M%S}-{m.code}-{secrets.token_hex(3)}",
                       datasets=used)
    result.hit_nos, result.new_hits = _record_hits(g, m, found, result.run_no or "", now)
    result.hits = len(result.hit_nos)
    result.duration_ms = round((time.perf_counter() - start) * 1000)
    g.upsert_nodes("ModelRun", [{
        "no": result.run_no, "model": m.code, "model_version": m.version,
        "params": json.dumps(dict(inputs.params), sort_keys=True), "datasets": used,
        "region_code": region, "actor": authz.actor.name, "role": str(authz.role),
        "as_of": as_of, "started_at": now, "duration_ms": result.duration_ms,
        "hits": result.hits, "new_hits": result.new_hits}])
    g.upsert_rels("FOUND_IN", [{"src": no, "dst": result.run_no} for no in result.hit_nos],
                  src="ModelHit", dst="ModelRun")
    return result


def _record_hits(g: Graph, m: Model, found: list[Found], run_no: str,
                 now: datetime) -> tuple[list[str], int]:
    """Write the hits (new ones whole, known ones as seen again); their numbers, how many
    new."""
    by_no = {hit_no(m, f.signature): f for f in found}
    known = nodes_by_key(g, "ModelHit", by_no)
    rows = []
    for no, f in by_no.items():
        old = known.get(no)
        if old is not None:
            rows.append({"no": no, "last_run": run_no, "last_seen": now,
                         "runs": (old.get("runs") or 0) + 1})
            continue
        rows.append({"no": no, "model": m.code, "model_version": m.version,
                     "signature": f.signature, "subject": f.subject, "severity": m.severity,
                     "facts": json.dumps(f.facts, ensure_ascii=False, sort_keys=True),
                     "region_code": f.region_code, "status": "pending",
                     "status_on": now.date(), "version": 0,
                     "datasets": sorted(e.key for e in f.evidence if e.label == "DataSet"),
                     "first_run": run_no, "last_run": run_no, "first_seen": now,
                     "last_seen": now, "runs": 1})
    g.upsert_nodes("ModelHit", rows)
    links: dict[str, list[dict[str, str]]] = {}
    for no, f in by_no.items():
        if no not in known:
            for e in f.evidence:
                links.setdefault(e.label, []).append({"src": no, "dst": e.key, "role": e.role})
    for label, items in sorted(links.items()):
        g.upsert_rels("EVIDENCE", items, src="ModelHit", dst=label)
    return sorted(by_no), len(by_no) - len(known)
