"""Figure queries: latency (p50 / p95) of the conversion table and others, per engine.

    python -m bench.figures [--engine sqlite|neo4j|both] [--scale prefecture|province]
                            [--runs 20]

The graph is the scale generator's (seeds/synthetic.py, seed 1; default province scale, about
a million nodes). Each figure is computed for 2023 as of 2024-06-30, whole province, once
unmeasured (warm-up), then `--runs` times, each in its own read transaction.
"""

from __future__ import annotations

import sys
from datetime import date
from typing import Any

from bench.common import ENGINES, engines_from_argv, latencies, report, timed
from collab.access.idnumbers import IdKey
from collab.analysis import figures as fig
from collab.graph.store import Store
from seeds import synthetic

BENCH_KEY = IdKey.from_secret(b"collab-bench-id-key-not-a-secret")
SCOPE = fig.Scope(start=date(2023, 1, 1), end=date(2023, 12, 31), as_of=date(2024, 6, 30))

FIGURES = {
    "conversion by department": lambda g: fig.conversion(g, scope=SCOPE, by="department"),
    "conversion by region": lambda g: fig.conversion(g, scope=SCOPE, by="region"),
    "contribution": lambda g: fig.contribution(g, scope=SCOPE),
    "lead times": lambda g: fig.lead_times(g, scope=SCOPE),
    "funnel": lambda g: fig.funnel(g, scope=SCOPE),
    "summary": lambda g: fig.summary(g, scope=SCOPE),
}


def _option(name: str, default: str) -> str:
    args = sys.argv[1:]
    return args[args.index(name) + 1] if name in args else default


def measure(store: Store, runs: int) -> list[dict[str, Any]]:
    """p50 / p95 of each figure on the loaded store."""
    rows = []
    for name, compute in FIGURES.items():
        def once(_: int, compute: Any = compute) -> Any:
            return store.read(lambda tx: compute(tx))
        once(0)
        rows.append({"figure": name, **latencies(once, runs)})
    return rows


def main() -> None:
    scale, runs = _option("--scale", "province"), int(_option("--runs", "20"))
    rows = []
    for engine in engines_from_argv():
        with ENGINES[engine]() as store:
            load_s = timed(lambda store=store: synthetic.load(store, scale=scale, seed=1,
                                                              key=BENCH_KEY))
            clues = store.count("Clue")
            for row in measure(store, runs):
                rows.append({"engine": engine, "scale": scale, "clues": clues,
                             "load_s": round(load_s), **row})
    report("figure queries", rows)


if __name__ == "__main__":
    main()
