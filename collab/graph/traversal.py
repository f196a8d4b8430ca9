"""Breadth-first traversals written once, over the engines' `_adjacent` primitive.

Because both engines answer `_adjacent` in the same order, expansion caps and the choice among
equally short paths come out the same on each.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from collab.graph.codec import Node, Rel
from collab.graph.types import Adjacency, Direction, Path, Subgraph


def _rel_key(rel: Rel) -> tuple[str, str, str]:
    return (rel.type, rel.src, rel.dst)


def expand(g: Adjacency, uids: list[str], *, depth: int, labels: list[str] | None,
           types: list[str] | None, direction: Direction, limit: int) -> Subgraph:
    """Breadth-first neighbourhood with a node cap; see `Graph.expand`."""
    starts = sorted(g._get_uids(list(dict.fromkeys(uids))), key=lambda n: n.uid)[:limit]
    nodes: dict[str, Node] = {n.uid: n for n in starts}
    # One hop reads its neighbours in full in the one query it makes; deeper expansions walk
    # bare nodes (the second hop meets far more than it keeps) and read the kept ones after.
    bare = depth > 1
    starts_at = set(nodes)
    rels: dict[tuple[str, str, str], Rel] = {}
    frontier = list(nodes)
    expanded: list[str] = []
    for _ in range(depth):
        if not frontier:
            break
        expanded += frontier
        # Enough rows to fill the cap even if every node already held is met on the way;
        # if that was not enough (many relationships to held nodes), fetch them all.
        fetch = 2 * (limit + len(nodes)) + 1
        rows = g._adjacent(frontier, types, labels, direction, fetch, bare=bare)
        if len(rows) >= fetch:
            rows = _past_the_cap(g, rows, nodes, frontier, types, labels, direction, limit,
                                 bare)
        frontier = []
        for rel, other in rows:
            if other.uid not in nodes:
                if len(nodes) >= limit:
                    continue
                nodes[other.uid] = other
                frontier.append(other.uid)
            rels[_rel_key(rel)] = rel
    omitted: dict[str, int] = {}
    if len(nodes) >= limit:
        counts = g._adjacent_counts(expanded, types, labels, direction, list(nodes))
        omitted = {label: n for label, n in sorted(counts.items()) if n}
    full = {n.uid: n for n in g._get_uids([uid for uid in nodes if uid not in starts_at])} \
        if bare else nodes
    return Subgraph([full.get(uid, node) for uid, node in nodes.items()],
                    sorted(rels.values(), key=_rel_key), bool(omitted), omitted)


def _past_the_cap(g: Adjacency, rows: list[tuple[Rel, Node]], nodes: dict[str, Node],
                  frontier: list[str], types: list[str] | None, labels: list[str] | None,
                  direction: Direction, limit: int, bare: bool) -> list[tuple[Rel, Node]]:
    """The rows a hop keeps when the first `rows` did not hold them all.

    Rows come in neighbour-uid order, so if they already name enough new neighbours to fill
    the cap, those are the ones kept whatever follows; what follows only adds relationships
    to nodes held, fetched as such. A hub's thousands of other neighbours are then counted
    (for `omitted`), never read. Otherwise every row is read.
    """
    room = limit - len(nodes)
    new = list(dict.fromkeys(other.uid for _, other in rows if other.uid not in nodes))
    if len(new) < room:
        return g._adjacent(frontier, types, labels, direction, None, bare=bare)
    held = [*nodes, *new[:max(room, 0)]]
    return g._adjacent(frontier, types, labels, direction, None, among=held, bare=bare)


def shortest_paths(g: Adjacency, a: str, b: str, *, max_hops: int, labels: list[str] | None,
                   types: list[str] | None, limit: int) -> list[Path]:
    """All shortest undirected paths from a to b, by bidirectional breadth-first search."""
    ends = {n.uid: n for n in g._get_uids([a, b])}
    if a not in ends or b not in ends:
        return []
    if a == b:
        return [Path([ends[a]], [])]
    # For each side: distance of each reached node, and its (rel, neighbour) links one step back.
    dist = ({a: 0}, {b: 0})
    back: tuple[dict[str, list[tuple[Rel, str]]], ...] = ({a: []}, {b: []})
    frontiers = ([a], [b])
    radius = [0, 0]
    while frontiers[0] and frontiers[1] and radius[0] + radius[1] < max_hops:
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        found: dict[str, list[tuple[Rel, str]]] = {}
        for rel, other in g._adjacent(frontiers[side], types, labels, Direction.BOTH, None,
                                      bare=True):
            here = rel.src if rel.dst == other.uid else rel.dst
            if here not in dist[side] or dist[side][here] != radius[side]:
                continue
            if other.uid in dist[side]:
                continue
            found.setdefault(other.uid, []).append((rel, here))
        radius[side] += 1
        for uid, links in found.items():
            dist[side][uid] = radius[side]
            back[side][uid] = links
        frontiers = _replace(frontiers, side, sorted(found))
        meets = [u for u in found if u in dist[1 - side]]
        if meets:
            total = min(radius[side] + dist[1 - side][u] for u in meets)
            meets = sorted(u for u in meets if radius[side] + dist[1 - side][u] == total)
            return _assemble(g, back, a, meets, limit, dist[0][meets[0]])
    return []


def _replace(pair: tuple[list[str], list[str]], side: int,
             value: list[str]) -> tuple[list[str], list[str]]:
    return (value, pair[1]) if side == 0 else (pair[0], value)


def _assemble(g: Adjacency, back: Sequence[dict[str, list[tuple[Rel, str]]]], a: str,
              meets: list[str], limit: int, at: int) -> list[Path]:
    """The first `limit` shortest paths in order (by the uids along them, then by their
    relationships), through the meeting nodes `meets`, which lie `at` steps from a.

    Paths are produced in that order, depth first over the uids, so a pair joined by thousands
    of shortest paths costs `limit` of them, never all."""
    on_paths, stack = set(), list(meets)  # a's side: the meets and what leads to them
    while stack:
        uid = stack.pop()
        if uid not in on_paths:
            on_paths.add(uid)
            stack += [prev for _, prev in back[0][uid]]
    ahead: dict[str, dict[str, list[Rel]]] = {}
    for uid in on_paths:
        for rel, prev in back[0][uid]:
            ahead.setdefault(prev, {}).setdefault(uid, []).append(rel)

    def steps(uid: str, pos: int) -> list[tuple[str, list[Rel]]]:
        if pos < at:
            found = ahead.get(uid, {})
        else:  # from the meeting layer on, b's side leads the way
            found = {}
            for rel, nxt in back[1][uid]:
                found.setdefault(nxt, []).append(rel)
        return sorted((nxt, sorted(rels, key=_rel_key)) for nxt, rels in found.items())

    chosen: list[tuple[list[str], tuple[Rel, ...]]] = []

    def walk(uids: list[str], options: list[list[Rel]]) -> bool:
        """Depth first in uid order; True once `limit` paths are chosen."""
        after = steps(uids[-1], len(uids) - 1)
        if not after:
            for rels in itertools.product(*options):
                chosen.append((uids, rels))
                if len(chosen) >= limit:
                    return True
            return False
        return any(walk([*uids, nxt], [*options, rels]) for nxt, rels in after)

    walk([a], [])
    full = {n.uid: n for n in g._get_uids(sorted({u for uids, _ in chosen for u in uids}))}
    return [Path([full[u] for u in uids], list(rels)) for uids, rels in chosen]
