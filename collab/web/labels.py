"""How labels, properties, roles and states are named on the pages (translatable)."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from collab.cases.authz import Perm

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
FIGURES = {"Issue": _l("Issues"), "Clue": _l("Clues"), "Transfer": _l("Transfers"),
           "Case": _l("Cases"), "JointCheck": _l("Joint checks")}


def _can(perm: str) -> bool:
    return bool(current_user.is_authenticated and current_user.authz.can(Perm(perm)))


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(LABELS=LABELS, PROPS=PROPS, ROLES=ROLES, FIGURES=FIGURES,
                                 can=_can)
