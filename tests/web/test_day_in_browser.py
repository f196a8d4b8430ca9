"""A working day in Chromium, every step a page action with pickers, never a code typed:
a coordinator registers an issue and a clue from it and transfers the clue, picking the
department by its Chinese name; the department's liaison sees it counted as 待接收 in the
navigation bar, receives it and files a case, offered only the steps its state allows; a
rectification task is moved on, evidenced with a PDF, signed off in order and closed (销号).

The day is walked on both engines (ids `sqlite` and `neo4j`): the app over a SQLite file,
then over the test Neo4j server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from web.test_browser import chromium, page, scenario_served, sign_in  # noqa: F401 - fixtures
from web.test_browser import shot as _shot

from collab.cases import clues
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Store

ZZB = "D530600-ZZB"  # 昭通市委组织部, the liaison zzb's department
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def live(module_store: Store) -> Iterator[dict[str, Any]]:
    """The scenario served from each engine in turn."""
    with scenario_served(module_store) as served:
        yield {**served, "engine": "sqlite" if isinstance(module_store, SqliteStore)
               else "neo4j"}


def shot(page: Any, live: dict[str, Any], name: str) -> None:  # noqa: F811 - fixtures
    """A screenshot named for the step (and the engine, when it is not SQLite)."""
    _shot(page, name if live["engine"] == "sqlite" else f"{name}-{live['engine']}")


def pick(page: Any, box: str, typed: str, choose: str) -> None:  # noqa: F811 - `page`
    """Type into a picker and choose the entry that reads `choose`."""
    page.fill(box, "")
    page.type(box, typed)
    entry = page.locator(f"xpath=//input[@id='{box[1:]}']/../ul/li[starts-with(., '{choose}')]")
    entry.first.wait_for()
    entry.first.dispatch_event("mousedown")


def waiting(live: dict[str, Any]) -> int:  # noqa: F811 - `live`
    rows = live["store"].read(lambda tx: clues.awaiting(tx, as_of=date.today(), department=ZZB))
    return sum(1 for r in rows if r["awaiting"] == "receipt")


def test_an_issue_and_its_clue_reach_the_liaison_and_become_a_case(
        page: Any, live: dict[str, Any]) -> None:  # noqa: F811
    sign_in(page, live, "prov")
    page.goto(live["url"] + "/issues/new")
    page.fill("#no", "ZT-WEB-0001")
    page.fill("#title", "村集体资金使用不规范")
    pick(page, "#unit", "乌峰", "中共镇雄县乌峰街道委员会")
    shot(page, live, "20-register-issue")
    page.click("#register-issue")
    page.wait_for_url("**/browse/Issue/ZT-WEB-0001")
    page.goto(live["url"] + "/clues/new")
    page.fill("#no", "ZT-WEB-C-0001")
    page.fill("#title", "街道干部挪用村集体资金")
    pick(page, "#issue", "村集体资金", "村集体资金使用不规范")
    pick(page, "#region", "zhenx", "镇雄县")
    pick(page, "#against_1", "nongm", "农明春")
    shot(page, live, "21-register-clue")
    page.click("#register-clue")
    page.wait_for_selector("#trace")
    assert "ZT-WEB-C-0001" in page.url and "农明春" in page.inner_text("#trace")
    before = waiting(live)
    pick(page, "#department", "组织部", "昭通市委组织部")
    page.wait_for_function("() => document.querySelector('#feedback_due').value !== ''")
    page.fill("#letter_no", "昭巡移〔2024〕1号")
    shot(page, live, "22-transfer-picked")
    page.click("#transfer-submit")
    page.wait_for_selector("[data-step=transfer]")
    assert "昭通市委组织部" in page.inner_text("[data-step=transfer]")
    page.click("#sign-out")

    sign_in(page, live, "zzb")
    assert page.inner_text("#nav-inbox-receive").split()[-1] == str(before + 1)
    page.click("#nav-inbox")
    row = page.locator("table[data-tray=receive] tr[data-transfer='ZT-WEB-C-0001/1']")
    assert row.count() == 1
    shot(page, live, "23-liaison-inbox")
    row.locator("a").click()
    page.wait_for_selector("#trace")
    steps = "form[data-transfer='ZT-WEB-C-0001/1']"
    offered = page.locator(f"{steps} button").evaluate_all("bs => bs.map(b => b.dataset.what)")
    assert offered == ["accept", "return"]  # a case before receipt is never offered
    shot(page, live, "24-liaison-receive")
    page.click(f"{steps} button[data-what=accept]")
    page.wait_for_selector(f"{steps} button[data-what=dispose]")
    assert page.locator(f"{steps} button[data-what=accept]").count() == 0
    page.select_option(f"{steps} select[name=disposal]", "verification")
    page.click(f"{steps} button[data-what=dispose]")
    page.wait_for_selector(f"{steps} button[data-what=file_case]")
    page.fill(f"{steps} input[name=case_no]", "ZT-WEB-CASE-1")
    page.click(f"{steps} button[data-what=file_case]")
    page.wait_for_selector("[data-step=case]")
    assert "ZT-WEB-CASE-1" in page.inner_text("[data-step=case]")
    assert page.locator(steps).count() == 0  # a filed case has no step left
    shot(page, live, "25-case-filed")
    assert page.inner_text("#nav-inbox-receive").split()[-1] == str(before)
    assert page.csp == [] and page.dialogs == []
    page.click("#sign-out")

    sign_in(page, live, "prov")  # the figures count the new case, its drill-down lists it
    page.goto(live["url"] + "/figures/")
    pick(page, "#region", "zhaot", "昭通市")
    page.click("#figures-form button[type=submit]")
    page.wait_for_selector(f"#conversion tr[data-department={ZZB}]")
    shot(page, live, "29-figures")
    page.click(f"#conversion tr[data-department={ZZB}] a[data-drill=cases_from_clues]")
    page.wait_for_selector("#records")
    assert "ZT-WEB-C-0001" in page.inner_text("#records")
    shot(page, live, "30-figures-records")
    page.go_back()
    page.emulate_media(media="print")
    assert page.locator("#navbar").is_hidden() and page.locator("#figures-form").is_hidden()
    shot(page, live, "31-figures-print")


def test_a_rectification_task_is_closed_in_the_browser(page: Any, live: Any) -> None:  # noqa: F811
    no = "ZG-ZT-2023-1209"
    sign_in(page, live, "prov")
    page.goto(live["url"] + "/rectification/?region=zhaot")
    page.goto(live["url"] + f"/rectification/{no}")
    moves = page.locator("#move-form button").evaluate_all("bs => bs.map(b => b.dataset.to)")
    assert moves == ["done"]  # 整改中 → 已完成 only: verification comes after
    assert page.locator("#close-form").count() == 0
    shot(page, live, "26-task-in-progress")
    page.click("#move-form button[data-to=done]")
    page.wait_for_selector("#task-state[data-state=done]")
    page.set_input_files("#attach-form input[name=file]", files=[{
        "name": "整改报告.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#attach-file")
    page.wait_for_selector("#task-files li[data-file]")
    assert "整改报告.pdf" in page.inner_text("#task-evidence")
    page.click("#move-form button[data-to=verified]")
    page.wait_for_selector("#task-state[data-state=verified]")
    assert page.is_disabled("#close-task")  # missing sign-offs, shown before trying
    assert page.locator("#close-missing li").count() == 2
    shot(page, live, "27-task-before-signoffs")
    page.click("#sign-off[data-role=unit_leader]")
    page.wait_for_selector("#sign-off[data-role=inspection_body]")
    page.click("#sign-off[data-role=inspection_body]")
    page.wait_for_selector("#close-task:not([disabled])")
    page.click("#close-task")
    page.wait_for_selector("#task-closed")
    assert live["store"].get("Rectification", no).get("closed_on") is not None
    assert page.locator("#move-form").count() == 0
    shot(page, live, "28-task-closed")
    assert page.csp == [] and page.dialogs == []
