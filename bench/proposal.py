"""Proposal latency: departments and people for a joint check, conflicts screened, per engine.

    python -m bench.proposal [--engine sqlite|neo4j|both] [--scale 1.0] [--runs 40]
    python -m bench.proposal --synthetic province [--engine …] [--runs 40]

With `--synthetic SCALE` the graph is the scale generator's (`seeds/synthetic.py`: village,
county, prefecture or province, about a million nodes) and checks target its village units.
Otherwise the graph is generated here (seeded, so both engines get the same one): a province of 16
prefectures × 8 counties × 11 townships at scale 1.0, each township with its party committee
and 10 village branches as units (about 15,500 units), 5 cadres per unit, 10 staff per
department (province, prefecture and county departments), relatives among a fifth of the
people, 3 issues per unit with a rectification task each, a clue for one issue in ten
(transferred to the county's discipline commission, four in ten filed as cases), issues found
with departments, support acts and joint checks with their teams. `--scale` shrinks the
number of counties per prefecture and townships per county.

Each run creates a check on a random township committee (outside the timing) and times one
`propose` (a read transaction: the check's units and categories, department relevance and
load, staff experience and load, and the conflict screen with its paths), after five
unmeasured proposals on other townships (query plans compiled, caches warm).
"""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from bench.common import ENGINES, engines_from_argv, latencies, report, timed
from collab.access.actors import Actor
from collab.access.idnumbers import IdKey
from collab.cases import checks, proposals
from collab.graph.store import Store

BATCH = 10_000
CATEGORIES = ("民生保障", "惠民资金", "集体三资", "工程项目", "作风建设", "基层党建", "乡村振兴")
ON = date(2024, 5, 1)
WARM_UP = 5


class Province:
    """The generated graph as rows per label and per relationship, written in batches."""

    def __init__(self, scale: float, seed: int = 5):
        self.rng = random.Random(seed)
        self.nodes: dict[str, list[dict[str, Any]]] = {}
        self.rels: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        self.townships: list[str] = []
        self.counties = max(1, round(8 * scale))
        self.per_county = max(1, round(11 * scale))
        self.people = 0
        self.staff: dict[str, list[str]] = {}

    def node(self, label: str, row: dict[str, Any]) -> None:
        self.nodes.setdefault(label, []).append(row)

    def rel(self, type_: str, src: str, dst: str, a: Any, b: Any, **props: Any) -> None:
        self.rels.setdefault((type_, src, dst), []).append({"src": a, "dst": b, **props})

    def person(self, region: str, at: tuple[str, str] | None = None) -> str:
        self.people += 1
        uid = f"P{self.people:08d}"
        self.node("Person", {"uid": uid, "name": f"人员{self.people}", "region_code": region})
        if at:
            self.rel("WORKS_AT", "Person", at[0], uid, at[1], position="干部")
        return uid

    def department(self, region: str, abbr: str) -> str:
        code = f"D{region}-{abbr}"
        self.node("Department", {"code": code, "name": f"{region}{abbr}", "region_code": region})
        staff = [self.person(region, ("Department", code)) for _ in range(10)]
        for i in range(10):
            self.node("Support", {"no": f"S-{code}-{i}", "kind": "consultation",
                                  "category": self.rng.choice(CATEGORIES), "on": ON})
            self.rel("PROVIDED", "Department", "Support", code, f"S-{code}-{i}")
        self.staff[code] = staff
        return code

    def build(self) -> Province:
        for abbr in ("JW", "ZZB", "SJ"):
            self.department("530000", abbr)
        for p in range(1, 17):
            pref = f"53{p:02d}00"
            for abbr in ("JW", "ZZB", "SJ", "CZ", "RS"):
                self.department(pref, abbr)
            for c in range(1, self.counties + 1):
                self.county(f"53{p:02d}{c:02d}")
        return self

    def county(self, county: str) -> None:
        depts = [self.department(county, abbr) for abbr in ("JW", "ZZB", "RS")]
        rects: list[str] = []
        cadres: list[str] = []
        townships = [f"U{county}{100 + t:03d}" for t in range(1, self.per_county + 1)]
        for township in townships:
            for v in range(0, 11):
                code = township if v == 0 else f"{township}{v:03d}"
                made, people = self.unit(code, code[1:], depts)
                rects += made
                cadres += people
        self.townships += townships
        # Conflicts to screen: a tenth of the county's department staff once worked at one of
        # its townships, another tenth are related to one of its cadres.
        for d in depts:
            for uid in self.staff[d]:
                draw = self.rng.random()
                if draw < 0.1:
                    self.rel("WORKS_AT", "Person", "Unit", uid, self.rng.choice(townships),
                             position="原任职", until=date(2020, 12, 31))
                elif draw < 0.2:
                    self.rel("RELATED_TO", "Person", "Person", uid, self.rng.choice(cadres),
                             kind="亲属")
        for k in range(5):
            no = f"JC-{county}-{k}"
            self.node("JointCheck", {"no": no, "status": self.rng.choice(
                ("planned", "in_progress", "reported", "closed")), "region_code": county})
            for r in self.rng.sample(rects, 3):
                self.rel("CHECKS", "JointCheck", "Rectification", no, r)
            for d in self.rng.sample(depts, 2):
                self.rel("ASSIGNED_TO", "JointCheck", "Department", no, d)
                self.rel("ON_CHECK", "Person", "JointCheck", self.rng.choice(self.staff[d]), no)

    def unit(self, code: str, region: str, depts: list[str]) -> tuple[list[str], list[str]]:
        self.node("Unit", {"code": code, "name": f"单位{code}", "region_code": region})
        cadres = [self.person(region, ("Unit", code)) for _ in range(5)]
        for a in cadres:
            if self.rng.random() < 0.2:
                kin = self.person(region)
                self.rel("RELATED_TO", "Person", "Person", a, kin, kind="亲属")
        rects = []
        for i in range(3):
            no = f"WT-{code}-{i}"
            self.node("Issue", {"no": no, "category": self.rng.choice(CATEGORIES),
                                "region_code": region})
            self.rel("CONCERNS", "Issue", "Unit", no, code)
            self.rel("INVOLVES", "Issue", "Person", no, self.rng.choice(cadres))
            self.node("Rectification", {"no": f"ZG-{no}", "status": "open", "version": 0,
                                        "deadline": ON + timedelta(days=self.rng.randint(-60, 90)),
                                        "region_code": region})
            self.rel("HAS_TASK", "Issue", "Rectification", no, f"ZG-{no}")
            self.rel("OWNED_BY", "Rectification", "Unit", f"ZG-{no}", code)
            rects.append(f"ZG-{no}")
            if self.rng.random() < 0.1:
                self.rel("FOUND_WITH", "Issue", "Department", no, self.rng.choice(depts))
            if self.rng.random() < 0.1:
                self.clue(no, self.rng.choice(cadres), depts[0])
        return rects, cadres

    def clue(self, issue: str, against: str, jw: str) -> None:
        no = f"XS-{issue}"
        self.node("Clue", {"no": no})
        self.rel("FROM_ISSUE", "Clue", "Issue", no, issue)
        self.rel("AGAINST", "Clue", "Person", no, against)
        self.node("Transfer", {"no": f"{no}/1"})
        self.rel("TRANSFERRED", "Clue", "Transfer", no, f"{no}/1")
        self.rel("TO", "Transfer", "Department", f"{no}/1", jw)
        if self.rng.random() < 0.4:
            self.node("Case", {"no": f"AJ-{issue}"})
            self.rel("BECAME", "Clue", "Case", no, f"AJ-{issue}")
            self.rel("FILED_BY", "Case", "Department", f"AJ-{issue}", jw)

    def write(self, store: Store) -> int:
        written = 0
        for label, rows in self.nodes.items():
            for chunk in _chunks(rows):
                written += store.upsert_nodes(label, chunk)
        for (type_, src, dst), rows in self.rels.items():
            for chunk in _chunks(rows):
                written += store.upsert_rels(type_, chunk, src=src, dst=dst)
        return written


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), BATCH):
        yield rows[i:i + BATCH]


def measure(store: Store, graph: Province | str, runs: int) -> dict[str, Any]:
    """Load the graph (ours, or the scale generator's at that scale), then time proposals."""
    if isinstance(graph, Province):
        load = timed(lambda: graph.write(store))
        units = graph.townships
    else:
        from seeds import synthetic

        key = IdKey.from_secret(b"bench-proposal-key-32-bytes-long!")
        load = timed(lambda: synthetic.load(store, scale=graph, seed=1, key=key))
        units = [u.key for u in store.find("Unit", order_by="code", limit=1000).items]
    rng = random.Random(7)
    targets = rng.sample(units, min(runs + WARM_UP, len(units)))
    actor = Actor("bench")
    for i, unit in enumerate(targets):
        store.write(lambda tx, i=i, unit=unit: checks.create(
            tx, actor=actor, no=f"JC-BENCH-{i}", title="基准检查", start=ON, end=ON, on=ON,
            unit=unit))
    proposed: list[int] = []
    excluded: list[int] = []

    def one(i: int) -> None:
        p = store.read(lambda tx: proposals.propose(tx, check=f"JC-BENCH-{i}", on=ON))
        proposed.append(len(p.people))
        excluded.append(len(p.excluded))

    for i in range(WARM_UP):   # unmeasured: query plans compiled, caches warm
        one(len(targets) - 1 - i)
    proposed.clear()
    excluded.clear()
    figures = latencies(one, len(targets) - WARM_UP)
    counts = store.counts()
    return {"nodes": sum(counts["nodes"].values()), "rels": sum(counts["rels"].values()),
            "load_s": round(load, 1), "runs": len(targets) - WARM_UP,
            "proposed_mean": round(sum(proposed) / len(proposed), 1),
            "excluded_mean": round(sum(excluded) / len(excluded), 1), **figures}


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    scale = float(args[args.index("--scale") + 1]) if "--scale" in args else 1.0
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else 40
    synthetic = args[args.index("--synthetic") + 1] if "--synthetic" in args else None
    graph: Province | str = synthetic or Province(scale).build()
    rows = []
    for name in engines_from_argv(args):
        with ENGINES[name]() as store:
            rows.append({"engine": name, "graph": synthetic or f"bench x{scale}",
                         **measure(store, graph, runs)})
    report("joint-check proposal latency", rows)


if __name__ == "__main__":
    main()
