"""The cross-check as a model over two data sets, who may see data sets and hits, triage from a
hit to a clue and on to a case, and each model's figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.access.idnumbers import IdKey
from collab.analysis import crosscheck as xc
from collab.analysis import datasets, graphfile
from collab.analysis.models import figures, hits, runner
from collab.cases import clues, trace
from collab.cases.lifecycle import TransitionRefused
from collab.errors import NotFound, ValidationError
from collab.graph.store import Store
from collab.ledgers import datasets as lds

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "crosscheck"
KEY = IdKey.from_secret(b"model-hits-tests-secret-32-bytes")
PROVINCE = Authz(Actor("省巡察办", "coordinator"))
FUNING = Authz(Actor("富宁县巡察办", "coordinator", region="532628"))
ZHAOTONG = Authz(Actor("昭通市巡察办", "coordinator", region="530600"))
LEADER = Authz(Actor("文山州领导", "leader", region="532600"))
TODAY = date.today()


def nanneng(store: Store, roles: tuple[str, ...] = datasets.DEFAULT_ROLES) -> None:
    """The article's two lists of 那能乡 as data sets, and a department to transfer to."""
    store.upsert_nodes("Department", [{"code": "D532628-JW", "name": "富宁县纪委监委",
                                       "region_code": "532628"}])
    for path, kind, code in (("nanneng_roster_60plus.csv", "roster", "NN-ROSTER"),
                             ("nanneng_pension_list.xlsx", "payment", "NN-PENSION")):
        data = lds.read_dataset(SEEDS / path, kind_code=kind)
        info = lds.DataSetInfo(code, code, "那能乡", date(2023, 9, 30), "532628107", roles=roles)
        store.write(lambda tx, data=data, info=info: lds.import_dataset(
            tx, authz=PROVINCE, data=data, info=info, key=KEY))


def run(store: Store, authz: Authz = FUNING, **kw: object) -> list[runner.RunResult]:
    return store.write(lambda tx: runner.run(tx, authz=authz, codes=["roster-unpaid"], **kw))


def test_the_cross_check_as_a_model_finds_the_articles_66(store: Store) -> None:
    nanneng(store)
    [result] = run(store)
    assert (result.hits, result.datasets) == (66, ["NN-PENSION", "NN-ROSTER"])
    people_b, _ = xc.parse_list(xc.read_rows(SEEDS / "nanneng_pension_list.xlsx"), name="b")
    ids_b = {p.id_number for p in people_b}
    names_b = {(p.name, p.birth_date) for p in people_b}
    rows, total = store.read(lambda tx: hits.listing(tx, authz=FUNING, limit=100))
    assert total == 66 and len(rows) == 66
    roster, _ = xc.parse_list(xc.read_rows(SEEDS / "nanneng_roster_60plus.csv"), name="a")
    by_name = {(p.name, p.birth_date.isoformat()): p for p in roster}
    for row in rows:
        facts = row["facts"]
        person = by_name[(facts["name"], facts["born"])]
        assert person.id_number not in ids_b and (person.name, person.birth_date) not in names_b
        assert "********" in facts["id"] and person.id_number not in str(row)
    crosscheck = xc.crosscheck(SEEDS / "nanneng_roster_60plus.csv",
                               SEEDS / "nanneng_pension_list.xlsx")
    assert {(f.name, f.birth_date) for f in crosscheck.only_a} == \
        {(r["facts"]["name"], r["facts"]["born"]) for r in rows}


def test_a_data_set_and_what_rests_on_it_only_for_the_roles_it_names(store: Store) -> None:
    nanneng(store, roles=("coordinator",))
    run(store)
    assert datasets.usable(store, authz=LEADER) == []
    assert store.read(lambda tx: hits.listing(tx, authz=LEADER))[1] == 0
    no = store.read(lambda tx: hits.listing(tx, authz=FUNING, limit=1))[0][0]["no"]
    with pytest.raises(NotFound):
        store.read(lambda tx: hits.get(tx, authz=LEADER, no=no))
    record = store.get("DataRecord", "NN-ROSTER/3")
    assert FUNING.sees(store, record) and not LEADER.sees(store, record)
    store.write(lambda tx: datasets.set_access(tx, authz=FUNING, code="NN-ROSTER",
                                               roles=("leader",), regions_=()))
    store.write(lambda tx: datasets.set_access(tx, authz=FUNING, code="NN-PENSION",
                                               roles=("leader",), regions_=()))
    assert LEADER.sees(store, record)
    assert store.read(lambda tx: hits.listing(tx, authz=LEADER))[1] == 66
    with pytest.raises(NotFound):
        store.write(lambda tx: datasets.set_access(tx, authz=LEADER, code="NN-ROSTER",
                                                   roles=(), regions_=()))


def test_outside_ones_region_a_hit_does_not_exist(store: Store) -> None:
    nanneng(store)
    run(store)
    no = store.read(lambda tx: hits.listing(tx, authz=FUNING, limit=1))[0][0]["no"]
    assert store.read(lambda tx: hits.listing(tx, authz=ZHAOTONG))[1] == 0
    for call in (lambda tx: hits.get(tx, authz=ZHAOTONG, no=no),
                 lambda tx: hits.evidence_view(tx, authz=ZHAOTONG, no=no),
                 lambda tx: hits.confirm(tx, authz=ZHAOTONG, no=no, on=TODAY),
                 lambda tx: hits.dismiss(tx, authz=ZHAOTONG, no=no, on=TODAY, reason="x")):
        with pytest.raises(NotFound):
            store.write(call)
    [elsewhere] = run(store, ZHAOTONG)
    assert elsewhere.skipped and elsewhere.run_no is None  # its region holds no such lists
    with pytest.raises(NotFound):
        run(store, LEADER)  # leaders read the figures; coordinators run


def test_a_confirmed_hit_becomes_a_clue_that_flows_to_a_case(store: Store) -> None:
    nanneng(store)
    [result] = run(store)
    first, second = result.hit_nos[:2]
    clue = store.write(lambda tx: hits.confirm(tx, authz=FUNING, no=first, on=TODAY,
                                               clue_no="XS-JG-0001"))
    hit = store.get("ModelHit", first)
    assert (hit.get("status"), hit.get("clue_no")) == ("confirmed", "XS-JG-0001")
    assert clue.get("source") == "监督模型" and "不在发放名单" in clue.get("summary")
    assert clue.get("region_code") == "532628107"
    chain = trace.trace(store, clue_no="XS-JG-0001")
    [origin] = chain["hits"]
    assert (origin["no"], origin["model"]) == (first, "roster-unpaid")
    assert origin["runs"][0]["no"] == result.run_no and origin["runs"][0]["actor"] == "富宁县巡察办"
    assert [p["name"] for p in chain["against"]] == [hit.get("subject")]
    with pytest.raises(TransitionRefused):
        store.write(lambda tx: hits.confirm(tx, authz=FUNING, no=first, on=TODAY,
                                            clue_no="XS-JG-0002"))
    assert store.get("Clue", "XS-JG-0002") is None
    with pytest.raises(ValidationError, match="say why"):
        store.write(lambda tx: hits.dismiss(tx, authz=FUNING, no=second, on=TODAY, reason=" "))
    store.write(lambda tx: hits.dismiss(tx, authz=FUNING, no=second, on=TODAY,
                                        reason="已于9月补发，系发放名单漏登"))
    steps = store.read(lambda tx: hits.detail(tx, authz=FUNING, no=second)).steps
    assert [(s.get("to_status"), s.get("reason")) for s in steps] == \
        [("dismissed", "已于9月补发，系发放名单漏登")]
    actor = FUNING.actor
    transfer = store.write(lambda tx: clues.transfer(tx, actor=actor, clue="XS-JG-0001",
                                                     to="D532628-JW", on=TODAY,
                                                     letter_no="富巡移〔2024〕1号"))
    for step in (lambda tx: clues.accept(tx, actor=actor, transfer_no=transfer.key, on=TODAY),
                 lambda tx: clues.dispose(tx, actor=actor, transfer_no=transfer.key,
                                          disposal="verification", on=TODAY),
                 lambda tx: clues.file_case(tx, actor=actor, transfer_no=transfer.key,
                                            case_no="AJ-JG-0001", on=TODAY)):
        store.write(step)
    row = next(r for r in store.read(lambda tx: figures.per_model(tx, authz=FUNING))
               if r["model"] == "roster-unpaid")
    assert {k: row[k] for k in ("hits", "pending", "confirmed", "dismissed", "clues",
                                "transferred", "cases")} == \
        {"hits": 66, "pending": 64, "confirmed": 1, "dismissed": 1, "clues": 1,
         "transferred": 1, "cases": 1}
    assert (row["conversion_rate"], row["confirmation_rate"]) == (1.0, 0.5)
    others = [r for r in store.read(lambda tx: figures.per_model(tx, authz=ZHAOTONG))]
    assert len(others) >= 10 and all(r["hits"] == 0 and r["conversion_rate"] is None
                                     for r in others)


def test_the_evidence_view_is_the_path_the_model_followed(store: Store) -> None:
    nanneng(store)
    no = run(store)[0].hit_nos[0]
    view = store.read(lambda tx: hits.evidence_view(tx, authz=FUNING, no=no))
    labels = sorted(n.label for n in view.nodes)
    assert labels == ["DataRecord", "DataSet", "DataSet", "Person"]
    assert sorted(r.type for r in view.rels) == ["NAMES", "OF_SET"]
    assert all(r.src in view.positions and r.dst in view.positions for r in view.rels)
    assert "********" in next(n for n in view.nodes if n.label == "DataRecord").get("id_masked")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_a_hits_evidence_as_a_graph_file_with_id_numbers_masked(store: Store,
                                                                 fmt: str) -> None:
    import io

    import networkx as nx

    nanneng(store)
    no = run(store)[0].hit_nos[0]
    view = store.read(lambda tx: hits.evidence_view(tx, authz=FUNING, no=no))
    data = graphfile.write(view.nodes, view.rels, fmt)
    read = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(io.BytesIO(data))
    assert read.number_of_nodes() == 4 and read.number_of_edges() == 2
    kinds = {attrs["kind"] for _, attrs in read.nodes(data=True)}
    assert kinds == {"Person", "DataRecord", "DataSet"}
    person = next(a for _, a in read.nodes(data=True) if a["kind"] == "Person")
    assert "********" in person["fact_id_masked"] and "fact_id_hash" not in person
    roster, _ = xc.parse_list(xc.read_rows(SEEDS / "nanneng_roster_60plus.csv"), name="a")
    text = data.decode("utf-8")
    assert person["fact_id_masked"] in text
    assert not [p.id_number for p in roster if p.id_number and p.id_number in text]
    with pytest.raises(ValidationError, match="unknown graph file format"):
        graphfile.write(view.nodes, view.rels, "dot")
