"""The scale generator: deterministic per seed, streamed in batches, realistic shapes, and
loadable on both engines (province scale is for the benchmark, never run here)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from collab.access.idnumbers import IdKey
from collab.cli import main
from collab.graph.store import Cond, Op, Store
from seeds import synthetic

KEY = IdKey.from_secret(b"synthetic-tests-secret-of-32-bytes")


def flat(scale: str, seed: int) -> tuple[dict, dict]:
    nodes: dict = {}
    rels: dict = {}
    for plan in synthetic.generate(scale, seed=seed, key=KEY):
        for label, rows in plan.nodes.items():
            nodes.setdefault(label, {}).update(rows)
        for kind, rows in plan.rels.items():
            rels.setdefault(kind, {}).update(rows)
    return nodes, rels


def test_the_same_seed_gives_the_same_graph_and_another_seed_another() -> None:
    assert flat("village", 7) == flat("village", 7)
    assert flat("village", 7) != flat("village", 8)


def test_generation_streams_one_bounded_batch_per_county() -> None:
    sizes = [sum(len(rows) for rows in plan.nodes.values())
             for plan in synthetic.generate("prefecture", seed=1, key=KEY)]
    assert len(sizes) == 1 + 8
    assert max(sizes) < 10_000 < sum(sizes)
    assert len(list(synthetic.counties(synthetic.SCALES["province"]))) == 129


def test_shapes_are_realistic_at_county_scale() -> None:
    nodes, rels = flat("county", 3)
    assert len(nodes["Region"]) == 1 + 1 + 1 + 11 + 110
    parts = rels[("PART_OF", "Region", "Region")]
    assert {src for src, _ in parts} == set(nodes["Region"]) - {"530000"}
    against = Counter(dst for _, dst in rels[("AGAINST", "Clue", "Person")])
    mean = sum(against.values()) / len(against)
    assert max(against.values()) >= 10 * mean
    transfers = Counter(t["department_code"].rsplit("-", 1)[1]
                        for t in nodes["Transfer"].values())
    assert transfers["JW"] > 5 * transfers["ZZB"] > 0
    converted = sum(1 for c in nodes["Clue"].values() if c["status"] == "case_filed")
    assert 0.25 < converted / len(nodes["Clue"]) < 0.45
    assert len(rels[("RELATED_TO", "Person", "Person")]) > 1000
    assert all(n.get("synthetic") for label in ("Person", "Issue", "Clue", "Case")
               for n in nodes[label].values())


def test_a_village_scale_load_on_each_engine(store: Store) -> None:
    written = synthetic.load(store, scale="village", seed=2, key=KEY)
    nodes, _ = flat("village", 2)
    for label, rows in nodes.items():
        assert store.count(label) == len(rows) == written[label]
    assert store.count("Issue", {"region_code": Cond(Op.PREFIX, "530171")}) == 150
    again = store.counts()
    synthetic.load(store, scale="village", seed=2, key=KEY)
    assert store.counts() == again


def test_the_seed_command(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("COLLAB_ID_KEY", "ef" * 32)
    db = str(tmp_path / "c.sqlite3")
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--database", db]).exit_code == 0
    done = runner.invoke(main, ["seed", "synthetic", "--scale", "village", "--seed", "4",
                                "--database", db])
    assert done.exit_code == 0 and "Issue 150" in done.output
