"""Signed checkpoints of the audit chain, in an append-only file outside the store.

Now and then (the web app: every COLLAB_AUDIT_CHECKPOINT_MINUTES; and every `collab audit
verify`) the chain's head — its trail id, last record number, that record's seal and where
keyed records begin — is appended to the checkpoint file (COLLAB_AUDIT_CHECKPOINTS, beside the
keys), one JSON line signed with the audit key. `verify` then holds the chain to every line:
whoever rewrites the trail in the database, even with the key, or cuts records off its end,
disagrees with a checkpoint written before. A line whose signature is wrong is named too.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from collab.access import audit
from collab.access.audit import Checkpoint, Note, Verdict
from collab.access.keys import AuditKey
from collab.errors import N_
from collab.files import append_line
from collab.graph.store import Store


def _body(mark: Checkpoint) -> dict[str, Any]:
    return {"trail": mark.trail, "seq": mark.seq, "hash": mark.hash,
            "keyed_from": mark.keyed_from, "at": mark.at.isoformat()}


def _text(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"))


def write(path: Path, key: AuditKey, mark: Checkpoint) -> None:
    """Append one signed checkpoint."""
    body = _body(mark)
    append_line(path, _text({**body, "sig": key.sign(_text(body))}))


@dataclass(frozen=True)
class Read:
    """The checkpoints of a file whose signatures hold, and the lines that do not."""

    marks: tuple[Checkpoint, ...]
    unsigned: tuple[int, ...]


def _parse(line: str) -> tuple[Checkpoint, str] | None:
    try:
        raw: dict[str, Any] = json.loads(line)
        mark = Checkpoint(str(raw["trail"]), int(raw["seq"]), str(raw["hash"]),
                          None if raw["keyed_from"] is None else int(raw["keyed_from"]),
                          datetime.fromisoformat(raw["at"]))
        return mark, str(raw["sig"])
    except (ValueError, KeyError, TypeError):
        return None


def read(path: Path, key: AuditKey) -> Read:
    """Every checkpoint in the file (none when it does not exist yet)."""
    if not path.is_file():
        return Read((), ())
    marks, unsigned = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        parsed = _parse(line)
        if parsed is None or key.sign(_text(_body(parsed[0]))) != parsed[1]:
            unsigned.append(number)
        else:
            marks.append(parsed[0])
    return Read(tuple(marks), tuple(unsigned))


def verify_trail(store: Store, key: AuditKey, path: Path) -> Verdict:
    """Check the chain against every signed checkpoint, and when it holds, sign a new one
    (what `collab audit verify` and the audit page do)."""
    found = read(path, key)
    if found.unsigned:
        return Verdict(0, broken_at=0, reason=Note(N_("line %(line)s of the checkpoint file "
                                                   "%(file)s is not signed by the audit key: "
                                                   "the file was tampered with"),
                                                line=found.unsigned[0], file=str(path)))
    verdict = store.read(lambda tx: audit.verify(tx, key, checkpoints=found.marks))
    if verdict.ok and verdict.head is not None:
        write(path, key, verdict.head)
    return verdict


class Marker:
    """Signs a checkpoint every `minutes` at most, from whichever request comes after that
    (one per process; the first right away). A failure is reported, never raised: a request
    already answered is not undone by the checkpoint file."""

    def __init__(self, path: Path, key: AuditKey, minutes: float,
                 report: Callable[[str], None]):
        self.path, self.key, self.every, self.report = path, key, minutes * 60, report
        self._next = 0.0
        self._lock = threading.Lock()

    def due(self) -> bool:
        """Whether a checkpoint is due (claims it: one caller at a time gets True)."""
        with self._lock:
            if time.monotonic() < self._next:
                return False
            self._next = time.monotonic() + self.every
            return True

    def mark(self, store: Callable[[], Store]) -> None:
        """Sign the head of the trail in `store()` into the file."""
        try:
            head = store().read(audit.head_checkpoint)
            if head is not None:
                write(self.path, self.key, head)
        except Exception as e:  # noqa: BLE001 - reported; the trail itself is intact
            self.report(f"audit checkpoint not written to {self.path}: {type(e).__name__}")
