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
from collab.ledgers.report import NOT_FOUND, Report
from collab.ledgers.resolve import Resolver
from collab.sheets import values


@dataclass
class Row:
    """One data row: where it is, its parsed values by field, and the headers it used."""

    sheet: str
    number: int
    values: dict[str, Any]
    headers: dict[str, str]
    columns: dict[str, int] = field(default_factory=dict)  # field → column index

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
    # (label, key) → the first row (and the field of it) that named the node: where a
    # problem with the node is reported
    sources: dict[tuple[str, str], tuple[Row, str]] = field(default_factory=dict)

    def node(self, label: str, key: str, props: dict[str, Any],
             source: tuple[Row, str] | None = None) -> None:
        slot = self.nodes.setdefault(label, {})
        slot[key] = {**slot.get(key, {}), **{k: v for k, v in props.items() if v is not None}}
        if source is not None:
            self.sources.setdefault((label, key), source)

    def rel(self, type_: str, src: tuple[str, str], dst: tuple[str, str], **props: Any) -> None:
        slot = self.rels.setdefault((type_, src[0], dst[0]), {})
        slot[(src[1], dst[1])] = {k: v for k, v in props.items() if v is not None}

    def write(self, g: Graph,
              progress: Callable[[int, int], None] = lambda done, total: None
              ) -> dict[str, int]:
        """Write the nodes (in dependency order, names with their pinyin so the explorer finds
        张三 by `zs`), then the relationships, then the figure shortcut of the clues they touch
        (`clue_facts`); counts written. `progress(done, total)` after each batch."""
        written: dict[str, int] = {}
        total = sum(len(n) for n in self.nodes.values()) + sum(len(r) for r in self.rels.values())
        done = 0
        for label in sorted(self.nodes, key=_WRITE_ORDER.index):
            rows = [with_pinyin(label, row) for row in self.nodes[label].values()]
            written[label] = g.upsert_nodes(label, rows)
            done += len(rows)
            progress(done, total)
        for (type_, src, dst), rels in self.rels.items():
            rows = [{"src": s, "dst": d, **props} for (s, d), props in rels.items()]
            written[type_] = written.get(type_, 0) + g.upsert_rels(type_, rows, src=src, dst=dst)
            done += len(rows)
            progress(done, total)
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
    create_missing: bool = False

    def node(self, row: Row, field_: str, label: str, key: str, props: dict[str, Any]) -> None:
        """Plan a node the row names in `field_` (where a problem with it is reported)."""
        self.plan.node(label, key, props, (row, field_))

    def problem(self, row: Row, field_: str, zh: str, en: str) -> None:
        header = row.headers.get(field_) or self.kind.column(field_).zh
        self.report.problem(row.sheet, row.number, header, row.get(field_), zh, en,
                            row.columns.get(field_, -1))

    def ref(self, row: Row, field_: str) -> tuple[str, str, dict[str, Any]] | None:
        """The node a reference column names; a problem (and None) when missing or ambiguous."""
        value = row.get(field_)
        if value is None:
            return None
        labels = self.kind.column(field_).ref
        found = self.resolver.lookup(labels, value)
        if found == "missing" and labels == ("Unit",):
            return self.propose_unit(row, field_, value)
        if found == "missing":
            self.problem(row, field_, *NOT_FOUND)
            return None
        if found == "ambiguous":
            listed = "、".join(f"{self.resolver.name_of(label, key)}（{key}）"
                               for label, key in self.resolver.matches(labels, value)[:6])
            self.problem(row, field_, f"名称对应多个对象：{listed}；请改填编码",
                         f"the name matches several: {listed}; give the code instead")
            return None
        return found  # type: ignore[return-value]

    def propose_unit(self, row: Row, field_: str,
                     name: str) -> tuple[str, str, dict[str, Any]] | None:
        """A unit not on record, proposed for creation in the region its name points to within
        the importer's scope; created only when the user confirms (`create_missing`)."""
        if self.resolver.foreign(name):
            self.problem(row, field_, *NOT_FOUND)
            return None
        region = self.resolver.place_in(name)
        if region is None:
            self.problem(row, field_, NOT_FOUND[0] + "；新建单位需指定所在区划（--region）",
                         NOT_FOUND[1] + "; to create the unit, give its region (--region)")
            return None
        code = "U" + region + "-" + hashlib.sha256(name.encode()).hexdigest()[:6].upper()
        if (name, code, region) not in self.report.proposed:
            self.report.proposed.append((name, code, region))
            self.report.region_names[region] = self.resolver.name_of("Region", region)
        if not self.create_missing:
            self.problem(row, field_, f"找不到该单位：确认后将新建在 {region} 下"
                                      f"（命令行加 --create-missing）",
                         f"no such unit: confirming creates it in {region} "
                         f"(--create-missing on the command line)")
        props = {"code": code, "name": name, "region_code": region}
        self.plan.node("Unit", code, props, (row, field_))
        self.plan.rel("IN_REGION", ("Unit", code), ("Region", region))
        self.resolver.add("Unit", code, props)
        return "Unit", code, props

    def in_scope(self, row: Row, region_code: str | None) -> bool:
        """Whether the row lies in the actor's jurisdiction (a problem when it does not)."""
        if self.actor.region is None or regions.within(region_code, self.actor.region):
            return True
        self.report.problem(row.sheet, row.number, "", region_code,
                            "不在您的管辖范围内", "outside your jurisdiction")
        return False


def _fallback_uid(context_no: str, name: str) -> str:
    """The uid of someone a row names without an ID number: stable per (row's number, name)."""
    return "P-" + hashlib.sha256(f"{context_no}\x1f{name}".encode()).hexdigest()[:24]


def person(ctx: Context, row: Row, prefix: str, fallback: str | None,
           region_code: str | None) -> str | None:
    """Add the person a row names (by ID number, person number, or `fallback`); their uid.

    A person number (人员编号) that is on record must be in the importer's reach (else not
    found: `collab.ledgers.guard`); an unknown one makes that person (exports write it for
    people without an ID number, and re-import to the same graph).
    """
    name_f, id_f, uid_f = (prefix, f"{prefix}_id", f"{prefix}_uid") if prefix \
        else ("name", "id_number", "uid")
    name, number, uid = row.get(name_f), row.get(id_f), row.get(uid_f)
    if not (name or number or uid):
        return None
    derived = _fallback_uid(fallback, name) if fallback and name else None
    props: dict[str, Any] = {"name": name, "region_code": region_code}
    if number and not values.is_masked(number):
        props |= idnumbers.person_fields(ctx.key, number)
        props["birth_date"] = idnumbers.birth_date(number)
        source = id_f
    elif uid:
        props["uid"], source = uid, uid_f
    elif derived:
        props["uid"], source = derived, name_f
    else:
        ctx.problem(row, id_f, "需要身份证号或人员编号", "needs an ID number or a person number")
        return None
    if uid and props["uid"] != uid:
        ctx.problem(row, uid_f, "人员编号与身份证号不符",
                    "the person number does not match the ID number")
        return None
    person_uid: str = props["uid"]
    ctx.node(row, source, "Person", person_uid, props)
    return person_uid


def _units(ctx: Context, row: Row) -> None:
    region = ctx.ref(row, "region_code")
    if region is None or not ctx.in_scope(row, region[1]):
        return
    props = {k: row.get(k) for k in ("code", "name", "kind")} | {"region_code": region[1]}
    ctx.node(row, "code", "Unit", row.get("code"), props)
    ctx.plan.rel("IN_REGION", ("Unit", row.get("code")), region[:2])


def _people(ctx: Context, row: Row) -> None:
    work = ctx.ref(row, "workplace")
    region = ctx.ref(row, "region_code")
    code = region[1] if region else (work[2].get("region_code") if work else None)
    if (row.get("workplace") and not work) or not ctx.in_scope(row, code):
        return
    uid = person(ctx, row, "", work[1] if work else None, code)  # else by name in the unit
    if uid is None:
        return
    if row.get("gender"):
        ctx.node(row, "name", "Person", uid, {"gender": row.get("gender")})
    if work:
        ctx.plan.rel("WORKS_AT", ("Person", uid), work[:2], position=row.get("position"))


def _rounds(ctx: Context, row: Row) -> None:
    region = ctx.ref(row, "region_code")
    if region is None or not ctx.in_scope(row, region[1]):
        return
    props = {k: row.get(k) for k in ("code", "name", "level", "kind", "start", "end", "year")}
    if props["year"] is None and props["start"] is not None:
        props["year"] = props["start"].year
    ctx.node(row, "code", "Round", row.get("code"), props | {"region_code": region[1]})


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
    ctx.node(row, "no", "Issue", no, props | {"region_code": code})
    ctx.plan.rel("CONCERNS", ("Issue", no), unit[:2])
    if group:
        ctx.plan.rel("FOUND_BY", ("Issue", no), group[:2])
    if dept:
        ctx.plan.rel("FOUND_WITH", ("Issue", no), dept[:2])


def _derived_no(prefix: str, *parts: Any) -> str:
    """A stable number for a row that has none (the usual 整改台账 numbers nothing): the same
    row imported again gets the same number."""
    text = "\x1f".join("" if p is None else str(p) for p in parts)
    return prefix + hashlib.sha256(text.encode()).hexdigest()[:10].upper()


def _rectifications(ctx: Context, row: Row) -> None:
    """A task, and the issue it rectifies when the row gives the issue itself rather than its
    number (the usual 整改台账: 问题, 整改措施, 责任单位, 责任人, 时限, 进展)."""
    unit = ctx.ref(row, "unit")
    issue = ctx.ref(row, "issue_no") if row.get("issue_no") else None
    if unit is None or (row.get("issue_no") and issue is None):
        return
    code = unit[2].get("region_code")
    if not ctx.in_scope(row, code):
        return
    if issue is None:
        text = row.get("description")
        if not text:
            ctx.problem(row, "description", "需要问题编号或问题描述",
                        "needs an issue number or the issue itself")
            return
        issue_no = _derived_no("WT-", unit[1], text)
        ctx.node(row, "description", "Issue", issue_no, {
            "no": issue_no, "title": text[:30], "description": text, "region_code": code,
            "source": "巡察"})
        ctx.plan.rel("CONCERNS", ("Issue", issue_no), unit[:2])
        issue = ("Issue", issue_no, {})
    no = row.get("no") or _derived_no("ZG-", issue[1], row.get("title"))
    props = {k: row.get(k) for k in ("title", "deadline", "status", "done_on", "evidence",
                                       "pilot", "responsible")}
    ctx.node(row, "no" if row.get("no") else "title", "Rectification", no,
             props | {"no": no, "region_code": code})
    ctx.plan.rel("HAS_TASK", issue[:2], ("Rectification", no))
    ctx.plan.rel("OWNED_BY", ("Rectification", no), unit[:2])
    if row.get("responsible_id"):
        uid = person(ctx, row, "responsible", None, code)
        if uid:
            ctx.plan.rel("WORKS_AT", ("Person", uid), unit[:2], position="整改责任人")


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
    if row.get("case_no") and not (dept and row.get("filed_on")):
        ctx.problem(row, "case_no", "填写了案件编号时须填写移交单位和立案日期",
                    "a case needs the department it was transferred to and its filing date")
        return
    status = row.get("status") or ("case_filed" if row.get("case_no") else
                                   "transferred" if dept else "registered")
    props = {k: row.get(k) for k in ("no", "title", "summary", "source", "category",
                                       "registered_on")}
    ctx.node(row, "no", "Clue", no, props | {"status": status, "region_code": code})
    if issue:
        ctx.plan.rel("FROM_ISSUE", ("Clue", no), issue[:2])
    subject = person(ctx, row, "subject", no, code)
    if subject:
        ctx.plan.rel("AGAINST", ("Clue", no), ("Person", subject))
    if row.get("case_no") and dept:
        _clue_case(ctx, row, dept, subject, code)
    if dept:
        tno = ctx.resolver.transfer_key(no, dept[1])
        ctx.node(row, "department", "Transfer", tno, {
            "no": tno, "clue_no": no, "department_code": dept[1], "at": row.get("at"),
            "letter_no": row.get("letter_no"), "by": row.get("by"), "status": status,
            "region_code": code})
        ctx.plan.rel("TRANSFERRED", ("Clue", no), ("Transfer", tno))
        ctx.plan.rel("TO", ("Transfer", tno), dept[:2])


def _clue_case(ctx: Context, row: Row, dept: tuple[str, str, dict[str, Any]],
               subject: str | None, code: str) -> None:
    """The case a clue row says the clue became (案件编号, 立案日期), filed by the department
    the clue was transferred to."""
    case_no, clue_no = row.get("case_no"), row.get("no")
    ctx.node(row, "case_no", "Case", case_no, {
        "no": case_no, "title": row.get("title"), "filed_on": row.get("filed_on"),
        "origin": "inspection_clue", "funds_recovered": row.get("funds_recovered"),
        "department_code": dept[1], "region_code": code})
    ctx.plan.rel("BECAME", ("Clue", clue_no), ("Case", case_no))
    ctx.plan.rel("FILED_BY", ("Case", case_no), dept[:2])
    if subject:
        ctx.plan.rel("SUBJECT", ("Case", case_no), ("Person", subject))


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
    ctx.node(row, "no", "Case", no, props | {"origin": origin, "region_code": code})
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
    ctx.node(row, "no", "Support", no, props | {"region_code": code})
    ctx.plan.rel("PROVIDED", dept[:2], ("Support", no))
    if round_:
        ctx.plan.rel("FOR", ("Support", no), round_[:2])


BUILDERS: dict[str, Callable[[Context, Row], None]] = {
    "units": _units, "people": _people, "rounds": _rounds, "issues": _issues,
    "rectifications": _rectifications, "clues": _clues, "cases": _cases, "support": _support,
}
