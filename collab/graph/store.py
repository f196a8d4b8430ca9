"""The store port: what every part of collab may ask of the graph, whatever the engine.

`Graph` is the contract (its docstrings are the rules both engines keep); `Store` adds what
only a whole store does (schema installation, counts, closing). `GraphOps` holds everything
that does not depend on the engine — checking names and values against the schema, and the
traversals — so an engine only implements a handful of primitives, and so both engines give
the same answers to the same calls.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

from collab.errors import ValidationError
from collab.graph import codec, schema, traversal
from collab.graph.codec import Node, NodeRow, Rel, RelRow
from collab.graph.schema import NodeType, RelType, T
from collab.graph.types import (
    Cond,
    Direction,
    Filter,
    Level,
    NamedQuery,
    Op,
    Page,
    Path,
    Subgraph,
)

# The port: its protocols, the engines' shared half, and the values it speaks (types.py).
__all__ = ["MAX_DEPTH", "MAX_PAGE", "Cond", "Direction", "Filter", "Graph", "GraphOps",
           "Level", "NamedQuery", "Op", "Page", "Path", "R", "Store", "StoreOps", "Subgraph",
           "TransactionGuard"]

R = TypeVar("R")

MAX_DEPTH = 3
MAX_PAGE = 1000


class Graph(Protocol):
    """Reads and writes on the graph, inside or outside a transaction.

    Names (labels, types, properties) are checked against the schema and refused with a
    `SchemaError` (a ValueError) when unknown; values are checked against their declared type
    and refused with a `ValidationError`. Nothing is written when anything is refused.
    """

    def upsert_nodes(self, label: str, rows: Iterable[Mapping[str, Any]]) -> int:
        """Create or update nodes matched by the label's key; returns how many rows.

        Given properties are set, others are left as they are; a value of None removes the
        property. A new node gets the row's `uid`, else one derived from (label, key). A row
        whose explicit uid differs from the existing node's raises ConflictError.
        """
        ...

    def upsert_rels(self, type_: str, rows: Iterable[Mapping[str, Any]], *,
                    src: str, dst: str) -> int:
        """Create or update relationships `(src {key: row.src})-[type]->(dst {key: row.dst})`.

        At most one relationship of a type joins two nodes in one direction. Rows naming a
        node that does not exist raise MissingNodes (listing them all) and write nothing.
        """
        ...

    def delete_rels(self, type_: str, rows: Iterable[Mapping[str, Any]], *,
                    src: str, dst: str) -> int:
        """Delete `(src {key: row.src})-[type]->(dst {key: row.dst})` where it exists.

        Rows naming no such relationship are ignored; returns how many were deleted. Used when
        a link is replaced (an issue's unit corrected in a re-imported ledger).
        """
        ...

    def get(self, label: str, key: str) -> Node | None:
        """The node of `label` with that key value, or None."""
        ...

    def get_uid(self, uid: str) -> Node | None:
        """The node with that uid, whatever its label, or None."""
        ...

    def scan(self, *, after: str = "", limit: int = 1000) -> list[Node]:
        """Up to `limit` nodes of every label with uid greater than `after`, in uid order.

        Keyset paging over the whole graph: pass the last uid of a page to get the next one.
        """
        ...

    def lock(self, label: str, key: str) -> Node | None:
        """The node, read under its write lock (held to the end of the transaction), or None.

        Use it for read-modify-write inside a transaction: two writers doing the same wait for
        each other instead of losing an update.
        """
        ...

    def find(self, label: str, *, where: Mapping[str, Any] | None = None,
             order_by: str | None = None, descending: bool = False,
             limit: int = 50, offset: int = 0) -> Page:
        """Nodes of `label` matching every filter, sorted, one page of them, with the total.

        A filter value is a scalar (equality), a list (any of), None (missing) or a `Cond`.
        Sorting puts missing values last and breaks ties by uid, so pages never overlap.
        """
        ...

    def count(self, label: str, where: Mapping[str, Any] | None = None) -> int:
        """How many nodes of `label` match the filters."""
        ...

    def pages(self, label: str, *, where: Mapping[str, Any] | None = None,
              order_by: str | None = None, descending: bool = False,
              size: int = MAX_PAGE) -> Iterator[list[Node]]:
        """Every node of `label` matching the filters, sorted like `find` (default: by the
        label's key), `size` at a time: no cap, and no paging loop in the caller.

        Inside a transaction it reads as you iterate (a consistent snapshot); on a whole
        store it reads everything in one transaction first.
        """
        ...

    def nodes(self, label: str, *, where: Mapping[str, Any] | None = None,
              order_by: str | None = None, descending: bool = False) -> Iterator[Node]:
        """`pages`, one node at a time."""
        ...

    def walk(self, *, batch: int = MAX_PAGE) -> Iterator[tuple[list[Node], list[tuple[Rel, Node]]]]:
        """The whole graph, a page of nodes at a time in uid order, each page with the
        relationships going out of its nodes (and the node at their other end): every node and
        every relationship exactly once. Run it inside one read for a consistent snapshot."""
        ...

    def expand(self, uids: Sequence[str], *, depth: int = 1,
               labels: Sequence[str] | None = None, types: Sequence[str] | None = None,
               direction: Direction = Direction.BOTH, limit: int = 300) -> Subgraph:
        """The neighbourhood of the start nodes up to `depth` (1-3) hops, at most `limit` nodes.

        Only neighbours with one of `labels` and relationships of one of `types` are followed.
        Breadth first; within a hop, neighbours in uid order, so a capped answer is the same
        on every engine.
        """
        ...

    def shortest_paths(self, a: str, b: str, *, max_hops: int = 6,
                       labels: Sequence[str] | None = None,
                       types: Sequence[str] | None = None, limit: int = 10) -> list[Path]:
        """All shortest paths between two uids of at most `max_hops`, ignoring direction.

        At most `limit` of them, in a fixed order (by the uids along them); [] when none.
        """
        ...

    def run(self, query: NamedQuery, **params: Any) -> list[dict[str, Any]]:
        """The rows of a named query, each a dict of its declared columns."""
        ...

    # --- use-case reads: one statement each ----------------------------------------------
    def follow(self, label: str, key: str, levels: Sequence[Level]) -> Subgraph | None:
        """The node of `label` with `key` and everything reached from it level by level (a
        clue's whole chain), in one statement; None when there is no such node.

        Level k follows its `out` types out of, and its `into` types into, every node level
        k-1 reached (the start for the first). Nodes come start first, then each level's new
        ones in uid order; relationships sorted by (type, src, dst). Uncapped: for shapes
        whose fan-out the domain bounds (a clue's issues, transfers, cases and their ends).
        """
        ...

    def versions(self, names: Sequence[str]) -> tuple[int, ...]:
        """The write version of each label or relationship type named: it changes whenever a
        committed transaction wrote a node of that label or a relationship of that type (0 when
        none ever did). A result computed in a read that first read these versions stays true
        for as long as they are unchanged, so it may be kept keyed by them. Writes to the
        access labels (`schema.ACCESS_LABELS`) change no version.
        """
        ...


class Store(Graph, Protocol):
    """A whole store: the Graph operations, each in its own transaction, and more."""

    backend: str

    def transaction(self) -> Any:
        """A context manager giving a Graph whose writes commit together or not at all."""
        ...

    def write(self, fn: Callable[[Graph], R]) -> R:
        """Run `fn(tx)` in one write transaction, retried on transient faults; its result."""
        ...

    def read(self, fn: Callable[[Graph], R]) -> R:
        """Run `fn(tx)` in one read transaction (a consistent snapshot); its result."""
        ...

    def init_schema(self) -> list[str]:
        """Create the tables / constraints / indexes the schema needs; the names it created.

        A new store is stamped with `schema.VERSION`; an existing one keeps its version (a
        store made before versions were kept is version 1) until `set_schema_version`.
        """
        ...

    def schema_version(self) -> int | None:
        """The version of what the store holds; None when it holds no collab schema yet."""
        ...

    def set_schema_version(self, version: int) -> None:
        """Record that the store now holds `version` (after a migration step)."""
        ...

    def schema_objects(self) -> list[str]:
        """The names of the constraints and indexes (or tables) that exist now."""
        ...

    def counts(self) -> dict[str, dict[str, int]]:
        """Nodes per label and relationships per type: {"nodes": {...}, "rels": {...}}."""
        ...

    def pool(self) -> dict[str, int]:
        """Connections open and in use now: a pool back at its baseline after load shows
        that no request kept one (read by /healthz for local callers only)."""
        ...

    def check_ready(self, now: datetime) -> None:
        """Raise `StoreUnavailable` unless the store answers a read and takes a write."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


class GraphOps(ABC):
    """The engine-independent half of a Graph: checks, encoding, traversals.

    Engines subclass it for their transaction object and implement the `_` primitives, which
    receive only schema-checked names and encoded values.
    """

    # --- primitives each engine implements ---------------------------------------------
    @abstractmethod
    def _upsert_nodes(self, node: NodeType, rows: list[NodeRow]) -> None: ...

    @abstractmethod
    def _upsert_rels(self, rel: RelType, src: NodeType, dst: NodeType,
                     rows: list[RelRow]) -> None: ...

    @abstractmethod
    def _delete_rels(self, rel: RelType, src: NodeType, dst: NodeType,
                     pairs: list[tuple[str, str]]) -> int: ...

    @abstractmethod
    def _get(self, node: NodeType, key: str) -> Node | None: ...

    @abstractmethod
    def _lock(self, node: NodeType, key: str) -> Node | None: ...

    @abstractmethod
    def _scan(self, after: str, limit: int) -> list[Node]: ...

    @abstractmethod
    def _get_uids(self, uids: Sequence[str]) -> list[Node]: ...

    @abstractmethod
    def _find(self, node: NodeType, filters: list[Filter], order_by: str | None,
              descending: bool, limit: int, offset: int) -> list[Node]: ...

    @abstractmethod
    def _count(self, node: NodeType, filters: list[Filter]) -> int: ...

    @abstractmethod
    def _adjacent(self, uids: Sequence[str], types: Sequence[str] | None,
                  labels: Sequence[str] | None, direction: Direction,
                  limit: int | None, among: Sequence[str] | None = None,
                  bare: bool = False) -> list[tuple[Rel, Node]]:
        """Relationships touching any of `uids` and the node at their other end, ordered by
        (other uid, type, src uid, dst uid), an edge between two of `uids` once per end;
        with `among`, only those whose other end is one of `among`; `bare` leaves the other
        ends' properties out (a search that only walks needs their uids, not their contents)."""

    @abstractmethod
    def _run_named(self, query: NamedQuery, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Run the engine's text of `query` with parameters already in stored form."""

    @abstractmethod
    def _adjacent_counts(self, uids: Sequence[str], types: Sequence[str] | None,
                         labels: Sequence[str] | None, direction: Direction,
                         exclude: Sequence[str]) -> dict[str, int]:
        """Distinct neighbours of `uids` per label, not counting those in `exclude`."""

    # --- use-case reads and write versions ----------------------------------------------
    @abstractmethod
    def _follow(self, node: NodeType, key: str, levels: list[Level]) -> Subgraph | None:
        """`follow` with checked names, in one statement."""

    @abstractmethod
    def _versions(self, names: list[str]) -> dict[str, int]:
        """The stored version of each of `names` that has one."""

    @abstractmethod
    def _bump_versions(self, names: list[str]) -> None:
        """Change the version of each of `names` (sorted): called once, as the transaction's
        last statement, when it wrote any of them."""

    def _expand(self, uids: list[str], *, depth: int, labels: list[str] | None,
                types: list[str] | None, direction: Direction, limit: int) -> Subgraph:
        """`expand` with checked arguments; an engine answers it in one statement."""
        return traversal.expand(self, uids, depth=depth, labels=labels, types=types,
                                direction=direction, limit=limit)

    def _shortest_paths(self, a: str, b: str, *, max_hops: int, labels: list[str] | None,
                        types: list[str] | None, limit: int) -> list[Path]:
        """`shortest_paths` with checked arguments: the bidirectional search, unless the engine
        answers it in one statement."""
        return traversal.shortest_paths(self, a, b, max_hops=max_hops, labels=labels,
                                        types=types, limit=limit)

    _written: set[str] | None = None
    # Which store this is (its file, or its server and database), for results kept per store.
    origin: str = ""

    def _wrote(self, name: str) -> None:
        """Note that this transaction wrote nodes of label (or relationships of type) `name`."""
        if name not in schema.ACCESS_LABELS:
            if self._written is None:
                self._written = set()
            self._written.add(name)

    def _commit_versions(self) -> None:
        """Before commit: change the versions of what this transaction wrote."""
        if self._written:
            self._bump_versions(sorted(self._written))
            self._written = None

    # --- nesting: inside a transaction, a "new" one joins it -----------------------------
    @contextmanager
    def transaction(self) -> Iterator[GraphOps]:
        """Already inside one: joining it keeps the caller's unit of work whole."""
        yield self

    def write(self, fn: Callable[[Graph], R]) -> R:
        return fn(self)

    def read(self, fn: Callable[[Graph], R]) -> R:
        return fn(self)

    # --- the contract ------------------------------------------------------------------
    def upsert_nodes(self, label: str, rows: Iterable[Mapping[str, Any]]) -> int:
        node = schema.label(label)
        encoded = codec.encode_node_rows(node, rows)
        if encoded:
            self._upsert_nodes(node, encoded)
            self._wrote(node.label)
        return len(encoded)

    def upsert_rels(self, type_: str, rows: Iterable[Mapping[str, Any]], *,
                    src: str, dst: str) -> int:
        rel, src_node, dst_node = schema.rel_type(type_), schema.label(src), schema.label(dst)
        schema.check_pair(rel, src, dst)
        encoded = codec.encode_rel_rows(rel, rows)
        if src == dst:
            loops = [r.src for r in encoded if r.src == r.dst]
            if loops:
                raise ValidationError(f"{type_}: a node cannot be joined to itself: {loops[:5]}")
        if encoded:
            self._upsert_rels(rel, src_node, dst_node, encoded)
            self._wrote(rel.type)
        return len(encoded)

    def delete_rels(self, type_: str, rows: Iterable[Mapping[str, Any]], *,
                    src: str, dst: str) -> int:
        rel, src_node, dst_node = schema.rel_type(type_), schema.label(src), schema.label(dst)
        schema.check_pair(rel, src, dst)
        pairs = list(dict.fromkeys((r.src, r.dst) for r in codec.encode_rel_rows(
            rel, ({"src": row.get("src"), "dst": row.get("dst")} for row in rows))))
        if not pairs:
            return 0
        self._wrote(rel.type)
        return self._delete_rels(rel, src_node, dst_node, pairs)

    def get(self, label: str, key: str) -> Node | None:
        return self._get(schema.label(label), key)

    def get_uid(self, uid: str) -> Node | None:
        found = self._get_uids([uid])
        return found[0] if found else None

    def lock(self, label: str, key: str) -> Node | None:
        return self._lock(schema.label(label), key)

    def scan(self, *, after: str = "", limit: int = 1000) -> list[Node]:
        if not (isinstance(limit, int) and 1 <= limit <= 100_000):
            raise ValidationError(f"limit must be between 1 and 100000, got {limit!r}")
        return self._scan(str(after), limit)

    def find(self, label: str, *, where: Mapping[str, Any] | None = None,
             order_by: str | None = None, descending: bool = False,
             limit: int = 50, offset: int = 0) -> Page:
        node = schema.label(label)
        filters = _filters(node, where)
        if order_by is not None:
            _sortable(node, order_by)
        if not (isinstance(limit, int) and 0 <= limit <= MAX_PAGE):
            raise ValidationError(f"limit must be between 0 and {MAX_PAGE}, got {limit!r}")
        if not (isinstance(offset, int) and offset >= 0):
            raise ValidationError(f"offset must be 0 or more, got {offset!r}")
        items = self._find(node, filters, order_by, descending, limit, offset) if limit else []
        return Page(items, self._count(node, filters), limit, offset)

    def count(self, label: str, where: Mapping[str, Any] | None = None) -> int:
        node = schema.label(label)
        return self._count(node, _filters(node, where))

    def pages(self, label: str, *, where: Mapping[str, Any] | None = None,
              order_by: str | None = None, descending: bool = False,
              size: int = MAX_PAGE) -> Iterator[list[Node]]:
        node = schema.label(label)
        base = dict(where or {})
        filters = _filters(node, base)
        sort = order_by or (None if node.key == "uid" else node.key)
        if sort is not None:
            _sortable(node, sort)
        if not (isinstance(size, int) and 1 <= size <= MAX_PAGE):
            raise ValidationError(f"size must be between 1 and {MAX_PAGE}, got {size!r}")
        # By the label's key (unique, never missing), each page starts after the last one
        # read; by anything else, pages follow by position within the snapshot.
        keyset = sort == node.key and node.key not in base
        offset = 0
        while True:
            items = self._find(node, filters, sort, descending, size, 0 if keyset else offset)
            if items:
                yield items
            if len(items) < size:
                return
            offset += len(items)
            if keyset:
                after = Cond(Op.LT if descending else Op.GT, items[-1].key)
                filters = _filters(node, {**base, node.key: after})

    def nodes(self, label: str, *, where: Mapping[str, Any] | None = None,
              order_by: str | None = None, descending: bool = False) -> Iterator[Node]:
        for page in self.pages(label, where=where, order_by=order_by, descending=descending):
            yield from page

    def walk(self, *, batch: int = MAX_PAGE) -> Iterator[tuple[list[Node], list[tuple[Rel, Node]]]]:
        after = ""
        while page := self.scan(after=after, limit=batch):
            yield page, self._adjacent([n.uid for n in page], None, None, Direction.OUT, None)
            after = page[-1].uid

    def expand(self, uids: Sequence[str], *, depth: int = 1,
               labels: Sequence[str] | None = None, types: Sequence[str] | None = None,
               direction: Direction = Direction.BOTH, limit: int = 300) -> Subgraph:
        if not (isinstance(depth, int) and 1 <= depth <= MAX_DEPTH):
            raise ValidationError(f"depth must be between 1 and {MAX_DEPTH}, got {depth!r}")
        if not (isinstance(limit, int) and limit >= 1):
            raise ValidationError(f"limit must be 1 or more, got {limit!r}")
        return self._expand(list(uids), depth=depth, labels=_labels(labels),
                            types=_types(types), direction=Direction(direction), limit=limit)

    def shortest_paths(self, a: str, b: str, *, max_hops: int = 6,
                       labels: Sequence[str] | None = None,
                       types: Sequence[str] | None = None, limit: int = 10) -> list[Path]:
        if not (isinstance(max_hops, int) and 1 <= max_hops <= 12):
            raise ValidationError(f"max_hops must be between 1 and 12, got {max_hops!r}")
        return self._shortest_paths(a, b, max_hops=max_hops, labels=_labels(labels),
                                    types=_types(types), limit=limit)

    def run(self, query: NamedQuery, **params: Any) -> list[dict[str, Any]]:
        return self._run_named(query, {k: _stored(v) for k, v in params.items()})

    def follow(self, label: str, key: str, levels: Sequence[Level]) -> Subgraph | None:
        if not 1 <= len(levels) <= MAX_DEPTH:
            raise ValidationError(f"follow takes 1 to {MAX_DEPTH} levels, got {len(levels)}")
        checked = [Level(tuple(_types(list(x.out)) or ()), tuple(_types(list(x.into)) or ()))
                   for x in levels]
        return self._follow(schema.label(label), str(key), checked)

    def versions(self, names: Sequence[str]) -> tuple[int, ...]:
        wanted = [_versioned(name) for name in names]
        found = self._versions(sorted(set(wanted)))
        return tuple(found.get(name, 0) for name in wanted)


def _stored(value: Any) -> Any:
    """A parameter in the form values are stored in (dates as ISO text)."""
    if isinstance(value, datetime):
        return codec.encode_value(T.DATETIME, "parameter", value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_stored(v) for v in value]
    return value


def _labels(labels: Sequence[str] | None) -> list[str] | None:
    return None if labels is None else [schema.label(x).label for x in labels]


def _types(types: Sequence[str] | None) -> list[str] | None:
    return None if types is None else [schema.rel_type(x).type for x in types]


def _versioned(name: str) -> str:
    """A label or relationship type that carries a write version."""
    if name in schema.RELS:
        return name
    node = schema.label(name)
    if node.label in schema.ACCESS_LABELS:
        raise ValidationError(f"{name} carries no write version (an access label)")
    return node.label


def _sortable(node: NodeType, name: str) -> T:
    kind = schema.prop(node, name)
    if kind is T.STRS:
        raise ValidationError(f"{node.label}.{name} is a list and cannot be filtered or sorted")
    return kind


def _filters(node: NodeType, where: Mapping[str, Any] | None) -> list[Filter]:
    """Turn a `where` mapping into checked, encoded filters."""
    out = []
    for name, spec in (where or {}).items():
        kind = _sortable(node, name)
        if isinstance(spec, Cond):
            op, value = Op(spec.op), spec.value
        elif spec is None:
            op, value = Op.IS_NULL, None
        elif isinstance(spec, list | tuple | set | frozenset):
            op, value = Op.IN, list(spec)
        else:
            op, value = Op.EQ, spec
        if op is Op.IN:
            encoded: Any = [codec.encode_value(kind, name, v) for v in value]
        elif op is Op.IS_NULL:
            encoded = None
        elif op in (Op.PREFIX, Op.CONTAINS, Op.WORDS):
            if op is Op.WORDS and name not in node.text:
                raise ValidationError(f"{node.label}.{name} is not searched as words; "
                                      f"these are: {', '.join(node.text) or 'none'}")
            if not isinstance(value, str):
                raise ValidationError(f"{op.value} on {name!r} needs a string, got {value!r}")
            encoded = value
        else:
            if value is None:
                raise ValidationError(f"{op.value} on {name!r} needs a value")
            encoded = codec.encode_value(kind, name, value)
        out.append(Filter(name, op, encoded))
    return out


class TransactionGuard:
    """Refuses a second transaction on a thread that already has one open.

    A service handed a transaction must pass it down, not open another: on SQLite that would
    deadlock on the writer lock, on Neo4j it would commit outside the caller's unit of work.
    """

    def __init__(self) -> None:
        self._local = threading.local()

    @contextmanager
    def enter(self) -> Iterator[None]:
        if getattr(self._local, "open", False):
            raise RuntimeError("a transaction is already open on this thread: "
                               "pass the transaction down instead of opening another")
        self._local.open = True
        try:
            yield
        finally:
            self._local.open = False


class StoreOps(ABC):
    """The Graph operations of a whole store, each run in its own read or write transaction."""

    @abstractmethod
    def read(self, fn: Callable[[Graph], R]) -> R: ...

    @abstractmethod
    def write(self, fn: Callable[[Graph], R]) -> R: ...

    def upsert_nodes(self, label: str, rows: Iterable[Mapping[str, Any]]) -> int:
        rows = list(rows)
        return self.write(lambda tx: tx.upsert_nodes(label, rows))

    def check_ready(self, now: datetime) -> None:
        """Raise `StoreUnavailable` unless the store answers a read and takes a write (it
        rewrites the readiness probe's own row): what a load balancer's readiness check asks."""
        self.read(lambda tx: tx.count("HealthProbe"))
        self.write(lambda tx: tx.upsert_nodes("HealthProbe", [{"name": "ready", "at": now}]))

    def upsert_rels(self, type_: str, rows: Iterable[Mapping[str, Any]], *,
                    src: str, dst: str) -> int:
        rows = list(rows)
        return self.write(lambda tx: tx.upsert_rels(type_, rows, src=src, dst=dst))

    def delete_rels(self, type_: str, rows: Iterable[Mapping[str, Any]], *,
                    src: str, dst: str) -> int:
        rows = list(rows)
        return self.write(lambda tx: tx.delete_rels(type_, rows, src=src, dst=dst))

    def get(self, label: str, key: str) -> Node | None:
        return self.read(lambda tx: tx.get(label, key))

    def get_uid(self, uid: str) -> Node | None:
        return self.read(lambda tx: tx.get_uid(uid))

    def lock(self, label: str, key: str) -> Node | None:
        return self.write(lambda tx: tx.lock(label, key))

    def scan(self, *, after: str = "", limit: int = 1000) -> list[Node]:
        return self.read(lambda tx: tx.scan(after=after, limit=limit))

    def find(self, label: str, **kwargs: Any) -> Page:
        return self.read(lambda tx: tx.find(label, **kwargs))

    def count(self, label: str, where: Mapping[str, Any] | None = None) -> int:
        return self.read(lambda tx: tx.count(label, where))

    def pages(self, label: str, **kwargs: Any) -> Iterator[list[Node]]:
        return iter(self.read(lambda tx: list(tx.pages(label, **kwargs))))

    def nodes(self, label: str, **kwargs: Any) -> Iterator[Node]:
        return iter(self.read(lambda tx: list(tx.nodes(label, **kwargs))))

    def walk(self, *, batch: int = MAX_PAGE) -> Iterator[tuple[list[Node], list[tuple[Rel, Node]]]]:
        return iter(self.read(lambda tx: list(tx.walk(batch=batch))))

    def expand(self, uids: Sequence[str], **kwargs: Any) -> Subgraph:
        return self.read(lambda tx: tx.expand(uids, **kwargs))

    def shortest_paths(self, a: str, b: str, **kwargs: Any) -> list[Path]:
        return self.read(lambda tx: tx.shortest_paths(a, b, **kwargs))

    def run(self, query: NamedQuery, **params: Any) -> list[dict[str, Any]]:
        return self.read(lambda tx: tx.run(query, **params))

    def follow(self, label: str, key: str, levels: Sequence[Level]) -> Subgraph | None:
        return self.read(lambda tx: tx.follow(label, key, levels))

    def versions(self, names: Sequence[str]) -> tuple[int, ...]:
        return self.read(lambda tx: tx.versions(names))
