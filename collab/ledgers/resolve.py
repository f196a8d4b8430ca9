"""Finding what a ledger row refers to: a unit by its code or its name, an issue by its number.

Lookups are batched (one query per few hundred values) and cached; nodes written earlier in the
same import (units before the issues that concern them) are `add`ed so later sheets find them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from collab.graph import schema
from collab.graph.store import Graph

_CHUNK = 500


class Resolver:
    """References by key or name, across the graph and this import's own rows."""

    def __init__(self, g: Graph):
        self._g = g
        self._by_key: dict[str, dict[str, dict[str, Any]]] = {}
        self._by_name: dict[str, dict[str, set[str]]] = {}
        self._asked: dict[str, set[str]] = {}
        self._transfers: dict[str, dict[str, str]] = {}

    def add(self, label: str, key: str, props: Mapping[str, Any]) -> None:
        """Make a node of this import findable by key and name."""
        merged = {**self._by_key.setdefault(label, {}).get(key, {}), **props}
        self._by_key[label][key] = merged
        if merged.get("name"):
            self._by_name.setdefault(label, {}).setdefault(merged["name"], set()).add(key)

    def prefetch(self, label: str, values: Iterable[str]) -> None:
        """Load the nodes these values name (as keys, then as names) in batches."""
        asked = self._asked.setdefault(label, set())
        todo = sorted({x for x in values if x} - asked)
        asked.update(todo)
        node = schema.label(label)
        self._fetch(label, node.key, todo)
        if "name" in node.props:
            known = self._by_key.get(label, {})
            self._fetch(label, "name", [x for x in todo if x not in known])

    def _fetch(self, label: str, prop: str, wanted: Sequence[str]) -> None:
        for i in range(0, len(wanted), _CHUNK):
            for n in self._g.nodes(label, where={prop: list(wanted[i:i + _CHUNK])}):
                self.add(label, n.key, n.props)

    def lookup(self, labels: Sequence[str], value: str) -> tuple[str, str, dict[str, Any]] | str:
        """(label, key, props) of the one node `value` names, else "missing" or "ambiguous"."""
        for label in labels:
            found = self._by_key.get(label, {}).get(value)
            if found is not None:
                return label, value, found
        matches = [(label, key) for label in labels
                   for key in sorted(self._by_name.get(label, {}).get(value, ()))]
        if len(matches) == 1:
            label, key = matches[0]
            return label, key, self._by_key[label][key]
        return "ambiguous" if matches else "missing"

    def prefetch_transfers(self, clue_nos: Iterable[str]) -> None:
        """Load the existing transfers of these clues: (clue, department) → transfer number."""
        wanted = sorted({n for n in clue_nos if n} - set(self._transfers))
        for no in wanted:
            self._transfers[no] = {}
        for i in range(0, len(wanted), _CHUNK):
            for t in self._g.nodes("Transfer", where={"clue_no": wanted[i:i + _CHUNK]}):
                self._transfers[t.get("clue_no")][t.get("department_code")] = t.key

    def transfer_key(self, clue_no: str, department_code: str) -> str:
        """The clue's transfer to that department: the existing one, else the next number.

        Transfers are numbered per clue, `{clue_no}/{n}`, as `collab.cases.clues.transfer`
        numbers them; a ledger row matches its transfer by clue and department.
        """
        mine = self._transfers.setdefault(clue_no, {})
        if department_code not in mine:
            used = [int(k.rsplit("/", 1)[1]) for k in mine.values()
                    if k.rsplit("/", 1)[-1].isdigit()]
            mine[department_code] = f"{clue_no}/{max(used, default=0) + 1}"
        return mine[department_code]
