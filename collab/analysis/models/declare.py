"""What a supervision model is, as data: its code, names, pattern, parameters, data sets,
severity, scope and version, and the function that finds its hits.

A model's `find` asks the graph one named question (or reuses a figure) and turns the rows into
`Found` hits: a signature (what makes two findings the same one, so runs deduplicate), the
region the hit belongs to, the evidence (the nodes it rests on, each with its part in the
pattern) and the facts its one-line reason is written from, in either language.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from collab.access import regions
from collab.errors import N_, ValidationError
from collab.graph import schema
from collab.graph.codec import Node
from collab.graph.store import MAX_PAGE, Graph

SEVERITIES = {"high": ("高", "high"), "medium": ("中", "medium"), "low": ("低", "low")}
# The most evidence nodes one hit keeps (a hub's hundred clues are summed up in its facts).
MAX_EVIDENCE = 40


@dataclass(frozen=True)
class Param:
    """A model's setting: name, whole-number default and bounds, and what it means."""

    name: str
    default: int
    low: int
    high: int
    zh: str
    en: str

    def value(self, given: Any) -> int:
        """`given` (or the default) checked against the bounds."""
        if given is None or given == "":
            return self.default
        try:
            number = int(str(given).strip())
        except ValueError:
            raise ValidationError(N_("parameter %(name)s must be a whole number, got %(got)r"),
                                  name=self.name, got=given) from None
        if not self.low <= number <= self.high:
            raise ValidationError(N_("parameter %(name)s must be from %(low)s to %(high)s"),
                                  name=self.name, low=self.low, high=self.high)
        return number


@dataclass(frozen=True)
class Slot:
    """A place for data sets in a model: which kinds fill it, and how it is named."""

    name: str
    kinds: tuple[str, ...]
    zh: str
    en: str


@dataclass(frozen=True)
class Evidence:
    """One node a hit rests on, by label and key, and its part in the pattern."""

    label: str
    key: str
    role: str


@dataclass(frozen=True)
class Found:
    """One hit as a model finds it."""

    signature: str
    region_code: str | None
    subject: str
    evidence: tuple[Evidence, ...]
    facts: Mapping[str, Any]


@dataclass(frozen=True)
class Inputs:
    """What one run gives a model: scope, date, parameters, the data sets of each slot."""

    region: str | None
    as_of: date
    params: Mapping[str, int]
    sets: Mapping[str, list[str]] = field(default_factory=dict)

    @property
    def prefix(self) -> str | None:
        return None if self.region is None else regions.subtree_prefix(self.region)


Finder = Callable[[Graph, Inputs], list[Found]]


@dataclass(frozen=True)
class Model:
    """A supervision model: declared once, run on either engine with the same hits."""

    code: str
    version: int
    zh: str
    en: str
    pattern_zh: str
    pattern_en: str
    severity: str
    scope_zh: str
    scope_en: str
    reason_zh: str
    reason_en: str
    find: Finder
    params: tuple[Param, ...] = ()
    slots: tuple[Slot, ...] = ()

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"model {self.code}: unknown severity {self.severity!r}")

    def param_values(self, given: Mapping[str, Any] | None = None) -> dict[str, int]:
        """Every parameter's value: the given ones checked, the others their defaults."""
        given = dict(given or {})
        unknown = sorted(set(given) - {p.name for p in self.params})
        if unknown:
            raise ValidationError(N_("model %(code)s has no parameter %(names)s; it takes: "
                                     "%(known)s"), code=self.code, names=", ".join(unknown),
                                  known=", ".join(p.name for p in self.params) or "none")
        return {p.name: p.value(given.get(p.name)) for p in self.params}

    def name(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def reason(self, facts: Mapping[str, Any], lang: str = "zh") -> str:
        """The hit's one-line reason in `lang`, written from its facts."""
        template = self.reason_en if lang == "en" else self.reason_zh
        try:
            return template.format(**facts)
        except (KeyError, IndexError, ValueError):  # facts of an older version of the model
            return self.name(lang)


# --- helpers the models share -------------------------------------------------------------
def grouped(rows: Iterable[Mapping[str, Any]], *keys: str) -> dict[tuple[Any, ...],
                                                                  list[Mapping[str, Any]]]:
    """Rows grouped by the values of `keys`, groups and rows in the order met."""
    out: dict[tuple[Any, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        out.setdefault(tuple(row[k] for k in keys), []).append(row)
    return out


def ordered(rows: Iterable[Mapping[str, Any]], *keys: str) -> list[Mapping[str, Any]]:
    """Rows sorted by `keys`, missing values last: the same order whichever engine gave them."""
    return sorted(rows, key=lambda r: tuple((r[k] is None, r[k] or "") for k in keys))


def evidence(items: Iterable[tuple[str, Any, str]]) -> tuple[Evidence, ...]:
    """Evidence from (label, key, role) triples: blanks and repeats dropped, capped."""
    seen: dict[tuple[str, str], Evidence] = {}
    for label, key, role in items:
        if key is not None and (label, str(key)) not in seen and len(seen) < MAX_EVIDENCE:
            seen[(label, str(key))] = Evidence(label, str(key), role)
    return tuple(seen.values())


def hit_region(anchor: str | None, others: Sequence[str | None], prefix: str | None) -> str | None:
    """The region a hit belongs to: its anchor's, if within the run's scope; else the first
    of the other regions in scope (a county run sees the hits it finds)."""
    if anchor and (prefix is None or anchor.startswith(prefix)):
        return anchor
    inside = sorted(r for r in others if r and (prefix is None or r.startswith(prefix)))
    return inside[0] if inside else anchor


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def days_between(earlier: str, later: date | str) -> int:
    """Whole days from an ISO date to a later one."""
    end = later if isinstance(later, date) else date.fromisoformat(later)
    return (end - date.fromisoformat(earlier)).days


def yuan(amount: float) -> str:
    """An amount as people read it: 1,234.50."""
    return f"{amount:,.2f}"


def nodes_by_key(g: Graph, label: str, keys: Iterable[str]) -> dict[str, Node]:
    """The nodes of `label` with these keys, a page of keys at a time."""
    wanted, out = sorted(set(keys)), {}
    key = schema.label(label).key
    for i in range(0, len(wanted), MAX_PAGE):
        chunk = wanted[i:i + MAX_PAGE]
        out.update({n.key: n for n in g.find(label, where={key: chunk}, limit=len(chunk)).items})
    return out
