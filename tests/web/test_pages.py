"""What every answer carries: security headers, plain errors with a request id, local assets,
Chinese by default with English on request."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask
from web.client import Client, make_app

from collab.config import Config

WEB = Path(__file__).resolve().parents[2] / "collab" / "web"
CATALOG = WEB / "translations" / "zh" / "LC_MESSAGES" / "messages"


def test_security_headers_on_every_answer(signed_in: dict) -> None:
    for route in ("/", "/browse/Clue", "/no/such/page", "/static/css/collab.css"):
        response = signed_in["coord"].get(route)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "object-src 'none'" in csp
        assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert signed_in["coord"].get("/browse/Clue").headers["Cache-Control"] == "no-store"


def test_pages_hold_no_inline_script_or_style(signed_in: dict) -> None:
    for route in ("/", "/browse/Clue", "/browse/Clue/XS-2023-0001", "/password",
                  "/account/2fa"):
        html = signed_in["coord"].get(route).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), route
        assert " style=" not in html and "<style" not in html and " on" + "click=" not in html
    for path in (WEB / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert " style=" not in text and not re.search(r"<script(?![^>]*\bsrc=)", text), path


def test_no_asset_comes_from_another_site() -> None:
    remote = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//|url\(\s*["']?(https?:)?//""")
    ours = [p for p in (WEB / "templates").rglob("*.html")] + \
        [p for p in (WEB / "static").rglob("*") if p.suffix in (".js", ".css")
         and "vendor" not in p.parts]
    for path in ours:
        text = path.read_text(encoding="utf-8")
        assert not remote.search(text) and "http://" not in text and "https://" not in text, path
    for css in (WEB / "static" / "vendor").rglob("*.css"):
        assert not re.search(r"url\(\s*[\"']?(https?:)?//", css.read_text(encoding="utf-8"))
    for vendor in ("bootstrap", "echarts"):
        assert (WEB / "static" / "vendor" / vendor / "LICENSE").is_file()


def test_errors_are_plain_with_a_request_id(signed_in: dict) -> None:
    for route, status in (("/browse/Clue?page=x", 400), ("/no/such/page", 404),
                          ("/browse/Clue/ZT-2023-0001", 404)):
        response = signed_in["coord"].get(route)
        assert response.status_code == status
        assert response.headers["X-Request-Id"] in response.text
        assert "Traceback" not in response.text and "sqlite" not in response.text.lower()


def test_store_down_answers_503_quickly_and_plainly(tmp_path: Path) -> None:
    config = Config.from_env(database=tmp_path / "missing.sqlite3")
    client = make_app(None, COLLAB_CONFIG=config).test_client()
    response = client.get("/login")
    assert response.status_code == 503
    assert response.headers["X-Request-Id"] in response.text
    assert str(tmp_path) not in response.text and "collab init" not in response.text


def test_chinese_by_default_and_english_on_request(fresh_app: Flask) -> None:
    client = Client(fresh_app)
    assert "登录" in client.get("/login").text
    client.sign_in("coord")
    assert "问题线索" in client.get("/browse/Clue").text
    client.post("/language", {"lang": "en", "next": "/browse/Clue"})
    page = client.get("/browse/Clue").text
    assert "Clues" in page and "问题线索" not in page
    client.post("/language", {"lang": "xx", "next": "/"})
    assert "Clues" in client.get("/browse/Clue").text


def test_the_catalogue_is_complete_and_compiled() -> None:
    with open(CATALOG.with_suffix(".po"), "rb") as f:
        po = read_po(f)
    with open(CATALOG.with_suffix(".mo"), "rb") as f:
        mo = read_mo(f)
    translated = {m.id: m.string for m in po if m.id}
    assert translated == {m.id: m.string for m in mo if m.id}
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    found = {msg[2] for msg in extract_from_dir(
        str(WEB.parent), method_map, keywords={"_": None, "gettext": None, "_l": None,
                                               "lazy_gettext": None, "N_": None})}
    untranslated = sorted(m for m in found if not translated.get(m))
    assert untranslated == []


def test_the_openapi_document_is_served(fresh_app: Flask) -> None:
    spec = fresh_app.test_client().get("/api/v1/openapi.json").get_json()
    assert spec["info"]["title"] == "collab API"
    assert {"/api/v1/me", "/api/v1/nodes/{label}", "/api/v1/nodes/{label}/{key}"} \
        <= set(spec["paths"])
