"""The embedded engine: the whole graph in one SQLite file, no server needed.

Nodes and relationships are two tables with the properties as JSON; each label's indexed
properties get a partial expression index. Writes run in `BEGIN IMMEDIATE` transactions on the
calling thread's own connection (WAL lets readers carry on meanwhile); lists of values travel
as one JSON parameter read back with `json_each`, so no statement grows with its input.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from collab.errors import ConfigError, ConflictError, MissingNodes, StoreUnavailable
from collab.files import private_file
from collab.graph import codec, schema
from collab.graph.codec import Node, NodeRow, Rel, RelRow
from collab.graph.query import Fragment, compose, index_name, join
from collab.graph.schema import NodeType, RelType
from collab.graph.store import (
    Direction,
    Filter,
    Graph,
    GraphOps,
    Level,
    NamedQuery,
    Op,
    R,
    StoreOps,
    Subgraph,
    TransactionGuard,
)

_CHUNK = 500
_BUSY_TIMEOUT_MS = 10_000

_VERSIONS_TABLE = "CREATE TABLE IF NOT EXISTS versions (name TEXT PRIMARY KEY, n INTEGER NOT NULL)"
_TABLES = (
    """CREATE TABLE IF NOT EXISTS nodes (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        label TEXT NOT NULL,
        key TEXT NOT NULL,
        props TEXT NOT NULL DEFAULT '{}',
        UNIQUE (label, key))""",
    """CREATE TABLE IF NOT EXISTS rels (
        id INTEGER PRIMARY KEY,
        type TEXT NOT NULL,
        src INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
        dst INTEGER NOT NULL REFERENCES nodes(id) ON DELETE CASCADE,
        props TEXT NOT NULL DEFAULT '{}',
        UNIQUE (src, type, dst))""",
    "CREATE INDEX IF NOT EXISTS rels_by_dst ON rels (dst, type)",
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    _VERSIONS_TABLE,
)

# Labels are written into these statements (from the schema) rather than bound: a bound label
# makes SQLite re-plan the statement on every row, to check its partial indexes (10x slower).
_UPSERT_NODE = """
    INSERT INTO nodes (uid, label, key, props) VALUES (?1, '<<label>>', ?2, ?3)
    ON CONFLICT (label, key) DO UPDATE SET props = json_patch(nodes.props, ?4)"""

# Ends are bound as node ids, looked up for the whole batch first (`_IDS_IN`): a join per
# row inside the insert costs a third more than one lookup query per batch.
_UPSERT_REL = """
    INSERT INTO rels (type, src, dst, props) VALUES ('<<type>>', ?1, ?2, ?3)
    ON CONFLICT (src, type, dst) DO UPDATE SET props = json_patch(rels.props, ?4)"""

# The same upserts for a batch whose rows remove no property (what to create is what to merge),
# the common case of bulk writes: one statement per 10,000 rows, the rows as one JSON array
# that SQLite walks in C, instead of a Python round of binding per row (about twice as fast).
_UPSERT_NODES = """
    INSERT INTO nodes (uid, label, key, props)
    SELECT json_extract(value, '$[0]'), '<<label>>', json_extract(value, '$[1]'),
           json_extract(value, '$[2]') FROM json_each(?) WHERE true
    ON CONFLICT (label, key) DO UPDATE SET props = json_patch(nodes.props, excluded.props)"""
_UPSERT_RELS = """
    INSERT INTO rels (type, src, dst, props)
    SELECT '<<type>>', json_extract(value, '$[0]'), json_extract(value, '$[1]'),
           json_extract(value, '$[2]') FROM json_each(?) WHERE true
    ON CONFLICT (src, type, dst) DO UPDATE SET props = json_patch(rels.props, excluded.props)"""
_BATCH = 10_000

_DELETE_REL = """
    DELETE FROM rels WHERE type = '<<type>>'
      AND src = (SELECT id FROM nodes WHERE label = '<<src>>' AND key = ?1)
      AND dst = (SELECT id FROM nodes WHERE label = '<<dst>>' AND key = ?2)"""

_KEYS_IN = """SELECT key, uid FROM nodes WHERE label = '<<label>>'
    AND key IN (SELECT value FROM json_each(?))"""
_IDS_IN = """SELECT key, id FROM nodes WHERE label = '<<label>>'
    AND key IN (SELECT value FROM json_each(?))"""
_GET = "SELECT uid, props FROM nodes WHERE label = '<<label>>' AND key = ?"

_ADJACENT = """
    WITH f(id) AS (SELECT id FROM nodes WHERE uid IN (SELECT value FROM json_each(:uids))),
    e(rid, mid) AS (
        SELECT r.id, r.dst FROM rels r WHERE :out AND r.src IN f
            AND (:types IS NULL OR r.type IN (SELECT value FROM json_each(:types)))
        UNION ALL
        SELECT r.id, r.src FROM rels r WHERE :in AND r.dst IN f
            AND (:types IS NULL OR r.type IN (SELECT value FROM json_each(:types))))
    SELECT r.type, s.uid, d.uid, r.props, m.uid, m.label,
           CASE WHEN :bare THEN '{}' ELSE m.props END
    FROM e JOIN rels r ON r.id = e.rid JOIN nodes m ON m.id = e.mid
         JOIN nodes s ON s.id = r.src JOIN nodes d ON d.id = r.dst
    WHERE (:labels IS NULL OR m.label IN (SELECT value FROM json_each(:labels)))
      AND (:among IS NULL OR m.uid IN (SELECT value FROM json_each(:among)))
    ORDER BY m.uid, r.type, s.uid, d.uid
    LIMIT :limit"""

_ADJACENT_COUNTS = """
    WITH f(id) AS (SELECT id FROM nodes WHERE uid IN (SELECT value FROM json_each(:uids))),
    e(mid) AS (
        SELECT r.dst FROM rels r WHERE :out AND r.src IN f
            AND (:types IS NULL OR r.type IN (SELECT value FROM json_each(:types)))
        UNION
        SELECT r.src FROM rels r WHERE :in AND r.dst IN f
            AND (:types IS NULL OR r.type IN (SELECT value FROM json_each(:types))))
    SELECT m.label, count(*) FROM e JOIN nodes m ON m.id = e.mid
    WHERE (:labels IS NULL OR m.label IN (SELECT value FROM json_each(:labels)))
      AND m.uid NOT IN (SELECT value FROM json_each(:exclude))
    GROUP BY m.label"""


# A version starts at a random number, so a store wiped and written again does not repeat the
# versions it had before (a result kept under them would be taken for the new one's).
_BUMP = """INSERT INTO versions (name, n)
    SELECT value, abs(random()) % 9007199254740991 FROM json_each(?) WHERE true
    ON CONFLICT (name) DO UPDATE SET n = n + 1"""
_VERSIONS = "SELECT name, n FROM versions WHERE name IN (SELECT value FROM json_each(?))"

# A follow (`Graph.follow`): level i follows its out and into types from every node level i-1
# reached (`_FOLLOW_LEVEL`, one per level); one row per (level, node, relationship that reached it).
_FOLLOW = """
    WITH l0(rid, nid) AS (SELECT NULL, id FROM nodes WHERE label = '<<label>>' AND key = :key)
    <<levels>>
    <<rows>>"""
_FOLLOW_LEVEL = """,
    f<<i>>(id) AS (SELECT DISTINCT nid FROM l<<p>>),
    l<<i>>(rid, nid) AS (<<branches>>)"""
_FOLLOW_OUT = ("SELECT r.id, r.dst FROM f<<i>> "
               "JOIN rels r ON r.src = f<<i>>.id AND r.type IN (<<t>>)")
_FOLLOW_INTO = ("SELECT r.id, r.src FROM f<<i>> "
                "JOIN rels r ON r.dst = f<<i>>.id AND r.type IN (<<t>>)")
_FOLLOW_ROWS = """
    SELECT <<i>>, n.uid, n.label, n.props, r.type, s.uid, d.uid, r.props
    FROM l<<i>> x JOIN nodes n ON n.id = x.nid LEFT JOIN rels r ON r.id = x.rid
         LEFT JOIN nodes s ON s.id = r.src LEFT JOIN nodes d ON d.id = r.dst"""


@cache
def _follow_query(label: str, levels: tuple[Level, ...]) -> Fragment:
    """`_FOLLOW` for these levels, the types written in (schema names)."""
    parts = []
    for i, level in enumerate(levels, start=1):
        branches = [compose(template, i=i, t=join(", ", [compose("'<<x>>'", x=x) for x in types]))
                    for template, types in ((_FOLLOW_OUT, level.out), (_FOLLOW_INTO, level.into))
                    if types] or [compose("SELECT NULL, NULL WHERE 0")]
        parts.append(compose(_FOLLOW_LEVEL, i=i, p=i - 1, branches=join(" UNION ALL ", branches)))
    rows = join(" UNION ALL ", [compose(_FOLLOW_ROWS, i=i) for i in range(len(levels) + 1)])
    return compose(_FOLLOW, label=label, levels=join("", parts), rows=rows)


# The capped expansion (`Graph.expand`) in one statement, a hop per `_EXPAND_HOP`: f<i> are the
# nodes hop i keeps (new neighbours in uid order, up to the cap), k<i> all held after it, m<i>
# hop i's (relationship, neighbour) rows; only ids and labels are walked, and only the nodes
# kept are read in full.
_EXPAND = """
    WITH f0(uid, id) AS MATERIALIZED (
        SELECT uid, id FROM nodes WHERE uid IN (SELECT value FROM json_each(:uids))
        ORDER BY uid LIMIT :limit),
    k0(id) AS MATERIALIZED (SELECT id FROM f0)<<hops>>,
    held(h, id) AS (<<held>>),
    kept(rid) AS (<<kept>>),
    met(mid, label) AS (<<met>>)
    SELECT 0, h, n.uid, n.label, n.props FROM held JOIN nodes n ON n.id = held.id
    UNION ALL
    SELECT 1, r.type, s.uid, d.uid, r.props FROM kept JOIN rels r ON r.id = kept.rid
        JOIN nodes s ON s.id = r.src JOIN nodes d ON d.id = r.dst
    UNION ALL
    SELECT 2, label, count(*), NULL, NULL FROM met
    WHERE (SELECT count(*) FROM k<<depth>>) >= :limit AND mid NOT IN (SELECT id FROM k<<depth>>)
    GROUP BY label"""
_EXPAND_HOP = """,
    m<<i>>(rid, mid, muid, mlabel) AS MATERIALIZED (
        SELECT e.rid, e.mid, m.uid, m.label FROM (<<edges>>) e
        JOIN nodes m ON m.id = e.mid WHERE <<shown>>),
    f<<i>>(uid, id) AS MATERIALIZED (
        SELECT DISTINCT muid, mid FROM m<<i>> WHERE mid NOT IN (SELECT id FROM k<<p>>)
        ORDER BY muid LIMIT max(0, :limit - (SELECT count(*) FROM k<<p>>))),
    k<<i>>(id) AS MATERIALIZED (SELECT id FROM k<<p>> UNION ALL SELECT id FROM f<<i>>)"""
_EXPAND_OUT = "SELECT r.id AS rid, r.dst AS mid FROM rels r WHERE r.src IN (SELECT id FROM f<<p>>)"
_EXPAND_IN = "SELECT r.id AS rid, r.src AS mid FROM rels r WHERE r.dst IN (SELECT id FROM f<<p>>)"


def _listed(column: str, names: tuple[str, ...] | None) -> Fragment:
    """`column IN ('A', 'B')` for schema names written in (constant lists SQLite plans well):
    true for None, false for none."""
    if names is None:
        return compose("1")
    if not names:
        return compose("0")
    return compose("<<c>> IN (<<n>>)", c=compose(column),
                   n=join(", ", [compose("'<<x>>'", x=x) for x in names]))


@cache
def _expand_query(depth: int, labels: tuple[str, ...] | None, types: tuple[str, ...] | None,
                  direction: Direction) -> Fragment:
    """`_EXPAND` for `depth` hops, the labels, types and direction written in."""
    def edges(p: int) -> Fragment:
        sides = [compose(template, p=p) for template, wanted in (
            (_EXPAND_OUT, direction in (Direction.OUT, Direction.BOTH)),
            (_EXPAND_IN, direction in (Direction.IN, Direction.BOTH))) if wanted]
        return join(" UNION ALL ", [compose("<<side>> AND <<typed>>", side=side,
                                            typed=_listed("r.type", types)) for side in sides])

    hops = join("", [compose(_EXPAND_HOP, i=i, p=i - 1, edges=edges(i - 1),
                             shown=_listed("m.label", labels)) for i in range(1, depth + 1)])
    held = join(" UNION ALL ", [compose("SELECT <<i>>, id FROM f<<i>>", i=i)
                                for i in range(depth + 1)])
    kept = join(" UNION ", [compose("SELECT rid FROM m<<i>> WHERE mid IN (SELECT id FROM k<<i>>)",
                                    i=i) for i in range(1, depth + 1)])
    met = join(" UNION ", [compose("SELECT mid, mlabel FROM m<<i>>", i=i)
                           for i in range(1, depth + 1)])
    return compose(_EXPAND, hops=hops, held=held, kept=kept, met=met, depth=depth)


_EMPTY: dict[str, Any] = {}


def _loads(props: str) -> dict[str, Any]:
    """Stored properties as a dict; most relationships have none, and need no parsing."""
    return _EMPTY if props == "{}" else json.loads(props)


# One encoder for every row (json.dumps with options builds a new one per call); compact
# separators, since the text is stored and only SQLite's JSON functions read it.
_to_json = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _props_json(props: dict[str, Any]) -> tuple[str, str]:
    """The properties to store on create (no nulls) and the patch to merge on update (nulls
    remove, as JSON merge-patch does)."""
    patch = _to_json(props)
    if None in props.values():
        return _to_json({k: v for k, v in props.items() if v is not None}), patch
    return patch, patch


class _PropsCache(dict[Any, tuple[str, str]]):
    """`_props_json` for one batch, encoding each distinct set of properties once.

    Relationships in a batch mostly carry the same few property sets (none, or one position
    or kind), so most rows need no encoding at all. Rows with a list value are not hashable
    and are simply encoded."""

    def get_json(self, props: dict[str, Any]) -> tuple[str, str]:
        try:
            key = tuple(props.items())
            found = self.get(key)
        except TypeError:
            return _props_json(props)
        if found is None:
            found = self[key] = _props_json(props)
        return found


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


_CONDITIONS = {
    Op.IS_NULL: "<<col>> IS NULL",
    Op.IN: "<<col>> IN (SELECT value FROM json_each(?))",
    Op.PREFIX: "<<col>> >= ? AND <<col>> < ?",
    Op.CONTAINS: "instr(<<col>>, ?) > 0",
    # words read from the full-text table's own column, plain text (4x faster than each
    # node's JSON); words of three characters or more are looked up instead (`_TRIGRAMS`)
    Op.WORDS: "id IN (SELECT rowid FROM node_text WHERE instr(<<prop>>, ?) > 0)",
    Op.EQ: "<<col>> = ?",
    Op.NE: "<<col>> <> ?",
    Op.LT: "<<col>> < ?",
    Op.LE: "<<col>> <= ?",
    Op.GT: "<<col>> > ?",
    Op.GE: "<<col>> >= ?",
}
# Words of three characters or more: the rows whose trigrams hold the phrase, each then
# checked for the words as typed (so the answer is CONTAINS's, as on Neo4j).
_TRIGRAMS = ("id IN (SELECT rowid FROM node_text WHERE <<prop>> MATCH ?) "
             "AND instr(<<col>>, ?) > 0")
_ORDER = {
    False: "<<col>> IS NULL, <<col>>, uid",
    True: "<<col>> IS NULL, <<col>> DESC, uid",
}
_FIND = """SELECT uid, props FROM nodes <<hint>> WHERE <<where>>
    ORDER BY <<order>> LIMIT ? OFFSET ?"""
_COUNT = "SELECT count(*) FROM nodes <<hint>> WHERE <<where>>"
# Filters an expression index can serve. Without statistics SQLite prefers the (label, key)
# index for `label = 'X'` and scans the whole label, so the first such filter names its index.
_INDEXABLE = (Op.EQ, Op.IN, Op.PREFIX, Op.LT, Op.LE, Op.GT, Op.GE)


def _column(node: NodeType, prop: str) -> Fragment:
    """Where a property is kept: the label's key (and uid) in their own indexed columns, so a
    list sorted or filtered by its number reads the index, not each row's JSON; the rest in
    the JSON properties."""
    if prop == "uid":
        return compose("uid")
    if prop == node.key:
        return compose("key")
    return compose("json_extract(props, '$.<<prop>>')", prop=prop)


def _order(node: NodeType, prop: str | None, descending: bool) -> Fragment:
    """The ORDER BY of a find: a key column is never missing and never ties."""
    if prop is None:
        return compose("uid")
    column = _column(node, prop)
    if prop in ("uid", node.key):
        return compose("<<col>> DESC", col=column) if descending else column
    return compose(_ORDER[descending], col=column)


def _by_trigrams(f: Filter) -> bool:
    """Whether the trigram index serves this filter: words of three characters or more (it
    knows no shorter piece) without a NUL (FTS5 reads its query as a C string); other words
    are read from the full-text table's rows."""
    return f.op is Op.WORDS and len(f.value) >= 3 and "\x00" not in f.value


def _phrase(text: str) -> str:
    """`text` as one FTS5 phrase: with trigrams, every row that holds it as typed."""
    return '"' + text.replace('"', '""') + '"'


def _hint(node: NodeType, filters: list[Filter]) -> Fragment:
    """`INDEXED BY` the index of the first filter that one can serve, or nothing; when the
    full-text table serves a filter, its row ids lead (else SQLite walks the whole label)."""
    indexed = schema.indexed_props(node)
    if any(f.op is Op.WORDS for f in filters):
        return compose("NOT INDEXED")
    for f in filters:
        if f.op in _INDEXABLE and f.prop in indexed:
            return compose("INDEXED BY <<name>>", name=index_name("ix", node.label, f.prop))
    return compose("")


def _where(node: NodeType, filters: list[Filter]) -> tuple[Fragment, list[Any]]:
    """The SQL condition and parameters for a label and its filters."""
    clauses = [compose("label = '<<label>>'", label=node.label)]
    params: list[Any] = []
    for f in filters:
        template = _TRIGRAMS if _by_trigrams(f) else _CONDITIONS[f.op]
        clauses.append(compose(template, col=_column(node, f.prop), prop=f.prop))
        if _by_trigrams(f):
            params += [_phrase(f.value), f.value]
        elif f.op is Op.IN:
            params.append(json.dumps(f.value, ensure_ascii=False))
        elif f.op is Op.PREFIX:
            params += [f.value, f.value + "\U0010ffff"]
        elif f.op is not Op.IS_NULL:
            params.append(f.value)
    return join(" AND ", clauses), params


class SqliteGraph(GraphOps):
    """The Graph operations on one SQLite connection inside an open transaction."""

    def __init__(self, conn: sqlite3.Connection, origin: str = ""):
        self._conn = conn
        self.origin = origin

    def _upsert_nodes(self, node: NodeType, rows: list[NodeRow]) -> None:
        explicit = [r for r in rows if r.explicit_uid]
        if explicit:
            self._check_uids(node, explicit)
        params = [(r.uid, r.key, *_props_json(r.props)) for r in rows]
        try:
            self._upsert(compose(_UPSERT_NODE, label=node.label),
                         compose(_UPSERT_NODES, label=node.label), params)
        except sqlite3.IntegrityError as e:
            raise ConflictError(f"{node.label}: a uid in these rows belongs to another node "
                                f"({e})") from None

    def _check_uids(self, node: NodeType, rows: list[NodeRow]) -> None:
        wanted = {r.key: r.uid for r in rows}
        for chunk in _chunks(list(wanted)):
            cur = self._conn.execute(compose(_KEYS_IN, label=node.label),
                                     (json.dumps(chunk, ensure_ascii=False),))
            for key, uid in cur:
                if uid != wanted[key]:
                    raise ConflictError(f"{node.label} {key!r} already exists with another uid")

    def _upsert_rels(self, rel: RelType, src: NodeType, dst: NodeType,
                     rows: list[RelRow]) -> None:
        src_keys, dst_keys = {r.src for r in rows}, {r.dst for r in rows}
        src_ids, dst_ids = self._ids(src, src_keys), self._ids(dst, dst_keys)
        if len(src_ids) < len(src_keys) or len(dst_ids) < len(dst_keys):
            raise MissingNodes(*self._missing(rel, src, dst, rows))
        cache = _PropsCache()
        params = [(src_ids[r.src], dst_ids[r.dst], *cache.get_json(r.props)) for r in rows]
        self._upsert(compose(_UPSERT_REL, type=rel.type), compose(_UPSERT_RELS, type=rel.type),
                     params)

    def _upsert(self, one: str, batch: str, params: list[tuple[Any, Any, str, str]]) -> None:
        """Rows (a, b, properties to create, patch to merge) by `batch` when no row removes a
        property (create and patch are the same), else one row at a time by `one`."""
        if any(create is not patch and create != patch for _, _, create, patch in params):
            self._conn.executemany(one, params)
            return
        for i in range(0, len(params), _BATCH):
            self._conn.execute(batch, (_to_json([[a, b, create] for a, b, create, _
                                                 in params[i:i + _BATCH]]),))

    def _ids(self, node: NodeType, keys: set[str]) -> dict[str, int]:
        """Row ids of the nodes of `node` with these keys (those that exist)."""
        found: dict[str, int] = {}
        query = compose(_IDS_IN, label=node.label)
        for chunk in _chunks(list(keys), 50_000):
            found.update(self._conn.execute(query, (_to_json(list(chunk)),)))
        return found

    def _delete_rels(self, rel: RelType, src: NodeType, dst: NodeType,
                     pairs: list[tuple[str, str]]) -> int:
        query = compose(_DELETE_REL, type=rel.type, src=src.label, dst=dst.label)
        return self._conn.executemany(query, pairs).rowcount

    def _missing(self, rel: RelType, src: NodeType, dst: NodeType,
                 rows: list[RelRow]) -> tuple[str, list[tuple[str, str]]]:
        missing: list[tuple[str, str]] = []
        for label, keys in ((src.label, {r.src for r in rows}), (dst.label, {r.dst for r in rows})):
            found: set[str] = set()
            for chunk in _chunks(sorted(keys)):
                found.update(k for (k, _) in self._conn.execute(
                    compose(_KEYS_IN, label=label),
                    (json.dumps(list(chunk), ensure_ascii=False),)))
            missing += [(label, k) for k in sorted(keys - found)]
        shown = ", ".join(f"{lab} {k!r}" for lab, k in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        return f"{rel.type}: no such node: {shown}{more}; nothing was written", missing

    def _get(self, node: NodeType, key: str) -> Node | None:
        row = self._conn.execute(compose(_GET, label=node.label), (key,)).fetchone()
        return codec.decode_node(node.label, row[0], json.loads(row[1])) if row else None

    def _lock(self, node: NodeType, key: str) -> Node | None:
        """Writes begin IMMEDIATE, so this transaction already holds the database's write lock."""
        return self._get(node, key)

    def _scan(self, after: str, limit: int) -> list[Node]:
        cur = self._conn.execute("SELECT uid, label, props FROM nodes WHERE uid > ? "
                                 "ORDER BY uid LIMIT ?", (after, limit))
        return [codec.decode_node(label, uid, json.loads(props)) for uid, label, props in cur]

    def _get_uids(self, uids: Sequence[str]) -> list[Node]:
        out = []
        for chunk in _chunks(list(uids)):
            cur = self._conn.execute(
                "SELECT uid, label, props FROM nodes "
                "WHERE uid IN (SELECT value FROM json_each(?))",
                (json.dumps(list(chunk), ensure_ascii=False),))
            out += [codec.decode_node(label, uid, json.loads(props)) for uid, label, props in cur]
        return out

    def _find(self, node: NodeType, filters: list[Filter], order_by: str | None,
              descending: bool, limit: int, offset: int) -> list[Node]:
        where, params = _where(node, filters)
        order = _order(node, order_by, descending)
        # sorted by the key: walk the key's index and stop at the page, whatever the filters
        hint = compose("") if order_by == node.key else _hint(node, filters)
        cur = self._conn.execute(compose(_FIND, hint=hint, where=where, order=order),
                                 [*params, limit, offset])
        return [codec.decode_node(node.label, uid, json.loads(p)) for uid, p in cur]

    def _count(self, node: NodeType, filters: list[Filter]) -> int:
        where, params = _where(node, filters)
        query = compose(_COUNT, hint=_hint(node, filters), where=where)
        return self._conn.execute(query, params).fetchone()[0]

    def _adjacent(self, uids: Sequence[str], types: Sequence[str] | None,
                  labels: Sequence[str] | None, direction: Direction,
                  limit: int | None, among: Sequence[str] | None = None,
                  bare: bool = False) -> list[tuple[Rel, Node]]:
        params = _adjacency_params(uids, types, labels, direction)
        params["limit"] = -1 if limit is None else limit
        params["bare"] = bare
        params["among"] = None if among is None else json.dumps(list(among), ensure_ascii=False)
        out = []
        for rtype, s, d, rprops, muid, mlabel, mprops in self._conn.execute(_ADJACENT, params):
            out.append((codec.decode_rel(rtype, s, d, _loads(rprops)),
                        codec.decode_node(mlabel, muid, {} if bare else json.loads(mprops))))
        return out

    def _run_named(self, query: NamedQuery, params: dict[str, Any]) -> list[dict[str, Any]]:
        bound = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                 for k, v in params.items()}
        try:
            cur = self._conn.execute(query.sql, bound)
        except sqlite3.OperationalError as e:
            if "no such index" not in str(e):
                raise
            # a figure names a covering index that this file was initialised without
            raise ConfigError(f"{query.name}: the database lacks an index this version uses "
                              f"({e}); run `collab init` to add it") from None
        return [dict(zip(query.columns, row, strict=True)) for row in cur]

    def _adjacent_counts(self, uids: Sequence[str], types: Sequence[str] | None,
                         labels: Sequence[str] | None, direction: Direction,
                         exclude: Sequence[str]) -> dict[str, int]:
        params = _adjacency_params(uids, types, labels, direction)
        params["exclude"] = json.dumps(list(exclude), ensure_ascii=False)
        return dict(self._conn.execute(_ADJACENT_COUNTS, params).fetchall())

    def _expand(self, uids: list[str], *, depth: int, labels: list[str] | None,
                types: list[str] | None, direction: Direction, limit: int) -> Subgraph:
        query = _expand_query(depth, None if labels is None else tuple(labels),
                              None if types is None else tuple(types), direction)
        params = {"uids": _to_json(uids), "limit": limit}
        nodes: list[tuple[int, str, Node]] = []
        rels: dict[tuple[str, str, str], Rel] = {}
        omitted: dict[str, int] = {}
        for kind, a, b, c, d in self._conn.execute(query, params):
            if kind == 0:
                nodes.append((a, b, codec.decode_node(c, b, json.loads(d))))
            elif kind == 1:
                rels[(a, b, c)] = codec.decode_rel(a, b, c, _loads(d))
            elif b:
                omitted[a] = b
        nodes.sort(key=lambda x: (x[0], x[1]))
        return Subgraph([n for _, _, n in nodes], [rels[k] for k in sorted(rels)],
                        bool(omitted), dict(sorted(omitted.items())))

    def _follow(self, node: NodeType, key: str, levels: list[Level]) -> Subgraph | None:
        rows = self._conn.execute(_follow_query(node.label, tuple(levels)), {"key": key}).fetchall()
        return _followed([(i, uid, label, props, None if rtype is None else (rtype, s, d, rprops))
                        for i, uid, label, props, rtype, s, d, rprops in rows])

    def _versions(self, names: list[str]) -> dict[str, int]:
        try:
            return dict(self._conn.execute(_VERSIONS, (_to_json(names),)))
        except sqlite3.OperationalError as e:
            if "no such table" not in str(e):
                raise
            return {}  # a file made before versions were kept: nothing written since

    def _bump_versions(self, names: list[str]) -> None:
        try:
            self._conn.execute(_BUMP, (_to_json(names),))
        except sqlite3.OperationalError as e:
            if "no such table" not in str(e):
                raise
            self._conn.execute(_VERSIONS_TABLE)  # a file made before versions were kept
            self._conn.execute(_BUMP, (_to_json(names),))


def _followed(rows: list[tuple[int, str, str, str, tuple[str, str, str, str] | None]],
            ) -> Subgraph | None:
    """A follow's rows (level, node, how it was reached) as a Subgraph: the start first, then
    each level's new nodes in uid order; every node decoded once."""
    nodes: dict[str, tuple[int, Node]] = {}
    rels: dict[tuple[str, str, str], Rel] = {}
    for level, uid, label, props, rel in rows:
        if uid not in nodes or nodes[uid][0] > level:
            node = nodes[uid][1] if uid in nodes else codec.decode_node(label, uid,
                                                                         json.loads(props))
            nodes[uid] = (level, node)
        if rel is not None and rel[:3] not in rels:
            rels[rel[:3]] = codec.decode_rel(*rel[:3], _loads(rel[3]))
    if not nodes:
        return None
    ordered = sorted(nodes.values(), key=lambda x: (x[0], x[1].uid))
    return Subgraph([n for _, n in ordered], [rels[k] for k in sorted(rels)])


def _adjacency_params(uids: Sequence[str], types: Sequence[str] | None,
                      labels: Sequence[str] | None, direction: Direction) -> dict[str, Any]:
    def as_json(v: Sequence[str] | None) -> str | None:
        return None if v is None else json.dumps(list(v), ensure_ascii=False)

    return {"uids": as_json(uids), "types": as_json(types), "labels": as_json(labels),
            "out": direction in (Direction.OUT, Direction.BOTH),
            "in": direction in (Direction.IN, Direction.BOTH)}


class SqliteStore(StoreOps):
    """A graph in one SQLite file, one connection per thread."""

    backend = "sqlite"

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.parent.is_dir():
            raise ConfigError(f"the folder for the database file does not exist: "
                              f"{self.path.parent} (create it, or set COLLAB_DATABASE / "
                              f"--database to a file in an existing folder)")
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._guard = TransactionGuard()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            _owner_only(self.path)
            try:
                conn = sqlite3.connect(self.path, isolation_level=None,
                                       check_same_thread=False, timeout=_BUSY_TIMEOUT_MS / 1000)
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA foreign_keys = ON")
                # FULL: a committed transfer survives a power loss, not only a crash
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA cache_size = -262144")
                conn.execute("PRAGMA mmap_size = 1073741824")
                conn.execute("PRAGMA temp_store = MEMORY")
            except sqlite3.DatabaseError as e:
                raise StoreUnavailable(f"cannot open the database file {self.path}: {e} "
                                       f"(is it a collab SQLite file?)") from None
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _tx(self, begin: str) -> Iterator[SqliteGraph]:
        with self._guard.enter():
            conn = self._conn()
            try:
                conn.execute(begin)
            except sqlite3.OperationalError as e:
                raise StoreUnavailable(f"the database {self.path} is busy or locked: {e}") from None
            graph = SqliteGraph(conn, str(self.path))
            try:
                yield graph
                graph._commit_versions()
                conn.execute("COMMIT")
            except BaseException as e:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(e, sqlite3.OperationalError) and _storage_fault(e):
                    raise StoreUnavailable(f"the database {self.path} cannot be written: "
                                           f"{e}") from None
                raise

    def transaction(self) -> Any:
        """Writes inside commit together when the block ends, or roll back on an exception."""
        return self._tx("BEGIN IMMEDIATE")

    def write(self, fn: Callable[[Graph], R]) -> R:
        for attempt in range(3):
            try:
                with self._tx("BEGIN IMMEDIATE") as tx:
                    return fn(tx)
            except StoreUnavailable:
                if attempt == 2:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def read(self, fn: Callable[[Graph], R]) -> R:
        with self._tx("BEGIN") as tx:
            return fn(tx)

    def is_initialised(self) -> bool:
        row = self._conn().execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        return row is not None

    def init_schema(self) -> list[str]:
        before = set(self.schema_objects())
        with self._tx("BEGIN IMMEDIATE") as tx:
            conn = tx._conn
            for ddl in _TABLES:
                conn.execute(ddl)
            for ddl in _index_ddl():
                conn.execute(ddl)
            if "node_text" not in before:
                for ddl in _text_ddl():
                    conn.execute(ddl)
            conn.execute("INSERT OR IGNORE INTO meta (name, value) VALUES ('schema_version', ?)",
                         (str(schema.VERSION),))
        return sorted(set(self.schema_objects()) - before)

    def schema_version(self) -> int | None:
        if not self.is_initialised():
            return None
        row = self._conn().execute(
            "SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
        return int(row[0]) if row else 1

    def set_schema_version(self, version: int) -> None:
        with self._tx("BEGIN IMMEDIATE") as tx:
            tx._conn.execute("INSERT OR REPLACE INTO meta (name, value) "
                             "VALUES ('schema_version', ?)", (str(int(version)),))

    def schema_objects(self) -> list[str]:
        rows = self._conn().execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
        return [name for (name,) in rows]

    def counts(self) -> dict[str, dict[str, int]]:
        conn = self._conn()
        nodes = dict(conn.execute("SELECT label, count(*) FROM nodes GROUP BY label"))
        rels = dict(conn.execute("SELECT type, count(*) FROM rels GROUP BY type"))
        return {"nodes": {k: nodes.get(k, 0) for k in schema.NODES},
                "rels": {k: rels.get(k, 0) for k in schema.RELS}}

    def integrity_check(self) -> str:
        """SQLite's own verdict on the file: 'ok' when sound."""
        return self._conn().execute("PRAGMA integrity_check").fetchone()[0]

    def pool(self) -> dict[str, int]:
        with self._lock:
            return {"open": len(self._all),
                    "in_use": sum(conn.in_transaction for conn in self._all)}

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


_STORAGE_FAULTS = ("disk is full", "disk I/O error", "readonly database", "unable to open")


def _storage_fault(e: sqlite3.OperationalError) -> bool:
    """Whether SQLite failed for the file's sake (disk full, I/O, read-only), not the query's."""
    return any(words in str(e) for words in _STORAGE_FAULTS)


def _owner_only(path: Path) -> None:
    """The database file made (or tightened to) mode 600 before SQLite opens it: SQLite gives
    its WAL and shared-memory files the database file's mode."""
    if not path.exists():
        private_file(path)
        return
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if part.exists() and part.stat().st_mode & 0o077:
                part.chmod(0o600)
        except PermissionError:  # not ours to change (a read-only copy): leave it
            pass


def _text_parts(row: Fragment) -> tuple[Fragment, Fragment, Fragment]:
    """The full-text table's columns, the values a `nodes` row (`new`, `nodes`) gives them,
    and the labels whose nodes it holds."""
    columns = schema.text_columns()
    return (join(", ", [compose("<<c>>", c=c) for c in columns]),
            join(", ", [compose("json_extract(<<row>>.props, '$.<<c>>')", row=row, c=c)
                        for c in columns]),
            join(", ", [compose("'<<label>>'", label=n.label)
                        for n in schema.NODES.values() if n.text]))


def _text_ddl() -> list[Fragment]:
    """The full-text table (FTS5, trigrams: Chinese has no spaces between words, so any three
    characters are a key), the triggers that keep it level with `nodes` in the writer's own
    transaction (nodes are written, never deleted), and its rows for the nodes a store held
    before it had the table. One row per node of a label with `text` properties, under the
    node's row id."""
    names, values, labels = _text_parts(compose("new"))
    _, existing, _ = _text_parts(compose("nodes"))
    changed = join(" OR ", [compose("json_extract(new.props, '$.<<c>>') IS NOT "
                                    "json_extract(old.props, '$.<<c>>')", c=c)
                            for c in schema.text_columns()])
    insert = compose("INSERT INTO node_text (rowid, <<names>>) VALUES (new.id, <<values>>);",
                     names=names, values=values)
    return [
        compose("CREATE VIRTUAL TABLE IF NOT EXISTS node_text USING "
                "fts5(<<names>>, tokenize = 'trigram case_sensitive 1')", names=names),
        compose("CREATE TRIGGER IF NOT EXISTS node_text_insert AFTER INSERT ON nodes "
                "WHEN new.label IN (<<labels>>) BEGIN <<insert>> END",
                labels=labels, insert=insert),
        compose("CREATE TRIGGER IF NOT EXISTS node_text_update AFTER UPDATE OF props ON nodes "
                "WHEN new.label IN (<<labels>>) AND (<<changed>>) BEGIN "
                "DELETE FROM node_text WHERE rowid = old.id; <<insert>> END",
                labels=labels, changed=changed, insert=insert),
        compose("INSERT INTO node_text (rowid, <<names>>) SELECT id, <<values>> FROM nodes "
                "WHERE label IN (<<labels>>)", names=names, values=existing, labels=labels),
    ]


def _index_ddl() -> list[Fragment]:
    """One partial expression index per label and indexed property, and each label's
    covering indexes (`NodeType.covering`)."""
    out = []
    for node in schema.NODES.values():
        for prop in schema.indexed_props(node):
            out.append(compose(
                "CREATE INDEX IF NOT EXISTS <<name>> ON nodes (json_extract(props, '$.<<prop>>')) "
                "WHERE label = '<<label>>'",
                name=index_name("ix", node.label, prop), prop=prop,
                label=node.label))
        for props in node.covering:
            columns = join(", ", [compose("json_extract(props, '$.<<prop>>')", prop=prop)
                                  for prop in props])
            out.append(compose("CREATE INDEX IF NOT EXISTS <<name>> ON nodes (<<columns>>) "
                               "WHERE label = '<<label>>'",
                               name=schema.covering_index(node.label, props[0]),
                               columns=columns, label=node.label))
    return out
