"""The navigation bar as data: menus grouped by task, each item shown to whoever may use it.

A new page adds one `Item` to the menu it belongs to (or a new `Menu`); a widget for the bar
itself (a search box, a badge with counts) adds its template to `TOOLS`. Nothing else changes:
`base.html` draws whatever is here, so the bar stays on one line from 1280 px up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from collab.access.authz import Authz, Perm
from collab.cases import inbox
from collab.web.labels import LABELS

Shown = Callable[[Authz], bool]


def may(perm: Perm) -> Shown:
    return lambda authz: authz.can(perm)


def lists(label: str) -> Shown:
    return lambda authz: label in authz.listable()


def any_of(*tests: Shown) -> Shown:
    return lambda authz: any(t(authz) for t in tests)


@dataclass(frozen=True)
class Item:
    """One page in a menu: its title, its endpoint (with arguments) and who sees it."""

    title: Any
    endpoint: str
    shown: Shown
    args: Mapping[str, str] = field(default_factory=dict)
    id: str = ""

    def url(self) -> str:
        return url_for(self.endpoint, **dict[str, Any](self.args))


@dataclass(frozen=True)
class Menu:
    """A group of pages for one kind of work (线索与案件, 整改 …)."""

    key: str
    title: Any
    items: tuple[Item, ...]


def _label(label: str) -> Any:
    return LABELS[label]


MENUS: tuple[Menu, ...] = (
    Menu("work", _l("Workbench"), (
        Item(_l("Dashboard"), "dashboard.index", may(Perm.DASHBOARD), id="nav-dashboard"),)),
    Menu("clues", _l("Clues and cases"), (
        Item(_l("Inbox"), "inbox.page", lambda authz: inbox.has_inbox(authz), id="nav-inbox-page"),
        Item(_l("Register an issue"), "issues.new", may(Perm.REGISTER), id="nav-new-issue"),
        Item(_l("Register a clue"), "clues.new", may(Perm.REGISTER), id="nav-new-clue"),
        Item(_label("Clue"), "nodes.listing", lists("Clue"), {"label": "Clue"}, "nav-clues"),
        Item(_label("Transfer"), "nodes.listing", lists("Transfer"), {"label": "Transfer"}),
        Item(_label("Case"), "nodes.listing", lists("Case"), {"label": "Case"}),
        Item(_l("File a case of another origin"), "cases.new", may(Perm.RECORD_DISPOSAL),
             id="nav-new-case"),
        Item(_label("Issue"), "nodes.listing", lists("Issue"), {"label": "Issue"}))),
    Menu("rectification", _l("Rectification"), (
        Item(_l("Rectification ledger"), "rectification.index", lists("Rectification"),
             id="nav-rectification"),
        Item(_l("New rectification task"), "rectification.new", may(Perm.REGISTER),
             id="nav-new-task"),
        Item(_l("Letters due"), "letters.index", lists("Letter"), id="nav-letters"),
        Item(_l("Letters sent"), "nodes.listing", lists("Letter"), {"label": "Letter"}))),
    Menu("joint", _l("Joint supervision"), (
        Item(_label("JointCheck"), "nodes.listing", lists("JointCheck"),
             {"label": "JointCheck"}, "nav-checks"),
        Item(_l("New joint check"), "checks.new", may(Perm.PLAN_CHECKS)),
        Item(_label("Support"), "nodes.listing", lists("Support"), {"label": "Support"}))),
    Menu("analysis", _l("Analysis"), (
        Item(_l("Figures"), "figures.index", lambda authz: authz.can(Perm.DASHBOARD)
             and not inbox.has_inbox(authz) and authz.can(Perm.VIEW_CASES), id="nav-figures"),
        Item(_l("Graph explorer"), "explorer.page", may(Perm.EXPLORE), id="nav-explorer"),
        Item(_l("Supervision models"), "models.index", may(Perm.VIEW_MODELS), id="nav-models"),
        Item(_l("Cross-check"), "crosscheck.page", may(Perm.REGISTER), id="nav-crosscheck"))),
    Menu("data", _l("Data"), (
        Item(_l("Browse"), "nodes.index", lambda authz: bool(authz.listable()), id="nav-browse"),
        Item(_l("Units by region"), "units.by_region", lists("Unit"), id="nav-units"),
        Item(_l("Import"), "imports.upload", may(Perm.IMPORT), id="nav-import"),
        Item(_label("DataSet"), "models.dataset_list", may(Perm.VIEW_MODELS), id="nav-datasets"),
        Item(_l("Export"), "exports.index", may(Perm.EXPORT), id="nav-export"))),
    Menu("admin", _l("Administration"), (
        Item(_l("Users"), "admin.user_list", any_of(may(Perm.MANAGE_USERS),
                                                    may(Perm.MANAGE_ACCESS)), id="nav-users"),
        Item(_l("API tokens"), "tokens.every", may(Perm.MANAGE_ACCESS), id="nav-tokens"),
        Item(_label("Department"), "departments.listing", may(Perm.MANAGE_DEPARTMENTS),
             id="nav-departments"),
        Item(_l("Audit log"), "auditlog.index", may(Perm.READ_AUDIT), id="nav-audit"),
        Item(_l("Verify the chain"), "auditlog.verify", may(Perm.READ_AUDIT)))),
)
# Templates drawn at the right of the bar, before the account menu (search box, counts badge).
TOOLS: list[str] = ["search/_box.html", "inbox/_badges.html"]


@dataclass(frozen=True)
class Shelf:
    """A menu as one reader sees it: only the items they may use, and whether it is open."""

    menu: Menu
    items: tuple[Item, ...]

    @property
    def active(self) -> bool:
        return any(_here(i) for i in self.items)


def _here(item: Item) -> bool:
    return request.endpoint == item.endpoint and all(
        (request.view_args or {}).get(k) == v for k, v in item.args.items())


def shelves() -> list[Shelf]:
    """The menus the signed-in reader has something in."""
    if not current_user.is_authenticated:
        return []
    authz = current_user.authz
    out = [Shelf(m, tuple(i for i in m.items if i.shown(authz))) for m in MENUS]
    return [s for s in out if s.items]


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(menu_shelves=shelves, nav_tools=TOOLS, menu_here=_here)
