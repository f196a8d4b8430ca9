"""Reference data sets (数据集): lists other departments share for supervision, kept as a whole.

A data set is imported once (`collab.ledgers.datasets`) and kept: its name, kind, source
department, date, the region it covers, and who may use it — the roles and the regions named on
it (`Authz.may_use`). Each row is a `DataRecord`, linked to its set (OF_SET) and, where the row
carries a valid ID number, to the Person that number names (NAMES), matched by the keyed hash:
the plain number is never stored. Models join data sets through those Person nodes, so a
deceased list, a payment list and the clue graph meet at the same people.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from collab.access import regions
from collab.access.authz import Authz, Perm, Role
from collab.errors import N_, NotFound, ValidationError
from collab.graph.codec import Node
from collab.graph.store import Graph, Page


@dataclass(frozen=True)
class DataSetKind:
    """A kind of list: its code and how people name it."""

    code: str
    zh: str
    en: str


KINDS: Mapping[str, DataSetKind] = {k.code: k for k in (
    DataSetKind("roster", "人员花名册", "roster of residents"),
    DataSetKind("payment", "补贴/养老金发放名单", "payment list (subsidies, pensions)"),
    DataSetKind("deceased", "死亡人口名单", "deceased persons"),
    DataSetKind("public_servant", "财政供养人员名单", "public servants (state-funded staff)"),
    DataSetKind("low_income", "低保/特困救助对象名单", "low-income and assistance recipients"),
)}
# Who may use a new data set unless the importer says otherwise.
DEFAULT_ROLES = (Role.COORDINATOR.value, Role.INSPECTOR.value, Role.LEADER.value)
USER_ROLES = (Role.COORDINATOR.value, Role.INSPECTOR.value, Role.LEADER.value)
_PAGE = 1000


def kind(code: str) -> DataSetKind:
    """The data set kind called `code`, or a ValidationError listing them."""
    try:
        return KINDS[code]
    except KeyError:
        raise ValidationError(N_("unknown data set kind %(kind)r; known: %(kinds)s"), kind=code,
                              kinds=", ".join(KINDS)) from None


def check_access(authz: Authz, *, region_code: str, roles: Sequence[str],
                 regions_: Sequence[str]) -> tuple[list[str], list[str]]:
    """The roles and regions a set may be used by, checked: known case-work roles, region
    codes inside the actor's jurisdiction, and always the actor's own role (else it could not
    see what it imports; the console's operator sees every data set anyway)."""
    unknown = [r for r in roles if r not in USER_ROLES]
    if unknown:
        raise ValidationError(N_("a data set can be used by %(roles)s, not %(unknown)s"),
                              roles=", ".join(USER_ROLES), unknown=", ".join(unknown))
    for code in [region_code, *regions_]:
        regions.check_code(code)
        if authz.actor.region is not None and not regions.within(code, authz.actor.region):
            raise ValidationError(N_("region %(code)s is outside your jurisdiction"), code=code)
    own = [str(authz.role)] if str(authz.role) in USER_ROLES else []
    chosen = list(dict.fromkeys([*own, *roles]))
    return chosen, list(dict.fromkeys(regions_ or [region_code]))


def get(g: Graph, *, authz: Authz, code: str) -> Node:
    """A data set this actor may use, else NotFound (as if it did not exist)."""
    authz.require(Perm.VIEW_MODELS)
    node = g.get("DataSet", code)
    if node is None or not authz.may_use(node):
        raise NotFound(N_("no data set %(code)r"), code=code)
    return node


def usable(g: Graph, *, authz: Authz, kinds: Iterable[str] | None = None) -> list[Node]:
    """The data sets (of these kinds) this actor may use, by code."""
    authz.require(Perm.VIEW_MODELS)
    where = {"kind": list(kinds)} if kinds is not None else None
    out: list[Node] = []
    while True:
        page: Page = g.find("DataSet", where=where, order_by="code", limit=_PAGE,
                            offset=len(out))
        out += page.items
        if not page.items or len(out) >= page.total:
            return [n for n in out if authz.may_use(n)]


def set_access(g: Graph, *, authz: Authz, code: str, roles: Sequence[str],
               regions_: Sequence[str]) -> Node:
    """Change who may use a data set (its importer's roles, regions within its scope)."""
    authz.require(Perm.MANAGE_DATASETS)
    node = g.lock("DataSet", code)
    if node is None or not authz.may_use(node):
        raise NotFound(N_("no data set %(code)r"), code=code)
    chosen, where = check_access(authz, region_code=node.get("region_code"), roles=roles,
                                 regions_=regions_)
    g.upsert_nodes("DataSet", [{"code": code, "roles": chosen, "regions": where}])
    return g.get("DataSet", code)  # type: ignore[return-value]
