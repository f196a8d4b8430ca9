"""A small Yunnan scenario around the source article (shared/seed).

Region names and GB/T 2260 codes (county and above) are real; everything below county level,
and every person, issue, clue and case, is synthetic and carries `synthetic: true`.
"""

from __future__ import annotations

from datetime import date

from collab.graph.store import Graph

_SYN = {"synthetic": True}

REGIONS = [
    ("530000", "云南省", "province", None),
    ("530100", "昆明市", "prefecture", "530000"),
    ("530500", "保山市", "prefecture", "530000"),
    ("530600", "昭通市", "prefecture", "530000"),
    ("532600", "文山壮族苗族自治州", "prefecture", "530000"),
    ("530129", "寻甸回族彝族自治县", "county", "530100"),
    ("532622", "砚山县", "county", "532600"),
    ("532625", "马关县", "county", "532600"),
    ("532626", "丘北县", "county", "532600"),
    ("532628", "富宁县", "county", "532600"),
    ("532622100", "江那镇", "township", "532622"),
    ("532628107", "那能乡", "township", "532628"),
]

DEPARTMENTS = [
    ("D532600-JW", "文山州纪委监委", "discipline", "532600"),
    ("D532600-ZZB", "文山州委组织部", "organisation", "532600"),
    ("D532600-SJ", "文山州审计局", "audit", "532600"),
    ("D532628-JW", "富宁县纪委监委", "discipline", "532628"),
    ("D532628-RS", "富宁县人社局", "human_resources", "532628"),
]

UNITS = [
    ("U532622100", "中共砚山县江那镇委员会", "township_committee", "532622100"),
    ("U532628107", "中共富宁县那能乡委员会", "township_committee", "532628107"),
]


def load(g: Graph) -> dict[str, int]:
    """Write the scenario (idempotent: loading twice changes nothing); counts written."""
    written: dict[str, int] = {}

    def put(label: str, rows: list[dict]) -> None:
        written[label] = written.get(label, 0) + g.upsert_nodes(label, rows)

    def link(type_: str, src: str, dst: str, rows: list[dict]) -> None:
        written[type_] = written.get(type_, 0) + g.upsert_rels(type_, rows, src=src, dst=dst)

    put("Region", [{"code": c, "name": n, "level": lv, **({} if len(c) == 6 else _SYN)}
                   for c, n, lv, _ in REGIONS])
    link("PART_OF", "Region", "Region", [{"src": c, "dst": p} for c, _, _, p in REGIONS if p])
    put("Department", [{"code": c, "name": n, "kind": k, "region_code": r}
                       for c, n, k, r in DEPARTMENTS])
    link("IN_REGION", "Department", "Region", [{"src": c, "dst": r}
                                                for c, _, _, r in DEPARTMENTS])
    put("Unit", [{"code": c, "name": n, "kind": k, "region_code": r, **_SYN}
                 for c, n, k, r in UNITS])
    link("IN_REGION", "Unit", "Region", [{"src": c, "dst": r} for c, _, _, r in UNITS])
    put("Round", [{"code": "R532600-10-10", "name": "十届州委第十轮巡察", "level": "prefecture",
                   "kind": "linked", "region_code": "532600", "year": 2023,
                   "start": date(2023, 9, 1), "end": date(2023, 11, 30)}])
    put("Group", [{"code": "G532600-10-10-1", "name": "州委第一巡察组", "region_code": "532600",
                   **_SYN}])
    link("OF_ROUND", "Group", "Round", [{"src": "G532600-10-10-1", "dst": "R532600-10-10"}])
    link("INSPECTS", "Group", "Unit", [{"src": "G532600-10-10-1", "dst": c} for c, *_ in UNITS])
    put("Person", [{"uid": "P-SYN-0001", "name": "张三", "pinyin": "zhangsan",
                    "initials": "zs", "region_code": "532628107", **_SYN},
                   {"uid": "P-SYN-0002", "name": "李四", "pinyin": "lisi", "initials": "ls",
                    "region_code": "532628107", **_SYN}])
    link("WORKS_AT", "Person", "Unit", [{"src": "P-SYN-0001", "dst": "U532628107",
                                         "position": "村干部"}])
    put("Issue", [{"no": "WS-2023-0001", "title": "66名老年人未领取养老金",
                   "category": "民生保障", "source": "数据比对", "found_on": date(2023, 10, 12),
                   "region_code": "532628107", "masses_problem": True, **_SYN}])
    link("FOUND_BY", "Issue", "Group", [{"src": "WS-2023-0001", "dst": "G532600-10-10-1"}])
    link("CONCERNS", "Issue", "Unit", [{"src": "WS-2023-0001", "dst": "U532628107"}])
    link("FOUND_WITH", "Issue", "Department", [{"src": "WS-2023-0001", "dst": "D532628-RS"}])
    put("Clue", [{"no": "XS-2023-0001", "title": "乡村干部未跟进养老金发放",
                  "status": "transferred", "registered_on": date(2023, 10, 20),
                  "region_code": "532628107", **_SYN}])
    link("FROM_ISSUE", "Clue", "Issue", [{"src": "XS-2023-0001", "dst": "WS-2023-0001"}])
    link("AGAINST", "Clue", "Person", [{"src": "XS-2023-0001", "dst": "P-SYN-0001"}])
    put("Transfer", [{"no": "XS-2023-0001/1", "clue_no": "XS-2023-0001",
                      "department_code": "D532628-JW", "at": date(2023, 10, 25),
                      "letter_no": "文巡移〔2023〕1号", "by": "州委巡察办", "status": "transferred",
                      "region_code": "532628107", **_SYN}])
    link("TRANSFERRED", "Clue", "Transfer", [{"src": "XS-2023-0001", "dst": "XS-2023-0001/1"}])
    link("TO", "Transfer", "Department", [{"src": "XS-2023-0001/1", "dst": "D532628-JW"}])
    return written
