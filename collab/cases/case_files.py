"""Cases (案件): those filed from other origins, and the outcome of any case.

A case filed from a transferred clue is created by `clues.file_case`; a department's other
cases (from petitions, its own supervision, audits …) are filed here, so the contribution rate
can compare the two. Sanctions are kept as their Chinese names, the way the ledgers write them:
党纪处分 (with its grade), 政务处分, 组织处理, 移送司法.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from collab.access.actors import Actor
from collab.cases.lifecycle import record_event
from collab.errors import N_, ConflictError, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Graph

PARTY = "党纪处分"
SANCTIONS = (PARTY, "政务处分", "组织处理", "移送司法")
PARTY_GRADES = ("警告", "严重警告", "撤销党内职务", "留党察看", "开除党籍")
ORIGINS = ("inspection_clue", "petition", "supervision", "audit", "self_report", "other")


def file_other_case(g: Graph, *, actor: Actor, no: str, department: str, filed_on: date,
                    origin: str, title: str, region_code: str | None = None,
                    subjects: Sequence[str] = ()) -> Node:
    """File a case that did not come from an inspection clue (信访, 审计, 自办 …)."""
    if origin not in ORIGINS or origin == "inspection_clue":
        raise ValidationError(N_("origin %(origin)r: one of %(origins)s (cases from clues are "
                                 "filed on the clue's transfer)"), origin=origin,
                              origins=", ".join(ORIGINS[1:]))
    if g.get("Case", no) is not None:
        raise ConflictError(N_("case %(no)s already exists"), no=no)
    dept = g.get("Department", department)
    if dept is None:
        raise NotFound(N_("no department %(code)r"), code=department)
    g.upsert_nodes("Case", [{"no": no, "title": title, "filed_on": filed_on, "origin": origin,
                             "department_code": department,
                             "region_code": region_code or dept.get("region_code")}])
    g.upsert_rels("FILED_BY", [{"src": no, "dst": department}], src="Case", dst="Department")
    g.upsert_rels("SUBJECT", [{"src": no, "dst": p} for p in subjects], src="Case",
                  dst="Person")
    record_event(g, label="Case", key=no, actor=actor, on=filed_on, kind="filed",
                 reason=origin)
    node = g.get("Case", no)
    assert node is not None
    return node


def record_outcome(g: Graph, *, actor: Actor, case_no: str, sanctions: Sequence[str] = (),
                   party_grade: str | None = None, funds_recovered: float | None = None,
                   closed_on: date | None = None, outcome: str | None = None) -> Node:
    """Record how a case ended: sanctions (党纪处分 with its grade …), funds, closing date."""
    case = g.lock("Case", case_no)
    if case is None:
        raise NotFound(N_("no case %(no)r"), no=case_no)
    unknown = [s for s in sanctions if s not in SANCTIONS]
    if unknown:
        raise ValidationError(N_("unknown sanction %(sanction)r; one of: %(sanctions)s"),
                              sanction=unknown[0], sanctions=", ".join(SANCTIONS))
    if (PARTY in sanctions) != (party_grade is not None):
        raise ValidationError(N_("a %(party)s needs its grade (%(grades)s), and a grade needs "
                                 "%(party)s among the sanctions"), party=PARTY,
                              grades=", ".join(PARTY_GRADES))
    if party_grade is not None and party_grade not in PARTY_GRADES:
        raise ValidationError(N_("unknown grade %(grade)r; one of: %(grades)s"),
                              grade=party_grade, grades=", ".join(PARTY_GRADES))
    if funds_recovered is not None and funds_recovered < 0:
        raise ValidationError(N_("funds recovered cannot be negative"))
    filed_on = case.get("filed_on")
    if closed_on is not None and filed_on is not None and closed_on < filed_on:
        raise ValidationError(N_("case %(no)s: closing date %(closed)s is before its filing on "
                                 "%(filed)s"), no=case_no, closed=closed_on.isoformat(),
                              filed=filed_on.isoformat())
    g.upsert_nodes("Case", [{"no": case_no, "sanctions": list(dict.fromkeys(sanctions)),
                             "party_sanction": party_grade, "funds_recovered": funds_recovered,
                             "closed_on": closed_on, "outcome": outcome}])
    record_event(g, label="Case", key=case_no, actor=actor, on=closed_on or date.today(),
                 kind="outcome", reason="、".join(sanctions) or outcome or "")
    node = g.get("Case", case_no)
    assert node is not None
    return node
