"""Which column of a sheet holds which field: the guess, the user's corrections, and why.

A sheet's header is matched against the declared kinds (`collab.ledgers.kinds`: fields with
their synonyms, required fields). Headers are compared after `headers.normalise` (full-width,
blanks, line breaks, brackets and units such as （元）/（万元） dropped); the header row is the
one among the first rows that names most known fields, and the kind is the one whose required
fields the sheet covers best, then the one naming most fields. The result says why, lists
what is mapped, ignored, missing and named twice, and shows the first values of each column,
so a person can check it before anything is written. Corrections (`--map 列名=field`, the web's
field pickers, a saved profile) name a column by its header as written or its letter (A, B …)
and a field of the kind, or `-` to ignore it.

Nothing here knows the graph: a reference data set (a roster, a payment list) is mapped by
declaring its kind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from openpyxl.utils import get_column_letter

from collab.errors import N_, ValidationError
from collab.ledgers.headers import SCAN_ROWS, filled, normalise
from collab.ledgers.kinds import Column, Kind
from collab.sheets.reading import Sheet

IGNORE = "-"
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
PREVIEW = 3
# A header row names at least two known fields (a notes sheet listing them one per row won't).
MIN_FIELDS = 2


@dataclass(frozen=True)
class SheetMapping:
    """One sheet read as one kind: where its header is and what each column holds."""

    sheet: str
    kind: Kind
    header_row: int                       # the spreadsheet's row number
    header_index: int                     # index of the header in `Sheet.rows`
    fields: Mapping[int, str]             # column index → field
    headers: Mapping[int, str]            # column index → header as written
    ignored: tuple[int, ...] = ()
    duplicates: tuple[tuple[int, str], ...] = ()   # (column, field) named again
    preview: Mapping[int, tuple[str, ...]] = field(default_factory=dict)

    @property
    def missing(self) -> tuple[Column, ...]:
        """Required fields no column holds."""
        held = set(self.fields.values())
        return tuple(c for c in self.kind.required if c.field not in held)

    def reason(self, lang: str = "zh") -> str:
        """Why the sheet was read as this kind, in a sentence."""
        required = self.kind.required
        held = [c for c in required if c.field in self.fields.values()]
        names = "、".join(c.zh for c in held) or "—"
        if lang == "en":
            return (f"read as {self.kind.name} ({self.kind.zh}): {len(held)} of {len(required)} "
                    f"required columns ({', '.join(c.en for c in held) or '—'}), "
                    f"{len(self.fields)} columns recognised in all")
        return (f"识别为{self.kind.zh}：必填列 {len(held)}/{len(required)}（{names}），"
                f"共识别 {len(self.fields)} 列")

    def column_name(self, col: int) -> str:
        """A column as people point at it: its letter and header (E “线索编号”)."""
        return f"{get_column_letter(col + 1)}“{self.headers.get(col, '')}”"


def guess(sheet: Sheet, kinds: Sequence[Kind], corrections: Mapping[str, str] | None = None,
          *, chosen: bool = False) -> SheetMapping | None:
    """The best reading of `sheet` as one of `kinds`, or None when no header is found.

    When the user chose the kind for this sheet, a sheet naming few of its fields is still
    read as it, so the user can say which column holds what.
    """
    corrections = corrections or {}
    least = 0 if chosen else MIN_FIELDS
    best: tuple[tuple[int, int, int, int], SheetMapping] | None = None
    for kind in kinds:
        for i, (number, _values) in enumerate(sheet.rows[:SCAN_ROWS]):
            cells = filled(sheet.rows[i - 1][1], sheet.rows[i][1]) if i else list(_values)
            found = _match(sheet, kind, number, i, cells, corrections, least)
            if found is None:
                continue
            required = sum(1 for c in kind.required if c.field in found.fields.values())
            score = (required * 1000 // max(1, len(kind.required)), len(found.fields),
                     len(found.headers), -i)
            if best is None or score > best[0]:
                best = (score, found)
    if best is None:
        _check_fields(corrections, kinds)
        return None
    found = best[1]
    preview = {col: _first_values(sheet, found.header_index, col) for col in found.headers}
    return replace(found, preview=preview)


def _check_fields(corrections: Mapping[str, str], kinds: Sequence[Kind]) -> None:
    """Refuse a correction naming a field no kind has (rather than ignore it in silence)."""
    known = {f for k in kinds for f in k.field_names()}
    for chosen in corrections.values():
        if chosen != IGNORE and chosen not in known:
            raise ValidationError(N_("%(field)r is not a field of this ledger; its fields: "
                                     "%(fields)s"), field=chosen,
                                  fields=", ".join(sorted(known)))


def _match(sheet: Sheet, kind: Kind, number: int, index: int, cells: Sequence[Any],
           corrections: Mapping[str, str], least: int) -> SheetMapping | None:
    aliases = kind.aliases()
    fields: dict[int, str] = {}
    headers: dict[int, str] = {}
    ignored, duplicates = [], []
    for col, cell in enumerate(cells):
        # as the clerk sees it: a header broken over lines in its cell reads as one
        written = "" if cell is None else _LINE_BREAKS.sub("", str(cell)).strip()
        if not written:
            continue
        headers[col] = written
        chosen = _corrected(corrections, col, written)
        if chosen not in (None, IGNORE) and chosen not in kind.field_names():
            return None  # the corrections are for another kind
        name = aliases.get(normalise(written)) if chosen is None else chosen
        if not name or name == IGNORE:
            ignored.append(col)
        elif name in fields.values():
            duplicates.append((col, name))
        else:
            fields[col] = name
    if len(fields) < least or not headers:
        return None
    return SheetMapping(sheet.name, kind, number, index, fields, headers, tuple(ignored),
                        tuple(duplicates))


def _corrected(corrections: Mapping[str, str], col: int, written: str) -> str | None:
    """The field a correction gives this column (by letter or header), None when none does."""
    for key in (get_column_letter(col + 1), written, normalise(written)):
        if key in corrections:
            return corrections[key] or IGNORE
    return None


def _first_values(sheet: Sheet, index: int, col: int) -> tuple[str, ...]:
    out = []
    for _number, values in sheet.rows[index + 1:]:
        value = values[col] if col < len(values) else None
        if isinstance(value, datetime) and value.time() == datetime.min.time():
            value = value.date()
        if value not in (None, ""):
            out.append(str(value)[:40])
        if len(out) == PREVIEW:
            break
    return tuple(out)


def parse_corrections(pairs: Sequence[str]) -> dict[str, str]:
    """`列名=field` pairs (the CLI's --map) as a dict; a malformed one is refused."""
    out = {}
    for pair in pairs:
        column, sep, name = pair.partition("=")
        if not sep or not column.strip():
            raise ValidationError(N_("--map takes COLUMN=FIELD (a header or a column letter, "
                                     "and a field, or - to ignore the column): %(pair)r"),
                                  pair=pair)
        out[column.strip()] = name.strip() or IGNORE
    return out


def signature(mapping: SheetMapping) -> str:
    """The sheet's headers, normalised and in order: how a saved profile recognises it."""
    return "|".join(normalise(mapping.headers[c]) for c in sorted(mapping.headers))
