"""The figures page a leader reads (成案率 both ways, 贡献率 per department, the funnel, lead
times, rectification completion) for a region of their jurisdiction and a period, and the
records behind each number (drill-down).

The figures are `collab.analysis.figures`' named queries; this module only narrows the scope
to what the actor may see: the region asked must lie within the actor's own (default: it),
and the records behind a number are those of that region subtree, so every row listed is one
the actor may open.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from collab.access import authz as access
from collab.access import regions
from collab.access.authz import Authz, Perm, Role
from collab.analysis import figures as fig
from collab.errors import NotFound
from collab.graph.store import Graph

# The lists a number on the page opens, and the label of their rows' first column.
DRILLS = {"clues_transferred": ("clue_no", "Clue"), "cases_from_clues": ("clue_no", "Clue"),
          "contribution": ("case_no", "Case"), "rectifications_due": ("no", "Rectification"),
          "rectifications_done": ("no", "Rectification"), "overdue": ("no", "Rectification")}


def scope_for(g: Graph, *, authz: Authz, region: str | None, period: str | None,
              as_of: date, department: str | None = None,
              round_: str | None = None) -> fig.Scope:
    """The scope of the page: a region within the actor's (default: its own), a round of
    inspection, a period."""
    if not authz.can(Perm.DASHBOARD) or authz.role == Role.LIAISON:
        raise NotFound("not found")
    mine = authz.actor.region
    if region is not None:
        access.get(g, authz=authz, label="Region", key=region)
    elif mine is not None:
        region = mine
    if department is not None:
        access.get(g, authz=authz, label="Department", key=department)
    if round_ is not None:
        access.get(g, authz=authz, label="Round", key=round_)
    if region is not None and mine is not None and not regions.within(region, mine):
        raise NotFound("not found")
    start, end = fig.parse_period(period)
    return fig.Scope(region=region, round=round_, department=department, start=start, end=end,
                     as_of=as_of)


def page(g: Graph, *, scope: fig.Scope) -> dict[str, Any]:
    """Every table of the page for one scope."""
    return {"conversion": fig.conversion(g, scope=scope, by="department"),
            "overall": fig.conversion(g, scope=scope, by="all")[0],
            # 贡献率 compares all of a department's cases, whatever round found them
            "contribution": fig.contribution(g, scope=replace(scope, round=None)),
            "funnel": fig.funnel(g, scope=scope),
            "lead_times": fig.lead_times(g, scope=scope),
            "rectification": fig.rectification(g, scope=scope)}


def records(g: Graph, *, scope: fig.Scope, figure: str) -> list[dict[str, Any]]:
    """The records behind one number of the page."""
    if figure not in DRILLS:
        raise NotFound("not found")
    return fig.drill_down(g, scope=scope, figure=figure,
                          by_department=scope.department is not None)
