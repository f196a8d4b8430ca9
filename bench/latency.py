"""Latency of what users feel: each query from random start points, through the product's
own functions, each call in its own read transaction.

Start points are drawn by a seeded random source from pages of each label at random offsets
(ordered by uid, so both engines get the same ones), before any timing. Each kind has five
unmeasured calls first (query plans compiled, caches warm), then `repeat` measured ones — or
fewer when `budget` seconds run out, so one slow scan cannot hold the whole run; the number of
runs is reported with the figures.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from bench.graphs import CHECK_DAY, check_no
from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.analysis import centrality as analysis
from collab.analysis import explore
from collab.analysis import figures as fig
from collab.cases import proposals, trace
from collab.graph.store import Cond, Op, Store

EVERYWHERE = Authz(Actor("bench"))
SCOPE = fig.Scope(start=date(2023, 1, 1), end=date(2023, 12, 31), as_of=date(2024, 6, 30))
WARM_UP = 5
POOL_PAGES = 6
PAGE = 400


def _pool(store: Store, label: str, rng: random.Random, where: dict[str, Any] | None = None,
          ) -> list[str]:
    """Keys of `label` from a few pages at random offsets."""
    total = store.count(label, where=where)
    keys: set[str] = set()
    for _ in range(POOL_PAGES):
        offset = rng.randrange(max(1, total - PAGE))
        keys |= {n.key for n in store.find(label, where=where, limit=PAGE, offset=offset).items}
    return sorted(keys)


def _uids(store: Store, label: str, keys: list[str]) -> list[str]:
    return [store.get(label, k).uid for k in keys]


def starts(store: Store, n: int, seed: int = 11) -> dict[str, list[Any]]:
    """`n` start points per kind (with repeats when the graph has fewer)."""
    rng = random.Random(seed)
    clues = _pool(store, "Clue", rng)
    units = _pool(store, "Unit", rng, {"kind": "village_branch"})
    people = _pool(store, "Person", rng)
    picked_units = [rng.choice(units) for _ in range(n)]
    picked_people = [rng.choice(people) for _ in range(n)]
    unit_uids = _uids(store, "Unit", picked_units)
    person_uids = _uids(store, "Person", picked_people)
    pairs = []
    for person in picked_people:
        # A person and a village of the same county: the question "how is this person
        # connected to that unit", asked from a person page.
        county = str(store.get("Person", person).get("region_code"))[:6]
        near = store.find("Unit", where={"region_code": Cond(Op.PREFIX, county)}, limit=1,
                          offset=rng.randrange(max(1, store.count(
                              "Unit", where={"region_code": Cond(Op.PREFIX, county)}))))
        pairs.append((store.get("Person", person).uid, near.items[0].uid))
    checks = store.count("JointCheck", where={"no": Cond(Op.PREFIX, "JC-BENCH-")})
    return {"clue": [rng.choice(clues) for _ in range(n)],
            "expand": [u for pair in zip(unit_uids, person_uids, strict=True) for u in pair][:n],
            "path": pairs,
            "proposal": [check_no(rng.randrange(checks)) for _ in range(n)]}


def kinds(store: Store, points: dict[str, list[Any]]) -> dict[str, Callable[[int], Any]]:
    """Each measured call, given the run's index."""
    def read(fn: Callable[[Any], Any]) -> Any:
        return store.read(fn)

    return {
        "trace": lambda i: read(lambda g: trace.trace(g, clue_no=points["clue"][i])),
        "expand": lambda i: read(lambda g: explore.expand(
            g, authz=EVERYWHERE, uids=[points["expand"][i]], depth=2)),
        "path": lambda i: read(lambda g: explore.paths(
            g, authz=EVERYWHERE, a=points["path"][i][0], b=points["path"][i][1], max_hops=6)),
        "conversion": lambda i: read(lambda g: fig.conversion(g, scope=SCOPE, by="department")),
        "summary": lambda i: read(lambda g: fig.summary(g, scope=SCOPE)),
        "proposal": lambda i: read(lambda g: proposals.propose(
            g, check=points["proposal"][i], on=CHECK_DAY)),
    }


def measure(fn: Callable[[int], Any], repeat: int, budget: float) -> dict[str, Any]:
    """p50 / p95 / max in ms over `repeat` calls, or as many as `budget` seconds allow."""
    for i in range(WARM_UP):
        fn(repeat - 1 - i)
    times: list[float] = []
    deadline = time.perf_counter() + budget
    for i in range(repeat):
        start = time.perf_counter()
        fn(i)
        end = time.perf_counter()
        times.append((end - start) * 1000)
        if end > deadline:
            break
    times.sort()
    return {"runs": len(times), "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
            "max_ms": round(times[-1], 2)}


def all_kinds(store: Store, repeat: int, budget: float,
              only: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Every kind's figures on one loaded store."""
    points = starts(store, repeat)
    return {name: measure(fn, repeat, budget) for name, fn in kinds(store, points).items()
            if only is None or name in only}


def analyses(store: Store) -> dict[str, float]:
    """Seconds of one PageRank (with degree and betweenness) plus communities run, for one
    county's coordinator and for the whole province."""
    county = store.find("Region", where={"level": "county"}, order_by="code", limit=1).items[0]
    scoped = Authz(Actor("bench", region=county.key))
    store.read(lambda g: analysis.rank(g, authz=scoped))  # unmeasured: igraph loaded, caches warm
    out = {}
    for name, authz in (("county", scoped), ("province", EVERYWHERE)):
        start = time.perf_counter()
        store.read(lambda g, authz=authz: (analysis.rank(g, authz=authz),
                                           analysis.communities(g, authz=authz)))
        out[f"analysis_{name}_s"] = round(time.perf_counter() - start, 2)
    return out
