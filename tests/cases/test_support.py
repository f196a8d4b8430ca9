"""The collaboration record: support acts recorded, and counted per region, round and period."""

from __future__ import annotations

from datetime import date

import pytest

from collab.access.actors import Actor
from collab.cases import support
from collab.errors import ConflictError, NotFound, ValidationError
from collab.graph.store import Store

COORD = Actor("王协调")


@pytest.fixture
def record(store: Store) -> Store:
    store.upsert_nodes("Department", [
        {"code": "D-SJ", "name": "保山市审计局", "region_code": "530500"},
        {"code": "D-JW", "name": "文山州纪委监委", "region_code": "532600"}])
    store.upsert_nodes("Round", [{"code": "R-WS-10", "name": "十届州委第十轮巡察",
                                  "region_code": "532600"}])
    acts = [("S-1", "D-SJ", "secondment", date(2023, 3, 1), None),
            ("S-2", "D-SJ", "secondment", date(2023, 6, 1), None),
            ("S-3", "D-SJ", "consultation", date(2023, 7, 1), None),
            ("S-4", "D-SJ", "briefing", date(2022, 12, 1), None),
            ("S-5", "D-JW", "briefing", date(2023, 9, 1), "R-WS-10"),
            ("S-6", "D-JW", "evaluation", date(2023, 10, 1), None)]
    for no, dept, kind, on, rnd in acts:
        store.write(lambda tx, no=no, dept=dept, kind=kind, on=on, rnd=rnd: support.record(
            tx, actor=COORD, no=no, department=dept, kind=kind, on=on, round_code=rnd))
    return store


def test_counts_per_region_round_and_period(record: Store) -> None:
    year = {"start": date(2023, 1, 1), "end": date(2023, 12, 31)}
    baoshan = support.counts(record, region="530500", **year)
    assert [(r["name"], r["kind"], r["n"]) for r in baoshan] == [
        ("保山市审计局", "consultation", 1), ("保山市审计局", "secondment", 2)]
    assert support.totals(support.counts(record, **year)) == {
        "consultation": 1, "secondment": 2, "briefing": 1, "evaluation": 1}
    in_round = support.counts(record, round_code="R-WS-10")
    assert [(r["department"], r["kind"], r["n"]) for r in in_round] == [
        ("D-JW", "briefing", 1)]
    assert support.counts(record, region="530600") == []
    node = record.get("Support", "S-5")
    assert node is not None and node.get("region_code") == "532600"
    assert node.get("title") == "文山州纪委监委巡前通报"


def test_bad_acts_are_refused(record: Store) -> None:
    def add(**kw: object) -> None:
        args = {"no": "S-9", "department": "D-SJ", "kind": "briefing",
                "on": date(2023, 1, 1), **kw}
        record.write(lambda tx: support.record(tx, actor=COORD, **args))

    with pytest.raises(ValidationError, match="unknown support kind"):
        add(kind="lunch")
    with pytest.raises(NotFound, match="no department"):
        add(department="D-404")
    with pytest.raises(NotFound, match="no round"):
        add(round_code="R-404")
    with pytest.raises(ConflictError, match="already recorded"):
        add(no="S-1")
    assert record.count("Support") == 6
