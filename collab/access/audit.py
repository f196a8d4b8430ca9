"""The audit trail: append-only records kept in the graph, chained under a key kept outside it.

Each record carries an HMAC (under the audit key, `collab.access.keys`) over its fields and the
previous record's seal, so editing or deleting a record breaks the chain where `verify` names
it, and nobody holding only the database can recompute the chain after rewriting it. The head
of the chain is also written, signed, to an append-only file outside the store
(`collab.access.checkpoints`); `verify` compares the chain with every signed checkpoint, so
truncating the trail, or rewriting it even with the key, is named too. Appends lock the
chain's head node, so two writers take turns instead of forking the chain, and a record
commits in the caller's transaction, together with the change it records (or not at all).

Trails begun before the audit key existed keep their plain SHA-256 links: `verify` checks
those records as before, and the first keyed record seals the last plain one's hash into its
HMAC, so the old part cannot be rewritten without breaking that link (docs/SECURITY.md).

Every text that reaches a record passes through `idnumbers.redact`: an ID number is kept as
its masked form and a keyed pseudonym, never in full.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import partial
from itertools import islice
from pathlib import Path
from typing import Any

from collab.access import keys
from collab.access.authz import Authz, Perm
from collab.access.idnumbers import redact
from collab.access.keys import AuditKey
from collab.errors import N_, ConfigError, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Cond, Graph, Op, Page, Store

CHAIN = "main"
GENESIS = "0" * 64
KEYED = "hmac-sha256"
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
class Checkpoint:
    """The head of a trail at one moment, as signed into the checkpoint file. Two checkpoints
    of the same head are equal whenever they were taken (a restored trail is the same trail)."""

    trail: str
    seq: int
    hash: str
    keyed_from: int | None
    at: datetime = field(compare=False)


class Note(str):
    """A note of a verdict: English text (for the console) that keeps its message template and
    parameters, so a page can show it translated (`web/labels.py`, the `said` filter)."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> Note:
        note = super().__new__(cls, template % {k: f"{v.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
                                                if isinstance(v, datetime) else v
                                                for k, v in params.items()})
        note.template, note.params = template, params
        return note


@dataclass(frozen=True)
class Verdict:
    """What `verify` found: how many records it checked and the first break, if any.

    `head` is the chain's head as found (the checkpoint to sign when the verdict is good);
    `notes` say what else a reader should know (records from before the key, checkpoints).
    """

    checked: int
    broken_at: int | None = None
    reason: Note = field(default_factory=lambda: Note(""))
    head: Checkpoint | None = None
    notes: tuple[Note, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def provision_key(g: Graph, *, secret: str, path: Path) -> AuditKey:
    """The audit key (`secret`, else the file `path`); the file made (mode 600) when the
    deployment has none yet, unless the trail already holds records sealed with one: then the
    key was lost or not mounted, and a new one would only hide that."""
    try:
        return keys.audit_key(secret=secret, path=path)
    except ConfigError:
        head = g.get("AuditHead", CHAIN)
        if head is not None and head.get("keyed_from") and head.get("seq", 0) >= \
                head.get("keyed_from"):
            raise ConfigError(N_("the audit key %(file)s is missing, but the audit trail holds "
                                 "records sealed with it: restore the key from its backup (a "
                                 "new key would make the whole trail fail to verify)"),
                              file=str(path)) from None
        return keys.audit_key(secret=secret, path=path, create=True)


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


def _seal(fields: Mapping[str, Any], key: AuditKey) -> str:
    """A record's seal: the HMAC under the audit key, or (records from before the key) the
    plain SHA-256 they were written with."""
    text = _canonical(fields)
    if fields.get("alg") == KEYED:
        return key.chain(text)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fields(node: Node) -> dict[str, Any]:
    """The sealed fields of a stored record, in the form they were sealed in."""
    at = node.get("at")
    fields = {"seq": node.get("seq"),
              "at": at.astimezone(UTC).isoformat(timespec="microseconds") if at else None,
              **{k: node.get(k, "") for k in _TEXT_FIELDS}, "prev_hash": node.get("prev_hash")}
    if node.get("alg") is not None:
        fields["alg"] = node.get("alg")
    return fields


_TEXT_FIELDS = ("user", "role", "department", "address", "request_id", "kind", "event",
                "object_label", "object_key", "outcome", "detail")


@dataclass(frozen=True)
class Entry:
    """What one record says, before the chain numbers, links and seals it."""

    origin: Origin
    kind: Kind
    event: str
    outcome: str = "ok"
    object_label: str = ""
    object_key: str = ""
    detail: Mapping[str, Any] | None = None


def _head(g: Graph) -> Node:
    """The chain's head, locked (made at the first append)."""
    head = g.lock("AuditHead", CHAIN)
    if head is None:
        g.upsert_nodes("AuditHead", [{"chain": CHAIN, "seq": 0, "hash": GENESIS,
                                      "keyed_from": 1}])
        head = g.lock("AuditHead", CHAIN)
        assert head is not None
    return head


def append(g: Graph, *, key: AuditKey, origin: Origin, kind: Kind, event: str,
           outcome: str = "ok", object_label: str = "", object_key: str = "",
           detail: Mapping[str, Any] | None = None) -> Node:
    """Add one record at the end of the chain, in the caller's transaction; the record.

    `detail` holds what changed (before/after). Every field passes through `redact`: an ID
    number anywhere in a record is kept masked, with the audit key's pseudonym of it.
    """
    no = append_many(g, [Entry(origin, kind, event, outcome, object_label, object_key,
                               detail)], key=key)[0]
    record = g.get("AuditRecord", no)
    assert record is not None
    return record


def append_many(g: Graph, entries: Sequence[Entry], *, key: AuditKey) -> list[str]:
    """Add records at the end of the chain, in order, in the caller's transaction: the head
    is locked once and every record written in one go. Their numbers."""
    if any(not e.event for e in entries):
        raise ValidationError("an audit record needs an event")
    head = _head(g)
    seq, previous = head.get("seq", 0), head.get("hash")
    rows = []
    for e in entries:
        seq += 1
        at = datetime.now(UTC)
        raw = {"user": e.origin.user, "role": e.origin.role,
               "department": e.origin.department, "address": e.origin.address,
               "request_id": e.origin.request_id, "kind": str(e.kind), "event": e.event,
               "object_label": e.object_label, "object_key": e.object_key,
               "outcome": e.outcome, "detail": _canonical(e.detail) if e.detail else ""}
        text = {k: redact(str(v), key.alias) for k, v in raw.items()}
        digest = _seal({"seq": seq, "at": at.isoformat(timespec="microseconds"), **text,
                        "prev_hash": previous, "alg": KEYED}, key)
        rows.append({**text, "no": f"{seq:012d}", "seq": seq, "at": at, "alg": KEYED,
                     "prev_hash": previous, "hash": digest})
        previous = digest
    if rows:
        g.upsert_nodes("AuditRecord", rows)
        g.upsert_nodes("AuditHead", [{"chain": CHAIN, "seq": seq, "hash": previous,
                                      "keyed_from": head.get("keyed_from") or rows[0]["seq"]}])
    return [row["no"] for row in rows]


class GroupCommit:
    """Records of concurrent requests written together: one durable transaction for all the
    records waiting when the last one committed.

    A request hands in its record and waits until that record is committed (durable: on
    SQLite `synchronous=FULL`), so nothing it showed goes unrecorded even if the process is
    killed right after; meanwhile the records of requests arriving during a commit gather for
    the next one. One writer thread per process does the writing, so the head of the chain is
    locked once per batch, not once per page view, and a batch costs one sync of the disk.
    A failed commit fails every request in it (each answers 503, as a lone record would).
    """

    MOST = 500  # records in one transaction

    def __init__(self, store: Store, key: AuditKey):
        self._store, self._key = store, key
        self._ready = threading.Condition()
        self._waiting: list[tuple[Entry, Future[None]]] = []
        self._writer: threading.Thread | None = None
        self._pid = 0
        self.records = self.commits = 0

    def append(self, entry: Entry, timeout: float = 60.0) -> None:
        """Add `entry` to the chain; return once it is committed (or raise why not)."""
        done: Future[None] = Future()
        with self._ready:
            if self._writer is None or not self._writer.is_alive() or self._pid != os.getpid():
                self._pid, self._writer = os.getpid(), threading.Thread(
                    target=self._write, name="audit-group-commit", daemon=True)
                self._writer.start()
            self._waiting.append((entry, done))
            self._ready.notify()
        done.result(timeout)

    def _write(self) -> None:
        while True:
            with self._ready:
                while not self._waiting:
                    self._ready.wait()
                batch, self._waiting = self._waiting[:self.MOST], self._waiting[self.MOST:]
            entries = [e for e, _ in batch]
            try:
                self._store.write(partial(append_many, entries=entries, key=self._key))
            except BaseException as e:  # noqa: BLE001 - each waiting request hears why
                for _, done in batch:
                    done.set_exception(e)
                continue
            self.records, self.commits = self.records + len(batch), self.commits + 1
            for _, done in batch:
                done.set_result(None)


def _trail_id(g: Graph) -> str | None:
    """Which trail this is: its first record's seal, shortened (a trail replaced from its
    first record on is another trail, whose checkpoints the file does not hold)."""
    first = g.get("AuditRecord", f"{1:012d}")
    return (first.get("hash") or "")[:16] if first else None


def head_checkpoint(g: Graph) -> Checkpoint | None:
    """The chain's head as it stands, for a checkpoint (None before the first record)."""
    head, trail = g.get("AuditHead", CHAIN), _trail_id(g)
    if head is None or not head.get("seq") or trail is None:
        return None
    return Checkpoint(trail, head.get("seq"), head.get("hash"), head.get("keyed_from"),
                      datetime.now(UTC))


class _Break(Exception):
    def __init__(self, seq: int, reason: Note):
        super().__init__(reason)
        self.seq, self.reason = seq, reason


def _walk(g: Graph, key: AuditKey, marks: Mapping[int, Checkpoint]) -> tuple[int, str, int | None]:
    """Check every record's seal and link (and each against its signed checkpoint); the number
    checked, the last seal and where keyed records begin. Raises `_Break` at the first fault."""
    previous, checked, keyed_from = GENESIS, 0, None
    for node in g.nodes("AuditRecord"):  # by `no`: the zero-padded sequence number
        seq = node.get("seq")
        if seq != checked + 1:
            raise _Break(checked + 1, Note(N_("record %(n)s is missing (next is %(next)s)"),
                                             n=checked + 1, next=seq))
        if node.get("prev_hash") != previous:
            raise _Break(seq, Note(N_("record %(n)s does not link to record %(before)s"),
                                   n=seq, before=seq - 1))
        if node.get("alg") == KEYED:
            keyed_from = keyed_from or seq
        elif keyed_from is not None:
            raise _Break(seq, Note(N_("record %(n)s carries no audit-key seal although the "
                                      "records before it do: it was rewritten without the key"),
                                   n=seq))
        if _seal(_fields(node), key) != node.get("hash"):
            raise _Break(seq, Note(N_("record %(n)s was altered after it was written"), n=seq))
        mark = marks.get(seq)
        if mark is not None and mark.hash != node.get("hash"):
            raise _Break(seq, Note(N_("record %(n)s differs from the signed checkpoint of %(at)s: "
                                      "the trail up to it was rewritten since"),
                                   n=seq, at=mark.at))
        previous, checked = node.get("hash"), seq
    return checked, previous, keyed_from


def _against_checkpoints(checked: int, keyed_from: int | None,
                         marks: Iterable[Checkpoint]) -> None:
    for mark in sorted(marks, key=lambda m: -m.seq):
        if mark.seq > checked:
            raise _Break(checked + 1, Note(N_("the signed checkpoint of %(at)s names record %(n)s, "
                                                "but the trail ends at record %(last)s: records "
                                                "after %(last)s were removed"),
                                             at=mark.at, n=mark.seq, last=checked))
        # a checkpoint from before the key (None) allows keyed records only after it
        agrees = (keyed_from is None or keyed_from > mark.seq) if mark.keyed_from is None \
            else keyed_from == mark.keyed_from
        if not agrees:
            raise _Break(mark.keyed_from or 1,
                         Note(N_("keyed records begin at record %(found)s, but the signed "
                                 "checkpoint of %(at)s says %(said)s: the trail was rewritten"),
                              found=keyed_from, at=mark.at, said=mark.keyed_from))


def verify(g: Graph, key: AuditKey, *, checkpoints: Iterable[Checkpoint] = ()) -> Verdict:
    """Check every record's seal and link, that the head names the last one, and that the
    trail agrees with every signed checkpoint of it (`checkpoints`, already signature-checked).
    """
    head, trail = g.get("AuditHead", CHAIN), _trail_id(g)
    theirs = list(checkpoints)
    marks = {m.seq: m for m in theirs if m.trail == trail}
    checked = 0
    try:
        if theirs and not marks:
            raise _Break(1, Note(N_("the checkpoint file holds no checkpoint of this trail: the "
                                    "trail was replaced, or the file belongs to another "
                                    "deployment")))
        checked, last, keyed_from = _walk(g, key, marks)
        head_seq, head_hash = (head.get("seq"), head.get("hash")) if head else (0, GENESIS)
        if head_seq != checked or head_hash != last:
            raise _Break(checked + 1, Note(N_("the chain head names record %(head)s, but %(n)s "
                                                "records remain: records after %(n)s were "
                                                "removed"), head=head_seq, n=checked))
        _against_checkpoints(checked, keyed_from, marks.values())
    except _Break as e:
        return Verdict(checked=e.seq - 1, broken_at=e.seq, reason=e.reason)
    notes = []
    if keyed_from and keyed_from > 1:
        notes.append(Note(N_("records 1-%(last)s predate the audit key (SHA-256 links, sealed "
                             "by record %(first)s)"), last=keyed_from - 1, first=keyed_from))
    elif checked and keyed_from is None:
        notes.append(Note(N_("all %(n)s records predate the audit key (SHA-256 links)"),
                          n=checked))
    if marks:
        newest = max(marks.values(), key=lambda m: m.at)
        notes.append(Note(N_("agrees with %(n)s signed checkpoints, the latest of %(at)s"),
                          n=len(marks), at=newest.at))
    now = head_checkpoint(g)
    return Verdict(checked, head=now, notes=tuple(notes))


def search(g: Graph, *, authz: Authz, key: AuditKey, user: str | None = None,
           event: str | None = None, object_key: str | None = None,
           since: datetime | None = None, limit: int = 50, offset: int = 0) -> Page:
    """One page of audit records, newest first, for those allowed to read the trail. An ID
    number asked for is looked up as it is recorded (masked, with its pseudonym)."""
    authz.require(Perm.READ_AUDIT)
    return g.find("AuditRecord", where=_where(key, user, event, object_key, since),
                  order_by="seq", descending=True, limit=limit, offset=offset)


def records(g: Graph, *, authz: Authz, key: AuditKey, user: str | None = None,
            event: str | None = None, object_key: str | None = None,
            since: datetime | None = None, limit: int = 100_000) -> Iterator[Node]:
    """Every audit record `search` would find, newest first, at most `limit` (an export)."""
    authz.require(Perm.READ_AUDIT)
    found = g.nodes("AuditRecord", where=_where(key, user, event, object_key, since),
                    descending=True)
    return islice(found, limit)


def _where(key: AuditKey, user: str | None, event: str | None, object_key: str | None,
           since: datetime | None) -> dict[str, Any]:
    where: dict[str, Any] = {}
    if user:
        where["user"] = redact(user, key.alias)
    if event:
        where["event"] = Cond(Op.PREFIX, event)
    if object_key:
        where["object_key"] = redact(object_key, key.alias)
    if since:
        where["at"] = Cond(Op.GE, since)
    return where


def history(g: Graph, *, label: str, key: str) -> list[Node]:
    """The changes recorded on one object, oldest first (for its own page).

    The caller has already shown the object is in the actor's scope.
    """
    return list(g.nodes("AuditRecord", where={"object_label": label, "object_key": key,
                                              "kind": str(Kind.CHANGE)}))
