"""Units by region tree: counts per region, a region's units paged and linked, reach obeyed."""

from __future__ import annotations

import re

from flask import Flask
from web.client import Client

from collab.graph.sqlite_engine import SqliteStore


def with_units(store: SqliteStore, n: int = 60) -> None:
    """`n` village units under 那能乡 (more than a page) and one in 昭阳区."""
    store.upsert_nodes("Unit", [{"code": f"U532628107{i:03d}", "name": f"那能乡第{i}村党支部",
                                 "region_code": f"532628107{i:03d}"} for i in range(1, n + 1)])
    store.upsert_nodes("Unit", [{"code": "U530602", "name": "昭阳区某局", "region_code": "530602"}])


def counts(html: str) -> dict[str, int]:
    return {code: int(n) for code, n in re.findall(
        r'data-region="(\d+)"[^>]*>\s*<a [^>]+>[^<]*</a>\s*<span [^>]*data-units="(\d+)"', html)}


def test_the_tree_counts_units_and_a_region_lists_its_own(fresh_app: Flask,
                                                          fresh: SqliteStore) -> None:
    with_units(fresh)
    client = Client(fresh_app)
    client.sign_in("prov")
    page = client.get("/units/?region=532628107")
    assert page.status_code == 200
    assert counts(page.text) == {"530000": 62, "530600": 1, "532600": 61, "532622": 0,
                                 "532628": 61, "532628107": 61}
    assert 'id="total">61<' in page.text and page.text.count('href="/browse/Unit/') == 50
    assert 'href="/browse/Unit/U532628107' in page.text
    second = client.get("/units/?region=532628107&page=2").text
    assert second.count('href="/browse/Unit/') == 11 and "那能乡第60村党支部" in second
    assert client.get("/browse/Unit/U532628107001").status_code == 200


def test_a_prefecture_coordinator_stays_in_its_prefecture(fresh_app: Flask,
                                                          fresh: SqliteStore) -> None:
    with_units(fresh, n=3)
    client = Client(fresh_app)
    client.sign_in("coord")
    home = client.get("/units/").text
    assert set(counts(home)) == {"532600", "532622", "532628"} and "昭通市" not in home
    assert 'id="total">4<' in home and "昭阳区某局" not in home
    for outside in ("530600", "530602", "530000"):
        assert client.get(f"/units/?region={outside}").status_code == 404
    assert client.get("/units/?region=abc").status_code == 400
    refused = fresh.find("AuditRecord", where={"event": "units.by_region",
                                               "outcome": "not_found"}).total
    assert refused == 3
