"""The figures' shortcut on each clue (`sole_*`) says what a walk of the graph says, after every
lifecycle step and every batch write, on both engines; and the figures read from it equal the
figures walked without it."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from collab.access.actors import Actor
from collab.access.idnumbers import IdKey
from collab.analysis import figures as fig
from collab.cases import case_files, clue_facts, clues
from collab.cli import main
from collab.errors import ConfigError
from collab.graph import schema
from collab.graph.query import compose
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Direction, Store
from seeds import synthetic

A = Actor("王协调")
D = date(2023, 3, 1)
KEY = IdKey.from_secret(b"clue-facts-tests-secret-32-bytes")


def walked(store: Store, clue_no: str) -> dict:
    """The `sole_*` values worked out from the clue's neighbourhood, by the module's rule."""
    clue = store.get("Clue", clue_no)
    assert clue is not None
    sub = store.expand([clue.uid], depth=2, types=["TRANSFERRED", "TO", "BECAME", "FILED_BY"],
                       direction=Direction.OUT, limit=1000)
    nodes = {n.uid: n for n in sub.nodes}
    out = {r.src: [] for r in sub.rels}
    for r in sub.rels:
        out[r.src].append(nodes[r.dst])
    mine = out.get(clue.uid, [])
    transfers = [n for n in mine if n.label == "Transfer"]
    cases = [n for n in mine if n.label == "Case"]
    none = dict.fromkeys(clue_facts.SOLE)
    if len(transfers) != 1 or len(cases) > 1:
        return none
    [t] = transfers
    depts = [d.key for d in out.get(t.uid, [])]
    if t.get("status") == "returned" or len(depts) != 1:
        return none
    if cases and [d.key for d in out.get(cases[0].uid, [])] != depts:
        return none
    closed = t.get("status") == "closed"
    return {"sole_transfer_at": t.get("at"), "sole_transfer_dept": depts[0],
            "sole_transfer_closed": closed,
            "sole_transfer_closed_on": t.get("status_on") if closed else None,
            "sole_case_no": cases[0].key if cases else None,
            "sole_case_filed_on": cases[0].get("filed_on") if cases else None}


def stored(store: Store, clue_no: str) -> dict:
    clue = store.get("Clue", clue_no)
    assert clue is not None
    return {k: clue.get(k) for k in clue_facts.SOLE}


def agrees(store: Store, clue_no: str) -> dict:
    facts = stored(store, clue_no)
    assert facts == walked(store, clue_no)
    return facts


@pytest.fixture
def graph(store: Store) -> Store:
    store.upsert_nodes("Department", [{"code": "D-JW", "name": "富宁县纪委监委"},
                                      {"code": "D-ZZB", "name": "富宁县委组织部"}])
    for no in ("XS-1", "XS-2", "XS-3"):
        store.write(lambda tx, no=no: clues.register(
            tx, actor=A, no=no, title="线索" + no, on=D, region_code="532628107"))
    return store


def _do(store: Store, fn, **kw):  # noqa: ANN001, ANN202 - a service function and its result
    return store.write(lambda tx: fn(tx, actor=A, **kw))


def _send(store: Store, no: str, to: str, on: date) -> str:
    return _do(store, clues.transfer, clue=no, to=to, on=on, letter_no="富巡移〔2023〕1号").key


def test_each_step_of_one_transfer_keeps_the_shortcut(graph: Store) -> None:
    assert agrees(graph, "XS-1")["sole_transfer_at"] is None
    t = _send(graph, "XS-1", "D-JW", date(2023, 3, 5))
    assert agrees(graph, "XS-1")["sole_transfer_dept"] == "D-JW"
    _do(graph, clues.accept, transfer_no=t, on=date(2023, 3, 8))
    _do(graph, clues.dispose, transfer_no=t, disposal="verification", on=date(2023, 3, 20))
    assert agrees(graph, "XS-1")["sole_case_no"] is None
    _do(graph, clues.file_case, transfer_no=t, case_no="K-1", on=date(2023, 4, 2))
    assert agrees(graph, "XS-1") == {
        "sole_transfer_at": date(2023, 3, 5), "sole_transfer_dept": "D-JW",
        "sole_transfer_closed": False, "sole_transfer_closed_on": None,
        "sole_case_no": "K-1", "sole_case_filed_on": date(2023, 4, 2)}


def test_a_closed_transfer_keeps_its_closing_date(graph: Store) -> None:
    t = _send(graph, "XS-1", "D-ZZB", date(2023, 3, 5))
    _do(graph, clues.accept, transfer_no=t, on=date(2023, 3, 8))
    _do(graph, clues.dispose, transfer_no=t, disposal="closed", on=date(2023, 3, 30))
    facts = agrees(graph, "XS-1")
    assert (facts["sole_transfer_closed"], facts["sole_transfer_closed_on"]) == \
        (True, date(2023, 3, 30))


def test_a_second_transfer_or_a_return_drops_the_shortcut(graph: Store) -> None:
    _send(graph, "XS-2", "D-JW", date(2023, 3, 5))
    assert agrees(graph, "XS-2")["sole_transfer_at"] == date(2023, 3, 5)
    _send(graph, "XS-2", "D-ZZB", date(2023, 3, 6))
    assert agrees(graph, "XS-2")["sole_transfer_at"] is None
    t = _send(graph, "XS-3", "D-JW", date(2023, 3, 5))
    _do(graph, clues.return_transfer, transfer_no=t, on=date(2023, 3, 9), reason="不属管辖")
    assert agrees(graph, "XS-3")["sole_transfer_at"] is None
    _send(graph, "XS-3", "D-ZZB", date(2023, 3, 12))
    assert agrees(graph, "XS-3")["sole_transfer_at"] is None


def test_a_case_of_another_origin_is_not_the_clues(graph: Store) -> None:
    _send(graph, "XS-1", "D-JW", date(2023, 3, 5))
    _do(graph, case_files.file_other_case, no="K-9", department="D-JW",
        filed_on=date(2023, 5, 1), origin="petition", title="信访案件")
    assert agrees(graph, "XS-1")["sole_case_no"] is None


def test_batch_writes_keep_it_and_the_backfill_fills_what_was_written_around_it(
        store: Store) -> None:
    synthetic.load(store, scale="village", seed=3, key=KEY)
    nos = [n.key for n in store.find("Clue", order_by="no", limit=1000).items]
    assert nos and all(agrees(store, no)["sole_transfer_at"] is not None for no in nos)
    store.upsert_nodes("Clue", [{"no": no, **dict.fromkeys(clue_facts.SOLE)} for no in nos])
    assert store.write(lambda tx: clue_facts.refresh_all(tx)) == len(nos)
    assert all(agrees(store, no)["sole_transfer_at"] is not None for no in nos)


def test_the_backfill_command(sqlite_graph: SqliteStore) -> None:
    g = sqlite_graph
    g.upsert_nodes("Department", [{"code": "D-JW"}])
    g.upsert_nodes("Clue", [{"no": "XS-9", "region_code": "532628"}])
    g.upsert_nodes("Transfer", [{"no": "XS-9/1", "at": D, "status": "accepted"}])
    g.upsert_rels("TRANSFERRED", [{"src": "XS-9", "dst": "XS-9/1"}], src="Clue", dst="Transfer")
    g.upsert_rels("TO", [{"src": "XS-9/1", "dst": "D-JW"}], src="Transfer", dst="Department")
    assert stored(g, "XS-9")["sole_transfer_at"] is None
    done = CliRunner().invoke(main, ["fill-clue-facts", "--database", str(g.path)])
    assert done.exit_code == 0 and "1 clues" in done.output
    assert agrees(g, "XS-9")["sole_transfer_at"] == D


@pytest.mark.parametrize("as_of", [date(2023, 7, 1), date(2023, 10, 1), date(2024, 6, 30)])
def test_figures_from_the_shortcut_equal_the_figures_walked(store: Store, as_of: date) -> None:
    synthetic.load(store, scale="village", seed=4, key=KEY)
    nos = [n.key for n in store.find("Clue", order_by="no", limit=1000).items]
    s = fig.Scope(start=date(2023, 1, 1), end=date(2023, 12, 31), as_of=as_of)
    by = ("all", "department", "region", "round", "category")
    shortcut = {b: fig.conversion(store, scope=s, by=b) for b in by}
    listed = fig.drill_down(store, scope=s, figure="clues_transferred", by_department=True)
    store.upsert_nodes("Clue", [{"no": no, **dict.fromkeys(clue_facts.SOLE)} for no in nos])
    assert {b: fig.conversion(store, scope=s, by=b) for b in by} == shortcut
    assert fig.drill_down(store, scope=s, figure="clues_transferred",
                          by_department=True) == listed
    assert shortcut["all"][0]["transferred"] > 0


def test_a_file_without_the_covering_indexes_asks_for_collab_init(
        sqlite_graph: SqliteStore) -> None:
    with sqlite_graph.transaction() as tx:
        index = schema.covering_index("Issue", "found_on")
        tx._conn.execute(compose("DROP INDEX <<name>>", name=index))
    with pytest.raises(ConfigError, match="collab init"):
        fig.summary(sqlite_graph, scope=fig.Scope())
    sqlite_graph.init_schema()
    assert fig.summary(sqlite_graph, scope=fig.Scope())["issues"] == 0
