"""Words typed into a search (`Op.WORDS`): the same answers on both engines (ids `sqlite` and
`neo4j`), found through each engine's full-text index — SQLite's FTS5 trigram table, Neo4j's
CJK full-text index — and exactly the nodes whose text holds the words as typed."""

from __future__ import annotations

import pytest

from collab.errors import ValidationError
from collab.graph import schema
from collab.graph.neo4j_engine import Neo4jStore
from collab.graph.query import compose
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Cond, Op, Store, _filters

CLUES = [
    {"no": "XS-1", "title": "关于扶贫资金被挪用的问题线索", "summary": "村干部虚报冒领危房改造补助",
     "status": "registered", "region_code": "532628"},
    {"no": "XS-2", "title": "2024年扶贫项目资金", "summary": "PPP项目中标单位围标串标",
     "status": "registered", "region_code": "532628"},
    {"no": "XS-3", "title": "扶贫", "summary": "王某某，“资金”去向不明（含“引号”）",
     "status": "transferred", "region_code": "532622"},
    {"no": "XS-4", "title": "低保金发放不规范", "status": "registered", "region_code": "532622"},
]


def words(store: Store, prop: str, text: str, label: str = "Clue", **more: object) -> list[str]:
    where = {prop: Cond(Op.WORDS, text), **more}
    found = sorted(n.key for n in store.find(label, where=where, limit=100).items)
    assert store.count(label, where) == len(found)
    return found


@pytest.fixture
def clues(store: Store) -> Store:
    store.upsert_nodes("Clue", CLUES)
    return store


@pytest.mark.parametrize(("prop", "text", "expected"), [
    ("title", "扶贫资金", ["XS-1"]),            # four characters: a phrase, in order
    ("title", "扶贫项目资金", ["XS-2"]),
    ("title", "扶贫", ["XS-1", "XS-2", "XS-3"]),  # two characters: shorter than a trigram
    ("title", "贫", ["XS-1", "XS-2", "XS-3"]),    # one character
    ("title", "资金扶贫", []),                   # the same characters, another order
    ("title", "2024年扶贫", ["XS-2"]),           # digits and Han characters together
    ("title", "4年扶", ["XS-2"]),                # cut inside a number
    ("summary", "PPP", ["XS-2"]),
    ("summary", "ppp", []),                      # as typed: the case counts, as in CONTAINS
    ("summary", "P项目中", ["XS-2"]),
    ("summary", "“资金”", ["XS-3"]),             # full-width quotes
    ("summary", "（含“引号”）", ["XS-3"]),
    ("summary", "王某某，", ["XS-3"]),
    ("summary", "危房改造补助", ["XS-1"]),
    ("summary", "扶贫资金", []),                 # in the title only: the property counts
    ("title", "", ["XS-1", "XS-2", "XS-3", "XS-4"]),
])
def test_words_are_found_as_typed(clues: Store, prop: str, text: str,
                                  expected: list[str]) -> None:
    assert words(clues, prop, text) == expected
    contains = sorted(n.key for n in clues.find(
        "Clue", where={prop: Cond(Op.CONTAINS, text)}, limit=100).items)
    assert contains == expected  # the index changes the speed, never the answer


@pytest.mark.parametrize("text", ['"', '""', "扶贫\"OR\"", "*", "title:扶贫", "扶贫 OR 资金",
                                  "(扶贫", "扶贫)", "NEAR(扶贫", "\\扶贫", "扶贫~2", "扶贫^3",
                                  "'; DROP TABLE nodes; --", "扶贫\x00资金"])
def test_query_syntax_is_only_text(clues: Store, text: str) -> None:
    """Characters that mean something to FTS5 or Lucene are looked for, not obeyed."""
    assert words(clues, "title", text) == []
    assert words(clues, "title", "扶贫资金") == ["XS-1"]  # the store is untouched


def test_words_join_the_other_filters(clues: Store) -> None:
    assert words(clues, "title", "扶贫", region_code="532622") == ["XS-3"]
    assert words(clues, "title", "扶贫资", status="transferred") == []
    page = clues.find("Clue", where={"title": Cond(Op.WORDS, "扶贫")}, order_by="no",
                      descending=True, limit=2, offset=1)
    assert [n.key for n in page.items] == ["XS-2", "XS-1"] and page.total == 3


def test_the_index_follows_every_write(clues: Store) -> None:
    clues.upsert_nodes("Clue", [{"no": "XS-1", "title": "工程项目围标串标"}])
    assert words(clues, "title", "扶贫资金") == []
    assert words(clues, "title", "围标串标") == ["XS-1"]
    assert words(clues, "summary", "危房改造") == ["XS-1"]  # the property not written stays
    clues.upsert_nodes("Clue", [{"no": "XS-1", "summary": None}])
    assert words(clues, "summary", "危房改造") == []

    def inside(tx: object) -> list[str]:  # a transaction sees its own writes
        tx.upsert_nodes("Clue", [{"no": "XS-9", "title": "违规发放津贴补贴"}])  # type: ignore[attr-defined]
        return sorted(n.key for n in tx.find(  # type: ignore[attr-defined]
            "Clue", where={"title": Cond(Op.WORDS, "津贴补贴")}).items)

    assert clues.write(inside) == ["XS-9"]


def test_each_label_searches_its_own_text(store: Store) -> None:
    store.upsert_nodes("Issue", [{"no": "WT-1", "title": "整改不到位",
                                  "description": "食堂经费超标准列支"}])
    store.upsert_nodes("Case", [{"no": "AJ-1", "title": "食堂经费案"}])
    store.upsert_nodes("Rectification", [{"no": "ZG-1", "title": "食堂经费清退"}])
    assert words(store, "description", "经费超标准", "Issue") == ["WT-1"]
    assert words(store, "title", "食堂经费", "Case") == ["AJ-1"]
    assert words(store, "title", "食堂经费", "Rectification") == ["ZG-1"]
    assert words(store, "title", "食堂经费", "Issue") == []


def test_only_text_properties_are_searched_as_words(store: Store) -> None:
    with pytest.raises(ValidationError, match="not searched as words"):
        store.find("Clue", where={"status": Cond(Op.WORDS, "registered")})
    with pytest.raises(ValidationError, match="not searched as words"):
        store.find("Unit", where={"name": Cond(Op.WORDS, "乌峰")})
    with pytest.raises(ValidationError, match="needs a string"):
        store.find("Clue", where={"title": Cond(Op.WORDS, 5)})


def test_every_text_property_is_a_string_the_label_has() -> None:
    for node in schema.NODES.values():
        for prop in node.text:
            assert schema.prop(node, prop) is schema.T.STR, (node.label, prop)


def test_sqlite_reads_words_from_its_trigram_table(sqlite_graph: SqliteStore) -> None:
    from collab.graph.sqlite_engine import _FIND, _hint, _order, _where
    node = schema.label("Clue")
    for text, read in (("扶贫资金", "VIRTUAL TABLE INDEX 0:M"),  # looked up by its trigrams
                       ("扶贫", "VIRTUAL TABLE INDEX 0:")):  # each row of the table, not JSON
        filters = _filters(node, {"title": Cond(Op.WORDS, text), "region_code": "532628"})
        where, params = _where(node, filters)
        sql = compose(_FIND, hint=_hint(node, filters), where=where,
                      order=_order(node, None, False))
        plan = " | ".join(r[3] for r in sqlite_graph._conn().execute(
            "EXPLAIN QUERY PLAN " + sql, [*params, 10, 0]))
        assert f"SCAN node_text {read}" in plan and "INTEGER PRIMARY KEY" in plan, plan


def test_neo4j_reads_words_from_its_cjk_index(neo4j_graph: Neo4jStore) -> None:
    from collab.graph.neo4j_engine import _FIND, _conditions, _match, _words
    with neo4j_graph.driver.session() as s:
        found = {r["name"]: r for r in s.run(
            "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, options")}
    clue = found["ft__Clue"]
    assert clue["labelsOrTypes"] == ["Clue"] and clue["properties"] == ["title", "summary"]
    assert clue["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"
    assert {n.label for n in schema.NODES.values() if n.text} == \
        {name.removeprefix("ft__") for name in found}
    node = schema.label("Clue")
    filters = _filters(node, {"title": Cond(Op.WORDS, "2024年扶贫项目"), "region_code": "532628"})
    words_ = _words(node, filters)
    assert words_ == {"index": "ft__Clue", "words": 'title:"年扶贫项目"'}
    where, params = _conditions(filters)
    query = compose(_FIND, match=_match(node, words_), where=where, order=compose("n.uid"))
    with neo4j_graph.driver.session() as s:
        plan = str(s.run("EXPLAIN " + query, offset=0, limit=10, **params, **words_)
                   .consume().plan)
    assert "ProcedureCall" in plan and "NodeByLabelScan" not in plan, plan
    assert _words(node, _filters(node, {"title": Cond(Op.WORDS, "贫")})) is None
    assert _words(node, _filters(node, {"summary": Cond(Op.WORDS, "PPP")})) is None
