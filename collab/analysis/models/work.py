"""Models over the case-work graph: people, clues, issues, tasks, checks and departments.

Each is a `Model` (collab/analysis/models/declare.py) over one named query of
collab/graph/queries/model_work.py, or over a figure or a service already written for both
engines (the transfers awaiting feedback, the conversion by department).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from collab.analysis import figures
from collab.analysis.models.declare import (
    Found,
    Inputs,
    Model,
    Param,
    add_months,
    evidence,
    grouped,
    hit_region,
    nodes_by_key,
    ordered,
)
from collab.cases import clues
from collab.graph.codec import Node
from collab.graph.queries import model_work as q
from collab.graph.store import Cond, Graph, Op


def repeat_subject(g: Graph, inputs: Inputs) -> list[Found]:
    """People named in clues of several units or several rounds (回头看)."""
    least = inputs.params["min_contexts"]
    out = []
    rows = ordered(g.run(q.REPEAT_SUBJECT, prefix=inputs.prefix),
                   "person", "clue", "issue", "unit", "round")
    for (person,), group in grouped(rows, "person").items():
        units = sorted({r["unit"] for r in group if r["unit"]})
        rounds = sorted({r["round"] for r in group if r["round"]})
        if len(units) < least and len(rounds) < least:
            continue
        first = group[0]
        facts = {"name": first["name"], "clues": len({r["clue"] for r in group}),
                 "units": len(units), "rounds": len(rounds)}
        found = evidence([("Person", person, "subject"),
                          *(("Clue", r["clue"], "clue") for r in group),
                          *(("Issue", r["issue"], "issue") for r in group),
                          *(("Unit", u, "unit") for u in units),
                          *(("Round", r, "round") for r in rounds)])
        region = hit_region(first["person_region"], [r["region_code"] for r in group],
                            inputs.prefix)
        out.append(Found(person, region, first["name"], found, facts))
    return out


def recurrence(g: Graph, inputs: Inputs) -> list[Found]:
    """An issue of the same category in the same unit within months of a task's closing."""
    months = inputs.params["months"]
    out = []
    for row in g.run(q.RECURRENCE, prefix=inputs.prefix):
        closed = date.fromisoformat(row["closed_on"])
        if row["found_on"] > add_months(closed, months).isoformat():
            continue
        facts = {"unit": row["unit_name"], "category": row["category"], "task": row["task"],
                 "closed_on": row["closed_on"], "found_on": row["found_on"],
                 "again": row["again"]}
        found = evidence([("Unit", row["unit"], "subject"), ("Issue", row["issue"], "before"),
                          ("Rectification", row["task"], "closed_task"),
                          ("Issue", row["again"], "again")])
        out.append(Found(f"{row['task']}|{row['again']}", row["region_code"],
                         row["unit_name"] or row["unit"], found, facts))
    return out


def closed_unevidenced(g: Graph, inputs: Inputs) -> list[Found]:
    """Tasks closed (销号) with no evidence dated before the closing."""
    out = []
    for (task,), group in grouped(g.run(q.CLOSED_UNEVIDENCED, prefix=inputs.prefix),
                                  "task").items():
        first = group[0]
        units = sorted({r["unit_name"] or r["unit"] for r in group if r["unit"]})
        facts = {"task": task, "title": first["title"], "unit": "、".join(units) or "-",
                 "closed_on": first["closed_on"],
                 "first_evidence": first["first_evidence"] or "-"}
        found = evidence([("Rectification", task, "subject"),
                          *(("Unit", r["unit"], "owner") for r in group),
                          *(("Issue", r["issue"], "issue") for r in group)])
        out.append(Found(task, first["region_code"], first["title"] or task, found, facts))
    return out


def feedback_overdue(g: Graph, inputs: Inputs) -> list[Found]:
    """Departments with many transfers past their feedback due date and no feedback."""
    grace, least = inputs.params["grace_days"], inputs.params["min_overdue"]
    late = [r for r in clues.awaiting(g, as_of=inputs.as_of, region=inputs.region)
            if r["overdue"] and (inputs.as_of - r["feedback_due"]).days > grace]
    groups = grouped(late, "department")
    depts = nodes_by_key(g, "Department", (k for k, in groups))
    out = []
    for (code,), group in groups.items():
        if len(group) < least:
            continue
        oldest = min(r["feedback_due"] for r in group)
        name = group[0]["department_name"] or code
        facts = {"department": name, "overdue": len(group), "oldest": oldest.isoformat(),
                 "days": (inputs.as_of - oldest).days}
        found = evidence([("Department", code, "subject"),
                          *(("Transfer", r["transfer_no"], "overdue") for r in group),
                          *(("Clue", r["clue_no"], "clue") for r in group)])
        dept = depts.get(code)
        region = hit_region(dept.get("region_code") if dept else None, [inputs.region],
                            inputs.prefix)
        out.append(Found(f"{code}|{inputs.as_of:%Y-%m}", region, name, found, facts))
    return out


def _tie(row: Mapping[str, Any]) -> tuple[str, str]:
    if row["how"] == "works_at":
        return f"本人在{row['unit_name']}任职", f"works at {row['unit_name']}"
    kind = row["detail"] or "related"
    return (f"关系人{row['via_name']}（{kind}）在{row['unit_name']}任职",
            f"{kind} of {row['via_name']}, who works at {row['unit_name']}")


def check_conflict(g: Graph, inputs: Inputs) -> list[Found]:
    """Joint-check members tied to a unit the check inspects: working there, or related to
    someone who does (a conflict the proposal's screen did not stop)."""
    out = []
    rows = g.run(q.CHECK_CONFLICT, prefix=inputs.prefix, hops=inputs.params["hops"])
    for (check, person), group in grouped(rows, "check_no", "person").items():
        first = group[0]
        ties = [_tie(r) for r in group]
        facts = {"check": check, "title": first["title"], "name": first["name"],
                 "tie_zh": "；".join(dict.fromkeys(t[0] for t in ties)),
                 "tie_en": "; ".join(dict.fromkeys(t[1] for t in ties))}
        found = evidence([("Person", person, "subject"), ("JointCheck", check, "check"),
                          *((r["target_label"], r["target"], "checked") for r in group),
                          *(("Unit", r["unit"], "unit") for r in group),
                          *(("Person", r["via"], "related") for r in group)])
        out.append(Found(f"{check}|{person}", first["region_code"], first["name"], found,
                         facts))
    return out


def dormant_clue(g: Graph, inputs: Inputs) -> list[Found]:
    """Clues registered and not transferred for more than a number of days (线索沉睡)."""
    cutoff = inputs.as_of - timedelta(days=inputs.params["days"])
    out = []
    for (clue,), group in grouped(g.run(q.DORMANT_CLUE, cutoff=cutoff, prefix=inputs.prefix),
                                  "clue").items():
        first = group[0]
        facts = {"clue": clue, "title": first["title"], "since": first["since"],
                 "days": (inputs.as_of - date.fromisoformat(first["since"])).days}
        found = evidence([("Clue", clue, "subject"),
                          *(("Issue", r["issue"], "issue") for r in group),
                          *(("Unit", r["unit"], "unit") for r in group),
                          *(("Person", r["person"], "against") for r in group)])
        out.append(Found(clue, first["region_code"], first["title"] or clue, found, facts))
    return out


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%"


def low_conversion(g: Graph, inputs: Inputs) -> list[Found]:
    """Departments whose conversion rate (成案率) is far below that of departments of the same
    kind with comparable clue volumes, over the last months (the figures' own definition)."""
    p = inputs.params
    scope = figures.Scope(region=inputs.region, as_of=inputs.as_of, end=inputs.as_of,
                          start=add_months(inputs.as_of, -p["months"]) + timedelta(days=1))
    rows = [r for r in figures.conversion(g, scope=scope, by="department")
            if r["group"] is not None and r["transferred"] >= p["min_transfers"]]
    depts = nodes_by_key(g, "Department", (r["group"] for r in rows))
    flagged = []
    for row in rows:
        dept = depts.get(row["group"])
        kind = dept.get("kind") if dept else None
        peers = [r for r in rows if r is not row and depts.get(r["group"])
                 and depts[r["group"]].get("kind") == kind]
        moved, sent = sum(r["converted"] for r in peers), sum(r["transferred"] for r in peers)
        if len(peers) >= p["min_peers"] and moved and \
                row["converted"] * 100 * sent < p["ratio"] * moved * row["transferred"]:
            flagged.append((row, dept, len(peers), moved, sent))
    out = []
    for row, dept, n_peers, moved, sent in flagged:
        facts = {"department": row["name"] or row["group"], "months": p["months"],
                 "rate": _percent(row["converted"], row["transferred"]),
                 "converted": row["converted"], "transferred": row["transferred"],
                 "peer_rate": _percent(moved, sent), "peers": n_peers}
        found = evidence([("Department", row["group"], "subject"),
                          *(("Transfer", t.key, "not_converted")
                            for t in _unfiled(g, row["group"], scope.start, scope.end))])
        region = hit_region(dept.get("region_code") if dept else None, [inputs.region],
                            inputs.prefix)
        out.append(Found(f"{row['group']}|{inputs.as_of:%Y-%m}", region, facts["department"],
                         found, facts))
    return out


def _unfiled(g: Graph, department: str, start: date, end: date) -> list[Node]:
    """Up to ten of a department's transfers of the period not (yet) filed as a case: what
    a low conversion rate is made of (one indexed lookup, not the whole list)."""
    page = g.find("Transfer", where={"department_code": department,
                                     "at": Cond(Op.GE, start)}, order_by="at", limit=200)
    return [t for t in page.items if t.get("at") <= end
            and t.get("status") != "case_filed"][:10]


def silent_unit(g: Graph, inputs: Inputs) -> list[Found]:
    """Units with many issues in a round and not one clue from them (possible
    under-reporting)."""
    out = []
    rows = g.run(q.SILENT_UNIT, prefix=inputs.prefix, min_issues=inputs.params["min_issues"])
    for (unit, round_), group in grouped(rows, "unit", "round").items():
        first = group[0]
        facts = {"unit": first["unit_name"] or unit, "round": first["round_name"] or round_,
                 "issues": first["issues"]}
        found = evidence([("Unit", unit, "subject"), ("Round", round_, "round"),
                          *(("Issue", r["issue"], "issue") for r in group)])
        out.append(Found(f"{unit}|{round_}", first["region_code"], facts["unit"], found,
                         facts))
    return out


MODELS = (
    Model("repeat-subject", 1, "多轮次多单位被反映", "Named across rounds or units",
          "同一人被两个及以上巡察轮次或被巡察单位的问题线索反映（巡察“回头看”的重点）。",
          "One person the subject of clues in two or more rounds or units (a follow-up "
          "inspection's lead).",
          "medium", "人员所在区划（否则其线索所在区划）",
          "the person's region (else that of the clues)",
          "{name}被{clues}条问题线索反映，涉及{units}个被巡察单位、{rounds}个巡察轮次",
          "{name} is named in {clues} clues across {units} units and {rounds} rounds",
          repeat_subject,
          params=(Param("min_contexts", 2, 2, 50, "至少涉及的轮次或单位数",
                        "least number of rounds or units"),)),
    Model("recurrence", 1, "销号后复发", "Back after closing",
          "整改任务销号后设定的月数内，同一单位又发现同类问题。",
          "An issue of the same category in the same unit within N months after a task "
          "of an earlier one was closed.",
          "high", "新问题所在区划", "the region of the new issue",
          "{unit}的{category}问题整改任务{task}于{closed_on}销号，{found_on}又发现同类问题"
          "（{again}）",
          "{unit}: task {task} on a {category} issue was closed on {closed_on}, and the same "
          "kind of issue was found again on {found_on} ({again})",
          recurrence,
          params=(Param("months", 6, 1, 60, "销号后的月数", "months after the closing"),)),
    Model("closed-unevidenced", 1, "销号无佐证", "Closed without evidence",
          "整改任务已销号，但销号日期之前没有任何整改佐证材料。",
          "A task closed (销号) with no evidence dated before the closing.",
          "medium", "整改任务所在区划", "the region of the task",
          "整改任务{task}（{unit}）于{closed_on}销号，销号前无整改佐证（最早佐证：{first_evidence}）",
          "task {task} ({unit}) was closed on {closed_on} with no evidence dated before it "
          "(first evidence: {first_evidence})",
          closed_unevidenced),
    Model("feedback-overdue", 1, "反馈超期", "Feedback overdue",
          "某部门接收的移交线索中，超过反馈期限仍未反馈的达到阈值。",
          "A department holding more overdue transfers (no feedback past the due date) than "
          "a threshold.",
          "medium", "承办部门所在区划", "the region of the department",
          "{department}有{overdue}件移交线索超期未反馈（最早应于{oldest}反馈，已超期{days}天）",
          "{department} has {overdue} transfers past their feedback date (the oldest due on "
          "{oldest}, {days} days ago)",
          feedback_overdue,
          params=(Param("min_overdue", 3, 1, 1000, "超期件数阈值", "overdue transfers at least"),
                  Param("grace_days", 0, 0, 365, "超期宽限天数", "days of grace past the due "
                        "date"))),
    Model("check-conflict", 1, "检查人员利益关联", "Checker tied to the checked",
          "联合监督检查的成员在被检查单位任职，或与在该单位任职的人有亲属、经济等关系。",
          "A joint-check member working at the inspected unit, or related to someone who does.",
          "high", "联合检查所在区划", "the region of the check",
          "联合检查{check}的成员{name}与被检查单位有关联：{tie_zh}",
          "member {name} of joint check {check} is tied to the unit checked: {tie_en}",
          check_conflict,
          params=(Param("hops", 2, 1, 2, "关联层数（1：本人任职；2：含关系人）",
                        "reach (1: works there; 2: or related to someone who does)"),)),
    Model("dormant-clue", 1, "线索沉睡", "Dormant clue",
          "问题线索登记后超过设定的天数仍未移交。",
          "A clue registered and not transferred after N days.",
          "low", "线索所在区划", "the region of the clue",
          "线索{clue}（{title}）自{since}登记后{days}天未移交",
          "clue {clue} ({title}) has waited {days} days since {since} without a transfer",
          dormant_clue,
          params=(Param("days", 30, 1, 3650, "登记后的天数", "days since registration"),)),
    Model("low-conversion", 1, "成案率显著偏低", "Conversion far below peers",
          "近若干个月接收线索达到一定数量的部门，成案率远低于同类部门的总体成案率。",
          "A department whose conversion rate over the last N months is far below that of "
          "departments of its kind with comparable clue volumes.",
          "low", "部门所在区划", "the region of the department",
          "{department}近{months}个月成案率{rate}（{converted}/{transferred}），同类{peers}个"
          "部门为{peer_rate}",
          "{department}: conversion {rate} ({converted}/{transferred}) over {months} months, "
          "against {peer_rate} for {peers} departments of its kind",
          low_conversion,
          params=(Param("months", 12, 1, 60, "统计月数", "months looked back"),
                  Param("min_transfers", 10, 1, 10000, "可比的最少移交数",
                        "transfers at least, to compare"),
                  Param("min_peers", 2, 1, 1000, "最少同类部门数", "peers at least"),
                  Param("ratio", 50, 1, 99, "低于同类成案率的百分比",
                        "below this percentage of the peers' rate"))),
    Model("silent-unit", 1, "问题多而无线索", "Many issues, no clue",
          "某单位在一轮巡察中被发现大量问题，却没有一条问题线索（可能少报、漏报）。",
          "A unit with many issues in a round and not one clue from them (possible "
          "under-reporting).",
          "low", "被巡察单位所在区划", "the region of the unit",
          "{unit}在{round}中被发现{issues}个问题，但没有一条问题线索",
          "{unit}: {issues} issues found in {round}, and not one clue",
          silent_unit,
          params=(Param("min_issues", 10, 2, 10000, "问题数阈值", "issues at least"),)),
)
