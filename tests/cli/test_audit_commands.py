"""`collab audit verify` as its own process, after someone edits, deletes, rewrites or cuts
audit records directly in the database (SQL on the SQLite file, Cypher through the Neo4j
driver), with and without the audit key, or tampers with the checkpoint file.

Item 4 of issue 16: the chain was plain SHA-256, so rewriting record 3 and recomputing every
later hash passed. Now each record is sealed with an HMAC under a key kept outside the store,
and the chain is held to signed checkpoints in a file outside it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from keys import AUDIT_KEY, AUDIT_KEY_HEX

from collab.access import audit
from collab.access.audit import Kind, Origin
from collab.config import Config
from collab.errors import ConfigError
from collab.graph.store import Store

ROOT = Path(__file__).resolve().parents[2]
WHO = Origin(user="wang.fang", role="coordinator", address="10.0.0.8", request_id="r1")
RECORDS = 5


@dataclass
class Trail:
    """Five records on one engine, the environment `collab` runs with, and an intruder's
    hands on the database: SQL or Cypher, never the app."""

    store: Store
    env: dict[str, str]
    run_sql: Callable[[str, tuple[Any, ...]], int] | None = None
    run_cypher: Callable[[str, dict[str, Any]], None] | None = None

    def delete(self, seq: int) -> None:
        if self.run_sql:
            assert self.run_sql("DELETE FROM nodes WHERE label = 'AuditRecord' "
                                "AND json_extract(props, '$.seq') = ?", (seq,)) == 1
        else:
            self.run_cypher("MATCH (r:AuditRecord {seq: $seq}) DETACH DELETE r", {"seq": seq})

    def set_record(self, seq: int, props: dict[str, Any]) -> None:
        """Overwrite properties of a record (None removes one)."""
        if self.run_sql:
            assert self.run_sql("UPDATE nodes SET props = json_patch(props, ?) "
                                "WHERE label = 'AuditRecord' "
                                "AND json_extract(props, '$.seq') = ?",
                                (json.dumps(props), seq)) == 1
        else:
            self.run_cypher("MATCH (r:AuditRecord {seq: $seq}) SET r += $props",
                            {"seq": seq, "props": props})

    def set_head(self, props: dict[str, Any]) -> None:
        if self.run_sql:
            assert self.run_sql("UPDATE nodes SET props = json_patch(props, ?) "
                                "WHERE label = 'AuditHead'", (json.dumps(props),)) == 1
        else:
            self.run_cypher("MATCH (h:AuditHead) SET h += $props", {"props": props})


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def trail(request: pytest.FixtureRequest, tmp_path: Path) -> Trail:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COLLAB_")}
    env |= {"PYTHONPATH": str(ROOT), "COLLAB_AUDIT_KEY": AUDIT_KEY_HEX,
            "COLLAB_AUDIT_CHECKPOINTS": str(tmp_path / "keys" / "audit-checkpoints")}
    if request.param == "sqlite":
        store: Store = request.getfixturevalue("sqlite_graph")
        path = Path(tmp_path / "collab.sqlite3")
        env |= {"COLLAB_BACKEND": "sqlite", "COLLAB_DATABASE": str(path)}

        def run_sql(sql: str, args: tuple[Any, ...]) -> int:
            with sqlite3.connect(path) as db:
                return db.execute(sql, args).rowcount
        found = Trail(store, env, run_sql=run_sql)
    else:
        store = request.getfixturevalue("neo4j_graph")
        server = request.getfixturevalue("neo4j_server")
        env |= {"COLLAB_BACKEND": "neo4j", "COLLAB_NEO4J_URI": server["uri"],
                "COLLAB_NEO4J_USER": server["user"],
                "COLLAB_NEO4J_PASSWORD": server["password"]}

        def run_cypher(cypher: str, params: dict[str, Any]) -> None:
            with store.driver.session() as s:  # type: ignore[attr-defined]
                s.run(cypher, params).consume()
        found = Trail(store, env, run_cypher=run_cypher)
    for i in range(RECORDS):
        store.write(lambda tx, i=i: audit.append(
            tx, key=AUDIT_KEY, origin=WHO, kind=Kind.VIEW, event="nodes.detail",
            object_label="Clue", object_key=f"XS-{i:04d}", outcome="not_found"))
    return found


def verify(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "collab", "audit", "verify"], env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def named(done: subprocess.CompletedProcess[str], words: str) -> bool:
    return done.returncode == 1 and words in done.stderr + done.stdout \
        and "Traceback" not in done.stderr


def test_an_intact_trail_verifies_and_says_how_long_it_is_kept(trail: Trail) -> None:
    done = verify(trail.env)
    assert done.returncode == 0, done.stderr
    assert f"audit chain intact: {RECORDS} records" in done.stdout
    assert "retention 180 days" in done.stdout
    assert Path(trail.env["COLLAB_AUDIT_CHECKPOINTS"]).stat().st_mode & 0o777 == 0o600
    longer = verify({**trail.env, "COLLAB_AUDIT_RETENTION_DAYS": "365"})
    assert longer.returncode == 0 and "retention 365 days" in longer.stdout
    assert "agrees with 1 signed checkpoints" in longer.stdout
    shorter = verify({**trail.env, "COLLAB_AUDIT_RETENTION_DAYS": "90"})
    assert shorter.returncode == 1 and "at least 180" in shorter.stderr + shorter.stdout


@pytest.mark.parametrize(("how", "seq", "words"), [
    ("edit", 3, "record 3 was altered"),
    ("delete", 3, "record 3 is missing"),
    ("edit", 1, "record 1 was altered"),
    ("delete", RECORDS, "records after 4 were removed"),
])
def test_a_record_changed_in_the_database_is_named(trail: Trail, how: str, seq: int,
                                                   words: str) -> None:
    if how == "edit":
        trail.set_record(seq, {"user": "somebody.else"})
    else:
        trail.delete(seq)
    assert named(verify(trail.env), words)


def _fields(node: Any) -> dict[str, Any]:
    """A record's sealed fields as the intruder reads them off the code."""
    fields = {k: node.get(k, "") for k in ("user", "role", "department", "address",
                                           "request_id", "kind", "event", "object_label",
                                           "object_key", "outcome", "detail")}
    fields |= {"seq": node.get("seq"), "prev_hash": node.get("prev_hash"),
               "at": node.get("at").astimezone(UTC).isoformat(timespec="microseconds")}
    if node.get("alg"):
        fields["alg"] = node.get("alg")
    return fields


def _text(fields: dict[str, Any]) -> str:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def rewrite(trail: Trail, seq: int, change: dict[str, Any], *,
            seal: Callable[[dict[str, Any]], str], last: int | None = None) -> None:
    """Change record `seq`, then recompute it and every later record's seal and link (up to
    `last`, else to the end, and the head too) with `seal`: the attack of the probe."""
    records = trail.store.find("AuditRecord", order_by="seq", limit=100).items
    previous = records[seq - 2].get("hash") if seq > 1 else audit.GENESIS
    for node in records[seq - 1:last]:
        fields = {**_fields(node), "prev_hash": previous}
        if node.get("seq") == seq:
            fields |= change
        digest = seal(fields)
        trail.set_record(node.get("seq"), {**{k: v for k, v in fields.items()
                                              if k not in ("seq", "at")},
                                           "alg": fields.get("alg"), "hash": digest})
        previous = digest
    if last is None:
        trail.set_head({"hash": previous})


def sha256(fields: dict[str, Any]) -> str:
    return hashlib.sha256(_text(fields).encode("utf-8")).hexdigest()


def test_rewriting_a_record_and_recomputing_the_chain_without_the_key_is_named(
        trail: Trail) -> None:
    """The probe's attack, as it was done: record 3 rewritten, every later SHA-256 recomputed."""
    rewrite(trail, 3, {"user": "somebody.else"}, seal=sha256)
    assert named(verify(trail.env), "record 3 was altered")


def test_rewriting_the_chain_as_if_it_predated_the_key_is_named(trail: Trail) -> None:
    """The same, with the records' algorithm dropped to look like a trail from before keys."""
    rewrite(trail, 3, {"user": "somebody.else", "alg": None}, seal=lambda f: sha256(
        {k: v for k, v in f.items() if k != "alg"}))
    assert named(verify(trail.env), "record 3 carries no audit-key seal")


def test_rewriting_with_the_key_after_a_checkpoint_is_named(trail: Trail) -> None:
    """An insider who holds the key too: every seal is right again, but the head signed into
    the checkpoint file before the rewrite (record 5) disagrees."""
    assert verify(trail.env).returncode == 0
    rewrite(trail, 3, {"user": "somebody.else"}, seal=lambda f: AUDIT_KEY.chain(_text(f)))
    assert named(verify(trail.env), "record 5 differs from the signed checkpoint")


def test_cutting_off_the_end_of_the_trail_is_named(trail: Trail) -> None:
    """Records 4 and 5 deleted and the head set back to record 3: the chain itself holds."""
    assert verify(trail.env).returncode == 0
    third = trail.store.find("AuditRecord", where={"seq": 3}).items[0]
    trail.delete(5)
    trail.delete(4)
    trail.set_head({"seq": 3, "hash": third.get("hash")})
    assert named(verify(trail.env), "records after 3 were removed")


def test_a_forged_checkpoint_is_named(trail: Trail) -> None:
    assert verify(trail.env).returncode == 0
    file = Path(trail.env["COLLAB_AUDIT_CHECKPOINTS"])
    line = json.loads(file.read_text().splitlines()[-1])
    forged = {**line, "seq": 2, "sig": hmac.new(b"a guess", b"x", "sha256").hexdigest()}
    with file.open("a") as f:
        f.write(json.dumps(forged) + "\n")
    assert named(verify(trail.env), "line 2 of the checkpoint file")


def test_a_trail_from_before_the_audit_key_keeps_verifying_and_is_sealed_by_the_next(
        trail: Trail) -> None:
    """Migration: records written by the old code (plain SHA-256, no `alg`) are checked as
    before; the first keyed record seals their last hash; rewriting them breaks that link."""
    records = trail.store.find("AuditRecord", order_by="seq", limit=100).items
    previous = audit.GENESIS
    for node in records:  # as the old code wrote them
        fields = {k: v for k, v in {**_fields(node), "prev_hash": previous}.items()
                  if k != "alg"}
        previous = sha256(fields)
        trail.set_record(node.get("seq"), {"alg": None, "prev_hash": fields["prev_hash"],
                                           "hash": previous})
    trail.set_head({"hash": previous, "keyed_from": None})
    old = verify(trail.env)
    assert old.returncode == 0 and "all 5 records predate the audit key" in old.stdout
    trail.store.write(lambda tx: audit.append(tx, key=AUDIT_KEY, origin=WHO, kind=Kind.VIEW,
                                              event="nodes.index"))
    upgraded = verify(trail.env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "records 1-5 predate the audit key" in upgraded.stdout
    rewrite(trail, 2, {"user": "somebody.else", "alg": None}, last=5,
            seal=lambda f: sha256({k: v for k, v in f.items() if k != "alg"}))
    checkpoints = Path(trail.env["COLLAB_AUDIT_CHECKPOINTS"])
    assert named(verify(trail.env), "record 5 differs from the signed checkpoint")
    checkpoints.unlink()  # even without the checkpoints, the keyed record's link holds
    assert named(verify(trail.env), "record 6 does not link to record 5")


def test_retention_is_never_below_180_days() -> None:
    assert Config.from_env({}).audit_retention_days == audit.MIN_RETENTION_DAYS == 180
    assert Config.from_env({"COLLAB_AUDIT_RETENTION_DAYS": "400"}).audit_retention_days == 400
    for bad in ("179", "0", "-5", "半年", "180.5"):
        with pytest.raises(ConfigError):
            Config.from_env({"COLLAB_AUDIT_RETENTION_DAYS": bad})
