"""Lists and details of every kind of object within one's reach (the browse pages, the API).

Lists go through the scoped `find`, so totals count only what one may see; a list takes the
filters people type (text in the name or title, a state, a region subtree) and builds the
store's filters here, never in a view. A detail is the object's properties (secrets dropped,
ID numbers masked), its visible neighbours, its lifecycle steps and its change history.
"""

from __future__ import annotations

from typing import Any

from collab.access import audit, regions
from collab.access import authz as access
from collab.access.authz import Authz
from collab.cases import lifecycle
from collab.errors import N_, NotFound, ValidationError
from collab.graph import schema
from collab.graph.codec import Node
from collab.graph.store import MAX_PAGE, Cond, Graph, Op, Page

PAGE = 50
# The property shown as an object's name, in order of preference.
TITLE_PROPS = ("name", "title")
# Labels whose lifecycle steps are kept as Event nodes.
TRACKED = tuple(x for _, x in schema.rel_type("EVENT_OF").pairs)


def title_prop(label: str) -> str | None:
    """The property that names an object of `label` (None: it is named by its key)."""
    props = schema.node_props(schema.label(label))
    return next((p for p in TITLE_PROPS if p in props), None)


def key_prop(label: str) -> str | None:
    """The property a list shows as each object's number (None: its key is an internal uid)."""
    key = schema.label(label).key
    return None if key == "uid" else key


def _in_reach(authz: Authz, label: str) -> str:
    if label not in authz.labels():
        raise NotFound("not found")
    return label


def _filters(label: str, *, text: str, status: str | None, region: str | None
             ) -> dict[str, Any]:
    """The store's filters for what a list was asked: text in the name or title (through the
    full-text index where the title has one), a state, a region subtree."""
    node = schema.label(label)
    props = schema.node_props(node)
    where: dict[str, Any] = {}
    shown = title_prop(label)
    if text and shown:
        where[shown] = Cond(Op.WORDS if shown in node.text else Op.CONTAINS, text)
    if status and "status" in props:
        where["status"] = status
    if region:
        prop = "code" if label == "Region" else "region_code"
        where[prop] = Cond(Op.PREFIX, regions.subtree_prefix(region))
    return where


def columns(label: str) -> list[str]:
    """The properties a list of `label` shows (and exports): number, name or title, state,
    region."""
    props = schema.node_props(schema.label(label))
    wanted = (key_prop(label), title_prop(label), "status",
              "code" if label == "Region" else "region_code")
    return list(dict.fromkeys(p for p in wanted if p and p in props))


def sortable(label: str) -> tuple[str, ...]:
    """The columns a list of `label` sorts by: its number and its indexed properties (never a
    property computed per row)."""
    node_type = schema.label(label)
    return tuple(p for p in (node_type.key, *node_type.indexed) if p != "uid")


def listing(g: Graph, *, authz: Authz, label: str, text: str = "", status: str | None = None,
            region: str | None = None, page: int = 1, size: int = PAGE,
            sort: str | None = None, descending: bool = False) -> Page:
    """One page of the objects of `label` within reach, filtered as asked, by `sort` (one of
    `sortable`; default the number)."""
    where = _filters(_in_reach(authz, label), text=text.strip(), status=status, region=region)
    key = schema.label(label).key
    if sort is not None and sort not in sortable(label):
        raise ValidationError(N_("a list of %(label)s cannot be sorted by %(sort)r"),
                              label=label, sort=sort)
    return access.find(g, authz=authz, label=label, where=where,
                       order_by=sort or (None if key == "uid" else key), descending=descending,
                       limit=size, offset=(page - 1) * size)


def everything(g: Graph, *, authz: Authz, label: str, cap: int, **filters: Any) -> list[Node]:
    """Every object a list with these filters shows, page after page, up to `cap` (a
    download of what the list shows)."""
    found: list[Node] = []
    number = 1
    while len(found) < cap:
        page = listing(g, authz=authz, label=label, page=number, size=MAX_PAGE, **filters)
        found += page.items
        if len(page.items) < MAX_PAGE:
            break
        number += 1
    return found[:cap]


def detail(g: Graph, *, authz: Authz, label: str, key: str) -> dict[str, Any]:
    """Everything a detail page shows about one object within reach (else not found)."""
    node = access.get(g, authz=authz, label=_in_reach(authz, label), key=key)
    return {"node": node, "props": access.visible_props(node),
            "neighbours": access.neighbours(g, authz=authz, node=node),
            "events": lifecycle.history(g, label, key) if label in TRACKED else [],
            "changes": audit.history(g, label=label, key=key)}
