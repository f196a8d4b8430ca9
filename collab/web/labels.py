"""Names from `collab.graph.names` in the page's language, for templates, forms and views.

Every label, relationship, property, state, role, event and coded value a page shows goes
through here; nothing is shown by its code. A property without a name is left out.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import get_locale, gettext
from flask_login import current_user
from markupsafe import escape

from collab.access.audit import Note
from collab.access.authz import ADMIN_ROLES, Perm
from collab.analysis.models import MODELS, hits
from collab.cases import checks, clues, rectification
from collab.cases.lifecycle import Lifecycle
from collab.graph import names, schema
from collab.graph.names import Name
from collab.web import when


def lang() -> str:
    """The page's language code (zh or en)."""
    return "en" if str(get_locale()) == "en" else "zh"


class Shown:
    """A name that reads itself in the language of the page it is shown on (lazy, like
    `lazy_gettext`), so tables and form choices can be built at import time."""

    def __init__(self, name: Name, plural: bool = False):
        self.name, self._plural = name, plural

    def __str__(self) -> str:
        return self.name.plural(lang()) if self._plural else self.name.of(lang())

    def __html__(self) -> str:
        return str(escape(str(self)))

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(self.name)


class Names(Mapping[str, Shown]):
    """A table of `Name`s read in the page's language."""

    def __init__(self, table: Mapping[str, Name], plural: bool = False):
        self._table, self._plural = table, plural

    def __getitem__(self, key: str) -> Shown:
        return Shown(self._table[key], self._plural)

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


LABELS = Names(names.LABELS, plural=True)  # headings and menus: 问题线索 / Clues
LABEL = Names(names.LABELS)  # one of them: 问题线索 / Clue
ROLES = Names(names.ROLES)
STATES = Names(names.STATES)
DEPARTMENT_KINDS = Names(names.DEPARTMENT_KINDS)
REASONS = Names(names.PROPOSAL_REASONS)
DATASET_KINDS = Names(names.DATASET_KINDS)
SEVERITIES = Names(names.SEVERITIES)
EVIDENCE_ROLES = Names(names.EVIDENCE_ROLES)  # the part each node plays in a hit's evidence
WARNINGS = Names(names.WARNINGS)
FIGURES = {label: LABELS[label] for label in ("Issue", "Clue", "Transfer", "Case", "JointCheck")}
LIFECYCLES: dict[str, Lifecycle] = {lc.label: lc for lc in (
    clues.CLUE, clues.TRANSFER, rectification.LIFECYCLE, checks.LIFECYCLE, hits.LIFECYCLE)}
STATE_PROPS = names.STATE_PROPS


def _of(name: Name | None, fallback: Any) -> str:
    return name.of(lang()) if name is not None else str(fallback)


def label_name(label: str) -> str:
    """A label as one thing: 人员 / Person."""
    return _of(names.LABELS.get(label), label)


def state_name(code: Any, label: str | None = None) -> str:
    """A lifecycle state as people read it (已移交), in the page's language; unknown codes as is."""
    if not code:
        return ""
    return _of(names.state_name(str(code), label), code)


def state_names(codes: Any, label: str | None = None) -> str:
    """Several states as one phrase, joined the way the page's language lists things."""
    joiner = ", " if lang() == "en" else "、"
    return joiner.join(state_name(c, label) for c in codes)


def rel_name(rel_type: str, forward: bool = True) -> str:
    """A relationship type as a verb, read from the node it starts at or from its other end."""
    verb = names.REL_TYPES.get(rel_type)
    return _of(verb.forward if forward else verb.back, rel_type) if verb else rel_type


def prop_name(label: str, prop: str) -> str | None:
    """A property's name, or None for one that is not shown."""
    name = names.prop_name(label, prop)
    return name.of(lang()) if name else None


def value(label: str, prop: str, raw: Any) -> str:
    """A property's value as people read it: codes (and supervision models) named, 是/否,
    dates and times in the deployment's time zone, lists joined."""
    if raw is None:
        return ""
    if prop == "model" and label in ("ModelHit", "ModelRun") and raw in MODELS:
        return MODELS[raw].name(lang())  # the models are declared in collab.analysis
    named = names.value_name(label, prop, raw)
    if named is not None:
        return named.of(lang())
    if isinstance(raw, datetime):
        return when.moment(raw)
    if isinstance(raw, date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return f"{int(raw):,}"
    if isinstance(raw, list | tuple):
        return ("、" if lang() == "zh" else ", ").join(value(label, prop, v) for v in raw)
    return str(raw)


def shown_props(label: str, props: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """The (code, name, value) of each named, non-empty property, in the schema's order."""
    node = schema.label(label)
    order = [*node.props, *(p for p in schema.COMMON_PROPS if p not in node.props)]
    return [(k, n, value(label, k, props[k])) for k in order
            if props.get(k) not in (None, "", []) and (n := prop_name(label, k)) is not None]


def rel_props(rel: Any) -> list[tuple[str, str, str]]:
    """The named properties of a relationship, as (code, name, value)."""
    return [(k, n, value(rel.type, k, v)) for k, v in sorted(rel.props.items())
            if v not in (None, "", []) and (n := prop_name(rel.type, k)) is not None]


def what_changed(label: str, detail: Any) -> list[tuple[str, str, str]]:
    """An audit record's before/after (JSON text) as (property name, before, after), naming
    only properties that pages show."""
    try:
        change = json.loads(detail) if isinstance(detail, str) and detail else {}
    except ValueError:
        return []
    before, after = change.get("before") or {}, change.get("after") or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return []
    return [(n, value(label, k, before.get(k)), value(label, k, after.get(k)))
            for k in sorted(before.keys() | after.keys())
            if (n := prop_name(label, k)) is not None]


def event_name(event: str) -> str:
    return _of(names.EVENTS.get(event), event)


class _ModelNames:
    """A model's name by its code, in the page's language (a lookup for templates)."""

    def get(self, code: str, default: Any = None) -> Any:
        model = MODELS.get(code)
        return default if model is None else model.name(lang())


def _can(perm: str) -> bool:
    return bool(current_user.is_authenticated and current_user.authz.can(Perm(perm)))


def said(note: Note) -> str:
    """A verdict's note in the page's language, its moments in local time."""
    return gettext(note.template) % {k: when.moment(v, seconds=False)
                                     if isinstance(v, datetime) else v
                                     for k, v in note.params.items()}


FILTERS: dict[str, Callable[..., str]] = {
    "said": said,
    "state": state_name, "label_name": label_name, "rel_name": rel_name,
    "event_name": event_name, "moment": when.moment, "day": when.day}


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(LABELS=LABELS, LABEL=LABEL, ROLES=ROLES, FIGURES=FIGURES,
                                 DEPARTMENT_KINDS=DEPARTMENT_KINDS, STATE_PROPS=STATE_PROPS,
                                 REASONS=REASONS, WARNINGS=WARNINGS, can=_can,
                                 DATASET_KINDS=DATASET_KINDS, SEVERITIES=SEVERITIES,
                                 EVIDENCE_ROLES=EVIDENCE_ROLES, MODEL_NAMES=_ModelNames(),
                                 ADMIN_ROLES=frozenset(str(r) for r in ADMIN_ROLES),
                                 prop_name=prop_name, value=value, shown_props=shown_props,
                                 shown_props_of_rel=rel_props, what_changed=what_changed)
    app.jinja_env.filters.update(FILTERS)
