"""Explorer and analysis: expansion and search latency, analysis run time, graph libraries.

    python -m bench.explore [--engine sqlite|neo4j|both] [--scale county|prefecture|province]

The graph is the scale generator's (seeds/synthetic.py, seed 1; default prefecture scale),
with pinyin filled afterwards. Measured per engine: a depth-2 expansion capped at 300 nodes
from 60 units and people (whole deployment, and scoped to one county), a pinyin-prefix search,
and each analysis over the whole graph (median of three). Then the same person–unit–clue
projection is handed to networkx, rustworkx and igraph for PageRank, betweenness and Louvain,
to choose the library.
"""

from __future__ import annotations

import random
import sys
from typing import Any

from bench.common import ENGINES, engines_from_argv, latencies, report
from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.access.idnumbers import IdKey
from collab.analysis import centrality as analysis
from collab.analysis import explore
from collab.cases import pinyin
from collab.graph.codec import Node
from collab.graph.store import Cond, Op, Store
from seeds import synthetic

EVERYWHERE = Authz(Actor("bench"))
BENCH_KEY = IdKey.from_secret(b"collab-bench-id-key-not-a-secret")


def load(store: Store, scale: str) -> int:
    """The synthetic graph of `scale` (seeds/synthetic.py), pinyin added as each plan is
    written (the way importers are to call `with_pinyin`); elements written."""
    total = 0
    for plan in synthetic.generate(scale, seed=1, key=BENCH_KEY):
        for label in pinyin.PINYIN_LABELS:
            rows = plan.nodes.get(label, {})
            for key, props in rows.items():
                rows[key] = pinyin.with_pinyin(label, props)
        total += sum(store.write(plan.write).values())
    return total


def _sample(store: Store, label: str, where: dict[str, Any], n: int,
            rng: random.Random) -> list[Node]:
    page = store.find(label, where=where, limit=1000)
    return rng.sample(page.items, min(n, len(page.items)))


def measure(store: Store) -> list[dict[str, Any]]:
    """Latencies and run times on one loaded engine."""
    rng = random.Random(2)
    county = store.find("Region", where={"level": "county"}, order_by="code", limit=1).items[0]
    out = []
    for name, authz, prefix in (("expand depth 2, cap 300", EVERYWHERE, "53"),
                                ("expand depth 2, cap 300, one county",
                                 Authz(Actor("bench", region=county.key)), county.key)):
        where = {"region_code": Cond(Op.PREFIX, prefix)}
        starts = [n.uid for n in _sample(store, "Unit", where, 30, rng)
                  + _sample(store, "Person", where, 30, rng)]

        def run(i: int, authz: Authz = authz, starts: list[str] = starts) -> None:
            store.read(lambda tx: explore.expand(tx, authz=authz, uids=[starts[i]], depth=2))
        out.append({"what": name, **latencies(run, len(starts))})
    people = _sample(store, "Person", {}, 20, rng)
    words = [p.get("pinyin")[:4] for p in people]
    out.append({"what": "search by pinyin prefix", **latencies(
        lambda i: store.read(lambda tx: explore.search(tx, authz=EVERYWHERE, q=words[i])),
        len(words))})
    for name, fn in (("rank (PageRank, degree, betweenness)", analysis.rank),
                     ("communities (Louvain)", analysis.communities),
                     ("people in several clues", analysis.multi_clue_people),
                     ("ties to handling cadres", analysis.ties),
                     ("recurrence across rounds", analysis.recurrence)):
        out.append({"what": name, **latencies(
            lambda _, fn=fn: store.read(lambda tx: fn(tx, authz=EVERYWHERE)), 3)})
    return out


def libraries(store: Store) -> list[dict[str, Any]]:
    """The same projection through networkx, rustworkx and igraph."""
    import networkx as nx
    import rustworkx as rx

    igr = store.read(lambda tx: analysis.projection(tx, authz=EVERYWHERE))
    n, edges = igr.vcount(), igr.get_edgelist()
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges)
    rgraph = rx.PyGraph()
    rgraph.add_nodes_from(list(range(n)))
    rgraph.add_edges_from_no_data(edges)
    rdigraph = rx.PyDiGraph()
    rdigraph.add_nodes_from(list(range(n)))
    rdigraph.add_edges_from_no_data(edges + [(b, a) for a, b in edges])
    k = min(analysis._SAMPLE, n)
    sources = sorted(random.Random(7).sample(range(n), k))
    cases = {
        "pagerank": (lambda: nx.pagerank(graph), lambda: rx.pagerank(rdigraph),
                     lambda: igr.pagerank()),
        f"betweenness, {k} sampled sources": (
            lambda: nx.betweenness_centrality(graph, k=k, seed=7), None,
            lambda: igr.betweenness(directed=False, sources=sources)),
        # networkx's exact betweenness is left out: at scale 1 it took about two minutes.
        "betweenness, exact": (None, lambda: rx.betweenness_centrality(rgraph),
                               lambda: igr.betweenness()),
        "louvain": (lambda: nx.community.louvain_communities(graph, seed=7), None,
                    lambda: igr.community_multilevel()),
    }
    out = [{"what": f"projection: {n} nodes, {len(edges)} edges", "networkx_s": "",
            "rustworkx_s": "", "igraph_s": ""}]
    for name, fns in cases.items():
        out.append({"what": name, **{f"{lib}_s": _median(fn) if fn else "n/a"
                                     for lib, fn in zip(("networkx", "rustworkx", "igraph"),
                                                        fns, strict=True)}})
    return out


def _median(fn: Any) -> float:
    """Seconds of the median of three calls (the machine is shared; one call is noisy)."""
    return round(latencies(lambda _: fn(), 3)["p50_ms"] / 1000, 3)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    scale = args[args.index("--scale") + 1] if "--scale" in args else "prefecture"
    for engine in engines_from_argv(args):
        with ENGINES[engine]() as store:
            elements = load(store, scale)
            report(f"explorer and analysis on {engine} ({scale} scale, {elements} elements)",
                   measure(store))
            if engine == "sqlite":
                report("graph libraries on the person–unit–clue projection", libraries(store))


if __name__ == "__main__":
    main()
