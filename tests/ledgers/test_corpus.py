"""Every ledger of the corpus imports, or is refused, exactly as expected: on both engines, from
the command line and through the web's mapping step (tests/ledgers/corpus/expected.json)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from web.client import Client, make_app
from web.scenario import PASSWORD, enrol

from collab.access import users
from collab.access.authz import Role
from collab.cli import main
from collab.graph.store import Cond, Graph, Op, Store
from collab.ledgers import errorbook, places

CORPUS = Path(__file__).resolve().parent / "corpus"
EXPECTED: dict[str, dict[str, Any]] = json.loads((CORPUS / "expected.json").read_text("utf-8"))
LABELS = ("Unit", "Person", "Issue", "Rectification", "Clue", "Transfer", "Case")
OFFICES = {"富宁县": ("funing", "532628"), "昭通市": ("zhaotong", "530600")}
_PREFIXES = ("532628", "532622", "5306")


def _base(g: Graph) -> None:
    """The real regions the ledgers name, the departments and units already on record, and an
    account for each importing office."""
    rows = [r for r in places.read(places.YUNNAN)
            if r["code"].startswith(_PREFIXES) or r["code"] in ("530000", "532600")]
    places.load(g, rows)
    g.upsert_nodes("Department", [
        {"code": "D532628-JW", "name": "富宁县纪委监委", "region_code": "532628"},
        {"code": "D532628-ZZB", "name": "富宁县委组织部", "region_code": "532628"},
        {"code": "D530600-JW", "name": "昭通市纪委监委", "region_code": "530600"},
        {"code": "D530600-ZZB", "name": "昭通市委组织部", "region_code": "530600"}])
    g.upsert_nodes("Unit", [
        {"code": "U532628204", "name": "中共富宁县那能乡委员会", "region_code": "532628204"},
        {"code": "U532622101", "name": "中共砚山县江那镇委员会", "region_code": "532622101"}])
    for name, region in OFFICES.values():
        users.add(g, authz=None, name=name, password=PASSWORD, now=datetime.now(UTC),
                  role=Role.COORDINATOR, region=region)
        g.upsert_nodes("User", [{"name": name, "must_change": False}])
        enrol(g, name, datetime.now(UTC) - timedelta(seconds=30))


@pytest.fixture
def corpus_store(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("COLLAB_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setenv("COLLAB_ID_KEY", "ab" * 32)
    store.write(_base)
    return store


def _counts(store: Store) -> dict[str, int]:
    return {label: store.count(label) for label in LABELS}


def _cli(store: Store, request: pytest.FixtureRequest, name: str) -> tuple[int, str]:
    spec = EXPECTED[name]
    env = {"COLLAB_ID_KEY": "ab" * 32, "COLLAB_USER": "corpus"}
    if store.backend == "neo4j":
        server = request.getfixturevalue("neo4j_server")
        env |= {"COLLAB_BACKEND": "neo4j", "COLLAB_NEO4J_URI": server["uri"],
                "COLLAB_NEO4J_USER": server["user"], "COLLAB_NEO4J_PASSWORD": server["password"]}
    else:
        env |= {"COLLAB_BACKEND": "sqlite", "COLLAB_DATABASE": str(store.path)}
    args = ["import", str(CORPUS / name), "--region", spec["region"], "--lang", "en"]
    done = CliRunner().invoke(main, args + (["--create-missing"] if spec["create_missing"]
                                            else []), env=env)
    return done.exit_code, done.output


def _web(store: Store, name: str) -> tuple[bool, str, Client]:
    client = Client(make_app(store))
    client.sign_in(OFFICES[EXPECTED[name]["region"]][0])
    mapped = client.http.post("/import/", data={
        "csrf_token": client.token, "ledger": (io.BytesIO((CORPUS / name).read_bytes()), name)},
        content_type="multipart/form-data")
    assert 'id="mapping-form"' in mapped.text, mapped.text[-1500:]
    checked = client.post("/import/check")
    if 'id="confirm-import"' not in checked.text:
        return False, checked.text, client
    done = client.post("/import/confirm")
    return done.status_code == 200 and "导入报告" in done.text, done.text, client


FIGURES: dict[str, Callable[[Store, Any], None]] = {
    "verified": lambda s, n: _eq(s.count("Rectification", {"status": "verified"}), n),
    "new_unit_region": lambda s, code: _eq(
        [u.get("region_code") for u in s.find("Unit", where={"name": "那能村党支部"}).items],
        [code]),
    "transferred_to": lambda s, dept: _eq(s.get("Transfer", "XS-2023-0001/1")
                                          .get("department_code"), dept),
    "masses_solved": lambda s, n: _eq(s.count("Issue", {"masses_problem": True,
                                                         "solved": True}), n),
    "villages": lambda s, n: _eq(s.count("Unit", {"region_code": Cond(Op.PREFIX, "532628"),
                                                   "name": Cond(Op.NE, "中共富宁县那能乡委员会")}),
                                 n),
    "funds": lambda s, total: _eq(sum(c.get("funds_recovered") or 0
                                      for c in s.find("Case", limit=1000).items), total),
    "case_filed": lambda s, n: _eq(s.count("Clue", {"status": "case_filed"}), n),
}


def _eq(got: Any, want: Any) -> None:
    assert got == want, (got, want)


def _check_written(store: Store, name: str, before: dict[str, int]) -> None:
    spec = EXPECTED[name]
    after = _counts(store)
    added = {label: after[label] - before[label] for label in LABELS
             if after[label] != before[label]}
    assert added == spec["adds"], (name, added)
    for figure, want in spec["figures"].items():
        FIGURES[figure](store, want)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_from_the_command_line(corpus_store: Store, request: pytest.FixtureRequest,
                               name: str) -> None:
    before = _counts(corpus_store)
    code, output = _cli(corpus_store, request, name)
    problems = EXPECTED[name]["problems"]
    if not problems:
        assert code == 0, output
        _check_written(corpus_store, name, before)
        written = _counts(corpus_store)
        again = _cli(corpus_store, request, name)  # the same ledger again changes nothing
        assert again[0] == 0 and _counts(corpus_store) == written, again[1]
        return
    assert code == 1 and _counts(corpus_store) == before, output
    lines = [line for line in output.splitlines() if line.startswith("sheet ")
             and ": " in line and " row " in line]
    assert len(lines) == len(problems), output
    for sheet, row, column, reason in problems:
        where = f"sheet {sheet!r} row {row} column {column!r}"
        assert any(line.startswith(where) and reason in line for line in lines), (where, output)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_through_the_web_mapping_step(corpus_store: Store, tmp_path: Path, name: str) -> None:
    before = _counts(corpus_store)
    written, page, client = _web(corpus_store, name)
    problems = EXPECTED[name]["problems"]
    if not problems:
        assert written, page[-3000:]
        _check_written(corpus_store, name, before)
        return
    assert not written and _counts(corpus_store) == before
    for sheet, row, column, _reason in problems:
        assert f"工作表“{sheet}” 第{row}行 “{column}”列" in page, page[-3000:]
    book = client.get("/import/errors.xlsx")
    assert book.status_code == 200
    path = tmp_path / "errors.xlsx"
    path.write_bytes(book.data)
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == errorbook.SUMMARY
    summary = list(workbook[errorbook.SUMMARY].iter_rows(min_row=2, values_only=True))
    assert [(s, r, c) for s, r, c, *_ in summary] == [(s, r, c) for s, r, c, _ in problems]
    for sheet, row, column, _reason in problems:
        ws = workbook[sheet]
        header = [c.value for c in ws[1]]
        notes = next(i for i, h in enumerate(header, start=1)
                     if str(h).startswith(errorbook.COLUMN))
        assert ws.cell(row, notes).value, (sheet, row)
        if row > 1:
            col = [i for i, h in enumerate(header, start=1) if str(h).strip() == column]
            assert any(ws.cell(row, c).fill.fgColor.rgb.endswith("FFC7CE") for c in col)
