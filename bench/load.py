"""The web under load: gunicorn over the kept graph, signed-in users on 127.0.0.1.

    python -m bench.load [--engine sqlite|neo4j] [--scale province] [--users 50]
                         [--duration 300] [--requests 200000] [--workers 4] [--threads 8]

Each user is a thread with its own HTTP session (requests): it signs in through the login form
(CSRF token from the page), then until the time or the request budget runs out asks, at random,
for the dashboard, the clue list, a clue's trace or a 2-hop explorer expansion, and every tenth
request creates a joint check (a write through the form). Accounts are coordinators for the
whole province (not admins: admin roles may need a second factor); they are added to the kept
graph once, with the joint checks the writes leave. Reported: p50 / p95 / max per kind against
the targets (pages ≤ 250 ms, explorer ≤ 1 s), errors, and each worker's connection pool from
/healthz/pool before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

from bench import graphs, latency
from bench.common import ROOT, machine, report
from collab.access import users
from collab.access.authz import Role
from collab.graph.store import Graph, Store

PASSWORD = "Bench-load-2024!x"
RESULTS = ROOT / "bench" / "results"
TARGET_MS = {"explore": 1000}
PAGE_TARGET_MS = 250
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def accounts(store: Store, n: int) -> list[str]:
    """`n` coordinator accounts for the whole deployment, added once, no first-login change."""
    names = [f"load{i:02d}" for i in range(n)]

    def add(g: Graph) -> None:
        now = datetime.now(UTC)
        for name in names:
            if g.get("User", name) is None:
                users.add(g, authz=None, name=name, password=PASSWORD, now=now,
                          role=Role.COORDINATOR)
                g.upsert_nodes("User", [{"name": name, "must_change": False}])
    store.write(add)
    return names


class Server:
    """gunicorn serving the app over the given store settings, on 127.0.0.1."""

    def __init__(self, env: dict[str, str], port: int, workers: int, threads: int):
        self.url = f"http://127.0.0.1:{port}"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:  # else we would measure that one
                raise SystemExit(f"bench.load: port {port} is in use (--port)")
        self.instance = tempfile.TemporaryDirectory(prefix="collab-load-")
        self._log = Path(self.instance.name) / "gunicorn.log"  # a pipe left unread could block it
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.proc = subprocess.Popen(
            [str(gunicorn), "-b", f"127.0.0.1:{port}", "-w", str(workers), "-k", "gthread",
             "--threads", str(threads), "--timeout", "120", "collab.web:create_app()"],
            env={**os.environ, **env, "COLLAB_INSTANCE": self.instance.name,
                 # the run's own audit key; workers show their pools on /healthz/pool; the
                 # load users are coordinators, who sign in with a password alone here (the
                 # benchmark measures pages, not authenticators)
                 "COLLAB_AUDIT_KEY": secrets.token_hex(32), "COLLAB_POOL_PROBE": "1",
                 "COLLAB_2FA_ROLES": "system_admin"},
            stdout=subprocess.DEVNULL, stderr=self._log.open("w"))
        try:
            self._wait()
        except BaseException:
            self.stop()
            raise

    def _wait(self) -> None:
        """Until /healthz answers, or gunicorn ends, or two minutes pass."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=120).ok:
                    return
            except requests.RequestException:
                pass
            if self.proc.poll() is not None:
                raise SystemExit(f"bench.load: gunicorn ended: {self._log.read_text()[-800:]}")
            time.sleep(0.5)
        raise SystemExit("bench.load: gunicorn did not answer within 120 s")

    def pools(self, workers: int) -> dict[int, dict[str, int]]:
        """Each worker's pool, by asking /healthz/pool until every worker has answered (or 60
        tries)."""
        seen: dict[int, dict[str, int]] = {}
        for _ in range(60):
            body = requests.get(self.url + "/healthz/pool", timeout=10).json()
            seen[body["pid"]] = body["pool"]
            if len(seen) >= workers:
                break
        return dict(sorted(seen.items()))

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.instance.cleanup()


class User(threading.Thread):
    """One signed-in person clicking around until told to stop."""

    def __init__(self, name: str, url: str, points: dict[str, list[Any]], seed: int,
                 stop: Callable[[], bool], record: Callable[[str, int, float], None]):
        super().__init__(daemon=True)
        self.name_, self.url, self.points = name, url, points
        self.rng, self.stop, self.record = random.Random(seed), stop, record
        self.http = requests.Session()
        self.token = ""

    def sign_in(self) -> None:
        page = self.http.get(self.url + "/login", timeout=120)
        token = _CSRF.search(page.text)
        answer = self.http.post(self.url + "/login", allow_redirects=False, timeout=30, data={
            "csrf_token": token.group(1) if token else "", "name": self.name_,
            "password": PASSWORD})
        if answer.status_code != 302:
            raise RuntimeError(f"{self.name_} could not sign in ({answer.status_code})")
        form = self.http.get(self.url + "/checks/new", timeout=120)
        found = _CSRF.search(form.text)
        self.token = found.group(1) if found else ""

    def run(self) -> None:
        try:
            self.sign_in()
        except (requests.RequestException, RuntimeError):
            self.record("sign_in", 0, 0.0)
            return
        n = 0
        while not self.stop():
            n += 1
            kind, call = self.write(n) if n % 10 == 0 else self.read()
            start = time.perf_counter()
            try:
                status = call().status_code
            except requests.RequestException:
                status = 0
            self.record(kind, status, (time.perf_counter() - start) * 1000)

    def read(self) -> tuple[str, Callable[[], requests.Response]]:
        get, pick = self.http.get, self.rng.choice
        choices = {
            "dashboard": lambda: get(self.url + "/", timeout=60),
            "clue_list": lambda: get(self.url + "/browse/Clue", timeout=60),
            "trace": lambda: get(f"{self.url}/clues/{pick(self.points['clue'])}/trace",
                                 timeout=60),
            "explore": lambda: get(self.url + "/explore/api/expand", timeout=60, params={
                "uid": pick(self.points["expand"]), "depth": 2}),
        }
        kind = pick(list(choices))
        return kind, choices[kind]

    def write(self, n: int) -> tuple[str, Callable[[], requests.Response]]:
        today = date.today()
        data = {"csrf_token": self.token, "no": f"JC-LOAD-{self.name_}-{time.time_ns()}-{n}",
                "title": "负载测试联合检查", "start": today.isoformat(),
                "end": (today + timedelta(days=30)).isoformat(),
                "unit": self.rng.choice(self.points["unit"])}
        return "write", lambda: self.http.post(self.url + "/checks/new", data=data,
                                               allow_redirects=False, timeout=60)


def _ok(kind: str, status: int) -> bool:
    return status == 302 if kind == "write" else status == 200


def summarise(samples: list[tuple[str, int, float]], seconds: float) -> list[dict[str, Any]]:
    """p50 / p95 / max per kind, errors, and whether the target was met."""
    rows = []
    for kind in sorted({k for k, _, _ in samples}):
        times = sorted(ms for k, s, ms in samples if k == kind)
        errors = sum(1 for k, s, _ in samples if k == kind and not _ok(k, s))
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        target = TARGET_MS.get(kind, PAGE_TARGET_MS)
        rows.append({"kind": kind, "requests": len(times), "errors": errors,
                     "per_s": round(len(times) / seconds, 1),
                     "p50_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1),
                     "max_ms": round(times[-1], 1), "target_ms": target,
                     "met": "yes" if p95 <= target and not errors else "no"})
    return rows


def _env(engine: str, scale: str, store: Store) -> dict[str, str]:
    if engine == "sqlite":
        return {"COLLAB_BACKEND": "sqlite", "COLLAB_DATABASE": str(graphs.sqlite_path(scale))}
    return {"COLLAB_BACKEND": "neo4j", "COLLAB_NEO4J_URI": store.uri,  # type: ignore[attr-defined]
            "COLLAB_NEO4J_USER": "neo4j", "COLLAB_NEO4J_PASSWORD": "collab-test-pw"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "neo4j"), default="sqlite")
    parser.add_argument("--scale", default="province")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300.0, help="seconds")
    parser.add_argument("--requests", type=int, default=200_000, help="at most, in all")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=int(os.environ.get("COLLAB_BENCH_WEB_PORT",
                                                                        "18696")))
    args = parser.parse_args(argv)
    with graphs.graph(args.engine, args.scale) as (store, _):
        names = accounts(store, args.users)
        points = latency.starts(store, 200)
        points["unit"] = [store.get_uid(u).key for u in points["expand"][::2]]
        server = Server(_env(args.engine, args.scale, store), args.port, args.workers,
                        args.threads)
        samples: list[tuple[str, int, float]] = []
        lock = threading.Lock()

        def record(kind: str, status: int, ms: float) -> None:
            with lock:
                samples.append((kind, status, ms))

        try:
            before = server.pools(args.workers)
            deadline = time.monotonic() + args.duration
            stop = lambda: time.monotonic() > deadline or len(samples) >= args.requests  # noqa
            crowd = [User(name, server.url, points, i, stop, record)
                     for i, name in enumerate(names)]
            started = time.monotonic()
            for user in crowd:
                user.start()
            for user in crowd:
                user.join()
            seconds = time.monotonic() - started
            time.sleep(1)
            after = server.pools(args.workers)
        finally:
            server.stop()
    rows = summarise(samples, seconds)
    report(f"web under load ({args.engine}, {args.scale}, {args.users} users, "
           f"{seconds:.0f} s, {args.workers} workers × {args.threads} threads)", rows)
    pool = {"before": before, "after": after,
            "back_to_baseline": sum(p["in_use"] for p in after.values()) ==
            sum(p["in_use"] for p in before.values())}
    print("pool (per worker pid): " + str(pool))
    print(f"errors: {sum(r['errors'] for r in rows)}")
    kept = {"engine": args.engine, "scale": args.scale, "users": args.users,
            "seconds": round(seconds, 1), "date": machine()["date"], "rows": rows,
            "pool": {k: {str(pid): p for pid, p in v.items()} if isinstance(v, dict) else v
                     for k, v in pool.items()}}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"load-{args.engine}-{args.scale}.json").write_text(
        json.dumps(kept, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
