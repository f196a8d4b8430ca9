"""Helpers the ledger tests share: a key, the base graph, ledger file makers."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from collab.access.actors import Actor
from collab.access.idnumbers import IdKey

KEY = IdKey.from_secret(b"collab-ledger-tests-secret-32-bytes!")
ACTOR = Actor("巡察办测试员")


def base(g: Any) -> None:
    """Regions, departments and a group that ledgers name but do not import."""
    g.upsert_nodes("Region", [
        {"code": "530000", "name": "云南省", "level": "province"},
        {"code": "532600", "name": "文山壮族苗族自治州", "level": "prefecture"},
        {"code": "532628", "name": "富宁县", "level": "county"},
        {"code": "532628107", "name": "那能乡", "level": "township"},
        {"code": "532622", "name": "砚山县", "level": "county"}])
    g.upsert_nodes("Department", [
        {"code": "D532628-JW", "name": "富宁县纪委监委", "region_code": "532628"},
        {"code": "D532628-ZZB", "name": "富宁县委组织部", "region_code": "532628"},
        {"code": "D532628-RS", "name": "富宁县人社局", "region_code": "532628"}])
    g.upsert_nodes("Round", [{"code": "R1", "name": "十届州委第十轮巡察", "region_code": "532600"}])
    g.upsert_nodes("Group", [{"code": "G1", "name": "州委第一巡察组", "region_code": "532600"}])


def xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]], *,
         title: str | None = None) -> Path:
    """An xlsx with the given sheets; `title` adds a merged title row above each header."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        if title:
            ws.append([title])
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        for row in rows:
            ws.append(list(row))
    book.save(path)
    return path


def csv_file(path: Path, rows: Sequence[Sequence[Any]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)
    return path


UNITS = [["序号", "单位编码", "单位名称", "所属区划代码", "备注"],
         [1, "U532628107", "中共富宁县那能乡委员会", "532628107", ""],
         [2, "U532628107001", "那能村党支部", "532628107", "村（社区）"],
         [3, "U532622100", "中共砚山县江那镇委员会", "532622", ""]]
ISSUES = [["问题编号", "问题描述", "被巡察单位", "发现日期", "问题来源", "巡察组", "协作单位",
           "是否群众急难愁盼问题"],
          ["FN-001", "66名到龄老人未领到养老金", "中共富宁县那能乡委员会", "2023-05-01", "数据比对",
           "G1", "富宁县人社局", "是"],
          ["FN-002", "村务公开不及时", "那能村党支部", "2023/5/1", "走访", "G1", "", "否"],
          ["FN-003", "惠民资金发放不规范", "U532628107001",
           "2023年5月1日", "信访", "", "", ""],
          ["FN-004", "工程项目未按期验收", "中共砚山县江那镇委员会", "2023.5.1", "审计", "", "",
           ""],
          ["FN-005", "集体经济收入未入账", "那能村党支部", 45047, "数据比对", "", "", ""]]
