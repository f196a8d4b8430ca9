"""`collab audit verify` as its own process, after someone edits or deletes audit records
directly in the database (SQL on the SQLite file, Cypher through the Neo4j driver)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from keys import AUDIT_KEY

from collab.access import audit
from collab.access.audit import Kind, Origin
from collab.errors import ConfigError
from collab.graph.store import Store

ROOT = Path(__file__).resolve().parents[2]
WHO = Origin(user="wang.fang", role="coordinator", address="10.0.0.8", request_id="r1")
RECORDS = 5


def _sqlite_tamper(path: Path, sql: str, seq: int) -> None:
    with sqlite3.connect(path) as db:
        changed = db.execute(sql, (seq,)).rowcount
    assert changed == 1


def _neo4j_tamper(store: Store, cypher: str, seq: int) -> None:
    with store.driver.session() as s:  # type: ignore[attr-defined]
        s.run(cypher, seq=seq).consume()


# What an intruder with database access does, on each engine.
SQL = {"edit": "UPDATE nodes SET props = json_set(props, '$.user', 'somebody.else') "
               "WHERE label = 'AuditRecord' AND json_extract(props, '$.seq') = ?",
       "delete": "DELETE FROM nodes WHERE label = 'AuditRecord' "
                 "AND json_extract(props, '$.seq') = ?"}
CYPHER = {"edit": "MATCH (r:AuditRecord {seq: $seq}) SET r.outcome = 'ok'",
          "delete": "MATCH (r:AuditRecord {seq: $seq}) DETACH DELETE r"}


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def trail(request: pytest.FixtureRequest,
          tmp_path: Path) -> tuple[dict[str, str], Callable[[str, int], None]]:
    """Five records on one engine; the environment `collab` runs with; a tamper function."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COLLAB_")}
    env["PYTHONPATH"] = str(ROOT)
    if request.param == "sqlite":
        store: Store = request.getfixturevalue("sqlite_graph")
        path = Path(tmp_path / "collab.sqlite3")
        env |= {"COLLAB_BACKEND": "sqlite", "COLLAB_DATABASE": str(path)}

        def tamper(how: str, seq: int) -> None:
            _sqlite_tamper(path, SQL[how], seq)
    else:
        store = request.getfixturevalue("neo4j_graph")
        server = request.getfixturevalue("neo4j_server")
        env |= {"COLLAB_BACKEND": "neo4j", "COLLAB_NEO4J_URI": server["uri"],
                "COLLAB_NEO4J_USER": server["user"],
                "COLLAB_NEO4J_PASSWORD": server["password"]}

        def tamper(how: str, seq: int) -> None:
            _neo4j_tamper(store, CYPHER[how], seq)
    for i in range(RECORDS):
        store.write(lambda tx, i=i: audit.append(
            tx, key=AUDIT_KEY, origin=WHO, kind=Kind.VIEW, event="nodes.detail",
            object_label="Clue", object_key=f"XS-{i:04d}", outcome="not_found"))
    return env, tamper


def verify(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "collab", "audit", "verify"], env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_an_intact_trail_verifies_and_says_how_long_it_is_kept(trail) -> None:
    env, _ = trail
    done = verify(env)
    assert done.returncode == 0, done.stderr
    assert f"audit chain intact: {RECORDS} records" in done.stdout
    assert "retention 180 days" in done.stdout
    longer = verify({**env, "COLLAB_AUDIT_RETENTION_DAYS": "365"})
    assert longer.returncode == 0 and "retention 365 days" in longer.stdout
    shorter = verify({**env, "COLLAB_AUDIT_RETENTION_DAYS": "90"})
    assert shorter.returncode == 1 and "at least 180" in shorter.stderr + shorter.stdout


@pytest.mark.parametrize(("how", "seq", "named"), [
    ("edit", 3, "record 3 was altered"),
    ("delete", 3, "record 3 is missing"),
    ("edit", 1, "record 1 was altered"),
    ("delete", RECORDS, "records after 4 were removed"),
])
def test_a_record_changed_in_the_database_is_named(trail, how: str, seq: int,
                                                   named: str) -> None:
    env, tamper = trail
    tamper(how, seq)
    done = verify(env)
    assert done.returncode == 1
    assert named in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_retention_is_never_below_180_days() -> None:
    assert audit.retention_days({}) == audit.MIN_RETENTION_DAYS == 180
    assert audit.retention_days({"COLLAB_AUDIT_RETENTION_DAYS": "400"}) == 400
    for bad in ("179", "0", "-5", "半年", "180.5"):
        with pytest.raises(ConfigError):
            audit.retention_days({"COLLAB_AUDIT_RETENTION_DAYS": bad})
