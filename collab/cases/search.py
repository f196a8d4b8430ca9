"""One search box for every page: a clue, case, issue, task or transfer by its number or the
words of its title, a person by name, pinyin, initials or exact ID number, a unit or
department by name — grouped by kind, only what the actor may see.

Each kind is searched as its picker lists it (`collab.cases.pickers`: the number's start, the
title's or name's inside, the pinyin's start), so the box and the pickers agree on both
engines. An ID number is matched by its keyed hash, never stored or shown in full.
"""

from __future__ import annotations

from dataclasses import dataclass

from collab.access import idnumbers
from collab.access.authz import Authz
from collab.access.idnumbers import IdKey
from collab.cases import pickers
from collab.cases.pickers import Choice
from collab.errors import N_, ValidationError
from collab.graph.store import Graph

# The kinds the box searches, in the order the results are shown.
ORDER = ("Clue", "Case", "Issue", "Rectification", "Transfer", "JointCheck", "Person", "Unit",
         "Department")
_KIND = {label: kind for kind, label in pickers.KINDS.items()}
PER_KIND = 10


@dataclass(frozen=True)
class Group:
    """The hits of one kind."""

    label: str
    hits: list[Choice]


def search(g: Graph, *, authz: Authz, q: str, key: IdKey | None,
           per_kind: int = PER_KIND) -> list[Group]:
    """What the box finds for `q`, grouped by kind."""
    text = pickers.clean(q)
    if not text:
        raise ValidationError(N_("type a number, words of a title, or a name to search for"))
    groups = []
    people = _by_id_number(g, authz, text, key)
    for label in ORDER:
        if label not in authz.labels():
            continue
        if people is None:
            hits = pickers.choices(g, authz=authz, kind=_KIND[label], q=text, limit=per_kind)
        else:  # an ID number names people only
            hits = people if label == "Person" else []
        if hits:
            groups.append(Group(label, hits))
    return groups


def _by_id_number(g: Graph, authz: Authz, text: str, key: IdKey | None) -> list[Choice] | None:
    """The people with this ID number (None: the text is not one)."""
    if len(text) != 18 or key is None:
        return None
    try:
        number = idnumbers.validate(text)
    except ValidationError:
        return None
    return [Choice(n.key, str(n.get("name") or n.key), str(n.get("id_masked") or ""))
            for n in pickers.find(g, authz, "Person", {"id_hash": key.digest(number)}, 10)]
