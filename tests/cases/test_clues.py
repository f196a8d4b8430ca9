"""Clue lifecycle and the transfer protocol, on both engines."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collab.access.actors import Actor
from collab.cases import case_files, clues
from collab.cases.lifecycle import TransitionRefused, history
from collab.errors import ConflictError, NotFound, ValidationError
from collab.graph.store import Store

ACTOR = Actor("王协调")
LIAISON = Actor("李联络", role="liaison", department="D-JW")
D = date(2023, 10, 1)


def base_graph(store: Store) -> Store:
    """Two departments (one with its own feedback period), a person and an issue."""
    store.upsert_nodes("Department", [
        {"code": "D-JW", "name": "富宁县纪委监委", "region_code": "532628", "feedback_days": 15},
        {"code": "D-ZZB", "name": "富宁县委组织部", "region_code": "532628"}])
    store.upsert_nodes("Person", [{"uid": "P-1", "name": "张三"}, {"uid": "P-2", "name": "李四"}])
    store.upsert_nodes("Issue", [{"no": "WT-1", "title": "养老金未发放", "found_on": D}])
    return store


@pytest.fixture
def graph(store: Store) -> Store:
    return base_graph(store)


def register(store: Store, no: str = "XS-1") -> None:
    store.write(lambda tx: clues.register(
        tx, actor=ACTOR, no=no, title="村干部未跟进养老金发放", on=D, region_code="532628107",
        category="民生保障", issue_no="WT-1", against=["P-1", "P-2"]))


def send(store: Store, to: str, on: date = D, no: str = "XS-1") -> str:
    node = store.write(lambda tx: clues.transfer(tx, actor=ACTOR, clue=no, to=to, on=on,
                                                 letter_no="富巡移〔2023〕1号"))
    return node.key


def status(store: Store, label: str, key: str) -> str:
    node = store.get(label, key)
    assert node is not None
    return node.get("status")


def test_a_clue_goes_from_registration_to_a_case(graph: Store) -> None:
    register(graph)
    t = send(graph, "D-JW")
    node = graph.get("Transfer", t)
    assert node is not None and node.get("feedback_due") == D + timedelta(days=15)
    assert node.get("by") == "王协调" and status(graph, "Clue", "XS-1") == "transferred"
    graph.write(lambda tx: clues.accept(tx, actor=LIAISON, transfer_no=t, on=D + timedelta(2)))
    graph.write(lambda tx: clues.dispose(tx, actor=LIAISON, transfer_no=t,
                                         disposal="verification", on=D + timedelta(5),
                                         reason="初核"))
    case = graph.write(lambda tx: clues.file_case(tx, actor=LIAISON, transfer_no=t,
                                                  case_no="AJ-1", on=D + timedelta(20)))
    assert case.get("origin") == "inspection_clue" and case.get("filed_on") == D + timedelta(20)
    assert status(graph, "Transfer", t) == "case_filed"
    assert status(graph, "Clue", "XS-1") == "case_filed"
    node = graph.get("Transfer", t)
    assert node is not None and node.get("received_on") == D + timedelta(2)
    assert node.get("feedback_on") == D + timedelta(5) and node.get("disposal") == "verification"
    steps = [(e.get("to_status"), e.get("actor")) for e in history(graph, "Clue", "XS-1")]
    assert steps == [("registered", "王协调"), ("transferred", "王协调"),
                     ("accepted", "李联络"), ("verification", "李联络"),
                     ("case_filed", "李联络")]
    assert [e.get("reason") for e in history(graph, "Transfer", t)][2] == "初核"
    assert graph.counts()["rels"]["BECAME"] == 1 and graph.counts()["rels"]["SUBJECT"] == 2
    assert graph.counts()["rels"]["FILED_BY"] == 1


def test_each_department_disposes_of_its_own_transfer(graph: Store) -> None:
    register(graph)
    jw, zzb = send(graph, "D-JW"), send(graph, "D-ZZB", D + timedelta(1))
    assert (jw, zzb) == ("XS-1/1", "XS-1/2")
    node = graph.get("Transfer", zzb)
    assert node is not None and node.get("feedback_due") == D + timedelta(days=31)
    for t in (jw, zzb):
        graph.write(lambda tx, t=t: clues.accept(tx, actor=LIAISON, transfer_no=t,
                                                 on=D + timedelta(3)))
    graph.write(lambda tx: clues.dispose(tx, actor=LIAISON, transfer_no=zzb, disposal="closed",
                                         on=D + timedelta(4)))
    assert status(graph, "Clue", "XS-1") == "accepted"
    graph.write(lambda tx: clues.dispose(tx, actor=LIAISON, transfer_no=jw, disposal="inquiry",
                                         on=D + timedelta(6)))
    assert status(graph, "Clue", "XS-1") == "inquiry"
    graph.write(lambda tx: clues.dispose(tx, actor=LIAISON, transfer_no=jw, disposal="closed",
                                         on=D + timedelta(9)))
    assert status(graph, "Transfer", jw) == "closed" and status(graph, "Clue", "XS-1") == "closed"


def test_a_returned_clue_goes_back_to_registered_and_can_be_sent_again(graph: Store) -> None:
    register(graph)
    t = send(graph, "D-ZZB")
    with pytest.raises(ValidationError, match="reason"):
        graph.write(lambda tx: clues.return_transfer(tx, actor=LIAISON, transfer_no=t,
                                                     on=D, reason=" "))
    graph.write(lambda tx: clues.return_transfer(tx, actor=LIAISON, transfer_no=t,
                                                 on=D + timedelta(2), reason="不属本部门管辖"))
    assert status(graph, "Transfer", t) == "returned"
    assert status(graph, "Clue", "XS-1") == "registered"
    assert [e.get("to_status") for e in history(graph, "Clue", "XS-1")][-2:] == [
        "returned", "registered"]
    again = send(graph, "D-ZZB", D + timedelta(3))
    assert again == "XS-1/2" and status(graph, "Clue", "XS-1") == "transferred"


def test_moves_out_of_turn_are_refused_and_change_nothing(graph: Store) -> None:
    register(graph)
    t = send(graph, "D-JW")
    events = graph.count("Event")
    with pytest.raises(TransitionRefused, match="已移交 \\(transferred\\) to 立案"):
        graph.write(lambda tx: clues.file_case(tx, actor=LIAISON, transfer_no=t,
                                               case_no="AJ-9", on=D + timedelta(1)))
    with pytest.raises(TransitionRefused, match="before its previous step"):
        graph.write(lambda tx: clues.accept(tx, actor=LIAISON, transfer_no=t,
                                            on=D - timedelta(1)))
    with pytest.raises(ValidationError, match="unknown disposal"):
        graph.write(lambda tx: clues.dispose(tx, actor=LIAISON, transfer_no=t,
                                             disposal="ignore", on=D))
    with pytest.raises(ConflictError, match="already with"):
        send(graph, "D-JW")
    with pytest.raises(NotFound):
        send(graph, "D-NONE")
    with pytest.raises(TransitionRefused, match="before its registration"):
        send(graph, "D-ZZB", D - timedelta(3))
    assert graph.count("Event") == events and graph.count("Case") == 0
    assert status(graph, "Transfer", t) == "transferred" and graph.count("Transfer") == 1


def test_a_settled_clue_is_not_transferred_again(graph: Store) -> None:
    register(graph)
    t = send(graph, "D-JW")
    graph.write(lambda tx: clues.accept(tx, actor=LIAISON, transfer_no=t, on=D))
    graph.write(lambda tx: clues.dispose(tx, actor=LIAISON, transfer_no=t, disposal="closed",
                                         on=D))
    with pytest.raises(TransitionRefused, match="settled clue"):
        send(graph, "D-ZZB")


def test_transfers_awaiting_receipt_or_feedback_and_the_overdue(graph: Store) -> None:
    register(graph)
    register(graph, "XS-2")
    jw, zzb = send(graph, "D-JW"), send(graph, "D-ZZB")
    other = send(graph, "D-JW", no="XS-2")
    graph.write(lambda tx: clues.accept(tx, actor=LIAISON, transfer_no=zzb, on=D))
    graph.write(lambda tx: clues.accept(tx, actor=LIAISON, transfer_no=other, on=D))
    graph.write(lambda tx: clues.dispose(tx, actor=LIAISON, transfer_no=other,
                                         disposal="on_hold", on=D + timedelta(3)))

    def rows(as_of: date, **kw: str) -> list[tuple[str, str, bool]]:
        got = graph.read(lambda tx: clues.awaiting(tx, as_of=as_of, **kw))
        return [(r["transfer_no"], r["awaiting"], r["overdue"]) for r in got]

    assert rows(D + timedelta(20)) == [(jw, "receipt", True), (zzb, "feedback", False)]
    assert rows(D + timedelta(40), department="D-ZZB") == [(zzb, "feedback", True)]
    assert rows(D + timedelta(2)) == [(jw, "receipt", False), (other, "feedback", False),
                                      (zzb, "feedback", False)]
    assert rows(D - timedelta(1)) == []
    assert rows(D + timedelta(20), region="530100") == []


def test_case_outcomes_and_other_origins(graph: Store) -> None:
    register(graph)
    t = send(graph, "D-JW")
    for step in ("accept", "verification", "file"):
        graph.write(lambda tx, step=step: {
            "accept": lambda: clues.accept(tx, actor=LIAISON, transfer_no=t, on=D),
            "verification": lambda: clues.dispose(tx, actor=LIAISON, transfer_no=t,
                                                  disposal="verification", on=D),
            "file": lambda: clues.file_case(tx, actor=LIAISON, transfer_no=t,
                                            case_no="AJ-1", on=D)}[step]())
    with pytest.raises(ValidationError, match="needs its grade"):
        graph.write(lambda tx: case_files.record_outcome(tx, actor=LIAISON, case_no="AJ-1",
                                                         sanctions=["党纪处分"]))
    with pytest.raises(ValidationError, match="unknown sanction"):
        graph.write(lambda tx: case_files.record_outcome(tx, actor=LIAISON, case_no="AJ-1",
                                                         sanctions=["罚款"]))
    with pytest.raises(ValidationError, match="before its filing"):
        graph.write(lambda tx: case_files.record_outcome(tx, actor=LIAISON, case_no="AJ-1",
                                                         closed_on=D - timedelta(1)))
    case = graph.write(lambda tx: case_files.record_outcome(
        tx, actor=LIAISON, case_no="AJ-1", sanctions=["党纪处分", "政务处分"],
        party_grade="留党察看", funds_recovered=125000.5, closed_on=D + timedelta(60)))
    assert case.get("sanctions") == ["党纪处分", "政务处分"]
    assert case.get("party_sanction") == "留党察看" and case.get("funds_recovered") == 125000.5
    other = graph.write(lambda tx: case_files.file_other_case(
        tx, actor=LIAISON, no="AJ-2", department="D-JW", filed_on=D, origin="petition",
        title="信访举报案件"))
    assert other.get("region_code") == "532628" and other.get("origin") == "petition"
    with pytest.raises(ValidationError, match="origin"):
        graph.write(lambda tx: case_files.file_other_case(
            tx, actor=LIAISON, no="AJ-3", department="D-JW", filed_on=D,
            origin="inspection_clue", title="x"))


# --- properties ---------------------------------------------------------------------------

def _replay(steps: list[tuple[int, int]], departments: int) -> list[tuple[str, str]]:
    """Clue moves the rule makes while random allowed transfer steps are applied."""
    transfers = ["transferred"] * departments
    clue = clues.clue_status_for("registered", transfers[:1])
    moves = [("registered", clue)]
    for i, wish in steps:
        allowed = sorted(clues.TRANSFER.allowed(transfers[i]))
        if not allowed:
            continue
        transfers[i] = allowed[wish % len(allowed)]
        target = clues.clue_status_for(clue, transfers)
        if target != clue:
            moves.append((clue, target))
            clue = "registered" if target == "returned" else target
            if target == "returned":
                moves.append(("returned", "registered"))
    return moves


@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 9)), max_size=25))
def test_random_transfer_steps_only_move_the_clue_as_its_lifecycle_allows(
        steps: list[tuple[int, int]]) -> None:
    for source, target in _replay(steps, departments=3):
        assert target in clues.CLUE.allowed(source), (source, target)


_SEQ = itertools.count()


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["D-JW", "D-ZZB"]),
                          st.sampled_from(["accept", "inquiry", "verification", "on_hold",
                                           "closed", "case", "return"])), max_size=8))
def test_random_service_calls_never_leave_a_forbidden_state(
        graph: Store, steps: list[tuple[str, str]]) -> None:
    no = f"XS-P{next(_SEQ)}"
    register(graph, no)
    numbers = {d: send(graph, d, no=no) for d in ("D-JW", "D-ZZB")}
    for i, (dept, action) in enumerate(steps):
        t, on = numbers[dept], D + timedelta(i)

        def act(tx: Store, t: str = t, on: date = on, action: str = action) -> None:
            if action == "accept":
                clues.accept(tx, actor=LIAISON, transfer_no=t, on=on)
            elif action == "case":
                clues.file_case(tx, actor=LIAISON, transfer_no=t, case_no=f"{t}-AJ", on=on)
            elif action == "return":
                clues.return_transfer(tx, actor=LIAISON, transfer_no=t, on=on, reason="退回")
            else:
                clues.dispose(tx, actor=LIAISON, transfer_no=t, disposal=action, on=on)
        try:
            graph.write(act)
        except (TransitionRefused, ConflictError):
            pass
        tstatus = [status(graph, "Transfer", n) for n in numbers.values()]
        cstatus = status(graph, "Clue", no)
        assert cstatus in clues.CLUE.moves
        assert cstatus == clues.clue_status_for(cstatus, tstatus)
        if "case_filed" in tstatus:
            assert cstatus == "case_filed"
