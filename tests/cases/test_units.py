"""Units by region: the tree opens down to a region, counts units in subtrees, stays in reach."""

from __future__ import annotations

import pytest

from collab.access.actors import Actor
from collab.access.authz import Authz, Role
from collab.cases import units
from collab.errors import NotFound
from collab.graph.store import Store

REGIONS = [("530000", "云南省", "province"), ("530600", "昭通市", "prefecture"),
           ("530602", "昭阳区", "county"), ("532600", "文山壮族苗族自治州", "prefecture"),
           ("532622", "砚山县", "county"), ("532628", "富宁县", "county"),
           ("532622100", "江那镇", "township"), ("532628107", "那能乡", "township"),
           ("532628107201", "那能村", "village")]
# unit code -> region code: units at every level, a village one counted in its township.
UNITS = {"U532600": "532600", "U532628": "532628", "U532628107": "532628107",
         "U532628107201": "532628107201", "U532622100": "532622100", "U530602": "530602"}


def province(store: Store) -> None:
    store.upsert_nodes("Region", [{"code": c, "name": n, "level": lv} for c, n, lv in REGIONS])
    store.upsert_nodes("Unit", [{"code": u, "name": "单位" + u, "region_code": r}
                                for u, r in UNITS.items()])


def who(role: Role, region: str | None = None, department: str | None = None) -> Authz:
    return Authz(Actor("x", role, region, department))


def flat(branches: list[units.Branch]) -> dict[str, tuple[int, bool]]:
    out: dict[str, tuple[int, bool]] = {}
    for b in branches:
        out[b.code] = (b.units, b.open)
        out.update(flat(list(b.children)))
    return out


def test_the_tree_opens_down_to_the_chosen_region_with_subtree_counts(store: Store) -> None:
    province(store)
    tree = store.read(lambda tx: units.tree(tx, authz=who(Role.COORDINATOR),
                                            selected="532628"))
    assert flat(tree) == {"530000": (6, True), "530600": (1, False), "532600": (5, True),
                          "532622": (1, False), "532628": (3, True),
                          "532628107": (2, False)}
    assert [b.code for b in tree[0].children] == ["530600", "532600"]
    assert tree[0].children[1].children[1].selected
    page = store.read(lambda tx: units.units_in(tx, authz=who(Role.COORDINATOR),
                                                region="532628", limit=2))
    assert page.total == 3 and [u.key for u in page.items] == ["U532628", "U532628107"]


def test_a_prefecture_sees_its_own_subtree_only(store: Store) -> None:
    province(store)
    wenshan = who(Role.LEADER, "532600")
    tree = store.read(lambda tx: units.tree(tx, authz=wenshan))
    assert flat(tree) == {"532600": (5, True), "532622": (1, False), "532628": (3, False)}
    for outside in ("530000", "530600", "530602"):
        with pytest.raises(NotFound):
            store.read(lambda tx, r=outside: units.tree(tx, authz=wenshan, selected=r))
        with pytest.raises(NotFound):
            store.read(lambda tx, r=outside: units.units_in(tx, authz=wenshan, region=r))


@pytest.mark.parametrize("role", [Role.LIAISON, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN,
                                  Role.AUDIT_ADMIN])
def test_roles_without_a_regional_reach_get_no_tree(store: Store, role: Role) -> None:
    province(store)
    authz = who(role, department="D532628-JW" if role == Role.LIAISON else None)
    with pytest.raises(NotFound):
        store.read(lambda tx: units.tree(tx, authz=authz))
    with pytest.raises(NotFound):
        store.read(lambda tx: units.units_in(tx, authz=authz, region="532628"))
