"""The restore drill, as an operator runs it: the Yunnan seed with its audit trail, moved
SQLite → dump → Neo4j → dump → SQLite by the real `collab` command, keeps every count, every
figure and an intact audit chain; each restore says how long it took."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from keys import AUDIT_KEY
from test_cli import run

from collab.access import audit
from collab.access.actors import Actor
from collab.access.audit import Kind, Origin
from collab.access.authz import Role
from collab.access.idnumbers import IdKey
from collab.analysis import figures
from collab.cases import clues
from collab.graph.neo4j_engine import Neo4jStore
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Graph, Store
from seeds import yunnan

KEY = IdKey.from_secret(b"drill-tests-secret-of-at-least-32")
COORDINATOR = Actor("drill.coord", Role.COORDINATOR, None, None)
RESTORED = re.compile(r"restored (\d+) nodes and (\d+) relationships into .* in (\d+\.\d) s")


def _work(g: Graph) -> None:
    """Some audited changes on top of the seed, so the trail has records to carry."""
    for n in range(3):
        audit.append(g, key=AUDIT_KEY,
                     origin=Origin("drill.coord", "coordinator", address="10.0.0.1"),
                     kind=Kind.VIEW, event="nodes.detail", object_label="Clue",
                     object_key=f"drill-{n}")
    transfer = g.find("Transfer", where={"status": "transferred"}, order_by="no", limit=1)
    if transfer.items:
        no = transfer.items[0].key
        clues.accept(g, actor=COORDINATOR, transfer_no=no, on=date(2024, 6, 1))
        audit.append(g, key=AUDIT_KEY, origin=Origin("drill.coord", "coordinator"),
                     kind=Kind.CHANGE, event="transfer.accept", object_label="Transfer",
                     object_key=no, detail={"after": {"status": "accepted"}})


def _figures(store: Store) -> list[dict[str, Any]]:
    as_of = date(2024, 12, 31)

    def read(g: Graph) -> list[dict[str, Any]]:
        scopes = [figures.resolve_scope(g, period="2023", as_of=as_of),
                  figures.resolve_scope(g, region="昭通市", period="2023", as_of=as_of),
                  figures.resolve_scope(g, region="文山壮族苗族自治州", as_of=as_of)]
        return [figures.summary(g, scope=s) for s in scopes]

    return store.read(read)


def _settings(store: Store) -> dict[str, str]:
    if isinstance(store, Neo4jStore):
        return {"COLLAB_BACKEND": "neo4j", "COLLAB_NEO4J_URI": store.uri,
                "COLLAB_NEO4J_PASSWORD": "collab-test-pw"}
    assert isinstance(store, SqliteStore)
    return {"COLLAB_BACKEND": "sqlite", "COLLAB_DATABASE": str(store.path)}


def _restore(dump_file: Path, target: Store) -> None:
    done = run("restore", str(dump_file), env=_settings(target))
    assert done.returncode == 0, done.stderr
    found = RESTORED.search(done.stdout)
    assert found, done.stdout
    verified = run("audit", "verify", env=_settings(target))
    assert verified.returncode == 0 and "audit chain intact" in verified.stdout, verified.stderr


@pytest.mark.neo4j
def test_sqlite_to_neo4j_to_sqlite_keeps_counts_figures_and_the_audit_chain(
        tmp_path: Path, sqlite_graph: SqliteStore, neo4j_graph: Neo4jStore) -> None:
    sqlite_graph.write(lambda tx: yunnan.load(tx, key=KEY))
    sqlite_graph.write(_work)
    counts, figures_before = sqlite_graph.counts(), _figures(sqlite_graph)
    chain = sqlite_graph.read(lambda tx: audit.verify(tx, AUDIT_KEY))
    assert chain.ok and chain.checked == 4
    assert figures_before[1]["clues"] == 90  # Zhaotong's clues, from the article

    first = tmp_path / "from-sqlite.dump.gz"
    assert run("backup", str(first), env=_settings(sqlite_graph)).returncode == 0
    _restore(first, neo4j_graph)
    assert neo4j_graph.counts() == counts
    assert _figures(neo4j_graph) == figures_before

    second = tmp_path / "from-neo4j.dump.gz"
    backed_up = run("backup", str(second), env=_settings(neo4j_graph))
    assert backed_up.returncode == 0, backed_up.stderr
    again = SqliteStore(tmp_path / "again.sqlite3")
    again.init_schema()
    _restore(second, again)
    assert again.counts() == counts
    assert _figures(again) == figures_before
    assert again.read(lambda tx: audit.verify(tx, AUDIT_KEY)) == chain
    assert again.integrity_check() == "ok"
    again.close()
