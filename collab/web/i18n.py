"""Languages: Chinese by default, English on request; the choice is kept in the session.

Message ids are English; the Chinese catalogue is `translations/zh/LC_MESSAGES/messages.po`,
compiled to the `.mo` beside it and committed (`make translations` recompiles; a test fails
when the two disagree or a string in a template or view has no translation).
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask, request, session
from flask_babel import Babel, format_datetime, get_locale

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT = "zh"


def select_locale() -> str:
    """The session's choice, else a `lang` query parameter, else Chinese."""
    chosen = session.get("lang") or request.args.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT


def local_time(value: datetime | None) -> str:
    """A moment as people read it here: Beijing time, 2026-12-03 10:20."""
    return format_datetime(value, "yyyy-MM-dd HH:mm") if value else ""


def init_app(app: Flask) -> None:
    Babel(app, locale_selector=select_locale)
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, get_locale=get_locale)
    app.jinja_env.filters["local_time"] = local_time
