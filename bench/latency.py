"""Latency of what users feel, against the engine's limit: each product read from random
start points, interleaved with the best single hand-written query for the same question.

Start points are drawn by a seeded random source from pages of each label at random offsets
(ordered by uid, so both engines get the same ones), before any timing. For each kind: first
the answers are checked on `check` sample inputs (product and reference, put in one plain form
by bench/limits.py, must be equal) and the product's statements counted (its round trips);
then five unmeasured calls of each side, then `repeat` rounds in which both sides run once,
each in its own read transaction, alternating which goes first — or fewer rounds when
`budget` seconds run out, so one slow scan cannot hold the whole run. The ratio product ÷
limit is taken at p50 and at p95.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from bench import limits
from bench.graphs import CHECK_DAY, check_no
from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.analysis import centrality as analysis
from collab.analysis import dashboard, explore
from collab.analysis import figures as fig
from collab.cases import proposals, trace
from collab.graph import kept
from collab.graph.store import Cond, Graph, Op, Store, _stored

EVERYWHERE = Authz(Actor("bench"))
SCOPE = fig.Scope(start=date(2023, 1, 1), end=date(2023, 12, 31), as_of=date(2024, 6, 30))
WARM_UP = 5
POOL_PAGES = 6
PAGE = 400
KINDS = ("trace", "expand", "path", "conversion", "contribution", "summary",
         "summary_computed", "proposal", "dashboard", "dashboard_computed")
# Kinds whose reference is another kind's (the same question, not kept between calls).
SAME_REFERENCE = {"summary_computed": "summary"}
# Kinds whose reference is the product's own statements replayed (bench/limits.py says why):
# the dashboard as served replays what computing it runs.
REPLAYED = ("proposal", "dashboard", "dashboard_computed")
REPLAY_FROM = {"dashboard": "dashboard_computed"}


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


def products(points: dict[str, list[Any]]) -> dict[str, Callable[[Graph, int], Any]]:
    """Each product read, given its read transaction and the run's index."""
    def computed_dashboard(g: Graph, i: int) -> Any:
        kept.forget()
        return served_dashboard(g, i)

    def served_dashboard(g: Graph, i: int) -> Any:
        return dashboard.overview(g, authz=EVERYWHERE, region=None, year=2023,
                                  as_of=SCOPE.as_of)

    return {
        "trace": lambda g, i: trace.trace(g, clue_no=points["clue"][i]),
        # the explorer's read (its layout, igraph's work, apart: bench.explore times it)
        "expand": lambda g, i: explore.reach(g, authz=EVERYWHERE, uids=[points["expand"][i]],
                                             depth=2),
        "path": lambda g, i: explore.paths(g, authz=EVERYWHERE, a=points["path"][i][0],
                                           b=points["path"][i][1], max_hops=6),
        "conversion": lambda g, i: fig.conversion(g, scope=SCOPE, by="department"),
        "contribution": lambda g, i: fig.contribution(g, scope=SCOPE),
        "summary": lambda g, i: fig.summary(g, scope=SCOPE),
        "summary_computed": lambda g, i: fig.computed_summary(g, SCOPE),
        "proposal": lambda g, i: proposals.propose(g, check=points["proposal"][i],
                                                   on=CHECK_DAY),
        "dashboard": served_dashboard,
        "dashboard_computed": computed_dashboard,
    }


def _params(kind: str, points: dict[str, list[Any]], i: int) -> dict[str, Any]:
    if kind == "trace":
        return {"no": points["clue"][i]}
    if kind == "expand":
        return {"uid": points["expand"][i]}
    if kind == "path":
        return {"a": points["path"][i][0], "b": points["path"][i][1]}
    return {k: _stored(v) for k, v in SCOPE.params().items()} | {
        "n": 4, "by_department": kind == "conversion"}


class Recorder:
    """The engine's connection (SQLite) or transaction (Neo4j), noting each statement run."""

    def __init__(self, inner: Any):
        self.inner, self.statements = inner, []

    def execute(self, sql: str, params: Any = ()) -> Any:
        self.statements.append((sql, params))
        return self.inner.execute(sql, params)

    def executemany(self, sql: str, params: Any) -> Any:
        self.statements.append((sql, params))
        return self.inner.executemany(sql, params)

    def run(self, query: str, params: Any = None, **kw: Any) -> Any:
        self.statements.append((query, params))
        return self.inner.run(query, params, **kw)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def recorded(store: Store, fn: Callable[[Graph], Any]) -> tuple[Any, list[Any]]:
    """`fn`'s answer and the statements it ran, in one read transaction."""
    def run(g: Graph) -> tuple[Any, list[Any]]:
        attr = "_conn" if store.backend == "sqlite" else "_tx"
        recorder = Recorder(getattr(g, attr))
        setattr(g, attr, recorder)
        return fn(g), recorder.statements
    return store.read(run)


def raw(store: Store, statements: list[tuple[str, Any]]) -> list[Any]:
    """The statements run straight through the driver, one read transaction, rows fetched."""
    def run(g: Graph) -> list[Any]:
        if store.backend == "sqlite":
            return [g._conn.execute(q, p).fetchall() for q, p in statements]  # type: ignore[attr-defined]
        return [g._tx.run(q, p).data() for q, p in statements]  # type: ignore[attr-defined]
    return store.read(run)


def _engine_params(store: Store, params: dict[str, Any]) -> dict[str, Any]:
    if store.backend == "sqlite":  # lists travel as JSON text, as the engine sends them
        return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                for k, v in params.items()}
    return params


def reference(store: Store, kind: str, points: dict[str, list[Any]],
              replays: dict[int, list[Any]]) -> Callable[[int], Any]:
    """The limit of `kind` for the run's index: its hand-written query, or its replay."""
    if kind in REPLAYED:
        return lambda i: raw(store, replays[i % len(replays)])
    ref = limits.REFERENCES[SAME_REFERENCE.get(kind, kind)]
    text = ref.sqlite if store.backend == "sqlite" else ref.cypher
    source = SAME_REFERENCE.get(kind, kind)
    return lambda i: raw(store, [(text, _engine_params(store, _params(source, points, i)))])[0]


def _stats(times: list[float]) -> dict[str, Any]:
    times = sorted(times)
    return {"runs": len(times), "p50_ms": round(statistics.median(times), 2),
            "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
            "max_ms": round(times[-1], 2)}


def compare(store: Store, kind: str, points: dict[str, list[Any]], repeat: int, budget: float,
            check: int) -> dict[str, Any]:
    """One kind: answers checked, statements counted, both sides timed interleaved."""
    made = products(points)
    product = made[kind]
    began = time.perf_counter()
    deadline = began + budget
    seen, source = [], []
    for i in range(min(check, repeat)):  # the sample, within half the kind's budget
        seen.append(recorded(store, lambda g, i=i: product(g, i)))
        if kind in REPLAY_FROM:
            source.append(recorded(store, lambda g, i=i: made[REPLAY_FROM[kind]](g, i)))
        if time.perf_counter() > began + budget / 2:
            break
    source = source or seen
    replays = {i: [s for s in statements if _is_query(s[0])]
               for i, (_, statements) in enumerate(source)}
    limit = reference(store, kind, points, replays)
    out: dict[str, Any] = {"statements": statistics.median(len(s) for _, s in seen),
                           **_checked(store, kind, seen, limit, source)}
    run_product = lambda i: store.read(lambda g: product(g, i))  # noqa: E731
    for i in range(WARM_UP):
        run_product(repeat - 1 - i)
        limit(repeat - 1 - i)
    mine_ms: list[float] = []
    theirs_ms: list[float] = []
    deadline = max(deadline, time.perf_counter() + budget / 4)
    for i in range(repeat):
        for side in ((run_product, mine_ms), (limit, theirs_ms))[::1 if i % 2 else -1]:
            start = time.perf_counter()
            side[0](i)
            side[1].append((time.perf_counter() - start) * 1000)
        if time.perf_counter() > deadline:
            break
    out["product"], out["limit"] = _stats(mine_ms), _stats(theirs_ms)
    out["ratio_p50"] = round(out["product"]["p50_ms"] / out["limit"]["p50_ms"], 2)
    out["ratio_p95"] = round(out["product"]["p95_ms"] / out["limit"]["p95_ms"], 2)
    return out


def _checked(store: Store, kind: str, seen: list[Any], limit: Callable[[int], Any],
             source: list[Any]) -> dict[str, Any]:
    """How many sample answers the product and its reference agree on (the dashboard as
    served against the dashboard computed afresh; the proposal has no reference answer)."""
    if kind in ("proposal", "dashboard_computed"):
        return {}
    if kind in REPLAYED:
        pairs = [(answer, computed) for (answer, _), (computed, _) in zip(seen, source,
                                                                            strict=True)]
    else:
        ref = limits.REFERENCES[SAME_REFERENCE.get(kind, kind)]
        of_ref = ref.of_sql if store.backend == "sqlite" else ref.of_cypher
        assert ref.of_product is not None and of_ref is not None
        pairs = [(ref.of_product(answer), of_ref(limit(i))) for i, (answer, _) in
                 enumerate(seen)]
    unequal = [{"input": i, "product": str(a)[:400], "reference": str(b)[:400]}
               for i, (a, b) in enumerate(pairs) if a != b]
    return {"checked": len(pairs), "equal": len(pairs) - len(unequal),
            **({"unequal": unequal[:3]} if unequal else {})}


def _is_query(text: str) -> bool:
    """A statement that answers part of the question (not the write versions' read)."""
    return "WriteVersion" not in text and "FROM versions" not in text


def all_kinds(store: Store, repeat: int, budget: float, only: list[str] | None = None,
              check: int = 60) -> dict[str, dict[str, Any]]:
    """Every kind on one loaded store."""
    points = starts(store, repeat)
    kept.forget()
    out = {}
    for kind in (k for k in KINDS if only is None or k in only):
        out[kind] = compare(store, kind, points, repeat, budget, check)
        row = out[kind]
        print(f"{kind}: product {row['product']['p95_ms']} ms, limit {row['limit']['p95_ms']} "
              f"ms at p95 ({row['product']['runs']} runs)", file=sys.stderr, flush=True)
    return out


def _analyse(g: Graph, authz: Authz) -> tuple[Any, Any]:
    """What an analysis page of both tables does: pull the projection once, rank, communities."""
    graph = analysis.projection(g, authz=authz)
    return (analysis.rank(g, authz=authz, graph=graph),
            analysis.communities(g, authz=authz, graph=graph))


def analyses(store: Store) -> dict[str, float]:
    """Seconds of one PageRank (with degree and betweenness) plus communities run, for one
    county's coordinator and for the whole province: the projection pulled once per run."""
    county = store.find("Region", where={"level": "county"}, order_by="code", limit=1).items[0]
    scoped = Authz(Actor("bench", region=county.key))
    store.read(lambda g: analysis.rank(g, authz=scoped))  # unmeasured: igraph loaded, caches warm
    out = {}
    for name, authz in (("county", scoped), ("province", EVERYWHERE)):
        start = time.perf_counter()
        store.read(lambda g, authz=authz: _analyse(g, authz))
        out[f"analysis_{name}_s"] = round(time.perf_counter() - start, 2)
    return out

