"""View records by group commit: concurrent page views share durable transactions, the chain
stays one chain, and `kill -9` of the serving process loses no record of a page it sent.

A real gunicorn process serves a real SQLite file; thirty-two clients ask for pages at once; the
process is killed with SIGKILL while they are still asking. Every page that reached a client
must have its record in the file, which must pass SQLite's integrity check and the audit
chain's verification.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests
from keys import AUDIT_KEY, process_env
from web.scenario import PASSWORD, add_accounts, build

from collab.access import audit
from collab.graph.sqlite_engine import SqliteStore

ROOT = Path(__file__).resolve().parents[2]
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PAGES = ("/browse/Clue", "/", "/browse/Issue", "/dashboard/data.json", "/browse/Region")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(db: Path, instance: Path, port: int) -> subprocess.Popen[bytes]:
    # the run's audit key; two-factor sign-in only for the admins (the coordinators here
    # sign in with a password, as COLLAB_2FA_ROLES allows)
    env = process_env(COLLAB_BACKEND="sqlite", COLLAB_DATABASE=str(db),
                      COLLAB_ID_KEY="ab" * 32, COLLAB_INSTANCE=str(instance),
                      COLLAB_SECRET_KEY="group-commit-test", COLLAB_2FA_ROLES="system_admin",
                      COLLAB_POOL_PROBE="1",
                      PYTHONPATH=str(ROOT))
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen([str(gunicorn), "-b", f"127.0.0.1:{port}", "-w", "1", "-k",
                             "gthread", "--threads", "32", "collab.web:create_app()"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def _signed_in(url: str) -> requests.Session:
    http = requests.Session()
    deadline = time.monotonic() + 120
    while True:
        try:
            page = http.get(url + "/login", timeout=30)
            break
        except requests.ConnectionError:
            assert time.monotonic() < deadline, "the server did not come up"
            time.sleep(0.3)
    token = _CSRF.search(page.text)
    answer = http.post(url + "/login", allow_redirects=False, timeout=60, data={
        "csrf_token": token.group(1) if token else "", "name": "prov", "password": PASSWORD})
    assert answer.status_code == 302
    return http


def test_no_view_record_is_lost_on_kill_9_and_views_share_commits(tmp_path: Path) -> None:
    db = tmp_path / "collab.sqlite3"
    store = SqliteStore(db)
    store.init_schema()
    store.write(build)
    store.write(add_accounts)
    # thirty-two sessions of one coordinator: no authenticator (COLLAB_2FA_ROLES below)
    store.upsert_nodes("User", [{"name": "prov", "totp_enc": None, "totp_enrolled_at": None}])
    store.close()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = _serve(db, tmp_path, port)
    try:
        sessions = [_signed_in(url) for _ in range(32)]
        shown: list[str] = []  # request ids of the pages a client received
        lock, stop, health = threading.Lock(), threading.Event(), {}

        def browse(http: requests.Session, i: int) -> None:
            while not stop.is_set():
                try:
                    answer = http.get(url + PAGES[i % len(PAGES)], timeout=30)
                except requests.RequestException:
                    return  # the server is gone
                with lock:
                    if answer.status_code == 200 and not stop.is_set():
                        shown.append(answer.headers["X-Request-Id"])
                    if len(shown) == 100 and not health:
                        pool = requests.get(url + "/healthz/pool", timeout=30).json()
                        health.update(pool["audit"])
                    if len(shown) >= 200 and not stop.is_set():
                        # the moment a page arrives, with others on their way: kill -9 the
                        # master and the worker
                        os.killpg(server.pid, signal.SIGKILL)
                        stop.set()
                i += 1

        clients = [threading.Thread(target=browse, args=(h, i)) for i, h in enumerate(sessions)]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    # several records went into each of the writer's commits
    assert health["commits"] < health["records"], health
    store = SqliteStore(db)
    try:
        assert store.integrity_check() == "ok"
        ids, total = set(), store.count("AuditRecord")
        for offset in range(0, total, 1000):
            ids |= {n.get("request_id") for n in store.find(
                "AuditRecord", order_by="seq", limit=1000, offset=offset).items}
        missing = [rid for rid in shown if rid not in ids]
        assert missing == [], f"{len(missing)} of {len(shown)} pages shown have no record"
        assert store.read(lambda tx: audit.verify(tx, AUDIT_KEY)).ok
    finally:
        store.close()
