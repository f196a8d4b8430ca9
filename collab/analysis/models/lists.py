"""Models over reference data sets: lists compared with lists, through the people they name.

Each is a `Model` (collab/analysis/models/declare.py) over one named query of
collab/graph/queries/model_lists.py; the rows are grouped into hits here.
"""

from __future__ import annotations

from collab.analysis.models.declare import (
    Found,
    Inputs,
    Model,
    Param,
    Slot,
    days_between,
    evidence,
    grouped,
    hit_region,
    yuan,
)
from collab.graph.queries import model_lists as q
from collab.graph.store import Graph

_PAYMENTS = Slot("payments", ("payment",), "发放名单", "payment lists")


def _sets(*codes: str | None) -> list[tuple[str, str | None, str]]:
    return [("DataSet", code, "dataset") for code in sorted({c for c in codes if c})]


def deceased_paid(g: Graph, inputs: Inputs) -> list[Found]:
    """Payments to a person dated after the death date (beyond a grace of days)."""
    rows = g.run(q.DECEASED_PAID, deceased=inputs.sets["deceased"],
                 payments=inputs.sets["payments"], prefix=inputs.prefix)
    grace = inputs.params["grace_days"]
    out = []
    for (person, died_on), group in grouped(rows, "person", "died_on").items():
        after = [r for r in group if days_between(died_on, r["paid_on"]) > grace]
        if not after:
            continue
        first = group[0]
        paid = {r["payment"]: r for r in after}
        facts = {"name": first["name"], "died_on": died_on, "payments": len(paid),
                 "amount": yuan(sum(r["amount"] or 0.0 for r in paid.values())),
                 "last": max(r["paid_on"] for r in after)}
        found = evidence([("Person", person, "subject"),
                          *(("DataRecord", r["death"], "death") for r in group),
                          *(("DataRecord", key, "payment") for key in paid),
                          *_sets(*(r["death_set"] for r in group),
                                 *(r["payment_set"] for r in after))])
        out.append(Found(f"{person}|{died_on}", hit_region(first["region_code"], [],
                                                           inputs.prefix),
                         first["name"], found, facts))
    return out


def servant_assisted(g: Graph, inputs: Inputs) -> list[Found]:
    """A person on a public servants' list who is also on an assistance list."""
    rows = g.run(q.SERVANT_ASSISTED, servants=inputs.sets["servants"],
                 assistance=inputs.sets["assistance"], prefix=inputs.prefix)
    out = []
    for (person, benefit), group in grouped(rows, "person", "benefit").items():
        first = group[0]
        employers = sorted({r["employer"] for r in group if r["employer"]})
        facts = {"name": first["name"], "benefit": benefit or "救助",
                 "employer": "、".join(employers) or "财政供养单位"}
        found = evidence([("Person", person, "subject"),
                          *(("DataRecord", r["assisted"], "assisted") for r in group),
                          *(("DataRecord", r["servant"], "servant") for r in group),
                          *_sets(*(r["assisted_set"] for r in group),
                                 *(r["servant_set"] for r in group))])
        out.append(Found(f"{person}|{benefit or ''}", hit_region(first["region_code"], [],
                                                                 inputs.prefix),
                         first["name"], found, facts))
    return out


def double_paid(g: Graph, inputs: Inputs) -> list[Found]:
    """The same benefit paid to the same person twice or more in one month."""
    rows = g.run(q.DOUBLE_PAID, payments=inputs.sets["payments"], prefix=inputs.prefix)
    out = []
    for (person, benefit, month), group in grouped(rows, "person", "benefit", "month").items():
        amounts = {r["first"]: r["first_amount"] for r in group} | \
            {r["second"]: r["second_amount"] for r in group}
        facts = {"name": group[0]["name"], "benefit": benefit or "补贴", "month": month,
                 "times": len(amounts), "amount": yuan(sum(a or 0.0 for a in amounts.values()))}
        found = evidence([("Person", person, "subject"),
                          *(("DataRecord", key, "payment") for key in sorted(amounts)),
                          *_sets(*(r["first_set"] for r in group),
                                 *(r["second_set"] for r in group))])
        out.append(Found(f"{person}|{benefit}|{month}",
                         hit_region(group[0]["region_code"], [], inputs.prefix),
                         group[0]["name"], found, facts))
    return out


def roster_unpaid(g: Graph, inputs: Inputs) -> list[Found]:
    """People on a roster found on no payment list, by ID number nor by name and birth date
    (the 那能乡 check: residents aged 60 and over against the pension payment list)."""
    rows = g.run(q.ROSTER_UNPAID, roster=inputs.sets["roster"], payments=inputs.sets["payments"],
                 prefix=inputs.prefix)
    out = []
    for row in rows:
        facts = {"name": row["name"], "id": row["id_masked"] or row["id_problem"] or "无身份证号",
                 "born": row["birth_date"] or "?", "roster": row["roster_set"],
                 "payments": "、".join(inputs.sets["payments"])}
        found = evidence([("DataRecord", row["record"], "listed"),
                          ("Person", row["person"], "subject"),
                          *_sets(row["roster_set"]),
                          *(("DataSet", code, "compared_with")
                            for code in inputs.sets["payments"])])
        signature = row["person"] or f"{row['name']}|{row['birth_date']}|{row['record']}"
        out.append(Found(signature, hit_region(row["region_code"], [], inputs.prefix),
                         row["name"], found, facts))
    return out


MODELS = (
    Model("deceased-paid", 1, "死亡后仍领取", "Paid after death",
          "死亡人口名单上的人，在死亡日期之后仍出现在补贴或养老金发放名单上。",
          "A person on a deceased list who appears on a payment list after the death date.",
          "high", "死亡记录所在区划", "the region of the death record",
          "{name}于{died_on}死亡，此后仍被发放{payments}笔，共{amount}元（最晚{last}）",
          "{name} died on {died_on} and was still paid {payments} times after, {amount} yuan "
          "in all (last on {last})",
          deceased_paid,
          params=(Param("grace_days", 0, 0, 366, "死亡后允许的发放天数（如当月已造册）",
                        "days after the death a payment is still allowed"),),
          slots=(Slot("deceased", ("deceased",), "死亡人口名单", "deceased lists"), _PAYMENTS)),
    Model("servant-assisted", 1, "财政供养人员享受低保", "Public servant on assistance",
          "财政供养人员名单上的人，同时在低保、特困等救助对象名单上。",
          "A person on a public servants' list who is also on a low-income or assistance list.",
          "high", "救助记录所在区划", "the region of the assistance record",
          "{name}为财政供养人员（{employer}），同时享受{benefit}",
          "{name} is state-funded staff ({employer}) and also receives {benefit}",
          servant_assisted,
          slots=(Slot("servants", ("public_servant",), "财政供养人员名单", "public servants"),
                 Slot("assistance", ("low_income",), "救助对象名单", "assistance lists"))),
    Model("double-paid", 1, "重复享受", "Paid twice",
          "同一人在同一月份多次领取同一项补贴（同一名单或不同名单）。",
          "The same benefit paid to the same person more than once in one month.",
          "medium", "首条发放记录所在区划", "the region of the first payment record",
          "{name}于{month}重复领取{benefit}{times}次，共{amount}元",
          "{name} was paid {benefit} {times} times in {month}, {amount} yuan in all",
          double_paid, slots=(_PAYMENTS,)),
    Model("roster-unpaid", 1, "名单比对：应发未发", "On the roster, not paid",
          "花名册上的人在发放名单中既无相同身份证号、也无相同姓名和出生日期（如那能乡60岁以上"
          "老人与养老金发放名单比对）。",
          "People on a roster found on no payment list, neither by ID number nor by name and "
          "birth date (the 那能乡 check of residents aged 60 and over against the pensions paid).",
          "medium", "花名册记录所在区划", "the region of the roster record",
          "{name}（{id}，{born}出生）在名单{roster}中，但不在发放名单{payments}中",
          "{name} ({id}, born {born}) is on {roster} but on no payment list ({payments})",
          roster_unpaid,
          slots=(Slot("roster", ("roster",), "人员花名册", "rosters"), _PAYMENTS)),
)
