"""Lists work like lists: sorted by a column (indexed ones only), filtered, counted, and what
is shown downloads as xlsx under a Chinese name with the date."""

from __future__ import annotations

import io
import re
from urllib.parse import unquote

from flask import Flask
from openpyxl import load_workbook
from web.client import Client


def keys(html: str) -> list[str]:
    body = html.split('id="items"')[1].split("</table>")[0]
    return re.findall(r'<a href="/browse/Clue/([^"]+)"', body)


def test_a_list_sorts_by_its_indexed_columns(site_app: Flask,
                                             signed_in: dict[str, Client]) -> None:
    coord = signed_in["coord"]
    up = keys(coord.get("/browse/Clue?sort=no").text)
    down = keys(coord.get("/browse/Clue?sort=no&dir=desc").text)
    assert up == sorted(up) and down == up[::-1] and len(up) == 2
    page = coord.get("/browse/Clue?sort=no&dir=desc").text
    assert 'data-sort="no"' in page and "▼" in page
    assert coord.get("/browse/Clue?sort=title").status_code == 400  # not an indexed column


def test_what_a_list_shows_downloads_as_xlsx(site_app: Flask,
                                             signed_in: dict[str, Client]) -> None:
    got = signed_in["coord"].get("/browse/Clue/export.xlsx?q=养老金")
    assert got.status_code == 200
    name = unquote(got.headers["Content-Disposition"].split("filename*=UTF-8''")[1])
    today = site_app.config["COLLAB_CONFIG"].today()  # the deployment's day, not UTC's
    assert name == f"问题线索-{today.isoformat()}.xlsx"
    rows = list(load_workbook(io.BytesIO(got.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and [r[0] for r in rows[1:]] == ["XS-2023-0001"]
    mine = signed_in["liaison"].get("/browse/Clue/export.xlsx")
    assert [r[0] for r in list(load_workbook(io.BytesIO(mine.data)).active.iter_rows(
        values_only=True))[1:]] == ["XS-2023-0001"]
    assert signed_in["aud"].get("/browse/Clue/export.xlsx").status_code == 404
