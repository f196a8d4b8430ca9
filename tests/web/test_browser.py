"""Real-browser tests: Debian's chromium driven by Playwright, against the app on 127.0.0.1.

The app serves the Yunnan seed scenario from a SQLite file in a thread. Screenshots of the
main pages go to tests/artifacts/ (ignored by git). Without chromium or Playwright these tests
skip with a loud reason, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pyotp
import pytest
from web.client import make_app
from web.scenario import PASSWORD, XSS, code_for
from web.server import serving

from collab.access import twofactor, users
from collab.access.authz import Role
from collab.access.idnumbers import IdKey
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Cond, Op, Store
from seeds import yunnan

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--lang=zh-CN", "--disable-gpu",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--no-first-run"]
ACCOUNTS = {"prov": (Role.COORDINATOR, None, None), "sys": (Role.SYSTEM_ADMIN, None, None),
            "aud": (Role.AUDIT_ADMIN, None, None),
            "zzb": (Role.LIAISON, None, "D530600-ZZB")}


def _unavailable(reason: str) -> None:
    message = f"BROWSER TESTS NOT RUN: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: they must run)", pytrace=False)
    pytest.skip(message)


@contextmanager
def scenario_served(store: Store) -> Iterator[dict[str, Any]]:
    """The app on 127.0.0.1 over the seed scenario in `store` (initialised, empty), with one
    account per role used here."""
    store.write(lambda tx: yunnan.load(tx, key=IdKey.from_secret(b"browser-test-key" * 2)))
    store.upsert_nodes("Clue", [{"no": "XSS-0001", "title": XSS + '"><script>alert(1)</script>',
                                 "region_code": "530129101", "status": "registered",
                                 "registered_on": date(2024, 1, 2)}])

    def accounts(tx: Any) -> None:
        for name, (role, region, department) in ACCOUNTS.items():
            users.add(tx, authz=None, name=name, password=PASSWORD, now=datetime.now(UTC),
                      role=role, region=region, department=department,
                      display_name=name + "·测试")
            tx.upsert_nodes("User", [{"name": name, "must_change": False}])

    store.write(accounts)
    with serving(make_app(store)) as url:
        yield {"url": url, "store": store, "phones": {}}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The scenario served from a SQLite file."""
    store = SqliteStore(tmp_path_factory.mktemp("live") / "collab.sqlite3")
    store.init_schema()
    with scenario_served(store) as served:
        yield served
    store.close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} is not installed (apt-get install chromium fonts-wqy-zenhei)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright for Python is not installed (pip install playwright)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies), recording dialogs and CSP complaints."""
    context = chromium.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    tab = context.new_page()
    tab.dialogs, tab.csp = [], []
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    tab.on("console", lambda m: tab.csp.append(m.text)
           if "Content Security Policy" in m.text else None)
    yield tab
    context.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def phone_code(live: dict[str, Any], name: str) -> str:
    """What the account's authenticator shows: a code whose time step was not used yet."""
    phone = pyotp.TOTP(live["phones"][name])
    used = live["store"].get("User", name).get("totp_step", -1)
    step = max(phone.timecode(datetime.now(UTC)), used + 1)
    while step > phone.timecode(datetime.now(UTC)) + 1:
        time.sleep(1)
    return phone.generate_otp(step)


def enrol(page: Any, live: dict[str, Any], name: str) -> None:
    """Set up two-factor sign-in on the page an admin lands on at first sign-in."""
    assert page.url.endswith("/account/2fa")
    page.click("#two-factor-begin")
    assert page.get_attribute("#two-factor-qr", "src").startswith("data:image/svg+xml")
    assert page.evaluate("document.querySelector('#two-factor-qr').naturalWidth") > 0
    assert page.csp == []  # the QR code is drawn by the app, no script, nothing from outside
    live["phones"][name] = page.inner_text("#totp-secret").strip()
    shot(page, "10-two-factor-setup")
    page.fill("#code", phone_code(live, name))
    page.click("#two-factor-confirm")
    page.wait_for_selector("#whoami")
    assert not page.url.endswith("/account/2fa")


def sign_in(page: Any, live: dict[str, Any], name: str, screenshot: str = "") -> None:
    """Sign in with the password, and the authenticator's code once one is set up; every role
    must use two-factor sign-in (issue 16, item 7), so an account without an authenticator sets
    one up on the page it lands on."""
    page.goto(live["url"] + "/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    if name in live["phones"]:
        page.fill("#code", phone_code(live, name))
    elif twofactor.enrolled(live["store"].get("User", name)):  # set up by the scenario
        page.fill("#code", code_for(live["store"], name))
    if screenshot:
        shot(page, screenshot)
    page.click("#sign-in")
    page.wait_for_selector("#whoami")
    if not twofactor.enrolled(live["store"].get("User", name)):
        enrol(page, live, name)


def test_dashboard_shows_the_seed_figures(page: Any, live: dict[str, Any]) -> None:
    sign_in(page, live, "prov", screenshot="01-sign-in")
    page.goto(live["url"] + "/?region=530600&year=2023")
    assert page.inner_text("[data-figure=Issue]") == "3,005"
    assert page.inner_text("[data-figure=Clue]") == "90"
    page.wait_for_selector("body[data-charts-ready=yes]")
    assert page.locator("#chart-regions canvas").count() >= 1
    assert "问题" in page.inner_text("#figures")
    shot(page, "02-dashboard-zhaotong-2023")
    assert page.csp == [] and page.dialogs == []


def test_clue_list_detail_and_masked_person(page: Any, live: dict[str, Any]) -> None:
    sign_in(page, live, "prov")
    page.goto(live["url"] + "/browse/Clue?region=530600")
    assert page.inner_text("#total") == "90"
    shot(page, "03-clue-list")
    page.goto(live["url"] + "/rectification/?region=530600&overdue=1")
    assert page.locator("#ledger tbody tr.overdue").count() >= 1
    shot(page, "13-rectification-overdue")
    page.goto(live["url"] + "/import/")
    assert page.locator("#upload-form").count() == 1
    shot(page, "14-import")
    page.goto(live["url"] + "/browse/Clue?region=530600")
    page.click("#items tbody a >> nth=0")
    page.wait_for_selector("#properties")
    assert "问题线索" in page.content()
    shot(page, "04-clue-detail")
    assert page.locator("#neighbours a").count() >= 1
    page.goto(live["url"] + "/browse/Person")
    page.click("#items tbody a >> nth=0")
    page.wait_for_selector("#properties")
    masked = page.inner_text("[data-prop=id_masked]")
    assert "********" in masked and len(masked) == 18
    shot(page, "05-person-masked")


def test_markup_in_titles_runs_no_script(page: Any, live: dict[str, Any]) -> None:
    sign_in(page, live, "prov")
    page.goto(live["url"] + "/browse/Clue/XSS-0001")
    assert XSS in page.inner_text("#object-title")
    page.goto(live["url"] + "/browse/Clue?q=onerror")
    assert page.dialogs == [] and page.csp == []


def test_a_liaison_cannot_open_another_departments_clue(page: Any,
                                                        live: dict[str, Any]) -> None:
    store = live["store"]
    foreign = store.find("Transfer", where={"department_code": "D530600-JW"}).items[0]
    own = store.find("Transfer", where={"department_code": "D530600-ZZB"}).items[0]
    sign_in(page, live, "zzb")
    response = page.goto(live["url"] + "/browse/Clue/" + own.get("clue_no"))
    assert response.status == 200
    response = page.goto(live["url"] + "/browse/Clue/" + foreign.get("clue_no"))
    assert response.status == 404 and foreign.get("clue_no") not in page.content()
    shot(page, "06-liaison-404")


def test_switch_to_english(page: Any, live: dict[str, Any]) -> None:
    sign_in(page, live, "prov")
    assert "工作台" in page.inner_text("nav")
    page.click("nav button[data-lang=en]")
    page.wait_for_selector("text=Dashboard")
    assert "Sign out" in page.inner_text("nav")
    page.wait_for_selector("body[data-charts-ready=yes]")
    shot(page, "07-dashboard-english")


def test_admin_and_audit_pages(page: Any, live: dict[str, Any]) -> None:
    sign_in(page, live, "sys")
    page.goto(live["url"] + "/admin/users")
    assert page.locator("#users tr[data-user=zzb]").count() == 1
    shot(page, "08-admin-users")
    page.click("#sign-out")
    sign_in(page, live, "aud")
    page.goto(live["url"] + "/audit/")
    assert page.locator("#records tbody tr").count() > 5
    shot(page, "09-audit-log")
    page.goto(live["url"] + "/audit/verify")
    assert "审计链完整" in page.inner_text("#verdict")


def test_an_admin_needs_a_fresh_code_each_time(page: Any, live: dict[str, Any]) -> None:
    sign_in(page, live, "aud")  # sets up two-factor sign-in at the first one
    page.click("#sign-out")
    phone = pyotp.TOTP(live["phones"]["aud"])
    spent = phone.generate_otp(live["store"].get("User", "aud").get("totp_step"))
    for code in ("", spent):
        page.goto(live["url"] + "/login")
        page.fill("#name", "aud")
        page.fill("#password", PASSWORD)
        page.fill("#code", code)
        page.click("#sign-in")
        assert "登录失败" in page.inner_text("body") and page.locator("#whoami").count() == 0
    sign_in(page, live, "aud")
    page.goto(live["url"] + "/account/2fa")
    assert page.get_attribute("#two-factor-state", "data-state") == "on"
    assert page.locator("#two-factor-off").count() == 0


def test_open_a_clue_trace(page: Any, live: dict[str, Any]) -> None:
    no = live["store"].find("Clue", where={"region_code": Cond(Op.PREFIX, "5306"),
                                           "status": "case_filed"}).items[0].key
    sign_in(page, live, "prov")
    page.goto(live["url"] + "/browse/Clue/" + no)
    page.click("#trace-link")
    page.wait_for_selector("#trace")
    steps = page.locator("#trace li").evaluate_all("els => els.map(e => e.dataset.step)")
    assert steps.index("issue") < steps.index("clue") < steps.index("transfer") \
        < steps.index("case")
    shot(page, "10-clue-trace")


def test_create_a_joint_check_and_assign_it(page: Any, live: dict[str, Any]) -> None:
    unit = live["store"].find("Unit", where={"region_code": Cond(Op.PREFIX, "5306")}).items[0]
    sign_in(page, live, "prov")
    page.goto(live["url"] + "/browse/JointCheck")
    page.click("#new-check-link")
    page.fill("#no", "JC-BROWSER-1")
    page.fill("#title", "浏览器测试联合监督检查")
    page.fill("#start", "2026-03-01")
    page.fill("#end", "2026-03-31")
    page.fill("#unit", unit.key)
    page.click("#create-check")
    page.wait_for_selector("#assign-form")
    shot(page, "11-joint-check-proposal")
    boxes = page.locator("#proposed-departments input[type=checkbox]")
    assert boxes.count() >= 1
    if page.locator("#proposed-departments input:checked").count() == 0:
        boxes.first.check()
    page.click("#assign")
    page.wait_for_selector("#team li")
    assert "尚未分派" not in page.inner_text("#team")
    shot(page, "12-joint-check-assigned")
    assert page.dialogs == [] and page.csp == []


def test_cross_check_two_lists_and_raise_an_issue(page: Any, live: dict[str, Any]) -> None:
    seeds = Path(__file__).resolve().parents[2] / "seeds" / "crosscheck"
    unit = live["store"].find("Unit", where={"region_code": Cond(Op.PREFIX, "5326")}).items[0]
    sign_in(page, live, "prov")
    page.goto(live["url"] + "/crosscheck/")
    page.set_input_files("#list_a", str(seeds / "nanneng_roster_60plus.csv"))
    page.set_input_files("#list_b", str(seeds / "nanneng_pension_list.xlsx"))
    page.click("#compare")
    page.wait_for_selector("#issue-form")
    assert page.inner_text("#count-only_a") == "66"
    page.check("#table-only_a input.pick-all")
    assert page.locator("#table-only_a input.pick:checked").count() == 66
    page.fill("#unit", unit.key)
    page.fill("#title", "浏览器测试：66名老人未领取养老金")
    shot(page, "13-crosscheck")
    page.click("#raise-issue")
    page.wait_for_url("**/browse/Issue/**")
    assert "数据比对" in page.inner_text("main")
    assert page.dialogs == [] and page.csp == []


def test_units_by_region_tree(page: Any, live: dict[str, Any]) -> None:
    sign_in(page, live, "prov")
    page.click("#navbar [data-menu=data] > a")
    page.click("#nav-units")
    page.wait_for_selector("#region-tree")
    wenshan = "#region-tree li[data-region='532600']"
    page.click(wenshan + " > a")
    page.wait_for_selector(wenshan + " li[data-region='532628']")
    below = int(page.get_attribute(wenshan + " > span", "data-units"))
    assert below > 0 and page.inner_text("#total") == str(below)
    assert page.locator(wenshan + " > ul > li").count() >= 4  # its counties are listed
    shot(page, "15-units-by-region")
    name = page.inner_text("#units tbody tr >> nth=0 >> td >> nth=1")
    page.click("#units tbody a >> nth=0")
    page.wait_for_selector("#properties")
    assert name in page.inner_text("#object-title")
    assert page.dialogs == [] and page.csp == []


def test_departments_admin(page: Any, live: dict[str, Any]) -> None:
    sign_in(page, live, "sys")
    page.click("#navbar [data-menu=admin] > a")
    page.click("#nav-departments")
    page.fill("#code", "D532628-CZ")
    page.fill("#name", "富宁县财政局")
    page.select_option("#kind", "finance")
    page.fill("#region", "532628")
    page.fill("#feedback_days", "20")
    page.click("#new-department button[type=submit]")
    page.wait_for_selector(".alert-success")
    page.goto(live["url"] + "/admin/departments/?region=532628")
    row = "#departments tr[data-department='D532628-CZ']"
    assert page.input_value(row + " input[name=feedback_days]") == "20"
    page.fill(row + " input[name=feedback_days]", "45")
    page.click(row + " button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert live["store"].get("Department", "D532628-CZ").get("feedback_days") == 45
    shot(page, "16-admin-departments")


def test_states_and_refusals_in_both_languages(page: Any, live: dict[str, Any]) -> None:
    sign_in(page, live, "prov")
    page.goto(live["url"] + "/?region=530600")
    page.wait_for_selector("body[data-charts-ready=yes]")
    assert "立案" in page.inner_text("#by-status")
    assert "case_filed" not in page.inner_text("#by-status")
    shot(page, "17-clue-states-chinese")
    page.click("nav button[data-lang=en]")
    page.wait_for_selector("text=Dashboard")
    page.wait_for_selector("body[data-charts-ready=yes]")
    assert "Case filed" in page.inner_text("#by-status")
    page.goto(live["url"] + "/browse/Clue?page=x")
    assert "not a page number" in page.inner_text("main")
    shot(page, "18-refusal-english")


def test_an_own_api_token_and_a_password_reset_as_people_see_them(
        page: Any, live: dict[str, Any]) -> None:
    """Issue 16, items 2 and 6: the coordinator makes its own token (password and code
    again) and sees it once; the system admin's reset gives a one-time code, and the liaison
    who signs in with it (and its authenticator) is told who reset it and chooses its own."""
    sign_in(page, live, "prov")
    page.goto(live["url"] + "/account/tokens")
    page.fill("#token-label", "周报程序")
    page.fill("#token-password", PASSWORD)
    page.fill("#token-code", phone_code(live, "prov"))
    page.click("#token-issue")
    token = page.inner_text("#token").strip()
    assert token.startswith("clb_")
    shot(page, "19-api-token-shown-once")
    page.goto(live["url"] + "/account/tokens")
    assert token not in page.content() and "周报程序" in page.inner_text("#tokens")
    shot(page, "20-my-api-tokens")
    page.click("#sign-out")
    sign_in(page, live, "zzb")  # sets up its authenticator at this first sign-in
    page.click("#sign-out")
    sign_in(page, live, "sys")
    page.goto(live["url"] + "/admin/users")
    page.click("#users tr[data-user=zzb] form[action$='/reset'] button")
    code = page.inner_text("#reset-code").strip()
    shot(page, "21-reset-one-time-code")
    page.click("#sign-out")
    page.goto(live["url"] + "/login")
    page.fill("#name", "zzb")
    page.fill("#password", code)
    page.fill("#code", phone_code(live, "zzb"))
    page.click("#sign-in")
    page.wait_for_selector("#reset-notice")
    assert "由 sys 重置" in page.inner_text("#reset-notice")
    assert page.locator("#current").count() == 0
    shot(page, "22-reset-notice-choose-own-password")
    page.fill("#new", "Zhao-Tong-Ye-2026")
    page.fill("#confirm", "Zhao-Tong-Ye-2026")
    page.click("#save-password")
    page.wait_for_selector(".alert-success")
    assert page.csp == [] and page.dialogs == []
def test_a_coordinator_runs_a_model_and_turns_a_hit_into_a_clue(page: Any,
                                                               live: dict[str, Any]) -> None:
    """Import the two 那能乡 lists as data sets, run the cross-check model, open a hit's
    evidence in the explorer, confirm it as a clue: its trace names the model and the run."""
    seeds = Path(__file__).resolve().parents[2] / "seeds" / "crosscheck"
    sign_in(page, live, "prov")
    page.click("#navbar [data-menu=analysis] > a")
    page.click("#nav-models")
    page.click("#model-tabs a[href='/models/datasets']")
    for path, kind, code in (("nanneng_roster_60plus.csv", "roster", "NN-ROSTER"),
                             ("nanneng_pension_list.xlsx", "payment", "NN-PENSION")):
        page.set_input_files("#file", str(seeds / path))
        page.select_option("#kind", kind)
        page.fill("#code", code)
        page.fill("#name", f"那能乡{code}（合成）")
        page.fill("#source", "富宁县人社局")
        page.fill("#as_of", "2023-09-30")
        page.fill("#region", "那能乡")  # picked by its name (532628204 in the seed)
        page.click("#import-dataset")
        page.wait_for_selector(f"#datasets tr[data-dataset='{code}']")
    assert "640" in page.inner_text("#datasets tr[data-dataset='NN-ROSTER']")
    shot(page, "25-datasets")
    page.click("#model-tabs a[href='/models/']")
    page.check("#run-roster-unpaid")
    page.fill("#as_of", "2023-10-12")
    shot(page, "26-models")
    page.click("#run-models")
    page.wait_for_selector("#hits")
    assert page.inner_text("#total") == "66"
    assert page.locator("[role=alert]").all_inner_texts() == \
        ["已运行 1 个模型：发现疑点 66 条，其中新增 66 条。"]
    assert "不在发放名单" in page.inner_text("#hits")
    shot(page, "27-hits")
    page.click("#hits tbody tr >> nth=0 >> a >> nth=0")
    page.wait_for_selector("#hit-reason")
    subject = page.get_attribute("#hit-title", "data-subject")
    assert page.locator("#evidence tr[data-role=subject]").count() == 1
    shot(page, "28-hit")
    page.click("#evidence-link")
    page.wait_for_selector("#explorer[data-ready=hit]")
    assert subject in page.inner_text("#hit-reason")
    assert page.locator("#graph canvas").count() == 1
    page.wait_for_timeout(300)
    shot(page, "29-hit-evidence-in-explorer")
    page.click("#hit-link")
    page.fill("#clue_no", "XS-JG-BROWSER-1")
    page.click("#confirm")
    page.wait_for_selector("#trace")
    hit_step = page.inner_text("#trace li[data-step=hit]")
    assert "名单比对：应发未发" in hit_step and "RUN-" in hit_step and "prov" in hit_step
    assert page.locator("#trace li[data-step=clue]").count() == 1
    shot(page, "30-clue-from-a-hit")
    page.goto(live["url"] + "/models/")
    row = "#models tr[data-model='roster-unpaid']"
    assert page.inner_text(row + " [data-figure=hits]") == "66"
    assert page.inner_text(row + " [data-figure=confirmed]") == "1"
    assert page.dialogs == [] and page.csp == []
