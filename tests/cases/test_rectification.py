"""Rectification tasks: lifecycle and its refusals, warnings, closing with sign-offs, figures."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from collab.access.actors import Actor
from collab.cases import rectification as rect
from collab.cases.lifecycle import TransitionRefused, history
from collab.config import Config
from collab.errors import ConfigError, ConflictError, NotFound, ValidationError
from collab.graph.store import Store

COORD = Actor("王协调")
LEADER = Actor("李局长", role="liaison")
SET_ON = date(2024, 1, 10)


def base(store: Store) -> None:
    """A unit with one issue, in 那能乡 (富宁县)."""
    store.upsert_nodes("Unit", [{"code": "U1", "name": "中共富宁县那能乡委员会",
                                 "region_code": "532628107"},
                                {"code": "U2", "name": "中共砚山县江那镇委员会",
                                 "region_code": "532622100"}])
    store.upsert_nodes("Issue", [{"no": "WT-1", "title": "66名老年人未领取养老金",
                                  "category": "民生保障"},
                                 {"no": "WT-2", "title": "集体资金管理不规范",
                                  "category": "三资管理"}])


def add(store: Store, no: str, deadline: date, *, issue: str = "WT-1", unit: str = "U1",
        on: date = SET_ON) -> None:
    store.write(lambda tx: rect.create(tx, actor=COORD, no=no, issue=issue, unit=unit,
                                       title=f"整改{no}", deadline=deadline, on=on,
                                       responsible="赵主办", leader="钱分管", principal="孙书记"))


def move(store: Store, no: str, to: str, on: date, **kw: object) -> None:
    store.write(lambda tx: rect.advance(tx, actor=COORD, no=no, to=to, on=on, **kw))


def close(store: Store, no: str, on: date) -> None:
    store.write(lambda tx: rect.close(tx, actor=COORD, no=no, on=on))


@pytest.fixture
def tasks(store: Store) -> Store:
    base(store)
    return store


def test_one_issue_may_have_several_tasks_each_owned_and_logged(tasks: Store) -> None:
    add(tasks, "ZG-1", date(2024, 3, 31))
    add(tasks, "ZG-2", date(2024, 4, 30))
    node = tasks.get("Rectification", "ZG-1")
    assert node is not None and node.get("status") == "open"
    assert node.get("region_code") == "532628107" and node.get("responsible") == "赵主办"
    assert tasks.counts()["rels"]["HAS_TASK"] == 2
    assert [e.get("kind") for e in history(tasks, "Rectification", "ZG-1")] == ["created"]
    with pytest.raises(ConflictError, match="already exists"):
        add(tasks, "ZG-1", date(2024, 3, 31))
    with pytest.raises(NotFound, match="no issue"):
        add(tasks, "ZG-3", date(2024, 3, 31), issue="WT-404")
    with pytest.raises(ValidationError, match="before the task is set"):
        add(tasks, "ZG-3", date(2023, 3, 31))
    assert tasks.count("Rectification") == 2


def test_lifecycle_moves_and_refusals(tasks: Store) -> None:
    add(tasks, "ZG-1", date(2024, 3, 31))
    with pytest.raises(TransitionRefused, match="未启动 \\(open\\) to 已验收 \\(verified\\)"):
        move(tasks, "ZG-1", "verified", date(2024, 2, 1))
    move(tasks, "ZG-1", "in_progress", date(2024, 1, 20))
    move(tasks, "ZG-1", "done", date(2024, 3, 1), evidence="已补发养老金66人")
    with pytest.raises(TransitionRefused, match="before its previous step"):
        move(tasks, "ZG-1", "verified", date(2024, 2, 1))
    move(tasks, "ZG-1", "reopened", date(2024, 3, 5), reason="抽查发现仍有3人未到账")
    node = tasks.get("Rectification", "ZG-1")
    assert node is not None
    assert node.get("status") == "reopened" and node.get("reopened") == 1
    assert node.get("done_on") is None and "66人" in node.get("evidence")
    assert [e.get("to_status") for e in history(tasks, "Rectification", "ZG-1")] == [
        "open", "in_progress", "done", "reopened"]


def test_warning_colours_and_escalating_recipients(tasks: Store) -> None:
    as_of = date(2024, 3, 1)
    add(tasks, "ZG-G", date(2024, 4, 30))   # 60 days left: green, not listed
    add(tasks, "ZG-Y", date(2024, 3, 15))   # 14 days: yellow
    add(tasks, "ZG-O", date(2024, 3, 11))   # 10 days: orange
    add(tasks, "ZG-R", date(2024, 2, 20))   # 10 days late: red
    add(tasks, "ZG-D", date(2024, 2, 20))   # late but done: no warning
    move(tasks, "ZG-D", "done", date(2024, 2, 25))
    got = [(w.no, w.colour, w.days_left, w.recipient_title, w.recipient)
           for w in rect.warnings(tasks, as_of=as_of)]
    assert got == [("ZG-R", "red", -10, "主要负责人", "孙书记"),
                   ("ZG-O", "orange", 10, "分管领导", "钱分管"),
                   ("ZG-Y", "yellow", 14, "主办人", "赵主办")]
    wider = rect.RectificationPolicy(yellow_days=90, orange_days=15)
    assert [(w.no, w.colour) for w in rect.warnings(tasks, as_of=as_of, policy=wider)] == [
        ("ZG-R", "red"), ("ZG-O", "orange"), ("ZG-Y", "orange"), ("ZG-G", "yellow")]
    assert rect.warnings(tasks, as_of=as_of, region="532622") == []


def test_policy_from_the_settings_and_bad_policy() -> None:
    policy = Config.from_env({"COLLAB_WARN_YELLOW_DAYS": "30",
                              "COLLAB_SIGNOFFS": "inspection_body"}).rectification_policy()
    assert policy.yellow_days == 30 and policy.orange_days == 10
    assert policy.signoffs == ("inspection_body",)
    with pytest.raises(ConfigError):
        rect.RectificationPolicy(yellow_days=5, orange_days=10)
    with pytest.raises(ConfigError, match="unknown sign-off"):
        Config.from_env({"COLLAB_SIGNOFFS": "mayor"})


def test_closing_needs_evidence_and_sign_offs_in_order(tasks: Store) -> None:
    add(tasks, "ZG-1", date(2024, 3, 31))
    move(tasks, "ZG-1", "done", date(2024, 3, 1))
    with pytest.raises(TransitionRefused, match="only a verified task"):
        close(tasks, "ZG-1", date(2024, 3, 2))
    move(tasks, "ZG-1", "verified", date(2024, 3, 5))
    with pytest.raises(TransitionRefused, match="整改佐证材料.*责任单位领导签字.*巡察机构签字"):
        close(tasks, "ZG-1", date(2024, 3, 6))
    with pytest.raises(TransitionRefused, match="责任单位领导 first"):
        tasks.write(lambda tx: rect.sign_off(tx, actor=COORD, no="ZG-1",
                                             role="inspection_body", on=date(2024, 3, 6)))
    tasks.write(lambda tx: rect.sign_off(tx, actor=LEADER, no="ZG-1", role="unit_leader",
                                         on=date(2024, 3, 6)))
    tasks.write(lambda tx: rect.add_evidence(tx, actor=COORD, no="ZG-1",
                                             text="养老金发放明细表", on=date(2024, 3, 6)))
    with pytest.raises(TransitionRefused, match="missing 巡察机构签字") as refused:
        close(tasks, "ZG-1", date(2024, 3, 7))
    assert "佐证" not in str(refused.value)
    tasks.write(lambda tx: rect.sign_off(tx, actor=COORD, no="ZG-1", role="inspection_body",
                                         on=date(2024, 3, 7)))
    close(tasks, "ZG-1", date(2024, 3, 8))
    node = tasks.get("Rectification", "ZG-1")
    assert node is not None and node.get("status") == "verified"
    assert node.get("closed_on") == date(2024, 3, 8)
    with pytest.raises(TransitionRefused, match="已销号"):
        close(tasks, "ZG-1", date(2024, 3, 9))
    move(tasks, "ZG-1", "reopened", date(2024, 6, 1), reason="回头看发现问题反弹")
    node = tasks.get("Rectification", "ZG-1")
    assert node is not None and node.get("closed_on") is None and node.get("signoffs") is None
    assert rect.signoffs(tasks, "ZG-1") == {"unit_leader": ("李局长", date(2024, 3, 6)),
                                            "inspection_body": ("王协调", date(2024, 3, 7))}


def test_a_configured_single_sign_off_is_enough(tasks: Store) -> None:
    policy = rect.RectificationPolicy(signoffs=("inspection_body",))
    add(tasks, "ZG-1", date(2024, 3, 31))
    move(tasks, "ZG-1", "done", date(2024, 3, 1), evidence="台账已更新")
    move(tasks, "ZG-1", "verified", date(2024, 3, 2))
    with pytest.raises(ValidationError, match="not a sign-off"):
        tasks.write(lambda tx: rect.sign_off(tx, actor=LEADER, no="ZG-1", role="unit_leader",
                                             on=date(2024, 3, 3), policy=policy))
    tasks.write(lambda tx: rect.sign_off(tx, actor=COORD, no="ZG-1", role="inspection_body",
                                         on=date(2024, 3, 3), policy=policy))
    tasks.write(lambda tx: rect.close(tx, actor=COORD, no="ZG-1", on=date(2024, 3, 4),
                                      policy=policy))
    node = tasks.get("Rectification", "ZG-1")
    assert node is not None and node.get("closed_on") == date(2024, 3, 4)


def test_evaluation_only_of_finished_tasks(tasks: Store) -> None:
    add(tasks, "ZG-1", date(2024, 3, 31))

    def evaluate(score: float) -> None:
        tasks.write(lambda tx: rect.evaluate(tx, actor=COORD, no="ZG-1", score=score,
                                             on=date(2024, 3, 9)))

    with pytest.raises(TransitionRefused, match="only a finished task"):
        evaluate(80)
    move(tasks, "ZG-1", "done", date(2024, 3, 1))
    with pytest.raises(ValidationError, match="between 0 and 100"):
        evaluate(120)
    evaluate(86.5)
    node = tasks.get("Rectification", "ZG-1")
    assert node is not None
    assert (node.get("score"), node.get("evaluator"), node.get("evaluated_on")) == (
        86.5, "王协调", date(2024, 3, 9))


def test_ledger_lists_tasks_with_unit_and_issue(tasks: Store) -> None:
    add(tasks, "ZG-1", date(2024, 3, 31))
    add(tasks, "ZG-6", date(2024, 3, 1), unit="U2", issue="WT-2")
    rows = rect.ledger(tasks)
    assert [(r["no"], r["unit_name"], r["issue_no"], r["deadline"]) for r in rows] == [
        ("ZG-6", "中共砚山县江那镇委员会", "WT-2", date(2024, 3, 1)),
        ("ZG-1", "中共富宁县那能乡委员会", "WT-1", date(2024, 3, 31))]


def test_two_concurrent_writers_one_is_refused_as_stale(tasks: Store) -> None:
    add(tasks, "ZG-1", date(2024, 3, 31))
    seen = tasks.get("Rectification", "ZG-1")
    assert seen is not None
    version = seen.get("version")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def writer(name: str) -> None:
        barrier.wait()
        try:
            tasks.write(lambda tx: rect.add_evidence(tx, actor=Actor(name), no="ZG-1",
                                                     text=f"{name}的佐证", on=date(2024, 2, 1),
                                                     expected_version=version))
            outcomes.append("ok")
        except ConflictError as e:
            outcomes.append("stale" if "changed by someone else" in str(e) else str(e))

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("甲协调", "乙协调")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "stale"]
    node = tasks.get("Rectification", "ZG-1")
    assert node is not None and node.get("version") == version + 1
    assert node.get("evidence").count("的佐证") == 1


def test_closing_table_shows_sign_offs_timeliness_and_what_is_missing(tasks: Store) -> None:
    add(tasks, "ZG-1", date(2024, 3, 31))
    add(tasks, "ZG-2", date(2024, 2, 29))
    move(tasks, "ZG-1", "done", date(2024, 3, 1), evidence="养老金补发明细")
    move(tasks, "ZG-1", "verified", date(2024, 3, 5))
    tasks.write(lambda tx: rect.sign_off(tx, actor=LEADER, no="ZG-1", role="unit_leader",
                                         on=date(2024, 3, 6)))
    headers, rows = rect.closing_table(tasks, as_of=date(2024, 4, 1))
    assert headers[:4] == ["序号", "问题编号", "问题", "整改编号"]
    assert headers[-7:] == ["责任单位领导签字", "责任单位领导签字日期", "巡察机构签字",
                            "巡察机构签字日期", "销号日期", "是否按期", "销号情况"]
    table = [dict(zip(headers, row, strict=True)) for row in rows]
    assert [t["整改编号"] for t in table] == ["ZG-2", "ZG-1"]
    late, ready = table
    assert (late["整改状态"], late["是否按期"], late["销号情况"]) == ("未启动", "否（已超期）",
                                                                "待验收")
    assert (ready["责任单位领导签字"], ready["责任单位领导签字日期"]) == ("李局长",
                                                                      date(2024, 3, 6))
    assert ready["是否按期"] == "是" and ready["销号情况"] == "待销号：缺巡察机构签字"
    assert ready["责任单位"] == "中共富宁县那能乡委员会" and ready["主办人"] == "赵主办"
