"""Rules the code itself must keep: the dependency direction, and no query built by formatting."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "collab"
QUERY_WORDS = re.compile(r"\b(MATCH|MERGE|SELECT|INSERT|UPDATE|DELETE|CREATE|WHERE|RETURN|"
                         r"UNWIND|DROP|DETACH|PRAGMA)\b")


def modules(sub: str = "") -> list[Path]:
    single = PACKAGE / (sub + ".py")
    return [single] if sub and single.is_file() else sorted((PACKAGE / sub).rglob("*.py"))


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


# The layers, lowest first: each may import those before it, never one after it. `config`
# (the settings, and the store they open) builds the services' policies; `commands` is the
# one road of every change, below the web and the command line.
LAYERS = ("graph", "access", "sheets", "cases", "analysis", "ledgers", "config", "commands")
DRIVERS = ("flask", "neo4j", "sqlite3", "collab.web", "collab.cli",
           "collab.graph.neo4j_engine", "collab.graph.sqlite_engine")


def _forbidden(area: str) -> tuple[str, ...]:
    above = tuple("collab." + name for name in LAYERS[LAYERS.index(area) + 1:])
    if area in ("graph", "config"):  # the engines live in graph; config chooses one
        return ("flask", "collab.web", "collab.cli", *above)
    return DRIVERS + above


@pytest.mark.parametrize("area, forbidden", [(area, _forbidden(area)) for area in LAYERS])
def test_dependencies_point_one_way(area: str, forbidden: tuple[str, ...]) -> None:
    offenders = [(p.name, name) for p in modules(area) for name in imported(p)
                 if any(name == f or name.startswith(f + ".") for f in forbidden)]
    assert offenders == []


def formatted_query_strings(tree: ast.AST) -> list[int]:
    """Line numbers where an f-string, %, + or .format() builds text that reads like a query."""
    lines = []
    for node in ast.walk(tree):
        text = None
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value for v in node.values
                           if isinstance(v, ast.Constant) and isinstance(v.value, str))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
            text = " ".join(side.value for side in (node.left, node.right)
                            if isinstance(side, ast.Constant) and isinstance(side.value, str))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("format", "format_map") \
                and isinstance(node.func.value, ast.Constant):
            text = str(node.func.value.value)
        if text and QUERY_WORDS.search(text):
            lines.append(node.lineno)
    return lines


def test_no_query_text_is_built_by_formatting_or_concatenation() -> None:
    offenders = {str(p.relative_to(PACKAGE)): lines for p in modules()
                 if (lines := formatted_query_strings(ast.parse(p.read_text(encoding="utf-8"))))}
    assert offenders == {}


def test_the_check_catches_what_it_looks_for() -> None:
    bad = ('q = f"MATCH (n:{label}) RETURN n"\nr = "SELECT %s" % x\ns = "DELETE {}".format(t)\n'
           'u = "MATCH (n:" + label + ")"\n')
    assert formatted_query_strings(ast.parse(bad)) == [1, 2, 3, 4]
    good = 'msg = f"no such node {k}"\nq = compose("MATCH (n:<<l>>)", l=x)\n'
    assert formatted_query_strings(ast.parse(good)) == []


def imported_names(path: Path) -> set[tuple[str, str]]:
    """(module, name) for every `from module import name` in a file."""
    return {(node.module, alias.name)
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.ImportFrom) and node.module for alias in node.names}


# What of the graph package each side may use: the port's types and the schema's names, and for
# the command line's store tools (init, backup, bulk export) the whole-store operations.
EDGE_GRAPH = {"collab.graph.store", "collab.graph.codec", "collab.graph.schema",
              "collab.graph.names", "collab.graph.dump", "collab.graph.bulk"}
SERVICE_GRAPH = {"collab.graph.store", "collab.graph.types", "collab.graph.codec",
                 "collab.graph.names", "collab.graph.schema", "collab.graph.query",
                 "collab.graph.queries"}
FILTERS = {"Cond", "Op", "Filter"}  # building a store filter is a service's job


def _graph_modules(path: Path) -> set[str]:
    """The modules of the graph package a file imports (`from collab.graph import schema`
    counts as collab.graph.schema)."""
    return ({name for name in imported(path) if name.startswith("collab.graph.")}
            | {f"collab.graph.{n}" for m, n in imported_names(path) if m == "collab.graph"})


@pytest.mark.parametrize("edge", ["web", "cli"])
def test_web_and_cli_use_services_and_commands_not_the_store_directly(edge: str) -> None:
    offenders = []
    for p in modules(edge):
        offenders += [(p.name, m) for m in _graph_modules(p) if m not in EDGE_GRAPH]
        offenders += [(p.name, n) for m, n in imported_names(p)
                      if m.startswith("collab.graph") and n in FILTERS]
    assert offenders == []


@pytest.mark.parametrize("area", ["access", "sheets", "cases", "analysis", "ledgers",
                                  "commands"])
def test_services_use_the_port_only(area: str) -> None:
    offenders = [(p.name, m) for p in modules(area) for m in _graph_modules(p)
                 if m not in SERVICE_GRAPH and not m.startswith("collab.graph.queries.")]
    assert offenders == []


def test_the_graph_checks_see_what_they_look_for(tmp_path: Path) -> None:
    view = tmp_path / "view.py"
    view.write_text("from collab.graph import queries\nfrom collab.graph.store import Cond, Graph\n"
                    "import collab.graph.sqlite_engine\n", encoding="utf-8")
    assert _graph_modules(view) == {"collab.graph.queries", "collab.graph.store",
                                    "collab.graph.sqlite_engine"}
    assert {n for m, n in imported_names(view) if n in FILTERS} == {"Cond"}


# The port's reads: a view or a command-line command asks a service, which reads through these.
PORT_READS = frozenset({"get", "get_uid", "lock", "scan", "find", "count", "pages", "nodes",
                        "walk", "expand", "shortest_paths", "run"})
# Where the edge reads the port itself, and why: the operator's raw store tools (`collab get`,
# `find`, `expand` show nodes as stored) and the liveness probe (one count, no service).
RAW_READERS = {"cli/graph.py", "web/health.py"}


def port_reads(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, method) of each port read made in place: `lambda tx: tx.find(...)` handed to a
    transaction, or a read called on a store (`store.get(...)`, `current_store().find(...)`)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Lambda) and node.args.args:
            param = node.args.args[0].arg
            found += [(c.lineno, c.func.attr) for c in ast.walk(node.body)
                      if isinstance(c, ast.Call) and isinstance(c.func, ast.Attribute)
                      and isinstance(c.func.value, ast.Name) and c.func.value.id == param
                      and c.func.attr in PORT_READS]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in PORT_READS:
            owner = node.func.value
            if (isinstance(owner, ast.Name) and owner.id == "store") or (
                    isinstance(owner, ast.Call) and isinstance(owner.func, ast.Name)
                    and owner.func.id == "current_store"):
                found.append((node.lineno, node.func.attr))
    return sorted(found)


@pytest.mark.parametrize("edge", ["web", "cli"])
def test_web_and_cli_read_through_services(edge: str) -> None:
    offenders = {rel: lines for p in modules(edge)
                 if (rel := str(p.relative_to(PACKAGE))) not in RAW_READERS
                 and (lines := port_reads(ast.parse(p.read_text(encoding="utf-8"))))}
    assert offenders == {}


def test_the_read_check_sees_what_it_looks_for() -> None:
    bad = ('a = current_store().read(lambda tx: tx.get("User", name))\n'
           'b = store.find("Clue", where={"no": x})\n'
           'c = current_store().expand([uid])\n')
    assert port_reads(ast.parse(bad)) == [(1, "get"), (2, "find"), (3, "expand")]
    good = ('a = current_store().read(lambda tx: users.listing(tx, authz=z))\n'
            'b = request.args.get("q")\nc = store.read(lambda tx: clues.get(tx, no=n))\n')
    assert port_reads(ast.parse(good)) == []
