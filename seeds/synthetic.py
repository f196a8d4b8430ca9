"""The scale generator: a synthetic province (or part of one) with realistic shapes.

`generate(scale, seed=N)` yields one `Plan` per county (the first holds the province, its
prefectures and their rounds), so a province of about a million nodes is written batch by batch
and never held in memory whole. The same seed gives the same graph: each county draws from its
own random source seeded with (seed, county code), whatever order counties are written in.

Shapes: a region tree (prefectures with 8–9 counties, about 11 townships a county, 10 villages a
township); departments of very different sizes (the discipline commission takes most transfers);
skewed degrees (each county has a few cadres named in many clues); kinship ties between
residents; clue conversion near the Yunnan seed's (about a third of transferred clues become
cases); at county scale and above, each county's planted instances of every supervision model
and their near-misses (seeds/planted.py). Everything is marked `synthetic: true`; counties and
below have made-up names (示例), and codes in the unused range x71–x79 so they never collide with
real ones.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from collab.access import idnumbers
from collab.access.idnumbers import IdKey
from collab.graph.store import Store
from collab.ledgers.build import Plan
from seeds import planted

SYN = {"synthetic": True}
PREFECTURES = (("530100", "昆明市"), ("530300", "曲靖市"), ("530400", "玉溪市"),
               ("530500", "保山市"), ("530600", "昭通市"), ("530700", "丽江市"),
               ("530800", "普洱市"), ("530900", "临沧市"), ("532300", "楚雄彝族自治州"),
               ("532500", "红河哈尼族彝族自治州"), ("532600", "文山壮族苗族自治州"),
               ("532800", "西双版纳傣族自治州"), ("532900", "大理白族自治州"),
               ("533100", "德宏傣族景颇族自治州"), ("533300", "怒江傈僳族自治州"),
               ("533400", "迪庆藏族自治州"))
# department abbreviation, name suffix, kind, share of transfers, staff
DEPARTMENTS = (("JW", "纪委监委", "discipline", 80, 40),
               ("ZZB", "委组织部", "organisation", 14, 12), ("SJ", "审计局", "audit", 3, 6),
               ("RS", "人社局", "human_resources", 2, 4),
               ("NY", "农业农村局", "agriculture", 1, 2))
_SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何罗高林农陆韦沈侯"
_GIVEN = "国华建明文平志春兰英秀云芳德永光荣学海军红强金福贵兴才琼丽"
_CATEGORIES = ("民生保障", "惠民资金", "集体三资", "工程项目", "作风建设", "基层党建", "乡村振兴")
_SUPPORT = ("briefing", "secondment", "consultation", "evaluation", "joint_check")
_CLUE_END = ("case_filed",) * 35 + ("closed",) * 30 + ("verification",) * 15 + \
    ("inquiry",) * 10 + ("accepted",) * 10


@dataclass(frozen=True)
class Shape:
    """How big: prefectures, counties per prefecture, townships per county, villages each;
    whether each county gets the supervision models' planted instances (seeds/planted.py)."""

    prefectures: int
    counties: int
    townships: int
    villages: int
    total_counties: int
    planted: bool = True


SCALES = {"village": Shape(1, 1, 1, 10, 1, planted=False), "county": Shape(1, 1, 11, 10, 1),
          "prefecture": Shape(1, 8, 11, 10, 8), "province": Shape(16, 8, 11, 10, 129)}
ISSUES_PER_VILLAGE = 15
RESIDENTS_PER_VILLAGE = 24
CADRES_PER_VILLAGE = 6
CLUES_PER_VILLAGE = 3


def counties(shape: Shape) -> Iterator[tuple[str, str]]:
    """(prefecture code, county code) for every county, the extra ones to the first few."""
    for p, (pcode, _) in enumerate(PREFECTURES[:shape.prefectures]):
        extra = 1 if p < shape.total_counties - shape.prefectures * shape.counties else 0
        for c in range(shape.counties + extra):
            yield pcode, f"{pcode[:4]}{71 + c:02d}"


def _top(shape: Shape) -> Plan:
    """The province, its prefectures, a round per prefecture."""
    plan = Plan()
    plan.node("Region", "530000", {"code": "530000", "name": "云南省", "level": "province"})
    for pcode, name in PREFECTURES[:shape.prefectures]:
        plan.node("Region", pcode, {"code": pcode, "name": name, "level": "prefecture"})
        plan.rel("PART_OF", ("Region", pcode), ("Region", "530000"))
        rcode = f"SYN-R{pcode}-2023"
        plan.node("Round", rcode, {"code": rcode, "name": f"{name}委2023年巡察（合成）",
                                   "level": "prefecture", "kind": "regular", "region_code": pcode,
                                   "start": date(2023, 3, 1), "end": date(2023, 11, 30),
                                   "year": 2023, **SYN})
    return plan


class County:
    """One county's synthetic graph, drawn from its own random source."""

    def __init__(self, seed: int, prefecture: str, code: str, shape: Shape, key: IdKey):
        self.rng, self.seed = random.Random(f"{seed}:{code}"), seed
        self.plan, self.key, self.code, self.shape = Plan(), key, code, shape
        self.prefecture, self.seq = prefecture, 0
        self.round = f"SYN-R{prefecture}-2023"

    def name(self) -> str:
        return self.rng.choice(_SURNAMES) + "".join(self.rng.sample(_GIVEN, self.rng.randint(1, 2)))

    def day(self, start: date, days: int) -> date:
        return start + timedelta(days=self.rng.randint(0, days))

    def person(self, region: str, *, with_id: bool) -> str:
        self.seq += 1
        born = self.day(date(1950, 1, 1), 365 * 45)
        props: dict[str, Any] = {"name": self.name(), "birth_date": born,
                                 "region_code": region, **SYN}
        if with_id:
            body = f"{self.code}{born:%Y%m%d}{self.seq % 1000:03d}"
            props |= idnumbers.person_fields(self.key, body + idnumbers.check_digit(body))
        else:
            props["uid"] = f"P-S{region}-{self.seq:05d}"
        self.plan.node("Person", props["uid"], props)
        return props["uid"]

    def region(self, code: str, name: str, level: str, parent: str) -> None:
        self.plan.node("Region", code, {"code": code, "name": name, "level": level, **SYN})
        self.plan.rel("PART_OF", ("Region", code), ("Region", parent))

    def build(self) -> Plan:
        self.region(self.code, f"示例县{self.code[-2:]}", "county", self.prefecture)
        departments = self._departments()
        groups = []
        for g in range(1, 3):
            gcode = f"SYN-G{self.code}-{g}"
            self.plan.node("Group", gcode, {"code": gcode, "name": f"第{g}巡察组（合成）",
                                            "region_code": self.code, **SYN})
            self.plan.rel("OF_ROUND", ("Group", gcode), ("Round", self.round))
            groups.append(("Group", gcode))
        hubs = [self.person(self.code, with_id=True) for _ in range(3)]
        for t in range(1, self.shape.townships + 1):
            tcode = f"{self.code}{t + 100:03d}"
            self.region(tcode, f"示例{t}镇", "township", self.code)
            for v in range(1, self.shape.villages + 1):
                self._village(f"{tcode}{v:03d}", f"示例{t}镇{v}村", tcode, groups, departments,
                              hubs)
        if self.shape.planted:
            planted.plant(self.plan, seed=self.seed, prefecture=self.prefecture,
                          county=self.code, key=self.key)
        return self.plan

    def _departments(self) -> list[tuple[str, int]]:
        out = []
        for abbr, suffix, kind, share, staff in DEPARTMENTS:
            code = f"SYN-D{self.code}-{abbr}"
            self.plan.node("Department", code, {"code": code, "name": f"示例县{suffix}",
                                                "kind": kind, "region_code": self.code, **SYN})
            self.plan.rel("IN_REGION", ("Department", code), ("Region", self.code))
            for _ in range(staff):
                uid = self.person(self.code, with_id=True)
                self.plan.rel("WORKS_AT", ("Person", uid), ("Department", code))
            for i in range(self.rng.randint(0, 6)):
                sno = f"SYN-S{self.code}-{abbr}-{i}"
                self.plan.node("Support", sno, {"no": sno, "kind": self.rng.choice(_SUPPORT),
                                                "on": self.day(date(2023, 2, 1), 300),
                                                "region_code": self.code, **SYN})
                self.plan.rel("PROVIDED", ("Department", code), ("Support", sno))
                self.plan.rel("FOR", ("Support", sno), ("Round", self.round))
            out.append((code, share))
        return out

    def _village(self, code: str, name: str, township: str, groups: list[tuple[str, str]],
                 departments: list[tuple[str, int]], hubs: list[str]) -> None:
        self.region(code, name, "village", township)
        unit = ("Unit", "SYN-U" + code)
        self.plan.node("Unit", unit[1], {"code": unit[1], "name": name + "党支部",
                                         "kind": "village_branch", "region_code": code, **SYN})
        self.plan.rel("IN_REGION", unit, ("Region", code))
        self.plan.rel("INSPECTS", self.rng.choice(groups), unit)
        cadres = [self.person(code, with_id=True) for _ in range(CADRES_PER_VILLAGE)]
        for uid in cadres:
            self.plan.rel("WORKS_AT", ("Person", uid), unit, position="村干部")
        residents = [self.person(code, with_id=False) for _ in range(RESIDENTS_PER_VILLAGE)]
        for a, b in zip(residents[::2], residents[1::2], strict=True):
            self.plan.rel("RELATED_TO", ("Person", a), ("Person", b),
                          kind=self.rng.choice(("spouse", "kin", "kin", "business")))
        self.plan.rel("RELATED_TO", ("Person", cadres[0]), ("Person", residents[0]), kind="kin")
        issues = []
        for i in range(1, ISSUES_PER_VILLAGE + 1):
            issues.append(self._issue(f"SYN-I{code}-{i:02d}", unit, code, groups,
                                      residents + cadres))
        names = [d for d, _ in departments]
        shares = [s for _, s in departments]
        for c in range(1, CLUES_PER_VILLAGE + 1):
            against = self.rng.choice(hubs) if self.rng.random() < 0.3 else \
                self.rng.choice(cadres)
            self._clue(f"SYN-C{code}-{c}", self.rng.choice(issues), code, against,
                       self.rng.choices(names, shares)[0])

    def _issue(self, no: str, unit: tuple[str, str], region: str,
               groups: list[tuple[str, str]], people: list[str]) -> tuple[str, date]:
        found = self.day(date(2023, 3, 5), 250)
        masses = self.rng.random() < 0.3
        category = self.rng.choice(_CATEGORIES)
        self.plan.node("Issue", no, {"no": no, "title": f"{category}问题（合成）",
                                     "description": f"{category}方面的问题，{found}发现（合成）",
                                     "category": category, "found_on": found,
                                     "region_code": region, "masses_problem": masses,
                                     "solved": masses and self.rng.random() < 0.7, **SYN})
        self.plan.rel("CONCERNS", ("Issue", no), unit)
        self.plan.rel("FOUND_BY", ("Issue", no), self.rng.choice(groups))
        for uid in self.rng.sample(people, 2):
            self.plan.rel("INVOLVES", ("Issue", no), ("Person", uid))
        task = "ZG-" + no
        status = self.rng.choices(("verified", "done", "in_progress", "open"), (45, 30, 18, 7))[0]
        self.plan.node("Rectification", task, {
            "no": task, "title": "整改（合成）", "deadline": found + timedelta(days=90),
            "status": status, "region_code": region, **SYN})
        self.plan.rel("HAS_TASK", ("Issue", no), ("Rectification", task))
        self.plan.rel("OWNED_BY", ("Rectification", task), unit)
        return no, found

    def _clue(self, no: str, issue: tuple[str, date], region: str, against: str,
              department: str) -> None:
        on = issue[1] + timedelta(days=self.rng.randint(5, 40))
        status = self.rng.choice(_CLUE_END)
        self.plan.node("Clue", no, {"no": no, "title": "问题线索（合成）", "registered_on": on,
                                    "status": status, "region_code": region, **SYN})
        self.plan.rel("FROM_ISSUE", ("Clue", no), ("Issue", issue[0]))
        self.plan.rel("AGAINST", ("Clue", no), ("Person", against))
        tno = no + "/1"
        at = on + timedelta(days=self.rng.randint(1, 15))
        self.plan.node("Transfer", tno, {"no": tno, "clue_no": no, "department_code": department,
                                         "at": at, "status": status, "region_code": region,
                                         **SYN})
        self.plan.rel("TRANSFERRED", ("Clue", no), ("Transfer", tno))
        self.plan.rel("TO", ("Transfer", tno), ("Department", department))
        if status == "case_filed":
            case = "AJ-" + no
            filed = at + timedelta(days=self.rng.randint(20, 120))
            self.plan.node("Case", case, {"no": case, "title": "案件（合成）", "filed_on": filed,
                                          "origin": "inspection_clue", "region_code": region,
                                          **SYN})
            self.plan.rel("BECAME", ("Clue", no), ("Case", case))
            self.plan.rel("FILED_BY", ("Case", case), ("Department", department))
            self.plan.rel("SUBJECT", ("Case", case), ("Person", against))


def generate(scale: str, *, seed: int, key: IdKey) -> Iterator[Plan]:
    """The graph of `scale`, one Plan per county after a first one for the top of the tree."""
    shape = SCALES[scale]
    yield _top(shape)
    for prefecture, code in counties(shape):
        yield County(seed, prefecture, code, shape, key).build()


def expected(scale: str, *, seed: int, key: IdKey) -> planted.Expected:
    """What the supervision models must find in the graph of `scale`, and must not."""
    out = planted.Expected()
    if SCALES[scale].planted:
        for prefecture, code in counties(SCALES[scale]):
            out.add(planted.plant(Plan(), seed=seed, prefecture=prefecture, county=code,
                                  key=key))
    return out


def load(store: Store, *, scale: str, seed: int, key: IdKey) -> dict[str, int]:
    """Write the generated graph, one transaction per batch; element counts written."""
    written: dict[str, int] = {}
    for plan in generate(scale, seed=seed, key=key):
        for name, n in store.write(plan.write).items():
            written[name] = written.get(name, 0) + n
    return written
