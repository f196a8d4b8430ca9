"""Pickers: what a form's list offers as one types, and the typed value read back as a key.

People pick a department, unit, region, person, issue or task by how they know it — its
Chinese name or title, its pinyin or initials, or its number — never by typing a code. Only
objects within the actor's reach are offered, and `resolve` refuses (as a message on the
field, not an error page) anything else: a foreign key sent by hand is "not found" exactly
like an unknown one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from collab.access import authz as access
from collab.access.authz import Authz, Role
from collab.cases.nodes import title_prop
from collab.errors import N_, NotFound, ValidationError
from collab.graph import schema
from collab.graph.codec import Node
from collab.graph.store import Cond, Graph, Op

# What a form may ask to pick, and the label each is.
KINDS = {"department": "Department", "unit": "Unit", "region": "Region", "person": "Person",
         "group": "Group", "round": "Round",
         "issue": "Issue", "rectification": "Rectification", "clue": "Clue", "case": "Case",
         "transfer": "Transfer", "check": "JointCheck"}
LIMIT = 20
_LATIN = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class Choice:
    """One entry of a picker's list: the key a form sends, the text people read."""

    key: str
    text: str
    hint: str
    # a department's own feedback period (days), for the transfer form's due date
    feedback_days: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "text": self.text, "hint": self.hint,
                **({"feedback_days": self.feedback_days} if self.feedback_days else {})}


def label_of(kind: str) -> str:
    """The label a picker kind lists (not found for a kind no form asks for)."""
    if kind not in KINDS:
        raise NotFound("not found")
    return KINDS[kind]


def _choice(node: Node) -> Choice:
    shown = title_prop(node.label)
    text = str(node.get(shown) or node.key) if shown else node.key
    return Choice(node.key, text, "" if text == node.key else node.key,
                  node.get("feedback_days") if node.label == "Department" else None)


def _filters(label: str, text: str) -> list[dict[str, Cond]]:
    """The searches one typed text runs: the number's start; the words of a title or
    summary through the full-text index (`NodeType.text`), else the name's inside (a
    person's start); and for letters the start of the pinyin or initials."""
    node = schema.label(label)
    props = schema.node_props(node)
    key, shown = node.key, title_prop(label)
    found: list[dict[str, Cond]] = []
    if key != "uid":
        found.append({key: Cond(Op.PREFIX, text)})
    if node.text:
        found += [{p: Cond(Op.WORDS, text)} for p in node.text]
    elif shown:
        found.append({shown: Cond(Op.PREFIX if label == "Person" else Op.CONTAINS, text)})
    if _LATIN.fullmatch(text.lower()):
        found += [{p: Cond(Op.PREFIX, text.lower())} for p in ("pinyin", "initials")
                  if p in props]
    return found


def find(g: Graph, authz: Authz, label: str, where: dict[str, Any] | None,
          limit: int) -> list[Node]:
    """Up to `limit` objects of `label` matching `where` that the actor may see: through the
    scoped list where the actor lists the label, else (a liaison's department, or the people
    of its clues) each candidate checked one by one."""
    if authz.role == Role.LIAISON and label in authz.listable():  # its own work, by number
        own = (g.get(label, k) for k in access.own_keys(g, authz=authz, label=label))
        return [n for n in own if n is not None and _matches(n, where or {})][:limit]
    if label in authz.listable():
        return access.find(g, authz=authz, label=label, where=where, limit=limit).items
    candidates = g.find(label, where=dict(where or {}), limit=limit * 10).items
    return [n for n in candidates if authz.sees(g, n)][:limit]


def _matches(node: Node, where: dict[str, Any]) -> bool:
    """Whether `node` meets the filters a picker uses (a start, an inside, an exact value)."""
    for prop, wanted in where.items():
        value = str(node.get(prop) or "")
        if isinstance(wanted, Cond):
            text = str(wanted.value)
            if not (value.startswith(text) if wanted.op == Op.PREFIX else
                    text in value if wanted.op in (Op.CONTAINS, Op.WORDS) else value == text):
                return False
        elif value != str(wanted):
            return False
    return True


def clean(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def choices(g: Graph, *, authz: Authz, kind: str, q: str = "",
            limit: int = LIMIT) -> list[Choice]:
    """What a picker offers for the typed `q` (the first few in reach when nothing is typed)."""
    label = label_of(kind)
    if label not in authz.labels():
        raise NotFound("not found")
    text = clean(q)
    if not text:
        return [_choice(n) for n in find(g, authz, label, None, limit)]
    seen: dict[str, Choice] = {}
    for where in _filters(label, text):
        for node in find(g, authz, label, where, limit):
            seen.setdefault(node.key, _choice(node))
        if len(seen) >= limit:
            break
    exact = [c for c in seen.values() if text in (c.key, c.text)]
    return (exact + [c for c in seen.values() if c not in exact])[:limit]


def resolve(g: Graph, *, authz: Authz, kind: str, key: str = "", text: str = "") -> str:
    """The key of what was picked: `key` when the list gave one, else the object whose number
    or exact name is `text`, else the one object the list would offer for `text` — within
    the actor's reach, and only if exactly one is meant."""
    label = label_of(kind)
    key, typed = (key or "").strip(), clean(text)
    if key:
        try:
            return access.get(g, authz=authz, label=label, key=key).key
        except NotFound:
            pass
    if not typed:
        raise ValidationError(N_("choose one from the list"))
    shown = title_prop(label)
    wheres: list[dict[str, Any]] = []
    if schema.label(label).key != "uid":
        wheres.append({schema.label(label).key: typed})
    if shown:
        wheres.append({shown: typed})
    for where in wheres:
        found = find(g, authz, label, where, 2)
        if len(found) == 1:
            return found[0].key
        if len(found) > 1:
            raise ValidationError(N_("more than one is called %(text)s: choose one from the "
                                     "list"), text=typed)
    partial = choices(g, authz=authz, kind=kind, q=typed, limit=2)  # typed, not chosen
    if len(partial) == 1:
        return partial[0].key
    if partial:
        raise ValidationError(N_("more than one is called %(text)s: choose one from the "
                                 "list"), text=typed)
    raise ValidationError(N_("nothing called %(text)s is within your reach: choose one from "
                             "the list"), text=typed)
