"""Times in the deployment's time zone (Beijing by default), Chinese dates in sentences, and
downloads named in Chinese that every browser keeps (RFC 6266 `filename*`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from web.client import Client, make_app

from collab.config import Config
from collab.errors import ConfigError
from collab.graph.sqlite_engine import SqliteStore
from collab.web import when
from collab.web.downloads import attachment, file_name

LATE_EVENING_UTC = datetime(2026, 12, 3, 16, 30, 5, tzinfo=UTC)


def test_moments_are_shown_in_beijing_time_by_default(fresh_app: Flask) -> None:
    with fresh_app.test_request_context("/"):
        assert when.moment(LATE_EVENING_UTC) == "2026-12-04 00:30:05"
        assert when.moment(LATE_EVENING_UTC.replace(tzinfo=None)) == "2026-12-04 00:30:05"
        assert when.day(LATE_EVENING_UTC) == "2026年12月4日"
        assert when.day(date(2026, 12, 3)) == "2026年12月3日"


def test_the_time_zone_is_a_setting(fresh: SqliteStore) -> None:
    app = make_app(fresh, COLLAB_CONFIG=Config.from_env(timezone="Europe/London"))
    with app.test_request_context("/"):
        assert when.moment(LATE_EVENING_UTC) == "2026-12-03 16:30:05"
    with pytest.raises(ConfigError, match="COLLAB_TIMEZONE"):
        make_app(fresh, COLLAB_CONFIG=Config.from_env(timezone="Asia/Nowhere"))


def test_english_pages_write_days_in_english(fresh_app: Flask) -> None:
    with fresh_app.test_request_context("/?lang=en"):
        assert when.day(date(2026, 12, 3)) == "3 December 2026"


def test_the_audit_log_shows_beijing_time(fresh_app: Flask, fresh: SqliteStore) -> None:
    auditor = Client(fresh_app)
    auditor.sign_in("aud")
    page = auditor.get("/audit/").text
    latest = fresh.find("AuditRecord", order_by="seq", descending=True, limit=5).items
    shown = [r.get("at").astimezone(ZoneInfo("Asia/Shanghai")) for r in latest]
    assert any(s.strftime("%Y-%m-%d %H:%M:%S") in page for s in shown)
    assert "UTC" not in page


def test_downloads_carry_their_chinese_name_and_a_plain_fallback(fresh_app: Flask) -> None:
    name = file_name("问题线索台账", "昭通市", day=date(2026, 12, 3), ext="xlsx")
    assert name == "问题线索台账-昭通市-2026-12-03.xlsx"
    assert file_name("督办函", "巡督〔2026〕1号", ext="docx") == "督办函-巡督〔2026〕1号.docx"
    assert file_name("a/b", "c:d", ext="csv") == "a_b-c_d.csv"  # no folder, no drive
    with fresh_app.test_request_context("/"):
        response = attachment(b"x", name=name, fallback="clues-530600-2026-12-03.xlsx",
                              mimetype="application/octet-stream")
    disposition = response.headers["Content-Disposition"]
    plain, encoded = disposition.split("; filename*=UTF-8''")
    assert plain == 'attachment; filename="clues-530600-2026-12-03.xlsx"'
    assert unquote(encoded) == name and encoded.isascii()
