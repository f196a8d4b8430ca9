"""Hostile uploads to the import page and the cross-check page: refused, nothing kept, audited.

The files are made here for real: an xlsx whose sheet carries an XML entity bomb (billion
laughs), an xlsx whose sheet unpacks to 64 MB from a few hundred KB, a file over the upload
limit, a PDF and a shell script named .xlsx, a .exe, a macro-enabled workbook (as .xlsm and
renamed .xlsx), and a valid ledger sent under a path-traversal name. Each must be refused with a
clear message while the graph, the upload folder and the temporary folder stay as they were,
and Python's memory stays bounded (tracemalloc's peak, a bound check, not a timing).
"""

from __future__ import annotations

import io
import tempfile
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from web.client import Client, make_app
from web.routes import data_counts
from web.test_crosscheck_web import PENSION, ROSTER

from collab.graph.sqlite_engine import SqliteStore

UNITS = [["单位编码", "单位名称", "所属区划代码"], ["U532628107001", "那能村党支部", "532628107"]]
BOMB = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                  for i in range(1, 10))
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
          '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
          '</sheetData></worksheet>')
MEMORY_BOUND = 16 * 2**20


def ledger_xlsx(rows: list[list[str]] = UNITS) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def replaced(book: bytes, name: str, write: Callable[[Any], None]) -> bytes:
    """`book` with its part `name` written anew by `write` (other parts copied as they are)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as old, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != name:
                new.writestr(info, old.read(info))
        with new.open(name, "w", force_zip64=True) as part:
            write(part)
    return out.getvalue()


def entity_bomb() -> bytes:
    return replaced(ledger_xlsx(), "xl/worksheets/sheet1.xml",
                    lambda part: part.write(BOMB.encode()))


def zip_bomb() -> bytes:
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 1000 + b"</t></is></c></row>"

    def write(part: Any) -> None:
        part.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                   b'main"><sheetData>')
        for _ in range(64 * 2**20 // len(row)):
            part.write(row)
        part.write(b"</sheetData></worksheet>")

    return replaced(ledger_xlsx(), "xl/worksheets/sheet1.xml", write)


def with_macros() -> bytes:
    return replaced(ledger_xlsx(), "xl/vbaProject.bin",
                    lambda part: part.write(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1Attribute VB_"))


def csv_bytes() -> bytes:
    return "\n".join(",".join(r) for r in UNITS).encode("utf-8")


def valid(url: str) -> bytes:
    """A file the page would accept: a unit ledger to import, a roster to compare."""
    return csv_bytes() if url == "/import/" else ROSTER.read_bytes()


# name -> (file name, body for the page); each must be refused.
HOSTILE: dict[str, Callable[[str], tuple[str, bytes]]] = {
    "entity bomb": lambda url: ("台账.xlsx", entity_bomb()),
    "zip bomb": lambda url: ("台账.xlsx", zip_bomb()),
    "over the limit": lambda url: ("台账.csv", csv_bytes() + b"\n" + b"x," * (11 * 2**20)),
    "PDF named xlsx": lambda url: ("台账.xlsx", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\n"),
    "script named xlsx": lambda url: ("台账.xlsx", b"#!/bin/sh\nrm -rf /\n"),
    "wrong extension": lambda url: ("台账.exe", b"MZ\x90\x00" + csv_bytes()),
    "xlsm with macros": lambda url: ("台账.xlsm", with_macros()),
    "macros renamed xlsx": lambda url: ("台账.xlsx", with_macros()),
    "path traversal": lambda url: ("../../../../tmp/台账.csv", valid(url)),
    "windows path traversal": lambda url: ("..\\..\\台账.csv", valid(url)),
}


@pytest.fixture
def setting(fresh: SqliteStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """The app with its own instance folder and temporary folder, to see what is left."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("COLLAB_INSTANCE", str(tmp_path / "instance"))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    app = make_app(fresh)
    coord = Client(app)
    coord.sign_in("coord")
    return {"client": coord, "store": fresh, "instance": tmp_path / "instance", "temp": temp}


def send(client: Client, url: str, name: str, body: bytes) -> Any:
    if url == "/import/":
        files = {"ledger": (io.BytesIO(body), name)}
    else:
        files = {"list_a": (io.BytesIO(body), name),
                 "list_b": (io.BytesIO(PENSION.read_bytes()), "b.xlsx"), "key": "name_birth"}
    return client.http.post(url, data={"csrf_token": client.token, **files},
                            content_type="multipart/form-data")


def left_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()
            and p.name not in ("secret_key", "audit-checkpoints")]  # the app's own bookkeeping


@pytest.mark.parametrize("url", ["/import/", "/crosscheck/"])
@pytest.mark.parametrize("attack", list(HOSTILE))
def test_a_hostile_upload_is_refused_and_leaves_nothing(setting: dict, url: str,
                                                        attack: str) -> None:
    store, client = setting["store"], setting["client"]
    name, body = HOSTILE[attack](url)
    before, records = data_counts(store), store.count("AuditRecord")
    tracemalloc.start()
    try:
        response = send(client, url, name, body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert response.status_code in (200, 400, 413), response.status_code
    text = response.get_data(as_text=True)
    assert "Traceback" not in text and 'id="confirm-import"' not in text
    assert 'id="issue-form"' not in text
    assert any(m in text for m in REFUSALS), text[-2000:]
    print(f"upload {attack} to {url}: python peak {peak // 2**10} KiB")
    assert peak < MEMORY_BOUND, f"{attack}: {peak // 2**20} MB"
    assert data_counts(store) == before
    assert left_files(setting["instance"]) == [] and left_files(setting["temp"]) == []
    record = store.find("AuditRecord", order_by="seq", descending=True, limit=1).items[0]
    assert store.count("AuditRecord") == records + 1
    assert record.get("outcome") in ("refused", "bad_request", "413"), record.get("outcome")


# Chinese refusals (the default language) the pages may give, one of which must show.
REFUSALS = ("上传文件过大", "仅支持", "文件类型不支持", "已损坏", "压缩炸弹", "含有宏",
            "文件名不得包含", "实体炸弹")


@pytest.mark.parametrize("url", ["/import/", "/crosscheck/"])
def test_the_same_file_under_its_bare_name_is_accepted(setting: dict, url: str) -> None:
    """The control for the path-traversal names: the refusal was for the name alone."""
    response = send(setting["client"], url, "台账.csv", valid(url))
    marker = 'id="mapping-form"' if url == "/import/" else 'id="issue-form"'
    assert response.status_code == 200 and marker in response.text
