"""Results kept while what they read is unchanged: a small cache keyed by write versions.

A figure over a province counts hundreds of thousands of nodes; asked again before anything it
reads has changed, its answer is the same. Each kept result is filed under the write versions
(`Graph.versions`) of the labels and relationship types it reads, read in the same transaction
before the result was computed: a write commits its data and its new versions together, so a
result found under the versions read now is exactly what computing it now would give. Writes
of other kinds (sign-ins, audit records, a joint check when the figure reads no checks) leave
it standing. The cache is per process and small; entries are copied in and out, so a caller
may change what it gets.
"""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

from collab.graph.store import Graph

R = TypeVar("R")
MAX_ENTRIES = 512

_entries: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()


def kept(g: Graph, reads: Mapping[Hashable, Sequence[str]],
         compute: Callable[[list[Hashable]], Mapping[Hashable, Any]]) -> dict[Hashable, Any]:
    """The value of each key of `reads` (what it reads: labels and relationship types).

    One statement reads every version; the keys not kept under them are computed together by
    `compute(missing)` (in the caller's transaction) and kept.
    """
    names = sorted({name for wanted in reads.values() for name in wanted})
    versions = dict(zip(names, g.versions(names), strict=True))
    origin = getattr(g, "origin", "")
    filed = {key: (origin, key, tuple(versions[n] for n in sorted(set(wanted))))
             for key, wanted in reads.items()}
    out: dict[Hashable, Any] = {}
    with _lock:
        for key, entry in filed.items():
            if entry in _entries:
                _entries.move_to_end(entry)
                out[key] = _entries[entry]
    missing = [key for key in reads if key not in out]
    if missing:
        fresh = compute(missing)
        with _lock:
            for key in missing:
                _entries[filed[key]] = copy.deepcopy(fresh[key])
                out[key] = fresh[key]
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    return {key: copy.deepcopy(value) if key not in missing else value
            for key, value in out.items()}


def kept_one(g: Graph, key: Hashable, reads: Sequence[str], compute: Callable[[], R]) -> R:
    """`kept` for one value."""
    found: R = kept(g, {key: reads}, lambda _: {key: compute()})[key]
    return found


def forget() -> None:
    """Drop every kept result (a test or a benchmark that wants the computed path)."""
    with _lock:
        _entries.clear()
