"""Cell values as people type them, parsed into the graph's types or refused with a reason.

Every parser takes the raw cell (str, int, float, datetime from openpyxl, or None) and returns
the value, None for a blank, or raises `BadValue` with the reason in Chinese and English.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from collab.access import idnumbers
from collab.errors import ValidationError
from collab.sheets.guard import FORMULA_STARTS

Parser = Callable[[Any], Any]

_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_PATTERNS = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_SCIENTIFIC = re.compile(r"\d(\.\d+)?E\+?\d+", re.IGNORECASE)
_MASKED_ID = re.compile(r"\d{6}\*{8}\d{3}[\dX]")
_TRUE = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "已解决"})
_FALSE = frozenset({"否", "n", "no", "false", "0", "×", "未解决"})


class BadValue(Exception):
    """A cell that cannot be read as its column's type; `zh` and `en` say why."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh = zh
        self.en = en


def clean(raw: Any) -> str | None:
    """A cell as trimmed text (NFKC: full-width digits and letters made plain), None if blank."""
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    return text or None


def text(raw: Any) -> str | None:
    """Free text, kept as written apart from surrounding blanks and an export's quote mark,
    and any ID number typed into it masked: the plain number is never stored."""
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    value = str(raw).strip()
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        value = value[1:]
    return idnumbers.redact(value) or None


def person_name(raw: Any) -> str | None:
    """A person's name as lists are compared: NFKC, every blank removed (张 三 is 张三)."""
    value = clean(raw)
    return None if value is None else "".join(value.split())


def day_or_month(raw: Any) -> date | None:
    """A date, or a month as payment lists write it (2023-09, 2023年9月, 202309): its first
    day."""
    value = clean(raw) if isinstance(raw, str) else None
    if value:
        m = re.fullmatch(r"(\d{4})(?:[-/.年])?(\d{1,2})月?", value)
        if m and 1 <= int(m[2]) <= 12:
            return date(int(m[1]), int(m[2]), 1)
    return day(raw)


def code(raw: Any) -> str | None:
    """A ledger number or code: plain text, no inner blanks."""
    value = clean(raw)
    return None if value is None else re.sub(r"\s+", "", value)


def day(raw: Any) -> date | None:
    """A date typed any of the usual ways, or an Excel serial number."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if 1 <= raw < 2958466:
            return _EXCEL_EPOCH + timedelta(days=int(raw))
        raise BadValue("不是有效的日期", "not a date")
    value = clean(raw) or ""
    value = value.split(" ")[0]
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(value)
        if m:
            try:
                return date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                break
    if re.fullmatch(r"\d{5}(\.0)?", value):
        return day(float(value))
    raise BadValue("不是有效的日期（可写作 2023-05-01、2023/5/1、2023年5月1日、2023.5.1）",
                   "not a date (write 2023-05-01, 2023/5/1, 2023年5月1日 or 2023.5.1)")


def integer(raw: Any) -> int | None:
    """A whole number."""
    value = clean(raw)
    if value is None:
        return None
    try:
        return int(value.replace(",", ""))
    except ValueError:
        raise BadValue("不是整数", "not a whole number") from None


def amount(raw: Any) -> float | None:
    """An amount of money in yuan: 12,345.6, 12345元; 万元 is multiplied out."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return float(raw)
    value = clean(raw)
    if value is None:
        return None
    factor = 10_000 if value.endswith("万元") or value.endswith("万") else 1
    number = value.removesuffix("万元").removesuffix("元").removesuffix("万").replace(",", "")
    try:
        return float(number) * factor
    except ValueError:
        raise BadValue("不是金额", "not an amount") from None


def flag(raw: Any) -> bool | None:
    """Yes or no, as 是/否, Y/N, true/false, 1/0, √/×."""
    if isinstance(raw, bool):
        return raw
    value = clean(raw)
    if value is None:
        return None
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise BadValue("应填“是”或“否”", "expected yes (是) or no (否)")


def id_number(raw: Any) -> str | None:
    """An ID number in canonical form; a masked one ("530102********1234") passes as masked.

    Excel turns an 18-digit number typed without a leading ' into a float (15 significant
    digits) or scientific notation: the last digits are already lost, so it is refused.
    """
    if raw is None:
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raise BadValue("身份证号被Excel存成了数字，后几位已丢失；请把该列设为文本后重新录入",
                       "Excel stored the ID number as a number and its last digits are lost; "
                       "format the column as text and type it again")
    value = clean(raw)
    if value is None:
        return None
    value = value.lstrip("'").upper()
    if _SCIENTIFIC.fullmatch(value):
        raise BadValue("身份证号是科学计数法（如 5.30102E+17），精度已丢失",
                       "the ID number is in scientific notation (like 5.30102E+17): "
                       "precision is lost")
    if _MASKED_ID.fullmatch(value):
        return value
    try:
        return idnumbers.validate(value)
    except ValidationError as e:
        zh, _, en = str(e).partition(" / ")
        raise BadValue(zh, en) from None


def is_masked(value: str) -> bool:
    """Whether an ID-number cell holds a masked number (as exports write them)."""
    return bool(_MASKED_ID.fullmatch(value))


def choice(options: Mapping[str, str], shown: Iterable[str] | None = None) -> Parser:
    """A parser accepting the words (`options`: word → value) or the values of a fixed set;
    a refusal names `shown` (every word when not given)."""
    by_name = {unicodedata.normalize("NFKC", k): v for k, v in options.items()}
    codes = set(options.values())
    listed = "、".join(shown if shown is not None else options)

    def parse(raw: Any) -> str | None:
        value = clean(raw)
        if value is None:
            return None
        if value in codes:
            return value
        if value in by_name:
            return by_name[value]
        raise BadValue(f"“{value}”不是可接受的值，应为以下之一：{listed}",
                       f"{value!r} is not accepted: expected one of {listed}")

    return parse
