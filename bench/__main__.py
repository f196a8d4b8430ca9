"""One harness: every figure of issue 8 for one engine and one scale, as a table and as JSON.

    python -m bench --engine sqlite|neo4j --scale county|prefecture|province
                    [--repeat 200] [--budget 60] [--only trace,expand] [--no-ingest]
    python -m bench --write-docs

A run reuses the scale's kept graph (bench/graphs.py) or generates it first, then measures:
ingest and the 100,000-row ledger import on an empty store of the same engine (bench/ingest.py,
bench/ledgers.py); the latency of trace, capped 2-hop expansion, shortest path, conversion by
department, scope summary and proposal from random start points (bench/latency.py); one
analysis run on a county and on the province; peak memory and size on disk. The result goes
to bench/results/<engine>-<scale>.json with the machine and date; `--write-docs` turns every
result kept there into docs/BENCHMARKS.md's generated part and its plots (bench/docs.py).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
from pathlib import Path
from typing import Any

from bench import graphs, latency
from bench.common import BENCH_HOME, ENGINES, RESULTS, machine
from bench.ingest import batched, limit, naive
from bench.ledgers import bench_import

INGEST_RELS = 100_000
NAIVE_RELS = 2_000
LEDGER_ROWS = 100_000


def writes(engine: str) -> dict[str, Any]:
    """Ingest (batched against naive, same run) and ledger import, on an empty store.

    The import is one transaction of 100,000 rows: a Neo4j server with a small heap refuses
    it (transaction memory limit), which is recorded as the figure rather than ending the run.
    """
    with ENGINES[engine]() as store:
        batched(store, INGEST_RELS // 5, prefix="W")  # warm-up, not measured
        limit(store, INGEST_RELS // 5, prefix="X")
        fast, slow = batched(store, INGEST_RELS), naive(store, NAIVE_RELS)
        ceiling = limit(store, INGEST_RELS)
        out = {"ingest_batched_per_s": fast["per_second"],
               "ingest_naive_per_s": slow["per_second"],
               "ingest_limit_per_s": ceiling["per_second"],
               "ingest_ratio": round(fast["per_second"] / slow["per_second"], 1),
               "ingest_of_limit": round(fast["per_second"] / ceiling["per_second"], 2)}
        try:
            ledger = bench_import(store, LEDGER_ROWS)
        except Exception as e:  # noqa: BLE001 — any refusal is the figure to record
            return {**out, "ledger_error": f"{type(e).__name__}: {str(e)[:160]}"}
    return {**out, "ledger_rows": ledger["rows"], "ledger_rows_per_s": ledger["rows_per_s"]}


def server_peak_mib() -> float | None:
    """The bench Neo4j server's peak resident memory (VmHWM), while it runs."""
    pid_file = BENCH_HOME / "neo4j.pid"
    try:
        status = Path(f"/proc/{pid_file.read_text().strip()}/status").read_text()
    except OSError:
        return None
    kib = next((int(line.split()[1]) for line in status.splitlines()
                if line.startswith("VmHWM")), None)
    return round(kib / 1024, 1) if kib else None


def run(engine: str, scale: str, *, repeat: int, budget: float, only: list[str] | None,
        ingest: bool, check: int = 60) -> dict[str, Any]:
    """Every figure for one engine and scale."""
    result: dict[str, Any] = {"engine": engine, "scale": scale, "machine": machine(),
                              "repeat": repeat, "budget_s": budget}
    start_load = os.getloadavg()[0]  # the machine may be shared: say how busy it was
    if ingest:
        result["writes"] = writes(engine)
    with graphs.graph(engine, scale) as (store, mark):
        counts = store.counts()
        result["graph"] = {**mark, "nodes": sum(counts["nodes"].values()),
                           "rels": sum(counts["rels"].values())}
        result["limits"] = latency.all_kinds(store, repeat, budget, only, check=check)
        result["latency"] = {kind: row["product"] for kind, row in result["limits"].items()}
        result["analysis"] = latency.analyses(store) if only is None else {}
        result["server_peak_mib"] = server_peak_mib() if engine == "neo4j" else None
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    result["disk_mib"] = round(graphs.disk_bytes(engine, scale) / 2**20, 1)
    result["load_avg"] = [round(start_load, 1), round(os.getloadavg()[0], 1)]
    return result


def table(result: dict[str, Any]) -> str:
    """The figures for people."""
    lines = [f"## {result['engine']}, {result['scale']} scale "
             f"({result['graph']['nodes']:,} nodes, {result['graph']['rels']:,} relationships), "
             f"{result['machine']['date']}",
             "what | runs | p50 ms | p95 ms | max ms"]
    for name, row in result["latency"].items():
        lines.append(f"{name} | {row['runs']} | {row['p50_ms']} | {row['p95_ms']} | "
                     f"{row['max_ms']}")
    lines.append("what | product p50 / p95 ms | limit p50 / p95 ms | product ÷ limit p50 / p95 "
                 "| statements | answers equal")
    for name, row in result["limits"].items():
        mine, theirs = row["product"], row["limit"]
        equal = f"{row['equal']}/{row['checked']}" if "checked" in row else "–"
        lines.append(f"{name} | {mine['p50_ms']} / {mine['p95_ms']} | {theirs['p50_ms']} / "
                     f"{theirs['p95_ms']} | {row['ratio_p50']} / {row['ratio_p95']} | "
                     f"{row['statements']} | {equal}")
        lines += [f"  unequal: {u}" for u in row.get("unequal", [])]
    for key, value in {**result.get("writes", {}), **result["analysis"],
                       "peak_rss_mib": result["peak_rss_mib"],
                       "server_peak_mib": result["server_peak_mib"],
                       "disk_mib": result["disk_mib"]}.items():
        lines.append(f"{key}: {value}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=list(ENGINES))
    parser.add_argument("--scale", choices=list(graphs.synthetic.SCALES))
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds at most per latency kind (fewer runs if they run out)")
    parser.add_argument("--only", help="comma-separated latency kinds (skips the rest)")
    parser.add_argument("--check", type=int, default=60,
                        help="sample inputs on which product and limit must answer alike")
    parser.add_argument("--no-ingest", action="store_true", help="skip ingest and ledger import")
    parser.add_argument("--write-docs", action="store_true",
                        help="write docs/BENCHMARKS.md and plots from bench/results/*.json")
    args = parser.parse_args(argv)
    if args.write_docs:
        from bench import docs

        print(docs.write(RESULTS))
        return
    if not (args.engine and args.scale):
        parser.error("--engine and --scale are needed (or --write-docs)")
    only = args.only.split(",") if args.only else None
    result = run(args.engine, args.scale, repeat=args.repeat, budget=args.budget, only=only,
                 ingest=not args.no_ingest and only is None, check=args.check)
    print(table(result))
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print("JSON " + json.dumps(result, ensure_ascii=False))
    if only is None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{args.engine}-{args.scale}.json").write_text(text + "\n")


if __name__ == "__main__":
    main()
