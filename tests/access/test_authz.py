"""Jurisdiction: region subtrees, a liaison's own department, admin roles seeing no cases."""

from __future__ import annotations

import pytest
from web.scenario import ACCOUNTS, CLUES_SEEN, DEPARTMENTS, FULL_ID, authz_for, build

from collab.access import authz as access
from collab.access.actors import Actor
from collab.access.authz import Authz, Perm, Role
from collab.errors import NotFound, ValidationError
from collab.graph.store import Cond, Op, Store


@pytest.fixture
def scenario(store: Store) -> Store:
    store.write(build)
    return store


def test_lists_and_counts_hold_exactly_the_allowed_clues(scenario: Store) -> None:
    for name in ACCOUNTS:
        authz = authz_for(name)
        if "Clue" not in authz.listable():
            with pytest.raises(NotFound):
                scenario.read(lambda tx, a=authz: access.find(tx, authz=a, label="Clue"))
            continue
        page = scenario.read(lambda tx, a=authz: access.find(tx, authz=a, label="Clue"))
        assert {n.key for n in page.items} == CLUES_SEEN[name], name
        assert page.total == len(CLUES_SEEN[name])
        assert scenario.read(lambda tx, a=authz: access.count(tx, authz=a, label="Clue")) \
            == len(CLUES_SEEN[name])


@pytest.mark.parametrize("name", list(ACCOUNTS))
def test_every_clue_outside_scope_is_not_found(scenario: Store, name: str) -> None:
    authz = authz_for(name)
    for no in ("XS-2023-0001", "WS-2023-0002", "ZT-2023-0001", "NO-SUCH-CLUE"):
        if no in CLUES_SEEN[name]:
            assert scenario.read(lambda tx, n=no: access.get(tx, authz=authz, label="Clue",
                                                             key=n)).key == no
        else:
            with pytest.raises(NotFound) as refused:
                scenario.read(lambda tx, n=no: access.get(tx, authz=authz, label="Clue", key=n))
            assert str(refused.value) == "not found"


def test_a_liaison_sees_its_department_and_what_hangs_off_it(scenario: Store) -> None:
    liaison = authz_for("liaison")

    def keys(label: str) -> set[str]:
        return {n.key for n in scenario.read(
            lambda tx: access.find(tx, authz=liaison, label=label)).items}

    assert keys("Transfer") == {"XS-2023-0001/1"}
    assert keys("Case") == {"WS-CASE-0001"}
    assert keys("JointCheck") == {"JC-0001"}
    seen = {("Person", "P-SYN-0001"), ("Issue", "WS-2023-0001"), ("Department", "D532628-JW")}
    hidden = {("Person", "P-SYN-0002"), ("Person", "P-SYN-ZT1"), ("Department", "D532600-ZZB"),
              ("Unit", "U532628107"), ("Region", "532600"), ("Transfer", "WS-2023-0002/1")}
    for label, key in seen:
        scenario.read(lambda tx, lb=label, k=key: access.get(tx, authz=liaison, label=lb, key=k))
    for label, key in hidden:
        with pytest.raises(NotFound):
            scenario.read(lambda tx, lb=label, k=key: access.get(tx, authz=liaison, label=lb,
                                                                 key=k))
    with pytest.raises(NotFound):
        scenario.read(lambda tx: access.find(tx, authz=liaison, label="Issue"))


def test_region_filters_cannot_widen_the_scope(scenario: Store) -> None:
    coord = authz_for("coord")

    def total(where: dict) -> int:
        return scenario.read(lambda tx: access.find(tx, authz=coord, label="Clue",
                                                    where=where)).total

    assert total({"region_code": Cond(Op.PREFIX, "53")}) == 2
    assert total({"region_code": Cond(Op.PREFIX, "5306")}) == 0
    assert total({"region_code": Cond(Op.PREFIX, "532622")}) == 1
    assert total({"region_code": "530602"}) == 0
    assert total({"region_code": "532622100"}) == 1


def test_admin_roles_see_no_case_content(scenario: Store) -> None:
    for name in ("sys", "sec", "aud"):
        authz = authz_for(name)
        for label in ("Clue", "Case", "Person", "Issue"):
            with pytest.raises(NotFound):
                scenario.read(lambda tx, a=authz, lb=label: access.find(tx, authz=a, label=lb))
    assert authz_for("sys").can(Perm.MANAGE_USERS) and not authz_for("sys").can(Perm.READ_AUDIT)
    assert authz_for("sec").can(Perm.MANAGE_ACCESS) and not authz_for("sec").can(
        Perm.MANAGE_USERS)
    assert [p for p in Perm if authz_for("aud").can(p)] == [Perm.READ_AUDIT]
    departments = scenario.read(lambda tx: access.find(tx, authz=authz_for("sys"),
                                                       label="Department"))
    assert departments.total == len(DEPARTMENTS)


def test_neighbours_never_show_a_foreign_node(scenario: Store) -> None:
    liaison = authz_for("liaison")
    clue = scenario.get("Clue", "XS-2023-0001")
    around = scenario.read(lambda tx: access.neighbours(tx, authz=liaison, node=clue))
    shown = {(n.label, n.key) for _, n in around}
    assert ("Transfer", "XS-2023-0001/1") in shown and ("Case", "WS-CASE-0001") in shown
    assert all(scenario.read(lambda tx, n=n: liaison.sees(tx, n)) for _, n in around)
    coord = authz_for("coord")
    department = scenario.get("Department", "D532628-JW")
    around = scenario.read(lambda tx: access.neighbours(tx, authz=coord, node=department))
    assert all(n.get("region_code", n.get("code", "")).startswith("5326") for _, n in around)


def test_visible_props_drop_secrets_and_mask_id_numbers(scenario: Store) -> None:
    person = scenario.get("Person", "P-SYN-0001")
    props = access.visible_props(person)
    assert "id_hash" not in props and "id_enc" not in props
    assert FULL_ID not in str(props) and "532628********123X" in props["note"]


def test_bad_actors_are_refused() -> None:
    with pytest.raises(ValidationError):
        Authz(Actor("x", "superuser"))
    with pytest.raises(ValidationError):
        Authz(Actor("x", Role.LIAISON))
    with pytest.raises(ValidationError):
        Authz(Actor("x", Role.COORDINATOR, region="53' OR 1=1"))
