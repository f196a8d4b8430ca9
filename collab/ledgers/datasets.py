"""Importing a reference data set (数据集): one list read with the ledgers' machinery, kept whole.

The columns of each kind are declared like the ledgers' (`collab.ledgers.kinds`): a template
header, its English name, a parser and the synonyms people write. The file, a CSV (UTF-8 or
GBK, detected) or an xlsx, under a title row or not, goes through the ledgers' mapping step
(`collab.ledgers.mapping`: normalised headers, the user's corrections by header or column
letter, a column named twice or a required one missing as header problems, totals left out)
and its problems can be given back marked in the file (`collab.ledgers.errorbook`). A data
set is written all or nothing, under a code of its own that is never reused: a newer list is a
new data set.

A list from another department is taken as it is: a row whose ID number is missing, masked or
mistyped is kept (models still match it by name and birth date) and named in the report, not
refused; a row without a name, or with a date or amount that cannot be read, is a problem and
nothing is written. Valid numbers become Person nodes keyed by their hash (`idnumbers`), so
the plain number is never stored; a person already in the graph is linked, not rewritten.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from collab.access import idnumbers, regions
from collab.access.authz import Authz, Perm
from collab.access.idnumbers import IdKey
from collab.analysis import datasets
from collab.errors import N_, ConflictError, ValidationError
from collab.graph.store import MAX_PAGE, Graph
from collab.ledgers.build import Plan, Row
from collab.ledgers.kinds import Column, Kind
from collab.ledgers.mapping import SheetMapping, guess
from collab.ledgers.reader import (
    NOTES_SHEET,
    describe,
    file_sha256,
    header_problems,
    is_total,
    parse_row,
    sheets_of,
)
from collab.ledgers.report import LedgerRejected, Report
from collab.sheets import values as v
from collab.sheets.reading import Sheet, UnreadableFile

_COMMON = (
    Column("name", "姓名", "name", v.person_name, True,
           ("人员姓名", "名字", "参保人姓名", "领取人姓名", "户主姓名", "死者姓名", "救助对象姓名",
            "对象姓名")),
    Column("id_number", "身份证号", "ID number", v.id_number,
           aliases=("身份证号码", "公民身份号码", "公民身份证号", "身份证", "证件号码")),
    Column("birth_date", "出生日期", "birth date", v.day,
           aliases=("出生年月日", "出生年月", "生日")),
    Column("gender", "性别", "gender", vocab="gender"),
    Column("region_code", "区划代码", "region code", v.code,
           aliases=("行政区划代码", "所属区划代码", "所属区划")),
    Column("place", "村（社区）", "village or address", v.text,
           aliases=("村委会", "村(社区)", "所在村", "所属村", "村组", "住址", "地址", "乡镇")),
)
_EXTRA: Mapping[str, tuple[Column, ...]] = {
    "roster": (),
    "payment": (
        Column("benefit", "发放项目", "benefit", v.text,
               aliases=("补贴类别", "补贴项目", "项目", "险种", "救助类别", "待遇类别")),
        Column("amount", "发放金额", "amount", v.amount,
               aliases=("发放金额(元)", "金额", "金额(元)", "待遇金额")),
        Column("paid_on", "发放日期", "paid on", v.day_or_month,
               aliases=("发放时间", "发放月份", "发放年月", "待遇年月")),
    ),
    "deceased": (
        Column("died_on", "死亡日期", "died on", v.day, True, ("死亡时间", "注销日期")),
    ),
    "public_servant": (
        Column("employer", "工作单位", "employer", v.text,
               aliases=("单位", "所在单位", "单位名称")),
        Column("position", "职务", "position", v.text, aliases=("职务职级", "岗位")),
    ),
    "low_income": (
        Column("benefit", "救助类别", "assistance", v.text,
               aliases=("保障类别", "类别", "享受类别", "低保类别", "救助类型")),
        Column("since", "享受起始日期", "since", v.day,
               aliases=("起始日期", "纳入时间", "批准日期")),
        Column("amount", "保障金额", "amount", v.amount,
               aliases=("金额", "金额(元)", "月保障金额")),
    ),
}
KINDS: Mapping[str, Kind] = {
    code: Kind(code, datasets.KINDS[code].zh, "DataRecord", _COMMON + _EXTRA[code], ())
    for code in datasets.KINDS}
# Record properties taken from the row as parsed.
_RECORD_FIELDS = ("name", "birth_date", "gender", "place", "benefit", "amount", "paid_on",
                  "died_on", "employer", "position", "since")


@dataclass
class DataSetFile:
    """A list read and parsed: its kind, the sheet's mapping, its rows (row number, values),
    the report so far."""

    kind: Kind
    report: Report
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    mapping: SheetMapping | None = None

    @property
    def sheet(self) -> str:
        return self.mapping.sheet if self.mapping else ""

    @property
    def header_rows(self) -> dict[str, int]:
        """Where the header is, by sheet (for the marked error workbook)."""
        return {self.mapping.sheet: self.mapping.header_row} if self.mapping else {}


@dataclass
class DataSetReport:
    """What an import did: rows, people linked and created, rows it could not link, and why."""

    file: str
    code: str
    rows: int = 0
    linked: int = 0
    people_created: int = 0
    unlinked: list[tuple[int, str, str]] = field(default_factory=list)
    dry_run: bool = False

    def lines(self, lang: str = "zh") -> list[str]:
        """The report for people, in Chinese or English."""
        en = lang == "en"
        out = [f"data set {self.code}: {self.rows} rows, {self.linked} linked to people by ID "
               f"number ({self.people_created} people new), {len(self.unlinked)} without a "
               f"usable ID number (matched by name and birth date)" if en else
               f"数据集 {self.code}：{self.rows}行，{self.linked}行按身份证号关联到人员（新增人员"
               f"{self.people_created}人），{len(self.unlinked)}行无可用身份证号（按姓名和出生日期比对）"]
        out += [f"row {row}: {en_ if en else zh}" if en else f"第{row}行：{zh}"
                for row, zh, en_ in self.unlinked]
        if self.dry_run:
            out.append("dry run: nothing was written" if en else "试运行，未写入任何数据")
        return out


def kind(code: str) -> Kind:
    """The columns of a data set kind, or a ValidationError listing the kinds."""
    datasets.kind(code)
    return KINDS[code]


def read_dataset(path: str | Path, *, kind_code: str,
                 corrections: Mapping[str, str] | None = None,
                 name: str | None = None) -> DataSetFile:
    """Read the first sheet with a header of the kind, mapped as a ledger is (synonyms,
    normalised headers, the user's corrections by header or letter); parse every cell (no
    store needed). `name` is the file's name as the user gave it (an upload is kept under
    another)."""
    spec = kind(kind_code)
    path = Path(path)
    found = DataSetFile(spec, Report(file=name or path.name, sha256=file_sha256(path)))
    report = found.report
    try:
        sheets = sheets_of(path, name)
    except UnreadableFile as e:
        report.problem("", 0, "", None, e.zh, e.en)
        return found
    for sheet in sheets:
        mapping = None if sheet.name == NOTES_SHEET else guess(sheet, [spec], corrections)
        if mapping is None:
            report.ignored_sheets.append(sheet.name)
            continue
        found.mapping = mapping
        describe(report, mapping)
        if not header_problems(report, mapping):
            _parse(found, sheet, mapping)
        break
    if not report.problems and not found.rows:
        report.problem("", 0, "", None, "没有可导入的数据行（或未找到表头）",
                       "no data rows to import (or no header found)")
    return found


def _parse(found: DataSetFile, sheet: Sheet, mapping: SheetMapping) -> None:
    """Parse each row as a ledger row is; an unusable ID number is kept as the reason the row
    cannot be linked, not refused (the list is another department's, taken as it is)."""
    report, spec = found.report, found.kind
    headers = {f: mapping.headers[col] for col, f in mapping.fields.items()}
    columns = {f: col for col, f in mapping.fields.items()}
    for number, cells in sheet.rows[mapping.header_index + 1:]:
        raw = {f: cells[col] if col < len(cells) else None for col, f in mapping.fields.items()}
        if all(v.clean(x) is None for x in raw.values()):
            continue
        if is_total(cells):
            report.total_rows.append((sheet.name, number))
            continue
        row = Row(sheet.name, number, {}, headers, columns)
        id_problem = None
        if "id_number" in raw:
            try:
                row.values["id_number"] = v.id_number(raw.pop("id_number"))
            except v.BadValue as e:
                id_problem = (e.zh, e.en)
        if parse_row(report, spec, row, raw):
            found.rows.append((number, row.values | ({"id_problem": id_problem}
                                                     if id_problem else {})))


@dataclass(frozen=True)
class DataSetInfo:
    """What a data set is, as its importer describes it."""

    code: str
    name: str
    source: str
    as_of: date
    region_code: str
    roles: Sequence[str] = datasets.DEFAULT_ROLES
    regions: Sequence[str] = ()
    source_department: str | None = None


def import_dataset(g: Graph, *, authz: Authz, data: DataSetFile, info: DataSetInfo, key: IdKey,
                   dry_run: bool = False) -> DataSetReport:
    """Check and write a data set, all or nothing; raises LedgerRejected with the report."""
    authz.require(Perm.MANAGE_DATASETS)
    if not info.code.strip() or not info.name.strip():
        raise ValidationError(N_("a data set needs a code and a name"))
    if g.get("DataSet", info.code) is not None:
        raise ConflictError(N_("data set %(code)s exists already: a newer list is a new data "
                               "set, with a code of its own"), code=info.code)
    roles, where = datasets.check_access(authz, region_code=info.region_code, roles=info.roles,
                                         regions_=info.regions)
    report = copy.deepcopy(data.report)
    plan, out = Plan(), DataSetReport(file=report.file, code=info.code, dry_run=dry_run)
    people = _people(g, key, data.rows)
    for number, row in data.rows:
        _record(plan, report, out, info, data, number, row, people)
    if report.problems:
        raise LedgerRejected(report)
    plan.node("DataSet", info.code, {
        "code": info.code, "name": info.name.strip(), "kind": data.kind.name,
        "source": info.source.strip() or None, "source_department": info.source_department,
        "as_of": info.as_of, "region_code": info.region_code, "roles": roles, "regions": where,
        "rows": out.rows, "unmatched": len(out.unlinked), "file": report.file,
        "imported_at": datetime.now(UTC), "imported_by": authz.actor.name})
    if not dry_run:
        plan.write(g)
    return out


@dataclass
class _People:
    """The stored fields of every valid number in the list, and the uids already in the graph."""

    fields: dict[str, dict[str, str]]
    known: set[str]


def _people(g: Graph, key: IdKey, rows: list[tuple[int, dict[str, Any]]]) -> _People:
    numbers = sorted({r["id_number"] for _, r in rows
                      if r.get("id_number") and not v.is_masked(r["id_number"])})
    fields = {n: idnumbers.person_fields(key, n) for n in numbers}
    hashes = sorted({f["id_hash"] for f in fields.values()})
    known: set[str] = set()
    for i in range(0, len(hashes), MAX_PAGE):
        page = g.find("Person", where={"id_hash": hashes[i:i + MAX_PAGE]}, limit=MAX_PAGE)
        known.update(n.uid for n in page.items)
    return _People(fields, known)


def _record(plan: Plan, report: Report, out: DataSetReport, info: DataSetInfo,
            data: DataSetFile, number: int, row: dict[str, Any], people: _People) -> None:
    """Add one row's record, its link to its set and, by a valid number, to its person."""
    region = row.get("region_code") or info.region_code
    if not regions.within(region, info.region_code):
        header = data.kind.column("region_code").zh
        report.problem(data.sheet, number, header, region, "不在数据集的区划范围内",
                       "outside the data set's region")
        return
    no = f"{info.code}/{number}"
    props = {f: row.get(f) for f in _RECORD_FIELDS} | {
        "no": no, "dataset": info.code, "row": number, "region_code": region}
    plan.rel("OF_SET", ("DataRecord", no), ("DataSet", info.code))
    out.rows += 1
    uid, why = _person(plan, out, row, region, people)
    if uid is None:
        out.unlinked.append((number, *why))
        props["id_problem"] = why[0]
    else:
        plan.rel("NAMES", ("DataRecord", no), ("Person", uid))
        out.linked += 1
        props["id_masked"] = idnumbers.mask(row["id_number"])
        props["birth_date"] = props["birth_date"] or idnumbers.birth_date(row["id_number"])
    plan.node("DataRecord", no, props)


def _person(plan: Plan, out: DataSetReport, row: dict[str, Any], region: str,
            people: _People) -> tuple[str | None, tuple[str, str]]:
    """The uid of the row's person (added to the plan when new), or why there is none."""
    number = row.get("id_number")
    if "id_problem" in row:
        return None, row["id_problem"]
    if not number:
        return None, ("无身份证号", "no ID number")
    if v.is_masked(number):
        return None, ("身份证号已打码，无法按号码关联", "the ID number is masked")
    fields = people.fields[number]
    uid = fields["uid"]
    if uid not in people.known:
        people.known.add(uid)
        out.people_created += 1
        plan.node("Person", uid, {**fields, "name": row["name"], "region_code": region,
                                  "birth_date": idnumbers.birth_date(number),
                                  "gender": row.get("gender")})
    return uid, ("", "")
