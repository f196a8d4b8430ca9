"""Evidence files on a task's page: a PDF or Office document is kept by its hash and listed;
a program named .pdf, an oversize file, a path in the name and a foreign task are refused
with nothing kept; only those who may see the task download it, each download audited."""

from __future__ import annotations

import io
import tempfile
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
from flask import Flask
from openpyxl import Workbook
from web.client import Client, make_app, signed

from collab.config import Config
from collab.graph.sqlite_engine import SqliteStore

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def site(fresh: SqliteStore, tmp_path: Path) -> tuple[Flask, SqliteStore, Path]:
    fresh.upsert_nodes("Rectification", [
        {"no": "ZG-WEB-1", "title": "补发养老金", "status": "in_progress",
         "region_code": "532628107", "deadline": date.today() + timedelta(days=5)}])
    checkpoints = Path(tempfile.mkdtemp(prefix="collab-checkpoints-")) / "audit-checkpoints"
    config = Config.from_env(instance=tmp_path, evidence_max_mb=1, audit_checkpoints=checkpoints)
    return make_app(fresh, COLLAB_CONFIG=config), fresh, tmp_path


def attach(client: Client, name: str, data: bytes) -> object:
    return client.http.post("/rectification/ZG-WEB-1/attach", data={
        "csrf_token": client.token, "on": date.today().isoformat(),
        "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def kept(instance: Path) -> list[Path]:
    return sorted(p for p in (instance / "evidence").rglob("*") if p.is_file()) \
        if (instance / "evidence").exists() else []


def test_a_pdf_is_kept_by_its_hash_listed_and_downloaded(site: tuple[Flask, SqliteStore,
                                                                      Path]) -> None:
    app, store, instance = site
    coord = signed(app, "coord")
    assert attach(coord, "整改报告.pdf", PDF).status_code == 302
    task = store.get("Rectification", "ZG-WEB-1")
    [line] = task.get("files")
    sha = line.split("\t")[0]
    assert [p.name for p in kept(instance)] == [sha] and "整改报告.pdf" in task.get("evidence")
    page = coord.get("/rectification/ZG-WEB-1").text
    assert f'data-file="{sha}"' in page and "整改报告.pdf" in page
    got = coord.get(f"/rectification/ZG-WEB-1/files/{sha}")
    assert got.status_code == 200 and got.data == PDF
    assert got.headers["Content-Type"].startswith("application/pdf")
    assert unquote(got.headers["Content-Disposition"].split("filename*=UTF-8''")[1]) \
        == "整改报告.pdf"
    book = Workbook()
    book.active.append(["整改事项", "完成情况"])
    office = io.BytesIO()
    book.save(office)
    assert attach(coord, "整改台账.xlsx", office.getvalue()).status_code == 302
    assert len(store.get("Rectification", "ZG-WEB-1").get("files")) == 2
    downloads = [r for r in store.find("AuditRecord", where={"object_key": "ZG-WEB-1"}).items
                 if r.get("event") == "rectification.evidence_download"]
    assert [(r.get("user"), r.get("outcome")) for r in downloads] == [("coord", "ok")]


@pytest.mark.parametrize("name, data, why", [
    ("整改报告.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, "a program named .pdf"),
    ("整改报告.docx", b"PK\x03\x04" + b"\x00" * 100, "a zip that is no Word document"),
    ("照片.jpg", PDF, "a PDF named .jpg"),
    ("整改报告.pdf", b"%PDF-" + b"0" * (1024 * 1024), "over the 1 MB limit"),
    ("报告.exe", b"MZ\x90\x00", "a program"),
    ("../../etc/整改报告.pdf", PDF, "a path in the name"),
    ("空.pdf", b"", "an empty file"),
])
def test_what_is_not_evidence_is_refused_and_nothing_kept(
        site: tuple[Flask, SqliteStore, Path], name: str, data: bytes, why: str) -> None:
    app, store, instance = site
    refused = attach(signed(app, "coord"), name, data)
    assert refused.status_code == 400, why
    assert 'data-error-for="file"' in refused.text, why
    assert kept(instance) == [] and not store.get("Rectification", "ZG-WEB-1").get("files")


def test_a_foreign_user_neither_attaches_nor_downloads(site: tuple[Flask, SqliteStore,
                                                                   Path]) -> None:
    app, store, instance = site
    assert attach(signed(app, "coord"), "整改报告.pdf", PDF).status_code == 302
    sha = store.get("Rectification", "ZG-WEB-1").get("files")[0].split("\t")[0]
    for name in ("zt", "liaison"):
        other = signed(app, name)
        assert attach(other, "别的.pdf", PDF + b"x").status_code == 404
        assert other.get(f"/rectification/ZG-WEB-1/files/{sha}").status_code == 404
    assert len(kept(instance)) == 1
    assert signed(app, "coord").get("/rectification/ZG-WEB-1/files/" + "0" * 64) \
        .status_code == 404
    refused = store.find("AuditRecord", where={"object_key": "ZG-WEB-1", "user": "zt"}).items
    assert {r.get("outcome") for r in refused} == {"not_found"}
