"""Data cross-checks (数据比对): two lists of people compared, differences explained.

The seed article's pension case is the model: the roster of residents aged 60 and over against
the pension payment list. Rows are matched by ID number, and rows without a usable one by name
and birth date, both after normalisation (NFKC folds full-width digits and letters, blanks are
dropped), because lists typed by hand in townships differ in exactly those ways. The lists are
compared in memory only: raw ID numbers are never written to the graph or shown unless asked;
rows come back with masked numbers.
"""

from __future__ import annotations

import builtins
import hashlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from collab.access import idnumbers
from collab.access.authz import Authz, Perm, require_not_foreign
from collab.access.authz import get as authz_get
from collab.cases.lifecycle import record_event
from collab.errors import N_, ConflictError, NotFound, ValidationError
from collab.graph.store import Graph
from collab.sheets import reading, values

KEYS = ("id_number", "name_birth")
# Column headers as people write them, after NFKC and with blanks removed.
HEADERS: Mapping[str, tuple[str, ...]] = {
    "name": ("姓名", "名字", "人员姓名", "参保人姓名", "领取人姓名", "户主姓名", "name"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "公民身份证号", "身份证", "证件号码",
                  "idnumber", "id_number", "id"),
    "birth_date": ("出生日期", "出生年月日", "出生年月", "生日", "birthdate", "birth_date"),
    "gender": ("性别", "gender", "sex"),
}
FIELD_NAMES = {"name": "姓名", "id_number": "身份证号", "birth_date": "出生日期", "gender": "性别"}
_HEADER_SCAN = 10


@dataclass
class Entry:
    """One row of a list, normalised; `id_number` is None unless it is valid."""

    row: int
    name: str
    id_number: str | None
    birth_date: date | None
    gender: str | None
    id_problem: str | None = None
    raw_id: str | None = None


@dataclass
class Finding:
    """One row of the result: which list, which row, who, and why it is reported."""

    code: str
    reason: str
    list: str  # the field's name shadows the builtin within this class
    row: int
    name: str
    id_number: str | None
    birth_date: str | None
    other_row: int | None = None
    fields: builtins.list[dict[str, Any]] = field(default_factory=builtins.list)


@dataclass
class Result:
    """Rows only in A, only in B, matched but differing, and how the rest matched."""

    only_a: list[Finding]
    only_b: list[Finding]
    mismatched: list[Finding]
    duplicates: list[Finding]
    matched_by_id: int
    matched_by_name_birth: int
    rows_a: int
    rows_b: int

    def to_json(self) -> dict[str, Any]:
        """The result as plain data (for `--json` and the web)."""
        return {"rows_a": self.rows_a, "rows_b": self.rows_b,
                "matched_by_id": self.matched_by_id,
                "matched_by_name_birth": self.matched_by_name_birth,
                "only_a": [asdict(f) for f in self.only_a],
                "only_b": [asdict(f) for f in self.only_b],
                "mismatched": [asdict(f) for f in self.mismatched],
                "duplicates": [asdict(f) for f in self.duplicates]}


# --- normalisation --------------------------------------------------------------------------
def normalise_text(value: Any) -> str:
    """Text as compared: NFKC (full-width folded), every blank removed."""
    if value is None:
        return ""
    return "".join(unicodedata.normalize("NFKC", str(value)).split())


def mask(number: str | None) -> str | None:
    """An ID number as everyone may see it (530102********1234), even a malformed one."""
    if not number:
        return None
    if len(number) == 18:
        return idnumbers.mask(number)
    return "*" * max(len(number) - 4, 0) + number[-4:]


def normalise_id(value: Any) -> tuple[str | None, str | None]:
    """(valid ID number, None) or (None, why it is unusable); (None, None) when empty."""
    try:
        number = values.id_number(value)
    except values.BadValue as e:
        return None, e.zh
    if number is not None and values.is_masked(number):
        return None, "身份证号已打码，无法按号码匹配"
    return number, None


def normalise_date(value: Any) -> date | None:
    """A birth date from the ways lists write it (2023-05-01, 2023/5/1, 2023年5月1日 …)."""
    try:
        return values.day(value)
    except values.BadValue:
        return None


def read_rows(path: reading.Source) -> list[tuple[int, tuple[Any, ...]]]:
    """(row number, cells) of a CSV (UTF-8 or GBK, detected) or of an xlsx's first sheet.

    The ledger reader's limits apply (file size, zip bombs, row count): uploads are untrusted.
    """
    return reading.read_sheets(path)[0].rows


def _columns(rows: Sequence[tuple[int, Sequence[Any]]],
             name: str) -> tuple[int, dict[str, int]]:
    """The header row (within the first rows, below any title) and each known column's index."""
    for at, (_, row) in enumerate(rows[:_HEADER_SCAN]):
        cells = [normalise_text(c).lower() for c in row]
        found: dict[str, int] = {}
        for canonical, names in HEADERS.items():
            for i, cell in enumerate(cells):
                if cell in names:
                    found.setdefault(canonical, i)
        if "name" in found:
            return at, found
    raise ValidationError(N_("%(file)s: no header row with a 姓名 (name) column in the first "
                             "%(rows)s rows"), file=name, rows=_HEADER_SCAN)


def parse_list(rows: Sequence[tuple[int, Sequence[Any]]], *,
               name: str) -> tuple[list[Entry], set[str]]:
    """The people of a list (row numbers as a spreadsheet shows them), and its known columns."""
    at, cols = _columns(rows, name)
    people = []
    for offset, row in rows[at + 1:]:
        def cell(col: str, row: Sequence[Any] = row) -> Any:
            i = cols.get(col)
            return row[i] if i is not None and i < len(row) else None

        person_name = normalise_text(cell("name"))
        if not person_name:
            continue
        raw = cell("id_number")
        number, problem = normalise_id(raw)
        birth = normalise_date(cell("birth_date"))
        if birth is None and number:
            birth = idnumbers.birth_date(number)
        gender = normalise_text(cell("gender")) or None
        raw_text = normalise_text(raw).upper() if isinstance(raw, str) else None
        people.append(Entry(offset, person_name, number, birth, gender, problem,
                             raw_text or None))
    return people, set(cols)


# --- comparing ------------------------------------------------------------------------------
def compare(a: Sequence[Entry], b: Sequence[Entry], *, key: str = "id_number",
            labels: tuple[str, str] = ("A", "B"), reveal: bool = False) -> Result:
    """Match A's rows to B's by `key` (ID number, then name + birth date; or only the latter)."""
    if key not in KEYS:
        raise ValidationError(N_("unknown matching key %(key)r; use one of: %(keys)s"), key=key,
                              keys=", ".join(KEYS))
    show = (lambda n: n) if reveal else mask
    duplicates: list[Finding] = []
    pairs: list[tuple[Entry, Entry, str]] = []
    rest_a, rest_b = list(a), list(b)
    if key == "id_number":
        rest_a, rest_b = _match(rest_a, rest_b, lambda p: p.id_number, "id", pairs, duplicates,
                                labels, show)
    rest_a, rest_b = _match(rest_a, rest_b, _name_birth, "name_birth", pairs, duplicates,
                            labels, show)
    mismatched = [m for m in (_differences(x, y, how, labels, show) for x, y, how in pairs) if m]
    return Result(
        only_a=[_finding(p, "only_a", _only_reason(p, labels[0], labels[1]), labels[0], show)
                for p in rest_a],
        only_b=[_finding(p, "only_b", _only_reason(p, labels[1], labels[0]), labels[1], show)
                for p in rest_b],
        mismatched=mismatched, duplicates=duplicates,
        matched_by_id=sum(1 for *_, how in pairs if how == "id"),
        matched_by_name_birth=sum(1 for *_, how in pairs if how == "name_birth"),
        rows_a=len(a), rows_b=len(b))


def _name_birth(p: Entry) -> tuple[str, date] | None:
    return (p.name, p.birth_date) if p.birth_date else None


def _match(a: list[Entry], b: list[Entry], keyfn: Any, how: str,
           pairs: list[tuple[Entry, Entry, str]], duplicates: list[Finding],
           labels: tuple[str, str], show: Any) -> tuple[list[Entry], list[Entry]]:
    """Pair rows with equal keys; rows without a key, or left over, go on to the next key."""
    index: dict[Any, Entry] = {}
    left_b = []
    for p in b:
        k = keyfn(p)
        if k is None:
            left_b.append(p)
        elif k in index:
            duplicates.append(_finding(p, "duplicate", f"与名单{labels[1]}第{index[k].row}行重复",
                                       labels[1], show))
        else:
            index[k] = p
    left_a: list[Entry] = []
    seen: dict[Any, int] = {}
    for p in a:
        k = keyfn(p)
        if k is not None and k in seen:
            duplicates.append(_finding(p, "duplicate", f"与名单{labels[0]}第{seen[k]}行重复",
                                       labels[0], show))
        elif k is not None and k in index:
            seen[k] = p.row
            pairs.append((p, index.pop(k), how))
        else:
            if k is not None:
                seen[k] = p.row
            left_a.append(p)
    return left_a, left_b + list(index.values())


def _only_reason(p: Entry, here: str, there: str) -> str:
    why = f"仅在名单{here}中：名单{there}中既无相同身份证号，也无相同姓名和出生日期的人"
    if p.id_problem:
        why += f"（本行{p.id_problem}）"
    return why


def _differences(x: Entry, y: Entry, how: str, labels: tuple[str, str],
                 show: Any) -> Finding | None:
    """The fields that differ between two matched rows (only where both lists have a value)."""
    diffs = []
    for name in ("name", "birth_date", "gender"):
        vx, vy = getattr(x, name), getattr(y, name)
        if vx is not None and vy is not None and vx != vy:
            diffs.append({"field": name, "a": str(vx), "b": str(vy),
                          "reason": f"{FIELD_NAMES[name]}不一致"})
    if how == "name_birth" and (x.raw_id or y.raw_id) and x.id_number != y.id_number:
        notes = [n for n in (_id_note(x, labels[0]), _id_note(y, labels[1])) if n]
        diffs.append({"field": "id_number", "a": show(x.raw_id), "b": show(y.raw_id),
                      "reason": "；".join(notes or ["两份名单的身份证号不同"])
                      + "，按姓名和出生日期匹配"})
    if not diffs:
        return None
    reason = "；".join(d["reason"] for d in diffs)
    found = _finding(x, "mismatch", reason, labels[0], show)
    found.other_row, found.fields = y.row, diffs
    return found


def _id_note(p: Entry, which: str) -> str | None:
    """What is wrong with a row's ID number, if anything."""
    if not p.raw_id:
        return f"名单{which}无身份证号"
    return f"名单{which}{p.id_problem}" if p.id_problem else None


def _finding(p: Entry, code: str, reason: str, which: str, show: Any) -> Finding:
    return Finding(code=code, reason=reason, list=which, row=p.row, name=p.name,
                   id_number=show(p.id_number or p.raw_id),
                   birth_date=p.birth_date.isoformat() if p.birth_date else None)


def crosscheck(path_a: reading.Source, path_b: reading.Source, *, key: str = "id_number",
               reveal: bool = False) -> Result:
    """Compare two list files (CSV or xlsx; paths, or uploads in memory) and explain every
    difference."""
    lists = []
    for path in (path_a, path_b):
        name = reading.name_of(path)
        people, cols = parse_list(read_rows(path), name=name)
        if key == "id_number" and "id_number" not in cols:
            raise ValidationError(N_("%(file)s has no 身份证号 column: compare with "
                                     "--key name_birth instead"), file=name)
        if key == "name_birth" and "birth_date" not in cols and "id_number" not in cols:
            raise ValidationError(N_("%(file)s has neither 出生日期 nor 身份证号: name alone is "
                                     "not enough to match people"), file=name)
        lists.append(people)
    return compare(lists[0], lists[1], key=key, reveal=reveal)


# --- from findings to an issue --------------------------------------------------------------
def raise_issue(g: Graph, *, authz: Authz, unit_code: str, findings: Iterable[Finding],
                title: str, found_on: date, category: str = "民生保障",
                no: str | None = None) -> str:
    """Register one Issue (source 数据比对) on a unit for the selected findings; its number.

    The description lists each person with a masked ID number and the reason; raw numbers are
    never written. The same selection raised twice is refused rather than duplicated.
    """
    selected = list(findings)
    if not selected:
        raise ValidationError(N_("select at least one cross-check result to raise an issue"))
    authz.require(Perm.REGISTER)
    try:
        unit = authz_get(g, authz=authz, label="Unit", key=unit_code)
    except NotFound:
        raise NotFound(N_("no unit %(code)r"), code=unit_code) from None
    lines = [f"{f.name}（{mask(f.id_number) or '无身份证号'}）：{f.reason}" for f in selected]
    digest = hashlib.sha256("\n".join([unit_code, title, *lines]).encode()).hexdigest()[:8]
    no = no or f"BD-{found_on:%Y%m%d}-{digest}"
    require_not_foreign(g, authz=authz, label="Issue", key=no)
    if g.get("Issue", no) is not None:
        raise ConflictError(N_("these results were already raised as issue %(no)s"), no=no)
    g.upsert_nodes("Issue", [{
        "no": no, "title": title, "category": category, "source": "数据比对",
        "found_on": found_on, "region_code": unit.get("region_code"),
        "masses_problem": True,
        "description": f"数据比对发现{len(selected)}人：\n" + "\n".join(lines)}])
    g.upsert_rels("CONCERNS", [{"src": no, "dst": unit_code}], src="Issue", dst="Unit")
    record_event(g, label="Issue", key=no, actor=authz.actor, on=found_on, kind="created",
                 reason=f"数据比对：{len(selected)}条结果")
    return no
