"""The lifecycle machinery: allowed moves pass and leave an event; the rest change nothing."""

from __future__ import annotations

from datetime import date

import pytest

from collab.access.actors import Actor
from collab.cases.lifecycle import Lifecycle, TransitionRefused, history, moves, transition
from collab.errors import ConflictError, NotFound
from collab.graph.store import Store

CHECK = Lifecycle("JointCheck", "planned",
                  moves({"planned": "in_progress", "in_progress": "reported",
                         "reported": "closed in_progress", "closed": ""}))
COORDINATOR = Actor("王协调", role="coordinator")


@pytest.fixture
def check(store: Store) -> Store:
    store.upsert_nodes("JointCheck", [{"no": "JC-2023-01", "title": "联合监督检查",
                                       "status": "planned"}])
    return store


def test_an_allowed_move_updates_and_leaves_an_event(check: Store) -> None:
    node = check.write(lambda tx: transition(tx, CHECK, key="JC-2023-01", to="in_progress",
                                             actor=COORDINATOR, on=date(2023, 5, 1),
                                             reason="按计划开始"))
    assert node.get("status") == "in_progress" and node.get("version") == 1
    assert node.get("status_on") == date(2023, 5, 1)
    events = history(check, "JointCheck", "JC-2023-01")
    assert [(e.get("from_status"), e.get("to_status"), e.get("actor"), e.get("reason"))
            for e in events] == [("planned", "in_progress", "王协调", "按计划开始")]
    assert check.counts()["rels"]["EVENT_OF"] == 1


def test_moves_the_table_does_not_allow_are_refused(check: Store) -> None:
    with pytest.raises(TransitionRefused, match="计划 \\(planned\\) to 已结束 \\(closed\\)"):
        check.write(lambda tx: transition(tx, CHECK, key="JC-2023-01", to="closed",
                                          actor=COORDINATOR, on=date(2023, 5, 1)))
    node = check.get("JointCheck", "JC-2023-01")
    assert node is not None and node.get("status") == "planned" and node.get("version") is None
    assert check.count("Event") == 0


def test_a_step_dated_before_the_previous_one_is_refused(check: Store) -> None:
    check.write(lambda tx: transition(tx, CHECK, key="JC-2023-01", to="in_progress",
                                      actor=COORDINATOR, on=date(2023, 5, 10)))
    with pytest.raises(TransitionRefused, match="before its previous step"):
        check.write(lambda tx: transition(tx, CHECK, key="JC-2023-01", to="reported",
                                          actor=COORDINATOR, on=date(2023, 5, 9)))
    assert check.count("Event") == 1


def test_a_stale_version_is_refused(check: Store) -> None:
    check.write(lambda tx: transition(tx, CHECK, key="JC-2023-01", to="in_progress",
                                      actor=COORDINATOR, on=date(2023, 5, 10),
                                      expected_version=0))
    with pytest.raises(ConflictError, match="changed by someone else"):
        check.write(lambda tx: transition(tx, CHECK, key="JC-2023-01", to="reported",
                                          actor=COORDINATOR, on=date(2023, 5, 11),
                                          expected_version=0))
    with pytest.raises(NotFound):
        check.write(lambda tx: transition(tx, CHECK, key="JC-404", to="reported",
                                          actor=COORDINATOR, on=date(2023, 5, 11)))
