"""The dashboard: the key figures of one's jurisdiction, in at most three round trips.

What a page shows is a handful of parts — each figure's count per region one level below, the
clues per status, the regions below and the prefectures of one's reach, the scope's summary —
each kept (`collab/graph/kept.py`) under the write versions of what it reads. One statement
reads those versions; the parts not kept are asked for in a second (`queries/dashboard.py`),
the summary, if not kept, in a third. A write of one kind (a joint check) makes only the parts
that read it be asked for again. A liaison's figures count its own department's objects one by
one (they are few), and it has no summary or regions.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace
from datetime import date
from typing import Any

from collab.access import authz as access
from collab.access import regions
from collab.access.authz import Authz, Perm, Role
from collab.analysis import figures
from collab.errors import NotFound
from collab.graph.kept import kept
from collab.graph.queries import dashboard as dq
from collab.graph.queries.summary import SUMMARY_READS
from collab.graph.store import Cond, Graph, Op

FIGURES = dq.FIGURES
# The years a dashboard may be asked about (the page and the API check the same bounds).
YEARS = (1990, 2100)
CLUE_STATES = ("registered", "transferred", "accepted", "inquiry", "verification", "on_hold",
               "closed", "case_filed")
# The level below a region's, by the length of its subtree prefix, and the digits naming one.
_BELOW = {2: ("prefecture", 4), 4: ("county", 6), 6: ("township", 9), 9: ("village", 12)}


def overview(g: Graph, *, authz: Authz, region: str | None, year: int | None,
             as_of: date) -> dict[str, Any]:
    """Everything the dashboard shows as of a date, read in one snapshot; clue states by code
    (pages name them)."""
    authz.require(Perm.DASHBOARD)
    if authz.role == Role.LIAISON or region is not None and "Region" not in authz.labels():
        if region is not None:
            raise NotFound("not found")
        return _own_department(g, authz, year)
    if region is not None and not regions.within(region, authz.actor.region or region):
        raise NotFound("not found")
    own = regions.subtree_prefix(authz.actor.region) if authz.actor.region else ""
    prefix = regions.subtree_prefix(region) if region else own
    # below a region: the next level down; below one's whole reach: its prefectures
    child_level, digits = _BELOW.get(len(prefix), ("", 12)) if region else ("prefecture", 4)
    params = {"prefix": prefix or None, "n": digits, "child_prefix": prefix,
              "child_level": child_level, "own_prefix": own, "region": region,
              "y0": f"{year:04d}-" if year else None,
              "y1": f"{year:04d}-\U0010ffff" if year else None}
    # each part, what it reads, and the parameters its answer depends on
    parts: dict[Hashable, tuple[tuple[str, ...], tuple[Any, ...]]] = {
        ("figure", label): ((label,), (prefix, year, digits))
        for label, _ in FIGURES if label in authz.listable()}
    parts |= {("status",): (("Clue",), (prefix,)),
              ("children",): (("Region",), (prefix, child_level)),
              ("prefectures",): (("Region",), (own,))}
    if region is not None:
        parts[("exists",)] = (("Region",), (region,))
    scope = None
    if authz.can(Perm.EXPLORE):
        scope = figures.Scope(region=region or authz.actor.region, as_of=as_of)
        if year:
            scope = replace(scope, start=date(year, 1, 1), end=date(year, 12, 31))
    reads: dict[Hashable, tuple[str, ...]] = {
        ("dashboard", part, depends): wanted for part, (wanted, depends) in parts.items()}
    if scope is not None:
        reads[figures.summary_key(scope)] = SUMMARY_READS
    found = kept(g, reads, lambda missing: _compute(g, missing, params, scope))
    got = {key[1]: value for key, value in found.items()
           if isinstance(key, tuple) and key[0] == "dashboard"}
    if region is not None and not got[("exists",)]:
        raise NotFound("not found")
    by_label = {label: got[("figure", label)] for label, _ in FIGURES
                if ("figure", label) in got}
    children = got[("children",)] if child_level else []
    statuses = got[("status",)] if "Clue" in authz.listable() else {}
    return {
        "region": region, "year": year,
        "figures": {label: sum(groups.values()) for label, groups in by_label.items()},
        "summary": found.get(figures.summary_key(scope)) if scope is not None else None,
        "by_region": [{"code": code, "name": name,
                       **{label: groups.get(regions.subtree_prefix(code), 0)
                          for label, groups in by_label.items()}}
                      for code, name in children],
        "clue_status": [{"status": s, "value": statuses[s]} for s in CLUE_STATES
                        if statuses.get(s)],
        "prefectures": [{"code": code, "name": name} for code, name in got[("prefectures",)]],
    }


def _compute(g: Graph, missing: list[Hashable], params: dict[str, Any],
             scope: figures.Scope | None) -> dict[Hashable, Any]:
    """The parts not kept: the counts in one statement, the summary in another."""
    out: dict[Hashable, Any] = {}
    wanted = [key for key in missing if key[0] == "dashboard"]  # type: ignore[index]
    if wanted:
        parts = tuple(key[1] for key in wanted)  # type: ignore[index]
        query = dq.counts(parts, params["y0"] is not None, params["prefix"] is not None)
        rows = g.run(query, **params)
        for key, part in zip(wanted, parts, strict=True):
            mine = [r for r in rows if r["part"] == (part[1] if part[0] == "figure" else part[0])]
            if part[0] in ("figure", "status"):
                out[key] = {r["key"]: r["n"] for r in mine}
            elif part[0] == "exists":
                out[key] = bool(mine)
            else:
                out[key] = [(r["key"], r["name"]) for r in mine]
    if scope is not None and figures.summary_key(scope) in missing:
        out[figures.summary_key(scope)] = figures.computed_summary(g, scope)
    return out


def _own_department(g: Graph, authz: Authz, year: int | None) -> dict[str, Any]:
    """A liaison's dashboard: its own department's clues, transfers, cases and checks."""
    def where(prop: str) -> dict[str, Any]:
        return {prop: Cond(Op.PREFIX, f"{year:04d}-")} if year else {}

    counts = {label: access.count(g, authz=authz, label=label, where=where(prop))
              for label, prop in FIGURES if label in authz.listable()}
    statuses = {s: access.count(g, authz=authz, label="Clue", where={"status": s})
                for s in CLUE_STATES}
    return {"region": None, "year": year, "figures": counts, "summary": None, "by_region": [],
            "clue_status": [{"status": s, "value": v} for s, v in statuses.items() if v],
            "prefectures": []}
