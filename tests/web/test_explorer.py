"""The explorer page and its JSON: scope per role, caps, paths, and a hostile name as text."""

from __future__ import annotations

from typing import Any

import pytest
from web.client import Client
from web.scenario import XSS
from web.test_browser import chromium, live, page, shot, sign_in  # noqa: F401 - fixtures

EXPLORERS = ("prov", "coord", "insp", "lead", "zt")


@pytest.mark.parametrize("name", ["prov", "coord", "insp", "lead", "zt", "sys", "sec", "aud",
                                  "liaison"])
def test_who_may_explore(signed_in: dict[str, Client], name: str) -> None:
    want = 200 if name in EXPLORERS else 404
    assert signed_in[name].get("/explore/").status_code == want
    assert signed_in[name].get("/explore/api/search?q=张三").status_code == want


def test_search_and_expand_stay_in_scope(signed_in: dict[str, Client]) -> None:
    def hits(name: str, q: str) -> list[str]:
        return [h["id"] for h in signed_in[name].get(f"/explore/api/search?q={q}").json["hits"]]

    assert hits("prov", "赵六") == ["P-SYN-ZT1"] and hits("coord", "赵六") == []
    assert "P-SYN-0001" in hits("coord", "张三")
    assert signed_in["coord"].get("/explore/api/expand?uid=P-SYN-ZT1").status_code == 404
    for name, uid, prefix in (("zt", "P-SYN-ZT1", "5306"), ("coord", "P-SYN-0001", "5326")):
        view = signed_in[name].get(f"/explore/api/expand?uid={uid}&depth=3").json
        assert uid in {n["id"] for n in view["nodes"]} and len(view["nodes"]) > 1
        assert all(region_of(n).startswith(prefix) for n in view["nodes"])
        assert "h" * 64 not in str(view) and "secret" not in str(view)


def region_of(node: dict[str, Any]) -> str:
    facts = {code: shown for code, _, shown in node["facts"]}
    return facts.get("region_code") or facts.get("code") or ""


def test_expansion_is_capped_with_a_hint_and_paths_come_as_text(
        signed_in: dict[str, Client]) -> None:
    client = signed_in["prov"]
    near = client.get("/explore/api/expand?uid=P-SYN-0001").json
    capped = client.get("/explore/api/expand?uid=P-SYN-0001&limit=2").json
    assert len(capped["nodes"]) == 2 and capped["capped"] and "未显示" in capped["hint"]
    assert sum(capped["omitted"].values()) == len(near["nodes"]) - 2
    assert client.get("/explore/api/expand?uid=P-SYN-0001&limit=5000").status_code == 400
    [case] = client.get("/explore/api/search?q=WS-CASE-0001").json["hits"]
    found = client.get(f"/explore/api/paths?a=P-SYN-0001&b={case['id']}").json
    want = f"张三（人员） ←审查调查对象— {case['label']}（案件）"
    assert [p["text"] for p in found["paths"]] == [want]
    assert {n["id"] for n in found["nodes"]} == {"P-SYN-0001", case["id"]}


def test_the_page_carries_no_names_only_the_script(signed_in: dict[str, Client]) -> None:
    [hostile] = signed_in["prov"].get("/explore/api/search?q=ZT-2023-0001").json["hits"]
    assert hostile["label"].startswith(XSS)
    html = signed_in["prov"].get("/explore/?uid=" + hostile["id"]).text
    assert "vendor/vis-network/vis-network.min.js" in html and "js/explorer.js" in html
    assert "onerror" not in html and "<script>" not in html.replace("<script src=", "")


def test_the_explorer_in_a_real_browser_shows_a_hostile_name_as_text(
        page: Any, live: dict[str, Any]) -> None:  # noqa: F811 - fixtures imported above
    store = live["store"]
    store.upsert_nodes("Person", [{"uid": "P-XSS", "name": XSS, "region_code": "532628204"}])
    store.upsert_rels("WORKS_AT", [{"src": "P-XSS", "dst": "U532628204"}], src="Person",
                      dst="Unit")
    unit = store.get("Unit", "U532628204")  # 中共富宁县那能乡委员会 of the seed
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live, "prov")
    page.goto(live["url"] + "/explore/?uid=" + unit.uid)
    page.wait_for_function("document.querySelector('#graph canvas') !== null")
    page.wait_for_timeout(500)
    page.fill("#q", "<img")
    page.click("#search-button")
    page.wait_for_selector("#hits li")
    assert XSS in page.inner_text("#hits")
    page.click("#hits li >> nth=0")
    page.wait_for_selector("#legend li")
    page.goto(live["url"] + f"/explore/?a=P-XSS&b={unit.uid}")
    page.wait_for_selector("#path-list li")
    assert XSS in page.inner_text("#path-list")
    assert page.locator("#hits img, #path-list img, #facts img").count() == 0
    page.goto(live["url"] + "/explore/?uid=" + unit.uid)
    page.wait_for_function("document.querySelector('#graph canvas') !== null")
    page.click("#group")
    page.click("#group")
    page.wait_for_timeout(800)
    shot(page, "10-explorer")
    assert page.dialogs == [] and page.csp == [] and errors == []


def test_a_person_page_asks_how_the_person_is_connected_to_a_unit(
        signed_in: dict[str, Client]) -> None:
    client = signed_in["coord"]
    person = client.get("/browse/Person/P-SYN-0001").text
    assert 'id="explore-link"' in person and 'id="connect-form"' in person
    [unit] = client.get("/explore/api/search?q=U532628107&label=Unit").json["hits"]
    explorer = client.get("/explore/?a=P-SYN-0001&unit=U532628107").text
    assert f'data-a="P-SYN-0001" data-b="{unit["id"]}"' in explorer
    assert client.get(f"/explore/api/paths?a=P-SYN-0001&b={unit['id']}").status_code == 200
    outside = client.get("/explore/?a=P-SYN-0001&unit=" + "中共昭通").text
    assert 'data-b=""' in outside
    assert 'id="explore-link"' not in signed_in["liaison"].get("/browse/Clue/XS-2023-0001").text
