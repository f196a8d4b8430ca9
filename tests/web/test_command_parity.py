"""Parity: every change the console offers (`collab clue|rect|check|letters|crosscheck|
import`, and the models' and data sets') has a page action, and the case-work ones an
`/api/v1` operation, for the roles allowed to make it. Views declare the commands they run
(`collab.web.changes.declares` / `runs`); a new console command must be named here as a
change, a read or an operator's tool, so the gap cannot open again."""

from __future__ import annotations

import inspect

import click
from flask import Flask

from collab.cli import main
from collab.commands.base import REGISTRY, Command
from collab.web.changes import declared

# Console command → the command it runs.
CHANGES = {
    "check assign": "check.assign", "check create": "check.create",
    "check finding": "check.finding", "check move": "check.advance",
    "clue accept": "transfer.accept", "clue dispose": "transfer.dispose",
    "clue file-case": "transfer.file_case", "clue outcome": "case.outcome",
    "clue register": "clue.register", "clue return": "transfer.return",
    "clue transfer": "clue.transfer", "letters issue": "letter.issue",
    "rect add": "rectification.create", "rect close": "rectification.close",
    "rect evaluate": "rectification.evaluate", "rect evidence": "rectification.evidence",
    "rect move": "rectification.advance", "rect signoff": "rectification.signoff",
    "crosscheck": "crosscheck.raise_issue", "import": "ledger.import",
    "models run": "models.run", "models confirm": "model_hit.confirm",
    "models dismiss": "model_hit.dismiss", "dataset import": "dataset.import",
    "dataset access": "dataset.access",
}
# The case-work groups, whose changes the API offers too.
API_GROUPS = ("clue", "rect", "check", "letters", "crosscheck", "import")
READS = {
    "analyse", "audit verify", "check propose", "check show", "clue awaiting", "connect",
    "dataset list", "expand", "export", "find", "get", "letters due", "models export",
    "models figures", "models hits", "models list", "models show", "path",
    "rect closing-ledger", "rect warnings", "search", "serve", "stats collaborator",
    "stats contribution", "stats conversion", "stats funnel", "stats lead-times",
    "stats rectification", "stats summary", "status", "template", "trace",
}
# The operator's tools at the server's console: setting up, backing up, loading reference
# data, bootstrapping accounts (the admin pages run the same account commands).
OPERATOR_ONLY = {
    "init", "backup", "restore", "bulk-export", "seed synthetic", "seed yunnan",
    "regions load", "fill-clue-facts", "fill-pinyin", "user add", "user disable",
    "user passwd", "user reset-2fa", "user token", "user unlock",
}
# Registered commands no page runs by itself: the operator's backfills and loads, and the
# support record a joint check's creation writes for each department it assigns.
NO_PAGE = {"maintenance.fill_clue_facts", "maintenance.fill_pinyin",
           "maintenance.load_regions", "maintenance.load_scenario", "support.record"}


def console() -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}

    def walk(cmd: click.Command, path: list[str]) -> None:
        if isinstance(cmd, click.Group):
            for name, sub in cmd.commands.items():
                walk(sub, [*path, name])
        else:
            found[" ".join(path)] = cmd
    walk(main, [])
    return found


def declarations(app: Flask) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Event → the page endpoints, and event → the API endpoints, that declare it."""
    pages: dict[str, set[str]] = {}
    api: dict[str, set[str]] = {}
    for endpoint, view in app.view_functions.items():
        for kind in declared(view):
            (api if endpoint.startswith("api.") else pages).setdefault(
                kind.event, set()).add(endpoint)
    return pages, api


def test_every_console_command_is_named_once() -> None:
    named = [*CHANGES, *READS, *OPERATOR_ONLY]
    assert len(named) == len(set(named))
    assert set(console()) == set(named)


def test_each_console_change_runs_the_command_named() -> None:
    commands = console()
    for path, event in CHANGES.items():
        kind = REGISTRY[event]
        source = inspect.getsource(inspect.unwrap(commands[path].callback))
        assert kind.__name__ in source or (path.startswith("clue ") and "STEPS" in source
                                           or kind.event.split(".")[1] in source), path


def test_every_console_change_has_a_page_and_an_api_operation(site_app: Flask) -> None:
    pages, api = declarations(site_app)
    missing_page = sorted(p for p, e in CHANGES.items() if e not in pages)
    missing_api = sorted(p for p, e in CHANGES.items()
                         if p.split()[0] in API_GROUPS and e not in api)
    assert missing_page == [] and missing_api == []


def test_every_registered_command_has_a_page(site_app: Flask) -> None:
    pages, _ = declarations(site_app)
    assert sorted(set(REGISTRY) - set(pages) - NO_PAGE) == []
    assert NO_PAGE <= set(REGISTRY)


def test_a_declared_page_refuses_a_role_without_the_permission(site_app: Flask,
                                                               signed_in: dict) -> None:
    """The guard `runs` adds: an auditor (no case-work permission) is answered not found."""
    auditor = signed_in["aud"]
    for rule in site_app.url_map.iter_rules():
        view = site_app.view_functions[rule.endpoint]
        kinds: tuple[type[Command], ...] = declared(view)
        if not kinds or rule.endpoint.startswith("api.") or "POST" not in (rule.methods or ()):
            continue
        if any(k.permission is None for k in kinds) or rule.arguments - {"no", "what", "key",
                                                                          "transfer_no"}:
            continue
        url = rule.rule.replace("<path:no>", "X-1").replace("<path:transfer_no>", "X-1/1")
        url = url.replace("<any(move, evidence, evaluate, signoff, close):what>", "move")
        url = url.replace("<any(accept, dispose, return, file_case):what>", "accept")
        if "<" in url:
            continue
        assert auditor.post(url, {}).status_code == 404, url
