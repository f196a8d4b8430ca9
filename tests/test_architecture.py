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
