"""Ledgers out: the graph's contents in the template layout, as xlsx or csv, and templates.

An export re-imports to the same graph: references are written as the names (units,
departments) or codes (rounds, groups) the importer resolves, ID numbers masked beside the
person number (so the re-import matches by person number and never needs the plain number).
Text cells that a spreadsheet would run as a formula (= + - @) get a leading quote mark.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from collab.access import regions
from collab.access.idnumbers import IdKey
from collab.graph.codec import Node
from collab.graph.store import Cond, Direction, Graph, Op
from collab.ledgers import vocabulary
from collab.ledgers.kinds import Kind
from collab.ledgers.reader import NOTES_SHEET
from collab.sheets import values as v
from collab.sheets.guard import neutralise

# What a cell of each type may hold, for the 填写说明 sheet.
_HINTS: dict[v.Parser, str] = {v.day: "日期：2023-07-02、2023/7/2、2023.7.2、2023年7月2日均可",
          v.flag: "是/否（也可写 √/×、Y/N）",
          v.amount: "金额，单位元；表头写（万元）时按万元计",
          v.id_number: "18位身份证号（请把该列设为文本，以免Excel丢失末几位）",
          v.integer: "整数"}

FORMATS = ("xlsx", "csv")
_PAGE = 1000
_LINK_CAP = 200_000

Links = dict[str, list[tuple[str, Node, dict[str, Any]]]]


def _first(links: Links, uid: str, type_: str) -> Node | None:
    return next((n for t, n, _ in links.get(uid, ()) if t == type_), None)


def _id_number(person: Node, key: IdKey | None) -> str | None:
    """The masked number, or the plain one when exporting with the key (for unmask roles)."""
    if key is not None and person.get("id_enc"):
        return key.decrypt(person.get("id_enc"))
    masked: str | None = person.get("id_masked")
    return masked


def _person(links: Links, uid: str, type_: str, key: IdKey | None) -> dict[str, Any]:
    p = _first(links, uid, type_)
    if p is None:
        return {}
    return {"subject": p.get("name"), "subject_id": _id_number(p, key), "subject_uid": p.uid}


def _people(g: Graph, n: Node, links: Links, key: IdKey | None) -> list[dict[str, Any]]:
    work = next(((o, r) for t, o, r in links.get(n.uid, ()) if t == "WORKS_AT"), None)
    return [{**n.props, "id_number": _id_number(n, key), "uid": n.uid,
             "workplace": work[0].get("name") if work else None,
             "position": work[1].get("position") if work else None}]


def _issues(g: Graph, n: Node, links: Links, key: IdKey | None) -> list[dict[str, Any]]:
    unit, group, dept = (_first(links, n.uid, t) for t in ("CONCERNS", "FOUND_BY", "FOUND_WITH"))
    return [{**n.props, "unit": unit and unit.get("name"), "group": group and group.key,
             "department": dept and dept.get("name")}]


def _rectifications(g: Graph, n: Node, links: Links, key: IdKey | None) -> list[dict[str, Any]]:
    issue, unit = _first(links, n.uid, "HAS_TASK"), _first(links, n.uid, "OWNED_BY")
    return [{**n.props, "issue_no": issue and issue.key, "unit": unit and unit.get("name")}]


def _clues(g: Graph, n: Node, links: Links, key: IdKey | None) -> list[dict[str, Any]]:
    issue = _first(links, n.uid, "FROM_ISSUE")
    base = {**n.props, "issue_no": issue and issue.key, **_person(links, n.uid, "AGAINST", key)}
    transfers = sorted((o for t, o, _ in links.get(n.uid, ()) if t == "TRANSFERRED"),
                       key=lambda t: t.key)
    if not transfers:
        return [base]
    rows = []
    for t in transfers:
        dept = g.get("Department", t.get("department_code"))
        rows.append({**base, "department": dept.get("name") if dept else None,
                     "at": t.get("at"), "letter_no": t.get("letter_no"), "by": t.get("by")})
    return rows


def _cases(g: Graph, n: Node, links: Links, key: IdKey | None) -> list[dict[str, Any]]:
    dept, clue = _first(links, n.uid, "FILED_BY"), _first(links, n.uid, "BECAME")
    return [{**n.props, "department": dept and dept.get("name"), "clue_no": clue and clue.key,
             **_person(links, n.uid, "SUBJECT", key)}]


def _support(g: Graph, n: Node, links: Links, key: IdKey | None) -> list[dict[str, Any]]:
    dept, round_ = _first(links, n.uid, "PROVIDED"), _first(links, n.uid, "FOR")
    return [{**n.props, "department": dept and dept.get("name"),
             "round": round_ and round_.key}]


def _plain(g: Graph, n: Node, links: Links, key: IdKey | None) -> list[dict[str, Any]]:
    return [dict(n.props)]


RowsOf = Callable[[Graph, Node, Links, "IdKey | None"], list[dict[str, Any]]]
_ROWS: dict[str, tuple[tuple[str, ...], RowsOf]] = {
    "units": ((), _plain), "rounds": ((), _plain), "people": (("WORKS_AT",), _people),
    "issues": (("CONCERNS", "FOUND_BY", "FOUND_WITH"), _issues),
    "rectifications": (("HAS_TASK", "OWNED_BY"), _rectifications),
    "clues": (("FROM_ISSUE", "AGAINST", "TRANSFERRED"), _clues),
    "cases": (("FILED_BY", "BECAME", "SUBJECT"), _cases),
    "support": (("PROVIDED", "FOR"), _support),
}


def _links(g: Graph, nodes: list[Node], types: tuple[str, ...]) -> Links:
    """Each node's neighbours over `types`, in one expansion for the whole page."""
    if not types or not nodes:
        return {}
    sub = g.expand([n.uid for n in nodes], depth=1, types=list(types),
                   direction=Direction.BOTH, limit=_LINK_CAP)
    by_uid = {n.uid: n for n in sub.nodes}
    out: Links = {}
    for r in sub.rels:
        out.setdefault(r.src, []).append((r.type, by_uid[r.dst], dict(r.props)))
        out.setdefault(r.dst, []).append((r.type, by_uid[r.src], dict(r.props)))
    return out


def export_rows(g: Graph, *, kind: Kind, scope: str | None = None,
                unmask: IdKey | None = None) -> Iterator[dict[str, Any]]:
    """The ledger rows of `kind` in a region subtree (all when `scope` is None), page by page.

    ID numbers are masked unless `unmask` (the key) is given, for the roles allowed to see them.
    """
    where = {"region_code": Cond(Op.PREFIX, regions.subtree_prefix(scope))} if scope else None
    types, rows_of = _ROWS[kind.name]
    for page in g.pages(kind.label, where=where, size=_PAGE):
        links = _links(g, page, types)
        for n in page:
            yield from rows_of(g, n, links, unmask)


def cells(kind: Kind, row: dict[str, Any], *, as_text: bool) -> list[Any]:
    """One ledger row as cells in column order: Chinese names for codes, 是/否, dates."""
    out = []
    for c in kind.columns:
        value = row.get(c.field)
        if c.vocab and value is not None:
            value = vocabulary.first_words(c.vocab).get(value, value)
        elif isinstance(value, bool):
            value = "是" if value else "否"
        elif isinstance(value, date) and as_text:
            value = value.isoformat()
        elif isinstance(value, list):
            value = "、".join(value)
        out.append(neutralise(value))
    return out


def write_ledger(path: str | Path | IO[bytes], kind: Kind,
                 rows: Iterator[dict[str, Any]] | list[Any], *, fmt: str) -> int:
    """Write a header row and the rows in the template layout; how many rows were written
    (an xlsx may go to a file object: the web app builds downloads in memory)."""
    header = [c.zh for c in kind.columns]
    n = 0
    if fmt == "csv":
        assert isinstance(path, str | Path), "a CSV ledger is written to a file"
        with Path(path).open("w", encoding="utf-8-sig", newline="") as f:
            out = csv.writer(f)
            out.writerow(header)
            for row in rows:
                out.writerow(cells(kind, row, as_text=True))
                n += 1
        return n
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(kind.zh)
    sheet.append(header)
    for row in rows:
        sheet.append(cells(kind, row, as_text=False))
        n += 1
    if not n:
        _notes(book.create_sheet(NOTES_SHEET), kind)
    book.save(path)
    return n


def _notes(sheet: Any, kind: Kind) -> None:
    """How to fill a template: each column, whether it is required, what it accepts."""
    sheet.append(["列名", "English", "必填", "也可写作（表头）", "可填的值"])
    for c in kind.columns:
        said = [f"{words[0]}（也可写：{'、'.join(words[1:])}）" if len(words) > 1 else words[0]
                for words in vocabulary.VOCABULARY[c.vocab].values()] if c.vocab else []
        sheet.append([c.zh, c.en, "是" if c.required else "", "、".join(c.aliases),
                      "；".join(said) or _HINTS.get(c.parse, "")])


def write_template(path: str | Path | IO[bytes], kind: Kind, *, fmt: str = "xlsx") -> None:
    """An empty ledger of `kind` to fill in (xlsx adds a sheet of notes)."""
    write_ledger(path, kind, [], fmt=fmt)
