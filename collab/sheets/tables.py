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

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31] or "Sheet1"
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(60, 4 + 2 * width)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
