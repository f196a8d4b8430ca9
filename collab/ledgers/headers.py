"""Headers the way people write them, made comparable.

Headers are compared after NFKC (full-width letters, digits and spaces made plain), with every
blank and line break removed, a required-marker `*` and a trailing colon dropped, what brackets
hold dropped (units such as （元）/（万元）, notes such as （必填）) and letters lower-cased. A
two-level header (问题编号 merged down beside 移交情况 over 移交单位 / 移交日期) fills its blanks
from above (`filled`); `collab.ledgers.mapping` finds the header row and the kind.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

SCAN_ROWS = 10
_BLANKS = re.compile(r"[\s\u3000]+")
# What brackets hold in a header is a note (（元）, （必填）, （年月日）), not its name.
_BRACKETED = re.compile(r"[(\[【〔][^)\]】〕]*[)\]】〕]")


def normalise(header: Any) -> str:
    """A header as compared: NFKC, no blanks or line breaks, no `*` or `:`, nothing in
    brackets (units, notes), lower case."""
    if header is None:
        return ""
    text = unicodedata.normalize("NFKC", str(header))
    text = _BLANKS.sub("", text).replace("*", "").rstrip(":")
    return _BRACKETED.sub("", text).lower() or text.lower()


def scale(header: str) -> int:
    """How many yuan one unit of a money column holds: 10,000 when its header says 万元."""
    return 10_000 if "万元" in unicodedata.normalize("NFKC", header or "") else 1


def filled(prev: Sequence[Any], current: Sequence[Any]) -> list[Any]:
    """The header row with blanks taken from the cell above (a header merged down two rows).

    A row above with a single cell is a title, not a header level, and fills nothing.
    """
    if sum(1 for v in prev if v not in (None, "")) < 2:
        return list(current)
    return [cur if cur not in (None, "") or i >= len(prev) else prev[i]
            for i, cur in enumerate(current)]
