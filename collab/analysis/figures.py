"""The figures of DOMAIN.md for a scope, computed in the engine, with counts beside every rate.

A `Scope` is a region subtree, a round, a department and a category (each optional), a period
and an as-of date. Every figure is one named query (`collab/graph/queries/`); this module only
turns names into codes, picks the query and divides. A rate over nothing is None (empty).

Definitions where DOMAIN.md leaves a choice (also in the report):
- a clue is "transferred in the period" when its first live (not returned by the as-of date)
  transfer is dated in it; per department, the first transfer to that department, and it counts
  as converted only when the case was filed by that department;
- settled = converted by the as-of date, or closed (予以了结) by then;
- a case comes from inspection when a clue BECAME it, or its origin is `inspection_clue`;
- lead times use nearest-rank percentiles (median of an even count: the lower middle);
- rectification counts tasks whose deadline falls in the period, by the as-of date;
- clues are counted by registration date, issues by the date found, support acts by their date,
  units by the rounds (dates overlapping the period) whose groups inspected them, funds by the
  filing date of the cases.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from collab.access.regions import check_code, subtree_prefix
from collab.cases.clues import DISPOSALS
from collab.errors import N_, NotFound, ValidationError
from collab.graph.kept import kept_one
from collab.graph.queries import figures as fq
from collab.graph.queries import summary as sq
from collab.graph.store import Graph, NamedQuery

GROUPINGS = ("all", "department", "region", "round", "category")
EARLIEST, LATEST = date(1, 1, 1), date(9999, 12, 31)


@dataclass(frozen=True)
class Scope:
    """What a figure is about: region subtree, round, department, category, period, as-of."""

    region: str | None = None
    round: str | None = None
    department: str | None = None
    category: str | None = None
    start: date = EARLIEST
    end: date = LATEST
    as_of: date = field(default_factory=date.today)

    def params(self) -> dict[str, Any]:
        """The parameters every figure query takes."""
        return {"prefix": None if self.region is None else subtree_prefix(self.region),
                "round": self.round, "department": self.department,
                "category": self.category, "p_from": self.start, "p_to": self.end,
                "as_of": self.as_of, "disposed": [*DISPOSALS, "case_filed"]}

    def describe(self) -> dict[str, Any]:
        """The scope as the figures print it."""
        return {"region": self.region, "round": self.round, "department": self.department,
                "category": self.category, "from": _iso(self.start), "to": _iso(self.end),
                "as_of": self.as_of.isoformat()}


def _iso(d: date) -> str | None:
    return None if d in (EARLIEST, LATEST) else d.isoformat()


def rate(part: int, whole: int) -> float | None:
    """part ÷ whole, or None when there is nothing to divide by."""
    return None if not whole else round(part / whole, 4)


def parse_period(text: str | None) -> tuple[date, date]:
    """'2023', '2022..2023' or '2023-01-01..2023-06-30' as (first day, last day)."""
    if not text:
        return EARLIEST, LATEST
    start, sep, end = text.partition("..")
    try:
        first = _bound(start.strip(), last=False)
        last = _bound((end if sep else start).strip(), last=True)
    except ValueError:
        raise ValidationError(N_("period %(period)r: expected YEAR, FROM..TO (years or "
                                 "YYYY-MM-DD dates)"), period=text) from None
    if first > last:
        raise ValidationError(N_("period %(period)r ends before it begins"), period=text)
    return first, last


def _bound(text: str, *, last: bool) -> date:
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 12, 31) if last else date(int(text), 1, 1)
    return date.fromisoformat(text)


def resolve_scope(g: Graph, *, region: str | None = None, round: str | None = None,
                  department: str | None = None, category: str | None = None,
                  period: str | None = None, as_of: date | None = None) -> Scope:
    """A Scope from what people type: names or codes; unknown ones are refused."""
    start, end = parse_period(period)
    return Scope(region=code_of(g, "Region", region) if region else None,
                 round=code_of(g, "Round", round) if round else None,
                 department=code_of(g, "Department", department) if department else None,
                 category=category, start=start, end=end, as_of=as_of or date.today())


def code_of(g: Graph, label: str, text: str) -> str:
    """The code of the node called `text` (a code, or an exact name)."""
    if g.get(label, text) is not None:
        return text
    if label == "Region" and text.isdigit():
        check_code(text)
        raise NotFound(N_("no region with the code %(code)s"), code=text)
    found = g.find(label, where={"name": text}, order_by="code", limit=5)
    if found.total == 1:
        return found.items[0].key
    if found.total > 1:
        codes = ", ".join(n.key for n in found.items)
        raise ValidationError(N_("%(text)r names %(n)s of %(label)s: %(codes)s; use the code"),
                              text=text, n=found.total, label=label, codes=codes)
    raise NotFound(N_("no %(label)s called or coded %(text)r"), label=label, text=text)


def _run(g: Graph, query: NamedQuery, scope: Scope, **extra: Any) -> list[dict[str, Any]]:
    return g.run(query, **scope.params(), **extra)


def conversion(g: Graph, *, scope: Scope, by: str = "all") -> list[dict[str, Any]]:
    """Clue conversion rate (成案率) and the settled-only rate, one row per group."""
    if by not in GROUPINGS:
        raise ValidationError(N_("cannot group by %(by)r; one of %(groupings)s"), by=by,
                              groupings=", ".join(GROUPINGS))
    n = _region_digits(scope)
    rows = _run(g, fq.CONVERSION_NAMED[by], scope, n=n,
                by_department=by == "department" or scope.department is not None)
    out = [{"group": r["grp"], "name": _group_name(by, r),
            "transferred": r["transferred"], "converted": r["converted"],
            "settled": r["settled"], "rate": rate(r["converted"], r["transferred"]),
            "settled_rate": rate(r["converted"], r["settled"])} for r in rows]
    if by == "all" and not out:
        out = [{"group": "all", "name": "全部", "transferred": 0, "converted": 0,
                "settled": 0, "rate": None, "settled_rate": None}]
    return sorted(out, key=lambda r: (r["group"] is None, r["group"] or ""))


def _region_digits(scope: Scope) -> int:
    """How many leading digits name a region one level below the scope's region."""
    prefix = "" if scope.region is None else subtree_prefix(scope.region)
    return {0: 4, 2: 4, 4: 6, 6: 9}.get(len(prefix), 12)


def _group_name(by: str, row: dict[str, Any]) -> str | None:
    """A group's name as a table shows it: the named node's name (read with the counts), else
    its code; all the clues are 全部, a category is its own name, no group is 无."""
    if row["grp"] is None:
        return "无"
    if by == "all":
        return "全部"
    name: str | None = row["name"] if row["named"] else row["grp"]
    return name


def contribution(g: Graph, *, scope: Scope) -> list[dict[str, Any]]:
    """Contribution rate (贡献率) per department: its cases from inspection ÷ all its cases."""
    if scope.round or scope.category:
        raise ValidationError(N_("the contribution rate compares all of a department's cases; "
                                 "it takes a region, department and period, not a round or "
                                 "category"))
    rows = [{"department": r["dept"], "name": r["dept_name"], "cases": r["cases"],
             "from_inspection": r["from_inspection"],
             "rate": rate(r["from_inspection"], r["cases"])}
            for r in _run(g, fq.CONTRIBUTION, scope)]
    if not rows and scope.department is not None:
        node = g.get("Department", scope.department)
        rows = [{"department": scope.department, "name": node and node.get("name"),
                 "cases": 0, "from_inspection": 0, "rate": None}]
    return rows


def lead_times(g: Graph, *, scope: Scope) -> dict[str, dict[str, Any]]:
    """Days from transfer to acceptance and to the case: count, median, p90."""
    rows = {r["kind"]: r for r in _run(g, fq.LEAD_TIMES, scope)}
    empty = {"n": 0, "median": None, "p90": None}
    return {kind: {k: rows.get(kind, empty)[k] for k in empty} for kind in ("accept", "case")}


def funnel(g: Graph, *, scope: Scope) -> dict[str, int]:
    """Transfers in scope: transferred → accepted → disposed → filed → concluded."""
    return _run(g, fq.FUNNEL, scope)[0]


def rectification(g: Graph, *, scope: Scope) -> dict[str, Any]:
    """Completion, on-time and reopen rates, the overdue count and age, with their counts."""
    r = _run(g, sq.RECTIFICATION.counts, scope)[0]
    mean = r["mean_overdue_days"]
    return {"due": r["due"], "done": r["done"], "on_time": r["on_time"],
            "overdue": r["overdue"], "reopened": r["reopened"],
            "completion_rate": rate(r["done"], r["due"]),
            "on_time_rate": rate(r["on_time"], r["done"]),
            "reopen_rate": rate(r["reopened"], r["due"]),
            "oldest_overdue_days": r["oldest_overdue_days"],
            "mean_overdue_days": None if mean is None else round(mean, 1)}


def collaborator(g: Graph, *, scope: Scope, department: str) -> dict[str, Any]:
    """What department X brought to a scope: support by kind, issues, clues and cases."""
    own = replace(scope, department=code_of(g, "Department", department))
    whole = replace(scope, department=None)
    support = {r["kind"]: r["n"] for r in _run(g, sq.SUPPORT_BY_KIND, own)}
    issues = _run(g, sq.ISSUES.counts, own)[0]["issues"]
    mine, total = _run(g, sq.ISSUE_CLUES.counts, own)[0], _run(g, sq.ISSUE_CLUES.counts, whole)[0]
    return {"department": own.department, "support": support,
            "support_acts": sum(support.values()), "issues_found_with": issues,
            "clues": mine["clues"], "cases": mine["cases"],
            "scope_clues": total["clues"], "scope_cases": total["cases"],
            "clue_share": rate(mine["clues"], total["clues"]),
            "case_share": rate(mine["cases"], total["cases"])}


def summary(g: Graph, *, scope: Scope) -> dict[str, Any]:
    """One scope at a glance: the article's figures and the loop's state.

    Kept between calls while nothing it reads changes (`collab/graph/kept.py`), so a province
    costs what a county does once computed; computed, it is one statement.
    """
    return kept_one(g, summary_key(scope), sq.SUMMARY_READS, lambda: computed_summary(g, scope))


def summary_key(scope: Scope) -> tuple[str, Scope]:
    """What a kept summary is filed under (with the versions of what it reads)."""
    return ("figures.summary", scope)


def computed_summary(g: Graph, scope: Scope) -> dict[str, Any]:
    """`summary` computed now, in one statement."""
    r = _run(g, sq.SUMMARY, scope, n=_region_digits(scope),
             by_department=scope.department is not None)[0]
    return {"scope": scope.describe(), "issues": r["issues"], "clues": r["clues"],
            "clues_transferred": r["clues_transferred"] or 0,
            "cases_from_clues": r["cases_from_clues"] or 0,
            "clues_settled": r["clues_settled"] or 0,
            "conversion_rate": rate(r["cases_from_clues"] or 0, r["clues_transferred"] or 0),
            "settled_conversion_rate": rate(r["cases_from_clues"] or 0, r["clues_settled"] or 0),
            "support_acts": r["support_acts"], "consultations": r["consultations"],
            "units_inspected": r["units_inspected"],
            "villages_inspected": r["villages_inspected"],
            "problems_solved": r["problems_solved"],
            "funds_recovered_yuan": round(float(r["funds_recovered_yuan"] or 0.0), 2),
            "rectifications_due": r["due"], "rectifications_done": r["done"],
            "rectification_completion_rate": rate(r["done"], r["due"]),
            "overdue": r["overdue"]}


# Drill-down: the rows behind each count, by the name the figures use for it.
LISTS: Mapping[str, NamedQuery] = {
    "issues": sq.ISSUES.rows, "problems_solved": sq.ISSUES.rows, "clues": sq.CLUES.rows,
    "clues_transferred": fq.CONVERSION_LIST, "cases_from_clues": fq.CONVERSION_LIST,
    "support_acts": sq.SUPPORT.rows, "consultations": sq.SUPPORT.rows,
    "units_inspected": sq.UNITS.rows, "villages_inspected": sq.UNITS.rows,
    "funds_recovered_yuan": sq.FUNDS.rows, "rectifications_due": sq.RECTIFICATION.rows,
    "rectifications_done": sq.RECTIFICATION.rows, "overdue": sq.RECTIFICATION.rows,
    "transfers": fq.TRANSFERS_LIST, "contribution": fq.CONTRIBUTION_LIST,
}
# Which rows of a shared list a count keeps (a column that must be true).
_KEEP = {"problems_solved": "solved", "cases_from_clues": "converted",
         "consultations": "kind", "villages_inspected": "village",
         "rectifications_done": "done", "overdue": "overdue"}


def drill_down(g: Graph, *, scope: Scope, figure: str,
               by_department: bool = False) -> list[dict[str, Any]]:
    """The clues, cases, tasks … that the count called `figure` counted, one row each."""
    if figure not in LISTS:
        raise ValidationError(N_("no list behind %(figure)r; one of: %(lists)s"), figure=figure,
                              lists=", ".join(LISTS))
    rows = _run(g, LISTS[figure], scope, by_department=by_department or bool(scope.department))
    keep = _KEEP.get(figure)
    if keep == "kind":
        return [r for r in rows if r["kind"] == "consultation"]
    if keep is not None:
        rows = [r for r in rows if r[keep]]
    return [{k: (bool(v) if k in _FLAGS else v) for k, v in r.items()} for r in rows]


_FLAGS = frozenset({"converted", "settled", "solved", "village", "done", "on_time", "overdue",
                    "reopened", "from_inspection"})
