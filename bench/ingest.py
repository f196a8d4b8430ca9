"""Ingest: graph elements per second, batched upserts against one row per transaction.

    python -m bench.ingest [--engine sqlite|neo4j|both] [--rels 100000]

Batched: 22,000 nodes and 100,000 relationships written through `upsert_nodes` /
`upsert_rels` in calls of 10,000 rows (each call one transaction: UNWIND … MERGE on Neo4j,
executemany on SQLite). Naive: a sample written one row per transaction through the same
functions. Both are measured in the same run, on the same engine, and their ratio printed,
after an unmeasured warm-up pass (a fifth of the size) so the figures are steady-state ones.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

from bench.common import ENGINES, engines_from_argv, report, timed
from collab.graph.store import Store

BATCH = 10_000


def people(n: int, prefix: str) -> list[dict[str, Any]]:
    return [{"uid": f"{prefix}P{i:07d}", "name": f"人员{i}", "region_code": "532628"}
            for i in range(n)]


def units(n: int, prefix: str) -> list[dict[str, Any]]:
    return [{"code": f"{prefix}U{i:06d}", "name": f"单位{i}", "kind": "village_branch",
             "region_code": "532628107"} for i in range(n)]


def jobs(n_people: int, n_units: int, per_person: int, prefix: str) -> Iterator[dict[str, Any]]:
    for i in range(n_people):
        for j in range(per_person):
            yield {"src": f"{prefix}P{i:07d}", "dst": f"{prefix}U{(i * 7 + j * 13) % n_units:06d}",
                   "position": "干部"}


def batched(store: Store, n_rels: int, prefix: str = "B") -> dict[str, Any]:
    n_people, n_units, per = n_rels // 5, max(1, n_rels // 50), 5
    nodes_p, nodes_u, rels = people(n_people, prefix), units(n_units, prefix), list(
        jobs(n_people, n_units, per, prefix))

    def write() -> None:
        for rows, label in ((nodes_p, "Person"), (nodes_u, "Unit")):
            for i in range(0, len(rows), BATCH):
                store.upsert_nodes(label, rows[i:i + BATCH])
        for i in range(0, len(rels), BATCH):
            store.upsert_rels("WORKS_AT", rels[i:i + BATCH], src="Person", dst="Unit")

    seconds = timed(write)
    elements = len(nodes_p) + len(nodes_u) + len(rels)
    return {"elements": elements, "seconds": round(seconds, 2),
            "per_second": round(elements / seconds)}


# The engine's own ceiling for the same elements: one hand-written statement per batch, no
# checks, no codec, CREATE rather than MERGE (the product must merge: a re-run changes nothing).
_LIMIT_NODES_SQL = """INSERT INTO nodes (uid, label, key, props)
    SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'),
           json_extract(value, '$[3]') FROM json_each(?)"""
_LIMIT_RELS_SQL = """INSERT INTO rels (type, src, dst, props)
    SELECT 'WORKS_AT', a.id, b.id, '{"position":"干部"}' FROM json_each(?) j CROSS
    JOIN nodes a ON a.label = 'Person' AND a.key = json_extract(j.value, '$[0]') CROSS
    JOIN nodes b ON b.label = 'Unit' AND b.key = json_extract(j.value, '$[1]')"""
_LIMIT_NODES_CYPHER = {
    "Person": "UNWIND $rows AS row CREATE (n:Person:Node) SET n = row",
    "Unit": "UNWIND $rows AS row CREATE (n:Unit:Node) SET n = row"}
_LIMIT_RELS_CYPHER = """UNWIND $rows AS row
    MATCH (a:Person {uid: row[0]}) MATCH (b:Unit {code: row[1]})
    CREATE (a)-[:WORKS_AT {position: '干部'}]->(b)"""


def limit(store: Store, n_rels: int, prefix: str = "L") -> dict[str, Any]:
    """The same elements as `batched`, written by hand-written batches of 10,000 rows."""
    from collab.graph.codec import derive_uid

    n_people, n_units, per = n_rels // 5, max(1, n_rels // 50), 5
    nodes_p, nodes_u, rels = people(n_people, prefix), units(n_units, prefix), list(
        jobs(n_people, n_units, per, prefix))

    def write(g: Any) -> None:
        if store.backend == "sqlite":
            conn = g._conn
            for rows, label, key in ((nodes_p, "Person", "uid"), (nodes_u, "Unit", "code")):
                for i in range(0, len(rows), BATCH):
                    conn.execute(_LIMIT_NODES_SQL, (json.dumps([
                        [r.get("uid") or derive_uid(label, r[key]), label, r[key],
                         json.dumps({k: v for k, v in r.items() if k != "uid"},
                                    ensure_ascii=False)] for r in rows[i:i + BATCH]],
                        ensure_ascii=False),))
            for i in range(0, len(rels), BATCH):
                conn.execute(_LIMIT_RELS_SQL, (json.dumps(
                    [[r["src"], r["dst"]] for r in rels[i:i + BATCH]], ensure_ascii=False),))
            return
        for rows, label in ((nodes_p, "Person"), (nodes_u, "Unit")):
            for i in range(0, len(rows), BATCH // 2):
                g._tx.run(_LIMIT_NODES_CYPHER[label], {"rows": [
                    {"uid": r.get("uid") or derive_uid(label, r.get("code", "")), **r}
                    for r in rows[i:i + BATCH // 2]]}).consume()
        for i in range(0, len(rels), BATCH // 2):
            g._tx.run(_LIMIT_RELS_CYPHER, {"rows": [[r["src"], r["dst"]]
                                                    for r in rels[i:i + BATCH // 2]]}).consume()

    seconds = timed(lambda: store.write(write))
    elements = len(nodes_p) + len(nodes_u) + len(rels)
    return {"elements": elements, "seconds": round(seconds, 2),
            "per_second": round(elements / seconds)}


def naive(store: Store, n_rels: int) -> dict[str, Any]:
    n_people, n_units, per = n_rels // 5, max(1, n_rels // 50), 5
    nodes_p, nodes_u, rels = people(n_people, "N"), units(n_units, "N"), list(
        jobs(n_people, n_units, per, "N"))

    def write() -> None:
        for row in nodes_p:
            store.upsert_nodes("Person", [row])
        for row in nodes_u:
            store.upsert_nodes("Unit", [row])
        for row in rels:
            store.upsert_rels("WORKS_AT", [row], src="Person", dst="Unit")

    seconds = timed(write)
    elements = len(nodes_p) + len(nodes_u) + len(rels)
    return {"elements": elements, "seconds": round(seconds, 2),
            "per_second": round(elements / seconds)}


def main(argv: list[str]) -> None:
    n_rels = int(argv[argv.index("--rels") + 1]) if "--rels" in argv else 100_000
    rows = []
    for engine in engines_from_argv(argv):
        with ENGINES[engine]() as store:
            batched(store, n_rels // 5, prefix="W")  # warm-up (JIT, caches), not measured
            fast = batched(store, n_rels)
            slow = naive(store, 2_000)
            counts = store.counts()
        assert counts["rels"]["WORKS_AT"] == n_rels // 5 + n_rels + 2_000
        rows.append({"engine": engine, "batched_elements": fast["elements"],
                     "batched_per_s": fast["per_second"], "naive_elements": slow["elements"],
                     "naive_per_s": slow["per_second"],
                     "ratio": round(fast["per_second"] / slow["per_second"], 1)})
    report("ingest: graph elements per second", rows)


if __name__ == "__main__":
    main(sys.argv[1:])
