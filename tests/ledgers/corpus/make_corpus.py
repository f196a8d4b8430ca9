"""Write the corpus of messy ledgers, as county offices keep them, and what each must give.

Run from the repository root: `python tests/ledgers/corpus/make_corpus.py` (needs `soffice`,
LibreOffice headless, for the files that must come from LibreOffice). It writes each file and
`expected.json`: per file, who imports it (the region), whether the units it names may be
created, and either the nodes it adds or the exact problems it is refused for — (sheet, row,
column as written, a words of the reason). `test_corpus.py` runs every file on both engines,
from the command line and through the web's mapping step.

The 那能乡 and 富宁县 stories of the seed scenario are among them: the pension issue found by
comparing lists and its rectification and clue; the “net-casting” round's 180 issues in 100
villages (130 urgent problems of the masses solved) and the 12 clues that became cases with
2,035,480 yuan recovered.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
FUNDS = (312_400, 268_950, 241_300, 198_760, 187_420, 176_880, 153_600, 142_370, 128_900,
         96_500, 72_840, 55_560)  # 2,035,480 yuan, as seeds/yunnan.py
EXPECTED: dict[str, dict[str, Any]] = {}


def _villages(county: str) -> list[tuple[str, str]]:
    """(code, name) of the county's real villages, from the vendored region file."""
    with (ROOT / "seeds" / "regions" / "yunnan.csv").open(encoding="utf-8") as f:
        return [(r["code"], r["name"]) for r in csv.DictReader(f)
                if r["level"] == "village" and r["code"].startswith(county)]


def _branch(village: str) -> str:
    """那能村委会 → 那能村党支部 (a village's party branch, as a clerk writes it)."""
    for ending in ("村民委员会", "村委会", "社区居民委员会", "居民委员会", "居委会"):
        if village.endswith(ending):
            stem = village[:-len(ending)]
            return stem + ("社区党支部" if "居" in ending else "村党支部")
    return village + "党支部"


def _book(sheets: dict[str, list[list[Any]]], *, title: dict[str, str] | None = None,
          hidden: dict[str, str] | None = None, date_format: str | None = None) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        if title and name in title:
            ws.append([title[name]])
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        for row in rows:
            ws.append(row)
        for cell in ws[2 if title and name in title else 1]:
            cell.alignment = Alignment(wrap_text=True)
        if hidden and name in hidden:
            ws.column_dimensions[hidden[name]].hidden = True
        if date_format:
            for row in ws.iter_rows():
                for cell in row:
                    if getattr(cell, "is_date", False):
                        cell.number_format = date_format
    return book


def _through_libreoffice(book: Workbook, target: Path) -> None:
    """Save as LibreOffice would: written by openpyxl, then re-saved by soffice headless."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / target.name
        book.save(source)
        out = Path(scratch) / "out"
        subprocess.run(["soffice", "--headless", "--norestore", "--convert-to", "xlsx",
                        "--outdir", str(out), str(source)], check=True, capture_output=True,
                       timeout=240, env={"HOME": scratch, "PATH": "/usr/bin:/bin"})
        shutil.copyfile(out / target.name, target)


def _csv(rows: list[list[Any]], target: Path, encoding: str) -> None:
    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    target.write_bytes(text.getvalue().encode(encoding))


def expect(name: str, *, region: str, create_missing: bool = False,
           adds: dict[str, int] | None = None, problems: list[list[Any]] | None = None,
           figures: dict[str, Any] | None = None) -> None:
    EXPECTED[name] = {"region": region, "create_missing": create_missing,
                      "adds": adds or {}, "problems": problems or [], "figures": figures or {}}


# --- the 那能乡 story ---------------------------------------------------------------------------
def naneng_rectification() -> None:
    """The usual 整改台账: a merged title, line-broken and bracketed headers, 序号, no numbers,
    units as 那能乡党委 / 那能村党支部 (the second not yet on record), status words, a hidden
    column, blank rows and a 合计 row, dates in WPS's 年月日 format. From LibreOffice."""
    header = ["序号", "存在\n问题", "整改措施", "责任\n单位", "责任人", "责任人\n身份证号",
              "整改时限\n（年月日）", "整改进展情况", "完成\n情况", "内部备注"]
    from datetime import date
    rows = [header,
            [1, "66名到龄老人未领到养老金（比对60周岁以上人员花名册与养老金发放名单发现）",
             "逐户核实，补缴补发，激活社保卡", "那能乡党委", "农某", "532628197203150014",
             date(2023, 12, 31), "已为66人补发养老金", "已销号", "内部"],
            [2, "村干部对老人领取养老金跟踪服务不到位", "建立到龄人员提醒台账",
             "那能村党支部", "陆某", "", "2023/11/30", "台账已建立", "已完成", ""],
            [None, None, None, None, None, None, None, None, None, None],
            [3, "部分老人社保卡遗失未补办", "集中补办社保卡", "中共富宁县那能乡委员会", "", "",
             "2023.12.15", "正在补办", "正在整改", ""],
            [4, "养老保险政策宣传不到位", "开展政策宣讲", "那能乡党委", "", "", "2024年1月31日",
             "", "未启动", ""],
            ["合计", None, None, None, None, None, None, None, None, None]]
    book = _book({"整改台账": rows}, title={"整改台账": "富宁县那能乡巡察反馈问题整改台账"},
                 hidden={"整改台账": "J"}, date_format='yyyy"年"m"月"d"日"')
    _through_libreoffice(book, HERE / "那能乡_整改台账.xlsx")
    expect("那能乡_整改台账.xlsx", region="富宁县", create_missing=True,
           adds={"Issue": 4, "Rectification": 4, "Unit": 1, "Person": 1},
           figures={"verified": 1, "new_unit_region": "532628204201"})


def naneng_clue() -> None:
    """The clue from that issue, to the county's discipline commission, named relatively."""
    rows = [["线索号", "线索内容", "收到时间", "所属乡镇", "被反映人姓名", "承办部门", "移送时间",
             "移送文号", "办理状态"],
            ["XS-2023-0001", "乡村干部未跟进养老金发放", "2023年10月18日", "那能乡", "张某",
             "县纪委监委", "2023-10-25", "富巡移〔2023〕1号", "已移送"]]
    _csv(rows, HERE / "那能乡_线索台账.csv", "utf-8-sig")
    expect("那能乡_线索台账.csv", region="富宁县", adds={"Clue": 1, "Transfer": 1, "Person": 1},
           figures={"transferred_to": "D532628-JW"})


# --- the 富宁县 story ---------------------------------------------------------------------------
def funing_net() -> None:
    """拉网巡察: 180 issues in 100 villages, 130 urgent problems of the masses solved. A
    UTF-8-BOM CSV with 序号, √/× and 是/否, village branches not yet on record."""
    rng = random.Random(7)
    villages = [v for v in _villages("532628") if not v[0].startswith("532628204")][:100]
    rows = [["序号", "问题编号", "被巡察单位（党组织）", "存在问题", "发现时间", "发现途径",
             "群众急难愁盼问题", "是否已解决"]]
    for i in range(1, 181):
        _code, name = villages[(i * 7) % 100]
        masses = i <= 130
        day = f"2023/{rng.randint(3, 11)}/{rng.randint(1, 28)}"
        rows.append([i, f"FN-LW-2023-{i:04d}", _branch(name), f"群众反映问题{i}（示例）", day,
                     rng.choice(("走访", "信访", "座谈")), "√" if masses else "×",
                     "是" if masses else "否"])
    rows.append(["合计", "", "", "", "", "", "130", ""])
    _csv(rows, HERE / "富宁县_拉网巡察问题台账.csv", "utf-8-sig")
    expect("富宁县_拉网巡察问题台账.csv", region="富宁县", create_missing=True,
           adds={"Issue": 180, "Unit": 100}, figures={"masses_solved": 130, "villages": 100})


def funing_cases() -> None:
    """The 12 clues that became cases: a workbook with a clue sheet (funds in 万元) and a notes
    sheet, departments relative to the county, dates four ways."""
    forms = ("2023-{m}-{d}", "2023/{m}/{d}", "2023.{m}.{d}", "2023年{m}月{d}日")
    rows = [["序号", "线索编号", "线索名称", "登记日期", "所属区划", "承办单位", "移交日期",
             "办理情况", "立案编号", "立案时间", "追回资金\n（万元）"]]
    for i, funds in enumerate(FUNDS, start=1):
        form = forms[i % 4]
        rows.append([i, f"XS-FN-2023-{i:03d}", f"拉网巡察发现问题线索{i}（示例）",
                     form.format(m=4, d=i + 1), "富宁县", "县纪委监委", form.format(m=5, d=i + 1),
                     "已立案", f"AJ-FN-2023-{i:03d}", form.format(m=6, d=i + 1),
                     round(funds / 10_000, 4)])
    rows.append(["合计", "", "", "", "", "", "", "", "", "", round(sum(FUNDS) / 10_000, 4)])
    notes = [["说明"], ["本表由富宁县委巡察办填报，金额单位为万元。"]]
    _book({"线索及立案": rows, "填表说明": notes}).save(HERE / "富宁县_线索立案台账.xlsx")
    expect("富宁县_线索立案台账.xlsx", region="富宁县",
           adds={"Clue": 12, "Transfer": 12, "Case": 12},
           figures={"funds": sum(FUNDS), "case_filed": 12})


# --- 昭通市: 90 clues, GBK, worded its own way ------------------------------------------------
def zhaotong_clues() -> None:
    """A GBK clue ledger of 90 rows: its own headers, departments named relative to the city,
    disposal and status words the template does not use."""
    statuses = ["已立案"] * 32 + ["了结"] * 21 + ["初核"] * 15 + ["谈话函询"] * 10 + \
        ["已受理"] * 8 + ["已移送"] * 4
    counties = ("巧家县", "大关县", "镇雄县", "彝良县")
    rows = [["序号", "线索号", "线索名称", "收到日期", "所属区划", "承办部门", "移送日期",
             "办理情况"]]
    for i, status in enumerate(statuses, start=1):
        rows.append([i, f"XS-ZT-2023-{i:03d}", f"提级交叉巡察发现问题线索{i}（示例）",
                     f"2023-{4 + i % 4}-{1 + i % 27}", counties[i % 4],
                     "市委组织部" if i % 5 == 0 else "市纪委监委",
                     f"2023-{8 + i % 4}-{1 + i % 27}", status])
    _csv(rows, HERE / "昭通市_线索台账_GBK.csv", "gbk")
    expect("昭通市_线索台账_GBK.csv", region="昭通市", adds={"Clue": 90, "Transfer": 90},
           figures={"case_filed": 32})


# --- refused, with the exact problems --------------------------------------------------------
def float_id() -> None:
    """An ID number Excel turned into a float: its last digits are lost."""
    rows = [["姓名", "身份证号", "工作单位", "职务"],
            ["王某", 532628197001010013.0, "中共富宁县那能乡委员会", "副乡长"]]
    _book({"人员": rows}).save(HERE / "身份证号成了数字.xlsx")
    expect("身份证号成了数字.xlsx", region="富宁县",
           problems=[["人员", 2, "身份证号", "digits are lost"]])


def duplicated_header() -> None:
    """Two columns both headed 线索编号: which one? Refused, naming both."""
    rows = [["线索编号", "线索标题", "登记日期", "区划代码", "线索编号"],
            ["XS-DUP-1", "某村干部违规领取补贴", "2023-05-01", "532628", "XS-DUP-2"]]
    _csv(rows, HERE / "重复列名.csv", "gbk")
    expect("重复列名.csv", region="富宁县", problems=[["重复列名", 1, "线索编号", "named twice"]])


def other_county() -> None:
    """A 富宁县 issue ledger naming a unit of 砚山县: not found (not created in 富宁县)."""
    rows = [["问题编号", "问题描述", "被巡察单位", "发现日期"],
            ["FN-X-001", "村务公开不及时", "中共富宁县那能乡委员会", "2023-05-01"],
            ["FN-X-002", "工程项目未按期验收", "中共砚山县江那镇委员会", "2023-05-02"]]
    _csv(rows, HERE / "外县单位.csv", "utf-8")
    expect("外县单位.csv", region="富宁县", create_missing=True,
           problems=[["外县单位", 3, "被巡察单位", "not found"]])


def unknown_words() -> None:
    """A status nobody declared, a date nobody can read: each named, with what is accepted."""
    rows = [["线索编号", "线索标题", "登记日期", "区划代码", "线索状态"],
            ["XS-W-1", "某站所吃拿卡要", "2023-05-01", "532628", "待研究"],
            ["XS-W-2", "某村截留补助", "去年五月", "532628", "已登记"]]
    _csv(rows, HERE / "不认识的值.csv", "utf-8")
    expect("不认识的值.csv", region="富宁县",
           problems=[["不认识的值", 2, "线索状态", "expected one of"],
                     ["不认识的值", 3, "登记日期", "not a date"]])


def main() -> None:
    for make in (naneng_rectification, naneng_clue, funing_net, funing_cases, zhaotong_clues,
                 float_id, duplicated_header, other_county, unknown_words):
        make()
    (HERE / "expected.json").write_text(
        json.dumps(EXPECTED, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(EXPECTED)} ledgers and expected.json to {HERE}")


if __name__ == "__main__":
    main()
