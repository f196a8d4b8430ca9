"""How labels, properties, roles and states are named on the pages (translatable)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from collab.access.authz import ADMIN_ROLES, Perm
from collab.cases import checks, clues, rectification
from collab.cases.lifecycle import Lifecycle

LABELS = {
    "Region": _l("Regions"), "Unit": _l("Units"), "Department": _l("Departments"),
    "Round": _l("Rounds"), "Group": _l("Groups"), "Person": _l("People"),
    "Issue": _l("Issues"), "Rectification": _l("Rectification tasks"), "Clue": _l("Clues"),
    "Transfer": _l("Transfers"), "Case": _l("Cases"), "JointCheck": _l("Joint checks"),
    "Support": _l("Support acts"), "Letter": _l("Letters"), "Event": _l("Events"),
}
PROPS = {
    "code": _l("Code"), "name": _l("Name"), "title": _l("Title"), "no": _l("Number"),
    "status": _l("Status"), "region_code": _l("Region code"), "level": _l("Level"),
    "kind": _l("Kind"), "category": _l("Category"), "source": _l("Source"),
    "found_on": _l("Found on"), "registered_on": _l("Registered on"),
    "filed_on": _l("Filed on"), "deadline": _l("Deadline"), "id_masked": _l("ID number"),
    "gender": _l("Gender"), "birth_date": _l("Birth date"), "synthetic": _l("Synthetic"),
    "summary": _l("Summary"), "description": _l("Description"), "at": _l("Date"),
    "letter_no": _l("Letter number"), "department_code": _l("Department code"),
    "clue_no": _l("Clue number"), "year": _l("Year"), "start": _l("Start"), "end": _l("End"),
    "severity": _l("Severity"), "outcome": _l("Outcome"), "version": _l("Version"),
}
ROLES = {
    "system_admin": _l("System admin"), "security_admin": _l("Security admin"),
    "audit_admin": _l("Audit admin"), "coordinator": _l("Coordinator"),
    "inspector": _l("Inspector"), "leader": _l("Leader"), "liaison": _l("Liaison"),
    "pending": _l("No role yet"),
}
# Lifecycle states (collab/cases: clues, transfers, rectification, checks) as people name them.
# A code means the same in every lifecycle but for the few that `STATES_OF` names per label.
STATES = {
    "registered": _l("Registered"), "transferred": _l("Transferred"),
    "accepted": _l("Accepted"), "inquiry": _l("Inquiry by talk or letter"),
    "verification": _l("Preliminary verification"), "on_hold": _l("On hold"),
    "closed": _l("Closed"), "case_filed": _l("Case filed"), "returned": _l("Returned"),
    "open": _l("Not started"), "in_progress": _l("In progress"), "done": _l("Done"),
    "verified": _l("Checked and accepted"), "reopened": _l("Reopened"), "planned": _l("Planned"),
    "reported": _l("Reported"),
}
LIFECYCLES: dict[str, Lifecycle] = {lc.label: lc for lc in (
    clues.CLUE, clues.TRANSFER, rectification.LIFECYCLE, checks.LIFECYCLE)}
# Properties that hold a state code.
STATE_PROPS = frozenset({"status", "disposal", "from_status", "to_status"})
STATES_OF = {
    "Rectification": {"in_progress": _l("Being rectified")},
    "JointCheck": {"in_progress": _l("Under check"), "closed": _l("Finished")},
}
DEPARTMENT_KINDS = {
    "discipline": _l("Discipline inspection and supervision"),
    "organisation": _l("Organisation department"), "audit": _l("Audit"),
    "finance": _l("Finance"), "human_resources": _l("Human resources and social security"),
    "petitions": _l("Letters and visits"), "public_security": _l("Public security"),
    "agriculture": _l("Agriculture and rural affairs"),
    "rural_revitalisation": _l("Rural revitalisation"),
    "inspection_office": _l("Inspection office"), "other": _l("Other"),
}
FIGURES = {"Issue": _l("Issues"), "Clue": _l("Clues"), "Transfer": _l("Transfers"),
           "Case": _l("Cases"), "JointCheck": _l("Joint checks")}


def state_name(code: Any, label: str | None = None) -> str:
    """A lifecycle state as people read it (已移交), in the page's language; unknown codes as is."""
    if not code:
        return ""
    name = STATES_OF.get(label or "", {}).get(code) or STATES.get(code)
    return str(name) if name is not None else str(code)


def state_names(codes: Any, label: str | None = None) -> str:
    """Several states as one phrase, joined the way the page's language lists things."""
    joiner = "、" if str(get_locale()) == "zh" else ", "
    return joiner.join(state_name(c, label) for c in codes)


def _can(perm: str) -> bool:
    return bool(current_user.is_authenticated and current_user.authz.can(Perm(perm)))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(LABELS=LABELS, PROPS=PROPS, ROLES=ROLES, FIGURES=FIGURES,
                                 DEPARTMENT_KINDS=DEPARTMENT_KINDS, STATE_PROPS=STATE_PROPS,
                                 ADMIN_ROLES=frozenset(str(r) for r in ADMIN_ROLES), can=_can)
    app.jinja_env.filters["state"] = state_name
