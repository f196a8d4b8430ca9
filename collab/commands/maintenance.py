"""The operator's backfills: derived properties recomputed over the whole graph.

They change no fact, only what is derived from facts (the clues' figure shortcut, pinyin for
search), but they are changes all the same, so they take the same road and leave a record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from collab.access.authz import Perm
from collab.cases import clue_facts, pinyin
from collab.commands.base import Command, Context, register
from collab.graph.codec import Node
from collab.graph.store import Graph
from collab.ledgers import places


@register
@dataclass(frozen=True)
class FillClueFacts(Command):
    """Give every clue its figure shortcut; answers how many changed."""

    event = "maintenance.fill_clue_facts"
    permission = Perm.OPERATE

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return {"changed": clue_facts.refresh_all(g)}


@register
@dataclass(frozen=True)
class FillPinyin(Command):
    """Give every named node its pinyin and initials; answers how many changed."""

    event = "maintenance.fill_pinyin"
    permission = Perm.OPERATE

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return {"changed": pinyin.fill_pinyin(g)}


@register
@dataclass(frozen=True)
class LoadRegions(Command):
    """Merge official administrative divisions (code, name, level, parent) into the region
    tree; answers how many were loaded."""

    event = "maintenance.load_regions"
    permission = Perm.OPERATE
    rows: tuple[dict[str, str], ...]

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return {"loaded": places.load(g, list(self.rows))}


@register
@dataclass(frozen=True)
class LoadScenario(Command):
    """Write a seed scenario (demonstration data, marked as such) in one transaction; answers
    how many nodes of each label were written. The scenario is passed in as its `load`: seeds
    live outside the package, above every layer."""

    event = "maintenance.load_scenario"
    permission = Perm.OPERATE
    name: str
    load: Callable[[Graph], Mapping[str, int]] = field(compare=False, repr=False)

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return dict(self.load(g))

    def detail(self, value: Any = None, error: Exception | None = None) -> Mapping[str, Any]:
        return {"scenario": self.name, **({"written": value} if value else {})}
