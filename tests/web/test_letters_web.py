"""Letters in the app: what is due in one's jurisdiction, issuing one, its .docx."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from web.client import Client, make_app

from collab.graph.sqlite_engine import SqliteStore


@pytest.fixture
def app(fresh: SqliteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    fresh.upsert_nodes("Rectification", [
        {"no": "ZG-LATE", "title": "补发养老金", "status": "open", "region_code": "532628107",
         "deadline": date.today() - timedelta(days=5)}])
    fresh.upsert_rels("OWNED_BY", [{"src": "ZG-LATE", "dst": "U532628107"}],
                      src="Rectification", dst="Unit")
    monkeypatch.setenv("COLLAB_INSTANCE", str(tmp_path / "instance"))
    return make_app(fresh)


def test_issue_a_supervision_letter_and_download_it(app, fresh: SqliteStore) -> None:
    coord = Client(app)
    coord.sign_in("coord")
    page = coord.get("/letters/")
    assert page.status_code == 200 and "ZG-LATE" in page.text
    sent = coord.post("/letters/issue", {"kind": "supervision", "rectification": ["ZG-LATE"]})
    assert sent.status_code == 302
    letter = fresh.find("Letter").items[0]
    assert letter.get("kind") == "supervision"
    doc = coord.get("/letters/" + letter.key + ".docx")
    assert doc.status_code == 200 and doc.data[:2] == b"PK"
    disposition = doc.headers["Content-Disposition"]  # 督办函-巡督〔2026〕1号.docx
    assert disposition.endswith("filename*=UTF-8''" + quote(f"督办函-{letter.key}.docx", safe=""))
    assert 'filename="letter-' in disposition and letter.key.startswith("巡督〔")
    kinds = [(r.get("event"), r.get("kind")) for r in fresh.find(
        "AuditRecord", where={"user": "coord"}, order_by="seq").items]
    assert ("letter.issue", "change") in kinds and ("letters.document", "export") in kinds
    assert "ZG-LATE" not in coord.get("/letters/").text  # not due again so soon


def test_letters_obey_roles_and_scope(app, fresh: SqliteStore) -> None:
    coord, lead, zt, liaison = (Client(app) for _ in range(4))
    for client, name in ((coord, "coord"), (lead, "lead"), (zt, "zt"), (liaison, "liaison")):
        client.sign_in(name)
    assert "ZG-LATE" in lead.get("/letters/").text
    assert lead.post("/letters/issue", {"kind": "supervision",
                                        "rectification": ["ZG-LATE"]}).status_code == 404
    assert "ZG-LATE" not in zt.get("/letters/").text
    assert zt.post("/letters/issue", {"kind": "supervision",
                                      "rectification": ["ZG-LATE"]}).status_code == 404
    assert fresh.count("Letter") == 0
    coord.post("/letters/issue", {"kind": "supervision", "rectification": ["ZG-LATE"]})
    no = fresh.find("Letter").items[0].key
    assert zt.get("/letters/" + no + ".docx").status_code == 404
    assert liaison.get("/letters/").status_code == 404


def test_the_letters_page_filters_ticks_nothing_and_lists_what_was_sent(
        app, fresh: SqliteStore) -> None:
    fresh.upsert_nodes("Rectification", [
        {"no": "ZG-SOON", "title": "建立台账", "status": "in_progress",
         "region_code": "532628107", "deadline": date.today() + timedelta(days=5)}])
    fresh.upsert_rels("OWNED_BY", [{"src": "ZG-SOON", "dst": "U532628107"}],
                      src="Rectification", dst="Unit")
    coord = Client(app)
    coord.sign_in("coord")
    page = coord.get("/letters/").text
    assert "ZG-LATE" in page and "ZG-SOON" in page and " checked" not in page
    reminders = coord.get("/letters/?kind=reminder").text
    assert "ZG-SOON" in reminders and "ZG-LATE" not in reminders
    late = coord.get("/letters/?late=3").text
    assert "ZG-LATE" in late and "ZG-SOON" not in late
    unit = coord.get("/letters/?unit=那能乡委员会").text  # picked by (part of) its name
    assert "ZG-LATE" in unit and "ZG-SOON" in unit
    nothing = coord.get("/letters/?unit=不存在的单位").text
    assert 'data-error-for="unit"' in nothing and "ZG-LATE" not in nothing
    coord.post("/letters/issue", {"kind": "supervision", "rectification": ["ZG-LATE"]})
    no = fresh.find("Letter").items[0].key
    sent = coord.get("/letters/").text
    assert f'data-letter="{no}"' in sent and quote(no) in sent  # listed, downloadable again
