"""The import report: every problem with where it is (sheet / row / column / value) and why.

Reasons are kept in Chinese and English side by side, so the CLI's `--lang en` and the web's
locale choose at display time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from collab.errors import CollabError
from collab.graph import names
from collab.ledgers.kinds import KINDS

_MAX_VALUE = 40
# One answer for a number or name that names nothing and for one that names a record outside
# the importer's reach: the two must read the same (issue 16).
NOT_FOUND = ("找不到：没有这个编号或名称的记录（请检查，或先导入）",
             "not found: no record has this number or name (check it, or import it first)")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a ledger, where the clerk sees it: the sheet's name, the
    spreadsheet's own row number (title rows counted; 0: the whole sheet or file), the header
    as written (`col`: its index, -1 when none) and the value."""

    sheet: str
    row: int
    column: str
    value: str
    zh: str
    en: str
    col: int = -1

    def render(self, lang: str = "zh", file: str = "") -> str:
        reason = self.en if lang == "en" else self.zh
        shown = f" = {self.value!r}" if self.value else ""
        if not self.sheet:
            where = f"file {file!r}" if lang == "en" else f"文件“{file}”"
            return f"{where}{shown}: {reason}"
        if lang == "en":
            where = f"sheet {self.sheet!r}"
            where += f" row {self.row}" if self.row else ""
            where += f" column {self.column!r}" if self.column else ""
        else:
            where = f"工作表“{self.sheet}”"
            where += f" 第{self.row}行" if self.row else ""
            where += f" “{self.column}”列" if self.column else ""
        return f"{where}{shown}: {reason}"


@dataclass
class Report:
    """What an import found and did: per kind counts, ignored columns, duplicates, problems."""

    file: str
    sha256: str = ""
    dry_run: bool = False
    rows: dict[str, int] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    ignored_columns: list[tuple[str, str]] = field(default_factory=list)
    ignored_sheets: list[str] = field(default_factory=list)
    duplicate_rows: list[tuple[str, int]] = field(default_factory=list)
    kept_status: list[tuple[str, str, str, str]] = field(default_factory=list)
    relinked: int = 0
    # (sheet, why it was read as its kind: zh, en)
    readings: list[tuple[str, str, str]] = field(default_factory=list)
    # (sheet, header as written, the field's template header) of every mapped column
    mapped: list[tuple[str, str, str]] = field(default_factory=list)
    # units not on record, created when the user confirms: (name, code, region code)
    proposed: list[tuple[str, str, str]] = field(default_factory=list)
    region_names: dict[str, str] = field(default_factory=dict)
    # records of other labels the rows make (a rectification row's issue, people): label → n
    also_created: dict[str, int] = field(default_factory=dict)
    # (sheet, row) of total rows (合计) left out
    total_rows: list[tuple[str, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, sheet: str, row: int, column: str, value: Any, zh: str, en: str,
                col: int = -1) -> None:
        shown = "" if value is None else str(value)
        if len(shown) > _MAX_VALUE:
            shown = shown[:_MAX_VALUE] + "…"
        self.problems.append(Problem(sheet, row, column, shown, zh, en, col))

    @property
    def ok(self) -> bool:
        return not self.problems

    def audit_detail(self) -> dict[str, Any]:
        """What an import's audit record keeps: the file, its SHA-256 and the counts."""
        return {"file": self.file, "sha256": self.sha256, "dry_run": self.dry_run,
                "rows": dict(self.rows), "created": dict(self.created),
                "updated": dict(self.updated), "unchanged": dict(self.unchanged),
                "problems": len(self.problems)}

    def lines(self, lang: str = "zh") -> list[str]:
        """The report as lines for people, in Chinese or English."""
        en = lang == "en"
        out = []
        for sheet, why_zh, why_en in self.readings:
            pairs = [f"{h}→{f}" if h != f else h for s, h, f in self.mapped if s == sheet]
            out.append(f"sheet {sheet!r}: {why_en}; columns: {', '.join(pairs)}" if en
                       else f"工作表“{sheet}”：{why_zh}；列映射：{'、'.join(pairs)}")
        for code, n in self.rows.items():
            kind = _kind_name(code, lang)
            counts = (self.created.get(code, 0), self.updated.get(code, 0),
                      self.unchanged.get(code, 0))
            out.append(f"{kind}: {n} rows, {counts[0]} new, {counts[1]} updated, "
                       f"{counts[2]} unchanged" if en else
                       f"{kind}：{n}行，新增{counts[0]}，更新{counts[1]}，"
                       f"未变{counts[2]}")
        if self.also_created:
            also = [(_named(names.LABELS.get(label), label, lang), n)
                    for label, n in self.also_created.items()]
            out.append("also new: " + ", ".join(f"{name} {n}" for name, n in also) if en
                       else "另新增：" + "、".join(f"{name}{n}" for name, n in also))
        regions = sorted({self.region_names.get(r, r) for _, _, r in self.proposed})
        if self.proposed:
            will = self.dry_run or self.problems
            out.append(f"{len(self.proposed)} inspected units "
                       f"{'to be created' if will else 'created'} (in {', '.join(regions)}): "
                       + ", ".join(n for n, _, _ in self.proposed) if en else
                       f"{'将新建' if will else '已新建'} {len(self.proposed)} 个被巡察单位"
                       f"（{'、'.join(regions)}下）：" + "、".join(n for n, _, _ in self.proposed))
        if self.relinked:
            out.append(f"{self.relinked} links replaced by the ledger's corrected values" if en
                       else f"按台账更正了{self.relinked}条关联")
        for sheet, column in self.ignored_columns:
            out.append(f"ignored column {column!r} in sheet {sheet!r}" if en
                       else f"已忽略工作表“{sheet}”中的“{column}”列")
        for sheet in self.ignored_sheets:
            out.append(f"ignored sheet {sheet!r} (no ledger header found)" if en
                       else f"已忽略工作表“{sheet}”（未找到台账表头）")
        for sheet, row in self.total_rows:
            out.append(f"sheet {sheet!r} row {row} is a total row: left out" if en
                       else f"工作表“{sheet}”第{row}行是合计行，未导入")
        for sheet, row in self.duplicate_rows:
            out.append(f"sheet {sheet!r} row {row} repeats an earlier row: counted once" if en
                       else f"工作表“{sheet}”第{row}行与前面的行重复，只计一次")
        for code, key, given_code, current_code in self.kept_status:
            label = _named(names.LABELS.get(code), code, lang)
            given = _named(names.state_name(given_code or "", code), given_code, lang)
            current = _named(names.state_name(current_code or "", code), current_code, lang)
            out.append(f"{label} {key}: kept its status {current!r} (the ledger says {given!r}; "
                       f"collab has recorded steps since)" if en else
                       f"{label} {key}：保留系统中的状态“{current}”（台账为“{given}”，"
                       f"系统已记录后续办理步骤）")
        out += [p.render(lang, self.file) for p in self.problems]
        if self.problems:
            out.append(f"{len(self.problems)} problems: nothing was written" if en
                       else f"共{len(self.problems)}个问题，未写入任何数据")
        elif self.dry_run:
            out.append("dry run: nothing was written" if en else "试运行，未写入任何数据")
        return out


def _named(name: names.Name | None, code: Any, lang: str) -> str:
    return name.of(lang) if name is not None else str(code)


def _kind_name(code: str, lang: str) -> str:
    """A ledger kind as people call it: 问题线索台账 / Clues ledger."""
    kind = KINDS.get(code)
    if kind is None:
        return code
    return f"{names.LABELS[kind.label].plural('en')} ledger" if lang == "en" else kind.zh


class LedgerRejected(CollabError):
    """A ledger with problems: nothing was written; `report` lists every problem."""

    def __init__(self, report: Report):
        n = len(report.problems)
        super().__init__(f"{report.file}: {n} problem{'s' if n != 1 else ''}, nothing was "
                         f"written; first: {report.problems[0].render('en', report.file)}")
        self.report = report
