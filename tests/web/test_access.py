"""Every page × every role: allowed pages answer, the rest (and objects out of scope) 404."""

from __future__ import annotations

import pytest
from web.client import Client, make_app
from web.scenario import ACCOUNTS, CLUES_SEEN, FULL_ID, TEST_KEY, XSS

from collab.graph.sqlite_engine import SqliteStore

CASEWORK = {"prov", "coord", "insp", "lead", "zt"}
EVERYONE = set(ACCOUNTS)
# route -> the accounts for which it answers 200; everyone else gets 404.
MATRIX = {
    "/": EVERYONE,
    "/password": EVERYONE,
    "/dashboard/data.json": CASEWORK | {"liaison"},
    "/browse/": EVERYONE - {"aud"},
    "/browse/Clue": CASEWORK | {"liaison"},
    "/browse/Case": CASEWORK | {"liaison"},
    "/browse/JointCheck": CASEWORK | {"liaison"},
    "/browse/Issue": CASEWORK,
    "/browse/Person": CASEWORK,
    "/browse/Department": CASEWORK | {"sys", "sec"},
    "/browse/Region/532600": {"prov", "coord", "insp", "lead", "sys", "sec"},
    "/browse/Department/D532628-JW": CASEWORK - {"zt"} | {"sys", "sec", "liaison"},
    "/browse/Person/P-SYN-0001": {"prov", "coord", "insp", "lead", "liaison"},
    "/browse/Person/P-SYN-ZT1": {"prov", "zt"},
    "/browse/Case/WS-CASE-0001": {"prov", "coord", "insp", "lead", "liaison"},
    "/browse/JointCheck/JC-0002": {"prov", "coord", "insp", "lead"},
    "/browse/Transfer/WS-2023-0002/1": {"prov", "coord", "insp", "lead"},
    "/rectification/": CASEWORK,
    "/letters/": CASEWORK,
    "/import/": {"prov", "coord", "insp", "zt"},
    "/crosscheck/": {"prov", "coord", "insp", "zt"},
    "/export/": {"prov", "coord", "lead", "zt"},
    "/export/clues.csv": {"prov", "coord", "lead", "zt"},
    "/export/nonsense.csv": set(),
    "/checks/new": {"prov", "coord", "zt"},
    "/checks/JC-0001": {"prov", "coord", "insp", "lead", "liaison"},
    "/admin/users": {"sys", "sec"},
    "/admin/departments/": {"sys"},
    "/units/": {"prov", "coord", "insp", "lead", "zt"},
    "/units/?region=530600": {"prov", "zt"},
    "/audit/": {"aud"},
    "/audit/export.csv": {"aud"},
    "/audit/verify": {"aud"},
    "/browse/User/sys": set(),
    "/browse/AuditRecord/000000000001": set(),
    "/browse/Nonsense": set(),
    "/browse/Clue/NO-SUCH-CLUE": set(),
    "/no/such/page": set(),
    **{f"/browse/Clue/{no}": {n for n, seen in CLUES_SEEN.items() if no in seen}
       for no in ("XS-2023-0001", "WS-2023-0002", "ZT-2023-0001")},
    **{f"/clues/{no}/trace": {n for n, seen in CLUES_SEEN.items() if no in seen}
       for no in ("XS-2023-0001", "ZT-2023-0001")},
}


@pytest.mark.parametrize("route", list(MATRIX))
def test_route_by_role(signed_in: dict, route: str) -> None:
    for name, client in signed_in.items():
        response = client.get(route)
        expected = 200 if name in MATRIX[route] else 404
        assert response.status_code == expected, (route, name)
        if expected == 404:
            assert "XS-2023" not in response.text and "Traceback" not in response.text


def test_list_totals_count_only_the_allowed_set(signed_in: dict) -> None:
    for name, seen in CLUES_SEEN.items():
        if not seen:
            continue
        page = signed_in[name].get("/browse/Clue")
        assert f'id="total">{len(seen)}<' in page.text, name
        for no in ("XS-2023-0001", "WS-2023-0002", "ZT-2023-0001"):
            assert (no in page.text) == (no in seen), (name, no)


def test_signed_out_requests_go_to_the_sign_in_page(site_app) -> None:
    client = site_app.test_client()
    for route in MATRIX:
        response = client.get(route)
        assert response.status_code == 302, route
        assert response.headers["Location"].startswith("/login?next=")


def test_id_numbers_are_masked_and_secrets_never_shown(signed_in: dict) -> None:
    page = signed_in["coord"].get("/browse/Person/P-SYN-0001")
    assert page.status_code == 200
    assert FULL_ID not in page.text and "532628********123X" in page.text
    assert "kkkkkkkk" not in page.text and "sealed" not in page.text


def test_markup_in_names_is_shown_as_text(signed_in: dict) -> None:
    page = signed_in["zt"].get("/browse/Clue/ZT-2023-0001")
    assert XSS not in page.text and "&lt;img src=x onerror=alert(1)&gt;" in page.text


def test_the_region_filter_cannot_widen_a_list(signed_in: dict) -> None:
    page = signed_in["coord"].get("/browse/Clue?region=530600")
    assert 'id="total">0<' in page.text and "ZT-2023-0001" not in page.text
    bad = signed_in["coord"].get("/browse/Clue?region=53' OR 1=1 //")
    assert bad.status_code == 400 and "MATCH" not in bad.text and "SELECT" not in bad.text


def test_out_of_scope_requests_are_audited(signed_in: dict, site: SqliteStore) -> None:
    before = site.count("AuditRecord", {"user": "coord", "outcome": "not_found"})
    assert signed_in["coord"].get("/browse/Clue/ZT-2023-0001").status_code == 404
    records = site.find("AuditRecord", where={"user": "coord", "outcome": "not_found"},
                        order_by="seq", descending=True).items
    assert len(records) == before + 1
    assert records[0].get("object_key") == "ZT-2023-0001"


def test_unmasking_is_granted_by_the_security_admin_and_audited(fresh: SqliteStore) -> None:
    fresh.upsert_nodes("Person", [{"uid": "P-SYN-0001", "id_enc": TEST_KEY.encrypt(FULL_ID)}])
    app = make_app(fresh)
    coord = Client(app)
    coord.sign_in("coord")
    assert 'id="unmask"' not in coord.get("/browse/Person/P-SYN-0001").text
    assert coord.post("/browse/Person/P-SYN-0001/unmask").status_code == 404
    security = Client(app)
    security.sign_in("sec")
    assert security.post("/admin/users/coord/unmask/allow").status_code == 302
    assert security.post("/admin/users/sys/unmask/allow").status_code == 302
    assert not fresh.get("User", "sys").get("may_unmask")
    assert coord.get("/browse/Person/P-SYN-0001").status_code == 302  # its session ended
    coord.sign_in("coord")
    assert 'id="unmask"' in coord.get("/browse/Person/P-SYN-0001").text
    shown = coord.post("/browse/Person/P-SYN-0001/unmask")
    assert shown.status_code == 200 and FULL_ID in shown.text
    assert coord.post("/browse/Person/P-SYN-ZT1/unmask").status_code == 404
    records = fresh.find("AuditRecord", where={"event": "person.unmask"}, order_by="seq").items
    assert [(r.get("kind"), r.get("outcome")) for r in records] == [
        ("security", "not_found"), ("security", "ok"), ("security", "not_found")]
    assert all(FULL_ID not in str(r.props) for r in records)
