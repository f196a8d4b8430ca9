"""Lifecycle states reach people by name (已移交, Transferred), never as their codes."""

from __future__ import annotations

import re

from flask import Flask
from web.client import Client

from collab.web.labels import LIFECYCLES, STATES, state_name

# Every state code, to make sure none is shown as such.
CODES = sorted({s for lc in LIFECYCLES.values() for s in lc.names})


def visible_text(html: str, element_id: str) -> str:
    """The text a reader sees inside the element with `element_id` (tags and attributes gone)."""
    start = html.index(f'id="{element_id}"')
    end = html.index("</table>", start) if "<table" in html[start - 80:start] else \
        html.index("</ol>", start)
    return re.sub(r"<[^>]+>", " ", html[start:end].split(">", 1)[1])


def in_language(app: Flask, name: str, lang: str) -> Client:
    client = Client(app)
    client.sign_in(name)
    if lang != "zh":
        client.post("/language", {"lang": lang, "next": "/"})
    return client


def test_every_state_of_every_lifecycle_has_a_name(site_app: Flask) -> None:
    with site_app.test_request_context("/"):
        for label, lifecycle in LIFECYCLES.items():
            for code in lifecycle.names:
                assert state_name(code, label) != code, (label, code)
        assert set(CODES) <= set(STATES)
        assert state_name("no_such_state") == "no_such_state" and state_name(None) == ""


def test_clue_list_shows_state_names_in_chinese_and_english(site_app: Flask) -> None:
    for lang, name in (("zh", "已移交"), ("en", "Transferred")):
        page = in_language(site_app, "coord", lang).get("/browse/Clue").text
        shown = visible_text(page, "items")
        assert name in shown
        assert not any(re.search(rf"\b{code}\b", shown) for code in CODES), shown
        assert f">{name}</option>" in page  # the status filter offers names too


def test_dashboard_chart_and_table_name_the_states(site_app: Flask) -> None:
    for lang, name in (("zh", "已移交"), ("en", "Transferred")):
        client = in_language(site_app, "prov", lang)
        data = client.get("/dashboard/data.json").get_json()
        assert {"status": "transferred", "name": name, "value": 3} in data["clue_status"]
        shown = visible_text(client.get("/").text, "by-status")
        assert name in shown and "transferred" not in shown


def test_trace_and_check_pages_name_the_states(site_app: Flask) -> None:
    for lang, transfer, planned in (("zh", "已移交", "计划"), ("en", "Transferred", "Planned")):
        client = in_language(site_app, "coord", lang)
        trace = visible_text(client.get("/clues/XS-2023-0001/trace").text, "trace")
        assert transfer in trace and "transferred" not in trace
        check = client.get("/checks/JC-0001").text
        badge = re.search(r'id="check-status"[^>]*>([^<]*)<', check)
        assert badge and badge.group(1) == planned


def test_detail_page_and_the_steps_offered_name_the_states(site_app: Flask) -> None:
    """A transferred clue offers its department 接收 and 退回 only (disposals come after
    receipt: `test_inbox_web` sees them named)."""
    for lang, transfer, accept in (("zh", "已移交", "接收"), ("en", "Transferred", "Accept")):
        coord = in_language(site_app, "coord", lang)
        detail = coord.get("/browse/Clue/XS-2023-0001").text
        assert f'data-prop="status">{transfer}<' in detail
        liaison = in_language(site_app, "liaison", lang)
        trace = liaison.get("/clues/XS-2023-0001/trace").text
        assert f'data-what="accept">{accept}</button>' in trace
        assert '<option value="inquiry">' not in trace
