"""The synthetic graph of each scale, generated once per engine and kept for the next run.

Generating the province takes minutes (3 on SQLite, 6 on Neo4j here), so the harness keeps a
SQLite file and a Neo4j data folder per scale under COLLAB_BENCH_DATA (default bench/data/,
ignored by git), each with a marker saying what it holds: seed, scale, and a version that
changes when the generator or this preparation changes. A marker is written only after the
graph is complete, so an interrupted generation is redone, never measured.

Preparation adds what the measurements need and the generator does not make: joint checks on
random village units, for the proposal benchmark.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bench.common import ROOT, neo4j_server, wipe
from collab.access.actors import Actor
from collab.access.idnumbers import IdKey
from collab.cases import checks, clue_facts
from collab.cases.pinyin import fill_pinyin
from collab.graph import schema
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Store
from seeds import synthetic

DATA = Path(os.environ.get("COLLAB_BENCH_DATA", str(ROOT / "bench" / "data")))
SEED = 1
KEY = IdKey.from_secret(b"collab-bench-id-key-not-a-secret")
CHECKS = 260  # joint checks prepared for the proposal benchmark (≥ 200 runs + warm-up)
CHECK_DAY = date(2024, 5, 1)
PREPARATION = 2  # raise when what `_prepare` adds, or what the write path stores, changes
# The generator, and the schema whose indexes and stored shortcuts a kept graph must have.
SOURCES = (ROOT / "seeds" / "synthetic.py", ROOT / "collab" / "graph" / "schema.py")


def version() -> str:
    """What a kept graph must match: the generator's and the schema's source, this preparation."""
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in SOURCES))
    return f"{PREPARATION}-{digest.hexdigest()[:12]}"


def check_no(i: int) -> str:
    return f"JC-BENCH-{i:04d}"


def _marker(engine: str, scale: str) -> Path:
    return DATA / f"{engine}-{scale}.json"


def _kept(engine: str, scale: str) -> dict[str, Any] | None:
    """The marker of a complete graph of this seed, scale and version, or None."""
    path = _marker(engine, scale)
    if not path.exists():
        return None
    mark = json.loads(path.read_text())
    same = mark.get("seed") == SEED and mark.get("scale") == scale
    return mark if same and mark.get("version") == version() else None


def _prepare(store: Store, scale: str) -> dict[str, Any]:
    """Generate the scale's graph, add the benchmark's checks; what it took."""
    start = time.perf_counter()
    written = synthetic.load(store, scale=scale, seed=SEED, key=KEY)
    generate_s = time.perf_counter() - start
    where = {"kind": "village_branch"}
    total = store.count("Unit", where=where)
    offsets = sorted(random.Random(SEED).sample(range(total), min(CHECKS, total)))
    actor = Actor("bench")
    for i, offset in enumerate(offsets):
        unit = store.find("Unit", where=where, order_by="code", limit=1, offset=offset).items[0]
        store.write(lambda tx, i=i, unit=unit: checks.create(
            tx, actor=actor, no=check_no(i), title="基准联合检查", start=CHECK_DAY,
            end=CHECK_DAY, on=CHECK_DAY, unit=unit.key))
    elements = sum(written.values())
    return {"elements": elements, "generate_s": round(generate_s, 1),
            "generate_per_s": round(elements / generate_s), "checks": len(offsets)}


def _mark(engine: str, scale: str, made: dict[str, Any]) -> dict[str, Any]:
    mark = {"engine": engine, "scale": scale, "seed": SEED, "version": version(),
            "made": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), **made}
    DATA.mkdir(parents=True, exist_ok=True)
    _marker(engine, scale).write_text(json.dumps(mark, ensure_ascii=False, indent=1))
    return mark


def sqlite_path(scale: str) -> Path:
    return DATA / f"sqlite-{scale}.sqlite3"


def neo4j_data(scale: str) -> Path:
    return DATA / f"neo4j-{scale}"


@contextmanager
def graph(engine: str, scale: str) -> Iterator[tuple[Store, dict[str, Any]]]:
    """The store holding the scale's graph (kept or generated now) and its marker."""
    mark = _kept(engine, scale)
    if engine == "sqlite":
        path = sqlite_path(scale)
        if mark is None:
            _marker(engine, scale).unlink(missing_ok=True)
            for old in path.parent.glob(path.name + "*"):
                old.unlink()
            path.parent.mkdir(parents=True, exist_ok=True)
        store = SqliteStore(path)
        try:
            store.init_schema()  # a kept graph gets what this version adds (idempotent)
            if mark is None:
                mark = _mark(engine, scale, _prepare(store, scale))
            yield store, mark
        finally:
            store.close()
        return
    if mark is None:
        _marker(engine, scale).unlink(missing_ok=True)
    with neo4j_server(neo4j_data(scale)) as neo:
        if mark is None:
            wipe(neo)
        neo.init_schema()
        if mark is None:
            mark = _mark(engine, scale, _prepare(neo, scale))
        _current(neo)
        yield neo, mark


def _current(store: Store) -> None:
    """Bring the graph to this version's schema as `collab init` would (a wiped store's
    version node goes with its data, so a regenerated graph reads as version 1): the clues'
    figure shortcuts and the names' pinyin, then the stamp the web app checks."""
    if (store.schema_version() or schema.VERSION) >= schema.VERSION:
        return
    store.write(clue_facts.refresh_all)
    store.write(fill_pinyin)
    store.set_schema_version(schema.VERSION)


def disk_bytes(engine: str, scale: str) -> int:
    """Bytes the kept graph takes on disk (the SQLite file with its WAL; the Neo4j data
    folder's databases and transaction logs)."""
    if engine == "sqlite":
        paths = list(sqlite_path(scale).parent.glob(sqlite_path(scale).name + "*"))
    else:
        paths = [p for p in neo4j_data(scale).rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in paths)
