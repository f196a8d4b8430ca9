"""The dashboard in at most three round trips, and its kept parts exact after every kind of write.

Every check compares what the dashboard answers (its parts kept under the write versions of
what they read) with what it answers once nothing is kept: after the seed generator writes a
village, after the clue and check services, and after a ledger import. Each write is also
seen to change what it should, so a cache that never refreshed would fail.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.access.idnumbers import IdKey
from collab.analysis import dashboard
from collab.cases import checks, clues
from collab.errors import NotFound
from collab.graph import kept
from collab.graph.store import Graph, Store
from collab.ledgers.importer import import_ledger, read_ledger
from seeds import synthetic

KEY = IdKey.from_secret(b"dashboard-tests-secret-of-32-byte")
ACTOR = Actor("王协调")
TODAY = date(2024, 6, 30)
PORT_CALLS = frozenset({"run", "versions", "find", "count", "get", "get_uid", "expand", "walk",
                        "follow", "shortest_paths", "scan", "lock", "pages", "nodes"})


class Counting:
    """The transaction it is given, counting the calls that reach the store (round trips)."""

    def __init__(self, g: Graph):
        self._g, self.calls = g, 0

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._g, name)
        if name in PORT_CALLS:
            def counted(*args: Any, **kwargs: Any) -> Any:
                self.calls += 1
                return found(*args, **kwargs)
            return counted
        return found


def views(county: str) -> list[tuple[Authz, str | None, int | None]]:
    """Whose dashboard, for which region and year: the whole deployment, a county's
    coordinator, a leader looking at the county, with and without a year."""
    whole, local = Authz(Actor("省巡察办")), Authz(Actor("县巡察办", region=county))
    leader = Authz(Actor("领导", role="leader"))
    return [(whole, None, None), (whole, None, 2023), (local, None, 2023),
            (leader, county, None), (local, county, 2024)]


def answer(store: Store, authz: Authz, region: str | None, year: int | None,
           ) -> tuple[dict[str, Any], int]:
    """The dashboard (or {"not found": region}) and how many round trips it took."""
    counting: list[Counting] = []

    def read(g: Graph) -> dict[str, Any]:
        counting.append(Counting(g))
        try:
            return dashboard.overview(counting[0], authz=authz, region=region,  # type: ignore[arg-type]
                                      year=year, as_of=TODAY)
        except NotFound:
            return {"not found": region}
    return store.read(read), counting[0].calls


def exact(store: Store, county: str) -> list[dict[str, Any]]:
    """Every view as kept (since the last write), then computed afresh: equal; computed in at
    most three round trips, and in one once kept."""
    as_kept = [answer(store, *view)[0] for view in views(county)]
    kept.forget()
    fresh = [answer(store, *view) for view in views(county)]
    for view, shown, (computed, trips) in zip(views(county), as_kept, fresh, strict=True):
        assert shown == computed, view[1:]
        assert trips <= 3
        assert answer(store, *view) == (computed, 1)
    return [computed for computed, _ in fresh]


@pytest.fixture
def village(store: Store) -> tuple[Store, str]:
    kept.forget()
    return store, "530171"


def test_kept_parts_are_exact_after_seeds_services_and_imports(
        village: tuple[Store, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store, county = village
    empty = exact(store, county)
    synthetic.load(store, scale="village", seed=5, key=KEY)  # the seed generator's writes
    seeded = exact(store, county)
    assert seeded[0]["figures"]["Issue"] > empty[0]["figures"]["Issue"] == 0
    assert seeded[0]["summary"]["issues"] > 0 and seeded[0]["by_region"]

    unit = store.find("Unit", where={"kind": "village_branch"}, order_by="code", limit=1).items[0]
    issue = store.find("Issue", order_by="no", limit=1).items[0]
    dept = store.find("Department", order_by="code", limit=1).items[0]
    store.write(lambda tx: clues.register(
        tx, actor=ACTOR, no="XS-DASH-1", title="新登记的线索", on=date(2023, 8, 1),
        region_code=unit.get("region_code"), category="民生保障", issue_no=issue.key))
    registered = exact(store, county)
    assert registered[0]["figures"]["Clue"] == seeded[0]["figures"]["Clue"] + 1
    sent = store.write(lambda tx: clues.transfer(
        tx, actor=ACTOR, clue="XS-DASH-1", to=dept.key, on=date(2023, 8, 2),
        letter_no="测〔2023〕1号"))
    transferred = exact(store, county)
    assert transferred[0]["summary"]["clues_transferred"] == \
        registered[0]["summary"]["clues_transferred"] + 1
    store.write(lambda tx: clues.accept(tx, actor=ACTOR, transfer_no=sent.key,
                                        on=date(2023, 8, 3)))
    store.write(lambda tx: clues.dispose(tx, actor=ACTOR, transfer_no=sent.key,
                                         disposal="verification", on=date(2023, 8, 4)))
    store.write(lambda tx: clues.file_case(tx, actor=ACTOR, transfer_no=sent.key,
                                           case_no="AJ-DASH-1", on=date(2023, 9, 1)))
    filed = exact(store, county)
    assert filed[0]["summary"]["cases_from_clues"] == \
        transferred[0]["summary"]["cases_from_clues"] + 1
    store.write(lambda tx: checks.create(
        tx, actor=ACTOR, no="JC-DASH-1", title="联合检查", start=date(2023, 10, 1),
        end=date(2023, 10, 30), on=date(2023, 10, 1), unit=unit.key))
    checked = exact(store, county)
    assert checked[1]["figures"]["JointCheck"] == filed[1]["figures"]["JointCheck"] + 1

    monkeypatch.setenv("COLLAB_ID_KEY", "cd" * 32)
    path = tmp_path / "问题台账.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([
            ["问题编号", "问题描述", "被巡察单位", "发现日期", "问题来源"],
            ["DASH-I-1", "导入的问题", unit.key, "2023-06-01", "走访"],
            ["DASH-I-2", "导入的问题二", unit.key, "2024-02-01", "信访"]])
    ledger = read_ledger(path)
    store.write(lambda tx: import_ledger(tx, actor=ACTOR, ledger=ledger, key=KEY))
    imported = exact(store, county)
    assert imported[0]["figures"]["Issue"] == checked[0]["figures"]["Issue"] + 2
    assert imported[1]["summary"]["issues"] == checked[1]["summary"]["issues"] + 1


def test_a_write_of_another_kind_leaves_the_kept_parts_standing(
        village: tuple[Store, str]) -> None:
    store, county = village
    synthetic.load(store, scale="village", seed=5, key=KEY)
    whole = Authz(Actor("省巡察办"))
    first, _ = answer(store, whole, None, 2023)
    unit = store.find("Unit", where={"kind": "village_branch"}, order_by="code", limit=1).items[0]
    store.write(lambda tx: checks.create(
        tx, actor=ACTOR, no="JC-DASH-2", title="联合检查", start=date(2023, 10, 1),
        end=date(2023, 10, 30), on=date(2023, 10, 1), unit=unit.key))
    second, trips = answer(store, whole, None, 2023)
    assert trips == 2  # the versions, then the checks' counts alone: the summary was kept
    assert second["figures"]["JointCheck"] == first["figures"]["JointCheck"] + 1
    assert second["summary"] == first["summary"]


def test_a_liaison_sees_its_own_department_and_no_region(village: tuple[Store, str]) -> None:
    store, county = village
    synthetic.load(store, scale="village", seed=5, key=KEY)
    dept = store.find("Department", order_by="code", limit=1).items[0]
    liaison = Authz(Actor("联络员", role="liaison", department=dept.key))
    shown, _ = answer(store, liaison, None, None)
    assert set(shown["figures"]) == {"Clue", "Transfer", "Case", "JointCheck"}
    assert shown["summary"] is None and shown["by_region"] == []
    assert answer(store, liaison, county, None)[0] == {"not found": county}
