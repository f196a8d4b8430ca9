"""Idempotency keys on both engines: a key is claimed once, its answer replayed, per user."""

from __future__ import annotations

import threading
import time

import pytest

from collab.access.actors import Actor
from collab.access.authz import Role
from collab.commands import idempotency
from collab.errors import ConflictError, ValidationError
from collab.graph.store import Store

ANNA = Actor("anna", Role.COORDINATOR, "532600", None)
BORIS = Actor("boris", Role.COORDINATOR, "532600", None)
FIRST = {"transfer": "XS-1/1", "note": "移交"}


def test_a_claimed_key_replays_its_answer(store: Store) -> None:
    assert store.read(lambda tx: idempotency.replay(tx, actor=ANNA, key="k-00000001",
                                                    event="clue.transfer")) is None
    store.write(lambda tx: idempotency.claim(tx, actor=ANNA, key="k-00000001",
                                             event="clue.transfer", answer=FIRST))
    assert store.read(lambda tx: idempotency.replay(tx, actor=ANNA, key="k-00000001",
                                                    event="clue.transfer")) == FIRST
    with pytest.raises(ValidationError, match="another request"):
        store.read(lambda tx: idempotency.replay(tx, actor=ANNA, key="k-00000001",
                                                 event="transfer.file_case"))
    assert store.read(lambda tx: idempotency.replay(tx, actor=BORIS, key="k-00000001",
                                                    event="clue.transfer")) is None


def test_a_key_is_claimed_once_even_by_racing_writers(store: Store) -> None:
    claimed, outcome = threading.Event(), {}

    def first() -> None:
        def unit(tx):
            idempotency.claim(tx, actor=ANNA, key="race-0001", event="e", answer=FIRST)
            claimed.set()
            time.sleep(0.5)  # hold the claim uncommitted while the second writer arrives
        store.write(unit)

    def second() -> None:
        claimed.wait(10)
        try:
            store.write(lambda tx: idempotency.claim(tx, actor=ANNA, key="race-0001",
                                                     event="e", answer={}))
            outcome["second"] = "committed"
        except ConflictError:
            outcome["second"] = "refused"

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcome == {"second": "refused"}
    assert store.count("IdempotencyKey") == 1
    assert store.read(lambda tx: idempotency.replay(tx, actor=ANNA, key="race-0001",
                                                    event="e")) == FIRST


@pytest.mark.parametrize("key", ["", "short", "x" * 101, "含中文的键-0001", "a b c d e f"])
def test_unusable_keys_are_refused(key: str) -> None:
    with pytest.raises(ValidationError, match="idempotency key"):
        idempotency.checked(key)
