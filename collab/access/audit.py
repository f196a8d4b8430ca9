"""The audit trail: append-only, hash-chained records kept in the graph itself.

Each record carries the hash of the one before it, so editing or deleting any record breaks
the chain where `verify` will name it. Appends lock the chain's head node, so two writers
take turns instead of forking the chain, and a record commits in the caller's transaction,
together with the change it records (or not at all).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from itertools import islice
from typing import Any

from collab.access.authz import Authz, Perm
from collab.access.idnumbers import mask_id_numbers
from collab.errors import ValidationError
from collab.graph.codec import Node
from collab.graph.store import Cond, Graph, Op, Page

CHAIN = "main"
GENESIS = "0" * 64
# The least an audit trail is kept (等保三级 asks for at least six months); a deployment may
# keep it longer (COLLAB_AUDIT_RETENTION_DAYS, checked by `collab.config`), never shorter.
# Nothing in collab deletes a record: the store port cannot delete nodes, and only `append`
# writes them.
MIN_RETENTION_DAYS = 180


class Kind(StrEnum):
    """What sort of act a record is; change history pages show the `change` ones."""

    AUTH = "auth"
    VIEW = "view"
    CHANGE = "change"
    EXPORT = "export"
    IMPORT = "import"
    SECURITY = "security"


@dataclass(frozen=True)
class Origin:
    """Who acted and from where: the part of a record the request supplies."""

    user: str = ""
    role: str = ""
    department: str = ""
    address: str = ""
    request_id: str = ""


@dataclass(frozen=True)
class Verdict:
    """What `verify` found: how many records it checked and the first break, if any."""

    checked: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def oldest(g: Graph) -> datetime | None:
    """When the first record still kept was written."""
    page = g.find("AuditRecord", order_by="seq", limit=1)
    return page.items[0].get("at") if page.items else None


def _canonical(fields: Mapping[str, Any]) -> str:
    return json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                      default=_text)


def _text(value: Any) -> str:
    """Dates and other values JSON lacks, as text."""
    return value.isoformat() if isinstance(value, date | datetime) else str(value)


def _digest(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(_canonical(fields).encode("utf-8")).hexdigest()


def _fields(node: Node) -> dict[str, Any]:
    """The hashed fields of a stored record, in the form they were hashed in."""
    at = node.get("at")
    return {"seq": node.get("seq"), "at": at.astimezone(UTC).isoformat(timespec="microseconds")
            if at else None, **{k: node.get(k, "") for k in _TEXT_FIELDS},
            "prev_hash": node.get("prev_hash")}


_TEXT_FIELDS = ("user", "role", "department", "address", "request_id", "kind", "event",
                "object_label", "object_key", "outcome", "detail")


def append(g: Graph, *, origin: Origin, kind: Kind, event: str, outcome: str = "ok",
           object_label: str = "", object_key: str = "",
           detail: Mapping[str, Any] | None = None) -> Node:
    """Add one record at the end of the chain, in the caller's transaction; the record.

    `detail` holds what changed (before/after); ID numbers in it are masked before writing.
    """
    if not event:
        raise ValidationError("an audit record needs an event")
    head = g.lock("AuditHead", CHAIN)
    if head is None:
        g.upsert_nodes("AuditHead", [{"chain": CHAIN, "seq": 0, "hash": GENESIS}])
        head = g.lock("AuditHead", CHAIN)
        assert head is not None
    seq = head.get("seq", 0) + 1
    at = datetime.now(UTC)
    text = {"user": origin.user, "role": origin.role, "department": origin.department,
            "address": origin.address, "request_id": origin.request_id, "kind": str(kind),
            "event": event, "object_label": object_label, "object_key": object_key,
            "outcome": outcome,
            "detail": mask_id_numbers(_canonical(detail)) if detail else ""}
    fields = {"seq": seq, "at": at.isoformat(timespec="microseconds"), **text,
              "prev_hash": head.get("hash")}
    digest = _digest(fields)
    no = f"{seq:012d}"
    g.upsert_nodes("AuditRecord", [{**text, "no": no, "seq": seq, "at": at,
                                    "prev_hash": head.get("hash"), "hash": digest}])
    g.upsert_nodes("AuditHead", [{"chain": CHAIN, "seq": seq, "hash": digest}])
    record = g.get("AuditRecord", no)
    assert record is not None
    return record


def verify(g: Graph) -> Verdict:
    """Check every record's hash and link, and that the head names the last one."""
    previous, expected, checked = GENESIS, 1, 0
    for node in g.nodes("AuditRecord"):  # by `no`: the zero-padded sequence number
        seq = node.get("seq")
        if seq != expected:
            return Verdict(checked, expected, f"record {expected} is missing (next is {seq})")
        if node.get("prev_hash") != previous:
            return Verdict(checked, seq, f"record {seq} does not link to record {seq - 1}")
        if _digest(_fields(node)) != node.get("hash"):
            return Verdict(checked, seq, f"record {seq} was altered after it was written")
        previous, expected, checked = node.get("hash"), expected + 1, checked + 1
    head = g.get("AuditHead", CHAIN)
    head_seq, head_hash = (head.get("seq"), head.get("hash")) if head else (0, GENESIS)
    if head_seq != checked or head_hash != previous:
        return Verdict(checked, checked + 1,
                       f"the chain head names record {head_seq}, but {checked} records "
                       f"remain: records after {checked} were removed")
    return Verdict(checked)


def search(g: Graph, *, authz: Authz, user: str | None = None, event: str | None = None,
           object_key: str | None = None, since: datetime | None = None,
           limit: int = 50, offset: int = 0) -> Page:
    """One page of audit records, newest first, for those allowed to read the trail."""
    authz.require(Perm.READ_AUDIT)
    return g.find("AuditRecord", where=_where(user, event, object_key, since), order_by="seq",
                  descending=True, limit=limit, offset=offset)


def records(g: Graph, *, authz: Authz, user: str | None = None, event: str | None = None,
            object_key: str | None = None, since: datetime | None = None,
            limit: int = 100_000) -> Iterator[Node]:
    """Every audit record `search` would find, newest first, at most `limit` (an export)."""
    authz.require(Perm.READ_AUDIT)
    found = g.nodes("AuditRecord", where=_where(user, event, object_key, since),
                    descending=True)
    return islice(found, limit)


def _where(user: str | None, event: str | None, object_key: str | None,
           since: datetime | None) -> dict[str, Any]:
    where: dict[str, Any] = {}
    if user:
        where["user"] = user
    if event:
        where["event"] = Cond(Op.PREFIX, event)
    if object_key:
        where["object_key"] = object_key
    if since:
        where["at"] = Cond(Op.GE, since)
    return where


def history(g: Graph, *, label: str, key: str) -> list[Node]:
    """The changes recorded on one object, oldest first (for its own page).

    The caller has already shown the object is in the actor's scope.
    """
    return list(g.nodes("AuditRecord", where={"object_label": label, "object_key": key,
                                              "kind": str(Kind.CHANGE)}))
