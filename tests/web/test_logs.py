"""No password, key, token or full ID number in any log: `collab serve` as its own process,
its whole output kept while people sign in (right and wrong), import a ledger of ID numbers,
look people up by ID number, use an API token; then the log is searched for each of them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from keys import AUDIT_KEY_HEX
from ledgers.ledger_helpers import xlsx
from own_neo4j import free_port
from web.scenario import PASSWORD, TEST_SECRET, add_accounts, build, code_for, token_for

from collab.access import idnumbers
from collab.graph.sqlite_engine import SqliteStore

ROOT = Path(__file__).resolve().parents[2]
ID_KEY = TEST_SECRET.hex()  # the key the scenario's authenticators are sealed with
SECRET_KEY = "flask-secret-for-the-log-test-0123456789"
NUMBERS = [n + idnumbers.check_digit(n) for n in ("53262819550301002", "53262819621115003")]
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')



@pytest.fixture
def server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """`collab serve` over the scenario, its stdout and stderr going to one log file."""
    db = tmp_path / "collab.sqlite3"
    store = SqliteStore(db)
    store.init_schema()
    store.write(build)
    store.write(add_accounts)
    token = token_for(store, "coord", "log-test")
    store.close()
    port, log = free_port(), tmp_path / "serve.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("COLLAB_")}
    env |= {"PYTHONPATH": str(ROOT), "COLLAB_DATABASE": str(db), "COLLAB_ID_KEY": ID_KEY,
            "COLLAB_SECRET_KEY": SECRET_KEY, "COLLAB_INSTANCE": str(tmp_path / "var"),
            "COLLAB_AUDIT_KEY": AUDIT_KEY_HEX, "COLLAB_KEYS_DIR": str(tmp_path / "keys")}
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "collab", "serve", "--port",
                                    str(port)], env=env, cwd=tmp_path, stdout=out,
                                   stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                requests.get(url + "/login", timeout=2)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        yield {"url": url, "log": log, "token": token, "dir": tmp_path, "db": db}
    finally:
        process.terminate()
        process.wait(timeout=30)


def _csrf(session: requests.Session, url: str) -> str:
    found = _CSRF.search(session.get(url, timeout=30).text)
    assert found
    return found.group(1)


def _sign_in(url: str, name: str, password: str, code: str = "") -> requests.Session:
    session = requests.Session()
    session.post(url + "/login", data={"csrf_token": _csrf(session, url + "/login"),
                                       "name": name, "password": password, "code": code},
                 timeout=30)
    return session


def test_the_log_holds_no_secret_and_no_full_id_number(server: dict[str, Any]) -> None:
    url, wrong = server["url"], "Wrong-" + PASSWORD
    _sign_in(url, "coord", wrong)
    _sign_in(url, "nobody", PASSWORD)
    store = SqliteStore(server["db"])
    code = code_for(store, "coord")
    store.close()
    coord = _sign_in(url, "coord", PASSWORD, code)
    assert coord.get(url + "/", timeout=30).status_code == 200
    ledger = xlsx(server["dir"] / "人员台账.xlsx", {"人员": [
        ["姓名", "身份证号", "工作单位", "职务", "区划代码"],
        ["王某", NUMBERS[0], "富宁县纪委监委", "干部", "532628"],
        ["李某", NUMBERS[1], "", f"村民（身份证{NUMBERS[1]}）", "532628"]]})
    with ledger.open("rb") as f:
        uploaded = coord.post(url + "/import/", timeout=60, files={"ledger": f},
                              data={"csrf_token": _csrf(coord, url + "/import/")})
    assert uploaded.status_code == 200
    done = coord.post(url + "/import/confirm", timeout=60,
                      data={"csrf_token": _csrf(coord, url + "/import/")})
    assert done.status_code == 200 and "王某" not in done.url
    for number in NUMBERS:
        found = coord.get(url + "/explore/api/search", params={"q": number}, timeout=30)
        assert found.status_code == 200 and found.json()["hits"]
        assert coord.get(f"{url}/browse/Person/{number}", timeout=30).status_code == 404
    api = requests.get(url + "/api/v1/me", timeout=30,
                       headers={"Authorization": "Bearer " + server["token"]})
    assert api.status_code == 200
    time.sleep(0.5)  # the server writes its last lines
    log = server["log"].read_text(encoding="utf-8")
    assert "/explore/api/search" in log and "/import/confirm" in log  # it logs requests
    for secret in (PASSWORD, wrong, ID_KEY, SECRET_KEY, AUDIT_KEY_HEX, server["token"],
                   *NUMBERS):
        assert secret not in log
    assert idnumbers.mask(NUMBERS[0]) in log  # shown masked instead
