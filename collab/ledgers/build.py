"""Ledger rows turned into graph writes: one builder per kind, all into one `Plan`.

A builder reads a parsed row, resolves what it refers to, checks the actor's jurisdiction, and
adds nodes and relationships to the plan; anything wrong becomes a problem on the report and the
row adds nothing. A clue row naming a department makes (or, matched by clue and department,
updates) a Transfer numbered `{clue_no}/{n}` like the ones `collab.cases.clues` makes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from collab.access import idnumbers, regions
from collab.access.actors import Actor
from collab.cases import clue_facts
from collab.cases.pinyin import with_pinyin
from collab.graph.store import Graph
from collab.ledgers.kinds import Kind
from collab.ledgers.report import Report
from collab.ledgers.resolve import Resolver
from collab.sheets import values


@dataclass
class Row:
    """One data row: where it is, its parsed values by field, and the headers it used."""

    sheet: str
    number: int
    values: dict[str, Any]
    headers: dict[str, str]

    def get(self, name: str) -> Any:
        return self.values.get(name)


_WRITE_ORDER = ("Region", "Department", "Unit", "Person", "DataSet", "DataRecord", "Round",
                "Group", "Issue",
                "Rectification", "Clue", "Transfer", "Case", "Support", "JointCheck", "Letter")


@dataclass
class Plan:
    """The nodes and relationships an import will write, merged by key."""

    nodes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    rels: dict[tuple[str, str, str], dict[tuple[str, str], dict[str, Any]]] = \
        field(default_factory=dict)

    def node(self, label: str, key: str, props: dict[str, Any]) -> None:
        slot = self.nodes.setdefault(label, {})
        slot[key] = {**slot.get(key, {}), **{k: v for k, v in props.items() if v is not None}}

    def rel(self, type_: str, src: tuple[str, str], dst: tuple[str, str], **props: Any) -> None:
        slot = self.rels.setdefault((type_, src[0], dst[0]), {})
        slot[(src[1], dst[1])] = {k: v for k, v in props.items() if v is not None}

    def write(self, g: Graph) -> dict[str, int]:
        """Write the nodes (in dependency order, names with their pinyin so the explorer finds
        张三 by `zs`), then the relationships, then the figure shortcut of the clues they touch
        (`clue_facts`); counts written."""
        written: dict[str, int] = {}
        for label in sorted(self.nodes, key=_WRITE_ORDER.index):
            rows = [with_pinyin(label, row) for row in self.nodes[label].values()]
            written[label] = g.upsert_nodes(label, rows)
        for (type_, src, dst), rels in self.rels.items():
            rows = [{"src": s, "dst": d, **props} for (s, d), props in rels.items()]
            written[type_] = written.get(type_, 0) + g.upsert_rels(type_, rows, src=src, dst=dst)
        if {"Clue", "Transfer", "Case"} & set(self.nodes):
            clue_facts.refresh_around(g, clues=self.nodes.get("Clue", {}),
                                      transfers=self.nodes.get("Transfer", {}),
                                      cases=self.nodes.get("Case", {}))
        return written


@dataclass
class Context:
    """What builders share: the plan, the resolver, the report, the key, who is acting."""

    plan: Plan
    resolver: Resolver
    report: Report
    key: idnumbers.IdKey
    actor: Actor
    kind: Kind

    def problem(self, row: Row, field_: str, zh: str, en: str) -> None:
        header = row.headers.get(field_) or self.kind.column(field_).zh
        self.report.problem(row.sheet, row.number, header, row.get(field_), zh, en)

    def ref(self, row: Row, field_: str) -> tuple[str, str, dict[str, Any]] | None:
        """The node a reference column names; a problem (and None) when missing or ambiguous."""
        value = row.get(field_)
        if value is None:
            return None
        found = self.resolver.lookup(self.kind.column(field_).ref, value)
        if found == "missing":
            self.problem(row, field_, "找不到所指的对象（请先导入或检查编号、名称）",
                         "refers to nothing known (import it first, or check the code or name)")
            return None
        if found == "ambiguous":
            self.problem(row, field_, "名称对应多个对象，请改填编码",
                         "the name matches several: give the code instead")
            return None
        return found  # type: ignore[return-value]

    def in_scope(self, row: Row, region_code: str | None) -> bool:
        """Whether the row lies in the actor's jurisdiction (a problem when it does not)."""
        if self.actor.region is None or regions.within(region_code, self.actor.region):
            return True
        self.report.problem(row.sheet, row.number, "", region_code,
                            "不在您的管辖范围内", "outside your jurisdiction")
        return False


def person(ctx: Context, row: Row, prefix: str, fallback: str | None,
           region_code: str | None) -> str | None:
    """Add the person a row names (by ID number, person number, or `fallback`); their uid."""
    name, number = row.get(prefix or "name"), row.get(f"{prefix}_id" if prefix else "id_number")
    uid = row.get(f"{prefix}_uid" if prefix else "uid")
    if not (name or number or uid):
        return None
    props: dict[str, Any] = {"name": name, "region_code": region_code}
    if number and not values.is_masked(number):
        props |= idnumbers.person_fields(ctx.key, number)
        props["birth_date"] = idnumbers.birth_date(number)
    elif uid:
        props["uid"] = uid
    elif fallback and name:
        props["uid"] = "P-" + hashlib.sha256(f"{fallback}\x1f{name}".encode()).hexdigest()[:24]
    else:
        ctx.problem(row, f"{prefix}_id" if prefix else "id_number",
                    "需要身份证号或人员编号", "needs an ID number or a person number")
        return None
    if uid and props["uid"] != uid:
        ctx.problem(row, f"{prefix}_uid" if prefix else "uid", "人员编号与身份证号不符",
                    "the person number does not match the ID number")
        return None
    ctx.plan.node("Person", props["uid"], props)
    return props["uid"]


def _units(ctx: Context, row: Row) -> None:
    region = ctx.ref(row, "region_code")
    if region is None or not ctx.in_scope(row, region[1]):
        return
    props = {k: row.get(k) for k in ("code", "name", "kind")} | {"region_code": region[1]}
    ctx.plan.node("Unit", row.get("code"), props)
    ctx.plan.rel("IN_REGION", ("Unit", row.get("code")), region[:2])


def _people(ctx: Context, row: Row) -> None:
    work = ctx.ref(row, "workplace")
    region = ctx.ref(row, "region_code")
    code = region[1] if region else (work[2].get("region_code") if work else None)
    if (row.get("workplace") and not work) or not ctx.in_scope(row, code):
        return
    uid = person(ctx, row, "", None, code)
    if uid is None:
        return
    if row.get("gender"):
        ctx.plan.node("Person", uid, {"gender": row.get("gender")})
    if work:
        ctx.plan.rel("WORKS_AT", ("Person", uid), work[:2], position=row.get("position"))


def _rounds(ctx: Context, row: Row) -> None:
    region = ctx.ref(row, "region_code")
    if region is None or not ctx.in_scope(row, region[1]):
        return
    props = {k: row.get(k) for k in ("code", "name", "level", "kind", "start", "end", "year")}
    if props["year"] is None and props["start"] is not None:
        props["year"] = props["start"].year
    ctx.plan.node("Round", row.get("code"), props | {"region_code": region[1]})


def _issues(ctx: Context, row: Row) -> None:
    unit, group, dept = (ctx.ref(row, f) for f in ("unit", "group", "department"))
    if unit is None or (row.get("group") and not group) or (row.get("department") and not dept):
        return
    code = unit[2].get("region_code")
    if not ctx.in_scope(row, code):
        return
    no = row.get("no")
    props = {k: row.get(k) for k in ("no", "title", "description", "category", "severity",
                                       "source", "found_on", "masses_problem", "solved",
                                       "status")}
    props["title"] = props["title"] or props["description"][:30]
    ctx.plan.node("Issue", no, props | {"region_code": code})
    ctx.plan.rel("CONCERNS", ("Issue", no), unit[:2])
    if group:
        ctx.plan.rel("FOUND_BY", ("Issue", no), group[:2])
    if dept:
        ctx.plan.rel("FOUND_WITH", ("Issue", no), dept[:2])


def _rectifications(ctx: Context, row: Row) -> None:
    issue, unit = ctx.ref(row, "issue_no"), ctx.ref(row, "unit")
    if issue is None or unit is None or not ctx.in_scope(row, unit[2].get("region_code")):
        return
    no = row.get("no")
    props = {k: row.get(k) for k in ("no", "title", "deadline", "status", "done_on",
                                       "evidence", "pilot")}
    ctx.plan.node("Rectification", no, props | {"region_code": unit[2].get("region_code")})
    ctx.plan.rel("HAS_TASK", issue[:2], ("Rectification", no))
    ctx.plan.rel("OWNED_BY", ("Rectification", no), unit[:2])


def _clues(ctx: Context, row: Row) -> None:
    issue, region, dept = (ctx.ref(row, f) for f in ("issue_no", "region_code", "department"))
    if (row.get("issue_no") and not issue) or (row.get("department") and not dept):
        return
    code = region[1] if region else (issue[2].get("region_code") if issue else None)
    if code is None:
        if not row.get("region_code"):
            ctx.problem(row, "region_code", "需要区划代码或问题编号",
                        "needs a region code or an issue number")
        return
    if not ctx.in_scope(row, code):
        return
    if dept and row.get("at") is None:
        ctx.problem(row, "at", "填写了移交单位时必须填写移交日期",
                    "a transfer needs its date")
        return
    no = row.get("no")
    status = row.get("status") or ("transferred" if dept else "registered")
    props = {k: row.get(k) for k in ("no", "title", "summary", "source", "category",
                                       "registered_on")}
    ctx.plan.node("Clue", no, props | {"status": status, "region_code": code})
    if issue:
        ctx.plan.rel("FROM_ISSUE", ("Clue", no), issue[:2])
    subject = person(ctx, row, "subject", no, code)
    if subject:
        ctx.plan.rel("AGAINST", ("Clue", no), ("Person", subject))
    if dept:
        tno = ctx.resolver.transfer_key(no, dept[1])
        ctx.plan.node("Transfer", tno, {"no": tno, "clue_no": no, "department_code": dept[1],
                                        "at": row.get("at"), "letter_no": row.get("letter_no"),
                                        "by": row.get("by"), "status": status,
                                        "region_code": code})
        ctx.plan.rel("TRANSFERRED", ("Clue", no), ("Transfer", tno))
        ctx.plan.rel("TO", ("Transfer", tno), dept[:2])


def _cases(ctx: Context, row: Row) -> None:
    dept, clue, region = (ctx.ref(row, f) for f in ("department", "clue_no", "region_code"))
    if dept is None or (row.get("clue_no") and not clue) or (row.get("region_code")
                                                            and not region):
        return
    code = (region[1] if region else None) or (clue[2].get("region_code") if clue else None) \
        or dept[2].get("region_code")
    if not ctx.in_scope(row, code):
        return
    no = row.get("no")
    props = {k: row.get(k) for k in ("no", "title", "filed_on", "outcome", "funds_recovered",
                                       "closed_on")}
    origin = row.get("origin") or ("inspection_clue" if clue else "other")
    ctx.plan.node("Case", no, props | {"origin": origin, "region_code": code})
    ctx.plan.rel("FILED_BY", ("Case", no), dept[:2])
    if clue:
        ctx.plan.rel("BECAME", clue[:2], ("Case", no))
    subject = person(ctx, row, "subject", no, code)
    if subject:
        ctx.plan.rel("SUBJECT", ("Case", no), ("Person", subject))


def _support(ctx: Context, row: Row) -> None:
    dept, round_ = ctx.ref(row, "department"), ctx.ref(row, "round")
    if dept is None or (row.get("round") and not round_):
        return
    code = dept[2].get("region_code")
    if not ctx.in_scope(row, code):
        return
    no = row.get("no")
    props = {k: row.get(k) for k in ("no", "kind", "on", "title")}
    ctx.plan.node("Support", no, props | {"region_code": code})
    ctx.plan.rel("PROVIDED", dept[:2], ("Support", no))
    if round_:
        ctx.plan.rel("FOR", ("Support", no), round_[:2])


BUILDERS: dict[str, Callable[[Context, Row], None]] = {
    "units": _units, "people": _people, "rounds": _rounds, "issues": _issues,
    "rectifications": _rectifications, "clues": _clues, "cases": _cases, "support": _support,
}
