"""The graph explorer's services: search, capped expansion laid out on the server, paths.

Everything an actor is shown passes through its `Authz`: a node outside its reach is never
returned, expanded through, or counted, so an explorer view reveals nothing beyond the scope,
not even how much was left out. Labels and facts are plain text (the page sets them with
`textContent`), so a name like `<img src=x onerror=alert(1)>` can only ever show as text.
Positions are computed here (a seeded force-directed layout), so the browser does not run physics on
a big view and the same view always looks the same.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from collab.access import idnumbers
from collab.access.authz import MODEL_LABELS, Authz, Perm, visible_props
from collab.access.idnumbers import IdKey
from collab.access.regions import subtree_prefix
from collab.analysis.centrality import seeded
from collab.errors import N_, NotFound, ValidationError
from collab.graph import schema
from collab.graph.codec import Node, Rel
from collab.graph.query import compose, index_name
from collab.graph.store import Cond, Direction, Graph, NamedQuery, Op

DEFAULT_CAP = 300
MAX_CAP = 1000
# The hop budget of one expansion step.
_FETCH = 5000
_PATH_VISIT_CAP = 20_000
_LATIN = re.compile(r"[a-z]+")
_HIDDEN_FACTS = frozenset({"pinyin", "initials", "version"})


# --- how nodes are shown --------------------------------------------------------------------
def caption(node: Node) -> str:
    """The text a node is shown by: its name, title or key."""
    return str(node.get("name") or node.get("title") or node.key)


def facts(node: Node) -> list[list[Any]]:
    """The node's key facts as (property, value) pairs: secrets dropped, IDs masked (pages
    name the properties and values in the reader's language)."""
    props = visible_props(node)
    return [[k, _text(v)] for k, v in props.items()
            if k not in _HIDDEN_FACTS and v not in (None, "", [])]


def _text(value: Any) -> Any:
    """A fact's value as JSON: dates as ISO text, lists joined, numbers and yes/no kept."""
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, bool | int | float) else str(value)


def node_json(node: Node) -> dict[str, Any]:
    """A node for vis-network: id, caption, group (its label), key (for its page), facts.

    No `title`: vis-network would show it as a tooltip; the page shows the facts itself,
    as text.
    """
    return {"id": node.uid, "label": caption(node), "group": node.label, "key": node.key,
            "facts": facts(node)}


def rel_json(rel: Rel) -> dict[str, Any]:
    """A relationship for vis-network: a stable id, its ends and its type."""
    return {"id": f"{rel.type}:{rel.src}:{rel.dst}", "from": rel.src, "to": rel.dst,
            "label": rel.type, "arrows": "to"}


# --- search ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Hit:
    """One search result: the node and how well it matched (0 best)."""

    node: Node
    rank: int
    matched: str


def search(g: Graph, *, authz: Authz, q: str, labels: Sequence[str] | None = None,
           limit: int = 20, key: IdKey | None = None) -> list[Hit]:
    """Nodes found by name, number, uid or ID number, and Chinese names also by pinyin.

    张三 is found by `张三`, `张`, `zhangsan`, `zhang` and `zs`; a person by ID number when the
    deployment's `key` is given (it matches the number's keyed hash). Only nodes the actor may
    see are searched, so neither results nor their number reveal anything outside its reach.
    """
    authz.require(Perm.EXPLORE)
    text = "".join(unicodedata.normalize("NFKC", q or "").split())
    if not text:
        raise ValidationError(N_("type a name, number or pinyin to search for"))
    if not (isinstance(limit, int) and 1 <= limit <= 200):
        raise ValidationError(N_("limit must be between 1 and 200, got %(got)r"), got=limit)
    wanted = _labels(authz, labels)
    hits: dict[str, Hit] = {}

    def add(node: Node | None, rank: int, matched: str) -> None:
        if node is not None and node.label in wanted and authz.sees(g, node) \
                and (node.uid not in hits or hits[node.uid].rank > rank):
            hits[node.uid] = Hit(node, rank, matched)

    add(g.get_uid(text), 0, "uid")
    for label in wanted:
        if schema.label(label).key != "uid":
            add(g.get(label, text), 0, "number")
    for node in _by_id_number(g, authz, text, key):
        add(node, 0, "id_number")
    for label in wanted:
        for prop, value, matched in _text_filters(label, text):
            if label == "Person" and prop in PERSON_QUERIES:
                found = _people(g, authz, prop, value.value, limit)
            else:
                found = _find_scoped(g, authz, label, {prop: value}, limit)
            for node in found:
                exact = str(node.get(prop, "")).lower() == text.lower()
                add(node, 1 if exact else 2, matched)
    ordered = sorted(hits.values(), key=lambda h: (h.rank, wanted.index(h.node.label),
                                                   caption(h.node), h.node.uid))
    return ordered[:limit]


def _person_query(prop: str) -> NamedQuery:
    """People whose `prop` starts with a text, walking that property's index in order.

    SQLite's planner prefers the (label, key) index to a partial expression index for a range,
    which scans every person of a province; `INDEXED BY` names the right one.
    """
    return NamedQuery(
        f"explore.person_by_{prop}",
        cypher=compose("""
            MATCH (n:Person) WHERE n.<<p>> STARTS WITH $lo
              AND ($prefix IS NULL OR n.region_code STARTS WITH $prefix)
            RETURN n.uid AS uid ORDER BY n.<<p>>, n.uid LIMIT $limit""", p=prop),
        sql=compose("""
            SELECT uid FROM nodes INDEXED BY <<ix>>
            WHERE label = 'Person' AND json_extract(props, '$.<<p>>') >= :lo
              AND json_extract(props, '$.<<p>>') < :hi
              AND (:prefix IS NULL OR substr(json_extract(props, '$.region_code'), 1,
                                             length(:prefix)) = :prefix)
            ORDER BY json_extract(props, '$.<<p>>'), uid LIMIT :limit""",
                    ix=index_name("ix", "Person", prop), p=prop),
        columns=("uid",))


PERSON_QUERIES = {prop: _person_query(prop) for prop in ("name", "pinyin", "initials")}


def _people(g: Graph, authz: Authz, prop: str, start: str, limit: int) -> list[Node]:
    """People whose name, pinyin or initials start with `start`, within the actor's region."""
    prefix = subtree_prefix(authz.actor.region) if authz.actor.region else None
    rows = g.run(PERSON_QUERIES[prop], lo=start, hi=start + "\U0010ffff", prefix=prefix,
                 limit=limit)
    return [n for n in (g.get_uid(r["uid"]) for r in rows) if n is not None]


def _text_filters(label: str, text: str) -> list[tuple[str, Cond, str]]:
    """Letters alone are the start of a pinyin, initials or name (prefixes: indexed); other
    text is the start of a person's name, or inside the name of a unit, department, region,
    round or group (far fewer of those than people)."""
    props = schema.node_props(schema.label(label))
    latin = text.lower()
    if _LATIN.fullmatch(latin):
        return [(name, Cond(Op.PREFIX, value), name)
                for name, value in (("pinyin", latin), ("initials", latin), ("name", text))
                if name in props]
    if "name" not in props:  # issues, clues, cases … are found by their number
        return []
    if label == "Person":  # a person is looked up by how the name starts (indexed)
        return [("name", Cond(Op.PREFIX, text), "name")]
    return [("name", Cond(Op.CONTAINS, text), "name")]


def _find_scoped(g: Graph, authz: Authz, label: str, where: dict[str, Any],
                 limit: int) -> list[Node]:
    """One label's matches within the actor's region (the filter runs in the engine)."""
    prop = "code" if label == "Region" else "region_code"
    if authz.actor.region is not None and prop in schema.node_props(schema.label(label)):
        where = {**where, prop: Cond(Op.PREFIX, subtree_prefix(authz.actor.region))}
    return g.find(label, where=where, limit=limit).items


def _by_id_number(g: Graph, authz: Authz, text: str, key: IdKey | None) -> list[Node]:
    """The people with this ID number, matched by its keyed hash (the number is never stored)."""
    if len(text) != 18 or key is None:
        return []
    try:
        number = idnumbers.validate(text)
    except ValidationError:
        return []
    return _find_scoped(g, authz, "Person", {"id_hash": key.digest(number)}, 10)


# --- expansion ------------------------------------------------------------------------------
@dataclass
class View:
    """What the explorer draws: nodes with positions, edges, and what was left out."""

    nodes: list[Node]
    rels: list[Rel]
    positions: dict[str, tuple[float, float]]
    omitted: dict[str, int] = field(default_factory=dict)
    incomplete: bool = False
    cap: int = DEFAULT_CAP

    @property
    def capped(self) -> bool:
        return bool(self.omitted) or self.incomplete

    def hint(self) -> str:
        """What was cut and how to narrow the request, for people."""
        if not self.capped:
            return ""
        left = "、".join(f"{label} {n}" for label, n in self.omitted.items())
        more = f"另有{sum(self.omitted.values())}个节点未显示（{left}）" if left else \
            "邻居太多，未能全部查看"
        return (f"只显示了{len(self.nodes)}个节点（上限{self.cap}），{more}。"
                f"请按标签或关系类型筛选、减少层数，或从更具体的节点展开。")

    def to_json(self) -> dict[str, Any]:
        """The view in the shape vis-network takes (plus the cut and the hint)."""
        nodes = []
        for node in self.nodes:
            x, y = self.positions.get(node.uid, (0.0, 0.0))
            nodes.append({**node_json(node), "x": x, "y": y})
        return {"nodes": nodes, "edges": [rel_json(r) for r in self.rels],
                "capped": self.capped, "omitted": dict(self.omitted),
                "incomplete": self.incomplete, "hint": self.hint()}


def expand(g: Graph, *, authz: Authz, uids: Sequence[str], depth: int = 1,
           labels: Sequence[str] | None = None, types: Sequence[str] | None = None,
           limit: int = DEFAULT_CAP) -> View:
    """The visible neighbourhood of nodes (`reach`), laid out for drawing."""
    view = reach(g, authz=authz, uids=uids, depth=depth, labels=labels, types=types,
                 limit=limit)
    view.positions = layout(view.nodes, view.rels)
    return view


def reach(g: Graph, *, authz: Authz, uids: Sequence[str], depth: int = 1,
          labels: Sequence[str] | None = None, types: Sequence[str] | None = None,
          limit: int = DEFAULT_CAP) -> View:
    """The visible neighbourhood of nodes, at most `limit` nodes, not yet laid out.

    Breadth first, hop by hop, only through nodes the actor may see; `omitted` counts, per
    label, the visible neighbours the cap left out (nodes out of reach are not counted).
    """
    authz.require(Perm.EXPLORE)
    if not (isinstance(depth, int) and 1 <= depth <= 3):
        raise ValidationError(N_("depth must be between 1 and 3, got %(got)r"), got=depth)
    if not (isinstance(limit, int) and 1 <= limit <= MAX_CAP):
        raise ValidationError(N_("the node cap must be between 1 and %(most)s, got %(got)r"),
                              most=MAX_CAP, got=limit)
    follow = _labels(authz, labels)
    starts = list(dict.fromkeys(uids))
    if authz.sees_all(follow) and follow and len(starts) <= limit:
        # Everything reachable is visible: the store's own capped expansion (one statement)
        # gives the same view, reads each node once, starts included, and counts what the
        # cap leaves out instead of reading it. Only the starts need checking.
        sub = g.expand(sorted(starts), depth=depth, labels=follow,
                       types=list(types) if types else None, limit=limit)
        at_start = {n.uid: n for n in sub.nodes[:len(starts)]}
        for uid in starts:
            if uid not in at_start or not authz.sees(g, at_start[uid]):
                raise NotFound(N_("no node %(uid)r"), uid=uid)
        return View(sub.nodes, sub.rels, {}, dict(sub.omitted), False, limit)
    held: dict[str, Node] = {}
    for uid in starts:
        node = g.get_uid(uid)
        if node is None or not authz.sees(g, node):
            raise NotFound(N_("no node %(uid)r"), uid=uid)
        held[uid] = node
    rels: dict[tuple[str, str, str], Rel] = {}
    omitted: dict[str, set[str]] = {}
    incomplete = False
    frontier = sorted(held)
    for _ in range(depth):
        if not frontier:
            break
        found, cut = _step(g, authz, frontier, follow, types)
        incomplete |= cut
        frontier = []
        for rel, other in found:
            if other.uid not in held:
                if len(held) >= limit:
                    omitted.setdefault(other.label, set()).add(other.uid)
                    continue
                held[other.uid] = other
                frontier.append(other.uid)
            rels[(rel.type, rel.src, rel.dst)] = rel
    kept = [r for k, r in sorted(rels.items()) if r.src in held and r.dst in held]
    counts = {label: len(v - held.keys()) for label, v in sorted(omitted.items())}
    return View(list(held.values()), kept, {}, {k: n for k, n in counts.items() if n},
                incomplete, limit)


def default_labels(authz: Authz) -> list[str]:
    """The labels an expansion follows unless told otherwise."""
    return _labels(authz, None)


def among(g: Graph, *, authz: Authz, uids: Sequence[str]) -> View:
    """The nodes of `uids` this actor may see and the relationships between them, laid out:
    a view as drawn, or the evidence of a hit, exactly (no neighbour added)."""
    authz.require(Perm.EXPLORE)
    wanted = list(dict.fromkeys(uids))[:MAX_CAP]
    if not wanted:
        return View([], [], {})
    found = g.expand(wanted, depth=1, limit=len(wanted))
    nodes = [n for n in found.nodes if authz.sees(g, n)]
    kept = {n.uid for n in nodes}
    rels = [r for r in found.rels if r.src in kept and r.dst in kept]
    return View(nodes, rels, layout(nodes, rels), cap=len(wanted))


def _labels(authz: Authz, labels: Sequence[str] | None) -> list[str]:
    """The labels asked for that the actor may see; by default the case-work ones (data sets
    and the models' work only when asked for: each needs its own permission checked)."""
    allowed = authz.labels()
    asked = [schema.label(x).label for x in labels] if labels else \
        [x for x in allowed if x not in MODEL_LABELS]
    return [x for x in asked if x in allowed]


def _step(g: Graph, authz: Authz, frontier: list[str], labels: list[str],
          types: Sequence[str] | None) -> tuple[list[tuple[Rel, Node]], bool]:
    """One hop from `frontier`: (relationship, visible neighbour) pairs; whether it was cut."""
    if not labels:
        return [], False
    sub = g.expand(frontier, depth=1, labels=labels, types=list(types) if types else None,
                   direction=Direction.BOTH, limit=len(frontier) + _FETCH)
    by_uid = {n.uid: n for n in sub.nodes}
    starts = set(frontier)
    out = []
    for rel in sub.rels:
        for here, there in ((rel.src, rel.dst), (rel.dst, rel.src)):
            other = by_uid.get(there)
            if here in starts and other is not None and authz.sees(g, other):
                out.append((rel, other))
    out.sort(key=lambda p: (p[1].uid, p[0].type, p[0].src, p[0].dst))
    return out, sub.capped


def layout(nodes: Sequence[Node], rels: Sequence[Rel]) -> dict[str, tuple[float, float]]:
    """Positions for drawing from a seeded force-directed layout: the same view looks the same.

    igraph's Fruchterman–Reingold runs in C (networkx's took 80% of an expansion's time);
    the picture is scaled to about 80 px per node along the square root of the node count.
    """
    import igraph

    uids = sorted(n.uid for n in nodes)
    if not uids:
        return {}
    index = {uid: i for i, uid in enumerate(uids)}
    pairs = {tuple(sorted((index[r.src], index[r.dst]))) for r in rels
             if r.src in index and r.dst in index and r.src != r.dst}
    graph = igraph.Graph(n=len(uids), edges=sorted(pairs))
    with seeded():
        coords = graph.layout_fruchterman_reingold(niter=200, grid=True).coords
    reach = max((max(abs(x), abs(y)) for x, y in coords), default=0.0) or 1.0
    scale = 80.0 * len(uids) ** 0.5 / reach
    return {uid: (round(x * scale, 1), round(y * scale, 1))
            for uid, (x, y) in zip(uids, coords, strict=True)}


# --- paths ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Route:
    """One path between two nodes: n nodes and the n-1 relationships between them."""

    nodes: list[Node]
    rels: list[Rel]

    def text(self) -> str:
        """The path as one line: 张三 -[WORKS_AT]-> 那能乡党委 <-[CONCERNS]- 问题."""
        line = f"{self.nodes[0].label}:{caption(self.nodes[0])}"
        for rel, before, after in zip(self.rels, self.nodes[:-1], self.nodes[1:], strict=True):
            arrow = f" -[{rel.type}]-> " if rel.src == before.uid else f" <-[{rel.type}]- "
            line += f"{arrow}{after.label}:{caption(after)}"
        return line


def routes_json(routes: Sequence[Route]) -> dict[str, Any]:
    """Paths for the explorer: each as text and as its node and edge ids, and one drawing of
    them all laid out together."""
    nodes = {n.uid: n for route in routes for n in route.nodes}
    rels = {(r.type, r.src, r.dst): r for route in routes for r in route.rels}
    pos = layout(list(nodes.values()), list(rels.values()))
    return {"paths": [{"text": r.text(), "nodes": [n.uid for n in r.nodes],
                       "edges": [rel_json(x)["id"] for x in r.rels]} for r in routes],
            "nodes": [{**node_json(n), "x": pos[n.uid][0], "y": pos[n.uid][1]}
                      for n in nodes.values()],
            "edges": [rel_json(r) for r in rels.values()]}


def paths(g: Graph, *, authz: Authz, a: str, b: str, max_hops: int = 6, limit: int = 10,
          labels: Sequence[str] | None = None,
          types: Sequence[str] | None = None) -> list[Route]:
    """All shortest paths from a to b of at most `max_hops`, through visible nodes only."""
    authz.require(Perm.EXPLORE)
    if not (isinstance(max_hops, int) and 1 <= max_hops <= 12):
        raise ValidationError(N_("max_hops must be between 1 and 12, got %(got)r"), got=max_hops)
    follow = _labels(authz, labels)
    if authz.sees_all(follow):
        # The store's search (one statement where the engine has one); the ends are read
        # with the paths, and apart only when there is no path to show them on.
        found = g.shortest_paths(a, b, max_hops=max_hops, labels=follow,
                                 types=list(types) if types else None, limit=limit)
        ends = [found[0].nodes[0], found[0].nodes[-1]] if found else \
            [g.get_uid(a), g.get_uid(b)]
        for uid, node in zip((a, b), ends, strict=True):
            if node is None or not authz.sees(g, node):
                raise NotFound(N_("no node %(uid)r"), uid=uid)
        return [Route(p.nodes, p.rels) for p in found]
    held: dict[str, Node] = {}
    for uid in (a, b):
        node = g.get_uid(uid)
        if node is None or not authz.sees(g, node):
            raise NotFound(N_("no node %(uid)r"), uid=uid)
        held[uid] = node
    return _visible_paths(g, authz, held[a], held[b], max_hops, limit, follow, types)


def _visible_paths(g: Graph, authz: Authz, a: Node, b: Node, max_hops: int, limit: int,
                   labels: list[str], types: Sequence[str] | None) -> list[Route]:
    """Breadth-first search from a restricted to visible nodes, then every shortest way back."""
    if a.uid == b.uid:
        return [Route([a], [])]
    nodes = {a.uid: a, b.uid: b}
    dist = {a.uid: 0}
    back: dict[str, list[tuple[Rel, str]]] = {a.uid: []}
    frontier = [a.uid]
    for hop in range(1, max_hops + 1):
        found, _ = _step(g, authz, frontier, labels, types)
        reached: list[str] = []
        for rel, other in found:
            here = rel.src if rel.dst == other.uid else rel.dst
            if dist.get(here) != hop - 1 or dist.get(other.uid, hop) != hop:
                continue
            if other.uid not in dist:
                dist[other.uid] = hop
                reached.append(other.uid)
                nodes[other.uid] = other
                back[other.uid] = []
            back[other.uid].append((rel, here))
        if b.uid in dist or not reached or len(dist) > _PATH_VISIT_CAP:
            break
        frontier = sorted(reached)
    if b.uid not in dist:
        return []
    walks = _walks_back(back, b.uid, limit * 10)
    walks.sort(key=lambda w: [u for _, u in w])
    out = []
    for walk in walks[:limit]:
        uids = [u for _, u in walk]
        out.append(Route([nodes[u] for u in uids], [r for r, _ in walk[1:] if r is not None]))
    return out


def _walks_back(back: dict[str, list[tuple[Rel, str]]], end: str,
                cap: int) -> list[list[tuple[Rel | None, str]]]:
    """Every way from the start to `end` (as (rel into node, node) steps), at most `cap`."""
    if not back[end]:
        return [[(None, end)]]
    out: list[list[tuple[Rel | None, str]]] = []
    for rel, prev in back[end]:
        for walk in _walks_back(back, prev, cap):
            out.append([*walk, (rel, end)])
            if len(out) >= cap:
                return out
    return out
