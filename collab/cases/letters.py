"""Supervision letters (督办函) and reminder letters (提示函) about rectification.

Decisions kept here:
- What needs a letter as of a date: a 督办函 for a task that is overdue or was reopened
  (整改不力); a 提示函 for one in its orange window (deadline within `orange_days`). No letter
  of the same kind (or a 督办函 in place of a 提示函) is due again within `resend_days` of
  the last one about that task.
- A letter goes to one unit and may cover several of its tasks. It is numbered per kind and
  year (巡督〔2024〕3号, 巡提〔2024〕1号), recorded as a Letter node `-[:ABOUT]->` each task and
  `-[:SENT_TO]->` the unit, with an Event. Two letters numbered at once cannot both take a
  number: the second is refused (the Letter's uid is new each time) and can be issued again.
- Recording (`issue`, in the caller's transaction) and writing the .docx (`render`, after the
  commit) are apart, so a retried transaction never writes files. The template is built in
  code with python-docx; nothing is fetched at run time.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from collab.access import authz as access
from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.cases import rectification
from collab.cases.lifecycle import record_event
from collab.errors import N_, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.queries.rectification import LAST_LETTERS
from collab.graph.store import Direction, Graph

KINDS = {"supervision": "督办函", "reminder": "提示函"}
_PREFIX = {"supervision": "巡督", "reminder": "巡提"}
_TITLES = {"supervision": "关于督促加快整改进度的督办函",
           "reminder": "关于按期完成整改任务的提示函"}


@dataclass(frozen=True)
class LetterPolicy:
    """Who signs the letters, how long a unit has to answer, when a letter is due again."""

    issuer: str = "巡察工作领导小组办公室"
    reply_days: int = 15
    resend_days: int = 30


@dataclass(frozen=True)
class LetterDue:
    """One task that needs a letter today, and why."""

    rectification: str
    title: str
    unit_code: str | None
    unit_name: str | None
    kind: str
    reason: str
    deadline: date


@dataclass(frozen=True)
class LetterContent:
    """Everything a letter says, as recorded: enough to render it again."""

    no: str
    kind: str
    title: str
    unit: str
    sent_on: date
    issuer: str
    reply_days: int
    items: list[dict[str, Any]] = field(default_factory=list)


def due(g: Graph, *, as_of: date, region: str | None = None,
        policy: LetterPolicy = LetterPolicy(),
        rect_policy: rectification.RectificationPolicy = rectification.DEFAULT_POLICY
        ) -> list[LetterDue]:
    """The tasks that need a 督办函 or 提示函 as of `as_of`, by unit then deadline."""
    open_states = tuple(s for s in rectification.STATUSES if s not in rectification.COMPLETE)
    near = rectification.ledger(g, region=region, statuses=open_states,
                                end=as_of + timedelta(days=rect_policy.orange_days))
    reopened = rectification.ledger(g, region=region, statuses=("reopened",))
    rows = {r["no"]: r for r in [*near, *reopened]}
    last = {(r["no"], r["kind"]): date.fromisoformat(r["last"])
            for r in g.run(LAST_LETTERS, nos=list(rows))}
    out = []
    for no, row in rows.items():
        late = (as_of - row["deadline"]).days
        if late > 0:
            kind, reason = "supervision", f"已超期{late}天"
        elif row["status"] == "reopened":
            kind, reason = "supervision", "整改不力，已退回再整改"
        else:
            kind, reason = "reminder", f"距整改时限还有{-late}天"
        # A 督办函 also stands for the milder 提示函.
        kinds = ("supervision",) if kind == "supervision" else ("supervision", "reminder")
        sent = max((last[(no, k)] for k in kinds if (no, k) in last), default=None)
        if sent is not None and (as_of - sent).days < policy.resend_days:
            continue
        out.append(LetterDue(no, row["title"], row["unit_code"], row["unit_name"], kind,
                             reason, row["deadline"]))
    return sorted(out, key=lambda d: (d.unit_code or "", d.deadline, d.rectification))


def narrowed(rows: list[LetterDue], *, as_of: date, unit: str | None = None,
             kind: str | None = None, min_late: int | None = None) -> list[LetterDue]:
    """The due letters a page's filters keep: one unit, one kind (督办函 or 提示函), at least
    `min_late` days past the deadline."""
    return [d for d in rows if (unit is None or d.unit_code == unit)
            and (kind is None or d.kind == kind)
            and (min_late is None or (as_of - d.deadline).days >= min_late)]


def issued(g: Graph, *, authz: Authz, limit: int = 20) -> list[Node]:
    """The letters sent within the actor's reach, newest first."""
    return access.find(g, authz=authz, label="Letter", order_by="sent_on", descending=True,
                       limit=limit).items


def issue(g: Graph, *, actor: Actor, kind: str, rectifications: list[str], on: date,
          policy: LetterPolicy = LetterPolicy(),
          rect_policy: rectification.RectificationPolicy = rectification.DEFAULT_POLICY
          ) -> LetterContent:
    """Number and record a letter to the one unit owning `rectifications`; its content."""
    if kind not in KINDS:
        raise ValidationError(N_("unknown letter kind %(kind)r; known: %(kinds)s"), kind=kind,
                              kinds=", ".join(f"{k} ({v})" for k, v in KINDS.items()))
    if not rectifications:
        raise ValidationError(N_("a letter needs at least one rectification task"))
    wanted = set(rectifications)
    rows = rectification.ledger(g, nos=sorted(wanted))
    missing = sorted(wanted - {r["no"] for r in rows})
    if missing:
        raise NotFound(N_("no rectification %(nos)s"), nos=", ".join(missing))
    units = {r["unit_code"] for r in rows}
    if len(units) != 1 or None in units:
        raise ValidationError(N_("a letter goes to one unit: these tasks belong to %(units)s"),
                              units=", ".join(sorted(str(u) for u in units)))
    unit_code = units.pop()
    previous = g.find("Letter", where={"kind": kind, "year": on.year}, order_by="seq",
                      descending=True, limit=1).items
    seq = (previous[0].get("seq") or 0) + 1 if previous else 1
    no = f"{_PREFIX[kind]}〔{on.year}〕{seq}号"
    unit = g.get("Unit", unit_code)
    assert unit is not None
    g.upsert_nodes("Letter", [{"uid": str(uuid.uuid4()), "no": no, "kind": kind,
                               "title": _TITLES[kind], "sent_on": on, "year": on.year,
                               "seq": seq, "region_code": unit.get("region_code")}])
    g.upsert_rels("ABOUT", [{"src": no, "dst": r["no"]} for r in rows], src="Letter",
                  dst="Rectification")
    g.upsert_rels("SENT_TO", [{"src": no, "dst": unit_code}], src="Letter", dst="Unit")
    record_event(g, label="Letter", key=no, actor=actor, on=on, kind="sent",
                 reason=f"{KINDS[kind]}致{unit.get('name')}: {', '.join(sorted(wanted))}")
    return content(g, no, policy=policy, rect_policy=rect_policy, as_of=on)


def content(g: Graph, no: str, *, as_of: date, policy: LetterPolicy = LetterPolicy(),
            rect_policy: rectification.RectificationPolicy = rectification.DEFAULT_POLICY
            ) -> LetterContent:
    """What letter `no` says, filled from the graph as of `as_of`."""
    letter = g.get("Letter", no)
    if letter is None:
        raise NotFound(N_("no letter %(no)r"), no=no)
    sub = g.expand([letter.uid], types=["ABOUT", "SENT_TO"], direction=Direction.OUT,
                   limit=1000)
    about = sorted(n.key for n in sub.nodes if n.label == "Rectification")
    unit = next(n for n in sub.nodes if n.label == "Unit")
    items = []
    for row in rectification.ledger(g, nos=about):
        task = g.get("Rectification", row["no"])
        assert task is not None
        problems = [f"当前状态：{rectification.LIFECYCLE.names[row['status']]}"]
        late = (as_of - row["deadline"]).days
        if late > 0 and row["status"] not in rectification.COMPLETE:
            problems.append(f"已超期{late}天")
        lacking = rectification.closing_missing(dict(task.props), rect_policy)
        if lacking:
            problems.append("尚缺：" + "、".join(m.split(" (")[0] for m in lacking))
        items.append({"no": row["no"], "issue": row["issue_title"] or "", "task": row["title"],
                      "deadline": row["deadline"], "problems": "；".join(problems)})
    return LetterContent(no, letter.get("kind"), letter.get("title"), unit.get("name"),
                         letter.get("sent_on"), policy.issuer, policy.reply_days, items)


def render(letter: LetterContent, folder: Path) -> Path:
    """Write the letter as a .docx in `folder`; its path."""
    folder.mkdir(parents=True, exist_ok=True)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "仿宋", Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋")
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(letter.title)
    run.bold, run.font.size = True, Pt(20)
    number = doc.add_paragraph(letter.no)
    number.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    doc.add_paragraph(f"{letter.unit}：")
    if letter.kind == "supervision":
        body = (f"经跟踪调度，你单位下列整改任务超过整改时限或整改不力，现予督办。请分管领导"
                f"调度推进，于收函之日起{letter.reply_days}日内将整改进展及佐证材料报送"
                f"{letter.issuer}。")
    else:
        body = (f"你单位下列整改任务即将到期，请抓紧推进，按期完成整改，并于收函之日起"
                f"{letter.reply_days}日内将整改进展及佐证材料报送{letter.issuer}。")
    doc.add_paragraph(body)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("序号", "任务编号", "问题", "整改任务",
                                                "整改时限", "存在问题"), strict=True):
        cell.text = text
    for i, item in enumerate(letter.items, 1):
        cells = table.add_row().cells
        for cell, text in zip(cells, (str(i), item["no"], item["issue"], item["task"],
                                      _chinese_date(item["deadline"]), item["problems"]),
                              strict=True):
            cell.text = text
    for text in (letter.issuer, _chinese_date(letter.sent_on)):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    path = folder / f"{letter.no}.docx"
    doc.save(str(path))
    return path


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"
