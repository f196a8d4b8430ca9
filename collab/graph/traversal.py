"""Breadth-first traversals written once, over the engines' `_adjacent` primitive.

Because both engines answer `_adjacent` in the same order, expansion caps and the choice among
equally short paths come out the same on each.
"""

from __future__ import annotations

from collections.abc import Sequence

from collab.graph.codec import Node, Rel
from collab.graph.types import Adjacency, Direction, Path, Subgraph

# How many alternative paths are enumerated before the best `limit` are chosen.
_PATH_ENUMERATION_CAP = 1000


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
            return _assemble(g, back, meets, limit)
    return []


def _replace(pair: tuple[list[str], list[str]], side: int,
             value: list[str]) -> tuple[list[str], list[str]]:
    return (value, pair[1]) if side == 0 else (pair[0], value)


def _walks(back: dict[str, list[tuple[Rel, str]]], uid: str) -> list[list[tuple[Rel, str]]]:
    """Every way back from `uid` to the side's start, as (rel, node) steps, start last."""
    if not back[uid]:
        return [[]]
    out: list[list[tuple[Rel, str]]] = []
    for rel, prev in back[uid]:
        for rest in _walks(back, prev):
            out.append([(rel, prev), *rest])
            if len(out) >= _PATH_ENUMERATION_CAP:
                return out
    return out


def _assemble(g: Adjacency, back: Sequence[dict[str, list[tuple[Rel, str]]]],
              meets: list[str], limit: int) -> list[Path]:
    candidates: list[tuple[list[str], list[Rel]]] = []
    for meet in meets:
        for left in _walks(back[0], meet):
            for right in _walks(back[1], meet):
                uids = [u for _, u in reversed(left)] + [meet] + [u for _, u in right]
                rels = [r for r, _ in reversed(left)] + [r for r, _ in right]
                candidates.append((uids, rels))
                if len(candidates) >= _PATH_ENUMERATION_CAP:
                    break
    candidates.sort(key=lambda c: (c[0], [_rel_key(r) for r in c[1]]))
    chosen = candidates[:limit]
    # the search walked bare nodes: read in full only those on the paths returned
    full = {n.uid: n for n in g._get_uids(sorted({u for uids, _ in chosen for u in uids}))}
    return [Path([full[u] for u in uids], rels) for uids, rels in chosen]
