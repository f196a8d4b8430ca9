"""Refusals from the services reach people in their language: Chinese first, English asked."""

from __future__ import annotations

from flask import Flask
from web.client import Client
from web.scenario import PASSWORD

from collab.graph.sqlite_engine import SqliteStore


def reader(app: Flask, name: str, lang: str) -> Client:
    client = Client(app)
    client.sign_in(name)
    client.post("/language", {"lang": lang, "next": "/"})
    return client


def test_a_refused_step_names_the_states_in_the_readers_language(fresh_app: Flask,
                                                                 fresh: SqliteStore) -> None:
    for lang, expected in (
            ("zh", "XS-2023-0001/1 不能从“已移交”变为“谈话函询”；可变为：已接收、退回"),
            ("en", "Transfer XS-2023-0001/1 cannot move from Transferred to Inquiry by talk or "
                   "letter; allowed: Accepted, Returned")):
        liaison = reader(fresh_app, "liaison", lang)
        answer = liaison.post("/clues/transfers/XS-2023-0001/1/dispose",
                              {"on": "2024-01-05", "disposal": "inquiry"})
        assert answer.status_code == 302
        page = liaison.get(answer.headers["Location"]).text
        assert expected in page and "inquiry" not in page.split('id="trace"')[0]
    assert fresh.get("Transfer", "XS-2023-0001/1").get("status") == "transferred"


def test_a_weak_password_is_refused_in_the_readers_language(fresh_app: Flask,
                                                            fresh: SqliteStore) -> None:
    for lang, expected in (("zh", "密码须包含小写字母、大写字母、数字、符号中的至少三类"),
                           ("en", "a password needs three of: lower case, upper case, digits, "
                                  "symbols")):
        client = reader(fresh_app, "coord", lang)
        page = client.post("/password", {"current": PASSWORD, "new": "abcdefghijkl",
                                         "confirm": "abcdefghijkl"})
        assert expected in page.text
    assert fresh.count("AuditRecord", {"event": "auth.password_changed",
                                       "outcome": "refused"}) == 2


def test_a_bad_parameter_page_says_why_in_the_readers_language(fresh_app: Flask) -> None:
    for lang, expected in (("zh", "不是有效页码：&#39;x&#39;"),
                           ("en", "not a page number: &#39;x&#39;")):
        page = reader(fresh_app, "coord", lang).get("/browse/Clue?page=x")
        assert page.status_code == 400 and expected in page.text


def test_a_second_case_from_one_transfer_is_refused_in_the_readers_language(
        fresh_app: Flask, fresh: SqliteStore) -> None:
    base = "/clues/transfers/XS-2023-0001/1/"
    liaison = reader(fresh_app, "liaison", "zh")
    liaison.post(base + "accept", {"on": "2024-01-05"})
    liaison.post(base + "dispose", {"on": "2024-01-06", "disposal": "verification"})
    liaison.post(base + "file_case", {"on": "2024-01-07", "case_no": "AJ-ERR-1"})
    assert fresh.get("Case", "AJ-ERR-1") is not None
    for lang, expected in (("zh", "移交 XS-2023-0001/1 已立案"),
                           ("en", "transfer XS-2023-0001/1 has already become a case")):
        client = reader(fresh_app, "liaison", lang)
        answer = client.post(base + "file_case", {"on": "2024-01-08", "case_no": "AJ-ERR-2"})
        assert answer.status_code == 302
        assert expected in client.get(answer.headers["Location"]).text
    assert fresh.get("Case", "AJ-ERR-2") is None
