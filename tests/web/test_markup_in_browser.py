"""Markup and script in names, titles and relationship properties, opened in headless Chromium.

People, units, clues, departments, joint checks and relationship properties (a position, a
kinship, a group role) carry `<img src=x onerror=alert(1)>`, `"><script>alert(1)</script>`
and `javascript:alert(1)`. A coordinator then opens every page the URL map holds (lists,
details, traces, checks, the dashboard, the import and export pages, the audit-free rest) and
the graph explorer around each hostile node, hovering over the whole drawing: no dialog may
open, no script error or CSP complaint may occur, no injected element may exist, no link may
lead to `javascript:`, and the hostile text must be shown as text. vis-network draws names on
a canvas; its tooltips come only from a node's `title`, which the explorer never sends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from web.client import make_app
from web.routes import free_args, rules, url
from web.scenario import add_accounts, build
from web.server import serving
from web.test_browser import chromium, page, shot, sign_in  # noqa: F401 - fixtures

from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Graph

PAYLOADS = ("<img src=x onerror=alert(1)>", '"><script>alert(1)</script>', "javascript:alert(1)")
REGION = "532628107"
# Routes that answer with a file or JSON, or end the session, rather than a page.
NOT_PAGES = (".csv", ".xlsx", ".docx", ".json", "/api/", "/static/", "/logout", "/explore/api/")
# Injected elements, inline scripts and script links that must not exist on any page.
INJECTED = ("img[src='x'], script:not([src]), a[href^='javascript:' i], "
            "[onerror], [onclick], [onload], iframe, object, embed")


def hostile(g: Graph) -> None:
    """One person, unit, clue, department and joint check per payload, linked, in one town."""
    for i, text in enumerate(PAYLOADS):
        g.upsert_nodes("Department", [{"code": f"D-XSS-{i}", "name": text,
                                       "region_code": "532628"}])
        g.upsert_nodes("Unit", [{"code": f"U-XSS-{i}", "name": text, "region_code": REGION}])
        g.upsert_nodes("Person", [{"uid": f"P-XSS-{i}", "name": text, "region_code": REGION}])
        g.upsert_nodes("Clue", [{"no": f"XSS-{i}", "title": text, "status": "transferred",
                                 "region_code": REGION}])
        g.upsert_nodes("Transfer", [{"no": f"XSS-{i}/1", "clue_no": f"XSS-{i}",
                                     "department_code": f"D-XSS-{i}", "letter_no": text,
                                     "status": "transferred", "region_code": REGION}])
        g.upsert_nodes("JointCheck", [{"no": f"JC-XSS-{i}", "title": text, "status": "planned",
                                       "region_code": REGION}])
        one = {"src": f"XSS-{i}", "dst": f"P-XSS-{i}"}
        g.upsert_rels("AGAINST", [one], src="Clue", dst="Person")
        g.upsert_rels("TRANSFERRED", [{"src": f"XSS-{i}", "dst": f"XSS-{i}/1"}], src="Clue",
                      dst="Transfer")
        g.upsert_rels("TO", [{"src": f"XSS-{i}/1", "dst": f"D-XSS-{i}"}], src="Transfer",
                      dst="Department")
        g.upsert_rels("ASSIGNED_TO", [{"src": f"JC-XSS-{i}", "dst": f"D-XSS-{i}"}],
                      src="JointCheck", dst="Department")
        g.upsert_rels("WORKS_AT", [{"src": f"P-XSS-{i}", "dst": f"U-XSS-{i}",
                                    "position": text}], src="Person", dst="Unit")
        g.upsert_rels("RELATED_TO", [{"src": f"P-XSS-{i}", "dst": "P-SYN-0001", "kind": text}],
                      src="Person", dst="Person")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    store = SqliteStore(Path(tmp_path_factory.mktemp("markup")) / "collab.sqlite3")
    store.init_schema()
    store.write(build)
    store.write(hostile)
    store.write(add_accounts)
    app = make_app(store)
    with serving(app) as base:
        yield {"url": base, "app": app, "store": store, "phones": {}}
    store.close()


def page_addresses(app: Any) -> list[str]:
    """Every page of the URL map, then the lists and details of every hostile object."""
    addresses = [url(app, rule) for rule in rules(app, "GET")]
    for i in range(len(PAYLOADS)):
        for label, key in (("Person", f"P-XSS-{i}"), ("Unit", f"U-XSS-{i}"),
                           ("Clue", f"XSS-{i}"), ("Department", f"D-XSS-{i}"),
                           ("Transfer", f"XSS-{i}/1"), ("JointCheck", f"JC-XSS-{i}")):
            addresses += [f"/browse/{label}", f"/browse/{label}/{key}"]
        addresses += [f"/clues/XSS-{i}/trace", f"/checks/JC-XSS-{i}",
                      "/browse/Clue?q=" + PAYLOADS[i].replace("#", "")]
    addresses += [url(app, rule, **{a: "P-SYN-0001" for a in free_args(rule)})
                  for rule in rules(app, "GET") if rule.endpoint == "nodes.detail"]
    return [a for a in dict.fromkeys(addresses) if not any(x in a for x in NOT_PAGES)]


def assert_inert(tab: Any, where: str, errors: list[str]) -> None:
    assert tab.dialogs == [], (where, tab.dialogs)
    assert tab.csp == [] and errors == [], (where, tab.csp, errors)
    assert tab.locator(INJECTED).count() == 0, where


def test_every_page_shows_hostile_names_as_text(page: Any,  # noqa: F811 - fixture
                                                site_url: dict[str, Any]) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, site_url, "coord")
    shown = set()
    addresses = page_addresses(site_url["app"])
    for address in addresses:
        page.goto(site_url["url"] + address)
        page.wait_for_load_state("load")
        assert_inert(page, address, errors)
        text = page.inner_text("body")
        shown.update(p for p in PAYLOADS if p in text)
        if address.startswith("/browse/") and address.count("/") >= 3 and "XSS" in address:
            assert any(p in text for p in PAYLOADS), address
    assert shown == set(PAYLOADS)
    print(f"markup: {len(addresses)} pages opened in Chromium")


def test_the_explorer_draws_hostile_names_as_text(page: Any,  # noqa: F811 - fixture
                                                  site_url: dict[str, Any]) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, site_url, "coord")
    for i, text in enumerate(PAYLOADS):
        uid = site_url["store"].get("Clue", f"XSS-{i}").uid
        view = page.request.get(site_url["url"] + f"/explore/api/expand?uid={uid}&depth=2")
        drawn = view.json()
        assert text in {n["label"] for n in drawn["nodes"]}
        assert all("title" not in item for item in drawn["nodes"] + drawn["edges"])
        page.goto(site_url["url"] + "/explore/?uid=" + uid)
        page.wait_for_function("document.querySelector('#graph canvas') !== null")
        page.wait_for_selector("#legend li")
        box = page.locator("#graph").bounding_box()
        for x in range(10, int(box["width"]), 40):  # hover over the whole drawing
            for y in range(10, int(box["height"]), 40):
                page.mouse.move(box["x"] + x, box["y"] + y)
        page.fill("#q", f"XSS-{i}")  # by its number: the search ignores spaces in names
        page.click("#search-button")
        page.wait_for_selector("#hits li")
        assert text in page.inner_text("#hits")
        page.click("#hits li >> nth=0")
        page.wait_for_timeout(300)
        assert page.locator(".vis-tooltip img, .vis-tooltip script, #facts img").count() == 0
        assert_inert(page, f"explorer {text}", errors)
    shot(page, "15-explorer-hostile-names")
