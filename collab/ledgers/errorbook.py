"""The clerk's own file given back with its problems marked, to fix and upload again.

Every sheet and cell stays as the clerk made it (an xlsx is opened and saved with openpyxl; a
CSV becomes one sheet); each cell a problem names is filled red with the reason as a comment,
and a 问题说明 column at the right of each sheet says, row by row, what is wrong. Problems of
a whole sheet or file are listed on a first sheet of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any, TypeVar

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from collab.ledgers.reader import sheets_of
from collab.ledgers.report import Problem, Report
from collab.sheets.reading import Source, as_source, opened

COLUMN = "问题说明"
SUMMARY = "问题汇总"
_BAD = PatternFill("solid", fgColor="FFC7CE")
_NOTE = Font(color="9C0006")
T = TypeVar("T", Path, IO[bytes])


def write(source: Source, report: Report, target: T,
          header_rows: Mapping[str, int] | None = None, name: str | None = None) -> T:
    """Write `source` with the report's problems marked to `target` (an .xlsx); the 问题说明
    header goes on each sheet's header row (`header_rows`, else row 1). `name` is the file's
    name as the user gave it (a CSV's sheet is named after it). The source may be an upload in
    memory and the target a file object: the web app writes nothing of it to disk."""
    source = as_source(source)
    if source.suffix.lower() == ".xlsx":
        book = load_workbook(opened(source))
    else:
        book = Workbook()
        if book.active is not None:
            book.remove(book.active)
        for sheet in sheets_of(source, name):
            ws = book.create_sheet(sheet.name[:31])
            for _number, values in sheet.rows:
                ws.append(list(values))
    by_sheet: dict[str, list[Problem]] = defaultdict(list)
    for p in report.problems:
        if p.sheet in book.sheetnames and p.row:
            by_sheet[p.sheet].append(p)
    for name, problems in by_sheet.items():
        _mark(book[name], problems, (header_rows or {}).get(name, 1))
    summary = book.create_sheet(SUMMARY, 0)
    summary.append(["工作表", "行", "列", "值", COLUMN])
    for p in report.problems:
        summary.append([p.sheet or report.file, p.row or "", p.column, p.value, p.zh])
    book.active = 0
    book.save(target)
    return target


def _mark(ws: Any, problems: Iterable[Problem], header_row: int) -> None:
    """Fill the bad cells and write each row's reasons into a 问题说明 column."""
    last = ws.max_column + 1
    reasons: dict[int, list[str]] = defaultdict(list)
    for p in problems:
        reasons[p.row].append(f"“{p.column}”：{p.zh}" if p.column else p.zh)
        if p.col >= 0:
            cell = ws.cell(p.row, p.col + 1)
            cell.fill = _BAD
            cell.comment = Comment(p.zh, "collab")
    for row, said in reasons.items():
        cell = ws.cell(row, last)
        cell.value = "；".join(dict.fromkeys(said))
        cell.font = _NOTE
    head = ws.cell(header_row, last)
    head.value = COLUMN + (f"（表头：{head.value}）" if head.value else "")
    head.font = _NOTE
