"""Backup and restore across engines: SQLite → dump → Neo4j → dump → SQLite, nothing changed."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from collab.errors import CollabError, ValidationError
from collab.graph import dump
from collab.graph.neo4j_engine import Neo4jStore
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Store


def sqlite_store(path: Path) -> SqliteStore:
    store = SqliteStore(path)
    store.init_schema()
    return store


def _fill(store: Store) -> None:
    store.upsert_nodes("Region", [{"code": "532628", "name": "富宁县", "level": "county"}])
    store.upsert_nodes("Unit", [{"code": f"U{i}", "name": f"村党支部{i}", "region_code": "532628"}
                                for i in range(12)])
    store.upsert_rels("IN_REGION", [{"src": f"U{i}", "dst": "532628"} for i in range(12)],
                      src="Unit", dst="Region")
    store.upsert_nodes("Person", [{"uid": "p-1", "name": "张三", "birth_date": date(1961, 3, 9)},
                                  {"uid": "p-2", "name": "ＡＢＣ　全角", "synthetic": True}])
    store.upsert_rels("RELATED_TO", [{"src": "p-1", "dst": "p-2", "kind": "spouse"}],
                      src="Person", dst="Person")
    store.upsert_rels("WORKS_AT", [{"src": "p-1", "dst": "U3", "since": date(2020, 1, 2),
                                    "position": "支部书记"}], src="Person", dst="Unit")
    store.upsert_nodes("Case", [{"no": "AJ-1", "funds_recovered": 2_000_000.5,
                                 "sanctions": ["党纪处分:警告", "组织处理"],
                                 "filed_on": date(2023, 6, 30)}])
    at = datetime(2023, 6, 30, 8, tzinfo=UTC)
    store.upsert_nodes("Event", [{"uid": "e-1", "kind": "transition", "object_label": "Case",
                                  "object_key": "AJ-1", "at": at}])
    store.upsert_rels("EVENT_OF", [{"src": "e-1", "dst": "AJ-1"}], src="Event", dst="Case")


def _snapshot(store: Store) -> tuple[list, list]:
    nodes, after = [], ""
    while page := store.scan(after=after, limit=4):
        nodes += [(n.uid, n.label, dict(n.props)) for n in page]
        after = page[-1].uid
    sub = store.expand([uid for uid, _, _ in nodes], limit=10_000)
    rels = sorted((r.type, r.src, r.dst, sorted(r.props.items())) for r in sub.rels)
    return nodes, rels


@pytest.mark.neo4j
def test_round_trip_through_both_engines(tmp_path: Path, sqlite_graph: SqliteStore,
                                         neo4j_graph: Neo4jStore) -> None:
    _fill(sqlite_graph)
    original = _snapshot(sqlite_graph)
    first = dump.backup(sqlite_graph, tmp_path / "a.dump.gz")
    assert (first.nodes, first.rels) == (17, 15)
    restored = dump.restore(neo4j_graph, tmp_path / "a.dump.gz")
    assert (restored.nodes, restored.rels) == (17, 15) and restored.seconds >= 0
    assert _snapshot(neo4j_graph) == original
    dump.backup(neo4j_graph, tmp_path / "b.dump.gz")
    again = sqlite_store(tmp_path / "again.sqlite3")
    dump.restore(again, tmp_path / "b.dump.gz")
    assert _snapshot(again) == original
    assert again.counts() == sqlite_graph.counts()
    again.close()


def test_a_changed_dump_is_refused_and_nothing_is_written(tmp_path: Path,
                                                          sqlite_graph: SqliteStore) -> None:
    _fill(sqlite_graph)
    good = tmp_path / "good.dump.gz"
    dump.backup(sqlite_graph, good)
    lines = gzip.decompress(good.read_bytes()).decode("utf-8").splitlines(keepends=True)
    tampered = tmp_path / "tampered.dump.gz"
    tampered.write_bytes(gzip.compress("".join(
        line.replace("张三", "李四") for line in lines).encode("utf-8")))
    truncated = tmp_path / "truncated.dump.gz"
    truncated.write_bytes(gzip.compress("".join(lines[:-3]).encode("utf-8")))
    junk = tmp_path / "junk.dump.gz"
    junk.write_bytes(b"not gzip at all")
    target = sqlite_store(tmp_path / "target.sqlite3")
    for bad, says in ((tampered, "checksum"), (truncated, "no end record"),
                      (junk, "not a readable collab dump")):
        with pytest.raises(ValidationError, match=says):
            dump.restore(target, bad)
    assert sum(target.counts()["nodes"].values()) == 0
    with pytest.raises(CollabError, match="not empty"):
        dump.restore(sqlite_graph, good)
    target.close()
