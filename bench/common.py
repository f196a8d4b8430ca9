"""What every benchmark shares: the engines to measure, the machine, and how figures print.

The Neo4j engine is a server of the benchmark's own (scripts/neo4j-local with its own home and
port: COLLAB_BENCH_NEO4J_HOME / COLLAB_BENCH_NEO4J_PORT, so two people measuring on one machine
keep apart), or the one at COLLAB_BENCH_NEO4J_URI: benchmarks wipe the database they measure,
so they never touch the development or test server. Results go to COLLAB_BENCH_RESULTS
(default bench/results/).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from collab.graph.neo4j_engine import Neo4jStore
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Store

ROOT = Path(__file__).resolve().parent.parent
NEO4J_SCRIPT = ROOT / "scripts" / "neo4j-local" / "neo4j-local"
BENCH_HOME = Path(os.environ.get("COLLAB_BENCH_NEO4J_HOME", str(ROOT / ".neo4j" / "bench")))
BENCH_PORT = os.environ.get("COLLAB_BENCH_NEO4J_PORT", "17689")
# where results go and --write-docs reads them; another folder keeps a smoke run's figures out
RESULTS = Path(os.environ.get("COLLAB_BENCH_RESULTS", str(ROOT / "bench" / "results")))
PASSWORD = "collab-test-pw"


def machine() -> dict[str, Any]:
    """Cores, memory and versions, recorded with every set of figures."""
    mem_kib = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                    if line.startswith("MemTotal")), 0)
    java = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    import sqlite3

    import neo4j
    return {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "cores": os.cpu_count(), "memory_gib": round(mem_kib / 2**20, 1),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "neo4j_driver": neo4j.__version__, "neo4j_server": "5.26 (scripts/neo4j-local)",
            "java": (java.stderr.splitlines() or ["?"])[0]}


@contextmanager
def sqlite_engine() -> Iterator[Store]:
    """A fresh SQLite store in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="collab-bench-") as tmp:
        store = SqliteStore(Path(tmp) / "bench.sqlite3")
        store.init_schema()
        try:
            yield store
        finally:
            store.close()


@contextmanager
def neo4j_server(data: Path | None = None) -> Iterator[Neo4jStore]:
    """A store on the benchmark's own server over the data folder `data` (default: the home's),
    started here and stopped after; or the server at COLLAB_BENCH_NEO4J_URI, left running."""
    uri = os.environ.get("COLLAB_BENCH_NEO4J_URI")
    env = {**os.environ, "NEO4J_LOCAL_HOME": str(BENCH_HOME), "NEO4J_LOCAL_PORT": BENCH_PORT,
           "NEO4J_LOCAL_HEAP": os.environ.get("NEO4J_LOCAL_HEAP", "2g"),
           "NEO4J_LOCAL_PAGECACHE_MB": os.environ.get("NEO4J_LOCAL_PAGECACHE_MB", "3072"),
           # a province's store takes a while to open on a busy machine
           "NEO4J_LOCAL_START_TIMEOUT": os.environ.get("NEO4J_LOCAL_START_TIMEOUT", "900")}
    if data is not None:
        env["NEO4J_LOCAL_DATA"] = str(data)
    started = False
    if not uri:
        _share_build(BENCH_HOME)
        done = subprocess.run([str(NEO4J_SCRIPT), "start"], env=env, capture_output=True,
                              text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"bench: Neo4j did not start: {done.stderr[-500:]}")
        uri, started = done.stdout.strip().splitlines()[-1], True
    store = Neo4jStore(uri, "neo4j", os.environ.get("COLLAB_BENCH_NEO4J_PASSWORD", PASSWORD))
    try:
        yield store
    finally:
        store.close()
        if started:
            subprocess.run([str(NEO4J_SCRIPT), "stop"], env=env, capture_output=True, check=False)


def wipe(store: Neo4jStore) -> None:
    """Delete every node (in batches, so a big graph does not need one huge transaction)."""
    with store.driver.session() as s:
        s.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@contextmanager
def neo4j_engine() -> Iterator[Store]:
    """A wiped Neo4j store on the benchmark's own server (started and stopped here)."""
    with neo4j_server() as store:
        wipe(store)
        store.init_schema()
        yield store


def _share_build(home: Path) -> None:
    """Reuse the provisioned jars of the default home instead of building them again."""
    default = ROOT / ".neo4j"
    home.mkdir(parents=True, exist_ok=True)
    for name in ("build", "lib"):
        if (default / name).is_dir() and not (home / name).exists():
            (home / name).symlink_to(default / name)
    stamp = default / "provisioned.sha256"
    if stamp.exists() and not (home / stamp.name).exists():
        (home / stamp.name).write_text(stamp.read_text())


ENGINES: dict[str, Callable[[], Any]] = {"sqlite": sqlite_engine, "neo4j": neo4j_engine}


def engines_from_argv(argv: list[str] | None = None) -> list[str]:
    """`--engine sqlite|neo4j|both` (default both)."""
    args = sys.argv[1:] if argv is None else argv
    choice = args[args.index("--engine") + 1] if "--engine" in args else "both"
    return list(ENGINES) if choice == "both" else [choice]


def timed(fn: Callable[[], Any]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def latencies(fn: Callable[[int], Any], runs: int) -> dict[str, float]:
    """p50 / p95 / max in milliseconds of `fn(i)` over `runs` calls."""
    times = sorted(timed(lambda i=i: fn(i)) * 1000 for i in range(runs))
    return {"p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
            "max_ms": round(times[-1], 2)}


def report(title: str, rows: list[dict[str, Any]]) -> None:
    """A table for people, then one JSON line for tools."""
    print(f"\n## {title}")
    if rows:
        cols = list(rows[0])
        print(" | ".join(cols))
        for row in rows:
            print(" | ".join(str(row[c]) for c in cols))
    print("JSON " + json.dumps({"benchmark": title, "machine": machine(), "rows": rows},
                               ensure_ascii=False))
