"""The search box on every page: numbers, words of a title or summary, names by pinyin or
initials and exact ID numbers (by their keyed hash, echoed masked), grouped by kind, within
reach."""

from __future__ import annotations

import re

from flask import Flask
from web.client import signed
from web.scenario import FULL_ID, TEST_KEY

from collab.access import idnumbers
from collab.cases.pinyin import fill_pinyin
from collab.graph.sqlite_engine import SqliteStore


def hits(html: str, label: str) -> list[str]:
    block = re.search(rf'data-hits="{label}">(.*?)</ul>', html, re.S)
    return re.findall(r'data-key="([^"]+)"', block.group(1)) if block else []


def test_the_box_finds_numbers_titles_and_people_within_reach(fresh_app: Flask,
                                                              fresh: SqliteStore) -> None:
    fresh.write(fill_pinyin)
    coord = signed(fresh_app, "coord")
    assert 'id="nav-search"' in coord.get("/").text  # on every page
    assert hits(coord.get("/search/?q=XS-2023-0001").text, "Clue") == ["XS-2023-0001"]
    words = coord.get("/search/?q=养老金").text
    assert hits(words, "Issue") == ["WS-2023-0001"] and "XS-2023-0001" in hits(words, "Clue")
    assert hits(coord.get("/search/?q=zs").text, "Person") == ["P-SYN-0001"]
    assert hits(coord.get("/search/?q=纪委").text, "Department") == ["D532628-JW"]
    zt = signed(fresh_app, "zt")
    assert 'id="no-hits"' in zt.get("/search/?q=养老金").text
    liaison = signed(fresh_app, "liaison")
    assert hits(liaison.get("/search/?q=XS-2023").text, "Clue") == ["XS-2023-0001"]
    assert signed(fresh_app, "aud").get("/search/?q=x").status_code == 404


def test_an_id_number_is_found_by_its_hash_and_shown_masked(fresh_app: Flask,
                                                            fresh: SqliteStore) -> None:
    number = idnumbers.validate(FULL_ID)
    fresh.upsert_nodes("Person", [{"uid": "P-SYN-0001", "id_hash": TEST_KEY.digest(number)}])
    coord = signed(fresh_app, "coord")
    page = coord.get(f"/search/?q={FULL_ID}").text
    assert hits(page, "Person") == ["P-SYN-0001"] and hits(page, "Clue") == []
    assert FULL_ID not in page and FULL_ID[:6] in page
    assert hits(signed(fresh_app, "zt").get(f"/search/?q={FULL_ID}").text, "Person") == []


def test_words_of_a_summary_or_description_are_found_within_reach(fresh_app: Flask,
                                                                  fresh: SqliteStore) -> None:
    fresh.upsert_nodes("Clue", [{"no": "XS-2023-0001", "summary": "村委会主任截留养老保险补贴"}])
    fresh.upsert_nodes("Issue", [{"no": "WS-2023-0001", "description": "台账与花名册不符"}])
    coord = signed(fresh_app, "coord")
    assert hits(coord.get("/search/?q=截留养老保险").text, "Clue") == ["XS-2023-0001"]
    assert hits(coord.get("/search/?q=花名册").text, "Issue") == ["WS-2023-0001"]
    assert hits(coord.get("/search/?q=截留 养老").text, "Clue") == ["XS-2023-0001"]  # spaces go
    assert 'id="no-hits"' in coord.get("/search/?q=养老保险截留").text  # the words in order
    assert 'id="no-hits"' in signed(fresh_app, "zt").get("/search/?q=截留养老保险").text
    liaison = signed(fresh_app, "liaison")  # its own clue, by the words of its summary
    assert hits(liaison.get("/search/?q=截留养老保险").text, "Clue") == ["XS-2023-0001"]
