"""Importing a ledger in the app: dry run, confirm, all or nothing, within jurisdiction."""

from __future__ import annotations

import csv
import io
import os
import time
from pathlib import Path

import idscan
import pytest
from web.client import Client, make_app

from collab.graph.sqlite_engine import SqliteStore

UNITS = [["单位编码", "单位名称", "所属区划代码"],
         ["U532628107001", "那能村党支部", "532628107"],
         ["U532622100001", "江那镇某村党支部", "532622100"]]


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("gbk")


@pytest.fixture
def app(fresh: SqliteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("COLLAB_INSTANCE", str(tmp_path / "instance"))
    return make_app(fresh)  # the web tests' key (scenario.TEST_KEY)


def upload(client: Client, name: str, body: bytes, check: bool = True):
    """Upload a ledger; unless `check` is False, take the mapping as guessed and dry-run it."""
    done = client.http.post("/import/", data={"csrf_token": client.token,
                                              "ledger": (io.BytesIO(body), name)},
                            content_type="multipart/form-data")
    if not check or 'id="mapping-form"' not in done.text:
        return done
    return client.post("/import/check")


def held(tmp_path: Path) -> list[Path]:
    """The files held between the upload and its confirmation."""
    folder = tmp_path / "instance" / "uploads"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_dry_run_then_confirm(app, fresh: SqliteStore, tmp_path: Path) -> None:
    coord = Client(app)
    coord.sign_in("coord")
    checked = upload(coord, "单位.csv", csv_bytes(UNITS))
    assert checked.status_code == 200 and 'id="confirm-import"' in checked.text
    assert fresh.get("Unit", "U532628107001") is None
    assert len(held(tmp_path)) == 1
    done = coord.post("/import/confirm")
    assert done.status_code == 200
    assert fresh.get("Unit", "U532628107001").get("name") == "那能村党支部"
    assert held(tmp_path) == []
    record = fresh.find("AuditRecord", where={"event": "ledger.import"}).items[0]
    assert record.get("kind") == "import" and record.get("outcome") == "ok"
    assert coord.post("/import/confirm").headers["Location"] == "/import/"


def test_rows_outside_jurisdiction_refuse_the_whole_file(app, fresh: SqliteStore,
                                                         tmp_path: Path) -> None:
    zt = Client(app)
    zt.sign_in("zt")
    refused = upload(zt, "单位.csv", csv_bytes(UNITS))
    assert refused.status_code == 200 and 'id="confirm-import"' not in refused.text
    assert 'id="report"' in refused.text and 'id="error-workbook"' in refused.text
    assert fresh.get("Unit", "U532628107001") is None
    record = fresh.find("AuditRecord", where={"event": "ledger.import_check"}).items[0]
    assert record.get("outcome") == "refused"
    # the marked file is built in memory; only the sealed upload is on disk
    marked = zt.get("/import/errors.xlsx")
    assert marked.status_code == 200 and marked.data.startswith(b"PK")
    [kept] = held(tmp_path)
    assert "那能村".encode("gbk") not in kept.read_bytes()


def test_wrong_files_and_roles_are_refused(app, fresh: SqliteStore) -> None:
    coord = Client(app)
    coord.sign_in("coord")
    wrong = upload(coord, "../../etc/passwd.xlsm", b"PK\x03\x04 not really")
    assert wrong.status_code == 200 and 'id="confirm-import"' not in wrong.text
    junk = upload(coord, "台账.xlsx", b"this is not a spreadsheet at all")
    assert 'id="confirm-import"' not in junk.text
    for name in ("lead", "liaison", "sys", "aud"):
        other = Client(app)
        other.sign_in(name)
        assert other.get("/import/").status_code == 404


def test_an_upload_never_confirmed_is_deleted_after_an_hour(app, tmp_path: Path) -> None:
    """A user who walks away leaves the ledger (ID numbers and all) on disk for an hour at
    most: the next upload sweeps it."""
    coord = Client(app)
    coord.sign_in("coord")
    upload(coord, "单位.csv", csv_bytes(UNITS))
    folder = tmp_path / "instance" / "uploads"
    [abandoned] = list(folder.iterdir())
    hour_ago = time.time() - 3601
    os.utime(abandoned, (hour_ago, hour_ago))
    other = Client(app)
    other.sign_in("insp")
    upload(other, "单位.csv", csv_bytes(UNITS))
    assert not abandoned.exists() and len(list(folder.iterdir())) == 1


def test_a_mapping_saved_as_a_profile_is_used_when_the_same_headers_come_again(
        app, fresh: SqliteStore) -> None:
    coord = Client(app)
    coord.sign_in("coord")
    own = [["编号", "党组织", "所属区划", "备注"], *[[*r, "村（社区）"] for r in UNITS[1:2]]]
    mapped = upload(coord, "单位.csv", csv_bytes(own), check=False)
    assert 'id="mapping-form"' in mapped.text and "已套用保存的列映射" not in mapped.text
    # the guess is a clue ledger (编号, 所属区划): read it as units, then map its columns
    remapped = coord.post("/import/check", {"kind-0": "units", "remap": "1"})
    assert 'value="units" selected' in remapped.text and 'id="confirm-import"' not in remapped.text
    picks = {"kind-0": "units", "map-0-0": "code", "map-0-1": "name", "map-0-2": "region_code",
             "map-0-3": "-", "profile": "文山州单位名册"}
    checked = coord.post("/import/check", picks)
    assert 'id="confirm-import"' in checked.text, checked.text[-2000:]
    again = upload(Client_signed(app, "insp"), "单位（二）.csv", csv_bytes(own), check=False)
    assert "已套用保存的列映射" in again.text and "文山州单位名册" in again.text
    assert 'value="name" selected' in again.text
    saved = fresh.find("ImportProfile").items
    assert [(p.get("name"), p.get("owner"), p.get("kind")) for p in saved] == [
        ("文山州单位名册", "532600", "units")]


def Client_signed(app, name: str) -> Client:  # noqa: N802 - reads as the client it gives
    client = Client(app)
    client.sign_in(name)
    return client


def test_an_upload_waiting_for_confirmation_is_never_plain_text_on_disk(
        app, fresh: SqliteStore, tmp_path: Path) -> None:
    """Item 9 of issue 16: the upload sat in the instance folder as uploaded (ID numbers in
    plain text) until confirmed. Now it is sealed under a key only the uploader's session
    cookie carries, owner-only; a large upload is read in memory, not spooled to disk."""
    number = idscan.number("53262819550301002")
    rows = [*UNITS, ["U532628107002", f"那能村第二党支部（书记身份证 {number}）", "532628107"],
            *([f"U5326281079{i:04d}", f"那能乡第{i}号党支部（合成）", "532628107"]
              for i in range(14_000))]
    body = csv_bytes(rows)
    assert len(body) > 512 * 1024  # over the size werkzeug would spool to a file on disk
    coord = Client(app)
    coord.sign_in("coord")
    assert 'id="confirm-import"' in upload(coord, "单位.csv", body).text
    [kept] = held(tmp_path)
    data = kept.read_bytes()
    assert idscan.valid_numbers(data) == set() and "那能村".encode("gbk") not in data
    assert b"U532628107001" not in data and not data.startswith(b"PK")
    assert kept.stat().st_mode & 0o777 == 0o600
    assert kept.parent.stat().st_mode & 0o777 == 0o700
    thief = Client(app)  # another session, even of the same user: not its upload
    thief.sign_in("coord")
    assert thief.post("/import/confirm").headers["Location"] == "/import/"
    assert fresh.get("Unit", "U532628107002") is None
    assert coord.post("/import/confirm").status_code == 200
    assert fresh.get("Unit", "U532628107002") is not None and held(tmp_path) == []


def test_uploads_are_read_in_memory(app) -> None:
    big = io.BytesIO(b"x" * 3_000_000)
    with app.test_request_context("/import/", method="POST",
                                  data={"ledger": (big, "big.csv")},
                                  content_type="multipart/form-data"):
        from flask import request

        assert isinstance(request.files["ledger"].stream, io.BytesIO)
