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

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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
    NamedQuery,
    Op,
    R,
    StoreOps,
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

_CONDITIONS = {
    Op.IS_NULL: "n.<<prop>> IS NULL",
    Op.IN: "n.<<prop>> IN $w[<<i>>]",
    Op.PREFIX: "n.<<prop>> STARTS WITH $w[<<i>>]",
    Op.CONTAINS: "n.<<prop>> CONTAINS $w[<<i>>]",
    Op.EQ: "n.<<prop>> = $w[<<i>>]",
    Op.NE: "n.<<prop>> <> $w[<<i>>]",
    Op.LT: "n.<<prop>> < $w[<<i>>]",
    Op.LE: "n.<<prop>> <= $w[<<i>>]",
    Op.GT: "n.<<prop>> > $w[<<i>>]",
    Op.GE: "n.<<prop>> >= $w[<<i>>]",
}
_ORDER = {False: "n.<<prop>> IS NULL, n.<<prop>>, n.uid",
          True: "n.<<prop>> IS NULL, n.<<prop>> DESC, n.uid"}
_FIND = """MATCH (n:<<label>>) WHERE <<where>>
    RETURN n.uid AS uid, properties(n) AS p ORDER BY <<order>> SKIP $offset LIMIT $limit"""
_COUNT = "MATCH (n:<<label>>) WHERE <<where>> RETURN count(n) AS c"


def _alternatives(names: Sequence[str]) -> Fragment:
    """`A|B` for a list of schema names, each checked."""
    return join("|", [compose("<<n>>", n=name) for name in names])


def _adjacency_query(template: str, types: Sequence[str] | None,
                     labels: Sequence[str] | None, direction: Direction) -> Fragment:
    """The adjacency template with its pattern and the label and type filters filled in."""
    types_part = compose(":<<t>>", t=_alternatives(types)) if types else compose("")
    where = compose("")
    if labels is not None:
        where = compose("WHERE m:<<l>>", l=_alternatives(labels)) if labels \
            else compose("WHERE false")
    if types is not None and not types:
        where = compose("WHERE false")
    pattern = compose(_PATTERNS[direction], types=types_part)
    return compose(template, pattern=pattern, where=where)


def _conditions(filters: list[Filter]) -> tuple[Fragment, dict[str, Any]]:
    """The Cypher condition on `n` for the filters, and the one parameter `w` they read."""
    clauses = [compose(_CONDITIONS[f.op], prop=f.prop, i=i) for i, f in enumerate(filters)]
    return join(" AND ", clauses or [compose("true")]), {"w": [f.value for f in filters]}


def _labelled(labels: list[str]) -> str:
    return next(x for x in labels if x in schema.NODES)


class Neo4jGraph(GraphOps):
    """The Graph operations inside one Neo4j transaction (managed or explicit)."""

    def __init__(self, tx: Any):
        self._tx = tx

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
        order = compose("n.uid") if order_by is None \
            else compose(_ORDER[descending], prop=order_by)
        query = compose(_FIND, label=node.label, where=where, order=order)
        rows = self._run(query, offset=offset, limit=limit, **params)
        return [codec.decode_node(node.label, r["uid"], r["p"]) for r in rows]

    def _count(self, node: NodeType, filters: list[Filter]) -> int:
        where, params = _conditions(filters)
        return self._run(compose(_COUNT, label=node.label, where=where), **params)[0]["c"]

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
            result = fn(Neo4jGraph(tx))
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
                        yield Neo4jGraph(tx)
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
                   "REQUIRE n.uid IS UNIQUE", name=index_name("uq", "Node", "uid"))]
    for node in schema.NODES.values():
        out.append(compose("CREATE CONSTRAINT <<name>> IF NOT EXISTS FOR (n:<<label>>) "
                           "REQUIRE n.<<key>> IS UNIQUE",
                           name=index_name("uq", node.label, node.key), label=node.label,
                           key=node.key))
        for prop in schema.indexed_props(node):
            out.append(compose("CREATE INDEX <<name>> IF NOT EXISTS FOR (n:<<label>>) "
                               "ON (n.<<prop>>)", name=index_name("ix", node.label, prop),
                               label=node.label, prop=prop))
    return out
