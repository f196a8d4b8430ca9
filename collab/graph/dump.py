"""Backup and restore: one portable, versioned, checksummed file that either engine can take.

The dump is gzip-compressed JSON lines: a header, every node (label, uid, properties), then
every relationship (type, both ends as label + key, properties), and a trailer with the counts
and the SHA-256 of all lines before it. Values are written in their stored form (dates as ISO
text), so a dump made on SQLite restores onto Neo4j and back with nothing changed, uids included.
A restore checks the whole file before it writes anything, and only onto an empty store.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from collab.errors import CollabError, ValidationError
from collab.files import private_file
from collab.graph import schema
from collab.graph.store import Graph, Store

FORMAT = "collab-dump"
VERSION = 1
PAGE = 5000


@dataclass(frozen=True)
class DumpSummary:
    """What a backup wrote or a restore read, and how long it took."""

    nodes: int
    rels: int
    seconds: float


def _line(record: dict[str, Any]) -> bytes:
    return (json.dumps(record, ensure_ascii=False, sort_keys=True, default=_stored) + "\n"
            ).encode("utf-8")


def _stored(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot dump {type(value).__name__}")


def backup(store: Store, path: Path) -> DumpSummary:
    """Write the whole graph to `path`, from one consistent read."""
    started = time.perf_counter()
    counts = store.read(lambda g: _write(g, path, store.backend))
    return DumpSummary(counts[0], counts[1], time.perf_counter() - started)


def _write(g: Graph, path: Path, backend: str) -> tuple[int, int]:
    """Nodes page by page in uid order; their outgoing relationships kept aside and written
    after all nodes, so a restore meets every node before any relationship that needs it."""
    digest, nodes, rels = hashlib.sha256(), 0, 0
    private_file(path)  # a backup holds everything: owner-only before its first byte
    with gzip.open(path, "wb") as out, tempfile.TemporaryFile() as rel_lines:
        header = _line({"format": FORMAT, "version": VERSION, "source": backend,
                        "created_at": datetime.now(UTC).isoformat(timespec="seconds")})
        digest.update(header)
        out.write(header)
        for page, outgoing in g.walk(batch=PAGE):
            for node in page:
                data = _line({"node": node.label, "uid": node.uid, "props": dict(node.props)})
                digest.update(data)
                out.write(data)
            keys = {n.uid: (n.label, n.key) for n in page}
            for rel, other in outgoing:
                rel_lines.write(_line({"rel": rel.type, "src": list(keys[rel.src]),
                                       "dst": [other.label, other.key],
                                       "props": dict(rel.props)}))
                rels += 1
            nodes += len(page)
        rel_lines.seek(0)
        for data in rel_lines:
            digest.update(data)
            out.write(data)
        out.write(_line({"end": True, "nodes": nodes, "rels": rels, "sha256": digest.hexdigest()}))
    return nodes, rels


def _records(path: Path) -> Iterator[tuple[bytes, dict[str, Any]]]:
    try:
        with gzip.open(path, "rb") as f:
            for raw in f:
                yield raw, json.loads(raw)
    except (OSError, EOFError, json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ValidationError(f"{path} is not a readable collab dump: {e}") from None


def verify(path: Path) -> dict[str, Any]:
    """Check the header, the checksum and the counts; the trailer when all is well."""
    digest, seen, header, trailer = hashlib.sha256(), {"node": 0, "rel": 0}, None, None
    for raw, record in _records(path):
        if trailer is not None:
            raise ValidationError(f"{path}: lines after the end of the dump")
        if header is None:
            header = record
            if record.get("format") != FORMAT or record.get("version") != VERSION:
                raise ValidationError(f"{path} is not a collab dump of version {VERSION}")
        elif record.get("end"):
            trailer = record
            continue
        else:
            seen["node" if "node" in record else "rel"] += 1
        digest.update(raw)
    if trailer is None:
        raise ValidationError(f"{path} is incomplete: it has no end record")
    if trailer.get("sha256") != digest.hexdigest():
        raise ValidationError(f"{path} fails its checksum: the file was changed or damaged")
    if (trailer.get("nodes"), trailer.get("rels")) != (seen["node"], seen["rel"]):
        raise ValidationError(f"{path}: its counts do not match its contents")
    return trailer


def restore(store: Store, path: Path) -> DumpSummary:
    """Load a verified dump into an empty store, in batches; uids are kept."""
    started = time.perf_counter()
    trailer = verify(path)
    if any(sum(c.values()) for c in store.counts().values()):
        raise CollabError("the target store is not empty: restore only onto an empty store "
                          "(initialise a new database, or wipe this one first)")
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for _, record in _records(path):
        if "node" in record:
            batch = nodes[schema.label(record["node"]).label]
            batch.append({**record["props"], "uid": record["uid"]})
            if len(batch) >= PAGE:
                store.upsert_nodes(record["node"], batch)
                batch.clear()
        elif "rel" in record:
            _flush_nodes(store, nodes)
            (src_label, src_key), (dst_label, dst_key) = record["src"], record["dst"]
            batch = rels[(record["rel"], src_label, dst_label)]
            batch.append({**record["props"], "src": src_key, "dst": dst_key})
            if len(batch) >= PAGE:
                store.upsert_rels(record["rel"], batch, src=src_label, dst=dst_label)
                batch.clear()
    _flush_nodes(store, nodes)
    for (type_, src, dst), batch in rels.items():
        if batch:
            store.upsert_rels(type_, batch, src=src, dst=dst)
    return DumpSummary(trailer["nodes"], trailer["rels"], time.perf_counter() - started)


def _flush_nodes(store: Store, nodes: dict[str, list[dict[str, Any]]]) -> None:
    for label, batch in nodes.items():
        if batch:
            store.upsert_nodes(label, batch)
            batch.clear()
