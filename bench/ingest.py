"""Ingest: graph elements per second, batched upserts against one row per transaction.

    python -m bench.ingest [--engine sqlite|neo4j|both] [--rels 100000]

Batched: 22,000 nodes and 100,000 relationships written through `upsert_nodes` /
`upsert_rels` in calls of 10,000 rows (each call one transaction: UNWIND … MERGE on Neo4j,
executemany on SQLite). Naive: a sample written one row per transaction through the same
functions. Both are measured in the same run, on the same engine, and their ratio printed,
after an unmeasured warm-up pass (a fifth of the size) so the figures are steady-state ones.
"""

from __future__ import annotations

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
