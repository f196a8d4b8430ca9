"""A liaison's inbox: the transfers waiting on their department, in trays, counted in the
navigation bar on every page; nobody else has one."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Flask
from web.client import signed

from collab.graph.sqlite_engine import SqliteStore


def badge(html: str, tray: str) -> int:
    found = re.search(rf'id="nav-inbox-{tray}"[^>]*>[^<0-9]*(\d+)<', html)
    return int(found.group(1)) if found else 0


def tray(html: str, name: str) -> list[str]:
    table = html.split(f'<table class="table table-sm" data-tray="{name}">')[1].split("</table>")[0]
    return re.findall(r'<tr data-transfer="([^"]+)"', table)


def test_a_transfer_lands_in_the_liaisons_inbox_and_moves_on(fresh_app: Flask,
                                                             fresh: SqliteStore) -> None:
    coord, liaison = signed(fresh_app, "coord"), signed(fresh_app, "liaison")
    before = badge(liaison.get("/").text, "receive")
    today = date.today()
    sent = coord.post("/clues/WS-2023-0002/transfer", {
        "department": "富宁县纪委监委", "letter_no": "文巡移〔2024〕1号", "on": today.isoformat(),
        "feedback_due": (today + timedelta(days=2)).isoformat()})
    assert sent.status_code == 302
    assert fresh.get("Transfer", "WS-2023-0002/2").get("feedback_due") == today + timedelta(2)
    assert badge(liaison.get("/").text, "receive") == before + 1  # on every page
    inbox = liaison.get("/inbox/").text
    assert "WS-2023-0002/2" in tray(inbox, "receive") and "WS-2023-0002/2" in tray(inbox,
                                                                                   "soon")
    page = liaison.get("/clues/WS-2023-0002/trace").text  # only the steps allowed now
    assert 'data-what="accept"' in page and 'data-what="return"' in page
    assert 'data-what="file_case"' not in page and 'data-what="dispose"' not in page
    liaison.post("/clues/transfers/WS-2023-0002/2/accept", {"on": today.isoformat()})
    inbox = liaison.get("/inbox/").text
    assert "WS-2023-0002/2" in tray(inbox, "feedback")
    assert "WS-2023-0002/2" not in tray(inbox, "receive")
    assert badge(inbox, "receive") == before
    page = liaison.get("/clues/WS-2023-0002/trace").text
    assert 'data-what="accept"' not in page and 'data-what="dispose"' in page
    assert '<option value="inquiry">谈话函询</option>' in page  # the disposals, named


def test_an_overdue_transfer_is_counted_as_such(fresh_app: Flask, fresh: SqliteStore) -> None:
    coord, liaison = signed(fresh_app, "coord"), signed(fresh_app, "liaison")
    before = badge(liaison.get("/inbox/").text, "overdue")
    coord.post("/clues/WS-2023-0002/transfer", {"department": "D532628-JW", "letter_no": "x",
                                                "on": "2023-11-01"})  # due 30 days on
    inbox = liaison.get("/inbox/").text
    assert badge(inbox, "overdue") == before + 1 and "WS-2023-0002/2" in tray(inbox, "overdue")


def test_only_a_departments_liaison_has_an_inbox(fresh_app: Flask) -> None:
    for name in ("coord", "lead", "sys"):
        other = signed(fresh_app, name)
        assert other.get("/inbox/").status_code == 404
        assert 'id="nav-inbox"' not in other.get("/account/2fa").text
    liaison2 = signed(fresh_app, "liaison2")  # another department's: its own transfers only
    assert "XS-2023-0001/1" not in liaison2.get("/inbox/").text
