"""The audit trail: appends chain, `verify` names an edited or removed record, IDs are masked."""

from __future__ import annotations

import re
import threading
import time
from pathlib import Path

import pytest
from keys import AUDIT_KEY

from collab.access import audit
from collab.access.actors import Actor
from collab.access.audit import Kind, Origin
from collab.access.authz import Authz, Role
from collab.errors import NotFound
from collab.graph import schema
from collab.graph.store import Graph, Store

WHO = Origin(user="wang.fang", role="coordinator", department="", address="10.0.0.8",
             request_id="r1")


def write_records(store: Store, n: int) -> None:
    for i in range(n):
        store.write(lambda tx, i=i: audit.append(
            tx, key=AUDIT_KEY, origin=WHO, kind=Kind.VIEW, event="nodes.detail",
            object_label="Clue", object_key=f"XS-{i:04d}"))


def test_records_chain_and_verify(store: Store) -> None:
    write_records(store, 5)
    verdict = store.read(lambda tx: audit.verify(tx, AUDIT_KEY))
    assert verdict.ok and verdict.checked == 5
    records = store.find("AuditRecord", order_by="seq").items
    assert [r.get("seq") for r in records] == [1, 2, 3, 4, 5]
    assert records[0].get("prev_hash") == audit.GENESIS
    assert all(b.get("prev_hash") == a.get("hash") for a, b in zip(records, records[1:],
                                                                    strict=False))
    assert records[2].get("address") == "10.0.0.8" and records[2].get("user") == "wang.fang"


def test_an_edited_record_is_named(store: Store) -> None:
    write_records(store, 4)
    store.upsert_nodes("AuditRecord", [{"no": f"{3:012d}", "user": "somebody.else"}])
    verdict = store.read(lambda tx: audit.verify(tx, AUDIT_KEY))
    assert not verdict.ok and verdict.broken_at == 3 and "altered" in verdict.reason


def test_a_removed_record_is_named(store: Store) -> None:
    """The port cannot delete, so a record is 'removed' by re-keying the chain around it."""
    write_records(store, 3)
    store.upsert_nodes("AuditRecord", [{"no": f"{2:012d}", "seq": 99}])
    verdict = store.read(lambda tx: audit.verify(tx, AUDIT_KEY))
    assert not verdict.ok and verdict.broken_at == 2 and "missing" in verdict.reason


def test_records_after_the_last_removed_are_noticed_by_the_head(store: Store) -> None:
    write_records(store, 3)
    store.upsert_nodes("AuditHead", [{"chain": audit.CHAIN, "seq": 4}])
    verdict = store.read(lambda tx: audit.verify(tx, AUDIT_KEY))
    assert not verdict.ok and "head" in verdict.reason


def test_change_rolls_back_with_its_record(store: Store) -> None:
    write_records(store, 1)

    def failing(tx):
        audit.append(tx, key=AUDIT_KEY, origin=WHO, kind=Kind.CHANGE, event="clue.transfer")
        raise NotFound("no such clue")

    with pytest.raises(NotFound):
        store.write(failing)
    assert store.count("AuditRecord") == 1
    assert store.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok


def test_id_numbers_in_details_are_masked(store: Store) -> None:
    record = store.write(lambda tx: audit.append(
        tx, key=AUDIT_KEY, origin=WHO, kind=Kind.CHANGE, event="person.edit",
        detail={"before": {"note": "身份证 53010219900101123X 已核"}, "after": {}}))
    assert "53010219900101123X" not in record.get("detail")
    assert "530102********123X" in record.get("detail")


def test_an_id_number_in_any_field_is_kept_masked_with_its_pseudonym(store: Store) -> None:
    """Item 3 of issue 16: `/browse/Person/<ID>` put the full number in the object key; now
    every field passes through `redact` (masked form + keyed pseudonym), and the audit admin
    finds the records by typing the number."""
    number, other = "530102198001011237", "53262819800101123X"
    typed_as_user = Origin(user=number, address="10.0.0.8", request_id="r9")
    store.write(lambda tx: audit.append(tx, key=AUDIT_KEY, origin=typed_as_user,
                                        kind=Kind.VIEW, event="nodes.detail",
                                        object_label="Person", object_key=number,
                                        detail={"path": "/browse/Person/" + number}))
    store.write(lambda tx: audit.append(tx, key=AUDIT_KEY, origin=WHO, kind=Kind.VIEW,
                                        event="nodes.detail", object_label="Person",
                                        object_key=other))
    first, second = store.find("AuditRecord", order_by="seq").items
    alias = AUDIT_KEY.alias(number)
    assert first.get("object_key") == "530102********1237#" + alias
    assert first.get("user") == "530102********1237#" + alias
    assert number not in str(first.props) and alias != AUDIT_KEY.alias(other)
    assert second.get("object_key") == "532628********123X#" + AUDIT_KEY.alias(other)
    auditor = Authz(Actor("shen.ji", Role.AUDIT_ADMIN))
    found = store.read(lambda tx: audit.search(tx, authz=auditor, key=AUDIT_KEY,
                                               object_key=number))
    assert [r.get("seq") for r in found.items] == [1]
    assert store.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok


def test_only_the_audit_admin_searches(store: Store) -> None:
    write_records(store, 3)
    auditor = Authz(Actor("shen.ji", Role.AUDIT_ADMIN))
    page = store.read(lambda tx: audit.search(tx, authz=auditor, key=AUDIT_KEY,
                                              object_key="XS-0001"))
    assert page.total == 1 and page.items[0].get("object_key") == "XS-0001"
    for role in (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.COORDINATOR):
        other = Authz(Actor("x", role))
        with pytest.raises(NotFound):
            store.read(lambda tx, a=other: audit.search(tx, authz=a, key=AUDIT_KEY))


def test_nothing_in_collab_can_delete_or_rewrite_a_record() -> None:
    """Retention holds because no code path removes a record: the store port cannot delete
    nodes, audit nodes join no relationship, and only `audit.append` writes them."""
    assert [m for m in dir(Graph) if m.startswith("delete")] == ["delete_rels"]
    assert not [t for t, rel in schema.RELS.items()
                for pair in rel.pairs if {"AuditRecord", "AuditHead"} & set(pair)]
    package = Path(audit.__file__).resolve().parents[1]
    writers = [p.relative_to(package).as_posix() for p in package.rglob("*.py")
               if re.search(r"upsert_nodes\(\s*\"Audit(Record|Head)\"", p.read_text())]
    assert writers == ["access/audit.py"]


def test_view_records_wait_for_their_commit_and_share_it(store: Store) -> None:
    """Group commit: a record's writer returns only once the record is committed, and the
    records that queued meanwhile go into one transaction, still one chain."""
    write_records(store, 1)
    writer = audit.GroupCommit(store, AUDIT_KEY)
    answered: list[int] = []

    def view(i: int) -> None:
        writer.append(audit.Entry(WHO, Kind.VIEW, "nodes.detail", object_key=f"V-{i}"))
        answered.append(i)

    viewers = [threading.Thread(target=view, args=(i,)) for i in range(12)]
    with store.transaction() as tx:
        tx.lock("AuditHead", audit.CHAIN)  # every commit of the chain waits behind this one
        for viewer in viewers:
            viewer.start()
        time.sleep(1.0)
        assert answered == []  # nobody was answered before its record could be committed
    for viewer in viewers:
        viewer.join()
    assert sorted(answered) == list(range(12))
    assert writer.records == 12 and writer.commits <= 2  # the first alone, then the rest
    assert store.count("AuditRecord", where={"kind": "view"}) == 13
    assert store.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok
