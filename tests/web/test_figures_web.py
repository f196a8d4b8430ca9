"""The leader's figures page: 成案率 and 贡献率 by department within one's jurisdiction, each
number opening its records, each table an xlsx; a case filed on the pages shows in both."""

from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import unquote

from flask import Flask
from openpyxl import load_workbook
from web.client import Client, signed

from collab.graph.sqlite_engine import SqliteStore


def converted(html: str) -> str:
    found = re.search(r'<tr data-department="D532628-JW">.*?data-drill="cases_from_clues">'
                      r'(\d+)<', html, re.S)
    return found.group(1) if found else "0"


def test_a_case_filed_on_the_pages_shows_in_the_leaders_figures(fresh_app: Flask,
                                                                  fresh: SqliteStore) -> None:
    lead = signed(fresh_app, "lead")
    page = lead.get("/figures/")
    assert page.status_code == 200 and 'id="conversion"' in page.text \
        and 'id="contribution"' in page.text
    before = int(converted(page.text))
    coord, liaison = signed(fresh_app, "coord"), signed(fresh_app, "liaison")
    coord.post("/clues/WS-2023-0002/transfer", {"department": "富宁县纪委监委", "letter_no": "x",
                                                "on": "2023-11-01"})
    for what, form in (("accept", {}), ("dispose", {"disposal": "verification"}),
                       ("file_case", {"case_no": "AJ-FIG-1"})):
        assert liaison.post(f"/clues/transfers/WS-2023-0002/2/{what}",
                            {"on": "2023-11-20", **form}).status_code == 302
    assert fresh.get("Case", "AJ-FIG-1") is not None
    page = lead.get("/figures/").text
    assert int(converted(page)) == before + 1
    drill = lead.get("/figures/records/cases_from_clues?department=D532628-JW").text
    assert "WS-2023-0002" in drill
    contribution = lead.get("/figures/records/contribution?department=D532628-JW").text
    assert "AJ-FIG-1" in contribution


def test_the_figures_stay_within_ones_jurisdiction(site_app: Flask,
                                                   signed_in: dict[str, Client]) -> None:
    zt = signed_in["zt"]
    foreign = zt.get("/figures/?region=532600")  # named in the form: not within reach
    assert foreign.status_code == 200 and 'data-error-for="region"' in foreign.text
    assert "富宁县纪委监委" not in foreign.text
    assert zt.get("/figures/records/contribution?department=D532628-JW").status_code == 404
    for name in ("liaison", "aud", "sys"):
        assert signed_in[name].get("/figures/").status_code == 404
    assert signed_in["lead"].get("/figures/records/nonsense").status_code == 404


def test_each_table_downloads_as_xlsx_with_a_chinese_name(site_app: Flask,
                                                          signed_in: dict[str, Client]) -> None:
    got = signed_in["lead"].get("/figures/conversion.xlsx?period=2023")
    assert got.status_code == 200
    name = unquote(got.headers["Content-Disposition"].split("filename*=UTF-8''")[1])
    assert name.startswith("按部门的线索成案率-2023-") and name.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(got.data)).active
    assert [c.value for c in sheet[1]][:2] == ["部门", "移交线索"]


def test_the_figures_narrow_to_a_round_picked_by_name(fresh_app: Flask,
                                                      fresh: SqliteStore) -> None:
    fresh.upsert_nodes("Round", [{"code": "R-WS-2023-2", "name": "文山州委2023年第二轮巡察",
                                  "region_code": "532600", "start": date(2023, 9, 1),
                                  "end": date(2023, 11, 30)}])
    lead = signed(fresh_app, "lead")
    page = lead.get("/figures/?round=第二轮").text
    assert 'value="第二轮"' in page and 'data-error-for="round"' not in page
    assert "whatever round found them" not in page and 'id="conversion"' in page
    assert 'data-error-for="round"' in lead.get("/figures/?round=第九轮").text
    assert signed(fresh_app, "zt").get("/figures/records/contribution?round_key=R-WS-2023-2") \
        .status_code == 404
