"""One road for every change: the write services are called by commands only.

The write services are found, not listed: every function of the service packages that calls
the port's writes (`upsert_nodes`, `upsert_rels`, `delete_rels`), directly or through another
service function. None may be called from the web, the command line or the settings: those
build a command and hand it to the runner. The exceptions are named below, with why.
"""

from __future__ import annotations

import ast
from dataclasses import fields, is_dataclass
from pathlib import Path

import pytest

import collab.commands  # noqa: F401 - registers every command
from collab.access.authz import Perm
from collab.commands.base import REGISTRY, Command
from collab.graph import schema

PACKAGE = Path(__file__).resolve().parents[2] / "collab"
SERVICES = ("access", "sheets", "cases", "analysis", "ledgers")
PORT_WRITES = frozenset({"upsert_nodes", "upsert_rels", "delete_rels"})
# Writes that do not take the command road, and why.
EXEMPT = {
    # sign-in and session bookkeeping: they run before (or without) a signed-in actor, and
    # authenticate and console_authz write their own audit record in their transaction
    "collab.access.users.authenticate", "collab.access.sessions.touch",
    "collab.access.users.console_authz",
    # minting one's own API token: a fresh credential check that writes its own audit record
    # (and counts a refusal towards lockout), as signing in does; issue 16, item 2
    "collab.access.users.issue_token",
    # the web's one record per request for everything that is not a change (views)
    "collab.access.audit.append",
}
EDGES = ("web", "cli", "config.py")


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)


class Module:
    """A module's functions, what each calls (resolved where the names allow), its imports."""

    def __init__(self, path: Path):
        self.name = module_name(path)
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.aliases: dict[str, str] = {}  # local name -> module or module.function
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    self.aliases[a.asname or a.name] = a.name
            elif isinstance(node, ast.ImportFrom) and node.module:
                for a in node.names:
                    self.aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        self.functions = {f.name: f for f in self.tree.body if isinstance(f, ast.FunctionDef)}

    def calls(self, within: ast.AST) -> list[tuple[str, int]]:
        """Qualified names called in `within` (port writes as `port.<method>`), with lines."""
        out = []
        for node in ast.walk(within):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            if isinstance(f, ast.Name):
                target = (f"{self.name}.{f.id}" if f.id in self.functions
                          else self.aliases.get(f.id))
            elif isinstance(f, ast.Attribute):
                base = self.aliases.get(f.value.id) if isinstance(f.value, ast.Name) else None
                target = f"{base}.{f.attr}" if base else (
                    f"port.{f.attr}" if f.attr in PORT_WRITES else None)
            else:
                target = None
            if target:
                out.append((target, node.lineno))
        return out


def services() -> dict[str, Module]:
    return {module_name(p): Module(p) for area in SERVICES
            for p in sorted((PACKAGE / area).rglob("*.py"))}


def write_services() -> set[str]:
    """Every service function that writes, directly or through another one."""
    mods = services()
    calls = {f"{m.name}.{name}": {t for t, _ in m.calls(fn)}
             for m in mods.values() for name, fn in m.functions.items()}
    writers = {f for f, called in calls.items() if any(t.startswith("port.") for t in called)}
    while True:
        more = {f for f, called in calls.items() if f not in writers and called & writers}
        if not more:
            return writers
        writers |= more


def test_the_write_services_are_found() -> None:
    found = write_services()
    for known in ("collab.cases.clues.transfer", "collab.cases.lifecycle.transition",
                  "collab.access.users.add", "collab.ledgers.importer.import_ledger",
                  "collab.analysis.crosscheck.raise_issue", "collab.cases.letters.issue"):
        assert known in found
    for reader in ("collab.cases.clues.awaiting", "collab.ledgers.importer.check_ledger",
                   "collab.access.authz.get", "collab.cases.trace.trace"):
        assert reader not in found


def test_the_web_and_the_command_line_write_only_through_commands() -> None:
    writers = write_services() - EXEMPT
    offenders = []
    for edge in EDGES:
        paths = [PACKAGE / edge] if edge.endswith(".py") else sorted((PACKAGE / edge).rglob("*.py"))
        for path in paths:
            mod = Module(path)
            offenders += [f"{mod.name}:{line} calls {target}" for target, line in
                          mod.calls(mod.tree) if target in writers]
    assert offenders == []


def test_the_check_catches_a_write_from_a_view(tmp_path: Path) -> None:
    view = PACKAGE / "web" / "_probe_view.py"
    view.write_text("from collab.cases import clues\n\n"
                    "def transfer(tx):\n    return clues.transfer(tx)\n", encoding="utf-8")
    try:
        mod = Module(view)
        assert [t for t, _ in mod.calls(mod.tree)] == ["collab.cases.clues.transfer"]
        assert "collab.cases.clues.transfer" in write_services()
    finally:
        view.unlink()


def test_every_write_service_has_a_caller_on_the_road() -> None:
    """A new write service must be called by a command (or by another service a command
    calls): one only tests could reach would be a change with no road to it."""
    referenced = set()
    for path in [*(PACKAGE / "commands").rglob("*.py"),
                 *(p for area in SERVICES for p in (PACKAGE / area).rglob("*.py"))]:
        mod = Module(path)
        referenced |= {t for t, _ in mod.calls(mod.tree)}
        referenced |= {f"{mod.name}.{n.attr}" for n in ast.walk(mod.tree)
                       if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)
                       and n.value.id in ("self", "cls")}
    orphans = {w for w in write_services() - EXEMPT if w not in referenced
               and not w.rsplit(".", 1)[1].startswith("_")}
    assert orphans == set()


@pytest.mark.parametrize("event", sorted(REGISTRY))
def test_each_command_is_declared_whole(event: str) -> None:
    kind = REGISTRY[event]
    assert issubclass(kind, Command) and is_dataclass(kind)
    assert kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert kind.event == event and "." in event
    wanted = kind.permission if isinstance(kind.permission, tuple) else (kind.permission,)
    assert all(p is None or isinstance(p, Perm) for p in wanted)
    if kind.label:
        schema.label(kind.label)  # a declared label
    if kind.key_field:
        assert kind.key_field in {f.name for f in fields(kind)}
    assert kind.__doc__ and kind.apply is not Command.apply
