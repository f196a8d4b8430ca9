"""Every page as every role sees it, in Chinese and English, in Chromium.

One server per engine holds the Yunnan seed scenario (what `make demo` shows) and one account
per role. Each role signs in once, crawls the navigation, the first rows of every list and
what they lead to (tests/web/crawler.py) in Chinese, then switches to English and opens one
page of each kind again. Any answer of 500 or more, console error, horizontal overflow at 1440
or 390 px, or (in Chinese) internal name on a page fails the test, listing every finding.
On Neo4j two roles crawl in Chinese (`ON_NEO4J`), to keep the suite's time in bounds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from web.client import code_for, make_app
from web.crawler import Crawler, leaks
from web.scenario import PASSWORD, TEST_KEY, add_role_accounts
from web.server import serving
from web.test_browser import chromium  # noqa: F401 - the browser fixture

from collab.access.authz import Role
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Store
from seeds import yunnan

# name -> (role, region, department): the accounts `make demo` creates, one per role
ACCOUNTS = {
    "crawl.coordinator": (Role.COORDINATOR, "530000", None),
    "crawl.inspector": (Role.INSPECTOR, "532600", None),
    "crawl.leader": (Role.LEADER, "530000", None),
    "crawl.liaison": (Role.LIAISON, None, "D530600-JW"),
    "crawl.sysadmin": (Role.SYSTEM_ADMIN, None, None),
    "crawl.security": (Role.SECURITY_ADMIN, None, None),
    "crawl.auditor": (Role.AUDIT_ADMIN, None, None),
}


@pytest.fixture(scope="module")
def seeded(module_store: Store) -> Iterator[dict[str, Any]]:
    """The seed scenario and the accounts on this engine, served on 127.0.0.1."""
    module_store.write(lambda tx: yunnan.load(tx, key=TEST_KEY))
    module_store.write(lambda tx: add_role_accounts(tx, ACCOUNTS, display="（测试）"))
    app = make_app(module_store)
    with serving(app) as url:
        yield {"url": url, "app": app}


def sign_in(tab: Any, site: dict[str, Any], name: str) -> None:
    tab.goto(site["url"] + "/login")
    tab.fill("#name", name)
    tab.fill("#password", PASSWORD)
    tab.fill("#code", code_for(site["app"], name))
    tab.click("#sign-in", no_wait_after=True)
    tab.wait_for_selector("#whoami", state="attached", timeout=120_000)


# On Neo4j, the roles whose scope is computed differently (a region subtree, one department's
# work), in Chinese: the engine changes what values come back, not the page layout.
ON_NEO4J = ("crawl.coordinator", "crawl.liaison")


@pytest.mark.parametrize("name", ACCOUNTS)
def test_every_page_reads_well_in_both_languages(
        chromium: Any, seeded: dict[str, Any], name: str,  # noqa: F811 - fixture
        module_store: Store) -> None:
    neo4j = not isinstance(module_store, SqliteStore)
    if neo4j and name not in ON_NEO4J:
        pytest.skip("on Neo4j the crawl covers " + ", ".join(ON_NEO4J))
    context = chromium.new_context(locale="zh-CN")
    tab = context.new_page()
    try:
        sign_in(tab, seeded, name)
        crawler = Crawler(tab, seeded["url"], allowed=ACCOUNTS)
        found = crawler.crawl("zh")
        if not neo4j:
            tab.click("#navbar button[data-lang=en]")
            tab.wait_for_selector("html[lang=en]", state="attached")
            found = crawler.crawl("en", once_per_kind=True)
    finally:
        context.close()
    assert len(found.visited) > 6, found.visited
    assert found.errors == [], "\n".join(found.errors)


def test_the_leak_finder_finds_each_kind_of_internal_name() -> None:
    page = ("问题线索 XS-2023-0001 sole_transfer_at 模拟数据 True 关联 AGAINST FROM_ISSUE "
            "→ filed · dashboard.index audit_admin ok refused clueNo 0 None 530102********1234 "
            "巡督〔2026〕1号 D530600-JW 下载 xlsx English")
    assert leaks(page) == ["AGAINST", "FROM_ISSUE", "None", "True", "audit_admin", "clueNo",
                           "dashboard.index", "filed", "ok", "refused", "sole_transfer_at"]
    assert leaks("张三 · 人员 532628107 demo.coordinator", allowed=["demo.coordinator"]) == []
