"""Every named query, found wherever it is declared: its labels, relationship types and property
names are the schema's, its two texts take the same parameters and return its columns, and it
runs on both engines with the same answer."""

from __future__ import annotations

import dataclasses
import importlib
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from web.scenario import build

from collab.graph import schema
from collab.graph.store import NamedQuery, Store

PACKAGE = Path(__file__).resolve().parents[2] / "collab"


def _collect(value: Any, found: dict[str, NamedQuery], depth: int = 0) -> None:
    if isinstance(value, NamedQuery):
        found.setdefault(value.name, value)
    elif depth < 3 and isinstance(value, dict):
        for v in value.values():
            _collect(v, found, depth + 1)
    elif depth < 3 and isinstance(value, list | tuple):
        for v in value:
            _collect(v, found, depth + 1)
    elif depth < 3 and dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            _collect(getattr(value, f.name), found, depth + 1)


def named_queries() -> dict[str, NamedQuery]:
    """Every NamedQuery a module of collab holds (alone, in a dict, a tuple or a dataclass)."""
    found: dict[str, NamedQuery] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if name.startswith(("collab.web", "collab.cli", "collab.__main__")):
            continue
        for value in vars(importlib.import_module(name)).values():
            _collect(value, found)
    return found


QUERIES = named_queries()
NODE_PROPS = {p for n in schema.NODES.values() for p in schema.node_props(n)}
REL_PROPS = {p for r in schema.RELS.values() for p in r.props}
PROPS = NODE_PROPS | REL_PROPS
# Parameters only one text needs: the SQL of the person search reads a prefix as the range
# [lo, hi) so that SQLite uses its index; Cypher reads STARTS WITH lo.
ONE_SIDED = {"hi"}

CYPHER_LABELS = re.compile(r"[(\w]\s*:\s*([A-Z][A-Za-z]+)\b")
CYPHER_TYPES = re.compile(r"\[\s*\w*\s*:\s*([A-Z_|]+)")
CYPHER_PROPS = re.compile(r"(?<![$\w])([a-z_][a-z0-9_]*)\.([a-z_][a-z0-9_]*)\b")
CYPHER_MAP_KEYS = re.compile(r"\{\s*([a-z_]+)\s*:")
SQL_LABELS = re.compile(r"label\s*=\s*'([A-Za-z]+)'")
SQL_TYPES = re.compile(r"type\s*(?:=\s*'([A-Z_]+)'|IN\s*\(([^)]*)\))")
SQL_PROPS = re.compile(r"'\$\.([a-z_][a-z0-9_]*)'")
# Cypher names that are not properties: functions' namespaces and list/map accessors.
NOT_PROPS = {"apoc", "date", "datetime", "duration"}


def test_they_are_found() -> None:
    assert len(QUERIES) >= 40
    assert {"people a clue is against", "transfers awaiting receipt or feedback",
            "conversion by department", "analysis.projection"} <= set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_names_are_the_schemas(name: str) -> None:
    q = QUERIES[name]
    labels = set(CYPHER_LABELS.findall(q.cypher)) | set(SQL_LABELS.findall(q.sql))
    types = {t for found in CYPHER_TYPES.findall(q.cypher) for t in found.split("|") if t}
    for single, listed in SQL_TYPES.findall(q.sql):
        types |= {single} if single else set(re.findall(r"'([A-Z_]+)'", listed))
    props = {p for var, p in CYPHER_PROPS.findall(q.cypher) if var not in NOT_PROPS}
    props |= set(CYPHER_MAP_KEYS.findall(q.cypher)) | set(SQL_PROPS.findall(q.sql))
    assert labels and labels <= set(schema.NODES), labels - set(schema.NODES)
    assert types <= set(schema.RELS), types - set(schema.RELS)
    assert props <= PROPS, props - PROPS


def test_the_check_catches_an_unknown_name() -> None:
    bad = NamedQuery("bad", cypher="MATCH (c:Clew)-[:AGAINTS]->(p:Person) RETURN p.nmae AS x",
                     sql="SELECT json_extract(props, '$.nmae') FROM nodes WHERE label = 'Clew'",
                     columns=("x",))
    QUERIES["bad"] = bad
    try:
        with pytest.raises(AssertionError):
            test_names_are_the_schemas("bad")
    finally:
        del QUERIES["bad"]


def parameters(q: NamedQuery) -> tuple[set[str], set[str]]:
    return (set(re.findall(r"\$(\w+)", q.cypher)),
            set(re.findall(r"(?<![:\w]):(\w+)", q.sql)))


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_both_texts_take_the_same_parameters(name: str) -> None:
    cypher, sql = parameters(QUERIES[name])
    assert cypher - ONE_SIDED == sql - ONE_SIDED


# A value of the right kind for each parameter name the queries use.
VALUES: dict[str, Any] = {
    "as_of": date(2024, 12, 31), "p_from": date(2023, 1, 1), "p_to": date(2023, 12, 31),
    "start": date(2023, 1, 1), "end": date(2024, 12, 31), "prefix": "53", "lo": "富",
    "hi": "富\U0010ffff", "limit": 20, "n": 6, "min_clues": 1, "min_units": 1,
    "clue_no": "XS-2023-0001", "check": "JC-0001", "by_department": False,
    "nos": ["XS-2023-0001", "WS-2023-0002", "ZT-2023-0001"], "statuses": ["transferred"],
    "disposed": ["inquiry", "verification", "on_hold", "closed", "case_filed"],
    "categories": ["民生"], "regions": ["530000", "532600", "532628"],
    "departments": ["D532628-JW"], "units": ["U532628107"], "transfers": ["WS-2023-0002/1"],
    "cases": ["WS-CASE-0001"], "skip": 0, "hidden": ["NN-ROSTER"]}


def answer(store: Store, q: NamedQuery) -> list[dict[str, Any]]:
    cypher, sql = parameters(q)
    return store.run(q, **{p: VALUES.get(p) for p in cypher | sql})


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_runs_and_returns_its_columns(module_store: Store, name: str) -> None:
    if not module_store.count("Clue"):
        module_store.write(build)
    rows = answer(module_store, QUERIES[name])
    assert all(tuple(r) == QUERIES[name].columns for r in rows)


@pytest.mark.neo4j
def test_both_engines_give_the_same_answers(sqlite_graph: Store, neo4j_graph: Store) -> None:
    for store in (sqlite_graph, neo4j_graph):
        store.write(build)
    differ = [name for name, q in sorted(QUERIES.items())
              if rows(answer(sqlite_graph, q)) != rows(answer(neo4j_graph, q))]
    assert differ == []


def rows(found: list[dict[str, Any]]) -> list[str]:
    """Rows to compare across engines: as a set (a query without ORDER BY leaves the order to
    its caller), numbers as numbers (SQLite's 0/1 for booleans, as the port documents, and a
    sum's 0 or 0.0 alike)."""
    return sorted(repr({k: float(v) if isinstance(v, int | float) else v
                        for k, v in r.items() if k not in WRITTEN_AT}) for r in found)


# Moments a row was written at: the two stores were built a moment apart.
WRITTEN_AT = frozenset({"first_seen", "last_seen"})
