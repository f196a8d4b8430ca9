"""The Yunnan seed reproduces every figure of the article, on both engines, through the same
queries the product uses (`collab.analysis.figures`, the store's count/find/expand)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from collab.access.idnumbers import IdKey
from collab.analysis import figures
from collab.graph.store import Cond, NamedQuery, Op, Store
from seeds import yunnan

KEY = IdKey.from_secret(b"seed-tests-secret-of-at-least-32b")
AS_OF = date(2024, 12, 31)

VILLAGES_BY_MODE = NamedQuery(
    "villages a round inspected, by mode and county",
    cypher="""MATCH (r:Round {code: $round})<-[:OF_ROUND]-(:Group)-[i:INSPECTS]->(u:Unit)
              WHERE u.kind = 'village_branch'
              RETURN i.mode AS mode, substring(u.region_code, 0, 6) AS county,
                     count(DISTINCT u) AS n ORDER BY mode, county""",
    sql="""SELECT json_extract(i.props, '$.mode'),
                  substr(json_extract(u.props, '$.region_code'), 1, 6), count(DISTINCT u.id)
           FROM nodes r JOIN rels o ON o.dst = r.id AND o.type = 'OF_ROUND'
           JOIN rels i ON i.src = o.src AND i.type = 'INSPECTS'
           JOIN nodes u ON u.id = i.dst
           WHERE r.label = 'Round' AND r.key = :round
             AND json_extract(u.props, '$.kind') = 'village_branch'
           GROUP BY 1, 2 ORDER BY 1, 2""",
    columns=("mode", "county", "n"))


@pytest.fixture
def seeded(store: Store) -> Store:
    store.write(lambda tx: yunnan.load(tx, key=KEY))
    return store


def summary(store: Store, **scope: str) -> dict:
    return store.read(lambda tx: figures.summary(
        tx, scope=figures.resolve_scope(tx, as_of=AS_OF, **scope)))


def test_the_articles_figures(seeded: Store) -> None:
    baoshan = summary(seeded, region="保山市", period="2023")
    assert (baoshan["support_acts"], baoshan["consultations"]) == (86, 12)

    wenshan = summary(seeded, round="十届州委第十轮巡察")
    assert wenshan["villages_inspected"] == 14 + 35
    rows = seeded.run(VILLAGES_BY_MODE, round="R532600-10-10")
    by_mode = {m: sum(r["n"] for r in rows if r["mode"] == m) for m in ("elevated", "linked")}
    assert by_mode == {"elevated": 14, "linked": 35}
    named = {seeded.get("Region", r["county"]).get("name") for r in rows}
    assert named == {"砚山县", "马关县", "丘北县", "富宁县"}
    jiangna = seeded.get("Unit", "U532622101")
    assert any(r.type == "INSPECTS" for r in seeded.expand([jiangna.uid]).rels)
    assert seeded.count("Support", {"kind": "special_study",
                                    "region_code": Cond(Op.PREFIX, "5326"),
                                    "on": Cond(Op.GE, date(2022, 1, 1))}) == 6

    issue = seeded.get("Issue", "WS-2023-0001")
    involved = seeded.expand([issue.uid], types=["INVOLVES"], labels=["Person"])
    assert len(involved.nodes) - 1 == 66

    funing = summary(seeded, round="R532628-2023-LW")
    assert (funing["villages_inspected"], funing["problems_solved"]) == (100, 130)
    assert 2_000_000 < funing["funds_recovered_yuan"] < 3_000_000

    assert seeded.count("Rectification", {"pilot": True,
                                          "region_code": Cond(Op.PREFIX, "532625")}) == 2

    zhaotong = summary(seeded, region="昭通市", period="2023")
    assert (zhaotong["issues"], zhaotong["clues"]) == (3005, 90)
    cross = seeded.find("Round", where={"region_code": "530600", "kind": "cross"}).items
    assert len(cross) == 1
    zt_round = summary(seeded, round=cross[0].key)
    assert zt_round["units_inspected"] == 8 and zt_round["villages_inspected"] == 0

    xundian = seeded.find("Round", where={"region_code": "530129"}).items
    assert any("双语" in r.get("name") and "背包" in r.get("name") for r in xundian)


def test_loading_twice_changes_nothing_and_the_synthetic_part_says_so(seeded: Store) -> None:
    counts = seeded.counts()
    seeded.write(lambda tx: yunnan.load(tx, key=KEY))
    assert seeded.counts() == counts
    for label in ("Person", "Issue", "Rectification", "Clue", "Transfer", "Case", "Support",
                  "JointCheck", "Group"):
        assert seeded.count(label, {"synthetic": None}) == 0, label
    assert seeded.count("Region", {"level": ["province", "prefecture", "county"],
                                   "synthetic": True}) == 0
    people = seeded.find("Person", where={"id_hash": Cond(Op.NE, "")}, limit=1000).items
    assert len(people) > 66
    for p in people:
        plain = KEY.decrypt(p.get("id_enc"))
        assert re.fullmatch(r"\d{17}[\dX]", plain) and plain.endswith(p.get("id_masked")[-4:])
        assert plain not in str(dict(p.props))
