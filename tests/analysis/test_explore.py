"""The explorer: search (pinyin too), capped expansion that says what it cut, paths, scope."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from collab.access import idnumbers
from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.access.idnumbers import IdKey
from collab.analysis import explore
from collab.cases import pinyin
from collab.cli import main
from collab.errors import NotFound, ValidationError
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Store

XSS = "<img src=x onerror=alert(1)>"
EVERYWHERE = Authz(Actor("省巡察办"))
WENSHAN = Authz(Actor("文山州巡察办", region="532600"))
ZHAOTONG = Authz(Actor("昭通市巡察办", region="530600"))
WORKERS = 30
OUTSIDERS = 5


def people(*rows: tuple[str, str, str]) -> list[dict]:
    return [pinyin.with_pinyin("Person", {"uid": uid, "name": name, "region_code": region})
            for uid, name, region in rows]


@pytest.fixture
def graph(store: Store) -> Store:
    return build(store)


def build(store: Store) -> Store:
    """A township unit in 文山, its people, one issue and clue, and a 昭通 relative between them.

    张三 and 李四 are two hops apart through 王五 of 昭通, and three hops apart (two ways)
    inside 文山: through the unit and the issue, and through the clue and the issue.
    """
    store.upsert_nodes("Region", [{"code": c, "name": n} for c, n in (
        ("532600", "文山壮族苗族自治州"), ("532628", "富宁县"), ("532628107", "那能乡"),
        ("530600", "昭通市"))])
    store.upsert_nodes("Unit", [{"code": "U-NN", "name": "中共富宁县那能乡委员会",
                                 "region_code": "532628107"}])
    store.upsert_rels("IN_REGION", [{"src": "U-NN", "dst": "532628107"}], src="Unit",
                      dst="Region")
    store.upsert_nodes("Person", people(("P1", "张三", "532628107"), ("P2", "李四", "532628107"),
                                        ("P3", "王五", "530602"), ("P4", XSS, "532628107")))
    store.upsert_nodes("Person", people(*[(f"PW{i:02d}", f"干部{i}", "532628107")
                                          for i in range(WORKERS)]))
    store.upsert_nodes("Person", people(*[(f"PZ{i:02d}", f"外地{i}", "530602")
                                          for i in range(OUTSIDERS)]))
    works = ["P1", "P4"] + [f"PW{i:02d}" for i in range(WORKERS)] + \
        [f"PZ{i:02d}" for i in range(OUTSIDERS)]
    store.upsert_rels("WORKS_AT", [{"src": p, "dst": "U-NN"} for p in works], src="Person",
                      dst="Unit")
    store.upsert_rels("RELATED_TO", [{"src": "P1", "dst": "P3", "kind": "kin"},
                                     {"src": "P3", "dst": "P2", "kind": "business"}],
                      src="Person", dst="Person")
    store.upsert_nodes("Issue", [{"no": "I-1", "title": "养老金未发放",
                                  "region_code": "532628107"}])
    store.upsert_rels("CONCERNS", [{"src": "I-1", "dst": "U-NN"}], src="Issue", dst="Unit")
    store.upsert_rels("INVOLVES", [{"src": "I-1", "dst": "P2"}], src="Issue", dst="Person")
    store.upsert_nodes("Clue", [{"no": "C-1", "title": "未跟进养老金发放",
                                 "region_code": "532628107"}])
    store.upsert_rels("FROM_ISSUE", [{"src": "C-1", "dst": "I-1"}], src="Clue", dst="Issue")
    store.upsert_rels("AGAINST", [{"src": "C-1", "dst": "P1"}], src="Clue", dst="Person")
    return store


def uid_of(store: Store, label: str, key: str) -> str:
    node = store.get(label, key)
    assert node is not None
    return node.uid


def test_pinyin_and_initials_are_filled_at_write_time() -> None:
    assert pinyin.pinyin_of("张三") == {"pinyin": "zhangsan", "initials": "zs"}
    row = pinyin.with_pinyin("Unit", {"code": "U", "name": "那能乡"})
    assert (row["pinyin"], row["initials"]) == ("nanengxiang", "nnx")
    assert "pinyin" not in pinyin.with_pinyin("Issue", {"no": "I", "name": "x"})


@pytest.mark.parametrize("q", ["张三", "张", "zhangsan", "zhang", "zs", "ＺＳ", " zhang san "])
def test_a_chinese_name_is_found_by_characters_pinyin_and_initials(graph: Store, q: str) -> None:
    hits = graph.read(lambda tx: explore.search(tx, authz=EVERYWHERE, q=q))
    assert "P1" in [h.node.uid for h in hits]


def test_search_by_number_uid_and_id_number(graph: Store) -> None:
    key = IdKey.from_secret(bytes.fromhex("ab" * 32))
    number = "53262819500307123" + idnumbers.check_digit("53262819500307123")
    fields = idnumbers.person_fields(key, number)
    graph.upsert_nodes("Person", [{**fields, "name": "赵六", "region_code": "532628107"}])
    for q, uid in (("U-NN", uid_of(graph, "Unit", "U-NN")), ("P2", "P2"),
                   (number, fields["uid"])):
        hits = graph.read(lambda tx, q=q: explore.search(tx, authz=EVERYWHERE, q=q, key=key))
        assert hits[0].node.uid == uid and hits[0].rank == 0


def test_search_never_finds_what_is_out_of_reach(graph: Store) -> None:
    assert graph.read(lambda tx: explore.search(tx, authz=WENSHAN, q="王五")) == []
    assert graph.read(lambda tx: explore.search(tx, authz=WENSHAN, q="wangwu")) == []
    assert [h.node.uid for h in graph.read(
        lambda tx: explore.search(tx, authz=ZHAOTONG, q="王五"))] == ["P3"]
    outside = graph.read(lambda tx: explore.search(tx, authz=WENSHAN, q="外地", limit=50))
    assert outside == []
    with pytest.raises(ValidationError):
        graph.read(lambda tx: explore.search(tx, authz=EVERYWHERE, q="  "))


def test_fill_pinyin_backfills_names_written_without_it(graph: Store) -> None:
    graph.upsert_nodes("Unit", [{"code": "U-X", "name": "富宁县人社局", "region_code": "532628"}])
    graph.upsert_nodes("Unit", [{"code": f"U-D{i}", "name": "同名村", "region_code": "532628"}
                                for i in range(5)] + [{"code": "U-E", "name": ""}])
    assert graph.write(lambda tx: pinyin.fill_pinyin(tx, labels=["Unit"], batch=2)) == 7
    assert graph.count("Unit", {"pinyin": None}) == 1  # the one without a name
    assert graph.get("Unit", "U-X").get("initials") == "fnxrsj"
    hits = graph.read(lambda tx: explore.search(tx, authz=EVERYWHERE, q="fnxrs"))
    assert [h.node.key for h in hits] == ["U-X"]


def test_expansion_is_capped_and_tells_what_was_cut(graph: Store) -> None:
    unit = uid_of(graph, "Unit", "U-NN")
    view = graph.read(lambda tx: explore.expand(tx, authz=EVERYWHERE, uids=[unit], limit=10))
    assert len(view.nodes) == 10 and view.capped
    neighbours = 2 + WORKERS + OUTSIDERS + 2  # people, the issue and the region
    assert sum(view.omitted.values()) == neighbours - 9
    data = view.to_json()
    assert data["capped"] and "未显示" in data["hint"] and len(data["nodes"]) == 10
    held = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in held and e["to"] in held for e in data["edges"])
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    whole = graph.read(lambda tx: explore.expand(tx, authz=EVERYWHERE, uids=[unit]))
    assert not whole.capped and len(whole.nodes) == neighbours + 1 and whole.hint() == ""


def test_expansion_by_label_and_type_and_depth(graph: Store) -> None:
    view = graph.read(lambda tx: explore.expand(tx, authz=EVERYWHERE, uids=["P1"],
                                                types=["WORKS_AT"]))
    assert sorted(n.label for n in view.nodes) == ["Person", "Unit"]
    two = graph.read(lambda tx: explore.expand(tx, authz=EVERYWHERE, uids=["P1"], depth=2,
                                               labels=["Issue", "Clue", "Unit"]))
    assert {n.key for n in two.nodes if n.label != "Person"} == {"U-NN", "C-1", "I-1"}
    with pytest.raises(ValidationError):
        graph.read(lambda tx: explore.expand(tx, authz=EVERYWHERE, uids=["P1"], depth=4))


def test_a_scoped_expansion_neither_shows_nor_counts_what_is_out_of_reach(graph: Store) -> None:
    unit = uid_of(graph, "Unit", "U-NN")
    capped = graph.read(lambda tx: explore.expand(tx, authz=WENSHAN, uids=[unit], limit=10))
    visible_neighbours = 2 + WORKERS + 2  # 文山's people, the issue and the region
    assert sum(capped.omitted.values()) == visible_neighbours - 9
    full = graph.read(lambda tx: explore.expand(tx, authz=WENSHAN, uids=[unit], depth=3))
    shown = json.dumps(full.to_json(), ensure_ascii=False)
    assert "530602" not in shown and "王五" not in shown and "外地" not in shown
    assert all(n.get("region_code", n.get("code", "")).startswith("5326") for n in full.nodes)
    with pytest.raises(NotFound):
        graph.read(lambda tx: explore.expand(tx, authz=WENSHAN, uids=["P3"]))
    liaison = Authz(Actor("联络员", role="liaison", department="D1"))
    with pytest.raises(NotFound):
        graph.read(lambda tx: explore.expand(tx, authz=liaison, uids=[unit]))


def test_a_hostile_name_stays_plain_text(graph: Store) -> None:
    view = graph.read(lambda tx: explore.expand(tx, authz=EVERYWHERE, uids=["P4"]))
    node = next(n for n in view.to_json()["nodes"] if n["id"] == "P4")
    assert node["label"] == XSS and ["name", XSS] in node["facts"]


def test_shortest_paths_on_a_known_graph(graph: Store) -> None:
    [route] = graph.read(lambda tx: explore.paths(tx, authz=EVERYWHERE, a="P1", b="P2"))
    assert [n.uid for n in route.nodes] == ["P1", "P3", "P2"]
    assert route.text() == "Person:张三 -[RELATED_TO]-> Person:王五 -[RELATED_TO]-> Person:李四"


def test_scoped_paths_go_only_through_visible_nodes(graph: Store) -> None:
    routes = graph.read(lambda tx: explore.paths(tx, authz=WENSHAN, a="P1", b="P2"))
    keys = [[n.key for n in r.nodes] for r in routes]
    assert sorted(keys) == [["P1", "C-1", "I-1", "P2"], ["P1", "U-NN", "I-1", "P2"]]
    assert all("王五" not in r.text() for r in routes)
    assert [[n.uid for n in r.nodes] for r in routes] == sorted([n.uid for n in r.nodes]
                                                                for r in routes)
    assert ("Person:张三 <-[AGAINST]- Clue:未跟进养老金发放 -[FROM_ISSUE]-> Issue:养老金未发放 "
            "-[INVOLVES]-> Person:李四") in [r.text() for r in routes]
    assert graph.read(lambda tx: explore.paths(tx, authz=WENSHAN, a="P1", b="P2",
                                               max_hops=2)) == []
    with pytest.raises(NotFound):
        graph.read(lambda tx: explore.paths(tx, authz=WENSHAN, a="P1", b="P3"))


def test_the_commands_search_connect_and_analyse(sqlite_graph: SqliteStore,
                                                  tmp_path: Path) -> None:
    build(sqlite_graph)
    sqlite_graph.upsert_nodes("Unit", [{"code": "U-FN", "name": "富宁县人社局",
                                        "region_code": "532628"}])
    db = ["--database", str(sqlite_graph.path)]
    runner = CliRunner()
    filled = runner.invoke(main, ["fill-pinyin", *db]).output
    assert "filled pinyin for 6 nodes" in filled  # 4 regions and 2 units
    found = runner.invoke(main, ["search", "zs", *db])
    assert found.exit_code == 0 and "张三" in found.output and "[P1]" in found.output
    assert "U-FN" not in runner.invoke(main, ["search", "fnxrsj", *db]).output  # uid shown
    assert "富宁县人社局" in runner.invoke(main, ["search", "fnxrsj", *db]).output
    linked = runner.invoke(main, ["connect", "张三", "李四", "--region", "532600", *db])
    assert linked.exit_code == 0 and len(linked.output.strip().splitlines()) == 2
    assert "王五" not in linked.output
    ambiguous = runner.invoke(main, ["connect", "干部", "李四", *db])
    assert ambiguous.exit_code == 1 and "names no single node" in ambiguous.output
    out = tmp_path / "rank.xlsx"
    ranked = runner.invoke(main, ["analyse", "rank", "--export", str(out), *db])
    assert ranked.exit_code == 0 and "张三" in ranked.output and out.exists()
    elsewhere = runner.invoke(main, ["search", "王五", "--region", "532600", *db])
    assert elsewhere.exit_code == 1 and "nothing found" in elsewhere.output
