"""The production engine: Neo4j through the official driver.

Reads run in read sessions and writes in write sessions, so a cluster routes them to the right
members; transient faults (deadlocks, a leader switch) are retried within a budget. A server
that is gone is not waited for: a short connection timeout, one quick retry (a pooled
connection may have gone stale), then the process's breaker (`breaker.py`) refuses every call
at once until a background probe sees the server back. Every node carries its schema label
and the common label `Node` (unique `uid`), so a node can be found by uid whatever its label.
Driver exceptions are translated into collab's own errors here and nowhere else.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any

import neo4j
from neo4j import exceptions as nx

from collab.errors import ConfigError, ConflictError, MissingNodes, StoreAuthError, StoreUnavailable
from collab.graph import codec, schema
from collab.graph.breaker import Breaker
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
    Path,
    R,
    StoreOps,
    Subgraph,
    TransactionGuard,
)

BATCH = 5000
SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_NO_LIMIT = 2**62

_UPSERT_NODES = """
    UNWIND $rows AS row
    MERGE (n:<<label>> {<<key>>: row.key})
    ON CREATE SET n:Node, n.uid = row.uid
    SET n += row.props
    WITH n, row WHERE row.explicit AND n.uid <> row.uid
    RETURN row.key AS key"""

_UPSERT_RELS = """
    UNWIND $rows AS row
    MATCH (a:<<src>> {<<skey>>: row.src})
    MATCH (b:<<dst>> {<<dkey>>: row.dst})
    MERGE (a)-[r:<<type>>]->(b)
    SET r += row.props
    RETURN count(r) AS n"""

_DELETE_RELS = """
    UNWIND $rows AS row
    MATCH (:<<src>> {<<skey>>: row.src})-[r:<<type>>]->(:<<dst>> {<<dkey>>: row.dst})
    DELETE r
    RETURN count(r) AS n"""
_MISSING = """
    UNWIND $keys AS k
    OPTIONAL MATCH (n:<<label>> {<<key>>: k})
    WITH k, n WHERE n IS NULL
    RETURN k ORDER BY k"""

_PATTERNS = {Direction.OUT: "(n)-[r<<types>>]->(m)", Direction.IN: "(n)<-[r<<types>>]-(m)",
             Direction.BOTH: "(n)-[r<<types>>]-(m)"}

_ADJACENT = """
    UNWIND $uids AS u
    MATCH (n:Node {uid: u})
    MATCH <<pattern>>
    <<where>>
    WITH r, m WHERE $among IS NULL OR m.uid IN $among
    WITH r, m, startNode(r).uid AS s, endNode(r).uid AS d
    RETURN type(r) AS type, s, d, properties(r) AS rp, m.uid AS muid,
           [l IN labels(m) WHERE l <> 'Node'][0] AS mlabel,
           CASE WHEN $bare THEN {} ELSE properties(m) END AS mp
    ORDER BY muid, type, s, d
    LIMIT $limit"""

_ADJACENT_COUNTS = """
    UNWIND $uids AS u
    MATCH (n:Node {uid: u})
    MATCH <<pattern>>
    <<where>>
    WITH DISTINCT m WHERE NOT m.uid IN $exclude
    RETURN [l IN labels(m) WHERE l <> 'Node'][0] AS label, count(*) AS n"""

# --- use-case reads, each one statement ------------------------------------------------------
# The capped expansion (`Graph.expand`): per hop, the new neighbours in uid order up to the
# cap, then the relationships from the frontier to held nodes; the omitted counts; the held
# nodes read in full once. Only uids travel between the parts.
_EXPAND = """
    UNWIND $uids AS u
    MATCH (s:Node {uid: u})
    WITH DISTINCT s ORDER BY s.uid LIMIT $limit
    WITH collect(s.uid) AS held
    WITH held, held AS frontier, [] AS expanded, [] AS rels
    <<hops>>
    CALL (held, expanded) {
      WITH held, expanded WHERE size(held) >= $limit
      UNWIND expanded AS fu
      MATCH (n:Node {uid: fu})
      MATCH <<pattern>>
      WHERE <<cond>> AND NOT m.uid IN held
      WITH DISTINCT m
      WITH [l IN labels(m) WHERE l <> 'Node'][0] AS label, count(*) AS c
      RETURN collect([label, c]) AS omitted
    }
    CALL (held) {
      UNWIND held AS hu
      MATCH (x:Node {uid: hu})
      RETURN collect([hu, labels(x), properties(x)]) AS nodes
    }
    RETURN held, nodes, rels, omitted"""
_EXPAND_HOP = """
    CALL (held, frontier) {
      UNWIND frontier AS fu
      MATCH (n:Node {uid: fu})
      MATCH <<pattern>>
      WHERE <<cond>>
      WITH DISTINCT m.uid AS mu WHERE NOT mu IN held
      WITH mu ORDER BY mu
      RETURN collect(mu) AS met
    }
    WITH held, frontier, expanded, rels, met[..($limit - size(held))] AS kept
    WITH held + kept AS held, frontier, expanded + frontier AS expanded, rels, kept
    CALL (held, frontier) {
      UNWIND frontier AS fu
      MATCH (n:Node {uid: fu})
      MATCH <<pattern>>
      WHERE <<cond>> AND m.uid IN held
      WITH DISTINCT r
      RETURN collect([type(r), startNode(r).uid, endNode(r).uid, properties(r)]) AS found
    }
    WITH held, kept AS frontier, expanded, rels + found AS rels"""

# A follow (`Graph.follow`): each level's relationships and the nodes they reach, from every node
# the previous level reached.
_FOLLOW = """
    MATCH (s:<<label>> {<<key>>: $key})
    WITH s, [s] AS l0
    <<levels>>
    RETURN [s.uid, labels(s), properties(s)] AS start, [<<nodes>>] AS nodes, [<<rels>>] AS rels"""
_FOLLOW_LEVEL = """
    CALL (l<<p>>) {
      CALL (l<<p>>) {
        <<branches>>
      }
      RETURN collect(DISTINCT m) AS l<<i>>, collect(DISTINCT r) AS r<<i>>
    }"""
_FOLLOW_BRANCH = """
        UNWIND l<<p>> AS n
        MATCH <<pattern>>
        RETURN r, m"""

# All shortest paths (`Graph.shortest_paths`) with the engine's own search; the ends are not
# held to `labels`, the nodes between them are.
_PATHS = """
    MATCH (a:Node {uid: $a}), (b:Node {uid: $b})
    MATCH p = allShortestPaths((a)-[<<types>>*..<<hops>>]-(b))
    WHERE all(x IN nodes(p)[1..-1] WHERE <<cond>>)
    WITH p, [x IN nodes(p) | x.uid] AS uids,
         [r IN relationships(p) | [type(r), startNode(r).uid, endNode(r).uid]] AS keys
    ORDER BY uids, keys
    LIMIT $limit
    RETURN [x IN nodes(p) | [x.uid, labels(x), properties(x)]] AS nodes,
           [r IN relationships(p) | [type(r), startNode(r).uid, endNode(r).uid,
                                     properties(r)]] AS rels"""

_BUMP = """
    UNWIND $names AS name
    MERGE (v:WriteVersion {name: name})
    ON CREATE SET v.n = toInteger(rand() * 9007199254740991)
    ON MATCH SET v.n = v.n + 1"""
_VERSIONS = """
    UNWIND $names AS name
    MATCH (v:WriteVersion {name: name})
    RETURN v.name AS name, v.n AS n"""

_CONDITIONS = {
    Op.IS_NULL: "n.<<prop>> IS NULL",
    Op.IN: "n.<<prop>> IN $w[<<i>>]",
    Op.PREFIX: "n.<<prop>> STARTS WITH $w[<<i>>]",
    Op.CONTAINS: "n.<<prop>> CONTAINS $w[<<i>>]",
    Op.WORDS: "n.<<prop>> CONTAINS $w[<<i>>]",
    Op.EQ: "n.<<prop>> = $w[<<i>>]",
    Op.NE: "n.<<prop>> <> $w[<<i>>]",
    Op.LT: "n.<<prop>> < $w[<<i>>]",
    Op.LE: "n.<<prop>> <= $w[<<i>>]",
    Op.GT: "n.<<prop>> > $w[<<i>>]",
    Op.GE: "n.<<prop>> >= $w[<<i>>]",
}
_ORDER = {False: "n.<<prop>> IS NULL, n.<<prop>>, n.uid",
          True: "n.<<prop>> IS NULL, n.<<prop>> DESC, n.uid"}
_FIND = """<<match>> WHERE <<where>>
    RETURN n.uid AS uid, properties(n) AS p ORDER BY <<order>> SKIP $offset LIMIT $limit"""
_COUNT = "<<match>> WHERE <<where>> RETURN count(n) AS c"
# Where a find starts: every node of the label, or those its full-text index names (`_words`).
_MATCH_LABEL = "MATCH (n:<<label>>)"
_MATCH_WORDS = "CALL db.index.fulltext.queryNodes($index, $words) YIELD node AS n WITH n"
# Han characters: the CJK analyzer indexes each two neighbours as one term.
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")


def _alternatives(names: Sequence[str]) -> Fragment:
    """`A|B` for a list of schema names, each checked."""
    return join("|", [compose("<<n>>", n=name) for name in names])


def _labelled_as(template: str, labels: Sequence[str] | None) -> Fragment:
    """`template` (`m:<<l>>`) for a list of labels: true for None, false for none."""
    if labels is None:
        return compose("true")
    return compose(template, l=_alternatives(labels)) if labels else compose("false")


def _neighbour(types: Sequence[str] | None, labels: Sequence[str] | None,
               direction: Direction) -> tuple[Fragment, Fragment]:
    """The pattern from `n` to a neighbour `m` over `r`, and the condition on `m` (labels)."""
    types_part = compose(":<<t>>", t=_alternatives(types)) if types else compose("")
    cond = compose("false") if types is not None and not types \
        else _labelled_as("m:<<l>>", labels)
    return compose(_PATTERNS[direction], types=types_part), cond


def _adjacency_query(template: str, types: Sequence[str] | None,
                     labels: Sequence[str] | None, direction: Direction) -> Fragment:
    """The adjacency template with its pattern and the label and type filters filled in."""
    pattern, cond = _neighbour(types, labels, direction)
    return compose(template, pattern=pattern, where=compose("WHERE <<c>>", c=cond))


@cache
def _expand_query(depth: int, pattern: Fragment, cond: Fragment) -> Fragment:
    hops = join("", [compose(_EXPAND_HOP, pattern=pattern, cond=cond)] * depth)
    return compose(_EXPAND, hops=hops, pattern=pattern, cond=cond)


@cache
def _follow_query(label: str, levels: tuple[Level, ...]) -> Fragment:
    parts = []
    for i, level in enumerate(levels, start=1):
        branches = [compose(_FOLLOW_BRANCH, p=i - 1, pattern=compose(
            _PATTERNS[direction], types=compose(":<<t>>", t=_alternatives(types))))
            for types, direction in ((level.out, Direction.OUT), (level.into, Direction.IN))
            if types]
        if branches:
            parts.append(compose(_FOLLOW_LEVEL, p=i - 1, i=i,
                                 branches=join("\n        UNION", branches)))
        else:
            parts.append(compose("\n    WITH *, [] AS l<<i>>, [] AS r<<i>>", i=i))
    levels_ = range(1, len(levels) + 1)
    nodes = join(", ", [compose("[x IN l<<i>> | [x.uid, labels(x), properties(x)]]", i=i)
                        for i in levels_])
    rels = join(", ", [compose("[x IN r<<i>> | [type(x), startNode(x).uid, endNode(x).uid, "
                               "properties(x)]]", i=i) for i in levels_])
    return compose(_FOLLOW, label=label, key=schema.label(label).key, levels=join("", parts),
                   nodes=nodes, rels=rels)


def _node(row: list[Any]) -> Node:
    """A node from `[uid, labels, properties]`."""
    return codec.decode_node(_labelled(row[1]), row[0], row[2])


def _rel(row: list[Any]) -> Rel:
    """A relationship from `[type, src uid, dst uid, properties]`."""
    return codec.decode_rel(row[0], row[1], row[2], row[3])


def _words(node: NodeType, filters: list[Filter]) -> dict[str, str] | None:
    """The full-text query that finds every node a words filter may match, or None when no
    filter has two Han characters in a row to look up. The CJK analyzer keeps each pair of
    neighbouring Han characters as a term, so the typed text's longest Han run, as a phrase,
    is in every text holding the typed words; CONTAINS then keeps exactly those (it is in the
    conditions), so the answer is SQLite's. Anything else is read from each node."""
    runs = [(max(_HAN.findall(f.value), key=len), f.prop) for f in filters
            if f.op is Op.WORDS and _HAN.search(f.value)]
    if not runs:
        return None
    run, prop = max(runs, key=lambda r: len(r[0]))
    return {"index": index_name("ft", node.label), "words": f'{prop}:"{run}"'}


def _match(node: NodeType, words: dict[str, str] | None) -> Fragment:
    return compose(_MATCH_LABEL, label=node.label) if words is None else compose(_MATCH_WORDS)


def _conditions(filters: list[Filter]) -> tuple[Fragment, dict[str, Any]]:
    """The Cypher condition on `n` for the filters, and the one parameter `w` they read."""
    clauses = [compose(_CONDITIONS[f.op], prop=f.prop, i=i) for i, f in enumerate(filters)]
    return join(" AND ", clauses or [compose("true")]), {"w": [f.value for f in filters]}


def _labelled(labels: list[str]) -> str:
    return next(x for x in labels if x in schema.NODES)


class Neo4jGraph(GraphOps):
    """The Graph operations inside one Neo4j transaction (managed or explicit)."""

    def __init__(self, tx: Any, origin: str = ""):
        self._tx = tx
        self.origin = origin

    def _run(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return self._tx.run(query, params).data()

    def _upsert_nodes(self, node: NodeType, rows: list[NodeRow]) -> None:
        query = compose(_UPSERT_NODES, label=node.label, key=node.key)
        for i in range(0, len(rows), BATCH):
            batch = [{"key": r.key, "uid": r.uid, "props": r.props, "explicit": r.explicit_uid}
                     for r in rows[i:i + BATCH]]
            clashes = self._run(query, rows=batch)
            if clashes:
                raise ConflictError(f"{node.label} {clashes[0]['key']!r} already exists "
                                    f"with another uid")

    def _upsert_rels(self, rel: RelType, src: NodeType, dst: NodeType,
                     rows: list[RelRow]) -> None:
        query = compose(_UPSERT_RELS, src=src.label, skey=src.key, dst=dst.label,
                        dkey=dst.key, type=rel.type)
        written = 0
        for i in range(0, len(rows), BATCH):
            batch = [{"src": r.src, "dst": r.dst, "props": r.props} for r in rows[i:i + BATCH]]
            written += self._run(query, rows=batch)[0]["n"]
        if written < len(rows):
            missing = []
            for node, keys in ((src, {r.src for r in rows}), (dst, {r.dst for r in rows})):
                found = self._run(compose(_MISSING, label=node.label, key=node.key),
                                  keys=sorted(keys))
                missing += [(node.label, row["k"]) for row in found]
            shown = ", ".join(f"{lab} {k!r}" for lab, k in missing[:10])
            more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
            raise MissingNodes(f"{rel.type}: no such node: {shown}{more}; nothing was written",
                               missing)

    def _delete_rels(self, rel: RelType, src: NodeType, dst: NodeType,
                     pairs: list[tuple[str, str]]) -> int:
        query = compose(_DELETE_RELS, src=src.label, skey=src.key, dst=dst.label,
                        dkey=dst.key, type=rel.type)
        deleted = 0
        for i in range(0, len(pairs), BATCH):
            batch = [{"src": a, "dst": b} for a, b in pairs[i:i + BATCH]]
            deleted += self._run(query, rows=batch)[0]["n"]
        return deleted

    def _get(self, node: NodeType, key: str) -> Node | None:
        rows = self._run(compose("MATCH (n:<<label>> {<<key>>: $key}) "
                                 "RETURN n.uid AS uid, properties(n) AS p",
                                 label=node.label, key=node.key), key=key)
        return codec.decode_node(node.label, rows[0]["uid"], rows[0]["p"]) if rows else None

    def _lock(self, node: NodeType, key: str) -> Node | None:
        """Writing a property takes the node's write lock; removing it again leaves no trace."""
        rows = self._run(compose("MATCH (n:<<label>> {<<key>>: $key}) "
                                 "SET n._lock = true REMOVE n._lock "
                                 "RETURN n.uid AS uid, properties(n) AS p",
                                 label=node.label, key=node.key), key=key)
        return codec.decode_node(node.label, rows[0]["uid"], rows[0]["p"]) if rows else None

    def _scan(self, after: str, limit: int) -> list[Node]:
        rows = self._run("MATCH (n:Node) WHERE n.uid > $after "
                         "RETURN n.uid AS uid, labels(n) AS l, properties(n) AS p "
                         "ORDER BY n.uid LIMIT $limit", after=after, limit=limit)
        return [codec.decode_node(_labelled(r["l"]), r["uid"], r["p"]) for r in rows]

    def _get_uids(self, uids: Sequence[str]) -> list[Node]:
        rows = self._run("UNWIND $uids AS u MATCH (n:Node {uid: u}) "
                         "RETURN n.uid AS uid, labels(n) AS l, properties(n) AS p",
                         uids=list(uids))
        return [codec.decode_node(_labelled(r["l"]), r["uid"], r["p"]) for r in rows]

    def _find(self, node: NodeType, filters: list[Filter], order_by: str | None,
              descending: bool, limit: int, offset: int) -> list[Node]:
        where, params = _conditions(filters)
        if order_by is None:
            order = compose("n.uid")
        elif order_by == node.key:
            # a key is never missing and never ties: sorted on its own, the constraint's index
            # gives the order and the page, not a sort of every node of the label
            order = compose("n.<<prop>> DESC" if descending else "n.<<prop>>", prop=order_by)
            where = compose("<<w>> AND n.<<prop>> IS NOT NULL", w=where, prop=order_by)
        else:
            order = compose(_ORDER[descending], prop=order_by)
        words = _words(node, filters)
        query = compose(_FIND, match=_match(node, words), where=where, order=order)
        rows = self._run(query, offset=offset, limit=limit, **params, **(words or {}))
        return [codec.decode_node(node.label, r["uid"], r["p"]) for r in rows]

    def _count(self, node: NodeType, filters: list[Filter]) -> int:
        where, params = _conditions(filters)
        words = _words(node, filters)
        return self._run(compose(_COUNT, match=_match(node, words), where=where),
                         **params, **(words or {}))[0]["c"]

    def _adjacent(self, uids: Sequence[str], types: Sequence[str] | None,
                  labels: Sequence[str] | None, direction: Direction,
                  limit: int | None, among: Sequence[str] | None = None,
                  bare: bool = False) -> list[tuple[Rel, Node]]:
        query = _adjacency_query(_ADJACENT, types, labels, direction)
        rows = self._run(query, uids=list(uids), limit=_NO_LIMIT if limit is None else limit,
                         among=None if among is None else list(among), bare=bare)
        return [(codec.decode_rel(r["type"], r["s"], r["d"], r["rp"]),
                 codec.decode_node(r["mlabel"], r["muid"], r["mp"])) for r in rows]

    def _run_named(self, query: NamedQuery, params: dict[str, Any]) -> list[dict[str, Any]]:
        return [{c: row[c] for c in query.columns} for row in self._run(query.cypher, **params)]

    def _adjacent_counts(self, uids: Sequence[str], types: Sequence[str] | None,
                         labels: Sequence[str] | None, direction: Direction,
                         exclude: Sequence[str]) -> dict[str, int]:
        query = _adjacency_query(_ADJACENT_COUNTS, types, labels, direction)
        rows = self._run(query, uids=list(uids), exclude=list(exclude))
        return {r["label"]: r["n"] for r in rows}

    def _expand(self, uids: list[str], *, depth: int, labels: list[str] | None,
                types: list[str] | None, direction: Direction, limit: int) -> Subgraph:
        query = _expand_query(depth, *_neighbour(types, labels, direction))
        row = self._run(query, uids=uids, limit=limit)[0]
        by_uid = {uid: _node([uid, labels_, props]) for uid, labels_, props in row["nodes"]}
        rels = {(r[0], r[1], r[2]): r for r in row["rels"]}
        omitted = {label: n for label, n in sorted(row["omitted"]) if n}
        return Subgraph([by_uid[uid] for uid in row["held"]],
                        [_rel(rels[k]) for k in sorted(rels)], bool(omitted), omitted)

    def _follow(self, node: NodeType, key: str, levels: list[Level]) -> Subgraph | None:
        rows = self._run(_follow_query(node.label, tuple(levels)), key=key)
        if not rows:
            return None
        start = _node(rows[0]["start"])
        seen, nodes = {start.uid}, [start]
        for level in rows[0]["nodes"]:
            new = sorted((x for x in level if x[0] not in seen), key=lambda x: x[0])
            nodes += [_node(x) for x in new]
            seen.update(x[0] for x in new)
        rels = {(r[0], r[1], r[2]): r for level in rows[0]["rels"] for r in level}
        return Subgraph(nodes, [_rel(rels[k]) for k in sorted(rels)])

    def _shortest_paths(self, a: str, b: str, *, max_hops: int, labels: list[str] | None,
                        types: list[str] | None, limit: int) -> list[Path]:
        if a == b or (types is not None and not types):
            return super()._shortest_paths(a, b, max_hops=max_hops, labels=labels,
                                           types=types, limit=limit)
        query = compose(_PATHS, types=compose(":<<t>>", t=_alternatives(types)) if types
                        else compose(""), hops=max_hops, cond=_labelled_as("x:<<l>>", labels))
        rows = self._run(query, a=a, b=b, limit=limit)
        return [Path([_node(n) for n in r["nodes"]], [_rel(x) for x in r["rels"]])
                for r in rows]

    def _versions(self, names: list[str]) -> dict[str, int]:
        return {r["name"]: r["n"] for r in self._run(_VERSIONS, names=names)}

    def _bump_versions(self, names: list[str]) -> None:
        self._run(_BUMP, names=names)


@contextmanager
def _translated(uri: str) -> Iterator[None]:
    """Driver exceptions out, collab errors in: one clear line for each expected failure."""
    try:
        yield
    except nx.AuthError:
        raise StoreAuthError(f"Neo4j at {uri} refused the credentials: check "
                             f"COLLAB_NEO4J_USER and COLLAB_NEO4J_PASSWORD") from None
    except (nx.ServiceUnavailable, nx.SessionExpired) as e:
        raise StoreUnavailable(f"Neo4j at {uri} is not reachable ({type(e).__name__}): start "
                               f"it, or check COLLAB_NEO4J_URI") from None
    except nx.ConstraintError as e:
        raise ConflictError(f"a uniqueness rule of the graph refused the write: "
                            f"{e.message}") from None


_GONE = (nx.ServiceUnavailable, nx.SessionExpired)


def _gone(e: Exception) -> bool:
    """Whether the server (or its database) is not there, as opposed to busy: no point in
    waiting for a retry budget then."""
    return isinstance(e, _GONE) or (isinstance(e, nx.Neo4jError)
                                    and (e.code or "").endswith("DatabaseUnavailable"))


class Neo4jStore(StoreOps):
    """A graph in a Neo4j database (single server, cluster or Aura: only the URI differs)."""

    backend = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str = "neo4j",
                 *, connect_timeout: float = 1.0, retry_time: float = 10.0):
        self.uri, self.database, self._retry_time = uri, database, retry_time
        self._origin = f"{uri}/{database}"
        self._guard = TransactionGuard()
        scheme = uri.partition("://")[0]
        if scheme not in SCHEMES or "://" not in uri:
            raise ConfigError(f"unusable Neo4j URI {uri!r}: use bolt://, neo4j:// or "
                              f"neo4j+s://host:port")
        try:
            # A connection is given `connect_timeout` to open and a request waits at most
            # twice that for one from the pool (not the driver's 60 s), so a server that is
            # gone costs the first request about a second and, with the breaker open, the
            # rest nothing. A connection idle for 30 s is checked before use, so one that a
            # restarted server dropped is replaced instead of failing a transaction.
            self.driver = neo4j.GraphDatabase.driver(
                uri, auth=(user, password), connection_timeout=connect_timeout,
                connection_acquisition_timeout=2 * connect_timeout, liveness_check_timeout=30.0,
                max_transaction_retry_time=0, user_agent="collab",
                notifications_min_severity="OFF")
        except (ValueError, nx.ConfigurationError) as e:
            raise ConfigError(f"unusable Neo4j URI {uri!r}: {e} (use bolt://, neo4j:// or "
                              f"neo4j+s://host:port)") from None
        self._breaker = Breaker(self._probe, what=f"Neo4j at {uri}")
        try:
            with _translated(uri):
                self.driver.verify_connectivity()
        except BaseException:
            self.driver.close()
            raise

    def _session(self, mode: str) -> neo4j.Session:
        return self.driver.session(database=self.database, default_access_mode=mode)

    def _probe(self) -> None:
        """One query, not retried: the server is back and its database serves."""
        with self._session(neo4j.READ_ACCESS) as s:
            s.run("RETURN 1").consume()

    def _attempt(self, mode: str, fn: Callable[[Graph], R]) -> R:
        with self._session(mode) as s, s.begin_transaction() as tx:
            graph = Neo4jGraph(tx, self._origin)
            result = fn(graph)
            if mode == neo4j.WRITE_ACCESS:
                graph._commit_versions()
            tx.commit()
            return result

    def _run_unit(self, mode: str, fn: Callable[[Graph], R]) -> R:
        """Run `fn` in one transaction: transient faults retried within the budget, a server
        found gone twice in a row trips the breaker (a commit whose outcome is unknown is never
        retried: the caller's idempotency key covers it)."""
        deadline, pause, gone = time.monotonic() + self._retry_time, 0.05, 0
        while True:
            self._breaker.check()
            try:
                with _translated(self.uri):
                    try:
                        return self._attempt(mode, fn)
                    except nx.IncompleteCommit:
                        raise
                    except (nx.Neo4jError, nx.DriverError) as e:
                        if _gone(e):
                            gone += 1
                            if gone >= 2:
                                raise nx.ServiceUnavailable(str(e)) from None
                            continue
                        if not e.is_retryable() or time.monotonic() + pause > deadline:
                            raise
                time.sleep(pause)
                pause = min(pause * 2, 1.0)
            except StoreUnavailable:
                self._breaker.trip()
                raise

    def read(self, fn: Callable[[Graph], R]) -> R:
        with self._guard.enter():
            return self._run_unit(neo4j.READ_ACCESS, fn)

    def write(self, fn: Callable[[Graph], R]) -> R:
        with self._guard.enter():
            return self._run_unit(neo4j.WRITE_ACCESS, fn)

    @contextmanager
    def transaction(self) -> Iterator[Graph]:
        """Writes inside commit together when the block ends, or roll back on an exception."""
        with self._guard.enter():
            self._breaker.check()
            try:
                with _translated(self.uri), self._session(neo4j.WRITE_ACCESS) as s:
                    with s.begin_transaction() as tx:
                        graph = Neo4jGraph(tx, self._origin)
                        yield graph
                        graph._commit_versions()
                        tx.commit()
            except StoreUnavailable:
                self._breaker.trip()
                raise

    def _autocommit(self, query: str, **params: Any) -> list[dict[str, Any]]:
        with _translated(self.uri), self._session(neo4j.WRITE_ACCESS) as s:
            return s.run(query, params).data()

    def init_schema(self) -> list[str]:
        before = set(self.schema_objects())
        for statement in schema_statements():
            self._autocommit(statement)
        self._autocommit("CALL db.awaitIndexes(300)")
        # The version lives on a node outside the schema's labels (no :Node), so no scan,
        # count or backup sees it; a store that had the schema before versions is version 1.
        self._autocommit(_STAMP_NEW, version=1 if before else schema.VERSION)
        return sorted(set(self.schema_objects()) - before)

    def schema_version(self) -> int | None:
        found = self._autocommit(_VERSION)
        if found:
            return int(found[0]["version"])
        return 1 if self.schema_objects() else None

    def set_schema_version(self, version: int) -> None:
        self._autocommit(_STAMP, version=int(version))

    def schema_objects(self) -> list[str]:
        names = [r["name"] for r in self._autocommit("SHOW CONSTRAINTS YIELD name")]
        names += [r["name"] for r in self._autocommit("SHOW INDEXES YIELD name")]
        return sorted(set(names))

    def counts(self) -> dict[str, dict[str, int]]:
        nodes = {label: self._autocommit(compose("MATCH (n:<<l>>) RETURN count(n) AS c",
                                                 l=label))[0]["c"] for label in schema.NODES}
        rels = {t: self._autocommit(compose("MATCH ()-[r:<<t>>]->() RETURN count(r) AS c",
                                            t=t))[0]["c"] for t in schema.RELS}
        return {"nodes": nodes, "rels": rels}

    def pool(self) -> dict[str, int]:
        # The driver has no public pool figures; its pool object keeps them per address.
        pool = self.driver._pool
        with pool.lock:
            held = [c for conns in pool.connections.values() for c in conns]
            return {"open": len(held), "in_use": sum(bool(c.in_use) for c in held)}

    def connections_in_use(self) -> int:
        """Connections the pool has lent out now: 0 at rest, so a request that leaves one
        borrowed has leaked a session."""
        return self.pool()["in_use"]

    def close(self) -> None:
        self._breaker.close()
        self.driver.close()


_VERSION = "MATCH (m:CollabSchema {name: 'collab'}) RETURN m.version AS version"
_STAMP_NEW = "MERGE (m:CollabSchema {name: 'collab'}) ON CREATE SET m.version = $version"
_STAMP = "MERGE (m:CollabSchema {name: 'collab'}) SET m.version = $version"


def schema_statements() -> list[Fragment]:
    """Constraints on every key (and on uid for all nodes) and indexes for the lookups."""
    out = [compose("CREATE CONSTRAINT <<name>> IF NOT EXISTS FOR (n:Node) "
                   "REQUIRE n.uid IS UNIQUE", name=index_name("uq", "Node", "uid")),
           compose("CREATE CONSTRAINT write_version IF NOT EXISTS FOR (v:WriteVersion) "
                   "REQUIRE v.name IS UNIQUE")]
    for node in schema.NODES.values():
        out.append(compose("CREATE CONSTRAINT <<name>> IF NOT EXISTS FOR (n:<<label>>) "
                           "REQUIRE n.<<key>> IS UNIQUE",
                           name=index_name("uq", node.label, node.key), label=node.label,
                           key=node.key))
        for prop in schema.indexed_props(node):
            out.append(compose("CREATE INDEX <<name>> IF NOT EXISTS FOR (n:<<label>>) "
                               "ON (n.<<prop>>)", name=index_name("ix", node.label, prop),
                               label=node.label, prop=prop))
        if node.text:
            out.append(compose(
                "CREATE FULLTEXT INDEX <<name>> IF NOT EXISTS FOR (n:<<label>>) "
                "ON EACH [<<props>>] OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}",
                name=index_name("ft", node.label), label=node.label,
                props=join(", ", [compose("n.<<p>>", p=p) for p in node.text])))
    return out
