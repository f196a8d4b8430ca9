"""The pickers' lists as JSON (`/pick/<kind>.json?q=`), and reading a picked field back.

A form field that names a department, unit, region, person, issue or task is drawn with
`_pick.html`: a text box people type Chinese, pinyin, initials or a number into, a list the
script fills from here, and a hidden key the chosen entry sets. `picked` reads the field back
through `collab.cases.pickers.resolve`, so a name typed without the script works too and a
wrong or foreign value becomes a message on the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, jsonify, request
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import Field

from collab.cases import pickers
from collab.errors import ValidationError
from collab.web import auditing
from collab.web.echo import shown
from collab.web.errors import message
from collab.web.store import current_store

bp = Blueprint("pick", __name__, url_prefix="/pick")


@bp.route("/<kind>.json")
def choices(kind: str) -> Any:
    authz, q = current_user.authz, request.args.get("q", "")[:64]
    found = current_store().read(lambda tx: pickers.choices(tx, authz=authz, kind=kind, q=q))
    return jsonify([c.as_json() for c in found])


def picked(field: Field, kind: str) -> str | None:
    """The key `field` names (its hidden `<name>_key` sent by the list, else its text), or
    None with the reason added to the field's errors."""
    authz = current_user.authz
    key = request.form.get(f"{field.name}_key", "")
    try:
        return current_store().read(lambda tx: pickers.resolve(
            tx, authz=authz, kind=kind, key=key, text=field.data or ""))
    except ValidationError as refused:
        field.errors = [*field.errors, _said(refused, field.data or "")]
        field.data = shown(field.data or "")
        return None


def picked_many(field: Field, kind: str) -> list[str] | None:
    """The keys of a multiple picker (its chips, and what is left typed in its box), or None
    with the reason on the field."""
    authz = current_user.authz
    keys = request.form.getlist(f"{field.name}_keys")
    typed = (field.data or "").strip()
    try:
        found = current_store().read(lambda tx: [
            pickers.resolve(tx, authz=authz, kind=kind, key=k, text="") for k in keys]
            + ([pickers.resolve(tx, authz=authz, kind=kind, text=typed)] if typed else []))
    except ValidationError as refused:
        field.errors = [*field.errors, _said(refused, typed)]
        field.data = shown(typed)
        return None
    return list(dict.fromkeys(found))


def picked_all(form: FlaskForm, kinds: Mapping[str, str]) -> dict[str, str | None] | None:
    """The keys a form's picker fields name (field name → picker kind; an empty field is
    None), or None when any names nothing within reach (each such field gets its message)."""
    found: dict[str, str | None] = {}
    refused = False
    for name, kind in kinds.items():
        field = form[name]
        if not (field.data or "").strip() and not request.form.get(f"{name}_key"):
            found[name] = None
            continue
        found[name] = picked(field, kind)
        refused = refused or found[name] is None
    return None if refused else found


def picked_arg(name: str, kind: str) -> tuple[str | None, str, str]:
    """A list filter's picker in the query string: (the key, the text to show again, the
    message when the text names nothing within reach)."""
    authz = current_user.authz
    key, text = request.args.get(f"{name}_key", ""), request.args.get(name, "").strip()
    if not key and not text:
        return None, "", ""
    try:
        found = current_store().read(lambda tx: pickers.resolve(
            tx, authz=authz, kind=kind, key=key, text=text))
    except ValidationError as refused:
        auditing.refused()
        return None, shown(text), _said(refused, text)
    return found, shown(text) or found, ""


def _said(refused: ValidationError, typed: str) -> str:
    """Why a typed value named nothing, with the value as a page may show it (an ID number
    typed into a picker comes back masked, like every value a page shows back)."""
    return message(refused).replace(typed, shown(typed)) if typed else message(refused)
