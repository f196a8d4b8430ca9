"""Names in pinyin (full and initials), kept on named nodes so search finds 张三 by zs."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from collab.graph import schema
from collab.graph.store import Cond, Graph, Op

# Labels whose names are kept in pinyin for search.
PINYIN_LABELS = ("Person", "Unit", "Department", "Region")


def pinyin_of(name: str) -> dict[str, str]:
    """Full pinyin and initials of a name: 张三 -> {"pinyin": "zhangsan", "initials": "zs"}."""
    from pypinyin import lazy_pinyin

    syllables = [re.sub(r"[^a-z0-9]", "", s.lower()) for s in lazy_pinyin(name or "")]
    syllables = [s for s in syllables if s]
    return {"pinyin": "".join(syllables), "initials": "".join(s[0] for s in syllables)}


def with_pinyin(label: str, row: Mapping[str, Any]) -> dict[str, Any]:
    """`row` with `pinyin` and `initials` filled from its name: importers call it on write."""
    out = dict(row)
    if label in PINYIN_LABELS and out.get("name") and not out.get("pinyin"):
        out.update(pinyin_of(out["name"]))
    return out


def fill_pinyin(g: Graph, *, labels: Sequence[str] = PINYIN_LABELS, batch: int = 1000) -> int:
    """Give every named node of `labels` still without pinyin its pinyin; how many were done.

    A backfill for graphs written before `with_pinyin` was called on write, a batch at a time.
    """
    done = 0
    for label in labels:
        key, todo = schema.label(label).key, {"pinyin": None, "name": Cond(Op.GT, "")}
        # Each page written leaves the set (its pinyin is set, "" at least), so the first page
        # of what is left is the next one.
        while page := next(g.pages(label, where=todo, size=batch), None):
            done += g.upsert_nodes(label, [{key: n.key, **pinyin_of(n.get("name"))}
                                           for n in page])
    return done
