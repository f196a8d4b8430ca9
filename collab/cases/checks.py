"""Joint supervision checks (联合监督检查): create, assign, move along, record findings.

Decisions kept here:
- A check targets a unit, a set of rectification tasks, or both (CHECKS relationships).
- Assignment adds departments and people (the coordinator's accepted or changed proposal);
  it refuses anyone with a conflict of interest, saying why and by which path, and it refuses
  a stale `expected_version`. Removing someone from a check is not supported yet.
- A finding is recorded on the CHECKS relationship to the task (created for a task of a
  checked unit), only while the check is in progress. A verified finding verifies a task its
  unit reported done; a not-verified finding reopens (再整改) a done or verified task and is
  only recorded for a task still being worked on.
- Closing a check records one `joint_check` support act for each assigned department, so the
  collaboration record counts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from collab.access import authz as access
from collab.access.actors import Actor
from collab.access.authz import Authz, Perm
from collab.cases import proposals, rectification, support
from collab.cases.lifecycle import Lifecycle, TransitionRefused, moves, record_event, transition
from collab.errors import N_, ConflictError, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Direction, Graph

LIFECYCLE = Lifecycle(
    "JointCheck", "planned",
    moves({"planned": "in_progress", "in_progress": "reported",
           "reported": "closed in_progress", "closed": ""}))
_CAP = 1000


@dataclass(frozen=True)
class Finding:
    """What a check found about one rectification task."""

    rectification: str
    verified: bool
    note: str | None
    on: date | None
    by: str | None


def create(g: Graph, *, actor: Actor, no: str, title: str, start: date, end: date, on: date,
           unit: str | None = None, rectifications: tuple[str, ...] = ()) -> Node:
    """A planned check of `unit` and/or the tasks `rectifications`, from `start` to `end`."""
    if not no or not title:
        raise ValidationError(N_("a joint check needs a number and a title"))
    if not unit and not rectifications:
        raise ValidationError(N_("a joint check needs a unit or rectification tasks to check"))
    if end < start:
        raise ValidationError(N_("a check cannot end (%(end)s) before it starts (%(start)s)"),
                              end=end, start=start)
    if g.get("JointCheck", no) is not None:
        raise ConflictError(N_("joint check %(no)s already exists"), no=no)
    target = g.get("Unit", unit) if unit else None
    if unit and target is None:
        raise NotFound(N_("no unit %(code)r"), code=unit)
    found = [g.get("Rectification", r) for r in rectifications]
    missing = [r for r, t in zip(rectifications, found, strict=True) if t is None]
    if missing:
        raise NotFound(N_("no rectification %(nos)s"), nos=", ".join(missing))
    tasks = [t for t in found if t is not None]
    region = target.get("region_code") if target else tasks[0].get("region_code")
    g.upsert_nodes("JointCheck", [{"no": no, "title": title, "start": start, "end": end,
                                   "status": LIFECYCLE.initial, "status_on": on, "version": 0,
                                   "region_code": region}])
    if unit:
        g.upsert_rels("CHECKS", [{"src": no, "dst": unit}], src="JointCheck", dst="Unit")
    g.upsert_rels("CHECKS", [{"src": no, "dst": r} for r in rectifications],
                  src="JointCheck", dst="Rectification")
    record_event(g, label="JointCheck", key=no, actor=actor, on=on, kind="created",
                 to_status=LIFECYCLE.initial)
    return _get(g, no)


def assign(g: Graph, *, actor: Actor, no: str, on: date, departments: tuple[str, ...] = (),
           people: tuple[str, ...] = (), expected_version: int | None = None,
           policy: proposals.ProposalPolicy = proposals.DEFAULT_POLICY) -> Node:
    """Add departments (codes) and people (uids) to the check; conflicted people are refused."""
    node = rectification.lock_version(g, "JointCheck", no, expected_version)
    if node.get("status") == "closed":
        raise TransitionRefused(N_("joint check %(no)s is closed: nobody can be assigned"),
                                no=no)
    unknown = [d for d in departments if g.get("Department", d) is None]
    if unknown:
        raise NotFound(N_("no department %(code)s"), code=", ".join(unknown))
    found = proposals.conflicts(g, check=no, people=list(people), on=on, policy=policy)
    if found:
        raise proposals.ConflictOfInterest(N_("conflict of interest, not assigned: %(why)s"),
                                           why="; ".join(e.explain() for e in found))
    g.upsert_rels("ASSIGNED_TO", [{"src": no, "dst": d} for d in departments],
                  src="JointCheck", dst="Department")
    g.upsert_rels("ON_CHECK", [{"src": p, "dst": no} for p in people], src="Person",
                  dst="JointCheck")
    _bump(g, node)
    persons = [g.get_uid(p) for p in people]
    names = [*departments, *(p.get("name") or p.uid for p in persons if p is not None)]
    record_event(g, label="JointCheck", key=no, actor=actor, on=on, kind="assigned",
                 reason="、".join(names))
    return _get(g, no)


def advance(g: Graph, *, actor: Actor, no: str, to: str, on: date, reason: str = "",
            expected_version: int | None = None) -> Node:
    """Move the check along planned → in_progress → reported → closed."""
    node = transition(g, LIFECYCLE, key=no, to=to, actor=actor, on=on, reason=reason,
                      expected_version=expected_version)
    if to == "closed":
        for dept in assigned(g, no)["departments"]:
            support.record(g, actor=actor, no=f"{no}/{dept.key}", department=dept.key,
                           kind="joint_check", on=on, title=node.get("title"),
                           region_code=node.get("region_code"))
    return node


def record_finding(g: Graph, *, actor: Actor, no: str, rectification_no: str, verified: bool,
                   on: date, note: str = "", expected_version: int | None = None) -> Finding:
    """Record what the check found about one task, verifying or reopening the task."""
    check = rectification.lock_version(g, "JointCheck", no, expected_version)
    if check.get("status") != "in_progress":
        raise TransitionRefused(N_("joint check %(no)s is %(state)s: findings are recorded "
                                   "while it is in progress"), no=no,
                                state=LIFECYCLE.states(check.get("status")))
    task = g.get("Rectification", rectification_no)
    if task is None:
        raise NotFound(N_("no rectification %(nos)s"), nos=rectification_no)
    if not _covers(g, check, task):
        raise ValidationError(N_("joint check %(no)s does not check rectification %(task)s or "
                                 "its unit"), no=no, task=rectification_no)
    status = task.get("status")
    if verified and status == "done":
        rectification.advance(g, actor=actor, no=rectification_no, to="verified", on=on,
                               reason=f"联合监督检查{no}验收: {note}".rstrip(": "))
    elif verified and status != "verified":
        raise TransitionRefused(N_("rectification %(task)s is %(state)s: its unit has not "
                                   "reported it done, so it cannot be verified"),
                                task=rectification_no,
                                state=rectification.LIFECYCLE.states(status))
    elif not verified and status in ("done", "verified"):
        rectification.advance(g, actor=actor, no=rectification_no, to="reopened", on=on,
                              reason=f"联合监督检查{no}未通过: {note}".rstrip(": "))
    g.upsert_rels("CHECKS", [{"src": no, "dst": rectification_no,
                              "finding": "verified" if verified else "not_verified",
                              "finding_note": note or None, "finding_on": on,
                              "finding_by": actor.name}],
                  src="JointCheck", dst="Rectification")
    _bump(g, check)
    record_event(g, label="JointCheck", key=no, actor=actor, on=on, kind="finding",
                 reason=f"{rectification_no}: {'通过' if verified else '未通过'} {note}".strip())
    return Finding(rectification_no, verified, note or None, on, actor.name)


def findings(g: Graph, no: str) -> list[Finding]:
    """The findings recorded by a check, by task number."""
    check = _get(g, no)
    sub = g.expand([check.uid], types=["CHECKS"], labels=["Rectification"],
                   direction=Direction.OUT, limit=_CAP)
    keys = {n.uid: n.key for n in sub.nodes}
    out = [Finding(keys[r.dst], r.props["finding"] == "verified", r.props.get("finding_note"),
                   r.props.get("finding_on"), r.props.get("finding_by"))
           for r in sub.rels if r.props.get("finding")]
    return sorted(out, key=lambda f: f.rectification)


def assigned(g: Graph, no: str) -> dict[str, list[Node]]:
    """The departments and people on a check."""
    check = _get(g, no)
    sub = g.expand([check.uid], types=["ASSIGNED_TO", "ON_CHECK"],
                   labels=["Department", "Person"], limit=_CAP)
    nodes = sorted((n for n in sub.nodes if n.uid != check.uid), key=lambda n: n.key)
    return {"departments": [n for n in nodes if n.label == "Department"],
            "people": [n for n in nodes if n.label == "Person"]}


def view(g: Graph, *, authz: Authz, no: str, on: date,
         policy: proposals.ProposalPolicy = proposals.DEFAULT_POLICY) -> dict[str, Any]:
    """A check within the actor's reach as its page shows it: the check, its team and
    findings, and for those who plan checks the proposal (or why there is none: a refusal)."""
    access.get(g, authz=authz, label="JointCheck", key=no)
    proposal, why_none = None, None
    if authz.can(Perm.PLAN_CHECKS):
        try:
            proposal = proposals.propose(g, check=no, on=on, policy=policy)
        except NotFound as e:  # the check exists (in reach), but has nothing to propose for
            why_none = e
    return {"check": describe(g, no), "proposal": proposal, "why_none": why_none}


def describe(g: Graph, no: str) -> dict[str, Any]:
    """The check, its team and its findings, as plain values for the CLI or the web."""
    node = _get(g, no)
    team = assigned(g, no)
    return {**node.props, "departments": [d.get("name") for d in team["departments"]],
            "people": [p.get("name") for p in team["people"]],
            "findings": [vars(f) for f in findings(g, no)], "tasks": covered(g, node)}


def covered(g: Graph, check: Node) -> list[dict[str, Any]]:
    """The tasks a check covers (its own, and those of the units it checks), by number: what
    a finding may be recorded about."""
    sub = g.expand([check.uid], types=["CHECKS"], direction=Direction.OUT, limit=_CAP)
    tasks = {n.key: n for n in sub.nodes if n.label == "Rectification"}
    units = [n.uid for n in sub.nodes if n.label == "Unit"]
    if units:
        owned = g.expand(units, types=["OWNED_BY"], labels=["Rectification"],
                         direction=Direction.IN, limit=_CAP)
        tasks.update({n.key: n for n in owned.nodes if n.label == "Rectification"})
    return [{"no": k, "title": tasks[k].get("title")} for k in sorted(tasks)]


def _covers(g: Graph, check: Node, task: Node) -> bool:
    """Whether the check targets the task itself or the unit that owns it."""
    sub = g.expand([check.uid], types=["CHECKS"], direction=Direction.OUT, limit=_CAP)
    targets = {n.uid for n in sub.nodes}
    if task.uid in targets:
        return True
    owners = g.expand([task.uid], types=["OWNED_BY"], direction=Direction.OUT, limit=10)
    return any(n.uid in targets for n in owners.nodes if n.label == "Unit")


def _bump(g: Graph, node: Node) -> None:
    g.upsert_nodes("JointCheck", [{"no": node.key, "version": (node.get("version") or 0) + 1}])


def _get(g: Graph, no: str) -> Node:
    node = g.get("JointCheck", no)
    if node is None:
        raise NotFound(N_("no joint check %(no)r"), no=no)
    return node
