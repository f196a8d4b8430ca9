"""Departments: the system admin creates and edits them; their feedback term drives transfers."""

from __future__ import annotations

from datetime import date

import pytest

from collab.access.actors import Actor
from collab.access.authz import Authz, Role
from collab.cases import clues, departments
from collab.errors import ConflictError, NotFound, ValidationError
from collab.graph.store import Store

SYSTEM = Authz(Actor("sys.admin", Role.SYSTEM_ADMIN))
COORD = Actor("wang.fang", Role.COORDINATOR, "532600")


def regions_and_a_clue(store: Store) -> None:
    store.upsert_nodes("Region", [{"code": "532600", "name": "文山壮族苗族自治州",
                                   "level": "prefecture"},
                                  {"code": "532628", "name": "富宁县", "level": "county"}])
    store.write(lambda tx: clues.register(tx, actor=COORD, no="XS-1", title="截留养老金",
                                          on=date(2024, 3, 1), region_code="532628"))


def create(store: Store, code: str = "D532628-SJ", **kw) -> None:
    row = {"name": "富宁县审计局", "kind": "audit", "region_code": "532628", **kw}
    store.write(lambda tx: departments.create(tx, authz=SYSTEM, code=code, **row))


def test_a_departments_feedback_days_set_its_transfers_due_date(store: Store) -> None:
    regions_and_a_clue(store)
    create(store, feedback_days=15)
    node = store.get("Department", "D532628-SJ")
    assert (node.get("name"), node.get("kind"), node.get("feedback_days")) == \
        ("富宁县审计局", "audit", 15)
    assert node.get("initials") == "fnxsjj"
    assert store.expand([node.uid], types=["IN_REGION"]).nodes[-1].key == "532628"
    moved = store.write(lambda tx: clues.transfer(tx, actor=COORD, clue="XS-1",
                                                  to="D532628-SJ", on=date(2024, 3, 5),
                                                  letter_no="富纪移〔2024〕1号"))
    assert moved.get("feedback_due") == date(2024, 3, 20)


def test_editing_changes_name_kind_and_term_and_empty_means_the_default(store: Store) -> None:
    regions_and_a_clue(store)
    create(store, feedback_days=15)
    store.write(lambda tx: departments.update(tx, authz=SYSTEM, code="D532628-SJ",
                                              name="富宁县财政局", kind="finance",
                                              feedback_days=None))
    node = store.get("Department", "D532628-SJ")
    assert (node.get("name"), node.get("kind"), node.get("feedback_days")) == \
        ("富宁县财政局", "finance", None)
    assert node.get("initials") == "fnxczj" and node.get("region_code") == "532628"
    moved = store.write(lambda tx: clues.transfer(tx, actor=COORD, clue="XS-1",
                                                  to="D532628-SJ", on=date(2024, 3, 5),
                                                  letter_no="富纪移〔2024〕2号"))
    assert moved.get("feedback_due") == date(2024, 4, 4)  # DEFAULT_FEEDBACK_DAYS = 30
    page = store.read(lambda tx: departments.listing(tx, authz=SYSTEM, region="532600"))
    assert [d.key for d in page.items] == ["D532628-SJ"] and page.total == 1


@pytest.mark.parametrize("change, error", [
    ({"code": "D 1"}, ValidationError), ({"name": " "}, ValidationError),
    ({"kind": "bakery"}, ValidationError), ({"feedback_days": 0}, ValidationError),
    ({"feedback_days": 366}, ValidationError), ({"region_code": "532699"}, ValidationError),
    ({"region_code": "5326"}, ValidationError), ({"code": "D532628-SJ"}, ConflictError)])
def test_bad_departments_are_refused_and_nothing_is_written(store: Store, change: dict,
                                                             error: type) -> None:
    regions_and_a_clue(store)
    create(store)
    before = store.count("Department")
    with pytest.raises(error):
        create(store, **{"code": "D532628-RS", **change})
    assert store.count("Department") == before
    assert store.get("Department", "D532628-SJ").get("name") == "富宁县审计局"


def test_only_the_system_admin_manages_departments(store: Store) -> None:
    regions_and_a_clue(store)
    for role, region in ((Role.SECURITY_ADMIN, None), (Role.COORDINATOR, "532600"),
                         (Role.AUDIT_ADMIN, None)):
        other = Authz(Actor("x", role, region))
        with pytest.raises(NotFound):
            store.write(lambda tx, a=other: departments.create(
                tx, authz=a, code="D532628-RS", name="人社局", kind=None,
                region_code="532628"))
        with pytest.raises(NotFound):
            store.read(lambda tx, a=other: departments.listing(tx, authz=a))
    with pytest.raises(NotFound):
        store.write(lambda tx: departments.update(tx, authz=SYSTEM, code="NO-SUCH",
                                                  name="某局", kind=None, feedback_days=None))
    assert store.count("Department") == 0
