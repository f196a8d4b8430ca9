"""The cross-check page: two lists compared, masked results, selected rows raised as an issue."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from web.client import Client, make_app

from collab.analysis import crosscheck as xc
from collab.graph.sqlite_engine import SqliteStore

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "crosscheck"
ROSTER = SEEDS / "nanneng_roster_60plus.csv"
PENSION = SEEDS / "nanneng_pension_list.xlsx"
UNIT = "U532628107"
_ID = re.compile(r"\d{17}[\dXx]")


def full_ids() -> set[str]:
    """Every full ID number in the two seed lists (none may reach a page)."""
    found = set()
    for path in (ROSTER, PENSION):
        for _, row in xc.read_rows(path):
            found.update(m.upper() for c in row for m in _ID.findall(xc.normalise_text(c)))
    assert found
    return found


@pytest.fixture
def app(fresh: SqliteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COLLAB_INSTANCE", str(tmp_path / "instance"))
    return make_app(fresh)


def held(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "instance" / "crosscheck"
    return sorted(folder.iterdir()) if folder.exists() else []


def compare(client: Client, a: tuple[bytes, str], b: tuple[bytes, str], *,
            key: str = "id_number", csrf: bool = True):
    data = {"list_a": (io.BytesIO(a[0]), a[1]), "list_b": (io.BytesIO(b[0]), b[1]),
            "key": key}
    if csrf:
        data["csrf_token"] = client.token
    return client.http.post("/crosscheck/", data=data, content_type="multipart/form-data")


def seeds() -> tuple[tuple[bytes, str], tuple[bytes, str]]:
    return (ROSTER.read_bytes(), "名单A.csv"), (PENSION.read_bytes(), "养老金.xlsx")


def test_the_seed_lists_show_66_only_in_a_masked(app, tmp_path: Path) -> None:
    coord = Client(app)
    coord.sign_in("coord")
    assert 'href="/crosscheck/"' in coord.get("/").text
    page = compare(coord, *seeds())
    assert page.status_code == 200
    assert 'id="count-only_a">66<' in page.text
    assert page.text.count('value="only_a:') == 66
    assert "仅在名单A中" in page.text and "********" in page.text
    for number in full_ids():
        assert number not in page.text
    [kept] = held(tmp_path)  # the result (masked) kept for the next step; the uploads gone
    data = kept.read_bytes()  # sealed: no number, not even masked, no name (item 9, issue 16)
    assert not any(n.encode() in data for n in full_ids()) and b"********" not in data
    assert "仅在名单A中".encode() not in data and not data.startswith(b"{")
    assert kept.stat().st_mode & 0o777 == 0o600


def test_a_bad_file_gets_a_clear_message_and_nothing_changes(app, fresh: SqliteStore,
                                                            tmp_path: Path) -> None:
    coord = Client(app)
    coord.sign_in("coord")
    issues = fresh.count("Issue")
    junk = compare(coord, (b"this is not a spreadsheet at all", "名单.xlsx"),
                   (PENSION.read_bytes(), "养老金.xlsx"))
    assert junk.status_code == 200 and 'id="crosscheck-error"' in junk.text
    assert 'id="issue-form"' not in junk.text and "Traceback" not in junk.text
    wrong = compare(coord, (b"a,b", "../../etc/passwd.xlsm"), (b"a,b", "b.csv"))
    assert wrong.status_code == 200 and 'id="issue-form"' not in wrong.text
    no_header = compare(coord, ("编号,金额\n1,2\n".encode("gbk"), "甲.csv"),
                        (PENSION.read_bytes(), "养老金.xlsx"))
    assert "姓名" in no_header.text and 'id="issue-form"' not in no_header.text
    assert fresh.count("Issue") == issues and held(tmp_path) == []
    records = fresh.find("AuditRecord", where={"event": "crosscheck.compare"}).items
    assert records and {r.get("outcome") for r in records} == {"refused"}


def test_posts_without_the_csrf_token_are_refused(app, fresh: SqliteStore,
                                                  tmp_path: Path) -> None:
    coord = Client(app)
    coord.sign_in("coord")
    assert compare(coord, *seeds(), csrf=False).status_code == 400
    assert held(tmp_path) == []
    assert compare(coord, *seeds()).status_code == 200
    issues = fresh.count("Issue")
    refused = coord.post("/crosscheck/issue", {"unit": UNIT, "title": "t",
                                               "found_on": "2023-10-12", "pick": "only_a:0"},
                         csrf=False)
    assert refused.status_code == 400 and fresh.count("Issue") == issues


@pytest.mark.parametrize("name", ["lead", "liaison", "sys", "sec", "aud"])
def test_roles_that_may_not_register_issues_get_404(app, name: str) -> None:
    other = Client(app)
    other.sign_in(name)
    assert 'href="/crosscheck/"' not in other.get("/").text
    assert other.get("/crosscheck/").status_code == 404
    assert compare(other, *seeds()).status_code == 404
    assert other.post("/crosscheck/issue", {"unit": UNIT}).status_code == 404


def test_selected_rows_become_one_issue_on_the_unit(app, fresh: SqliteStore,
                                                    tmp_path: Path) -> None:
    coord = Client(app)
    coord.sign_in("coord")
    compare(coord, *seeds())
    before = fresh.count("Issue")
    done = coord.http.post("/crosscheck/issue", data={
        "csrf_token": coord.token, "unit": UNIT, "title": "那能乡66名老人未领养老金",
        "found_on": "2023-10-12", "pick": ["only_a:0", "only_a:1", "only_a:2"]})
    assert done.status_code == 302
    no = done.headers["Location"].rsplit("/", 1)[-1]
    assert done.headers["Location"] == f"/browse/Issue/{no}"
    assert fresh.count("Issue") == before + 1
    issue = fresh.get("Issue", no)
    assert issue.get("source") == "数据比对" and issue.get("title") == "那能乡66名老人未领养老金"
    assert issue.get("description").startswith("数据比对发现3人")
    units = fresh.expand([issue.uid], depth=1, types=["CONCERNS"]).nodes
    assert UNIT in {n.key for n in units if n.label == "Unit"}
    record = fresh.find("AuditRecord", where={"event": "crosscheck.raise_issue"}).items
    assert [r.get("outcome") for r in record] == ["ok"]
    shown = coord.get(done.headers["Location"])
    assert shown.status_code == 200 and no in shown.text
    for number in full_ids():
        assert number not in shown.text and number not in str(issue.props)
    assert held(tmp_path) == []
    again = coord.post("/crosscheck/issue", {"unit": UNIT, "title": "t",
                                             "found_on": "2023-10-12", "pick": "only_a:0"})
    assert again.headers["Location"] == "/crosscheck/"
    assert fresh.count("Issue") == before + 1


def test_a_unit_out_of_scope_or_no_selection_is_refused(app, fresh: SqliteStore) -> None:
    zt = Client(app)
    zt.sign_in("zt")
    compare(zt, *seeds())
    before = fresh.count("Issue")
    for picks in (["only_a:0"], [], ["only_a:9999", "nonsense"]):
        refused = zt.http.post("/crosscheck/issue", data={
            "csrf_token": zt.token, "unit": UNIT, "title": "越权", "found_on": "2023-10-12",
            "pick": picks})
        assert refused.headers["Location"] == "/crosscheck/"
    page = zt.get("/crosscheck/")
    assert 'id="issue-form"' in page.text and "alert-danger" in page.text
    assert fresh.count("Issue") == before
