"""The critical hole of issue 16: a ledger import that writes across jurisdictions.

As the probe did it: a 富宁县 coordinator uploads a one-row CSV whose clue number is a 昭通市
clue's and whose region code is their own. Before the fix the dry run said "更新1" and the
confirm overwrote the foreign clue's title, set its status from 立案 back to 已登记 and moved it
into 富宁县. The same with a foreign person's number as a clue's subject moved that person. Now
each is refused as "找不到" — in words no different from a number that does not exist — by the
dry run and by the confirm, through the web and the command line, on both engines, and nothing
changes.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from web.client import Client, make_app
from web.scenario import PASSWORD, add_accounts, build, enrol, token_for

from collab.access import users
from collab.access.actors import Actor
from collab.access.authz import Authz, Role
from collab.analysis import crosscheck as xc
from collab.cli import main
from collab.errors import NotFound
from collab.graph.store import Graph, Store

FOREIGN_CLUE = "ZT-2023-0001"      # 昭通市昭阳区 (530602)
FOREIGN_PERSON = "P-SYN-ZT1"       # named in that clue, 530602
CLUE_HEADER = ["线索编号", "线索标题", "登记日期", "区划代码"]
TAKE_CLUE = [CLUE_HEADER, [FOREIGN_CLUE, "经核查无问题", "2023-06-01", "532628"]]
TAKE_PERSON = [[*CLUE_HEADER, "被反映人", "被反映人编号"],
               ["FN-2023-0901", "某村干部优亲厚友", "2023-11-02", "532628", "赵六", FOREIGN_PERSON]]
# a row naming an issue nobody holds: the foreign number's refusal must read the same
ABSENT_ISSUE = [[*CLUE_HEADER, "问题编号"],
                ["FN-2023-0902", "某村干部优亲厚友", "2023-11-02", "532628", "WS-NO-SUCH"]]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("gbk")


def _setup(g: Graph) -> None:
    build(g)
    add_accounts(g, ("zt", "prov"))
    users.add(g, authz=None, name="funing", password=PASSWORD, now=datetime.now(UTC),
              role=Role.COORDINATOR, region="532628", display_name="富宁县巡察办")
    g.upsert_nodes("User", [{"name": "funing", "must_change": False}])
    enrol(g, "funing", datetime.now(UTC) - timedelta(seconds=30))  # 2FA, as every role
    # the foreign clue has become a case: the state the attack set back to 已登记
    g.upsert_nodes("Clue", [{"no": FOREIGN_CLUE, "status": "case_filed",
                             "status_on": date(2023, 8, 1)}])


def _snapshot(store: Store) -> dict[str, Any]:
    clue, person = store.get("Clue", FOREIGN_CLUE), store.get("Person", FOREIGN_PERSON)
    around = store.expand([person.uid], depth=1, types=["AGAINST"])
    return {"clue": dict(clue.props), "person": dict(person.props),
            "against": sorted(n.key for n in around.nodes if n.label == "Clue"),
            "clues": store.count("Clue")}


@pytest.fixture
def site(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("COLLAB_INSTANCE", str(tmp_path / "instance"))
    store.write(_setup)
    return store


def _upload(client: Client, rows: list[list[str]]) -> Any:
    """Upload, take the column mapping as guessed, and run the dry run."""
    mapped = client.http.post("/import/", data={"csrf_token": client.token,
                                                "ledger": (io.BytesIO(_csv(rows)), "线索台账.csv")},
                              content_type="multipart/form-data")
    assert 'id="mapping-form"' in mapped.text
    return client.post("/import/check")


def _problems(html: str) -> list[str]:
    return [line for line in html.split("<li>") if "找不到" in line]


@pytest.mark.parametrize("rows", [TAKE_CLUE, TAKE_PERSON], ids=["clue", "person"])
def test_a_county_ledger_cannot_take_a_foreign_record_through_the_web(site: Store,
                                                                       rows: list) -> None:
    before = _snapshot(site)
    funing = Client(make_app(site))
    funing.sign_in("funing")
    checked = _upload(funing, rows)
    assert checked.status_code == 200
    assert 'id="confirm-import"' not in checked.text and _problems(checked.text)
    assert "更新1" not in checked.text and "管辖" not in checked.text
    # the confirm has nothing to confirm, and a forged confirm changes nothing either
    assert funing.post("/import/confirm").status_code in (302, 200)
    assert _snapshot(site) == before
    records = site.find("AuditRecord", where={"event": "ledger.import_check"}).items
    assert [r.get("outcome") for r in records] == ["refused"]


def test_a_foreign_number_reads_as_one_that_does_not_exist(site: Store) -> None:
    funing = Client(make_app(site))
    funing.sign_in("funing")
    reasons = []
    for rows in (TAKE_CLUE, TAKE_PERSON, ABSENT_ISSUE):
        [line] = _problems(_upload(funing, rows).text)
        reasons.append(line.partition("：")[2].partition("</li>")[0])
    assert reasons[0] and reasons[0] == reasons[1] == reasons[2]


def test_the_confirm_checks_again(site: Store) -> None:
    """A dry run that passed does not carry the confirm: a number taken meanwhile by another
    jurisdiction is refused at the confirm and nothing is written."""
    funing = Client(make_app(site))
    funing.sign_in("funing")
    row = [CLUE_HEADER, ["ZT-2023-0777", "某村集体经济收入未入账", "2023-11-03", "532628"]]
    checked = _upload(funing, row)
    assert 'id="confirm-import"' in checked.text
    site.write(lambda tx: tx.upsert_nodes("Clue", [{
        "no": "ZT-2023-0777", "title": "昭阳区某村截留补助（二）", "status": "case_filed",
        "status_on": date(2023, 9, 1), "registered_on": date(2023, 6, 2),
        "region_code": "530602"}]))
    done = funing.post("/import/confirm")
    assert done.status_code == 200 and _problems(done.text)
    clue = site.get("Clue", "ZT-2023-0777")
    assert (clue.get("title"), clue.get("status"), clue.get("region_code")) == (
        "昭阳区某村截留补助（二）", "case_filed", "530602")
    records = site.find("AuditRecord", where={"event": "ledger.import"}).items
    assert [r.get("outcome") for r in records] == ["refused"]


@pytest.fixture
def cli_env(site: Store, request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """How `collab` reaches the same store as the test."""
    env = {"COLLAB_ID_KEY": "cd" * 32, "COLLAB_USER": "operator"}
    if "neo4j" in request.node.callspec.id:
        server = request.getfixturevalue("neo4j_server")
        return env | {"COLLAB_BACKEND": "neo4j", "COLLAB_NEO4J_URI": server["uri"],
                      "COLLAB_NEO4J_USER": server["user"],
                      "COLLAB_NEO4J_PASSWORD": server["password"]}
    return env | {"COLLAB_BACKEND": "sqlite", "COLLAB_DATABASE": str(site.path)}


@pytest.mark.parametrize("rows", [TAKE_CLUE, TAKE_PERSON], ids=["clue", "person"])
def test_the_command_line_cannot_take_a_foreign_record_either(
        site: Store, cli_env: dict[str, str], tmp_path: Path, rows: list) -> None:
    before = _snapshot(site)
    path = tmp_path / "线索台账.csv"
    path.write_bytes(_csv(rows))
    runner = CliRunner()
    scoped = runner.invoke(main, ["import", str(path), "--region", "富宁县"], env=cli_env)
    assert scoped.exit_code == 1 and "找不到" in scoped.output, scoped.output
    assert "管辖" not in scoped.output
    # the operator's whole jurisdiction: the record is seen, but a ledger moves no record
    # into another region and sets back no lifecycle state
    assert _snapshot(site) == before
    whole = runner.invoke(main, ["import", str(path)], env=cli_env)
    if rows is TAKE_CLUE:
        assert whole.exit_code == 1 and "区划" in whole.output, whole.output
    after = _snapshot(site)
    assert after["clue"] == before["clue"]
    # a clue of 富宁县 may name 赵六 (the operator sees both), but 赵六 stays in 昭阳区
    assert [after["person"].get(k) for k in ("name", "region_code")] == ["赵六", "530602"]
    records = site.find("AuditRecord", where={"event": "ledger.import"}).items
    assert "refused" in [r.get("outcome") for r in records]


# --- the same rule on every other path that creates a record by a number given ------------
def test_the_api_cannot_file_a_case_under_a_foreign_case_number(site: Store) -> None:
    """The liaison of 富宁县纪委监委 files its clue's case under the number of a 昭通市 case:
    404 as for any unknown number, and the foreign case is untouched."""
    site.write(lambda tx: tx.upsert_nodes("Case", [{
        "no": "ZT-CASE-0001", "title": "昭阳区某村截留补助案", "filed_on": date(2023, 9, 1),
        "origin": "inspection_clue", "region_code": "530602", "funds_recovered": 50000.0}]))
    site.write(lambda tx: add_accounts(tx, ("liaison",)))
    token = token_for(site, "liaison")
    before = dict(site.get("Case", "ZT-CASE-0001").props)
    client = make_app(site).test_client()
    answer = client.post("/api/v1/transfers/XS-2023-0001/1/case",
                         json={"case_no": "ZT-CASE-0001", "on": "2023-12-01"},
                         headers={"Authorization": "Bearer " + token})
    assert answer.status_code == 404 and "ZT-CASE" not in answer.get_data(as_text=True)
    assert dict(site.get("Case", "ZT-CASE-0001").props) == before
    assert site.get("Transfer", "XS-2023-0001/1").get("status") == "transferred"
    records = site.find("AuditRecord", where={"event": "transfer.file_case"}).items
    assert [r.get("outcome") for r in records] == ["not_found"]


def test_the_cross_check_cannot_raise_an_issue_under_a_foreign_number(site: Store) -> None:
    site.write(lambda tx: tx.upsert_nodes("Issue", [{
        "no": "BD-ZT-1", "title": "昭阳区某村低保比对", "region_code": "530602"}]))
    finding = xc.Finding(code="only_a", reason="未领取", list="a", row=2, name="王某",
                         id_number=None, birth_date=None)
    with pytest.raises(NotFound) as refused:
        site.write(lambda tx: xc.raise_issue(
            tx, authz=Authz(Actor("funing", region="532628")), unit_code="U532628107",
            findings=[finding], title="比对", found_on=date(2023, 10, 12), no="BD-ZT-1"))
    assert str(refused.value) == "not found"
    assert site.get("Issue", "BD-ZT-1").get("title") == "昭阳区某村低保比对"
