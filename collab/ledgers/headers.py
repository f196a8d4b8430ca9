"""Finding a ledger's header row and matching its columns, the way people write headers.

Headers are compared after NFKC (full-width letters, digits and spaces made plain), with every
blank and line break removed, a required-marker `*` dropped and letters lower-cased. A title row
merged across the top (openpyxl gives its text in the first cell only) is skipped because the
header row is the one among the first rows that matches most known headers; a two-level header
(问题编号 merged down beside 移交情况 over 移交单位 / 移交日期) fills its blanks from above.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SCAN_ROWS = 10
_BLANKS = re.compile(r"[\s\u3000]+")


def normalise(header: Any) -> str:
    """A header as compared: NFKC, no blanks or line breaks, no `*`, lower case."""
    if header is None:
        return ""
    text = unicodedata.normalize("NFKC", str(header))
    return _BLANKS.sub("", text).replace("*", "").replace("（", "(").replace("）", ")").lower()


@dataclass(frozen=True)
class HeaderMatch:
    """Where the header is, which field each column holds, and the columns not known."""

    row: int
    index: int
    fields: Mapping[int, str]
    headers: Mapping[int, str]
    ignored: tuple[str, ...]


def _filled(prev: Sequence[Any], current: Sequence[Any]) -> list[Any]:
    """The header row with blanks taken from the cell above (a header merged down two rows).

    A row above with a single cell is a title, not a header level, and fills nothing.
    """
    if sum(1 for v in prev if v not in (None, "")) < 2:
        return list(current)
    return [cur if cur not in (None, "") or i >= len(prev) else prev[i]
            for i, cur in enumerate(current)]


def locate(rows: Sequence[tuple[int, Sequence[Any]]],
           aliases: Mapping[str, str]) -> HeaderMatch | None:
    """The best header row among the first rows: the one matching most known headers.

    `aliases` maps normalised header text to field names. None when no row matches any.
    """
    best: HeaderMatch | None = None
    best_hits = 0
    for i, (number, values) in enumerate(rows[:SCAN_ROWS]):
        cells = _filled(rows[i - 1][1], values) if i else list(values)
        fields: dict[int, str] = {}
        headers: dict[int, str] = {}
        ignored = []
        for col, cell in enumerate(cells):
            name = normalise(cell)
            if not name:
                continue
            field = aliases.get(name)
            if field is not None and field not in fields.values():
                fields[col] = field
                headers[col] = str(cell).strip()
            else:
                ignored.append(str(cell).strip())
        if len(fields) > best_hits:
            best_hits = len(fields)
            best = HeaderMatch(number, i, fields, headers, tuple(ignored))
    return best
