"""What only one engine can show: Neo4j's constraints, its refusals; both engines agreeing."""

from __future__ import annotations

import subprocess
import sys

import pytest
from keys import process_env

from collab.errors import StoreAuthError, StoreUnavailable
from collab.graph import schema
from collab.graph.neo4j_engine import Neo4jStore
from collab.graph.sqlite_engine import SqliteStore

pytestmark = pytest.mark.neo4j


def test_neo4j_constraints_and_indexes_exist(neo4j_graph: Neo4jStore) -> None:
    with neo4j_graph.driver.session() as s:
        constraints = {r["name"]: (r["labelsOrTypes"], r["properties"], r["type"])
                       for r in s.run("SHOW CONSTRAINTS")}
        indexes = {r["name"]: (r["labelsOrTypes"], r["properties"], r["state"])
                   for r in s.run("SHOW INDEXES")}
    assert constraints["uq__Node__uid"] == (["Node"], ["uid"], "UNIQUENESS")
    for node in schema.NODES.values():
        name = f"uq__{node.label}__{node.key}"
        assert constraints[name] == ([node.label], [node.key], "UNIQUENESS")
        for prop in schema.indexed_props(node):
            assert indexes[f"ix__{node.label}__{prop}"] == ([node.label], [prop], "ONLINE")


def test_neo4j_init_twice_from_the_command_line(neo4j_graph: Neo4jStore,
                                                neo4j_server: dict[str, str]) -> None:
    env = {**process_env(), "COLLAB_BACKEND": "neo4j", "COLLAB_NEO4J_URI": neo4j_server["uri"],
           "COLLAB_NEO4J_USER": neo4j_server["user"],
           "COLLAB_NEO4J_PASSWORD": neo4j_server["password"]}
    before = neo4j_graph.schema_objects()
    for _ in range(2):
        done = subprocess.run([sys.executable, "-m", "collab", "init"], env=env,
                              capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        assert "nothing to do" in done.stdout
    assert neo4j_graph.schema_objects() == before


def test_neo4j_wrong_password_is_one_clear_error(neo4j_server: dict[str, str]) -> None:
    with pytest.raises(StoreAuthError, match="refused the credentials"):
        Neo4jStore(neo4j_server["uri"], neo4j_server["user"], "not-the-password")


def test_neo4j_down_is_one_clear_error() -> None:
    with pytest.raises(StoreUnavailable, match="not reachable"):
        Neo4jStore("bolt://127.0.0.1:9", "neo4j", "x", connect_timeout=2)


def _build(store: SqliteStore | Neo4jStore) -> None:
    """A small tree with several equally short paths and a capped neighbourhood."""
    store.upsert_nodes("Region", [{"code": "530000", "name": "云南省"}])
    store.upsert_nodes("Unit", [{"code": f"U{i:02d}", "name": f"村{i}"} for i in range(40)])
    store.upsert_rels("IN_REGION", [{"src": f"U{i:02d}", "dst": "530000"} for i in range(40)],
                      src="Unit", dst="Region")
    store.upsert_nodes("Person", [{"uid": f"p{i:02d}", "name": f"人{i}"} for i in range(30)])
    store.upsert_rels("WORKS_AT", [{"src": f"p{i:02d}", "dst": f"U{(i * 7) % 40:02d}"}
                                   for i in range(30)]
                      + [{"src": f"p{i:02d}", "dst": f"U{(i * 3) % 40:02d}"}
                         for i in range(0, 30, 2)], src="Person", dst="Unit")


def test_both_engines_give_the_same_answers(sqlite_graph: SqliteStore,
                                            neo4j_graph: Neo4jStore) -> None:
    answers = []
    for store in (sqlite_graph, neo4j_graph):
        _build(store)
        root = store.get("Region", "530000")
        assert root is not None
        sub = store.expand([root.uid], depth=2, limit=25)
        paths = store.shortest_paths("p00", "p15", max_hops=6)
        page = store.find("Unit", order_by="name", descending=True, limit=7, offset=5)
        answers.append((sorted(n.uid for n in sub.nodes), sub.capped, dict(sub.omitted),
                        [[n.uid for n in p.nodes] for p in paths],
                        [n.key for n in page.items], page.total))
    assert answers[0] == answers[1]
    assert answers[0][1] is True and answers[0][3]
