"""Joint checks: creation, lifecycle refusals, findings that verify or reopen, stale writes."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from collab.access.actors import Actor
from collab.cases import checks, rectification, support
from collab.cases.lifecycle import TransitionRefused, history
from collab.errors import ConflictError, NotFound, ValidationError
from collab.graph.store import Store

COORD = Actor("王协调")
ON = date(2024, 5, 1)


@pytest.fixture
def scene(store: Store) -> Store:
    store.upsert_nodes("Unit", [{"code": "U1", "name": "中共富宁县那能乡委员会",
                                 "region_code": "532628107"},
                                {"code": "U2", "name": "中共砚山县江那镇委员会",
                                 "region_code": "532622100"}])
    store.upsert_nodes("Issue", [{"no": "WT-1", "title": "养老金未发放", "category": "民生保障"},
                                 {"no": "WT-2", "title": "资金管理", "category": "三资管理"}])
    store.upsert_nodes("Department", [{"code": "D-RS", "name": "富宁县人社局",
                                       "region_code": "532628"}])
    store.upsert_nodes("Person", [{"uid": "P-1", "name": "陈一"}])
    for no, issue, unit in (("ZG-1", "WT-1", "U1"), ("ZG-2", "WT-1", "U1"),
                            ("ZG-3", "WT-2", "U2")):
        store.write(lambda tx, no=no, issue=issue, unit=unit: rectification.create(
            tx, actor=COORD, no=no, issue=issue, unit=unit, title=f"整改{no}",
            deadline=date(2024, 4, 30), on=date(2024, 1, 2)))
        store.write(lambda tx, no=no: rectification.advance(
            tx, actor=COORD, no=no, to="done", on=date(2024, 4, 20), evidence="已整改"))
    store.write(lambda tx: checks.create(tx, actor=COORD, no="JC-1", title="那能乡联合监督检查",
                                         start=ON, end=date(2024, 5, 10), on=ON, unit="U1"))
    return store


def move(store: Store, to: str, on: date = ON, **kw: object) -> None:
    store.write(lambda tx: checks.advance(tx, actor=COORD, no="JC-1", to=to, on=on, **kw))


def finding(store: Store, rect: str, verified: bool, note: str = "") -> checks.Finding:
    return store.write(lambda tx: checks.record_finding(
        tx, actor=COORD, no="JC-1", rectification_no=rect, verified=verified,
        on=date(2024, 5, 5), note=note))


def test_create_refuses_bad_input_and_writes_nothing(scene: Store) -> None:
    def create(**kw: object) -> None:
        args = {"no": "JC-2", "title": "检查", "start": ON, "end": ON, "on": ON, **kw}
        scene.write(lambda tx: checks.create(tx, actor=COORD, **args))

    with pytest.raises(ValidationError, match="needs a unit or rectification"):
        create()
    with pytest.raises(ValidationError, match="before it starts"):
        create(unit="U1", end=date(2024, 4, 1))
    with pytest.raises(NotFound, match="ZG-404"):
        create(rectifications=("ZG-1", "ZG-404"))
    with pytest.raises(ConflictError, match="already exists"):
        create(no="JC-1", unit="U1")
    assert scene.count("JointCheck") == 1
    create(rectifications=("ZG-1", "ZG-3"))
    node = scene.get("JointCheck", "JC-2")
    assert node is not None and node.get("status") == "planned"
    assert scene.counts()["rels"]["CHECKS"] == 3


def test_lifecycle_refusals(scene: Store) -> None:
    with pytest.raises(TransitionRefused, match="计划 \\(planned\\) to 已结束 \\(closed\\)"):
        move(scene, "closed")
    with pytest.raises(TransitionRefused, match="findings are recorded while it is in progress"):
        finding(scene, "ZG-1", True)
    move(scene, "in_progress")
    move(scene, "reported", date(2024, 5, 10))
    with pytest.raises(TransitionRefused, match="before its previous step"):
        move(scene, "closed", date(2024, 5, 9))
    assert [e.get("to_status") for e in history(scene, "JointCheck", "JC-1")] == [
        "planned", "in_progress", "reported"]


def test_a_not_verified_finding_reopens_the_task(scene: Store) -> None:
    move(scene, "in_progress")
    finding(scene, "ZG-1", False, "仍有3人未领到养老金")
    finding(scene, "ZG-2", True, "资料齐全")
    one, two = scene.get("Rectification", "ZG-1"), scene.get("Rectification", "ZG-2")
    assert one is not None and two is not None
    assert (one.get("status"), one.get("reopened")) == ("reopened", 1)
    assert two.get("status") == "verified" and two.get("verified_on") == date(2024, 5, 5)
    reopen = history(scene, "Rectification", "ZG-1")[-1]
    assert "联合监督检查JC-1未通过" in reopen.get("reason")
    got = [(f.rectification, f.verified, f.note) for f in checks.findings(scene, "JC-1")]
    assert got == [("ZG-1", False, "仍有3人未领到养老金"), ("ZG-2", True, "资料齐全")]
    with pytest.raises(TransitionRefused, match="cannot be verified"):
        finding(scene, "ZG-1", True)
    with pytest.raises(ValidationError, match="does not check rectification ZG-3"):
        finding(scene, "ZG-3", False)


def test_closing_a_check_records_joint_check_support(scene: Store) -> None:
    scene.write(lambda tx: checks.assign(tx, actor=COORD, no="JC-1", on=ON,
                                         departments=("D-RS",), people=("P-1",)))
    team = checks.assigned(scene, "JC-1")
    assert [d.key for d in team["departments"]] == ["D-RS"]
    assert [p.get("name") for p in team["people"]] == ["陈一"]
    move(scene, "in_progress")
    move(scene, "reported")
    move(scene, "closed", date(2024, 5, 12))
    rows = support.counts(scene, region="532628")
    assert rows == [{"department": "D-RS", "name": "富宁县人社局", "kind": "joint_check",
                     "n": 1}]
    with pytest.raises(TransitionRefused, match="closed"):
        scene.write(lambda tx: checks.assign(tx, actor=COORD, no="JC-1", on=ON,
                                             departments=("D-RS",)))


def test_two_coordinators_assigning_at_once_one_is_refused_as_stale(scene: Store) -> None:
    seen = scene.get("JointCheck", "JC-1")
    assert seen is not None
    version = seen.get("version")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def coordinator(name: str, people: tuple[str, ...]) -> None:
        barrier.wait()
        try:
            scene.write(lambda tx: checks.assign(tx, actor=Actor(name), no="JC-1", on=ON,
                                                 departments=("D-RS",), people=people,
                                                 expected_version=version))
            outcomes.append(name)
        except ConflictError as e:
            assert "changed by someone else" in str(e)
            outcomes.append("stale")

    threads = [threading.Thread(target=coordinator, args=a)
               for a in (("甲协调", ("P-1",)), ("乙协调", ()))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("stale") == 1 and len(outcomes) == 2
    node = scene.get("JointCheck", "JC-1")
    assert node is not None and node.get("version") == version + 1
    assigned = [e for e in history(scene, "JointCheck", "JC-1") if e.get("kind") == "assigned"]
    assert len(assigned) == 1
