"""The use-case reads answer as the generic traversal does, on both engines.

Each engine answers a capped expansion, a follow (a clue's whole chain) and all shortest paths in
one statement of its own; the generic, breadth-first traversal over `_adjacent`
(`collab/graph/traversal.py`) is the oracle they must agree with, node for node and in the
same order, on a generated village (hubs, kinship, clues with their whole chains).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from collab.access.idnumbers import IdKey
from collab.graph import traversal
from collab.graph.store import Direction, Graph, Level, Store, Subgraph
from seeds import synthetic

KEY = IdKey.from_secret(b"use-case-reads-secret-of-32-bytes")
CHAIN = (Level(out=("FROM_ISSUE", "TRANSFERRED", "AGAINST", "BECAME"), into=("EVENT_OF",)),
         Level(out=("FOUND_BY", "CONCERNS", "FOUND_WITH", "TO", "FILED_BY", "SUBJECT"),
               into=("EVENT_OF",)),
         Level(out=("OF_ROUND",)))


@pytest.fixture(scope="module")
def village(module_store: Store) -> Iterator[Store]:
    synthetic.load(module_store, scale="village", seed=3, key=KEY)
    yield module_store


def _uids(store: Store, label: str, n: int, seed: int) -> list[str]:
    page = store.find(label, limit=1000)
    return sorted(random.Random(seed).sample([x.uid for x in page.items],
                                             min(n, len(page.items))))


def _same(one: Subgraph, other: Subgraph) -> None:
    assert [(n.uid, n.label, dict(n.props)) for n in one.nodes] == \
        [(n.uid, n.label, dict(n.props)) for n in other.nodes]
    assert [(r.type, r.src, r.dst, dict(r.props)) for r in one.rels] == \
        [(r.type, r.src, r.dst, dict(r.props)) for r in other.rels]
    assert (one.capped, dict(one.omitted)) == (other.capped, dict(other.omitted))


def _generic(g: Graph, uids: list[str], **kwargs: Any) -> Subgraph:
    return traversal.expand(g, uids, **kwargs)  # type: ignore[arg-type]


EXPANSIONS = [
    {"depth": 1, "limit": 300, "labels": None, "types": None, "direction": Direction.BOTH},
    {"depth": 2, "limit": 300, "labels": None, "types": None, "direction": Direction.BOTH},
    {"depth": 2, "limit": 25, "labels": None, "types": None, "direction": Direction.BOTH},
    {"depth": 3, "limit": 60, "labels": None, "types": None, "direction": Direction.BOTH},
    {"depth": 2, "limit": 40, "labels": ["Person", "Unit", "Issue", "Group"], "types": None,
     "direction": Direction.BOTH},
    {"depth": 2, "limit": 300, "labels": None, "types": ["CONCERNS", "FOUND_BY", "WORKS_AT"],
     "direction": Direction.BOTH},
    {"depth": 3, "limit": 300, "labels": None, "types": None, "direction": Direction.OUT},
    {"depth": 2, "limit": 10, "labels": None, "types": None, "direction": Direction.IN},
    {"depth": 1, "limit": 5, "labels": [], "types": None, "direction": Direction.BOTH},
    {"depth": 2, "limit": 5, "labels": None, "types": [], "direction": Direction.BOTH},
]


@pytest.mark.parametrize("shape", EXPANSIONS, ids=lambda s: "-".join(map(str, s.values())))
def test_capped_expansion_in_one_statement_answers_as_the_traversal(
        village: Store, shape: dict[str, Any]) -> None:
    starts = _uids(village, "Unit", 6, 1) + _uids(village, "Person", 6, 2) + \
        _uids(village, "Group", 2, 3)
    capped = 0
    for i, uid in enumerate(starts):
        uids = [uid] if i % 3 else [uid, starts[-1 - i], uid]  # several starts, a repeat
        one = village.read(lambda g, uids=uids: g.expand(uids, **shape))
        generic = village.read(lambda g, uids=uids: _generic(g, uids, **shape))
        _same(one, generic)
        capped += one.capped
    if shape["limit"] <= 60 and shape["labels"] != [] and shape["types"] != []:
        assert capped, "the shape was meant to meet the cap"


def test_expansion_of_nothing_known_is_empty(village: Store) -> None:
    assert village.expand(["no-such-uid"], depth=2).nodes == []


@pytest.mark.parametrize("hops", [2, 4, 6])
def test_all_shortest_paths_in_one_statement_answer_as_the_bidirectional_search(
        village: Store, hops: int) -> None:
    people, units = _uids(village, "Person", 12, 4), _uids(village, "Unit", 12, 5)
    units = [units[i % len(units)] for i in range(len(people))]
    labels = ["Person", "Unit", "Issue", "Group", "Clue", "Case", "Round", "Region",
              "Department", "Transfer", "Rectification"]
    found = 0
    for a, b in zip(people, units, strict=True):
        for kwargs in ({"labels": labels, "types": None},
                       {"labels": None, "types": ["WORKS_AT", "CONCERNS", "INVOLVES",
                                                  "RELATED_TO", "IN_REGION", "PART_OF"]}):
            one = village.shortest_paths(a, b, max_hops=hops, limit=5, **kwargs)
            generic = village.read(lambda g, a=a, b=b, kw=kwargs: traversal.shortest_paths(
                g, a, b, max_hops=hops, limit=5, **kw))  # type: ignore[arg-type]
            assert [[n.uid for n in p.nodes] for p in one] == \
                [[n.uid for n in p.nodes] for p in generic]
            assert [[(r.type, r.src, r.dst) for r in p.rels] for p in one] == \
                [[(r.type, r.src, r.dst) for r in p.rels] for p in generic]
            assert [[dict(n.props) for n in p.nodes] for p in one] == \
                [[dict(n.props) for n in p.nodes] for p in generic]
            found += bool(one)
    assert found or hops < 4, "some pairs were meant to be connected"
    assert village.shortest_paths(people[0], people[0]) == \
        village.read(lambda g: traversal.shortest_paths(
            g, people[0], people[0], max_hops=6, labels=None, types=None, limit=10))


def _follow_generic(g: Graph, start: str, levels: tuple[Level, ...]) -> Subgraph:
    """The follow as successive one-hop expansions of the generic traversal."""
    reached, frontier = {start: 0}, [start]
    rels: dict[tuple[str, str, str], Any] = {}
    for depth, level in enumerate(levels, start=1):
        met: set[str] = set()
        for types, direction in ((level.out, Direction.OUT), (level.into, Direction.IN)):
            if not types or not frontier:
                continue
            sub = _generic(g, frontier, depth=1, labels=None, types=list(types),
                           direction=direction, limit=100_000)
            for rel in sub.rels:
                here, there = (rel.src, rel.dst) if direction is Direction.OUT \
                    else (rel.dst, rel.src)
                if here in frontier:
                    rels[(rel.type, rel.src, rel.dst)] = rel
                    met.add(there)
        for uid in met:
            reached.setdefault(uid, depth)
        frontier = sorted(met)
    nodes = {n.uid: n for n in g._get_uids(list(reached))}  # type: ignore[attr-defined]
    return Subgraph([nodes[u] for u in sorted(reached, key=lambda u: (reached[u], u))],
                    [rels[k] for k in sorted(rels)])


def test_a_clues_whole_chain_in_one_statement_answers_as_hop_by_hop(village: Store) -> None:
    clues = village.find("Clue", order_by="no", limit=40).items
    assert clues
    for clue in clues:
        one = village.follow("Clue", clue.key, CHAIN)
        assert one is not None and one.nodes[0].uid == clue.uid
        _same(one, village.read(lambda g, c=clue: _follow_generic(g, c.uid, CHAIN)))
    assert village.follow("Clue", "no-such-clue", CHAIN) is None


def test_a_follow_into_and_out_of_the_same_level(village: Store) -> None:
    unit = village.find("Unit", where={"kind": "village_branch"}, limit=1).items[0]
    levels = (Level(into=("CONCERNS", "OWNED_BY")), Level(into=("FROM_ISSUE",), out=("HAS_TASK",)),
              Level(out=("BECAME", "AGAINST")))
    one = village.follow("Unit", unit.key, levels)
    assert one is not None and len(one.nodes) > 3
    _same(one, village.read(lambda g: _follow_generic(g, unit.uid, levels)))


def test_versions_change_with_every_write_to_what_they_name(store: Store) -> None:
    names = ["Region", "PART_OF", "Unit"]
    assert store.versions(names) == (0, 0, 0)
    store.upsert_nodes("Region", [{"code": "530000", "name": "云南省", "level": "province"},
                                  {"code": "532600", "name": "文山州", "level": "prefecture"}])
    first = store.versions(names)
    assert first[0] != 0 and first[1:] == (0, 0)
    store.upsert_rels("PART_OF", [{"src": "532600", "dst": "530000"}], src="Region",
                      dst="Region")
    second = store.versions(names)
    assert second[0] == first[0] and second[1] != 0 and second[2] == 0
    with store.transaction() as tx:  # several writes of one name: one new version
        tx.upsert_nodes("Region", [{"code": "530000", "name": "云南"}])
        tx.upsert_nodes("Region", [{"code": "532600", "name": "文山"}])
    third = store.versions(names)
    assert third[0] not in (0, second[0]) and third[1:] == second[1:]
    with pytest.raises(RuntimeError):  # a rolled-back write changes nothing
        with store.transaction() as tx:
            tx.upsert_nodes("Unit", [{"code": "U1", "name": "单位"}])
            raise RuntimeError("rolled back")
    assert store.versions(names) == third
    store.delete_rels("PART_OF", [{"src": "532600", "dst": "530000"}], src="Region",
                      dst="Region")
    assert store.versions(names)[1] not in (0, second[1])


def test_access_labels_carry_no_version(store: Store) -> None:
    from collab.errors import ValidationError

    with pytest.raises(ValidationError):
        store.versions(["AuditRecord"])
    store.upsert_nodes("AuditHead", [{"chain": "main", "seq": 0, "hash": "0" * 64}])
    assert store.versions(["Region"]) == (0,)
