"""Supervision models over a synthetic county with planted instances: every planted instance is
found, no near-miss is, and both engines find the same hits, with the same evidence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.access.idnumbers import IdKey
from collab.analysis.models import MODELS, runner
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Direction, Store
from seeds import planted, synthetic

KEY = IdKey.from_secret(b"models-tests-secret-of-32-bytes!")
SEED = 5
EVERYWHERE = Authz(Actor("模型测试", "coordinator"))
Hits = dict[str, dict[str, Any]]


def snapshot(store: Store, results: list[runner.RunResult]) -> Hits:
    """Every hit of the runs: its model, facts, region, subject and evidence (label, key, role)."""
    out: Hits = {}
    for result in results:
        for no in result.hit_nos:
            hit = store.get("ModelHit", no)
            around = store.expand([hit.uid], types=["EVIDENCE"], direction=Direction.OUT,
                                  limit=100)
            by_uid = {n.uid: n for n in around.nodes}
            out[no] = {"model": hit.get("model"), "facts": json.loads(hit.get("facts")),
                       "region": hit.get("region_code"), "subject": hit.get("subject"),
                       "evidence": sorted((by_uid[r.dst].label, by_uid[r.dst].key,
                                           r.props.get("role")) for r in around.rels)}
    return out


class _Undo(Exception):
    """Raised to roll a transaction back: what the test ran leaves nothing behind."""


def undone(store: Store, fn: Any) -> Any:
    """`fn(tx)` in a transaction that is rolled back; its result."""
    out = []
    with pytest.raises(_Undo):
        with store.transaction() as tx:
            out.append(fn(tx))
            raise _Undo
    return out[0]


def _county(store: Store) -> tuple[Store, Hits, list[runner.RunResult]]:
    synthetic.load(store, scale="county", seed=SEED, key=KEY)
    results = store.write(lambda tx: runner.run(tx, authz=EVERYWHERE, as_of=planted.AS_OF))
    return store, snapshot(store, results), results


@pytest.fixture(scope="module")
def county(module_store: Store) -> tuple[Store, Hits, list[runner.RunResult]]:
    """The county, its models run once as of the planted date, on each engine in turn."""
    return _county(module_store)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hits]:
    """The same county's hits in a SQLite file of its own, generated and run apart."""
    store = SqliteStore(tmp_path_factory.mktemp("reference") / "county.sqlite3")
    store.init_schema()
    yield _county(store)[1]
    store.close()


def carried(hits: Hits, model: str, key: str) -> bool:
    return any(h["model"] == model and key in {k for _, k, _ in h["evidence"]}
               for h in hits.values())


def test_every_model_has_planted_instances_and_near_misses() -> None:
    expected = synthetic.expected("county", seed=SEED, key=KEY)
    assert {m for m, _ in expected.found} == set(MODELS)
    assert {m for m, _ in expected.missed} == set(MODELS)
    assert len(MODELS) >= 10


def test_every_planted_instance_is_found_and_no_near_miss(county: Any) -> None:
    _, hits, results = county
    expected = synthetic.expected("county", seed=SEED, key=KEY)
    assert [r.skipped for r in results] == [None] * len(MODELS)
    assert sorted(x for x in expected.found if not carried(hits, *x)) == []
    assert sorted(x for x in expected.missed if carried(hits, *x)) == []


def test_the_same_hits_with_the_same_evidence_as_a_sqlite_run_apart(county: Any,
                                                                     reference: Hits) -> None:
    """On Neo4j: both engines find the same hits; on SQLite: the same seed, the same hits."""
    assert county[1] == reference
    assert len(reference) > len(MODELS)


def test_a_hit_says_why_in_either_language(county: Any) -> None:
    _, hits, _ = county
    dead = next(h for h in hits.values() if h["model"] == "deceased-paid")
    model = MODELS["deceased-paid"]
    assert model.reason(dead["facts"]) == (
        f"{dead['subject']}于2024-01-15死亡，此后仍被发放2笔，共286.00元（最晚2024-03-01）")
    assert "died on 2024-01-15 and was still paid 2 times" in model.reason(dead["facts"], "en")
    assert ("Person", "subject") in {(label, role) for label, _, role in dead["evidence"]}


def test_running_again_finds_the_same_hits_and_records_the_run(county: Any) -> None:
    store, hits, first = county
    again = store.write(lambda tx: runner.run(tx, authz=EVERYWHERE, as_of=planted.AS_OF,
                                              codes=["silent-unit", "deceased-paid"]))
    assert [r.new_hits for r in again] == [0, 0]
    assert {no for r in again for no in r.hit_nos} <= set(hits)
    run = store.get("ModelRun", again[0].run_no)
    assert (run.get("model"), run.get("actor"), run.get("hits")) == \
        ("silent-unit", "模型测试", again[0].hits)
    assert json.loads(run.get("params")) == {"min_issues": 10}
    hit = store.get("ModelHit", again[0].hit_nos[0])
    assert hit.get("runs") >= 2 and hit.get("last_run") == again[0].run_no
    before = {r.model: r.run_no for r in first}
    assert hit.get("first_run") == before["silent-unit"]


def test_a_run_inside_a_township_finds_only_its_hits(county: Any) -> None:
    store, hits, _ = county
    county_code = next(iter(synthetic.counties(synthetic.SCALES["county"])))[1]
    township = county_code + "101"
    scoped = Authz(Actor("乡镇协调员", "coordinator", region=township))
    results = undone(store, lambda tx: runner.run(tx, authz=scoped, as_of=planted.AS_OF,
                                                  codes=["silent-unit", "dormant-clue"]))
    found = {no for r in results for no in r.hit_nos}
    assert found and found <= set(hits)
    assert all(hits[no]["region"].startswith(township) for no in found)
    with pytest.raises(ValueError, match="outside your jurisdiction"):
        runner.run(store, authz=scoped, codes=["silent-unit"], region=county_code)


def test_parameters_change_what_is_found(county: Any) -> None:
    store, _, _ = county
    strict = undone(store, lambda tx: runner.run(
        tx, authz=EVERYWHERE, as_of=planted.AS_OF, codes=["silent-unit", "deceased-paid"],
        params={"silent-unit": {"min_issues": 9}, "deceased-paid": {"grace_days": 60}}))
    assert strict[0].hits > 1  # nine issues and no clue now counts
    assert strict[1].hits == 0  # paid within 60 days of the death is allowed
    with pytest.raises(ValueError, match="min_issues must be from 2"):
        runner.run(store, authz=EVERYWHERE, codes=["silent-unit"],
                   params={"silent-unit": {"min_issues": 1}})
    with pytest.raises(ValueError, match="no parameter"):
        runner.run(store, authz=EVERYWHERE, codes=["silent-unit"],
                   params={"silent-unit": {"months": 3}})
