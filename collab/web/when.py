"""Times as people read them: in the deployment's time zone (COLLAB_TIMEZONE, Beijing time by
default), while the store keeps UTC. Pages write 2026-12-03 14:05 in tables and 2026年12月3日 in
sentences; files keep ISO dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import get_locale


def zone() -> ZoneInfo:
    """The deployment's time zone (collab.config.Config, COLLAB_TIMEZONE)."""
    return current_app.config["COLLAB_CONFIG"].zone()


def local(moment_: datetime) -> datetime:
    """A stored moment (UTC; naive ones are UTC) in the deployment's time zone."""
    aware = moment_ if moment_.tzinfo else moment_.replace(tzinfo=UTC)
    return aware.astimezone(zone())


def moment(value: datetime | None, seconds: bool = True) -> str:
    """A moment for a table: 2026-12-03 14:05:09, local time."""
    if value is None:
        return ""
    return local(value).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def day(value: date | datetime | None) -> str:
    """A day for a sentence: 2026年12月3日 (3 December 2026 in English)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    if str(get_locale()) == "en":
        return f"{value.day} {value.strftime('%B')} {value.year}"
    return f"{value.year}年{value.month}月{value.day}日"


def today() -> date:
    """Today in the deployment's time zone (a server clock on UTC is a day behind until 8:00)."""
    return current_app.config["COLLAB_CONFIG"].today()
