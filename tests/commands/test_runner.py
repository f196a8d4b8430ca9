"""The command runner on both engines: one write transaction per change, a handful of store
calls, the existing record's scope checked, refusals as values with their own record."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from keys import AUDIT_KEY
from web.scenario import authz_for, build

from collab.access import audit
from collab.access.actors import Actor
from collab.access.audit import Origin
from collab.access.authz import Authz, Role
from collab.cases.lifecycle import TransitionRefused
from collab.commands import runner
from collab.commands.clues import AcceptTransfer, TransferClue
from collab.config import Config
from collab.errors import ConflictError, NotFound
from collab.graph.store import Graph, Store

NEW = "WS-2023-0101"  # a registered clue of 那能乡 (Wenshan)
ON = date(2023, 11, 5)


def _new_clue(g: Graph) -> None:
    g.upsert_nodes("Clue", [{"no": NEW, "title": "某村集体资金去向不明", "status": "registered",
                             "registered_on": date(2023, 11, 1), "region_code": "532628107",
                             "synthetic": True}])


@pytest.fixture
def scene(store: Store) -> Store:
    store.write(build)
    store.write(_new_clue)
    return store


class CountingGraph:
    """The real transaction, with every call on it counted (by method, and by what it read)."""

    def __init__(self, inner: Graph, counts: Counter[str], reads: Counter[tuple[str, str]]):
        self._inner, self._counts, self._reads = inner, counts, reads

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._inner, name)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self._counts[name] += 1
            if name in ("get", "lock") and len(args) == 2:
                self._reads[(args[0], args[1])] += 1
            return method(*args, **kwargs)

        return counted


class CountingStore:
    """A real store wrapped so each transaction, and each call made in it, is counted."""

    def __init__(self, inner: Store):
        self.inner, self.writes, self.reads_tx = inner, 0, 0
        self.calls: Counter[str] = Counter()
        self.reads: Counter[tuple[str, str]] = Counter()

    def write(self, fn: Any) -> Any:
        self.writes += 1
        return self.inner.write(lambda tx: fn(CountingGraph(tx, self.calls, self.reads)))

    def read(self, fn: Any) -> Any:
        self.reads_tx += 1
        return self.inner.read(lambda tx: fn(CountingGraph(tx, self.calls, self.reads)))

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the runner called store.{name} outside a transaction")


SETTINGS = Config.from_env()


def run(store: Any, who: str | Authz, command: Any, *, config: Config = SETTINGS,
        key: str | None = None) -> runner.Outcome:
    authz = authz_for(who) if isinstance(who, str) else who
    return runner.run(store, authz, command, config=config, key=key,
                      origin=Origin(authz.actor.name, str(authz.role), address="test"))


def records(store: Store, event: str) -> list[tuple[str, str, str]]:
    page = store.find("AuditRecord", where={"event": event}, order_by="seq", limit=100)
    return [(r.get("user"), r.get("outcome"), r.get("object_key")) for r in page.items]


TRANSFER = TransferClue(clue_no=NEW, department="D532628-JW", on=ON, letter_no="文巡移〔2023〕9号")


def test_a_transfer_is_one_write_transaction_of_a_handful_of_store_calls(scene: Store) -> None:
    # the chain exists, as it always will
    scene.write(lambda tx: audit.append(tx, key=AUDIT_KEY, origin=Origin("setup"),
                                        kind=audit.Kind.AUTH, event="setup"))
    counted = CountingStore(scene)
    outcome = run(counted, "coord", TRANSFER, key="count-0001-key")
    assert outcome.ok and outcome.value["transfer"] == NEW + "/1"
    assert (counted.writes, counted.reads_tx) == (1, 0)
    # reads: the key, the clue (locked), the department, the transfers so far, the clue's
    # transfers and cases (its figure shortcut), the clue after; writes: the transfer and its
    # two links, two events and their links, the clue's step and shortcut, the key, the record
    # and the chain's head (locked, with the record read back)
    assert sum(counted.calls.values()) <= 21, counted.calls
    # the clue: read once under its lock before the change, once after for the record
    assert counted.reads[("Clue", NEW)] == 2, counted.reads
    assert counted.reads[("Department", "D532628-JW")] == 1
    assert scene.get("Clue", NEW).get("status") == "transferred"
    assert records(scene, "clue.transfer") == [("coord", "ok", NEW)]


def test_the_record_holds_before_and_after_and_verifies(scene: Store) -> None:
    run(scene, "coord", TRANSFER)
    record = scene.find("AuditRecord", where={"event": "clue.transfer"}).items[0]
    assert (record.get("role"), record.get("address"), record.get("kind")) == \
        ("coordinator", "test", "change")
    assert '"before":{' in record.get("detail") and '"status":"registered"' in \
        record.get("detail") and '"status":"transferred"' in record.get("detail")
    assert scene.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok


def test_feedback_days_come_from_the_settings(scene: Store) -> None:
    outcome = run(scene, "coord", TRANSFER, config=Config.from_env(feedback_days=12))
    assert outcome.value["feedback_due"] == (ON + timedelta(days=12)).isoformat()


def test_out_of_scope_and_missing_are_the_same_refusal(scene: Store) -> None:
    foreign = run(scene, "zt", TRANSFER)  # 昭通市's coordinator, a Wenshan clue
    missing = run(scene, "zt", TransferClue(clue_no="NO-SUCH-CLUE", department="D530600-JW",
                                            on=ON, letter_no="x"))
    assert isinstance(foreign.error, NotFound) and isinstance(missing.error, NotFound)
    assert (foreign.status, str(foreign.error)) == (missing.status, str(missing.error)) \
        == ("not_found", "not found")
    assert scene.count("Transfer", {"clue_no": NEW}) == 0
    assert records(scene, "clue.transfer") == [("zt", "not_found", NEW),
                                               ("zt", "not_found", "NO-SUCH-CLUE")]


def test_the_existing_records_scope_is_checked_not_only_the_given_values(scene: Store) -> None:
    # The department is 昭通市's own, but the clue it would change is Wenshan's.
    own_department = TransferClue(clue_no=NEW, department="D530600-JW", on=ON, letter_no="x")
    assert run(scene, "zt", own_department).status == "not_found"
    # And the other way round: a clue in reach, a department out of it.
    foreign_department = TransferClue(clue_no=NEW, department="D530600-JW", on=ON,
                                      letter_no="x")
    assert run(scene, "coord", foreign_department).status == "not_found"
    assert scene.get("Clue", NEW).get("status") == "registered"


def test_a_role_without_the_permission_is_refused_as_not_found(scene: Store) -> None:
    outcome = run(scene, "lead", TRANSFER)
    assert outcome.status == "not_found" and scene.count("Transfer", {"clue_no": NEW}) == 0
    assert records(scene, "clue.transfer") == [("lead", "not_found", NEW)]


def test_a_refusal_is_a_value_with_its_message_and_a_record(scene: Store) -> None:
    early = TransferClue(clue_no=NEW, department="D532628-JW", on=date(2023, 1, 1),
                         letter_no="x")
    outcome = run(scene, "coord", early)
    assert isinstance(outcome.error, TransitionRefused)
    assert outcome.status == "refused" and "before its registration" in str(outcome.error)
    assert outcome.error.template.startswith("clue %(no)s: transfer date")  # translatable
    with pytest.raises(TransitionRefused):
        outcome.result()
    assert run(scene, "coord", TRANSFER).ok
    again = run(scene, "coord", TRANSFER)
    assert isinstance(again.error, ConflictError) and again.status == "conflict"
    assert [o for _, o, _ in records(scene, "clue.transfer")] == ["refused", "ok", "conflict"]
    assert scene.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok


def test_a_key_replays_the_first_answer_once(scene: Store) -> None:
    first = run(scene, "coord", TRANSFER, key="replay-0001-key")
    again = run(scene, "coord", TRANSFER, key="replay-0001-key")
    assert again.replayed and again.value == first.value and again.status == "replayed"
    assert scene.count("Transfer", {"clue_no": NEW}) == 1
    assert records(scene, "clue.transfer") == [("coord", "ok", NEW), ("coord", "replayed", NEW)]


def test_a_liaison_steps_only_on_its_own_departments_transfers(scene: Store) -> None:
    run(scene, "coord", TRANSFER)
    other = run(scene, "liaison2", AcceptTransfer(transfer_no=NEW + "/1", on=ON))
    own = run(scene, "liaison", AcceptTransfer(transfer_no=NEW + "/1", on=ON))
    assert (other.status, own.status) == ("not_found", "ok")
    assert own.value == {"clue": NEW, "transfer": NEW + "/1", "status": "accepted"}


def test_the_operator_acts_everywhere_and_is_named_in_the_record(scene: Store) -> None:
    operator = Authz(Actor("运维.王", role=Role.OPERATOR))
    assert run(scene, operator, TRANSFER).ok
    assert records(scene, "clue.transfer") == [("运维.王", "ok", NEW)]
    record = scene.find("AuditRecord", where={"event": "clue.transfer"}).items[0]
    assert record.get("role") == "operator"
