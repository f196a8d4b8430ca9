"""Units by region: the region tree (province → prefecture → county → township) with the
number of units in each subtree, and the units below a chosen region, page by page.

Everything goes through the scoped `authz` reads, so the tree starts at the actor's own
region and counts only units it may see; a region outside its reach is `NotFound`. A liaison
(whose reach is its department's objects, not a region) and the admin roles get no tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from collab.access import authz as access
from collab.access import regions
from collab.access.authz import Authz
from collab.errors import N_, NotFound
from collab.graph.codec import Node
from collab.graph.store import Cond, Graph, Op, Page

# The level below each level the tree shows; villages are counted but not listed as branches.
BELOW = {"province": "prefecture", "prefecture": "county", "county": "township"}
_MAX_CHILDREN = 500


@dataclass(frozen=True)
class Branch:
    """One region of the tree: its unit count, and its children when it lies on the open path."""

    code: str
    name: str
    level: str
    units: int
    children: tuple[Branch, ...] = ()
    open: bool = False
    selected: bool = False


def _require(authz: Authz) -> None:
    if not {"Region", "Unit"} <= set(authz.listable()):
        raise NotFound(N_("not found"))


def _units_below(code: str) -> dict[str, Cond]:
    return {"region_code": Cond(Op.PREFIX, regions.subtree_prefix(code))}


def _roots(g: Graph, authz: Authz) -> list[Node]:
    if authz.actor.region is not None:
        return [access.get(g, authz=authz, label="Region", key=authz.actor.region)]
    return access.find(g, authz=authz, label="Region", where={"level": "province"},
                       order_by="code", limit=_MAX_CHILDREN).items


def _branch(g: Graph, authz: Authz, node: Node, selected: str | None) -> Branch:
    """`node` with its count; opened (children listed) if `selected` lies in its subtree."""
    on_path = selected is not None and regions.within(selected, node.key)
    below = BELOW.get(node.get("level"))
    children: tuple[Branch, ...] = ()
    if on_path and below is not None:
        found = access.find(g, authz=authz, label="Region", order_by="code",
                            where={"level": below, "code": Cond(
                                Op.PREFIX, regions.subtree_prefix(node.key))},
                            limit=_MAX_CHILDREN).items
        children = tuple(_branch(g, authz, child, selected) for child in found
                         if child.key != node.key)
    return Branch(node.key, node.get("name") or node.key, node.get("level") or "",
                  access.count(g, authz=authz, label="Unit", where=_units_below(node.key)),
                  children, on_path, node.key == selected)


def tree(g: Graph, *, authz: Authz, selected: str | None = None) -> list[Branch]:
    """The tree from the actor's root(s), opened down to `selected` (default: the first root)."""
    _require(authz)
    roots = _roots(g, authz)
    if selected is None and roots:
        selected = roots[0].key
    elif selected is not None:
        access.get(g, authz=authz, label="Region", key=selected)
    return [_branch(g, authz, root, selected) for root in roots]


def page(g: Graph, *, authz: Authz, region: str | None, limit: int = 50,
         offset: int = 0) -> dict[str, Any]:
    """The tree opened down to `region` (default: the actor's first root), the region chosen
    and one page of its units."""
    found = tree(g, authz=authz, selected=region)
    chosen = region or (found[0].code if found else None)
    units = units_in(g, authz=authz, region=chosen, limit=limit, offset=offset) \
        if chosen else None
    return {"tree": found, "chosen": chosen, "page": units}


def units_in(g: Graph, *, authz: Authz, region: str, limit: int = 50,
             offset: int = 0) -> Page:
    """One page of the units in `region`'s subtree that the actor may see, by code."""
    _require(authz)
    access.get(g, authz=authz, label="Region", key=region)
    return access.find(g, authz=authz, label="Unit", where=_units_below(region),
                       order_by="code", limit=limit, offset=offset)
