"""Registering an issue and a clue on pages, everything named picked by name: a wrong or
foreign value shows the form again with what was typed and a message on its field."""

from __future__ import annotations

from flask import Flask
from web.client import signed

from collab.cases.pinyin import fill_pinyin
from collab.graph.sqlite_engine import SqliteStore


def linked(store: SqliteStore, uid: str) -> set[tuple[str, str]]:
    """(relationship type, neighbour key) of what one node links to."""
    around = store.expand([uid])
    keys = {n.uid: n.key for n in around.nodes}
    return {(r.type, keys[r.dst]) for r in around.rels if r.src == uid}


def test_a_coordinator_registers_an_issue_and_a_clue_from_it(fresh_app: Flask,
                                                               fresh: SqliteStore) -> None:
    coord = signed(fresh_app, "coord")
    assert 'id="issue-form"' in coord.get("/issues/new").text
    made = coord.post("/issues/new", {"no": "WS-2024-0009", "title": "低保资金发放不及时",
                                      "found_on": "2024-03-01",
                                      "unit": "中共富宁县那能乡委员会"})
    assert made.status_code == 302
    issue = fresh.get("Issue", "WS-2024-0009")
    assert issue.get("region_code") == "532628107" and issue.get("source") == "巡察发现"
    assert linked(fresh, issue.uid) == {("CONCERNS", "U532628107")}
    made = coord.post("/clues/new", {"no": "XS-2024-0009", "title": "村干部优亲厚友",
                                     "on": "2024-03-05", "region": "那能乡",
                                     "issue": "低保资金发放不及时", "against_1": "张三",
                                     "against_2": "李四"})
    assert made.status_code == 302 and made.location.endswith("/clues/XS-2024-0009/trace")
    clue = fresh.get("Clue", "XS-2024-0009")
    assert clue.get("region_code") == "532628107" and clue.get("status") == "registered"
    assert {("FROM_ISSUE", "WS-2024-0009"), ("AGAINST", "P-SYN-0001"),
            ("AGAINST", "P-SYN-0002")} <= linked(fresh, clue.uid)


def test_a_wrong_or_foreign_name_keeps_the_form_and_writes_nothing(fresh_app: Flask,
                                                                   fresh: SqliteStore) -> None:
    coord, zt = signed(fresh_app, "coord"), signed(fresh_app, "zt")
    wrong = coord.post("/clues/new", {"no": "XS-2024-0010", "title": "某村截留补助",
                                      "on": "2024-03-05", "region": "那能乡",
                                      "against_1": "王五"})
    assert wrong.status_code == 400 and 'data-error-for="against_1"' in wrong.text
    assert 'value="王五"' in wrong.text and 'value="某村截留补助"' in wrong.text
    assert fresh.get("Clue", "XS-2024-0010") is None
    foreign = zt.post("/issues/new", {"no": "ZT-2024-0001", "title": "x", "found_on":
                                      "2024-03-01", "unit": "中共富宁县那能乡委员会"})
    assert foreign.status_code == 400 and 'data-error-for="unit"' in foreign.text
    forged = zt.post("/issues/new", {"no": "ZT-2024-0001", "title": "x", "found_on":
                                     "2024-03-01", "unit": "x", "unit_key": "U532628107"})
    assert forged.status_code == 400 and fresh.get("Issue", "ZT-2024-0001") is None
    taken = coord.post("/clues/new", {"no": "XS-2023-0001", "title": "重复", "on": "2024-03-05",
                                      "region": "那能乡"})
    assert taken.status_code == 400 and "重复" in taken.text


def test_only_registrars_have_the_pages(fresh_app: Flask) -> None:
    for name in ("liaison", "lead", "aud"):
        other = signed(fresh_app, name)
        assert other.get("/clues/new").status_code == 404
        assert other.get("/issues/new").status_code == 404
        assert other.post("/issues/new", {"no": "X"}).status_code == 404


def test_pickers_list_what_is_within_reach_by_name_pinyin_or_initials(
        fresh_app: Flask, fresh: SqliteStore) -> None:
    fresh.write(fill_pinyin)  # as every importer writes names
    coord, zt = signed(fresh_app, "coord"), signed(fresh_app, "zt")
    by_name = coord.get("/pick/department.json?q=纪委").get_json()
    assert [c["text"] for c in by_name] == ["富宁县纪委监委"]  # 昭通市's is out of reach
    assert by_name[0]["key"] == "D532628-JW"
    assert [c["key"] for c in zt.get("/pick/department.json?q=纪委").get_json()] \
        == ["D530600-JW"]
    assert [c["text"] for c in coord.get("/pick/person.json?q=zs").get_json()] == ["张三"]
    assert [c["text"] for c in coord.get("/pick/person.json?q=zhang").get_json()] == ["张三"]
    assert [c["key"] for c in coord.get("/pick/issue.json?q=养老金").get_json()] \
        == ["WS-2023-0001"]
    assert coord.get("/pick/user.json?q=a").status_code == 404
    liaison = signed(fresh_app, "liaison")  # the people of its own clues only (not 赵六)
    assert [c["text"] for c in liaison.get("/pick/person.json?q=zh").get_json()] == ["张三"]
    assert [c["key"] for c in liaison.get("/pick/department.json").get_json()] \
        == ["D532628-JW"]
