"""The rectification ledger page: one's own jurisdiction, overdue tasks highlighted."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Flask
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
