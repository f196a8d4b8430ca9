"""Known instances of every supervision model, and near-misses, planted in each county.

The scale generator (seeds/synthetic.py) calls `plant` for each county at county scale and
above: it adds the county's reference data sets (a roster, a payment list, a deceased list,
public servants, assistance recipients) and, beside the background, a few people, units,
issues, tasks, clues, transfers, departments and checks shaped so that each model must find
some of them (`Expected.found`) and must not find the others, which differ from a hit by one
detail (`Expected.missed`): paid the day of the death rather than after, nine issues instead of
ten, a relative working at another unit.

Everything planted is its own (new people, units and departments, named 示例 and marked
synthetic) and hangs only on background nodes whose keys are fixed (the county's first
township's villages, its first group and its prefecture's round), so `expected` gives the same
answer as the graph without generating the background, and the background (which draws from
its own random source) is the same with or without the plants. Planted people's ID numbers use
an address code no background person has (the county code's last two digits plus 20), so they
never coincide with one. Models run as of `AS_OF` find exactly these.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from collab.access import idnumbers
from collab.access.idnumbers import IdKey
from collab.analysis.datasets import DEFAULT_ROLES
from collab.ledgers.build import Plan

AS_OF = date(2024, 6, 30)
SYN = {"synthetic": True}
_SURNAMES = "黄农陆韦李王梁罗杨邓班陈沈卢覃蒙岑廖何周"
_GIVEN = "秀英兰芳桂花金凤玉梅春明国华文德志光建忠成福贵元安平发美丽珍琼"


@dataclass
class Expected:
    """(model code, key) pairs: `found` must each be in some hit's evidence of that model,
    `missed` in none."""

    found: set[tuple[str, str]] = field(default_factory=set)
    missed: set[tuple[str, str]] = field(default_factory=set)

    def add(self, other: Expected) -> None:
        self.found |= other.found
        self.missed |= other.missed


@dataclass(frozen=True)
class Someone:
    """A planted person: uid, name, birth date, masked ID number."""

    uid: str
    name: str
    born: date
    masked: str


class Planter:
    """Plants one county's instances into its plan, from its own random source."""

    def __init__(self, plan: Plan, *, seed: int, prefecture: str, county: str, key: IdKey):
        self.rng = random.Random(f"{seed}:{county}:planted")
        self.plan, self.key, self.county = plan, key, county
        self.addr = f"{county[:4]}{int(county[4:]) + 20:02d}"
        self.group = ("Group", f"SYN-G{county}-1")
        self.round = f"SYN-R{prefecture}-2023"
        self.expected = Expected()
        self.seq = 0
        self.rows: dict[str, int] = {}

    # --- building blocks --------------------------------------------------------------
    def village(self, n: int) -> str:
        return f"{self.county}101{n:03d}"

    def key_of(self, kind: str) -> str:
        self.seq += 1
        return f"SYN-P{self.county}-{kind}{self.seq:03d}"

    def name(self) -> str:
        return self.rng.choice(_SURNAMES) + "".join(self.rng.sample(_GIVEN, 2))

    def person(self, region: str, *, born: date | None = None,
               name: str | None = None) -> Someone:
        self.seq += 1
        born = born or date(1945, 1, 1) + timedelta(days=self.rng.randrange(0, 365 * 40))
        body = f"{self.addr}{born:%Y%m%d}{self.seq:03d}"
        number = body + idnumbers.check_digit(body)
        fields = idnumbers.person_fields(self.key, number)
        shown = name or self.name()
        self.plan.node("Person", fields["uid"], {**fields, "name": shown, "birth_date": born,
                                                 "region_code": region, **SYN})
        return Someone(fields["uid"], shown, born, fields["id_masked"])

    def unit(self, village: int, what: str) -> str:
        code = self.key_of("U")
        region = self.village(village)
        self.plan.node("Unit", code, {"code": code, "name": f"示例{what}（合成）",
                                      "kind": "cooperative", "region_code": region, **SYN})
        self.plan.rel("IN_REGION", ("Unit", code), ("Region", region))
        return code

    def issue(self, unit: str, village: int, category: str, found: date) -> str:
        no = self.key_of("I")
        self.plan.node("Issue", no, {"no": no, "title": f"{category}问题（合成）",
                                     "description": f"{category}方面的问题（合成）",
                                     "category": category, "found_on": found,
                                     "region_code": self.village(village), **SYN})
        self.plan.rel("CONCERNS", ("Issue", no), ("Unit", unit))
        self.plan.rel("FOUND_BY", ("Issue", no), self.group)
        return no

    def clue(self, village: int, registered: date, *, issue: str | None = None,
             against: str | None = None, status: str = "registered") -> str:
        no = self.key_of("C")
        self.plan.node("Clue", no, {"no": no, "title": "问题线索（合成）", "status": status,
                                    "registered_on": registered,
                                    "region_code": self.village(village), **SYN})
        if issue:
            self.plan.rel("FROM_ISSUE", ("Clue", no), ("Issue", issue))
        if against:
            self.plan.rel("AGAINST", ("Clue", no), ("Person", against))
        return no

    def transfer(self, clue: str, village: int, department: str, at: date, *,
                 status: str = "transferred", **extra: Any) -> str:
        no = clue + "/1"
        self.plan.node("Transfer", no, {"no": no, "clue_no": clue, "department_code": department,
                                        "at": at, "status": status,
                                        "region_code": self.village(village), **extra, **SYN})
        self.plan.rel("TRANSFERRED", ("Clue", clue), ("Transfer", no))
        self.plan.rel("TO", ("Transfer", no), ("Department", department))
        return no

    def department(self, abbr: str, name: str, kind: str) -> str:
        code = f"SYN-D{self.county}-{abbr}"
        self.plan.node("Department", code, {"code": code, "name": f"示例县{name}（合成）",
                                            "kind": kind, "region_code": self.county, **SYN})
        self.plan.rel("IN_REGION", ("Department", code), ("Region", self.county))
        return code

    def dataset(self, abbr: str, kind: str, name: str, source: str) -> str:
        code = f"SYN-DS{self.county}-{abbr}"
        self.plan.node("DataSet", code, {
            "code": code, "name": f"示例县{name}（合成）", "kind": kind,
            "source": f"示例县{source}", "as_of": AS_OF, "region_code": self.county,
            "roles": list(DEFAULT_ROLES), "regions": [self.county], **SYN})
        return code

    def record(self, dataset: str, who: Someone | None, region: str, *,
               name: str | None = None, born: date | None = None, **fields: Any) -> str:
        row = self.rows[dataset] = self.rows.get(dataset, 1) + 1
        no = f"{dataset}/{row}"
        self.plan.node("DataRecord", no, {
            "no": no, "dataset": dataset, "row": row, "name": name or (who and who.name),
            "birth_date": born or (who and who.born), "region_code": region,
            "id_masked": who and who.masked, **fields, **SYN})
        self.plan.rel("OF_SET", ("DataRecord", no), ("DataSet", dataset))
        if who is not None:
            self.plan.rel("NAMES", ("DataRecord", no), ("Person", who.uid))
        self.plan.node("DataSet", dataset, {"rows": row - 1})
        return no

    def hit(self, model: str, key: str) -> None:
        self.expected.found.add((model, key))

    def near(self, model: str, key: str) -> None:
        self.expected.missed.add((model, key))


def _lists(p: Planter) -> None:
    """The county's data sets: a background that raises nothing, and the planted cases."""
    roster = p.dataset("ROSTER", "roster", "60周岁以上人员花名册", "民政局")
    pay = p.dataset("PAY", "payment", "养老金及补贴发放名单", "人社局")
    dead = p.dataset("DEATH", "deceased", "死亡人口名单", "公安局")
    staff = p.dataset("STAFF", "public_servant", "财政供养人员名单", "财政局")
    poor = p.dataset("DB", "low_income", "低保对象名单", "民政局")
    for i in range(12):  # on the roster and paid once in May: nothing to find
        region = p.village(1 + i % 5)
        who = p.person(region)
        p.record(roster, who, region)
        p.record(pay, who, region, benefit="养老金", amount=143.0, paid_on=date(2024, 5, 1))
    for i in range(4):  # died, and not paid since
        who = p.person(p.village(2))
        p.record(dead, who, p.village(2), died_on=date(2023, 3 + i, 10))
    _deceased(p, dead, pay)
    _servants(p, staff, poor)
    _double(p, pay)
    _roster(p, roster, pay)


def _deceased(p: Planter, dead: str, pay: str) -> None:
    region = p.village(3)
    after = p.person(region)  # died in January, paid in February and March
    p.hit("deceased-paid", p.record(dead, after, region, died_on=date(2024, 1, 15)))
    for month in (2, 3):
        p.record(pay, after, region, benefit="养老金", amount=143.0, paid_on=date(2024, month, 1))
    before = p.person(region)  # paid on the 1st, died on the 20th
    p.near("deceased-paid", p.record(dead, before, region, died_on=date(2024, 3, 20)))
    p.record(pay, before, region, benefit="养老金", amount=143.0, paid_on=date(2024, 3, 1))
    same_day = p.person(region)  # paid the day it died: not after
    p.near("deceased-paid", p.record(dead, same_day, region, died_on=date(2024, 4, 1)))
    p.record(pay, same_day, region, benefit="养老金", amount=143.0, paid_on=date(2024, 4, 1))


def _servants(p: Planter, staff: str, poor: str) -> None:
    region = p.village(4)
    for _ in range(3):  # servants, and assistance recipients, not the same people
        p.record(staff, p.person(p.county), p.county, employer="示例县某局（合成）")
        p.record(poor, p.person(region), region, benefit="农村低保", amount=300.0)
    both = p.person(region)
    p.record(staff, both, p.county, employer="示例县某局（合成）", position="科员")
    p.hit("servant-assisted", p.record(poor, both, region, benefit="农村低保", amount=300.0))
    servant = p.person(p.county)
    p.record(staff, servant, p.county, employer="示例县某局（合成）", position="科员")
    namesake = p.person(region, born=servant.born, name=servant.name)  # another ID number
    p.near("servant-assisted", p.record(poor, namesake, region, benefit="农村低保",
                                        amount=300.0))


def _double(p: Planter, pay: str) -> None:
    region = p.village(5)
    twice = p.person(region)
    p.hit("double-paid", p.record(pay, twice, region, benefit="高龄补贴", amount=100.0,
                                  paid_on=date(2024, 5, 1)))
    p.record(pay, twice, region, benefit="高龄补贴", amount=100.0, paid_on=date(2024, 5, 20))
    monthly = p.person(region)
    p.near("double-paid", p.record(pay, monthly, region, benefit="高龄补贴", amount=100.0,
                                   paid_on=date(2024, 4, 1)))
    p.record(pay, monthly, region, benefit="高龄补贴", amount=100.0, paid_on=date(2024, 5, 1))
    two_kinds = p.person(region)
    p.near("double-paid", p.record(pay, two_kinds, region, benefit="高龄补贴", amount=100.0,
                                   paid_on=date(2024, 5, 1)))
    p.record(pay, two_kinds, region, benefit="残疾人补贴", amount=80.0, paid_on=date(2024, 5, 1))


def _roster(p: Planter, roster: str, pay: str) -> None:
    region = p.village(6)
    unpaid = p.person(region)
    p.hit("roster-unpaid", p.record(roster, unpaid, region))
    mistyped = p.person(region)  # paid, but the payment list's ID number is mistyped
    p.near("roster-unpaid", p.record(roster, mistyped, region))
    p.record(pay, None, region, name=mistyped.name, born=mistyped.born, benefit="养老金",
             amount=143.0, paid_on=date(2024, 5, 1), id_problem="身份证号校验位错误")
    no_id = p.person(region)  # no ID number on the roster, paid under its own
    p.near("roster-unpaid", p.record(roster, None, region, name=no_id.name, born=no_id.born,
                                     id_problem="无身份证号"))
    p.record(pay, no_id, region, benefit="养老金", amount=143.0, paid_on=date(2024, 5, 1))


def _subjects(p: Planter) -> None:
    """A person named in clues of two units; another in two clues of one unit and round."""
    one, two, three = (p.unit(v, "村集体经济合作社") for v in (7, 8, 9))
    across = p.person(p.village(7))
    for unit, village in ((one, 7), (two, 8)):
        p.clue(village, date(2023, 8, 1), issue=p.issue(unit, village, "集体三资",
                                                         date(2023, 7, 1)),
               against=across.uid, status="transferred")
    p.hit("repeat-subject", across.uid)
    same = p.person(p.village(9))
    for day in (1, 15):
        p.clue(9, date(2023, 8, day), issue=p.issue(three, 9, "集体三资", date(2023, 7, day)),
               against=same.uid, status="transferred")
    p.near("repeat-subject", same.uid)


def _tasks(p: Planter) -> None:
    """Issues back after a closing (and not), tasks closed with and without evidence."""
    unit = p.unit(10, "村级光伏电站")
    first = p.issue(unit, 10, "惠民资金", date(2023, 3, 10))
    task = _task(p, first, unit, 10, closed=date(2023, 9, 1), evidence="[2023-08-20] 已整改到位")
    p.hit("recurrence", p.issue(unit, 10, "惠民资金", date(2023, 12, 1)))
    p.near("recurrence", p.issue(unit, 10, "惠民资金", date(2024, 4, 2)))  # 7 months after
    p.near("recurrence", p.issue(unit, 10, "作风建设", date(2023, 11, 1)))  # another kind
    p.near("recurrence", p.issue(unit, 10, "惠民资金", date(2023, 8, 1)))  # before closing
    p.near("closed-unevidenced", task)
    for evidence in (None, "[2024-02-01] 补充材料"):
        issue = p.issue(unit, 10, "工程项目", date(2023, 10, 1))
        p.hit("closed-unevidenced", _task(p, issue, unit, 10, closed=date(2024, 1, 10),
                                          evidence=evidence))
    issue = p.issue(unit, 10, "基层党建", date(2023, 10, 1))
    p.near("closed-unevidenced", _task(p, issue, unit, 10, closed=date(2024, 1, 10),
                                       evidence="整改报告（台账导入，未注日期）"))


def _task(p: Planter, issue: str, unit: str, village: int, *, closed: date,
          evidence: str | None) -> str:
    no = p.key_of("ZG")
    p.plan.node("Rectification", no, {
        "no": no, "title": "整改（合成）", "deadline": closed, "status": "verified",
        "done_on": closed - timedelta(days=10), "verified_on": closed, "closed_on": closed,
        "evidence": evidence, "region_code": p.village(village), **SYN})
    p.plan.rel("HAS_TASK", ("Issue", issue), ("Rectification", no))
    p.plan.rel("OWNED_BY", ("Rectification", no), ("Unit", unit))
    return no


def _transfers(p: Planter) -> None:
    """Departments with overdue feedback (and not), clues left dormant (and not)."""
    due = {"feedback_due": date(2024, 5, 1)}
    for abbr, overdue, later in (("FB1", 3, 0), ("FB2", 2, 0), ("FB3", 0, 3)):
        dept = p.department(abbr, f"信访接办中心{abbr[-1]}", "other")
        for i in range(overdue + later):
            clue = p.clue(1, date(2024, 3, 20), status="transferred")
            p.transfer(clue, 1, dept, date(2024, 4, 1),
                       feedback_due=due["feedback_due"] if i < overdue else date(2024, 7, 30))
        (p.hit if abbr == "FB1" else p.near)("feedback-overdue", dept)
    p.hit("dormant-clue", p.clue(2, AS_OF - timedelta(days=60)))
    p.near("dormant-clue", p.clue(2, AS_OF - timedelta(days=20)))
    handed = p.clue(2, AS_OF - timedelta(days=200), status="accepted")
    p.transfer(handed, 2, f"SYN-D{p.county}-JW", AS_OF - timedelta(days=190), status="accepted",
               received_on=AS_OF - timedelta(days=185), feedback_on=AS_OF - timedelta(days=150))
    p.near("dormant-clue", handed)


def _conversion(p: Planter) -> None:
    """Five departments of a kind: one converts none of its ten clues (a hit); one converts
    fewer than its peers but not far fewer; one has too few clues to compare."""
    for abbr, sent, filed in (("XF1", 10, 4), ("XF2", 10, 4), ("XF3", 10, 0), ("XF4", 10, 3),
                              ("XF5", 9, 0)):
        dept = p.department(abbr, f"信访局{abbr[-1]}", "petitions")
        for i in range(sent):
            status = "case_filed" if i < filed else "closed"
            clue = p.clue(3, date(2023, 10, 1) + timedelta(days=i), status=status)
            at = date(2023, 10, 10) + timedelta(days=i)
            p.transfer(clue, 3, dept, at, status=status, feedback_on=at + timedelta(days=20))
            if i < filed:
                case = "AJ-" + clue
                p.plan.node("Case", case, {"no": case, "title": "案件（合成）",
                                           "filed_on": at + timedelta(days=40),
                                           "origin": "inspection_clue",
                                           "region_code": p.village(3), **SYN})
                p.plan.rel("BECAME", ("Clue", clue), ("Case", case))
                p.plan.rel("FILED_BY", ("Case", case), ("Department", dept))
        if abbr == "XF3":
            p.hit("low-conversion", dept)
        elif abbr in ("XF4", "XF5"):
            p.near("low-conversion", dept)


def _checks(p: Planter) -> None:
    """Checks whose members work at, or are related to someone at, the unit checked."""
    unit, other = p.unit(4, "村卫生室"), p.unit(5, "村小学")
    issue = p.issue(unit, 4, "民生保障", date(2023, 6, 1))
    task = _task(p, issue, unit, 4, closed=date(2023, 12, 1), evidence="[2023-11-01] 已整改")
    insider, kin, kin_at = (p.person(p.village(4)) for _ in range(3))
    outsider_kin, elsewhere = p.person(p.village(5)), p.person(p.village(5))
    p.plan.rel("WORKS_AT", ("Person", insider.uid), ("Unit", unit), position="会计")
    p.plan.rel("WORKS_AT", ("Person", kin_at.uid), ("Unit", unit), position="负责人")
    p.plan.rel("RELATED_TO", ("Person", kin.uid), ("Person", kin_at.uid), kind="spouse")
    p.plan.rel("WORKS_AT", ("Person", elsewhere.uid), ("Unit", other), position="校长")
    p.plan.rel("RELATED_TO", ("Person", elsewhere.uid), ("Person", outsider_kin.uid),
               kind="kin")
    for target, members in ((("Unit", unit), (insider, outsider_kin)), (("Rectification", task),
                                                                       (kin,))):
        no = p.key_of("JC")
        p.plan.node("JointCheck", no, {"no": no, "title": "联合监督检查（合成）",
                                       "status": "in_progress", "start": date(2024, 3, 1),
                                       "end": date(2024, 3, 31), "region_code": p.county,
                                       **SYN})
        p.plan.rel("CHECKS", ("JointCheck", no), target)
        for who in members:
            p.plan.rel("ON_CHECK", ("Person", who.uid), ("JointCheck", no))
    p.hit("check-conflict", insider.uid)
    p.hit("check-conflict", kin.uid)
    p.near("check-conflict", outsider_kin.uid)


def _silent(p: Planter) -> None:
    """Ten issues and no clue (a hit); nine and none; ten and one clue."""
    for what, issues, with_clue in (("村务监督委员会", 10, False), ("村民小组", 9, False),
                                    ("村级合作医疗站", 10, True)):
        unit = p.unit(6, what)
        found = [p.issue(unit, 6, "作风建设", date(2023, 6, 1) + timedelta(days=i))
                 for i in range(issues)]
        if with_clue:
            p.clue(6, date(2023, 7, 1), issue=found[0], status="transferred")
        (p.near if issues < 10 or with_clue else p.hit)("silent-unit", unit)


def plant(plan: Plan, *, seed: int, prefecture: str, county: str, key: IdKey) -> Expected:
    """Plant one county's instances and near-misses into `plan`; what the models must find."""
    p = Planter(plan, seed=seed, prefecture=prefecture, county=county, key=key)
    for part in (_lists, _subjects, _tasks, _transfers, _conversion, _checks, _silent):
        part(p)
    return p.expected
