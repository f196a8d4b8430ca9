"""A table of a page as an xlsx workbook: one sheet, a bold header, values made safe."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from collab.sheets.guard import neutralise


def table_xlsx(title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]], *,
               heading: str | None = None) -> bytes:
    """The workbook's bytes: `title` names the sheet, `heading` (when given) is a title row
    across the table; dates read as dates; a value a spreadsheet would read as a formula is
    written as text (`collab.sheets.guard`)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=False)
    if book.active is not None:
        book.remove(book.active)
    sheet = book.create_sheet(title[:31] or "Sheet1")
    if heading:
        sheet.append([heading])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1,
                          end_column=max(1, len(headers)))
    sheet.append(list(headers))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([neutralise(v) for v in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, column in enumerate(sheet.columns, start=1):
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(60, 4 + 2 * width)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
