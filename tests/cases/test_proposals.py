"""Proposals for a joint check on a hand-built graph whose best answers are known.

The graph: 那能乡党委 (U1) has issue WT-1 (民生保障) involving 张三, and clue XS-1 from it
against 李四; task ZG-1 rectifies WT-1. Departments of its region chain dealt with 民生保障
before to different degrees; one prefecture department elsewhere dealt with it most but is out
of the chain. Staff are placed to hit every conflict-of-interest rule.
"""

from __future__ import annotations

from datetime import date

import pytest

from collab.access.actors import Actor
from collab.cases import checks, proposals
from collab.config import Config
from collab.errors import ConfigError, NotFound
from collab.graph.store import Store

COORD = Actor("王协调")
ON = date(2024, 5, 1)
CAT = "民生保障"

DEPARTMENTS = [("D-RS", "富宁县人社局", "532628"), ("D-JW", "富宁县纪委监委", "532628"),
               ("D-NY", "富宁县农业农村局", "532628"), ("D-SJ", "文山州审计局", "532600"),
               ("D-CZ", "文山州财政局", "532600"), ("D-XX", "昭通市人社局", "530600")]
PEOPLE = {"P-ZS": "张三", "P-LS": "李四", "P-WW": "王五", "P-SP": "刘配偶",
          "P-C1": "陈一", "P-C2": "陈二", "P-C3": "陈三", "P-Z1": "周一", "P-Z2": "周二",
          "P-Z4": "周四", "P-W1": "吴一", "P-W2": "吴二", "P-W3": "吴三",
          "P-K1": "孔一", "P-K2": "孔二"}
WORKS = [("P-ZS", "Unit", "U1", "村干部", None, None),
         ("P-SP", "Unit", "U1", "乡党委委员", None, None),
         ("P-C3", "Unit", "U1", "副乡长", date(2015, 1, 1), date(2019, 12, 31)),
         ("P-Z4", "Unit", "U1", "挂职干部", date(2023, 1, 1), None),
         ("P-C1", "Department", "D-RS", "科长", None, None),
         ("P-C2", "Department", "D-RS", "科员", None, None),
         ("P-C3", "Department", "D-JW", "副主任", date(2020, 1, 1), None),
         ("P-Z1", "Department", "D-JW", "审查调查室主任", None, None),
         ("P-Z2", "Department", "D-JW", "纪检监察员", None, None),
         ("P-Z4", "Department", "D-JW", "纪检监察员", None, None),
         ("P-W1", "Department", "D-SJ", "审计组长", None, None),
         ("P-W2", "Department", "D-SJ", "审计员", None, None),
         ("P-W3", "Department", "D-SJ", "审计员", None, None)]
RELATED = [("P-Z1", "P-WW", "同学"), ("P-WW", "P-LS", "表兄弟"), ("P-W1", "P-SP", "配偶"),
           ("P-C2", "P-K1", "朋友"), ("P-K1", "P-K2", "生意伙伴"), ("P-K2", "P-ZS", "亲属")]


def build(store: Store) -> None:
    store.upsert_nodes("Unit", [{"code": "U1", "name": "中共富宁县那能乡委员会",
                                 "region_code": "532628107"},
                                {"code": "U2", "name": "中共富宁县剥隘镇委员会",
                                 "region_code": "532628101"}])
    store.upsert_nodes("Department", [{"code": c, "name": n, "region_code": r}
                                      for c, n, r in DEPARTMENTS])
    store.upsert_nodes("Person", [{"uid": u, "name": n} for u, n in PEOPLE.items()])
    for label in ("Unit", "Department"):
        store.upsert_rels("WORKS_AT", [{"src": p, "dst": d, "position": pos, "since": s,
                                        "until": t} for p, lb, d, pos, s, t in WORKS
                                       if lb == label], src="Person", dst=label)
    store.upsert_rels("RELATED_TO", [{"src": a, "dst": b, "kind": k} for a, b, k in RELATED],
                      src="Person", dst="Person")
    store.upsert_nodes("Issue", [
        {"no": "WT-1", "title": "老年人未领取养老金", "category": CAT},
        {"no": "WT-2", "title": "集体资金管理不规范", "category": "三资管理"},
        {"no": "WT-OLD", "title": "低保错发", "category": CAT},
        {"no": "WT-OLD2", "title": "医保断缴", "category": CAT},
        {"no": "WT-ZT1", "title": "昭通养老金问题一", "category": CAT},
        {"no": "WT-ZT2", "title": "昭通养老金问题二", "category": CAT},
        {"no": "WT-NY", "title": "农田撂荒", "category": "耕地保护"}])
    store.upsert_rels("CONCERNS", [{"src": "WT-1", "dst": "U1"}, {"src": "WT-2", "dst": "U1"},
                                   {"src": "WT-OLD", "dst": "U2"}], src="Issue", dst="Unit")
    store.upsert_rels("INVOLVES", [{"src": "WT-1", "dst": "P-ZS"}], src="Issue", dst="Person")
    store.upsert_rels("FOUND_WITH", [{"src": i, "dst": d} for i, d in (
        ("WT-OLD", "D-RS"), ("WT-OLD2", "D-RS"), ("WT-ZT1", "D-XX"), ("WT-ZT2", "D-XX"),
        ("WT-NY", "D-NY"))], src="Issue", dst="Department")
    store.upsert_nodes("Clue", [{"no": "XS-1", "title": "干部未跟进养老金"},
                                {"no": "XS-OLD", "title": "低保优亲厚友"}])
    store.upsert_rels("FROM_ISSUE", [{"src": "XS-1", "dst": "WT-1"},
                                     {"src": "XS-OLD", "dst": "WT-OLD"}], src="Clue", dst="Issue")
    store.upsert_rels("AGAINST", [{"src": "XS-1", "dst": "P-LS"}], src="Clue", dst="Person")
    store.upsert_nodes("Transfer", [{"no": "XS-OLD/1"}])
    store.upsert_rels("TRANSFERRED", [{"src": "XS-OLD", "dst": "XS-OLD/1"}], src="Clue",
                      dst="Transfer")
    store.upsert_rels("TO", [{"src": "XS-OLD/1", "dst": "D-JW"}], src="Transfer",
                      dst="Department")
    store.upsert_nodes("Case", [{"no": "AJ-1", "title": "低保优亲厚友案"}])
    store.upsert_rels("BECAME", [{"src": "XS-OLD", "dst": "AJ-1"}], src="Clue", dst="Case")
    store.upsert_rels("FILED_BY", [{"src": "AJ-1", "dst": "D-JW"}], src="Case",
                      dst="Department")
    store.upsert_nodes("Support", [{"no": "S-1", "kind": "consultation", "category": CAT},
                                   {"no": "S-2", "kind": "evaluation", "category": CAT},
                                   {"no": "S-3", "kind": "briefing", "category": "耕地保护"}])
    store.upsert_rels("PROVIDED", [{"src": "D-SJ", "dst": "S-1"}, {"src": "D-CZ", "dst": "S-2"},
                                   {"src": "D-NY", "dst": "S-3"}], src="Department",
                      dst="Support")
    store.upsert_nodes("Rectification", [
        {"no": "ZG-1", "title": "补发养老金", "status": "done", "deadline": date(2024, 6, 30),
         "region_code": "532628107"},
        {"no": "ZG-OLD", "title": "清理低保", "status": "verified",
         "deadline": date(2023, 6, 30), "region_code": "532628101"}])
    store.upsert_rels("HAS_TASK", [{"src": "WT-1", "dst": "ZG-1"},
                                   {"src": "WT-OLD", "dst": "ZG-OLD"}], src="Issue",
                      dst="Rectification")
    store.upsert_rels("OWNED_BY", [{"src": "ZG-1", "dst": "U1"}, {"src": "ZG-OLD", "dst": "U2"}],
                      src="Rectification", dst="Unit")
    # An earlier, closed check of 民生保障 (陈一 took part) and an open one (财政局, 吴二).
    store.upsert_nodes("JointCheck", [{"no": "JC-OLD", "status": "closed"},
                                      {"no": "JC-OPEN", "status": "planned"}])
    store.upsert_rels("CHECKS", [{"src": "JC-OLD", "dst": "ZG-OLD"}], src="JointCheck",
                      dst="Rectification")
    store.upsert_rels("ON_CHECK", [{"src": "P-C1", "dst": "JC-OLD"},
                                   {"src": "P-W2", "dst": "JC-OPEN"}], src="Person",
                      dst="JointCheck")
    store.upsert_rels("ASSIGNED_TO", [{"src": "JC-OPEN", "dst": "D-CZ"}], src="JointCheck",
                      dst="Department")
    store.write(lambda tx: checks.create(tx, actor=COORD, no="JC-NEW", title="养老金整改联合检查",
                                         start=ON, end=date(2024, 5, 20), on=ON,
                                         rectifications=("ZG-1",)))


@pytest.fixture
def graph(store: Store) -> Store:
    build(store)
    return store


def test_departments_ranked_by_relevance_then_load_within_the_region_chain(graph: Store) -> None:
    p = proposals.propose(graph, check="JC-NEW", on=ON)
    assert p.categories == [CAT]
    assert [(d.code, d.score, d.load) for d in p.departments] == [
        ("D-RS", 6, 0), ("D-JW", 5, 0), ("D-SJ", 1, 0), ("D-CZ", 1, 1), ("D-NY", 0, 0)]
    assert p.departments[1].evidence == {"found_with": 0, "cases": 1, "transfers": 1,
                                         "checks": 0, "support": 0}
    assert [d.code for d in p.proposed_departments] == ["D-RS", "D-JW", "D-SJ"]


def test_people_ranked_and_conflicted_ones_excluded_with_their_paths(graph: Store) -> None:
    p = proposals.propose(graph, check="JC-NEW", on=ON)
    assert [(x.name, x.department, x.score, x.load) for x in p.people] == [
        ("陈一", "D-RS", 8, 0), ("陈二", "D-RS", 6, 0), ("周二", "D-JW", 5, 0),
        ("吴三", "D-SJ", 1, 0), ("吴二", "D-SJ", 1, 1)]
    got = {e.name: (e.rule, [n.get("name") for n in e.path.nodes]) for e in p.excluded}
    assert got == {
        "陈三": ("worked_at_unit", ["陈三", "中共富宁县那能乡委员会"]),
        "周四": ("works_at_unit", ["周四", "中共富宁县那能乡委员会"]),
        "周一": ("near_person", ["周一", "王五", "李四"]),
        "吴一": ("near_unit", ["吴一", "刘配偶", "中共富宁县那能乡委员会"]),
    }
    by_name = {e.name: e for e in p.excluded}
    assert "曾在被检查单位任职" in by_name["陈三"].reason
    assert "问题线索XS-1所涉李四相距2步" in by_name["周一"].reason
    assert "关系(配偶)" in by_name["吴一"].explain()
    assert "至2019-12-31" in by_name["陈三"].explain()


def test_conflict_reach_is_configurable(graph: Store) -> None:
    near = proposals.propose(graph, check="JC-NEW", on=ON,
                             policy=proposals.ProposalPolicy(hops=3))
    chen = {e.name: e for e in near.excluded}["陈二"]
    assert chen.rule == "near_person"
    assert [n.get("name") for n in chen.path.nodes] == ["陈二", "孔一", "孔二", "张三"]
    with pytest.raises(ConfigError):
        proposals.ProposalPolicy(hops=4)
    assert Config.from_env({"COLLAB_CONFLICT_HOPS": "1"}).proposal_policy().hops == 1


def test_people_named_in_issues_or_clues_are_refused_with_the_path(graph: Store) -> None:
    found = proposals.conflicts(graph, check="JC-NEW", people=["P-LS", "P-ZS", "P-Z2"], on=ON)
    assert [(e.name, e.rule, [n.key for n in e.path.nodes]) for e in found] == [
        ("李四", "named_in_clue", ["P-LS", "XS-1", "WT-1", "U1"]),
        ("张三", "involved_in_issue", ["P-ZS", "WT-1", "U1"])]
    with pytest.raises(proposals.ConflictOfInterest, match="李四: 被问题线索反映"):
        graph.write(lambda tx: checks.assign(tx, actor=COORD, no="JC-NEW", on=ON,
                                             departments=("D-RS",), people=("P-C1", "P-LS")))
    assert checks.assigned(graph, "JC-NEW") == {"departments": [], "people": []}


def test_a_check_on_a_unit_takes_all_its_issue_categories(graph: Store) -> None:
    graph.write(lambda tx: checks.create(tx, actor=COORD, no="JC-U1", title="那能乡整改检查",
                                         start=ON, end=ON, on=ON, unit="U1"))
    p = proposals.propose(graph, check="JC-U1", on=ON)
    assert sorted(p.categories) == ["三资管理", CAT]
    assert {e.name for e in p.excluded} == {"陈三", "周四", "周一", "吴一"}
    with pytest.raises(NotFound):
        proposals.propose(graph, check="JC-404", on=ON)


def test_region_chain() -> None:
    assert proposals.region_chain("532628107") == ["532628107", "532628", "532600", "530000"]
    assert proposals.region_chain("532600") == ["532600", "530000"]
    assert proposals.region_chain("530000") == ["530000"]
