"""Rectification tasks (整改任务): lifecycle, evidence, evaluation, warnings, closing, ledger.

Decisions kept here:
- Settings are one frozen `RectificationPolicy` passed to the services, with defaults (yellow
  warning 20 days before the deadline, orange 10 days before; closing needs the sign-offs of
  the owner unit's leader, then the inspection body). `collab.config` builds it from the
  deployment's settings.
- Overdue and the warning colour are derived as of a date, never stored. A finished task
  (done or verified) carries no warning.
- The warning's recipient escalates with its colour: yellow goes to the person in charge
  (主办人), orange to the leader in charge (分管领导), red to the unit's principal (主要负责人).
- Closing (销号) is not a state of its own, so the lifecycle stays the one of DOMAIN.md and
  the figures need not know it: it stamps `closed_on` on a verified task (with an Event). It
  is refused, with what is missing, unless the task has evidence and every configured
  sign-off, given in the configured order; a sign-off is an Event (kind `signoff`, its
  `role`, the signer as actor). Reopening clears the sign-offs, the closing, the done date
  and the verification.
- The completion figures of DOMAIN.md are `collab.analysis.figures.rectification`; this module
  keeps the ledger (整改台账) and the closing table (销号台账).
- Edits that are not transitions (evidence, evaluation, sign-off) lock the node and refuse a
  stale `expected_version`, like `transition` does, and bump the version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from collab.access import authz as access
from collab.access import regions
from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.cases.evidence_files import Attachment, attachments
from collab.cases.lifecycle import (
    Lifecycle,
    TransitionRefused,
    history,
    moves,
    record_event,
    transition,
)
from collab.errors import N_, ConfigError, ConflictError, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.queries.rectification import LEDGER
from collab.graph.store import Graph

LIFECYCLE = Lifecycle(
    "Rectification", "open",
    moves({"open": "in_progress done", "in_progress": "done", "done": "verified reopened",
           "verified": "reopened", "reopened": "in_progress done"}))
COMPLETE = ("done", "verified")
STATUSES = tuple(LIFECYCLE.names)
SIGNOFF_ROLES = {"unit_leader": "责任单位领导", "inspection_body": "巡察机构"}
COLOURS = {"green": "绿色", "yellow": "黄色", "orange": "橙色", "red": "红色"}
# Who a warning of each colour goes to: (the task property holding the name, the title).
RECIPIENTS = {"yellow": ("responsible", "主办人"), "orange": ("leader", "分管领导"),
              "red": ("principal", "主要负责人")}


@dataclass(frozen=True)
class RectificationPolicy:
    """The configurable rules of rectification; the defaults are the decided ones."""

    yellow_days: int = 20
    orange_days: int = 10
    signoffs: tuple[str, ...] = ("unit_leader", "inspection_body")

    def __post_init__(self) -> None:
        if not 0 <= self.orange_days <= self.yellow_days:
            raise ConfigError(N_("warning thresholds must satisfy 0 <= orange (%(orange)s) <= "
                                 "yellow (%(yellow)s)"), orange=self.orange_days,
                              yellow=self.yellow_days)
        unknown = [r for r in self.signoffs if r not in SIGNOFF_ROLES]
        if unknown:
            raise ConfigError(N_("unknown sign-off roles %(unknown)s; known: %(known)s"),
                              unknown=unknown, known=", ".join(SIGNOFF_ROLES))


DEFAULT_POLICY = RectificationPolicy()


def lock_version(g: Graph, label: str, key: str, expected_version: int | None) -> Node:
    """The node under its write lock, refusing a stale `expected_version` (ConflictError)."""
    node = g.lock(label, key)
    if node is None:
        raise NotFound(N_("no %(label)s %(key)r"), label=label, key=key)
    version = node.get("version") or 0
    if expected_version is not None and expected_version != version:
        raise ConflictError(N_("%(label)s %(key)s was changed by someone else meanwhile "
                               "(version %(version)s, you had %(expected)s): reload it"),
                            label=label, key=key, version=version, expected=expected_version)
    return node


def create(g: Graph, *, actor: Actor, no: str, issue: str, unit: str, title: str,
           deadline: date, on: date, responsible: str | None = None,
           leader: str | None = None, principal: str | None = None) -> Node:
    """A new task for `issue`, owned by `unit`, due on `deadline` (one issue may have several)."""
    if not no or not title:
        raise ValidationError(N_("a rectification task needs a number and a title"))
    if g.get("Rectification", no) is not None:
        raise ConflictError(N_("rectification %(no)s already exists"), no=no)
    if g.get("Issue", issue) is None:
        raise NotFound(N_("no issue %(no)r"), no=issue)
    owner = g.get("Unit", unit)
    if owner is None:
        raise NotFound(N_("no unit %(code)r"), code=unit)
    if deadline < on:
        raise ValidationError(N_("deadline %(deadline)s is before the task is set on %(on)s"),
                              deadline=deadline, on=on)
    g.upsert_nodes("Rectification", [{
        "no": no, "title": title, "deadline": deadline, "status": LIFECYCLE.initial,
        "status_on": on, "version": 0, "reopened": 0, "region_code": owner.get("region_code"),
        "responsible": responsible, "leader": leader, "principal": principal}])
    g.upsert_rels("HAS_TASK", [{"src": issue, "dst": no}], src="Issue", dst="Rectification")
    g.upsert_rels("OWNED_BY", [{"src": no, "dst": unit}], src="Rectification", dst="Unit")
    record_event(g, label="Rectification", key=no, actor=actor, on=on, kind="created",
                 to_status=LIFECYCLE.initial)
    return _get(g, no)


def advance(g: Graph, *, actor: Actor, no: str, to: str, on: date, reason: str = "",
            evidence: str | None = None, expected_version: int | None = None) -> Node:
    """Move the task along its lifecycle (closing is `close`)."""
    node = lock_version(g, "Rectification", no, expected_version)
    changes: dict[str, Any] = {}
    if evidence:
        changes["evidence"] = _append(node.get("evidence"), evidence, on)
    if to == "done":
        changes["done_on"] = on
    elif to == "verified":
        changes["verified_on"] = on
    elif to == "reopened":
        changes.update(reopened=(node.get("reopened") or 0) + 1, done_on=None,
                       verified_on=None, signoffs=None, closed_on=None)
    return transition(g, LIFECYCLE, key=no, to=to, actor=actor, on=on, reason=reason,
                      expected_version=expected_version, changes=changes)


def add_evidence(g: Graph, *, actor: Actor, no: str, text: str, on: date,
                 expected_version: int | None = None) -> Node:
    """Append an evidence note (整改佐证材料) to the task."""
    if not text.strip():
        raise ValidationError(N_("evidence needs some text"))
    node = lock_version(g, "Rectification", no, expected_version)
    _save(g, node, evidence=_append(node.get("evidence"), text, on))
    record_event(g, label="Rectification", key=no, actor=actor, on=on, kind="evidence",
                 reason=text)
    return _get(g, no)


def attach_file(g: Graph, *, actor: Actor, no: str, attachment: Attachment,
                expected_version: int | None = None) -> Node:
    """Attach an evidence file (kept already, by its hash) to a task not closed yet; the
    evidence notes say so, so a task with only files has its evidence for closing."""
    node = lock_version(g, "Rectification", no, expected_version)
    if node.get("closed_on") is not None:
        raise TransitionRefused(N_("rectification %(no)s is closed (销号): nothing more can be "
                                   "attached"), no=no)
    files = list(node.get("files") or [])
    if any(Attachment.of(f).sha256 == attachment.sha256 for f in files):
        raise ConflictError(N_("%(name)s is attached to rectification %(no)s already"),
                            name=attachment.name, no=no)
    note = f"附件：{attachment.name}（SHA-256 {attachment.sha256[:12]}）"
    _save(g, node, files=[*files, attachment.line()],
          evidence=_append(node.get("evidence"), note, attachment.on))
    record_event(g, label="Rectification", key=no, actor=actor, on=attachment.on,
                 kind="evidence_file", reason=attachment.name)
    return _get(g, no)


def evaluate(g: Graph, *, actor: Actor, no: str, score: float, on: date,
             expected_version: int | None = None) -> Node:
    """Record the quality-and-effect evaluation (整改质效评估, 0-100) of a finished task."""
    if not 0 <= score <= 100:
        raise ValidationError(N_("an evaluation score is between 0 and 100, got %(score)s"),
                              score=score)
    node = lock_version(g, "Rectification", no, expected_version)
    if node.get("status") not in COMPLETE:
        raise TransitionRefused(N_("rectification %(no)s is %(state)s: only a finished task "
                                   "can be evaluated"), no=no,
                                state=LIFECYCLE.states(node.get("status")))
    _save(g, node, score=float(score), evaluator=actor.name, evaluated_on=on)
    record_event(g, label="Rectification", key=no, actor=actor, on=on, kind="evaluation",
                 reason=f"评分 {score:g}")
    return _get(g, no)


def sign_off(g: Graph, *, actor: Actor, no: str, role: str, on: date,
             expected_version: int | None = None,
             policy: RectificationPolicy = DEFAULT_POLICY) -> Node:
    """The sign-off of `role` (signed by `actor`) towards closing; in the configured order."""
    node = lock_version(g, "Rectification", no, expected_version)
    if role not in policy.signoffs:
        raise ValidationError(N_("%(role)r is not a sign-off this configuration asks for; "
                                 "it asks for %(asked)s"), role=role,
                              asked=", ".join(policy.signoffs) or "none")
    if node.get("status") not in ("done", "verified"):
        raise TransitionRefused(N_("rectification %(no)s is %(state)s: sign-offs come after "
                                   "the task is done"), no=no,
                                state=LIFECYCLE.states(node.get("status")))
    signed = list(node.get("signoffs") or [])
    if role in signed:
        raise ConflictError(N_("rectification %(no)s already has the sign-off of %(role)s"),
                            no=no, role=SIGNOFF_ROLES[role])
    expected = policy.signoffs[len(signed)] if len(signed) < len(policy.signoffs) else None
    if role != expected:
        raise TransitionRefused(N_("rectification %(no)s needs the sign-off of %(role)s first"),
                                no=no, role=SIGNOFF_ROLES[expected or role])
    _save(g, node, signoffs=[*signed, role])
    uid = record_event(g, label="Rectification", key=no, actor=actor, on=on, kind="signoff",
                       reason=SIGNOFF_ROLES[role])
    g.upsert_nodes("Event", [{"uid": uid, "role": role}])
    return _get(g, no)


def close(g: Graph, *, actor: Actor, no: str, on: date, expected_version: int | None = None,
          policy: RectificationPolicy = DEFAULT_POLICY) -> Node:
    """Close (销号) a verified task: refused, saying what is missing, without evidence and
    every configured sign-off."""
    node = lock_version(g, "Rectification", no, expected_version)
    status = node.get("status")
    if status != "verified" or node.get("closed_on") is not None:
        state = "已销号" if node.get("closed_on") else LIFECYCLE.states(status)
        raise TransitionRefused(N_("rectification %(no)s is %(state)s: only a verified task "
                                   "that is not closed yet can be closed (销号)"),
                                no=no, state=state)
    missing = closing_missing(dict(node.props), policy)
    if missing:
        raise TransitionRefused(N_("rectification %(no)s cannot be closed (销号): missing "
                                   "%(missing)s"), no=no, missing="; ".join(missing))
    previous = node.get("status_on")
    if previous is not None and on < previous:
        raise TransitionRefused(N_("rectification %(no)s: %(on)s is before its previous step "
                                   "on %(previous)s"), no=no, on=on.isoformat(),
                                previous=previous.isoformat())
    _save(g, node, closed_on=on)
    record_event(g, label="Rectification", key=no, actor=actor, on=on, kind="closed")
    return _get(g, no)


def lacking(task: dict[str, Any], policy: RectificationPolicy) -> list[tuple[str, str]]:
    """What a task still lacks before closing, as codes a page names in its reader's
    language: ("evidence", ""), ("signoff", role)."""
    signed = task.get("signoffs") or []
    return ([] if (task.get("evidence") or "").strip() else [("evidence", "")]) + \
        [("signoff", r) for r in policy.signoffs if r not in signed]


def closing_missing(task: dict[str, Any], policy: RectificationPolicy) -> list[str]:
    """What a task still lacks before closing, in words; [] when it can be closed."""
    missing = []
    if not (task.get("evidence") or "").strip():
        missing.append("整改佐证材料 (evidence)")
    signed = task.get("signoffs") or []
    missing += [f"{SIGNOFF_ROLES[r]}签字 (sign-off: {r})" for r in policy.signoffs
                if r not in signed]
    return missing


def colour(*, deadline: date, status: str, as_of: date, policy: RectificationPolicy) -> str:
    """The warning colour of a task as of a date: green, yellow, orange or red."""
    if status in COMPLETE:
        return "green"
    left = (deadline - as_of).days
    if left < 0:
        return "red"
    if left <= policy.orange_days:
        return "orange"
    if left <= policy.yellow_days:
        return "yellow"
    return "green"


@dataclass(frozen=True)
class ColourWarning:
    """One task that needs attention: its colour and to whom the warning goes."""

    no: str
    title: str
    unit: str | None
    deadline: date
    status: str
    colour: str
    days_left: int
    recipient_title: str
    recipient: str | None


def ledger(g: Graph, *, region: str | None = None, statuses: tuple[str, ...] = STATUSES,
           start: date | None = None, end: date | None = None,
           nos: list[str] | None = None) -> list[dict[str, Any]]:
    """The rectification ledger (整改台账) of a region subtree, by deadline; dates as dates.

    `nos` keeps only the tasks with those numbers."""
    rows = g.run(LEDGER, prefix=regions.subtree_prefix(region) if region else "",
                 statuses=list(statuses), start=start or date.min, end=end or date.max,
                 nos=list(nos or []))
    for row in rows:
        for name in ("deadline", "done_on", "verified_on", "closed_on"):
            row[name] = date.fromisoformat(row[name]) if row[name] else None
    return rows


@dataclass(frozen=True)
class LedgerFilter:
    """What a ledger page narrows to besides region and state: the owning unit, who answers
    for the task (主办人, 分管领导 or 主要负责人, part of the name), the warning colour, and a
    window the deadline falls in."""

    unit: str | None = None
    owner: str = ""
    colour: str | None = None
    due_from: date | None = None
    due_to: date | None = None

    def keeps(self, row: dict[str, Any]) -> bool:
        owners = " ".join(str(row.get(k) or "") for k in ("responsible", "leader", "principal"))
        return ((self.unit is None or row.get("unit_code") == self.unit)
                and (not self.owner or self.owner in owners)
                and (self.colour is None or row["colour"] == self.colour)
                and (self.due_from is None or row["deadline"] >= self.due_from)
                and (self.due_to is None or row["deadline"] <= self.due_to))


def ledger_rows(g: Graph, *, authz: Authz, region: str | None, status: str | None,
                overdue_only: bool, as_of: date,
                policy: RectificationPolicy = DEFAULT_POLICY,
                narrow: LedgerFilter = LedgerFilter()) -> list[dict[str, Any]]:
    """The ledger of a region within reach (default: the actor's own), by deadline, each row
    with its warning colour as of a date; `overdue_only` keeps the red ones, `narrow` the
    rest of the page's filters."""
    if "Rectification" not in authz.listable():
        raise NotFound("not found")
    if region is not None:
        access.get(g, authz=authz, label="Region", key=region)
    if status is not None and status not in STATUSES:
        raise ValidationError(N_("unknown status %(value)r"), value=status)
    rows = ledger(g, region=region or authz.actor.region,
                  statuses=(status,) if status else STATUSES)
    if narrow.colour is not None and narrow.colour not in COLOURS:
        raise ValidationError(N_("unknown colour %(value)r"), value=narrow.colour)
    for row in rows:
        row["colour"] = colour(deadline=row["deadline"], status=row["status"], as_of=as_of,
                               policy=policy)
    return [r for r in rows if (not overdue_only or r["colour"] == "red") and narrow.keeps(r)]


def warnings(g: Graph, *, as_of: date, region: str | None = None,
             policy: RectificationPolicy = DEFAULT_POLICY) -> list[ColourWarning]:
    """Unfinished tasks due within the yellow threshold or overdue, reddest first."""
    unfinished = tuple(s for s in STATUSES if s not in COMPLETE)
    rows = ledger(g, region=region, statuses=unfinished,
                  end=as_of + timedelta(days=policy.yellow_days))
    out = []
    for row in rows:
        shade = colour(deadline=row["deadline"], status=row["status"], as_of=as_of,
                       policy=policy)
        prop, title = RECIPIENTS[shade]
        out.append(ColourWarning(row["no"], row["title"], row["unit_name"], row["deadline"],
                           row["status"], shade, (row["deadline"] - as_of).days, title,
                           row[prop]))
    return sorted(out, key=lambda w: (w.days_left, w.no))


def closing_table(g: Graph, *, as_of: date, region: str | None = None,
                  policy: RectificationPolicy = DEFAULT_POLICY
                  ) -> tuple[list[str], list[list[Any]]]:
    """The closing ledger (整改销号台账 / 归零台账) as units file it: headers and rows.

    One row per task, by deadline: the issue, the task, who answers for it, the deadline and
    completion, the evidence and score, each configured sign-off with its date, the closing
    date, and whether it was on time and what it still lacks.
    """
    headers = ["序号", "问题编号", "问题", "整改编号", "整改任务", "责任单位", "主办人",
               "分管领导", "主要负责人", "整改时限", "整改状态", "完成时间", "整改佐证材料",
               "质效评分"]
    for role in policy.signoffs:
        headers += [f"{SIGNOFF_ROLES[role]}签字", f"{SIGNOFF_ROLES[role]}签字日期"]
    headers += ["销号日期", "是否按期", "销号情况"]
    rows = []
    for i, r in enumerate(ledger(g, region=region), 1):
        signed = signoffs(g, r["no"])
        row = [i, r["issue_no"], r["issue_title"], r["no"], r["title"], r["unit_name"],
               r["responsible"], r["leader"], r["principal"], r["deadline"],
               LIFECYCLE.names[r["status"]], r["done_on"], r["evidence"], r["score"]]
        for role in policy.signoffs:
            row += list(signed.get(role, (None, None)))
        missing = closing_missing({"evidence": r["evidence"], "signoffs": list(signed)},
                                  policy)
        row += [r["closed_on"], _timeliness(r, as_of), _closing_state(r, missing)]
        rows.append(row)
    return headers, rows


def closing_for(g: Graph, *, authz: Authz, region: str | None, as_of: date,
                policy: RectificationPolicy = DEFAULT_POLICY
                ) -> tuple[list[str], list[list[Any]]]:
    """The closing ledger of a region within the actor's reach (default: its own)."""
    if "Rectification" not in authz.listable():
        raise NotFound("not found")
    if region is not None:
        access.get(g, authz=authz, label="Region", key=region)
    return closing_table(g, as_of=as_of, region=region or authz.actor.region, policy=policy)


def _timeliness(row: dict[str, Any], as_of: date) -> str:
    if row["done_on"] is not None:
        return "是" if row["done_on"] <= row["deadline"] else "否"
    return "否（已超期）" if row["deadline"] < as_of else "未到期"


def _closing_state(row: dict[str, Any], missing: list[str]) -> str:
    if row["closed_on"]:
        return "已销号"
    if row["status"] != "verified":
        return "待验收"
    if missing:
        return "待销号：缺" + "、".join(m.split(" (")[0] for m in missing)
    return "可销号"


def visible(g: Graph, *, authz: Authz, no: str) -> dict[str, Any]:
    """A task's properties, if the actor may see it (else not found)."""
    return dict(access.get(g, authz=authz, label="Rectification", key=no).props)


def task(g: Graph, *, authz: Authz, no: str, as_of: date,
         policy: RectificationPolicy = DEFAULT_POLICY) -> dict[str, Any]:
    """What a task's page shows and offers: the task within reach, its colour, the moves its
    state allows, the sign-off due next, what closing (销号) still lacks, and its steps."""
    node = access.get(g, authz=authz, label="Rectification", key=no)
    props, status = dict(node.props), node.get("status") or LIFECYCLE.initial
    signed = list(node.get("signoffs") or [])
    closed = node.get("closed_on") is not None
    due = [r for r in policy.signoffs if r not in signed]
    return {"task": access.visible_props(node), "status": status, "closed": closed,
            "colour": colour(deadline=node.get("deadline"), status=status, as_of=as_of,
                             policy=policy) if node.get("deadline") else "green",
            "moves": [] if closed else sorted(LIFECYCLE.allowed(status),
                                              key=list(LIFECYCLE.names).index),
            "next_signoff": due[0] if due and status in COMPLETE and not closed else None,
            "signed": [(r, SIGNOFF_ROLES[r], *signoffs(g, no).get(r, ("", None)))
                       for r in signed],
            "missing": lacking(props, policy),
            "may_close": status == "verified" and not closed,
            "may_evaluate": status in COMPLETE and not closed,
            "events": history(g, "Rectification", no), "version": node.get("version") or 0,
            "files": attachments(props)}


def signoffs(g: Graph, no: str) -> dict[str, tuple[str, date]]:
    """Who signed each role of a task's closing, and when: {role: (signer, on)}."""
    events = g.nodes("Event", where={"object_label": "Rectification", "object_key": no,
                                     "kind": "signoff"}, order_by="at")
    return {e.get("role"): (e.get("actor"), e.get("on")) for e in events}


def _append(existing: str | None, text: str, on: date) -> str:
    line = f"[{on.isoformat()}] {text.strip()}"
    return f"{existing}\n{line}" if existing else line


def _save(g: Graph, node: Node, **changes: Any) -> None:
    g.upsert_nodes("Rectification", [{**changes, "no": node.key,
                                      "version": (node.get("version") or 0) + 1}])


def _get(g: Graph, no: str) -> Node:
    node = g.get("Rectification", no)
    if node is None:
        raise NotFound(N_("no rectification %(no)r"), no=no)
    return node
