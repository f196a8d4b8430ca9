"""Problem clues and the transfer protocol (移交 → 接收 → 反馈), as two lifecycles.

Each Transfer (one clue handed to one department) has its own lifecycle: `transferred` →
`accepted` → a disposal (`inquiry`, `verification`, `on_hold`, `closed`) → from inquiry or
verification `case_filed` or `closed`; from on_hold (暂存待查, a clue set aside) `inquiry`,
`verification` or `closed`; `returned` (退回) from transferred or accepted. Every step goes
through `lifecycle.transition`, so it is refused when the table does not allow it or its date is
before the previous step, and it leaves an Event (when, who, why).

The Clue's own status follows its transfers, by one rule, and is moved through the same
machinery (so it too keeps its history):
- the first transfer moves a registered clue to `transferred`;
- a clue is `case_filed` as soon as any transfer files a case;
- it is `closed` only when every live (not returned) transfer is closed;
- otherwise it is at the furthest step any live transfer has reached, ranked transferred <
  accepted < on_hold < inquiry = verification; it never moves back on account of another
  transfer (inquiry and verification rank alike, so a clue in inquiry stays there while a second
  department verifies);
- when its last live transfer is returned, it moves to `returned` and then back to `registered`
  (two recorded steps), ready to be transferred again.
A clue's step is dated with the transfer step's date, or its own previous step's date when
that is later (transfers to several departments are recorded in any order). Each step also
refreshes the clue's figure shortcut (`clue_facts`) in the same transaction.

Transfer dates: `feedback_due` is the transfer date plus the department's `feedback_days`
(else `DEFAULT_FEEDBACK_DAYS`, or the caller's default); `received_on` is set on acceptance;
`feedback_on` and `disposed_on` on the first disposal (the department's feedback closes the
loop); a returned transfer awaits nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from collab.access.actors import Actor
from collab.access.regions import subtree_prefix
from collab.cases import clue_facts
from collab.cases.lifecycle import Lifecycle, TransitionRefused, moves, record_event, transition
from collab.errors import N_, ConflictError, NotFound, ValidationError
from collab.graph.codec import Node, derive_uid, updated
from collab.graph.queries.clues import AGAINST, AWAITING
from collab.graph.store import Graph

DEFAULT_FEEDBACK_DAYS = 30
INSPECTION_ORIGIN = "inspection_clue"

DISPOSALS = ("inquiry", "verification", "on_hold", "closed")

TRANSFER = Lifecycle("Transfer", "transferred", moves({
    "transferred": "accepted returned",
    "accepted": "inquiry verification on_hold closed returned",
    "on_hold": "inquiry verification closed",
    "inquiry": "case_filed closed",
    "verification": "case_filed closed",
    "case_filed": "", "closed": "", "returned": "",
}))

CLUE = Lifecycle("Clue", "registered", moves({
    "registered": "transferred",
    "transferred": "accepted returned",
    "accepted": "inquiry verification on_hold closed returned",
    "on_hold": "inquiry verification closed",
    "inquiry": "case_filed closed",
    "verification": "case_filed closed",
    "returned": "registered",
    "case_filed": "", "closed": "",
}))

_RANK = {"registered": 0, "returned": 0, "transferred": 1, "accepted": 2, "on_hold": 3,
         "inquiry": 4, "verification": 4, "closed": 5, "case_filed": 6}
_SETTLED = ("closed", "case_filed")


def register(g: Graph, *, actor: Actor, no: str, title: str, on: date, region_code: str,
             category: str | None = None, summary: str | None = None,
             source: str | None = None, issue_no: str | None = None,
             against: Sequence[str] = ()) -> Node:
    """Register a clue (from an issue, or a petition), against the people (uids) it names."""
    if not no.strip() or not title.strip():
        raise ValidationError(N_("a clue needs a number and a title"))
    if g.get("Clue", no) is not None:
        raise ConflictError(N_("clue %(no)s is already registered"), no=no)
    if issue_no is not None and g.get("Issue", issue_no) is None:
        raise NotFound(N_("no issue %(no)r to register the clue from"), no=issue_no)
    g.upsert_nodes("Clue", [{"no": no, "title": title, "summary": summary, "source": source,
                             "category": category, "region_code": region_code,
                             "registered_on": on, "status": CLUE.initial, "status_on": on,
                             "version": 0}])
    if issue_no is not None:
        g.upsert_rels("FROM_ISSUE", [{"src": no, "dst": issue_no}], src="Clue", dst="Issue")
    g.upsert_rels("AGAINST", [{"src": no, "dst": p} for p in against], src="Clue", dst="Person")
    record_event(g, label="Clue", key=no, actor=actor, on=on, kind="registered",
                 to_status=CLUE.initial)
    return _get(g, "Clue", no)


def transfer(g: Graph, *, actor: Actor, clue: Node | str, to: Node | str, on: date,
             letter_no: str, default_feedback_days: int = DEFAULT_FEEDBACK_DAYS,
             feedback_due: date | None = None) -> Node:
    """Hand a clue to a department under a letter; the new Transfer node.

    The feedback is due `feedback_due` when given (after the transfer date), else after the
    department's own period or `default_feedback_days`.

    `clue` and `to` are the nodes when the caller has read them already (the clue under its
    write lock, as the command runner does), else the clue's number and the department's code.
    """
    clue = clue if isinstance(clue, Node) else _locked(g, "Clue", clue)
    department = to if isinstance(to, Node) else g.get("Department", to)
    if department is None:
        raise NotFound(N_("no department %(code)s"), code=to)
    clue_no, code = clue.key, department.key
    status = clue.get("status") or CLUE.initial
    if status in _SETTLED:
        raise TransitionRefused(N_("clue %(no)s is %(state)s: a settled clue cannot be "
                                   "transferred again"), no=clue_no, state=CLUE.states(status))
    if not letter_no.strip():
        raise ValidationError(N_("a transfer needs the number of its letter (移交函号)"))
    existing = _transfers(g, clue_no)
    if any(t.get("department_code") == code and t.get("status") != "returned"
           for t in existing):
        raise ConflictError(N_("clue %(no)s is already with %(department)s"), no=clue_no,
                            department=department.get("name"))
    registered_on = clue.get("registered_on")
    if registered_on is not None and on < registered_on:
        raise TransitionRefused(N_("clue %(no)s: transfer date %(on)s is before its "
                                   "registration on %(registered)s"), no=clue_no,
                                on=on.isoformat(), registered=registered_on.isoformat())
    if feedback_due is not None and feedback_due <= on:
        raise ValidationError(N_("the feedback due date %(due)s must come after the transfer "
                                 "date %(on)s"), due=feedback_due.isoformat(), on=on.isoformat())
    days = department.get("feedback_days") or default_feedback_days
    # Both writers of transfers (this function and a ledger import) number them
    # `{clue_no}/{n}` with their clue_no, so the clue's transfers hold every number taken.
    taken = {t.key for t in existing}
    n = len(existing) + 1
    while f"{clue_no}/{n}" in taken:
        n += 1  # numbered otherwise by an import
    no = f"{clue_no}/{n}"
    row = {"no": no, "clue_no": clue_no, "department_code": code, "at": on,
           "letter_no": letter_no, "by": actor.name, "status": TRANSFER.initial,
           "status_on": on, "feedback_due": feedback_due or on + timedelta(days=days),
           "region_code": clue.get("region_code"), "version": 0}
    g.upsert_nodes("Transfer", [row])
    g.upsert_rels("TRANSFERRED", [{"src": clue_no, "dst": no}], src="Clue", dst="Transfer")
    g.upsert_rels("TO", [{"src": no, "dst": code}], src="Transfer", dst="Department")
    record_event(g, label="Transfer", key=no, actor=actor, on=on, kind="transferred",
                 to_status=TRANSFER.initial, reason=letter_no)
    created = updated(Node(derive_uid("Transfer", no), "Transfer"), row)
    _follow(g, clue, [*existing, created], actor=actor, on=on, reason=f"移交 {no}")
    return created


def accept(g: Graph, *, actor: Actor, transfer_no: str, on: date, reason: str = "") -> Node:
    """The department acknowledges receipt (接收): the receipt date is recorded."""
    return _step(g, transfer_no, "accepted", actor=actor, on=on, reason=reason,
                 changes={"received_on": on})


def dispose(g: Graph, *, actor: Actor, transfer_no: str, disposal: str, on: date,
            reason: str = "") -> Node:
    """Record the department's disposal (处置): inquiry, verification, on_hold or closed."""
    if disposal not in DISPOSALS:
        raise ValidationError(N_("unknown disposal %(disposal)r; one of: %(disposals)s"),
                              disposal=disposal, disposals=CLUE.states(*DISPOSALS))
    node = _locked(g, "Transfer", transfer_no)
    changes: dict[str, Any] = {"disposal": disposal}
    if node.get("disposed_on") is None:
        changes.update(disposed_on=on, feedback_on=on)
    return _step(g, transfer_no, disposal, actor=actor, on=on, reason=reason, changes=changes)


def return_transfer(g: Graph, *, actor: Actor, transfer_no: str, on: date, reason: str) -> Node:
    """The department sends the clue back (退回), saying why."""
    if not reason.strip():
        raise ValidationError(N_("a returned clue needs the reason it was returned"))
    return _step(g, transfer_no, "returned", actor=actor, on=on, reason=reason)


def file_case(g: Graph, *, actor: Actor, transfer_no: str, case_no: str, on: date,
              title: str | None = None, subjects: Sequence[str] | None = None,
              reason: str = "") -> Node:
    """The department files a case (立案) from the clue: Case, BECAME, FILED_BY, SUBJECT.

    The subjects default to the people the clue is against. A transfer that has already
    become a case is a conflict (someone filed it meanwhile), not a refused move.
    """
    if _locked(g, "Transfer", transfer_no).get("status") == "case_filed":
        raise ConflictError(N_("transfer %(no)s has already become a case"), no=transfer_no)
    if g.get("Case", case_no) is not None:
        raise ConflictError(N_("case %(no)s already exists"), no=case_no)
    step = _step(g, transfer_no, "case_filed", actor=actor, on=on, reason=reason)
    clue_no, department = step.get("clue_no"), step.get("department_code")
    clue = _get(g, "Clue", clue_no)
    g.upsert_nodes("Case", [{"no": case_no, "title": title or clue.get("title"),
                             "filed_on": on, "origin": INSPECTION_ORIGIN,
                             "department_code": department,
                             "region_code": clue.get("region_code")}])
    g.upsert_rels("BECAME", [{"src": clue_no, "dst": case_no}], src="Clue", dst="Case")
    g.upsert_rels("FILED_BY", [{"src": case_no, "dst": department}], src="Case",
                  dst="Department")
    people = _against(g, clue_no) if subjects is None else list(subjects)
    g.upsert_rels("SUBJECT", [{"src": case_no, "dst": p} for p in people], src="Case",
                  dst="Person")
    record_event(g, label="Case", key=case_no, actor=actor, on=on, kind="filed",
                 reason=f"线索 {clue_no} 移交 {transfer_no}")
    clue_facts.refresh(g, [clue_no])
    return _get(g, "Case", case_no)


def steps_offered(status: str | None) -> dict[str, Any]:
    """The receiving department's steps a transfer in `status` allows (the page offers these
    and no others): accept, return and file a case as flags, the disposals it may record."""
    allowed = TRANSFER.allowed(status or TRANSFER.initial)
    return {"accept": "accepted" in allowed, "return": "returned" in allowed,
            "file_case": "case_filed" in allowed,
            "dispose": [d for d in DISPOSALS if d in allowed]}


def awaiting(g: Graph, *, as_of: date, department: str | None = None,
             region: str | None = None) -> list[dict[str, Any]]:
    """Transfers awaiting receipt or feedback as of a date, the overdue ones marked.

    The closed loop the departments are judged on: each row says what it awaits
    ('receipt' or 'feedback') and whether its feedback due date has passed.
    """
    prefix = None if region is None else subtree_prefix(region)
    rows = g.run(AWAITING, as_of=as_of, department=department, prefix=prefix,
                 disposed=[*DISPOSALS, "case_filed"])
    return [{**r, "at": _date(r["at"]), "feedback_due": _date(r["feedback_due"]),
             "overdue": bool(r["overdue"])} for r in rows]


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _step(g: Graph, transfer_no: str, to: str, *, actor: Actor, on: date, reason: str,
          changes: dict[str, Any] | None = None) -> Node:
    """Move one transfer, then its clue as the module's rule says; the updated transfer."""
    node = transition(g, TRANSFER, key=transfer_no, to=to, actor=actor, on=on, reason=reason,
                      changes=changes)
    clue_no = node.get("clue_no")
    _follow(g, _locked(g, "Clue", clue_no), _transfers(g, clue_no), actor=actor, on=on,
            reason=f"移交 {transfer_no}: {TRANSFER.names.get(to, to)}")
    return node


def clue_status_for(current: str, transfers: Sequence[str]) -> str:
    """The status the module's rule gives a clue at `current` with these transfer statuses."""
    live = [s for s in transfers if s != "returned"]
    if not live:
        return "registered" if current in ("registered", "returned") or not transfers \
            else "returned"
    if "case_filed" in live:
        return "case_filed"
    if all(s == "closed" for s in live):
        return "closed"
    furthest = max((s for s in live if s != "closed"), key=_RANK.__getitem__)
    return furthest if _RANK[furthest] > _RANK[current] else current


def _follow(g: Graph, clue: Node, transfers: Sequence[Node], *, actor: Actor, on: date,
            reason: str) -> None:
    """Move the clue (read under its lock) to where its transfers put it (through
    `returned` back to registered), and refresh its figure shortcut."""
    current = clue.get("status") or CLUE.initial
    target = clue_status_for(current, [t.get("status") or TRANSFER.initial
                                       for t in transfers])
    last = clue.get("status_on")
    when = max(on, last) if last is not None else on
    if target != current:
        clue = transition(g, CLUE, key=clue.key, to=target, actor=actor, on=when,
                          reason=reason, node=clue)
    if target == "returned":
        clue = transition(g, CLUE, key=clue.key, to="registered", actor=actor, on=when,
                          reason="退回后重新登记", node=clue)
    clue_facts.refresh(g, [clue.key], read=[clue])


def _transfers(g: Graph, clue_no: str) -> list[Node]:
    return list(g.nodes("Transfer", where={"clue_no": clue_no}))


def _against(g: Graph, clue_no: str) -> list[str]:
    rows = g.run(AGAINST, clue_no=clue_no)
    return [r["uid"] for r in rows]


def _get(g: Graph, label: str, key: str) -> Node:
    node = g.get(label, key)
    if node is None:
        raise NotFound(N_("no %(label)s %(key)r"), label=label, key=key)
    return node


def _locked(g: Graph, label: str, key: str) -> Node:
    node = g.lock(label, key)
    if node is None:
        raise NotFound(N_("no %(label)s %(key)r"), label=label, key=key)
    return node

