"""The search box's words through the full-text index, against the scan it replaced.

    python -m bench.search [--engine sqlite|neo4j|both] [--clues 200000] [--repeat 200]

On an empty store of each engine, `--clues` clues are written with titles and summaries made
of inspection words (a seeded draw from the vocabulary below, so titles differ the way real
ones do). Then, for words drawn from those titles — two Han characters (shorter than a
trigram: SQLite reads each row, Neo4j's CJK index still answers), three or four characters,
and a phrase across two words — the search box's read of one kind (`find` with `Op.WORDS`,
a page of 10 and its total) is timed against the same question as a scan (`Op.CONTAINS`,
what the box ran before), interleaved, each in its own read transaction. The answers are
checked equal first. Printed: p50 / p95 ms of each and scan ÷ index at p50 and p95, and the
rate at which the clues were written (the triggers that keep SQLite's table are in it).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import date
from typing import Any

from bench.common import ENGINES, engines_from_argv, machine
from collab.graph.store import Cond, Op, Store

WORDS = ("扶贫", "资金", "挪用", "虚报", "冒领", "低保", "危房改造", "补助", "村干部", "集体资产",
         "土地", "征收", "补偿", "工程", "项目", "围标", "串标", "公款", "吃喝", "违规",
         "发放", "津贴", "补贴", "私设", "小金库", "截留", "养老金", "医保", "基金", "骗取",
         "选人用人", "干部", "档案", "造假", "形式主义", "官僚主义", "整改", "不到位", "台账",
         "虚假", "优亲厚友", "惠民", "政策", "落实", "乡镇", "街道", "社区", "合作社", "分红",
         "账目", "不清", "公车", "私用", "收受", "礼金", "宴请", "办事", "推诿", "拖延", "群众",
         "反映", "强烈", "学校", "食堂", "经费", "超标准", "列支", "采购", "招标", "监管", "缺位",
         "河道", "采砂", "非法", "生态", "环境", "安置", "房屋", "分配", "不公", "套取", "专项")
PAGE = 10
KINDS = ("two", "three_four", "phrase")


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(WORDS) for _ in range(n))


def write(store: Store, clues: int, rng: random.Random) -> float:
    """Write the clues; rows per second."""
    start = time.perf_counter()
    batch = 10_000
    for i in range(0, clues, batch):
        store.upsert_nodes("Clue", [{
            "no": f"SB-{j:07d}", "title": _text(rng, 3) + "问题", "summary": _text(rng, 8),
            "status": "registered", "region_code": "530000", "registered_on": date(2024, 1, 1)}
            for j in range(i, min(clues, i + batch))])
    return clues / (time.perf_counter() - start)


def queries(rng: random.Random, n: int) -> dict[str, list[str]]:
    """`n` typed texts per kind, drawn from the vocabulary the titles are made of."""
    two = [w for w in WORDS if len(w) == 2]
    longer = [w for w in WORDS if len(w) >= 3]
    return {"two": [rng.choice(two) for _ in range(n)],
            "three_four": [rng.choice(longer) for _ in range(n)],
            "phrase": [rng.choice(WORDS)[-1] + rng.choice(WORDS)[:2] for _ in range(n)]}


def _find(store: Store, op: Op, text: str) -> tuple[list[str], int]:
    page = store.read(lambda g: g.find("Clue", where={"title": Cond(op, text)}, limit=PAGE))
    return [n.key for n in page.items], page.total


def _stats(times: list[float]) -> dict[str, float]:
    times = sorted(times)
    return {"p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2)}


def measure(store: Store, texts: list[str]) -> dict[str, Any]:
    """Index against scan for these texts: answers checked, then timed interleaved."""
    unequal = sum(_find(store, Op.WORDS, t) != _find(store, Op.CONTAINS, t) for t in texts[:20])
    index_ms: list[float] = []
    scan_ms: list[float] = []
    for i, text in enumerate(texts):
        for op, times in ((Op.WORDS, index_ms), (Op.CONTAINS, scan_ms))[::1 if i % 2 else -1]:
            start = time.perf_counter()
            _find(store, op, text)
            times.append((time.perf_counter() - start) * 1000)
    index, scan = _stats(index_ms), _stats(scan_ms)
    return {"runs": len(texts), "unequal": unequal, "index": index, "scan": scan,
            "scan_over_index_p50": round(scan["p50_ms"] / index["p50_ms"], 1),
            "scan_over_index_p95": round(scan["p95_ms"] / index["p95_ms"], 1),
            "mean_total": round(statistics.mean(_find(store, Op.WORDS, t)[1]
                                                for t in texts[:20]))}


def run(engine: str, clues: int, repeat: int) -> dict[str, Any]:
    rng = random.Random(7)
    with ENGINES[engine]() as store:
        rate = write(store, clues, rng)
        texts = queries(rng, repeat)
        for kind in KINDS:  # warm-up, not measured
            for text in texts[kind][:5]:
                _find(store, Op.WORDS, text), _find(store, Op.CONTAINS, text)
        return {"engine": engine, "clues": clues, "write_per_s": round(rate),
                **{kind: measure(store, texts[kind]) for kind in KINDS}}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    clues = int(args[args.index("--clues") + 1]) if "--clues" in args else 200_000
    repeat = int(args[args.index("--repeat") + 1]) if "--repeat" in args else 200
    print(f"machine: {machine()}")
    for engine in engines_from_argv(args):
        result = run(engine, clues, repeat)
        print(f"{engine}, {clues:,} clues written at {result['write_per_s']:,}/s")
        print("words | runs | answers unequal | mean total | index p50 / p95 ms | "
              "scan p50 / p95 ms | scan ÷ index p50 / p95")
        for kind in KINDS:
            r = result[kind]
            print(f"{kind} | {r['runs']} | {r['unequal']} | {r['mean_total']} | "
                  f"{r['index']['p50_ms']} / {r['index']['p95_ms']} | {r['scan']['p50_ms']} / "
                  f"{r['scan']['p95_ms']} | {r['scan_over_index_p50']} / "
                  f"{r['scan_over_index_p95']}")


if __name__ == "__main__":
    main()
