"""The import as a clerk does it in a real browser: upload the office's own 整改台账, correct a
column in the mapping step, read the dry run (the unit to be created listed), confirm while the
progress bar runs, and get a refused ledger back marked. Screenshots go to tests/artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ledgers.test_corpus import CORPUS, _base
from web.client import make_app
from web.server import serving
from web.test_browser import chromium, page, shot  # noqa: F401 - fixtures used below

from collab.graph.sqlite_engine import SqliteStore


@pytest.fixture
def office(tmp_path: Path) -> Iterator[dict[str, Any]]:
    store = SqliteStore(tmp_path / "collab.sqlite3")
    store.init_schema()
    store.write(_base)
    app = make_app(store)
    app.instance_path = str(tmp_path / "instance")
    with serving(app) as url:
        yield {"url": url, "store": store}
    store.close()


def _sign_in(page: Any, url: str, name: str,  # noqa: F811 - the fixture's name
             store: SqliteStore) -> None:
    from web.scenario import PASSWORD, code_for

    page.goto(url + "/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.fill("#code", code_for(store, name))  # the office's authenticator (set up by _base)
    page.click("#sign-in")
    page.wait_for_selector("#whoami")


def test_a_clerk_maps_checks_and_confirms_their_own_ledger(page: Any,  # noqa: F811
                                                           office: dict[str, Any]) -> None:
    url, store = office["url"], office["store"]
    _sign_in(page, url, "funing", store)
    page.goto(url + "/import/")
    page.set_input_files("#ledger", str(CORPUS / "那能乡_整改台账.xlsx"))
    page.click("#upload")
    page.wait_for_selector("#mapping-form")
    assert "识别为整改台账" in page.inner_text("#mapping-form")
    # the clerk's 整改进展情况 is narrative: keep it as evidence (the guess), and ignore 内部备注
    assert page.input_value("#map-0-7") == "evidence"
    page.select_option("#map-0-9", "-")
    shot(page, "import-1-mapping")
    page.click("#dry-run")
    page.wait_for_selector("#report")
    report = page.inner_text("#report")
    assert "将新建 1 个被巡察单位" in report and "那能村党支部" in report
    shot(page, "import-2-dry-run")
    page.click("#confirm-import")
    page.wait_for_selector("text=导入报告")
    shot(page, "import-3-done")
    assert store.count("Rectification") == 4 and page.csp == [] and page.dialogs == []


def test_a_refused_ledger_shows_every_problem_and_comes_back_marked(
        page: Any, office: dict[str, Any], tmp_path: Path) -> None:  # noqa: F811
    url = office["url"]
    _sign_in(page, url, "funing", office["store"])
    page.goto(url + "/import/")
    page.set_input_files("#ledger", str(CORPUS / "不认识的值.csv"))
    page.click("#upload")
    page.click("#dry-run")
    page.wait_for_selector("#error-workbook")
    report = page.inner_text("#report")
    assert "第2行 “线索状态”列" in report and "第3行 “登记日期”列" in report
    shot(page, "import-4-refused")
    with page.expect_download() as download:
        page.click("#error-workbook")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "不认识的值（问题标注）.xlsx" and saved.stat().st_size > 0
