"""The user manual (docs/manual/) and its screenshots, taken here, on the seed scenario.

Each task below drives Chromium through one thing a role does, and calls `shot(name)` where the
manual shows a picture (`![…](img/NAME.png)`). Under `make manual` (COLLAB_MANUAL_SHOTS set)
the pictures are written into docs/manual/img/; otherwise into tests/artifacts/manual/, and the
test still fails when the manual names a picture no task takes, or a task takes one the manual
does not show. A new task: a function with `@task(role)`, a section with its pictures in that
role's manual. `test_every_menu_item_is_in_its_roles_manual` says which pages still lack one.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from web.client import code_for, make_app
from web.scenario import PASSWORD, TEST_KEY, add_role_accounts
from web.server import serving
from web.test_browser import chromium  # noqa: F401 - the browser fixture

from collab.access.actors import Actor
from collab.access.authz import ACCOUNT_ROLES, Authz, Role
from collab.graph.sqlite_engine import SqliteStore
from seeds import yunnan

ROOT = Path(__file__).resolve().parents[2]
MANUAL = ROOT / "docs" / "manual"
SHOTS = Path(os.environ.get("COLLAB_MANUAL_SHOTS") or ROOT / "tests" / "artifacts" / "manual")
SEEDS = ROOT / "seeds" / "crosscheck"
VIEW = {"width": 1280, "height": 800}
# Who does what in the manual: the accounts of `make demo`, one per role.
ACCOUNTS = {
    "coordinator": ("demo.coordinator", "530000", None),
    "inspector": ("demo.inspector", "532600", None),
    "leader": ("demo.leader", "530000", None),
    "liaison": ("demo.liaison", None, "D530600-JW"),
    "system_admin": ("demo.sysadmin", None, None),
    "security_admin": ("demo.security", None, None),
    "audit_admin": ("demo.auditor", None, None),
}
_PICTURE = re.compile(r"!\[[^\]]*\]\(img/([a-z0-9-]+)\.png\)")
Task = Callable[["Guide"], None]
TASKS: list[tuple[str, Task]] = []


def task(role: str) -> Callable[[Task], Task]:
    """Register a task of `role`'s manual; tasks run in the order they are declared."""
    def register(fn: Task) -> Task:
        TASKS.append((role, fn))
        return fn
    return register


class Guide:
    """One signed-in tab and the pictures it took."""

    def __init__(self, tab: Any, site: dict[str, Any]):
        self.tab, self.site, self.taken = tab, site, []

    def go(self, path: str) -> None:
        self.tab.goto(self.site["url"] + path)
        if self.tab.locator(".chart").count():
            self.tab.wait_for_selector("body[data-charts-ready=yes]")

    def shot(self, name: str, full: bool = False) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)
        self.taken.append(name)

    def submit(self, selector: str) -> None:
        """Press a button that sends a form, and wait for the page that answers."""
        with self.tab.expect_navigation():
            self.tab.click(selector)

    def pick(self, box: str, typed: str, choose: str) -> None:
        """Type into a picker and choose the entry that reads `choose`."""
        self.tab.fill(box, "")
        self.tab.type(box, typed)
        entry = self.tab.locator(f"{box} ~ ul li").filter(has_text=choose).first
        entry.wait_for()
        entry.dispatch_event("mousedown")

    def menu(self, key: str) -> None:
        """Open a menu of the navigation bar (to show it in a picture)."""
        self.tab.click(f"#navbar [data-menu={key}] > a")

    def sign_in(self, role: str) -> None:
        name = ACCOUNTS[role][0]
        self.tab.context.clear_cookies()
        self.tab.goto(self.site["url"] + "/login")
        self.tab.fill("#name", name)
        self.tab.fill("#password", PASSWORD)
        self.tab.fill("#code", code_for(self.site["app"], name))
        self.tab.click("#sign-in")
        self.tab.wait_for_selector("#whoami", state="attached")


# --- everyone -------------------------------------------------------------------------------
@task("README")
def signing_in(g: Guide) -> None:
    g.go("/login")
    g.tab.fill("#name", "demo.coordinator")
    g.shot("sign-in")
    g.sign_in("coordinator")
    g.menu("clues")
    g.shot("menus")
    g.menu("account")
    g.shot("account-menu")
    g.go("/password")
    g.shot("password")
    g.go("/help/")
    g.shot("help")


# --- coordinator ----------------------------------------------------------------------------
@task("coordinator")
def coordinator_dashboard(g: Guide) -> None:
    g.sign_in("coordinator")
    g.go("/?region=530600&year=2023")
    g.shot("coordinator-dashboard")


@task("coordinator")
def coordinator_import_and_transfer(g: Guide) -> None:
    with tempfile.TemporaryDirectory() as folder:  # the clerk's file, not one of the manual's
        ledger = Path(folder) / "manual-clues.csv"
        ledger.write_text("线索编号,线索标题,主要问题,线索来源,问题类别,登记日期,区划代码\n"
                          "XS-ZT-2026-001,某村集体资金使用不规范（手册示例）,村集体资金未经民主程序支出,"
                          "巡察发现,集体三资,2026-11-20,530622\n", encoding="utf-8")
        g.go("/import/")
        g.tab.set_input_files("#ledger", str(ledger))
        g.submit("#upload")
    g.shot("coordinator-import-mapping")
    g.submit("#dry-run")
    g.shot("coordinator-import-check")
    g.submit("#confirm-import")
    g.go("/browse/Clue?q=手册示例")
    g.shot("coordinator-clues")
    g.go("/clues/XS-ZT-2026-001/trace")
    g.pick("#department", "纪委", "昭通市纪委监委")
    g.tab.wait_for_function("() => document.querySelector('#feedback_due').value !== ''")
    g.tab.fill("#transfer-form [name=letter_no]", "巡移〔2026〕21号")
    g.shot("coordinator-transfer")
    g.submit("#transfer-form button[type=submit]")
    g.shot("coordinator-transferred")


@task("coordinator")
def coordinator_register_issue(g: Guide) -> None:
    g.go("/issues/new")
    g.tab.fill("#no", "ZT-2026-手册-1")
    g.tab.fill("#title", "村级财务公开不及时（手册示例）")
    unit = g.site["store"].get("Unit", "U530624101").get("name")
    g.pick("#unit", unit[:6], unit)
    g.shot("coordinator-register-issue")
    g.submit("#register-issue")


@task("coordinator")
def coordinator_trace(g: Guide) -> None:
    g.go("/browse/Clue/XS-ZT-2023-001")
    g.shot("coordinator-clue")
    g.tab.click("#trace-link")
    g.tab.wait_for_selector("#trace")
    g.shot("coordinator-trace")


@task("coordinator")
def coordinator_joint_check(g: Guide) -> None:
    g.go("/checks/new")
    g.tab.fill("#no", "JC-ZT-2026-1")
    g.tab.fill("#title", "大关县整改联合监督检查（手册示例）")
    g.tab.fill("#start", "2026-12-07")
    g.tab.fill("#end", "2026-12-18")
    unit = g.site["store"].get("Unit", "U530624101").get("name")
    g.pick("#unit", unit[:6], unit)
    g.shot("coordinator-check-new")
    g.submit("#create-check")
    g.shot("coordinator-check-proposal")
    g.submit("#assign")
    g.shot("coordinator-check-assigned")


@task("coordinator")
def coordinator_rectification_and_letters(g: Guide) -> None:
    g.go("/rectification/?region=530600")
    g.shot("coordinator-rectification")
    g.submit("#ledger tbody a >> nth=0")
    g.shot("coordinator-task", full=True)
    g.go("/letters/")
    g.tab.check(".letter-group .pick-all >> nth=0")
    g.shot("coordinator-letters")
    g.submit(".letter-group button[type=submit] >> nth=0")
    g.shot("coordinator-letter-issued")


@task("coordinator")
def coordinator_explorer(g: Guide) -> None:
    g.go("/explore/")
    g.tab.fill("#q", "陆春文")
    g.tab.click("#search-button")
    g.tab.wait_for_selector("#hits li")
    g.tab.click("#hits li >> nth=0")
    g.tab.wait_for_selector("#legend li")
    g.tab.wait_for_timeout(500)
    g.shot("coordinator-explorer")


@task("coordinator")
def coordinator_crosscheck(g: Guide) -> None:
    g.go("/crosscheck/")
    g.tab.set_input_files("#list_a", str(SEEDS / "nanneng_roster_60plus.csv"))
    g.tab.set_input_files("#list_b", str(SEEDS / "nanneng_pension_list.xlsx"))
    g.submit("#compare")
    g.shot("coordinator-crosscheck")


@task("coordinator")
def coordinator_models(g: Guide) -> None:
    g.go("/models/datasets")
    for path, kind, code in (("nanneng_roster_60plus.csv", "roster", "NN-ROSTER"),
                             ("nanneng_pension_list.xlsx", "payment", "NN-PENSION")):
        g.tab.set_input_files("#file", str(SEEDS / path))
        g.tab.select_option("#kind", kind)
        g.tab.fill("#code", code)
        g.tab.fill("#name", f"那能乡{code}（合成）")
        g.tab.fill("#source", "富宁县人社局")
        g.tab.fill("#as_of", "2023-09-30")
        g.tab.fill("#region", "那能乡")  # picked by its name
        g.submit("#import-dataset")
    g.shot("coordinator-datasets")
    g.go("/models/")
    g.tab.check("#run-roster-unpaid")
    g.tab.fill("#as_of", "2023-10-12")
    g.shot("coordinator-models")
    g.submit("#run-models")
    g.shot("coordinator-model-hits")
    g.submit("#hits tbody tr >> nth=0 >> a >> nth=0")
    g.shot("coordinator-model-hit", full=True)


@task("coordinator")
def coordinator_units_and_export(g: Guide) -> None:
    g.go("/units/?region=532600")
    g.shot("coordinator-units")
    g.go("/export/")
    g.shot("coordinator-export")


# --- inspector, leader ----------------------------------------------------------------------
@task("inspector")
def inspector_work(g: Guide) -> None:
    g.sign_in("inspector")
    g.go("/")
    g.shot("inspector-dashboard")
    g.go("/browse/Issue")
    g.shot("inspector-issues")


@task("leader")
def leader_work(g: Guide) -> None:
    g.sign_in("leader")
    g.go("/?region=532600&year=2023")
    g.shot("leader-dashboard")
    g.go("/figures/?region=532600")
    g.shot("leader-figures", full=True)
    g.go("/rectification/?region=530600&overdue=1")
    g.shot("leader-overdue")
    g.go("/models/")
    g.shot("leader-models")


# --- liaison --------------------------------------------------------------------------------
@task("liaison")
def liaison_disposal(g: Guide) -> None:
    g.sign_in("liaison")
    g.go("/inbox/")
    g.shot("liaison-inbox")
    g.go("/browse/Transfer?status=transferred")
    g.shot("liaison-transfers")
    g.go("/clues/XS-ZT-2026-001/trace")
    g.shot("liaison-accept")
    form = ".transfer-steps"
    g.submit(f"{form} button[data-what=accept]")
    g.tab.select_option(f"{form} select[name=disposal]", "verification")
    g.shot("liaison-dispose")
    g.submit(f"{form} button[data-what=dispose]")
    g.go("/checks/JC-ZT-2026-1")
    g.shot("liaison-check")


# --- the three admin roles ------------------------------------------------------------------
@task("system_admin")
def system_admin_work(g: Guide) -> None:
    g.sign_in("system_admin")
    g.go("/admin/users")
    g.tab.fill("#new-user [name=name]", "wang.xiaoming")
    g.tab.fill("#new-user [name=display_name]", "王晓明")
    g.shot("sysadmin-users")
    g.go("/admin/departments/?region=530600")
    g.shot("sysadmin-departments")


@task("security_admin")
def security_admin_work(g: Guide) -> None:
    g.sign_in("security_admin")
    g.go("/admin/users")
    g.shot("security-users")
    g.go("/account/2fa")
    g.shot("security-two-factor")


@task("audit_admin")
def audit_admin_work(g: Guide) -> None:
    g.sign_in("audit_admin")
    g.go("/audit/?user=demo.liaison")
    g.shot("auditor-log")
    g.go("/audit/verify")
    g.shot("auditor-verify")


# --- the test -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The seed scenario (what `make demo` loads) with the demo accounts, served locally."""
    store = SqliteStore(tmp_path_factory.mktemp("manual") / "collab.sqlite3")
    store.init_schema()
    store.write(lambda tx: yunnan.load(tx, key=TEST_KEY))
    store.write(lambda tx: add_role_accounts(tx, {
        name: (Role(role), region, department)
        for role, (name, region, department) in ACCOUNTS.items()}))
    app = make_app(store)
    with serving(app) as url:
        yield {"url": url, "app": app, "store": store}
    store.close()


def pictures(path: Path) -> list[str]:
    return _PICTURE.findall(path.read_text(encoding="utf-8"))


def test_the_manual_has_a_page_per_role_linked_from_its_index() -> None:
    index = (MANUAL / "README.md").read_text(encoding="utf-8")
    for role in [r.value for r in ACCOUNT_ROLES if r != Role.PENDING]:
        assert (MANUAL / f"{role}.md").is_file(), role
        assert f"({role}.md)" in index, role


def test_the_pictures_are_the_ones_the_tasks_take(chromium: Any,  # noqa: F811 - fixture
                                                  site: dict[str, Any]) -> None:
    context = chromium.new_context(locale="zh-CN", viewport=VIEW)
    tab = context.new_page()
    guide = Guide(tab, site)
    try:
        for _, fn in TASKS:
            fn(guide)
    finally:
        context.close()
    shown = {p for md in MANUAL.glob("*.md") for p in pictures(md)}
    assert sorted(shown - set(guide.taken)) == [], "pictures the manual shows but no task takes"
    assert sorted(set(guide.taken) - shown) == [], "pictures taken that the manual does not show"


def test_every_menu_item_is_in_its_roles_manual(site: dict[str, Any]) -> None:
    """A role's manual names every page its menus offer (in the words of the menu)."""
    from collab.web import menu

    app = site["app"]
    missing = []
    for role, (name, region, department) in ACCOUNTS.items():
        text = (MANUAL / f"{role}.md").read_text(encoding="utf-8")
        authz = Authz(Actor(name, Role(role), region, department))
        with app.test_request_context("/"):
            for m in menu.MENUS:
                for item in m.items:
                    if item.shown(authz) and str(item.title) not in text:
                        missing.append(f"{role}: {m.title} › {item.title}")
    assert missing == []
