"""Opening a ledger file safely: what kind of file it is, its encoding, its sheets and rows.

Limits come first: a file over `MAX_FILE_BYTES` is refused by its size before a byte is read;
an xlsx whose parts would unpack to more than `MAX_UNPACKED_BYTES` (a zip bomb), or that holds
macros, is refused from its directory before anything is unpacked, and one whose XML parts
declare entities (a DTD: billion laughs) before a sheet is parsed; openpyxl reads sheets in
streaming mode, and reading stops with a refusal past `MAX_ROWS` rows or `MAX_CELLS` cells (at
most `MAX_COLUMNS` columns are read), so memory stays bounded whatever the file claims. CSV
encodings are detected, never asked for: a BOM, else UTF-8, else GB18030 (a superset of GBK,
which Chinese Excel writes by default).

A file is a path, or a `Blob`: an upload held in memory and read the same way, so the web app
never writes an uploaded ledger to disk in plain text.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collab.errors import CollabError

MAX_FILE_BYTES = 64 * 2**20
MAX_UNPACKED_BYTES = 256 * 2**20
MAX_RATIO = 200
# What a ledger may hold; beyond it the file is refused rather than read into memory.
MAX_ROWS = 300_000
MAX_COLUMNS = 120
MAX_CELLS = 4_000_000

# An xlsx part's prolog (declaration, comments) must end, and its root start, within this.
_PROLOG_BYTES = 64 * 2**10
_ROOT = re.compile(rb"<[A-Za-z_]")
_ZIP = b"PK\x03\x04"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


class UnreadableFile(CollabError):
    """A file that cannot be read as a ledger; `zh` and `en` say why."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class Blob:
    """A file's bytes in memory, with the name it was uploaded under."""

    name: str
    data: bytes

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix

    @property
    def stem(self) -> str:
        return Path(self.name).stem


Source = str | Path | Blob


def as_source(source: Source) -> Path | Blob:
    """A path given as text made a Path; a path or an upload as it is."""
    return source if isinstance(source, Blob) else Path(source)


def name_of(source: Source) -> str:
    """The file name of a path or an upload, for messages."""
    return source.name if isinstance(source, Blob) else Path(source).name


@dataclass(frozen=True)
class Sheet:
    """One sheet's rows as (spreadsheet row number, cell values); a CSV is one sheet."""

    name: str
    rows: list[tuple[int, tuple[Any, ...]]]


def _size_and_head(source: Path | Blob) -> tuple[int, bytes]:
    if isinstance(source, Blob):
        return len(source.data), source.data[:8]
    if not source.is_file():
        raise UnreadableFile(f"找不到文件 {source}", f"no such file: {source}")
    with source.open("rb") as f:
        return source.stat().st_size, f.read(8)


def opened(source: Path | Blob) -> Path | io.BytesIO:
    """What zipfile and openpyxl read from: the path, or the bytes as a file."""
    return io.BytesIO(source.data) if isinstance(source, Blob) else source


def read_sheets(source: Source) -> list[Sheet]:
    """Every sheet of an xlsx or the one of a CSV, after the size, type and zip checks."""
    path = as_source(source)
    size, head = _size_and_head(path)
    if size > MAX_FILE_BYTES:
        raise UnreadableFile(
            f"文件过大（{size // 2**20} MB，上限 {MAX_FILE_BYTES // 2**20} MB），请拆分后导入",
            f"the file is too large ({size // 2**20} MB, limit {MAX_FILE_BYTES // 2**20} MB): "
            f"split it")
    if head.startswith(_ZIP):
        return _xlsx_sheets(opened(path))
    if head.startswith(_OLE2):
        raise UnreadableFile("文件已加密（设置了密码）或是旧版 .xls：请去掉密码并另存为 .xlsx",
                             "the file is password-protected or an old .xls: remove the "
                             "password and save it as .xlsx")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise _corrupt()
    if path.suffix.lower() not in (".csv", ".txt"):
        raise UnreadableFile("文件类型不支持：请使用 .xlsx 或 .csv",
                             "unsupported file type: use .xlsx or .csv")
    data = path.data if isinstance(path, Blob) else path.read_bytes()
    return [Sheet(path.stem, _csv_rows(data))]


def _corrupt() -> UnreadableFile:
    return UnreadableFile("文件已损坏，不是有效的 .xlsx", "the file is corrupt: not a valid .xlsx")


def _check_zip(path: Path | io.BytesIO) -> None:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError):
        raise _corrupt() from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise UnreadableFile("文件类型不支持：这是压缩包，不是 .xlsx 表格",
                             "unsupported file type: a zip archive, not an .xlsx workbook")
    if any(n.lower().endswith("vbaproject.bin") or n.startswith("xl/macrosheets/")
           for n in names):
        raise UnreadableFile("文件含有宏（VBA），不予接受：请另存为不含宏的 .xlsx",
                             "the workbook contains macros (VBA): save it as a macro-free .xlsx")
    unpacked = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise UnreadableFile(
            f"文件解压后过大（{unpacked // 2**20} MB），疑似压缩炸弹，已拒绝",
            f"the file would unpack to {unpacked // 2**20} MB (a zip bomb?): refused")
    with zipfile.ZipFile(path) as z:
        if any(_declares_entities(z, i) for i in infos if i.filename.endswith((".xml", ".rels"))):
            raise UnreadableFile("文件含有 XML 实体声明（DOCTYPE），疑似实体炸弹，已拒绝",
                                 "the file declares XML entities (DOCTYPE), as an entity bomb "
                                 "does: refused")


def _declares_entities(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether a part has a DOCTYPE before its root element (Office never writes one)."""
    with z.open(info) as part:
        head = part.read(_PROLOG_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="replace").encode("utf-8")
    root = _ROOT.search(head)
    return root is None or b"<!DOCTYPE" in head[:root.start()]


def _xlsx_sheets(path: Path | io.BytesIO) -> list[Sheet]:
    _check_zip(path)
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for one cause: a bad file
        raise _corrupt() from None
    try:
        sheets: list[Sheet] = []
        for ws in book.worksheets:
            cells = sum(len(r) for sheet in sheets for _, r in sheet.rows)
            rows = _bounded(enumerate(ws.iter_rows(max_col=MAX_COLUMNS, values_only=True),
                                      start=1), ws.title, cells)
            sheets.append(Sheet(ws.title, rows))
        return sheets
    finally:
        book.close()


def decode(data: bytes) -> str:
    """CSV bytes as text: by BOM, else UTF-8, else GB18030 (GBK); else refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding)
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise UnreadableFile("无法识别文件编码：请另存为 UTF-8 或 GBK 编码的 CSV",
                         "unknown encoding: save the CSV as UTF-8 or GBK")


def _csv_rows(data: bytes) -> list[tuple[int, tuple[Any, ...]]]:
    text = decode(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    reader: Iterator[list[str]] = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        return _bounded(enumerate(reader, start=1), "CSV", 0)
    except csv.Error as e:
        raise UnreadableFile(f"CSV 格式错误：{e}", f"malformed CSV: {e}") from None


def _bounded(numbered: Iterator[tuple[int, Any]], sheet: str,
             cells: int) -> list[tuple[int, tuple[Any, ...]]]:
    """Rows read until a limit (rows, cells) is passed, which refuses the file."""
    rows = []
    for number, values in numbered:
        row = tuple(values)[:MAX_COLUMNS]
        cells += len(row)
        if number > MAX_ROWS or cells > MAX_CELLS:
            raise UnreadableFile(
                f"“{sheet}”超过 {MAX_ROWS} 行或 {MAX_CELLS} 个单元格，请拆分后导入",
                f"{sheet!r} has over {MAX_ROWS} rows or {MAX_CELLS} cells: split it")
        rows.append((number, row))
    return rows
