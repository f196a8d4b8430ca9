"""A department liaison's inbox (待办): the transfers to their department that wait on them.

Four trays, as a liaison works them: 待接收 (transferred, not yet received), 待反馈 (received,
no disposal yet), 即将到期 (feedback due within `SOON_DAYS`) and 已逾期 (feedback overdue).
A transfer may sit in two trays (received late and overdue). The navigation bar shows the
counts on every page, so they come from the one indexed read `clues.awaiting` makes.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from collab.access.authz import Authz, Perm
from collab.cases import clues
from collab.graph.store import Graph

SOON_DAYS = 3
TRAYS = ("receive", "feedback", "soon", "overdue")


def has_inbox(authz: Authz) -> bool:
    """Whether the actor works transfers for one department (a liaison)."""
    return authz.actor.department is not None and authz.can(Perm.RECORD_DISPOSAL)


def trays(g: Graph, *, authz: Authz, as_of: date) -> dict[str, list[dict[str, Any]]]:
    """The actor's trays, each a list of awaiting transfers, soonest due first."""
    if not has_inbox(authz):
        return {t: [] for t in TRAYS}
    rows = clues.awaiting(g, as_of=as_of, department=authz.actor.department)
    soon = as_of + timedelta(days=SOON_DAYS)
    return {
        "receive": [r for r in rows if r["awaiting"] == "receipt"],
        "feedback": [r for r in rows if r["awaiting"] == "feedback"],
        "soon": [r for r in rows if not r["overdue"] and r["feedback_due"] is not None
                 and r["feedback_due"] <= soon],
        "overdue": [r for r in rows if r["overdue"]],
    }


def counts(g: Graph, *, authz: Authz, as_of: date) -> dict[str, int]:
    """How many transfers each tray holds (the navigation bar's badges)."""
    return {k: len(v) for k, v in trays(g, authz=authz, as_of=as_of).items()}
