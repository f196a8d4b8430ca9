"""Finding what a ledger row refers to: a unit by its code or its name, an issue by its number.

Lookups are batched (one query per few hundred values) and cached; nodes written earlier in the
same import (units before the issues that concern them) are `add`ed so later sheets find them.
Only what the importer may see is found: a record outside its reach is as missing as one that
does not exist. A name not found as written is tried in the forms clerks use
(`collab.ledgers.names`): a unit without 中共 or its party-organisation ending, a village as
村委会 or 村民委员会, a department named relative to the importer's region.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from collab.access import regions
from collab.graph import schema
from collab.graph.codec import Node
from collab.graph.store import Cond, Graph, Op
from collab.ledgers import names

_CHUNK = 500


class Resolver:
    """References by key or name, across the graph and this import's own rows."""

    def __init__(self, g: Graph, visible: Callable[[Node], bool] = lambda node: True,
                 region: str | None = None):
        self._g = g
        self._visible = visible
        self.region = region
        self._chain: list[tuple[str, str]] | None = None
        self._tolerant: dict[str, dict[str, set[str]]] = {}
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
        if "name" in node.props and label != "Person":  # people by number, never by name
            known = self._by_key.get(label, {})
            self._fetch(label, "name", [x for x in todo if x not in known])

    def _fetch(self, label: str, prop: str, wanted: Sequence[str]) -> None:
        if prop == "uid":  # labels keyed by uid (people) are fetched one by one
            found = (self._g.get(label, uid) for uid in wanted)
            for n in found:
                if n is not None and self._visible(n):
                    self.add(label, n.key, n.props)
            return
        for i in range(0, len(wanted), _CHUNK):
            for n in self._g.nodes(label, where={prop: list(wanted[i:i + _CHUNK])}):
                if self._visible(n):
                    self.add(label, n.key, n.props)

    def lookup(self, labels: Sequence[str], value: str) -> tuple[str, str, dict[str, Any]] | str:
        """(label, key, props) of the one node `value` names, else "missing" or "ambiguous"."""
        for label in labels:
            found = self._by_key.get(label, {}).get(value)
            if found is not None:
                return label, value, found
        matches = self.matches(labels, value)
        if len(matches) == 1:
            label, key = matches[0]
            return label, key, self._by_key[label][key]
        return "ambiguous" if matches else "missing"

    def matches(self, labels: Sequence[str], value: str) -> list[tuple[str, str]]:
        """(label, key) of every node `value` names: as written, else in a clerk's forms."""
        exact = [(label, key) for label in labels
                 for key in sorted(self._by_name.get(label, {}).get(value, ()))]
        if exact:
            return exact
        return [(label, key) for label in labels for key in self._tolerant_matches(label, value)]

    def name_of(self, label: str, key: str) -> str:
        return str(self._by_key.get(label, {}).get(key, {}).get("name") or key)

    # --- names in a clerk's forms -----------------------------------------------------------
    def chain(self) -> list[tuple[str, str]]:
        """(level, name) of the importer's region and those above it, nearest first."""
        if self._chain is None:
            self._chain = []
            for code in _ancestors(self.region) if self.region else ():
                node = self._g.get("Region", code)
                if node is not None:
                    self._chain.append((str(node.get("level") or ""), str(node.get("name"))))
        return self._chain

    def _tolerant_matches(self, label: str, value: str) -> list[str]:
        if label == "Department":
            candidates = names.department_candidates(value, self.chain())
            self._fetch(label, "name", [c for c in candidates
                                        if c not in self._by_name.get(label, {})])
            return sorted({k for c in candidates for k in self._by_name.get(label, {}).get(c, ())})
        if label not in ("Unit", "Region"):
            return []
        index = self._tolerant.get(label)
        if index is None:
            index = self._tolerant[label] = self._index(label)
        return sorted(index.get(self._form(label, value), ()))

    def foreign(self, text: str) -> bool:
        """Whether a unit's name starts with a county or prefecture outside the importer's
        region (中共砚山县江那镇委员会 in 富宁县's ledger): not to be created here."""
        if self.region is None:
            return False
        ours = {p for _, n in self.chain() for p in (names.plain(n), names.short_region_name(n))}
        return any(p not in ours for p in names.places_named(text))

    def place_in(self, text: str) -> str | None:
        """The code of the deepest region in scope that `text` (a unit's name) names, else the
        importer's own region (None for the whole jurisdiction)."""
        if "Region" not in self._tolerant:
            self._tolerant["Region"] = self._index("Region")
        best: tuple[int, int, str] | None = None
        plain = names.unit_key(text)
        for code, props in self._by_key.get("Region", {}).items():
            name = str(props.get("name") or "")
            for form in {name, names.place_key(name)}:
                if len(form) >= 2 and form in plain:
                    score = (len(code), len(form), code)
                    best = score if best is None or score > best else best
        return best[2] if best else self.region

    def _form(self, label: str, name: str) -> str:
        if label == "Region":
            return names.place_key(name)
        places = [p for _, n in self.chain() for p in (n, names.short_region_name(n))]
        return names.unit_key(name, places)

    def _index(self, label: str) -> dict[str, set[str]]:
        """Every visible node of `label` in the importer's scope, by its compared form."""
        prop = "code" if label == "Region" else "region_code"
        where = {prop: Cond(Op.PREFIX, regions.subtree_prefix(self.region))} if self.region \
            else None
        index: dict[str, set[str]] = {}
        offset = 0
        while True:
            page = self._g.find(label, where=where, order_by=None, limit=1000, offset=offset)
            for n in page.items:
                if n.get("name") and self._visible(n):
                    self.add(label, n.key, n.props)
                    index.setdefault(self._form(label, n.get("name")), set()).add(n.key)
            offset += len(page.items)
            if offset >= page.total or not page.items:
                return index

    def prefetch_transfers(self, clue_nos: Iterable[str]) -> None:
        """Load the existing transfers of these clues: (clue, department) → transfer number."""
        wanted = sorted({n for n in clue_nos if n} - set(self._transfers))
        for no in wanted:
            self._transfers[no] = {}
        for i in range(0, len(wanted), _CHUNK):
            for t in self._g.nodes("Transfer", where={"clue_no": wanted[i:i + _CHUNK]}):
                if self._visible(t):
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


def _ancestors(code: str) -> list[str]:
    """The region code and the codes of the regions above it, nearest first."""
    out = [code]
    if len(code) == 12:
        out.append(code[:9])
    if len(code) >= 9:
        out.append(code[:6])
    county = out[-1]
    if county[4:] != "00":
        out.append(county[:4] + "00")
    if county[2:] != "0000":
        out.append(county[:2] + "0000")
    return list(dict.fromkeys(out))
