"""The dashboard's figures of one's jurisdiction: counts by kind, by child region, by clue
state, and the article's summary, read in one snapshot through the scoped services."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from collab.access import authz as access
from collab.access import regions
from collab.access.authz import Authz, Perm
from collab.analysis import figures
from collab.graph.codec import Node
from collab.graph.store import Cond, Graph, Op

# What is counted, and the date property that places each in a year.
FIGURES = (("Issue", "found_on"), ("Clue", "registered_on"), ("Transfer", "at"),
           ("Case", "filed_on"), ("JointCheck", "start"))
NEXT_LEVEL = {"province": "prefecture", "prefecture": "county", "county": "township",
              "township": "village"}
# The years a dashboard may be asked about (the page and the API check the same bounds).
YEARS = (1990, 2100)
CLUE_STATES = ("registered", "transferred", "accepted", "inquiry", "verification", "on_hold",
               "closed", "case_filed")


def _where(region: str | None, year: int | None, prop: str) -> dict[str, Any]:
    """Filters for a region subtree and a year (dates are ISO text, so a year is a prefix)."""
    where: dict[str, Any] = {}
    if region:
        where["region_code"] = Cond(Op.PREFIX, regions.subtree_prefix(region))
    if year:
        where[prop] = Cond(Op.PREFIX, f"{year:04d}-")
    return where


def _counts(g: Graph, authz: Authz, region: str | None, year: int | None) -> dict[str, int]:
    return {label: access.count(g, authz=authz, label=label, where=_where(region, year, prop))
            for label, prop in FIGURES if label in authz.listable()}


def _children(g: Graph, authz: Authz, region: str | None) -> list[Node]:
    """The regions one level below `region` (prefectures when none is chosen)."""
    if "Region" not in authz.listable():
        return []
    if region is None:
        where: dict[str, Any] = {"level": "prefecture"}
    else:
        node = access.get(g, authz=authz, label="Region", key=region)
        below = NEXT_LEVEL.get(node.get("level"))
        if below is None:
            return []
        where = {"level": below, "code": Cond(Op.PREFIX, regions.subtree_prefix(region))}
    return access.find(g, authz=authz, label="Region", where=where, order_by="code",
                       limit=100).items


def _summary(g: Graph, authz: Authz, region: str | None, year: int | None,
             as_of: date) -> dict[str, Any] | None:
    """The article's figures (conversion rate and the rest) for a region subtree and year.

    Region-wide figures, so only for roles whose reach is a region (not a liaison's).
    """
    if not authz.can(Perm.EXPLORE):
        return None
    scope = figures.Scope(region=region or authz.actor.region, as_of=as_of)
    if year:
        scope = replace(scope, start=date(year, 1, 1), end=date(year, 12, 31))
    return figures.summary(g, scope=scope)


def overview(g: Graph, *, authz: Authz, region: str | None, year: int | None,
             as_of: date) -> dict[str, Any]:
    """Everything the dashboard shows, as of a date; clue states by code (pages name them)."""
    authz.require(Perm.DASHBOARD)
    if region is not None:
        access.get(g, authz=authz, label="Region", key=region)
    children = _children(g, authz, region)
    statuses: dict[str, int] = {}
    if "Clue" in authz.listable():
        for status in CLUE_STATES:
            where = {**_where(region, None, "registered_on"), "status": status}
            statuses[status] = access.count(g, authz=authz, label="Clue", where=where)
    return {
        "region": region, "year": year,
        "figures": _counts(g, authz, region, year),
        "summary": _summary(g, authz, region, year, as_of),
        "by_region": [{"code": r.key, "name": r.get("name"),
                       **_counts(g, authz, r.key, year)} for r in children],
        "clue_status": [{"status": k, "value": v} for k, v in statuses.items() if v],
        "prefectures": [{"code": r.key, "name": r.get("name")}
                        for r in _children(g, authz, None)],
    }
