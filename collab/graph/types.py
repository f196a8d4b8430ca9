"""The values the store port speaks in: filters, pages, subgraphs, paths, named queries.

Kept apart from the port itself (`store.py`) so that the traversals written once over the
engines (`traversal.py`) and the port can both use them without importing each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from collab.graph.codec import Node, Rel


class Direction(StrEnum):
    """Which way relationships are followed from a node."""

    OUT = "out"
    IN = "in"
    BOTH = "both"


class Op(StrEnum):
    """Filter operators that `find` understands; both engines implement each one."""

    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    IN = "in"
    PREFIX = "prefix"
    CONTAINS = "contains"
    # the typed words occur in the text, as typed (a substring, like CONTAINS), found through
    # the engine's full-text index; only on a label's `text` properties
    WORDS = "words"
    IS_NULL = "is_null"


@dataclass(frozen=True)
class Cond:
    """One filter on a property: `Cond(Op.GE, date(2023, 1, 1))`."""

    op: Op
    value: Any = None


@dataclass(frozen=True)
class Filter:
    """A checked, encoded filter ready for an engine."""

    prop: str
    op: Op
    value: Any


@dataclass(frozen=True)
class Page:
    """One page of a `find`: the items, the total that matched, and where the page sits."""

    items: list[Node]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class Subgraph:
    """Nodes and relationships around some start nodes; `capped` when the cap cut some off.

    `omitted` counts, per label, the neighbours that matched but were left out by the cap, so
    a user can be told what is missing and narrow the request.
    """

    nodes: list[Node]
    rels: list[Rel]
    capped: bool = False
    omitted: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Path:
    """A path: n nodes and the n-1 relationships between them, in order."""

    nodes: list[Node]
    rels: list[Rel]


@dataclass(frozen=True)
class Level:
    """One level of a `follow`: the relationship types followed out of, and into, the nodes
    the previous level reached."""

    out: tuple[str, ...] = ()
    into: tuple[str, ...] = ()


@dataclass(frozen=True)
class NamedQuery:
    """A question the generic operations cannot ask well, written once for each engine.

    Figures and other aggregations run inside the engine (Cypher on Neo4j, SQL on SQLite)
    rather than pulling the graph into Python. Both texts take the same named parameters
    (`$name` in Cypher, `:name` in SQL) and return rows with the same `columns`. On SQLite, list
    and mapping parameters arrive as JSON text (read them with `json_each`), booleans as 0/1;
    on both, dates arrive as ISO strings, the way they are stored.
    """

    name: str
    cypher: str
    sql: str
    columns: tuple[str, ...]


class Adjacency(Protocol):
    """What the traversals (`traversal.py`) need of an engine's transaction (`GraphOps`):
    nodes by uid, the relationships touching some nodes with the node at their other end, and
    how many neighbours they have per label."""

    def _get_uids(self, uids: Sequence[str]) -> list[Node]: ...

    def _adjacent(self, uids: Sequence[str], types: Sequence[str] | None,
                  labels: Sequence[str] | None, direction: Direction,
                  limit: int | None, among: Sequence[str] | None = None,
                  bare: bool = False) -> list[tuple[Rel, Node]]: ...

    def _adjacent_counts(self, uids: Sequence[str], types: Sequence[str] | None,
                         labels: Sequence[str] | None, direction: Direction,
                         exclude: Sequence[str]) -> dict[str, int]: ...
