"""The rectification ledger page: one's own jurisdiction, overdue tasks highlighted."""

from __future__ import annotations

import io
from datetime import date, timedelta
from urllib.parse import unquote

from flask import Flask
from openpyxl import load_workbook
from web.client import Client

from collab.graph.sqlite_engine import SqliteStore


def tasks(store: SqliteStore) -> None:
    today = date.today()
    store.upsert_nodes("Rectification", [
        {"no": "ZG-LATE", "title": "补发养老金", "status": "open", "region_code": "532628107",
         "deadline": today - timedelta(days=3)},
        {"no": "ZG-SOON", "title": "建立台账", "status": "in_progress",
         "region_code": "532628107", "deadline": today + timedelta(days=60)},
        {"no": "ZG-ZT", "title": "昭阳区整改", "status": "open", "region_code": "530602",
         "deadline": today - timedelta(days=10)}])


def test_the_ledger_shows_one_jurisdiction_and_marks_overdue(fresh_app: Flask,
                                                              fresh: SqliteStore) -> None:
    tasks(fresh)
    coord = Client(fresh_app)
    coord.sign_in("coord")
    page = coord.get("/rectification/")
    assert page.status_code == 200
    assert "ZG-LATE" in page.text and "ZG-SOON" in page.text and "ZG-ZT" not in page.text
    assert page.text.count('data-colour="red"') == 1  # ZG-LATE, coloured and named 红色
    assert 'class="warn-red overdue"' in page.text and 'id="warning-legend"' in page.text
    assert page.text.count('data-colour="green"') == 1  # ZG-SOON, due in 60 days
    late = coord.get("/rectification/?overdue=1").text
    assert "ZG-LATE" in late and "ZG-SOON" not in late
    foreign = coord.get("/rectification/?region=530600")  # a region out of reach: named
    assert foreign.status_code == 200 and 'data-error-for="region"' in foreign.text
    assert "ZG-ZT" not in foreign.text
    picked = coord.get("/rectification/?region=富宁县").text  # picked by its name
    assert "ZG-LATE" in picked and 'value="富宁县"' in picked
    assert coord.get("/rectification/?status=nonsense").status_code == 400
    zt = Client(fresh_app)
    zt.sign_in("zt")
    assert "ZG-ZT" in zt.get("/rectification/").text
    for name in ("liaison", "sys", "aud"):
        other = Client(fresh_app)
        other.sign_in(name)
        assert other.get("/rectification/").status_code == 404


def test_the_ledger_filters_by_unit_owner_colour_and_due_window(fresh_app: Flask,
                                                                 fresh: SqliteStore) -> None:
    tasks(fresh)
    fresh.upsert_nodes("Rectification", [{"no": "ZG-SOON", "responsible": "王主任"}])
    fresh.upsert_rels("OWNED_BY", [{"src": "ZG-LATE", "dst": "U532628107"}],
                      src="Rectification", dst="Unit")
    coord = Client(fresh_app)
    coord.sign_in("coord")

    def shown(query: str) -> set[str]:
        return {no for no in ("ZG-LATE", "ZG-SOON") if no in coord.get(
            "/rectification/?" + query).text}
    assert shown("unit=那能乡委员会") == {"ZG-LATE"}
    assert shown("owner=王主任") == {"ZG-SOON"}
    assert shown("colour=green") == {"ZG-SOON"} and shown("colour=red") == {"ZG-LATE"}
    soon = date.today() + timedelta(days=30)
    assert shown(f"due_from={soon.isoformat()}") == {"ZG-SOON"}
    assert shown(f"due_to={soon.isoformat()}") == {"ZG-LATE"}
    assert coord.get("/rectification/?colour=purple").status_code == 400
    assert coord.get("/rectification/?due_from=yesterday").status_code == 400


def test_the_closing_ledger_is_a_button(fresh_app: Flask, fresh: SqliteStore) -> None:
    tasks(fresh)
    coord = Client(fresh_app)
    coord.sign_in("coord")
    assert 'id="closing-ledger"' in coord.get("/rectification/").text
    got = coord.get("/rectification/closing-ledger.xlsx")
    assert got.status_code == 200
    name = unquote(got.headers["Content-Disposition"].split("filename*=UTF-8''")[1])
    today = fresh_app.config["COLLAB_CONFIG"].today()  # the deployment's day, not UTC's
    assert name == f"整改销号台账-{today.isoformat()}.xlsx"
    rows = list(load_workbook(io.BytesIO(got.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "整改销号（归零）台账" and rows[1][0] == "序号"
    assert {r[3] for r in rows[2:]} == {"ZG-LATE", "ZG-SOON"}  # not 昭阳区's ZG-ZT
    liaison = Client(fresh_app)
    liaison.sign_in("liaison")
    assert liaison.get("/rectification/closing-ledger.xlsx").status_code == 404
