"""The store contract: the same tests on both engines (ids `sqlite` and `neo4j`)."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from collab.errors import ConflictError, MissingNodes, SchemaError, ValidationError
from collab.graph import schema
from collab.graph.codec import derive_uid
from collab.graph.store import Cond, NamedQuery, Op, Store

REGIONS = [
    {"code": "530000", "name": "云南省", "level": "province"},
    {"code": "532600", "name": "文山壮族苗族自治州", "level": "prefecture"},
    {"code": "532628", "name": "富宁县", "level": "county"},
    {"code": "532622", "name": "砚山县", "level": "county"},
    {"code": "530600", "name": "昭通市", "level": "prefecture"},
]
PART_OF = [{"src": "532600", "dst": "530000"}, {"src": "530600", "dst": "530000"},
           {"src": "532628", "dst": "532600"}, {"src": "532622", "dst": "532600"}]


def load_regions(store: Store) -> None:
    store.upsert_nodes("Region", REGIONS)
    store.upsert_rels("PART_OF", PART_OF, src="Region", dst="Region")


def test_upsert_is_idempotent(store: Store) -> None:
    load_regions(store)
    load_regions(store)
    counts = store.counts()
    assert counts["nodes"]["Region"] == 5
    assert counts["rels"]["PART_OF"] == 4
    node = store.get("Region", "532628")
    assert node is not None and node.props == {"code": "532628", "name": "富宁县",
                                               "level": "county"}
    assert node.uid == derive_uid("Region", "532628")


def test_upsert_updates_given_properties_and_none_removes(store: Store) -> None:
    load_regions(store)
    store.upsert_nodes("Region", [{"code": "532628", "pinyin": "funing", "level": None}])
    node = store.get("Region", "532628")
    assert node is not None
    assert node.props == {"code": "532628", "name": "富宁县", "pinyin": "funing"}


def test_relationship_properties_update_in_place(store: Store) -> None:
    store.upsert_nodes("Person", [{"uid": "p1", "name": "赵六"}])
    store.upsert_nodes("Unit", [{"code": "U1", "name": "那能乡党委"}])
    row = {"src": "p1", "dst": "U1", "since": date(2021, 5, 1), "position": "委员"}
    store.upsert_rels("WORKS_AT", [row], src="Person", dst="Unit")
    store.upsert_rels("WORKS_AT", [{**row, "position": "副书记（主持工作）"}],
                      src="Person", dst="Unit")
    assert store.counts()["rels"]["WORKS_AT"] == 1
    sub = store.expand(["p1"], types=["WORKS_AT"])
    assert [dict(r.props) for r in sub.rels] == [
        {"since": date(2021, 5, 1), "position": "副书记（主持工作）"}]


def test_explicit_uid_conflicting_with_existing_node_is_refused(store: Store) -> None:
    store.upsert_nodes("Unit", [{"code": "U1", "name": "那能乡党委", "uid": "unit-1"}])
    with pytest.raises(ConflictError):
        store.upsert_nodes("Unit", [{"code": "U2", "name": "新单位"},
                                    {"code": "U1", "name": "改名", "uid": "unit-other"}])
    # the whole call was refused: neither row was written
    assert store.get("Unit", "U2") is None
    unit = store.get("Unit", "U1")
    assert unit is not None and unit.uid == "unit-1" and unit.get("name") == "那能乡党委"


def test_uid_taken_by_another_key_is_refused(store: Store) -> None:
    store.upsert_nodes("Unit", [{"code": "U1", "name": "甲", "uid": "same-uid"}])
    with pytest.raises(ConflictError):
        store.upsert_nodes("Unit", [{"code": "U2", "name": "乙", "uid": "same-uid"}])
    assert store.get("Unit", "U2") is None


def test_relationships_to_missing_nodes_write_nothing_and_list_them(store: Store) -> None:
    load_regions(store)
    rows = [{"src": "532628", "dst": "530000"}, {"src": "999999", "dst": "530000"},
            {"src": "532622", "dst": "888888"}]
    with pytest.raises(MissingNodes) as err:
        store.upsert_rels("PART_OF", rows, src="Region", dst="Region")
    assert sorted(err.value.missing) == [("Region", "888888"), ("Region", "999999")]
    assert store.counts()["rels"]["PART_OF"] == 4


def test_unknown_names_are_refused_before_any_query(store: Store) -> None:
    hostile = ['Region) DETACH DELETE n //', "Region`", "' OR 1=1 --", "nodes", "Node"]
    for name in hostile:
        with pytest.raises(SchemaError):
            store.upsert_nodes(name, [{"code": "1"}])
        with pytest.raises(ValueError):
            store.find(name)
        with pytest.raises(ValueError):
            store.upsert_rels(name, [{"src": "1", "dst": "2"}], src="Region", dst="Region")
        with pytest.raises(ValueError):
            store.find("Region", order_by=name)
        with pytest.raises(ValueError):
            store.find("Region", where={name: "x"})
        with pytest.raises(ValueError):
            store.upsert_nodes("Region", [{"code": "1", name: "x"}])
        with pytest.raises(ValueError):
            store.expand(["x"], labels=[name])
    with pytest.raises(SchemaError):
        store.upsert_rels("PART_OF", [{"src": "1", "dst": "2"}], src="Unit", dst="Region")
    assert sum(store.counts()["nodes"].values()) == 0


def test_values_of_the_wrong_type_are_refused(store: Store) -> None:
    bad_rows = [{"code": "R", "name": 1}, {"code": 530000}, {"code": ""},
                {"code": "R", "name": "x", "synthetic": "yes"}]
    for row in bad_rows:
        with pytest.raises(ValidationError):
            store.upsert_nodes("Region", [row])
    with pytest.raises(ValidationError):
        store.upsert_nodes("Round", [{"code": "R1", "start": "2023-02-30"}])
    with pytest.raises(ValidationError):
        store.find("Round", where={"year": "2023"})
    assert store.count("Region") == 0


def test_hostile_values_are_stored_verbatim(store: Store) -> None:
    names = ['"}) MATCH (n) DETACH DELETE n //', "' OR 1=1 --", "`x`", "<img src=x onerror=1>",
             "a'); DROP TABLE nodes; --"]
    store.upsert_nodes("Person", [{"uid": f"p{i}", "name": n} for i, n in enumerate(names)])
    assert store.count("Person") == len(names)
    for i, name in enumerate(names):
        found = store.find("Person", where={"name": name})
        assert [n.uid for n in found.items] == [f"p{i}"]


def test_unicode_round_trip(store: Store) -> None:
    people = [{"uid": "p1", "name": "张三", "pinyin": "zhangsan"},
              {"uid": "p2", "name": "ＡＢＣ１２３　全角", "note": "全角字符"},
              {"uid": "p3", "name": "𠀀𪚥 生僻字", "note": "扩展区汉字"},
              {"uid": "p4", "name": "李四·阿布都热依木", "note": "「引号」，标点。"}]
    store.upsert_nodes("Person", people)
    for row in people:
        node = store.get("Person", row["uid"])
        assert node is not None
        assert {k: v for k, v in node.props.items()} == {k: v for k, v in row.items()
                                                         if k != "uid"}
    assert [n.uid for n in store.find("Person", where={"name": Cond(Op.PREFIX, "张")}).items] \
        == ["p1"]
    assert [n.uid for n in store.find("Person",
                                      where={"name": Cond(Op.CONTAINS, "生僻")}).items] == ["p3"]
    assert [n.uid for n in store.find("Person", where={"name": "ＡＢＣ１２３　全角"}).items] \
        == ["p2"]


def _issues(n: int) -> list[dict]:
    return [{"no": f"WT-{i:03d}", "title": f"问题{i}", "category": ("民生", "党建", "财务")[i % 3],
             "found_on": date(2023, 1 + i % 12, 1 + i % 28),
             **({"severity": ("一般", "较重", "严重")[i % 3]} if i % 4 else {})}
            for i in range(n)]


def test_find_pages_sorted_with_missing_values_last(store: Store) -> None:
    store.upsert_nodes("Issue", _issues(23))
    seen: list[str] = []
    for offset in range(0, 30, 10):
        page = store.find("Issue", order_by="severity", limit=10, offset=offset)
        assert page.total == 23
        seen += [n.key for n in page.items]
    assert len(seen) == 23 and len(set(seen)) == 23
    all_nodes = store.find("Issue", order_by="severity", limit=100).items
    severities = [n.get("severity") for n in all_nodes]
    present = [s for s in severities if s is not None]
    assert severities == present + [None] * (23 - len(present))
    assert present == sorted(present)
    desc = [n.get("severity") for n in store.find("Issue", order_by="severity",
                                                   descending=True, limit=100).items]
    assert desc[:len(present)] == sorted(present, reverse=True)
    assert desc[len(present):] == [None] * (23 - len(present))


def test_find_filters(store: Store) -> None:
    store.upsert_nodes("Issue", _issues(30))
    assert store.count("Issue", {"category": "民生"}) == 10
    assert store.count("Issue", {"category": ["民生", "党建"]}) == 20
    assert store.count("Issue", {"severity": None}) == 8
    assert store.count("Issue", {"category": Cond(Op.NE, "民生")}) == 20
    spring = {"found_on": Cond(Op.LT, date(2023, 4, 1))}
    expected = sum(1 for row in _issues(30) if row["found_on"] < date(2023, 4, 1))
    assert store.count("Issue", spring) == expected
    both = store.find("Issue", where={**spring, "category": "民生"}, limit=100)
    assert both.total == len(both.items) == sum(
        1 for r in _issues(30) if r["found_on"] < date(2023, 4, 1) and r["category"] == "民生")
    assert store.count("Issue", {"no": Cond(Op.PREFIX, "WT-01")}) == 10
    assert store.find("Issue", limit=0).total == 30


def test_paging_arguments_are_checked(store: Store) -> None:
    for kwargs in ({"limit": -1}, {"limit": 5000}, {"offset": -3}):
        with pytest.raises(ValidationError):
            store.find("Issue", **kwargs)


def _star(store: Store, leaves: int) -> str:
    store.upsert_nodes("Region", [{"code": "532628", "name": "富宁县"}])
    store.upsert_nodes("Unit", [{"code": f"U{i:03d}", "name": f"村党支部{i}"}
                                for i in range(leaves)])
    store.upsert_rels("IN_REGION", [{"src": f"U{i:03d}", "dst": "532628"}
                                    for i in range(leaves)], src="Unit", dst="Region")
    store.upsert_nodes("Department", [{"code": "D1", "name": "富宁县纪委监委"}])
    store.upsert_rels("IN_REGION", [{"src": "D1", "dst": "532628"}], src="Department",
                      dst="Region")
    hub = store.get("Region", "532628")
    assert hub is not None
    return hub.uid


def test_expansion_is_capped_and_says_what_it_left_out(store: Store) -> None:
    hub = _star(store, 50)
    full = store.expand([hub])
    assert not full.capped and len(full.nodes) == 52 and len(full.rels) == 51
    cut = store.expand([hub], limit=10)
    assert cut.capped and len(cut.nodes) == 10
    kept = {n.uid for n in cut.nodes}
    assert all(r.src in kept and r.dst in kept for r in cut.rels)
    # neighbours come in uid order, so the cut is predictable
    neighbours = sorted((n.uid, n.label) for n in full.nodes if n.uid != hub)
    assert kept == {hub, *(uid for uid, _ in neighbours[:9])}
    left_out: dict[str, int] = {}
    for _, label in neighbours[9:]:
        left_out[label] = left_out.get(label, 0) + 1
    assert dict(cut.omitted) == left_out and sum(left_out.values()) == 42
    only_units = store.expand([hub], labels=["Unit"], limit=100)
    assert {n.label for n in only_units.nodes} == {"Region", "Unit"} and not only_units.capped


def test_capped_expansion_past_a_hub_keeps_every_relationship_between_held_nodes(
        store: Store) -> None:
    # One unit, three cadres working there, each also working at the same 40 other units:
    # the second hop meets 123 relationships, far more than a cap of 10 needs to read.
    store.upsert_nodes("Unit", [{"code": f"U{i:03d}", "name": f"村党支部{i}"}
                                for i in range(41)])
    store.upsert_nodes("Person", [{"uid": f"p{i}", "name": f"干部{i}"} for i in range(3)])
    store.upsert_rels("WORKS_AT", [{"src": f"p{p}", "dst": f"U{u:03d}"}
                                   for p in range(3) for u in range(41)],
                      src="Person", dst="Unit")
    start = store.get("Unit", "U000")
    assert start is not None
    full = store.expand([start.uid], depth=2, limit=1000)
    cut = store.expand([start.uid], depth=2, limit=10)
    kept = {n.uid for n in cut.nodes}
    others = sorted(n.uid for n in full.nodes if n.label == "Unit" and n.uid != start.uid)
    assert kept == {start.uid, *(f"p{i}" for i in range(3)), *others[:6]}
    # each held unit is tied to all three cadres, whatever its place in the neighbour order
    assert len(cut.rels) == 3 + 6 * 3
    assert all(r.src in kept and r.dst in kept for r in cut.rels)
    assert dict(cut.omitted) == {"Unit": 34}


def test_expansion_depth_and_type_filters(store: Store) -> None:
    load_regions(store)
    store.upsert_nodes("Unit", [{"code": "U1", "name": "那能乡党委"}])
    store.upsert_rels("IN_REGION", [{"src": "U1", "dst": "532628"}], src="Unit", dst="Region")
    unit = store.get("Unit", "U1")
    assert unit is not None
    names = lambda sub: sorted(n.get("name") for n in sub.nodes)  # noqa: E731
    assert names(store.expand([unit.uid], depth=1)) == ["富宁县", "那能乡党委"]
    two_hops = ["富宁县", "文山壮族苗族自治州", "那能乡党委"]
    assert names(store.expand([unit.uid], depth=2)) == two_hops
    assert len(store.expand([unit.uid], depth=3).nodes) == 5
    assert names(store.expand([unit.uid], depth=3, types=["PART_OF"])) == ["那能乡党委"]
    region = store.get("Region", "532628")
    assert region is not None
    from collab.graph.store import Direction
    up = store.expand([region.uid], depth=3, types=["PART_OF"], direction=Direction.OUT)
    assert names(up) == ["云南省", "富宁县", "文山壮族苗族自治州"]
    with pytest.raises(ValidationError):
        store.expand([unit.uid], depth=4)
    assert store.expand(["no-such-uid"]).nodes == []


def _diamond(store: Store) -> dict[str, str]:
    """Two people linked through two units, and a longer way round through a clue."""
    store.upsert_nodes("Person", [{"uid": "pa", "name": "甲"}, {"uid": "pb", "name": "乙"},
                                  {"uid": "pc", "name": "丙"}])
    store.upsert_nodes("Unit", [{"code": "U1", "name": "单位一"}, {"code": "U2", "name": "单位二"}])
    store.upsert_rels("WORKS_AT", [{"src": "pa", "dst": "U1"}, {"src": "pa", "dst": "U2"},
                                   {"src": "pb", "dst": "U1"}, {"src": "pb", "dst": "U2"}],
                      src="Person", dst="Unit")
    store.upsert_rels("RELATED_TO", [{"src": "pb", "dst": "pc", "kind": "spouse"}],
                      src="Person", dst="Person")
    return {"a": "pa", "b": "pb", "c": "pc"}


def test_shortest_paths(store: Store) -> None:
    ids = _diamond(store)
    paths = store.shortest_paths(ids["a"], ids["b"])
    assert [[n.get("name") for n in p.nodes] for p in paths] == [["甲", "单位一", "乙"],
                                                                  ["甲", "单位二", "乙"]]
    assert all([r.type for r in p.rels] == ["WORKS_AT", "WORKS_AT"] for p in paths)
    three = store.shortest_paths(ids["a"], ids["c"])
    assert [len(p.rels) for p in three] == [3, 3]
    assert three[0].rels[-1].type == "RELATED_TO"
    assert store.shortest_paths(ids["a"], ids["c"], max_hops=2) == []
    assert store.shortest_paths(ids["a"], ids["c"], types=["WORKS_AT"]) == []
    assert len(store.shortest_paths(ids["a"], ids["b"], limit=1)) == 1
    assert store.shortest_paths(ids["a"], "nobody") == []
    assert [n.uid for n in store.shortest_paths(ids["a"], ids["a"])[0].nodes] == ["pa"]


def test_transaction_commits_together(store: Store) -> None:
    with store.transaction() as tx:
        tx.upsert_nodes("Clue", [{"no": "XS-1", "title": "线索一"}])
        tx.upsert_nodes("Case", [{"no": "AJ-1", "title": "案件一"}])
        assert tx.get("Clue", "XS-1") is not None  # reads see the transaction's own writes
        tx.upsert_rels("BECAME", [{"src": "XS-1", "dst": "AJ-1"}], src="Clue", dst="Case")
    assert store.counts()["rels"]["BECAME"] == 1


def test_transaction_rolls_back_on_error(store: Store) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with store.transaction() as tx:
            tx.upsert_nodes("Clue", [{"no": "XS-1", "title": "线索一"}])
            raise Boom
    assert store.get("Clue", "XS-1") is None

    def convert(tx: Store) -> None:
        tx.upsert_nodes("Clue", [{"no": "XS-2", "title": "线索二"}])
        tx.upsert_rels("BECAME", [{"src": "XS-2", "dst": "AJ-404"}], src="Clue", dst="Case")

    with pytest.raises(MissingNodes):
        store.write(convert)
    assert store.get("Clue", "XS-2") is None
    assert store.write(lambda tx: tx.upsert_nodes("Clue", [{"no": "XS-3"}])) == 1


def test_nested_transaction_joins_the_outer_one(store: Store) -> None:
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.upsert_nodes("Clue", [{"no": "XS-1"}])
    with store.transaction() as tx:
        with tx.transaction() as inner:
            inner.upsert_nodes("Clue", [{"no": "XS-2"}])
    assert store.get("Clue", "XS-2") is not None


def test_get_by_uid_whatever_the_label(store: Store) -> None:
    load_regions(store)
    store.upsert_nodes("Person", [{"uid": "p-1", "name": "王五"}])
    person = store.get_uid("p-1")
    assert person is not None and person.label == "Person" and person.get("name") == "王五"
    region = store.get_uid(derive_uid("Region", "530000"))
    assert region is not None and region.label == "Region" and region.key == "530000"
    assert store.get_uid("missing") is None


def test_init_schema_twice_changes_nothing(store: Store) -> None:
    before = store.schema_objects()
    assert store.init_schema() == []
    assert store.schema_objects() == before


COUNT_BY_LEVEL = NamedQuery(
    name="regions by level under a prefix",
    cypher="""MATCH (r:Region) WHERE r.code STARTS WITH $prefix AND r.level IN $levels
              RETURN r.level AS level, count(*) AS n ORDER BY level""",
    sql="""SELECT json_extract(props, '$.level') AS level, count(*) AS n FROM nodes
           WHERE label = 'Region' AND key >= :prefix AND key < :prefix || char(1114111)
             AND json_extract(props, '$.level') IN (SELECT value FROM json_each(:levels))
           GROUP BY level ORDER BY level""",
    columns=("level", "n"),
)


def test_named_queries_answer_alike(store: Store) -> None:
    load_regions(store)
    rows = store.run(COUNT_BY_LEVEL, prefix="53", levels=["county", "prefecture"])
    assert rows == [{"level": "county", "n": 2}, {"level": "prefecture", "n": 2}]
    assert store.run(COUNT_BY_LEVEL, prefix="5326", levels=("county",)) == [
        {"level": "county", "n": 2}]
    with store.transaction() as tx:
        assert tx.run(COUNT_BY_LEVEL, prefix="99", levels=["county"]) == []


def test_lock_prevents_lost_updates_between_concurrent_writers(store: Store) -> None:
    store.upsert_nodes("JointCheck", [{"no": "JC-1", "version": 0}])

    def bump(tx: Store) -> None:
        node = tx.lock("JointCheck", "JC-1")
        assert node is not None
        tx.upsert_nodes("JointCheck", [{"no": "JC-1", "version": node.get("version") + 1}])

    def worker() -> None:
        for _ in range(15):
            store.write(bump)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    node = store.get("JointCheck", "JC-1")
    assert node is not None and node.get("version") == 45
    assert store.lock("JointCheck", "missing") is None


def test_scan_pages_through_every_node_in_uid_order(store: Store) -> None:
    load_regions(store)
    store.upsert_nodes("Person", [{"uid": f"p{i:02d}", "name": f"人{i}"} for i in range(7)])
    seen, after = [], ""
    while page := store.scan(after=after, limit=3):
        assert len(page) <= 3
        seen += page
        after = page[-1].uid
    assert [n.uid for n in seen] == sorted(n.uid for n in seen)
    assert len(seen) == 12 and {n.label for n in seen} == {"Region", "Person"}
    assert next(n for n in seen if n.uid == "p03").props == {"name": "人3"}


def test_delete_rels_removes_what_exists_and_ignores_the_rest(store: Store) -> None:
    store.upsert_nodes("Unit", [{"code": "U1", "name": "那能村党支部"},
                                {"code": "U2", "name": "江那镇党委"}])
    store.upsert_nodes("Issue", [{"no": "I1", "title": "问题一"}, {"no": "I2", "title": "问题二"}])
    store.upsert_rels("CONCERNS", [{"src": "I1", "dst": "U1"}, {"src": "I2", "dst": "U1"},
                                   {"src": "I2", "dst": "U2"}], src="Issue", dst="Unit")
    gone = store.delete_rels("CONCERNS", [{"src": "I2", "dst": "U1"}, {"src": "I1", "dst": "U2"},
                                          {"src": "无此问题", "dst": "U1"}],
                             src="Issue", dst="Unit")
    assert gone == 1
    assert store.counts()["rels"]["CONCERNS"] == 2
    issue = store.get("Issue", "I2")
    assert [r.dst for r in store.expand([issue.uid], types=["CONCERNS"]).rels] == \
        [store.get("Unit", "U2").uid]
    with pytest.raises(SchemaError):
        store.delete_rels("CONCERNS", [{"src": "I1", "dst": "U1"}], src="Unit", dst="Issue")


def test_nodes_and_pages_go_past_any_page_cap_in_order(store: Store) -> None:
    store.upsert_nodes("Clue", [{"no": f"XS-{i:05d}", "title": f"线索{i}",
                                 "status": "closed" if i % 3 else "registered"}
                                for i in range(2_350)])
    every = store.read(lambda tx: [n.key for n in tx.nodes("Clue")])
    assert every == sorted(every) and len(every) == 2_350
    pages = store.read(lambda tx: [len(p) for p in tx.pages("Clue", size=1_000)])
    assert pages == [1_000, 1_000, 350]
    newest = store.read(lambda tx: [n.key for n in tx.nodes("Clue", descending=True)])
    assert newest == every[::-1]
    open_ = store.read(lambda tx: [n.key for n in tx.nodes(
        "Clue", where={"status": "registered"}, order_by="title")])
    assert len(open_) == 784 and set(open_) == {k for i, k in enumerate(every) if i % 3 == 0}
    given = store.read(lambda tx: [n.key for n in tx.nodes("Clue", where={
        "no": every[100:1_300]})])  # a filter on the key itself: pages by position
    assert given == every[100:1_300]
    assert [n.key for n in store.nodes("Clue", where={"no": Cond(Op.PREFIX, "XS-0000")})] \
        == every[:10]


def test_nodes_of_a_label_keyed_by_uid(store: Store) -> None:
    store.upsert_nodes("Person", [{"uid": f"P-{i:05d}", "name": "张三"} for i in range(1_205)])
    uids = store.read(lambda tx: [n.uid for n in tx.nodes("Person")])
    assert uids == sorted(uids) and len(set(uids)) == 1_205


def test_walk_gives_every_node_and_relationship_once(store: Store) -> None:
    load_regions(store)
    pages = list(store.walk(batch=2))
    assert [len(nodes) for nodes, _ in pages] == [2, 2, 1]
    assert sorted(n.key for nodes, _ in pages for n in nodes) == sorted(r["code"]
                                                                       for r in REGIONS)
    rels = sorted((r.src, r.dst) for _, out in pages for r, _ in out)
    assert rels == sorted((derive_uid("Region", r["src"]), derive_uid("Region", r["dst"]))
                          for r in PART_OF)


def test_a_new_store_holds_the_current_schema_version(store: Store) -> None:
    assert store.schema_version() == schema.VERSION
    store.set_schema_version(1)
    assert store.schema_version() == 1
    store.init_schema()  # making the schema again keeps the version the store holds
    assert store.schema_version() == 1
    store.set_schema_version(schema.VERSION)
    assert store.schema_version() == schema.VERSION
