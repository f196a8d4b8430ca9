"""Reading a ledger file into parsed rows, with no store: every sheet mapped, every cell read.

`map_ledger` opens the file and maps each sheet (`collab.ledgers.mapping`): what a person sees
in the mapping step before anything is checked against the graph. `read_ledger` then parses
every cell of every mapped sheet into `Row`s, with each problem where the clerk sees it. Blank
rows are skipped, a total row (合计 / 总计 / 小计) is left out and reported, a column named
twice and a required column missing are problems of the header row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from collab.ledgers.build import Row
from collab.ledgers.headers import scale
from collab.ledgers.kinds import KINDS, ORDER, Kind
from collab.ledgers.kinds import kind as kind_named
from collab.ledgers.mapping import SheetMapping, guess
from collab.ledgers.report import Report
from collab.sheets import values
from collab.sheets.reading import Blob, Sheet, Source, UnreadableFile, as_source, read_sheets

_TOTALS = frozenset({"合计", "总计", "小计", "累计", "合计:", "总计:"})
NOTES_SHEET = "填写说明"  # the templates' notes: never data


@dataclass
class Mapped:
    """A file opened and mapped: its sheets, the reading of each, the report so far."""

    report: Report
    sheets: list[Sheet] = field(default_factory=list)
    mappings: list[SheetMapping] = field(default_factory=list)


@dataclass
class Ledger:
    """A file read and parsed: rows per kind, the mappings used, and the report so far."""

    report: Report
    rows: dict[str, list[Row]] = field(default_factory=dict)
    mappings: list[SheetMapping] = field(default_factory=list)


def file_sha256(path: Path | Blob) -> str:
    """The file's SHA-256 (for the audit record), "" when it cannot be read."""
    digest = hashlib.sha256()
    if isinstance(path, Blob):
        return hashlib.sha256(path.data).hexdigest()
    try:
        with path.open("rb") as f:
            for block in iter(lambda: f.read(2**20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()


def map_ledger(path: Source, *, kind: str | None = None,
               corrections: Mapping[str, Mapping[str, str]] | Mapping[str, str] | None = None,
               name: str | None = None, kinds: Mapping[str, str] | None = None) -> Mapped:
    """Open the file and map its sheets (as `kind`, or the kind each fits best).

    `corrections` are `{header or letter: field}` for every sheet, or the same per sheet name;
    `kinds` the kind the user chose for a sheet, by sheet name. `name` is the file's name as
    the user gave it (an upload is kept under another). The file is a path, or an upload held
    in memory.
    """
    path = as_source(path)
    wanted = [kind_named(kind)] if kind else [KINDS[k] for k in ORDER]
    mapped = Mapped(Report(file=name or path.name, sha256=file_sha256(path)))
    try:
        mapped.sheets = sheets_of(path, name)
    except UnreadableFile as e:
        mapped.report.problem("", 0, "", None, e.zh, e.en)
        return mapped
    for sheet in mapped.sheets:
        chosen = (kinds or {}).get(sheet.name)
        found = None if sheet.name == NOTES_SHEET else \
            guess(sheet, [kind_named(chosen)] if chosen else wanted,
                  _for_sheet(corrections, sheet.name), chosen=bool(chosen))
        if found is None:
            mapped.report.ignored_sheets.append(sheet.name)
        else:
            mapped.mappings.append(found)
    return mapped


def sheets_of(path: Path | Blob, name: str | None = None) -> list[Sheet]:
    """The file's sheets; a CSV's one sheet is named after the file as the user named it."""
    sheets = read_sheets(path)
    if name and path.suffix.lower() != ".xlsx":
        return [replace(sheet, name=Path(name).stem) for sheet in sheets]
    return sheets


def _for_sheet(corrections: Mapping[str, Any] | None, sheet: str) -> Mapping[str, str]:
    if not corrections:
        return {}
    if all(isinstance(v, Mapping) for v in corrections.values()):
        chosen: Mapping[str, str] = corrections.get(sheet, {})
        return chosen
    return corrections


def read_ledger(path: Source, *, kind: str | None = None,
                corrections: Mapping[str, Any] | None = None, name: str | None = None,
                kinds: Mapping[str, str] | None = None) -> Ledger:
    """Read every sheet of the file, map it, parse every cell."""
    return parse(map_ledger(path, kind=kind, corrections=corrections, name=name, kinds=kinds))


def parse(mapped: Mapped) -> Ledger:
    """The rows of a mapped file, parsed; problems on the report."""
    ledger = Ledger(mapped.report, mappings=mapped.mappings)
    sheets = {s.name: s for s in mapped.sheets}
    for mapping in mapped.mappings:
        _parse_sheet(ledger, sheets[mapping.sheet], mapping)
    report = ledger.report
    if not report.problems and not any(ledger.rows.values()):
        report.problem("", 0, "", None, "没有可导入的数据行（或未找到台账表头）",
                       "no data rows to import (or no ledger header found)")
    return ledger


def header_problems(report: Report, mapping: SheetMapping) -> bool:
    """Report a column named twice and a required column missing; whether any was."""
    kind = mapping.kind
    for col, name in mapping.duplicates:
        first = next(c for c, f in mapping.fields.items() if f == name)
        report.problem(mapping.sheet, mapping.header_row, mapping.headers[col], None,
                       f"列名重复：{mapping.column_name(first)}与{mapping.column_name(col)}都是"
                       f"“{kind.column(name).zh}”，只能保留一列（删除或改名其中一列）",
                       f"the column {kind.column(name).zh!r} is named twice "
                       f"({mapping.column_name(first)}, {mapping.column_name(col)}): "
                       f"keep one (delete or rename the other)", col)
    for column in mapping.missing:
        report.problem(mapping.sheet, mapping.header_row, column.zh, None,
                       "缺少必填列（可在列映射中指定哪一列是它）",
                       "a required column is missing (the column mapping can name it)")
    return bool(mapping.duplicates or mapping.missing)


def describe(report: Report, mapping: SheetMapping) -> None:
    """Put on the report how the sheet was read: its kind and why, each column's field."""
    report.readings.append((mapping.sheet, mapping.reason("zh"), mapping.reason("en")))
    report.mapped += [(mapping.sheet, mapping.headers[c], mapping.kind.column(f).zh)
                      for c, f in sorted(mapping.fields.items())]
    report.ignored_columns += [(mapping.sheet, mapping.headers[c]) for c in mapping.ignored]


def _parse_sheet(ledger: Ledger, sheet: Sheet, mapping: SheetMapping) -> None:
    report, kind = ledger.report, mapping.kind
    describe(report, mapping)
    if header_problems(report, mapping):
        return
    headers = {f: mapping.headers[col] for col, f in mapping.fields.items()}
    columns = {f: col for col, f in mapping.fields.items()}
    seen: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
    rows = ledger.rows.setdefault(kind.name, [])
    for number, cells in sheet.rows[mapping.header_index + 1:]:
        raw = {f: cells[col] if col < len(cells) else None for col, f in mapping.fields.items()}
        if all(values.clean(x) is None for x in raw.values()):
            continue
        if is_total(cells):
            report.total_rows.append((sheet.name, number))
            continue
        row = Row(sheet.name, number, {}, headers, columns)
        if not parse_row(report, kind, row, raw):
            continue
        key = tuple(row.get(f) for f in kind.row_key)
        if key in seen and any(key):
            first, earlier = seen[key]
            if earlier == row.values:
                report.duplicate_rows.append((sheet.name, number))
            else:
                field_ = next(f for f in kind.row_key if row.get(f) is not None)
                report.problem(sheet.name, number, headers.get(field_, field_), row.get(field_),
                               f"与第{first}行编号相同但内容不同",
                               f"same number as row {first} with different content",
                               columns.get(field_, -1))
            continue
        seen[key] = (number, row.values)
        rows.append(row)


def is_total(cells: Sequence[Any]) -> bool:
    """A 合计 / 总计 row at the foot of a ledger: its first filled cells say so."""
    filled = [values.clean(c) for c in cells if values.clean(c) is not None][:2]
    return any(str(c).replace(" ", "") in _TOTALS for c in filled)


def parse_row(report: Report, kind: Kind, row: Row, raw: dict[str, Any]) -> bool:
    ok = True
    for f, value in raw.items():
        column = kind.column(f)
        try:
            parsed = column.parse(value)
            if parsed is not None and column.parse is values.amount \
                    and not any(u in str(value) for u in "元万"):
                parsed *= scale(row.headers[f])  # a bare number under （万元）
        except values.BadValue as e:
            report.problem(row.sheet, row.number, row.headers[f], value, e.zh, e.en,
                           row.columns[f])
            ok = False
            continue
        row.values[f] = parsed
        if parsed is None and column.required:
            report.problem(row.sheet, row.number, row.headers[f], None, "必填项为空",
                           "a required cell is empty", row.columns[f])
            ok = False
    return ok
