"""The mapping step: headers as people write them, the kind and why, corrections, names."""

from __future__ import annotations

from pathlib import Path

import pytest
from ledger_helpers import xlsx

from collab.errors import ValidationError
from collab.ledgers import names
from collab.ledgers.headers import normalise, scale
from collab.ledgers.kinds import KINDS
from collab.ledgers.mapping import guess, parse_corrections
from collab.ledgers.reader import map_ledger, read_ledger
from collab.sheets.reading import Sheet

CLUES = [["序号", "线索号", "问题线索", "收到日期", "承办部门", "办理情况", "备注"],
         [1, "XS-1", "某村干部违规领取补贴", "2023年7月2日", "县纪委监委", "已立案", ""]]


def test_headers_compare_without_blanks_breaks_brackets_units_or_markers() -> None:
    assert normalise("问题\n编号") == normalise("问题编号") == "问题编号"
    assert normalise("*线索编号（必填）") == normalise(" 线索编号: ") == "线索编号"
    assert normalise("追回资金（万元）") == normalise("追回资金(元)") == "追回资金"
    assert (scale("追回资金（万元）"), scale("追回资金(元)")) == (10_000, 1)


def test_the_kind_is_the_one_whose_required_fields_the_sheet_covers_and_it_says_why() -> None:
    found = guess(Sheet("线索", [(1, ("某县线索台账",)), *[(i + 2, tuple(r))
                                                         for i, r in enumerate(CLUES)]]),
                  list(KINDS.values()))
    assert found is not None and found.kind.name == "clues" and found.header_row == 2
    assert found.fields == {1: "no", 2: "title", 3: "registered_on", 4: "department",
                            5: "status"}
    assert [found.headers[c] for c in found.ignored] == ["序号", "备注"]
    assert found.reason() == ("识别为问题线索台账：必填列 3/3（线索编号、线索标题、登记日期），"
                              "共识别 5 列")
    assert found.preview[2] == ("某村干部违规领取补贴",)


def test_corrections_by_header_or_letter_and_an_unknown_field_is_refused(
        tmp_path: Path) -> None:
    rows = [["编号", "反映内容", "日期", "备注"], ["XS-9", "挪用资金", "2023-07-02", "已核"]]
    path = xlsx(tmp_path / "x.xlsx", {"台账": rows})
    ledger = read_ledger(path, kind="clues",
                         corrections=parse_corrections(["反映内容=title", "C=registered_on",
                                                        "备注=-"]))
    assert not ledger.report.problems, ledger.report.problems
    [row] = ledger.rows["clues"]
    assert (row.get("no"), row.get("title"), str(row.get("registered_on"))) == (
        "XS-9", "挪用资金", "2023-07-02")
    with pytest.raises(ValidationError, match="not a field"):
        map_ledger(path, corrections={"反映内容": "titel"})
    with pytest.raises(ValidationError, match="COLUMN=FIELD"):
        parse_corrections(["反映内容"])


def test_names_in_the_forms_clerks_write_them() -> None:
    places = ["富宁县", "文山州"]
    assert names.unit_key("中共富宁县那能乡委员会", places) == names.unit_key("那能乡党委", places)
    assert names.place_key("那能村委会") == names.place_key("那能村民委员会") == "那能村"
    assert names.place_key("团结社区居民委员会") == "团结社区"
    assert names.short_region_name("文山壮族苗族自治州") == "文山州"
    chain = [("county", "富宁县"), ("prefecture", "文山壮族苗族自治州"), ("province", "云南省")]
    assert "文山州委组织部" in names.department_candidates("州委组织部", chain)
    assert names.department_candidates("县纪委监委", chain) == ["富宁县纪委监委"]
    zhaotong = [("prefecture", "昭通市")]
    assert names.department_candidates("市纪委监委", zhaotong) == ["昭通市纪委监委"]
    assert names.places_named("中共砚山县江那镇委员会") == ["砚山县"]
