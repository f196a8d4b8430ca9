"""Ledgers and generation: rows/s importing a 100,000-row ledger, elements/s generating a province.

    python -m bench.ledgers [--engine sqlite|neo4j|both] [--rows 100000] [--scale province]

Import: a GBK CSV issue ledger of `--rows` rows (Chinese headers, dates written four ways)
naming 1,000 units imported just before; measured from reading the file to the commit of the
one all-or-nothing transaction, and the reading/parsing part on its own. Generation: the
`--scale` synthetic graph written county by county (one transaction each), nodes plus
relationships per second. Each engine starts empty.
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ENGINES, engines_from_argv, report
from collab.access.actors import Actor
from collab.access.idnumbers import IdKey
from collab.graph.store import Store
from collab.ledgers.importer import import_ledger, read_ledger
from seeds import synthetic

KEY = IdKey.from_secret(b"benchmark-only-secret-of-32-bytes")
ACTOR = Actor("bench")
_DATES = ("2023-05-{d:02d}", "2023/5/{d}", "2023年5月{d}日", "2023.5.{d}")


def _arg(name: str, default: str) -> str:
    args = sys.argv[1:]
    return args[args.index(name) + 1] if name in args else default


def write_ledgers(folder: Path, rows: int) -> tuple[Path, Path]:
    """A units ledger of 1,000 villages and an issue ledger of `rows` rows, GBK CSV."""
    units, issues = folder / "units.csv", folder / "issues.csv"
    with units.open("w", encoding="gbk", newline="") as f:
        out = csv.writer(f)
        out.writerow(["序号", "单位编码", "单位名称", "所属区划代码"])
        for i in range(1000):
            out.writerow([i + 1, f"BU{i:04d}", f"示例{i}村党支部", "530000"])
    with issues.open("w", encoding="gbk", newline="") as f:
        out = csv.writer(f)
        out.writerow(["序号", "问题编号", "问题描述", "被巡察单位", "发现日期", "问题类别",
                      "问题来源", "是否群众急难愁盼问题", "备注"])
        for i in range(rows):
            out.writerow([i + 1, f"BI{i:06d}", f"第{i}个问题：惠民资金发放不规范（合成）",
                          f"示例{i % 1000}村党支部", _DATES[i % 4].format(d=i % 28 + 1),
                          "惠民资金", "走访", "是" if i % 3 == 0 else "否", ""])
    return units, issues


def _import(store: Store, path: Path) -> Any:
    ledger = read_ledger(path)
    return store.write(lambda tx: import_ledger(tx, actor=ACTOR, ledger=ledger, key=KEY))


def bench_import(store: Store, rows: int) -> dict[str, Any]:
    store.upsert_nodes("Region", [{"code": "530000", "name": "云南省", "level": "province"}])
    with tempfile.TemporaryDirectory(prefix="collab-bench-ledger-") as tmp:
        units, issues = write_ledgers(Path(tmp), rows)
        _import(store, units)
        start = time.perf_counter()
        read_ledger(issues)
        parse = time.perf_counter() - start
        start = time.perf_counter()
        result = _import(store, issues)
        total = time.perf_counter() - start
    assert result.created["issues"] == rows
    return {"rows": rows, "parse_s": round(parse, 1), "import_s": round(total, 1),
            "rows_per_s": round(rows / total)}


def bench_generate(store: Store, scale: str) -> dict[str, Any]:
    start = time.perf_counter()
    written = synthetic.load(store, scale=scale, seed=1, key=KEY)
    seconds = time.perf_counter() - start
    nodes = sum(n for name, n in written.items() if name[0].isupper() and not name.isupper())
    elements = sum(written.values())
    return {"scale": scale, "nodes": nodes, "relationships": elements - nodes,
            "seconds": round(seconds, 1), "elements_per_s": round(elements / seconds)}


def main() -> None:
    rows, scale = int(_arg("--rows", "100000")), _arg("--scale", "province")
    imports, generation = [], []
    for name in engines_from_argv():
        with ENGINES[name]() as store:
            imports.append({"engine": name, **bench_import(store, rows)})
        with ENGINES[name]() as store:
            generation.append({"engine": name, **bench_generate(store, scale)})
    report(f"ledger import ({rows:,} rows, one transaction)", imports)
    report(f"synthetic generation ({scale})", generation)


if __name__ == "__main__":
    main()
