"""A table of a page as an xlsx workbook: one sheet, a bold header, values made safe."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from collab.sheets.guard import neutralise


def table_xlsx(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """The workbook's bytes: `title` names the sheet; a value a spreadsheet would read as a
    formula is written as text (`collab.sheets.guard`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=False)
    if book.active is not None:
        book.remove(book.active)
    sheet = book.create_sheet(title[:31] or "Sheet1")
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    for index, column in enumerate(sheet.columns, start=1):
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(60, 4 + 2 * width)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
