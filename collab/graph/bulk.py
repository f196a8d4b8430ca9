"""Bulk export for `neo4j-admin database import full`: a first load at the importer's speed.

Loading a province (or the country) through transactions runs at Cypher's pace; Neo4j's
offline importer writes the store files directly, an order of magnitude faster, but only into
an empty database and only from CSV files in its own layout. This module writes that layout
from either engine, in one read (a consistent snapshot):

- one node file per label, `nodes-<Label>.csv`: `uid:ID` (the id space is our uid, which is
  unique across labels, and is also stored as the `uid` property), `:LABEL` (the label and
  `Node`, as the Neo4j engine labels every node), then each declared property as `name:type`;
- one relationship file per type, `rels-<TYPE>.csv`: `:START_ID`, `:END_ID`, `:TYPE`, then
  the type's properties;
- `import.args`: the importer's options and files, one a line, for `neo4j-admin database
  import full @DIR/import.args neo4j` (paths relative to DIR: run it from DIR).

Values are written in their stored form (dates and datetimes as the ISO text both engines
store), so the imported graph answers every query like the source. Every string is quoted and
a missing value is an empty unquoted cell, which the importer reads as no property (Python's
csv module writes both as the same empty cell). Lists and the labels are joined with U+001F,
the importer's array delimiter here (it splits `:LABEL` with it too). The importer creates no
constraints or indexes: run `collab init` against the new database before use.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from collab.errors import CollabError, ValidationError
from collab.files import private_dir, private_file
from collab.graph import codec, schema
from collab.graph.codec import Node, Rel
from collab.graph.schema import NodeType, RelType, T
from collab.graph.store import Graph, Store

FOR = ("neo4j-admin",)
ARRAY_DELIMITER = "\x1f"  # unit separator: never typed into a name or a sign-off
# Our types as the importer's: ints as 64-bit (as Cypher writes them), dates as stored text.
_TYPES = {T.STR: "string", T.INT: "long", T.FLOAT: "double", T.BOOL: "boolean",
          T.DATE: "string", T.DATETIME: "string", T.STRS: "string[]"}


@dataclass(frozen=True)
class ExportSummary:
    """What a bulk export wrote: node and relationship counts, the files, the time taken."""

    nodes: int
    rels: int
    files: list[Path]
    seconds: float


def node_header(node: NodeType) -> list[str]:
    """`uid:ID`, `:LABEL`, then every declared property but uid with its import type."""
    props = schema.node_props(node)
    return ["uid:ID", ":LABEL", *(f"{name}:{_TYPES[kind]}" for name, kind in props.items()
                                  if name != "uid")]


def rel_header(rel: RelType) -> list[str]:
    """`:START_ID`, `:END_ID`, `:TYPE`, then the type's properties with their import type."""
    return [":START_ID", ":END_ID", ":TYPE",
            *(f"{name}:{_TYPES[kind]}" for name, kind in rel.props.items())]


def _cell(kind: T, name: str, value: Any) -> Any:
    """One value as the importer reads it; None stays an empty (absent) cell."""
    if value is None:
        return None
    stored = codec.encode_value(kind, name, value)
    if kind is T.STRS:
        if any(ARRAY_DELIMITER in item for item in stored):
            raise ValidationError(f"{name}: a list item holds the array delimiter U+001F")
        return ARRAY_DELIMITER.join(stored)
    return stored


def _line(cells: list[Any]) -> str:
    """One CSV record: strings always quoted (quotes doubled), None as an empty cell."""
    return ",".join(_text(c) for c in cells) + "\n"


def _text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return '"' + cell.replace('"', '""') + '"'
    if isinstance(cell, bool):
        return "true" if cell else "false"
    return repr(cell)


def _node_row(node: Node) -> list[Any]:
    props = schema.node_props(schema.label(node.label))
    return [node.uid, node.label + ARRAY_DELIMITER + "Node",
            *(_cell(kind, name, node.props.get(name)) for name, kind in props.items()
              if name != "uid")]


def _rel_row(rel: Rel) -> list[Any]:
    kinds = schema.rel_type(rel.type).props
    return [rel.src, rel.dst, rel.type,
            *(_cell(kind, name, rel.props.get(name)) for name, kind in kinds.items())]


def export(store: Store, directory: Path, *, for_: str = "neo4j-admin") -> ExportSummary:
    """Write the whole graph as neo4j-admin import files into `directory` (new or empty)."""
    if for_ not in FOR:
        raise ValidationError(f"unknown bulk format {for_!r}; known: {', '.join(FOR)}")
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise CollabError(f"{directory} exists and is not an empty folder: give a new one")
    private_dir(directory)
    started = time.perf_counter()
    nodes, rels, files = store.read(lambda g: _write(g, directory))
    return ExportSummary(nodes, rels, files, time.perf_counter() - started)


def _write(g: Graph, directory: Path) -> tuple[int, int, list[Path]]:
    """Stream every page into its label's and its types' files, opened on first use."""
    writers: dict[str, Any] = {}
    paths: dict[str, tuple[str, Path]] = {}
    counts = {"nodes": 0, "rels": 0}
    with ExitStack() as files:
        def writer(name: str, option: str, header: list[str]) -> Any:
            if name not in writers:
                path = private_file(directory / f"{name}.csv")
                writers[name] = files.enter_context(path.open("w", encoding="utf-8",
                                                              newline=""))
                writers[name].write(_line(header))
                paths[name] = (option, path)
            return writers[name]

        for page, outgoing in g.walk():
            for node in page:
                writer(f"nodes-{node.label}", "--nodes",
                       node_header(schema.label(node.label))).write(_line(_node_row(node)))
            for rel, _ in outgoing:
                writer(f"rels-{rel.type}", "--relationships",
                       rel_header(schema.rel_type(rel.type))).write(_line(_rel_row(rel)))
            counts["nodes"] += len(page)
            counts["rels"] += len(outgoing)
    listed = sorted(paths.values(), key=lambda p: (p[0] != "--nodes", p[1].name))
    args = private_file(directory / "import.args")
    # Single-valued options last: --nodes and --relationships take several files each and
    # would swallow the database name that follows the arguments.
    args.write_text("\n".join([*(f"{option}={path.name}" for option, path in listed),
                               "--multiline-fields=true", "--bad-tolerance=0",
                               f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}"]) + "\n",
                    encoding="utf-8")
    return counts["nodes"], counts["rels"], [p for _, p in listed] + [args]
