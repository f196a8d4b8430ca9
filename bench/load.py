"""The web under load: gunicorn over the kept graph, signed-in people on 127.0.0.1.

    python -m bench.load [--engine sqlite|neo4j|both] [--scale province] [--stages 50,100,200]
                         [--stage-seconds 120] [--ramp 4] [--think 2,5]
                         [--saturation-scale county] [--steps 4,8,16,32,64,128]
                         [--step-seconds 45] [--no-saturation] [--workers 4] [--threads 8]

Two runs per engine, the load generator in this process and the server (gunicorn, and Neo4j)
in their own:

- **People at work** (the honest model): each person signs in once when they arrive (`--ramp`
  people a second, so a crowd arriving does not all sign in within the same second), then
  thinks 2–5 s between pages, picking them as a working day does (`MIX`): the dashboard (the
  page, then its chart data), clue and issue lists, detail pages, clue traces, explorer
  expansions, and writes (a new joint check). People are added in stages (50, then 100, then
  200); each stage is measured once everyone has arrived, for `--stage-seconds`. Reported per
  stage and page: p50 / p95 / max and errors against the targets (pages ≤ 250 ms, the explorer
  ≤ 1 s, sign-in included), the requests a second sustained, and the server's CPU per request
  (gunicorn's workers and, on Neo4j, the database's, from /proc), and each worker's
  connection pool and audit group commits from /healthz/pool before and after.
- **Saturation** (closed loop, a separate figure): `--steps` people with no think time, each
  step for `--step-seconds`; the requests a second where the mixed page load's p95 passes 1 s.

Accounts are coordinators for the whole province (admin roles would need a second factor),
added to the kept graph once with the joint checks the writes leave. Results go to
bench/results/load-<engine>-<scale>.json and saturation-<engine>-<scale>.json.
"""

from __future__ import annotations

import argparse
import json
import math
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
from bench.common import BENCH_HOME, RESULTS, machine, report
from collab.access import users
from collab.access.authz import Role
from collab.graph.store import Graph, Store

PASSWORD = "Bench-load-2024!x"
TARGET_MS = {"explore": 1000}
PAGE_TARGET_MS = 250
SATURATION_MS = 1000
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# A working day: how often each page is asked for (weights).
MIX = {"dashboard": 12, "clue_list": 18, "issue_list": 8, "detail": 20, "trace": 15,
       "explore": 12, "write": 6}
_TICK = os.sysconf("SC_CLK_TCK")


def accounts(store: Store, n: int) -> list[str]:
    """`n` coordinator accounts for the whole deployment, added once, no first-login change
    (twenty to a transaction: each password hash takes a while)."""
    names = [f"load{i:03d}" for i in range(n)]
    for i in range(0, n, 20):
        store.write(lambda g, chunk=names[i:i + 20]: _add(g, chunk))
    return names


def _add(g: Graph, names: list[str]) -> None:
    now = datetime.now(UTC)
    for name in names:
        if g.get("User", name) is None:
            users.add(g, authz=None, name=name, password=PASSWORD, now=now,
                      role=Role.COORDINATOR)
            g.upsert_nodes("User", [{"name": name, "must_change": False}])


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
            answer = requests.get(self.url + "/healthz/pool", timeout=10)
            if answer.status_code != 200:  # a worker still starting (or its store): ask again
                time.sleep(1)
                continue
            body = answer.json()
            seen[body["pid"]] = body["pool"]
            if len(seen) >= workers:
                break
        else:
            raise SystemExit(f"bench.load: /healthz/pool answered {answer.status_code}; "
                             f"the server's log ends: {self._log.read_text()[-1500:]}")
        return dict(sorted(seen.items()))

    def cpu_seconds(self, engine: str) -> float:
        """CPU time so far of gunicorn's master and workers, and of the Neo4j server."""
        pids = [self.proc.pid] + _children(self.proc.pid)
        if engine == "neo4j":
            try:
                pids.append(int((BENCH_HOME / "neo4j.pid").read_text().strip()))
            except (OSError, ValueError):
                pass
        return sum(_cpu(pid) for pid in pids)

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.instance.cleanup()


def _cpu(pid: int) -> float:
    """User and system CPU seconds of a process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


class Person(threading.Thread):
    """One signed-in person: a page, a pause (`think`, seconds, or none), another page."""

    def __init__(self, http: requests.Session, name: str, url: str, token: str,
                 points: dict[str, list[Any]], seed: int, think: tuple[float, float] | None,
                 stop: threading.Event, record: Callable[[str, int, float], None]):
        super().__init__(daemon=True)
        self.http, self.name_, self.url, self.token = http, name, url, token
        self.points, self.think, self.stop, self.record = points, think, stop, record
        self.rng = random.Random(seed)

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            if self.think and self.stop.wait(self.rng.uniform(*self.think)):
                return
            n += 1
            kind = self.rng.choices(list(MIX), weights=list(MIX.values()))[0]
            for step, call in self.page(kind, n):
                start = time.perf_counter()
                try:
                    status = call().status_code
                except requests.RequestException:
                    status = 0
                self.record(step, status, (time.perf_counter() - start) * 1000)

    def page(self, kind: str, n: int) -> list[tuple[str, Callable[[], requests.Response]]]:
        get, pick, url = self.http.get, self.rng.choice, self.url
        if kind == "dashboard":  # the page, then the data its charts ask for
            return [("dashboard", lambda: get(url + "/", timeout=60)),
                    ("dashboard_data", lambda: get(url + "/dashboard/data.json", timeout=60))]
        if kind == "clue_list":
            return [(kind, lambda: get(url + "/browse/Clue", timeout=60,
                                       params={"page": self.rng.randint(1, 40)}))]
        if kind == "issue_list":
            return [(kind, lambda: get(url + "/browse/Issue", timeout=60,
                                       params={"page": self.rng.randint(1, 40)}))]
        if kind == "detail":
            return [(kind, lambda: get(f"{url}/browse/Clue/{pick(self.points['clue'])}",
                                       timeout=60))]
        if kind == "trace":
            return [(kind, lambda: get(f"{url}/clues/{pick(self.points['clue'])}/trace",
                                       timeout=60))]
        if kind == "explore":
            return [(kind, lambda: get(url + "/explore/api/expand", timeout=60, params={
                "uid": pick(self.points["expand"]), "depth": 2}))]
        today = date.today()
        data = {"csrf_token": self.token, "no": f"JC-LOAD-{self.name_}-{time.time_ns()}-{n}",
                "title": "负载测试联合检查", "start": today.isoformat(),
                "end": (today + timedelta(days=30)).isoformat(),
                "unit": pick(self.points["unit"])}
        return [("write", lambda: self.http.post(url + "/checks/new", data=data,
                                                 allow_redirects=False, timeout=60))]


def sign_in(url: str, name: str) -> tuple[requests.Session, str, int, float]:
    """A session signed in as `name`: (session, the form token, status, ms of the sign-in)."""
    http = requests.Session()
    page = http.get(url + "/login", timeout=120)
    token = _CSRF.search(page.text)
    start = time.perf_counter()
    answer = http.post(url + "/login", allow_redirects=False, timeout=120, data={
        "csrf_token": token.group(1) if token else "", "name": name, "password": PASSWORD})
    ms = (time.perf_counter() - start) * 1000
    form = http.get(url + "/checks/new", timeout=120)
    found = _CSRF.search(form.text)
    return http, found.group(1) if found else "", answer.status_code, ms


def _ok(kind: str, status: int) -> bool:
    return status == 302 if kind in ("write", "sign_in") else status == 200


def _p95(times: list[float]) -> float:
    """The nearest-rank 95th percentile of sorted times."""
    return times[min(len(times), math.ceil(len(times) * 0.95)) - 1]


def summarise(samples: list[tuple[str, int, float]], seconds: float) -> list[dict[str, Any]]:
    """p50 / p95 / max per page, errors, and whether the target was met."""
    rows = []
    for kind in sorted({k for k, _, _ in samples}):
        times = sorted(ms for k, s, ms in samples if k == kind)
        errors = sum(1 for k, s, _ in samples if k == kind and not _ok(k, s))
        p95 = _p95(times)
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


class Crowd:
    """The people on the site, the samples they leave, and the server they visit."""

    def __init__(self, server: Server, engine: str, points: dict[str, list[Any]]):
        self.server, self.engine, self.points = server, engine, points
        self.samples: list[tuple[float, str, int, float]] = []
        self.lock = threading.Lock()
        self.people: list[Person] = []
        self.stop = threading.Event()

    def record(self, kind: str, status: int, ms: float) -> None:
        with self.lock:
            self.samples.append((time.monotonic(), kind, status, ms))

    def arrive(self, names: list[str], think: tuple[float, float] | None, ramp: float,
               stop: threading.Event | None = None) -> None:
        """People sign in, `ramp` a second, and start working."""
        for name in names:
            start = time.monotonic()
            try:
                http, token, status, ms = sign_in(self.server.url, name)
            except requests.RequestException:
                http, token, status, ms = requests.Session(), "", 0, 0.0
            self.record("sign_in", status, ms)
            person = Person(http, name, self.server.url, token, self.points,
                            len(self.people), think, stop or self.stop, self.record)
            self.people.append(person)
            person.start()
            time.sleep(max(0.0, 1 / ramp - (time.monotonic() - start)))

    def window(self, seconds: float) -> tuple[list[dict[str, Any]], float, float, float]:
        """Measure for `seconds`: each page's figures, requests a second, CPU per request,
        and the p95 of every page together."""
        begin, cpu = time.monotonic(), self.server.cpu_seconds(self.engine)
        time.sleep(seconds)
        end, used = time.monotonic(), self.server.cpu_seconds(self.engine) - cpu
        with self.lock:
            inside = [(k, s, ms) for at, k, s, ms in self.samples if begin <= at < end]
        times = sorted(ms for _, _, ms in inside) or [0.0]
        return (summarise(inside, end - begin), len(inside) / (end - begin),
                used / max(1, len(inside)), _p95(times))


def at_work(crowd: Crowd, names: list[str], stages: list[int], seconds: float, ramp: float,
            think: tuple[float, float]) -> list[dict[str, Any]]:
    """The stages of people at work; each stage's figures once all have arrived."""
    out = []
    for stage in stages:
        arriving = names[len(crowd.people):stage]
        began = time.monotonic()
        crowd.arrive(arriving, think, ramp)
        with crowd.lock:
            signs = [(k, s, ms) for at, k, s, ms in crowd.samples
                     if k == "sign_in" and at >= began]
        rows, rate, cpu, _ = crowd.window(seconds)
        rows = [r for r in rows if r["kind"] != "sign_in"] + summarise(signs, 1.0)[:1]
        for r in rows:
            if r["kind"] == "sign_in":
                r["per_s"] = None
        out.append({"users": stage, "seconds": seconds, "requests_per_s": round(rate, 1),
                    "cpu_ms_per_request": round(cpu * 1000, 1), "rows": rows,
                    "errors": sum(r["errors"] for r in rows)})
        print(f"{crowd.engine}: {stage} people, {rate:.1f} requests/s, "
              f"{cpu * 1000:.1f} ms CPU per request, errors {out[-1]['errors']}", flush=True)
    crowd.stop.set()
    for person in crowd.people:
        person.join()
    return out


def saturation(crowd: Crowd, names: list[str], steps: list[int],
               seconds: float) -> dict[str, Any]:
    """Closed loop: more and more people with no pause; where the p95 passes 1 s."""
    sessions = []
    for name in names[:max(steps)]:
        http, token, _, _ = sign_in(crowd.server.url, name)
        sessions.append((http, name, token))
    measured = []
    for step in steps:
        stop = threading.Event()
        people = [Person(http, name, crowd.server.url, token, crowd.points, i, None, stop,
                         crowd.record) for i, (http, name, token) in enumerate(sessions[:step])]
        for person in people:
            person.start()
        time.sleep(min(10.0, seconds / 4))  # let the step settle
        rows, rate, cpu, p95 = crowd.window(seconds)
        stop.set()
        for person in people:
            person.join()
        measured.append({"users": step, "requests_per_s": round(rate, 1),
                         "p95_ms": round(p95, 1), "cpu_ms_per_request": round(cpu * 1000, 1),
                         "errors": sum(r["errors"] for r in rows)})
        print(f"{crowd.engine} saturation: {step} people, {rate:.1f} requests/s, "
              f"p95 {p95:.0f} ms", flush=True)
        if p95 > SATURATION_MS:
            break
    below = [m for m in measured if m["p95_ms"] <= SATURATION_MS]
    return {"steps": measured,
            "saturation_per_s": max((m["requests_per_s"] for m in below), default=0.0),
            "passed_at_users": next((m["users"] for m in measured
                                     if m["p95_ms"] > SATURATION_MS), None)}


def one_engine(engine: str, args: argparse.Namespace) -> None:
    """Both runs on one engine: people at work at `--scale`, saturation at
    `--saturation-scale`."""
    runs = [("work", args.scale)] + ([] if args.no_saturation else
                                     [("saturation", args.saturation_scale)])
    for what, scale in runs:
        with graphs.graph(engine, scale) as (store, _):
            wanted = max(args.stages) if what == "work" else max(args.steps)
            names = accounts(store, wanted)
            points = latency.starts(store, 200)
            points["unit"] = [store.get_uid(u).key for u in points["expand"][::2]]
            server = Server(_env(engine, scale, store), args.port, args.workers, args.threads)
            crowd = Crowd(server, engine, points)
            try:
                before = server.pools(args.workers)
                if what == "work":
                    result: dict[str, Any] = {"stages": at_work(
                        crowd, names, args.stages, args.stage_seconds, args.ramp, args.think)}
                else:
                    result = saturation(crowd, names, args.steps, args.step_seconds)
                time.sleep(1)
                after = server.pools(args.workers)
            finally:
                crowd.stop.set()
                server.stop()
        result |= {"engine": engine, "scale": scale, "date": machine()["date"],
                   "load_avg": round(os.getloadavg()[0], 1), "cores": os.cpu_count(),
                   "workers": args.workers, "threads": args.threads,
                   "think_s": list(args.think), "mix": MIX,
                   "pool": {"before": {str(k): v for k, v in before.items()},
                            "after": {str(k): v for k, v in after.items()},
                            "back_to_baseline": sum(p["in_use"] for p in after.values()) ==
                            sum(p["in_use"] for p in before.values())}}
        name = "load" if what == "work" else "saturation"
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{name}-{engine}-{scale}.json").write_text(
            json.dumps(result, ensure_ascii=False, indent=1) + "\n")
        if what == "work":
            for stage in result["stages"]:
                report(f"web, people at work ({engine}, {scale}, {stage['users']} people, "
                       f"{stage['requests_per_s']} requests/s, {stage['cpu_ms_per_request']} "
                       f"ms CPU per request)", stage["rows"])
        else:
            report(f"web saturation ({engine}, {scale}): "
                   f"{result['saturation_per_s']} requests/s below p95 1 s", result["steps"])


def _numbers(text: str, kind: Callable[[str], Any]) -> list[Any]:
    return [kind(x) for x in text.split(",") if x]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "neo4j", "both"), default="both")
    parser.add_argument("--scale", default="province")
    parser.add_argument("--stages", type=lambda t: _numbers(t, int), default=[50, 100, 200])
    parser.add_argument("--stage-seconds", type=float, default=120.0)
    parser.add_argument("--ramp", type=float, default=4.0, help="people arriving a second")
    parser.add_argument("--think", type=lambda t: tuple(_numbers(t, float)), default=(2.0, 5.0))
    parser.add_argument("--saturation-scale", default="county")
    parser.add_argument("--steps", type=lambda t: _numbers(t, int),
                        default=[4, 8, 16, 32, 64, 128])
    parser.add_argument("--step-seconds", type=float, default=45.0)
    parser.add_argument("--no-saturation", action="store_true")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=int(os.environ.get("COLLAB_BENCH_WEB_PORT",
                                                                        "18696")))
    args = parser.parse_args(argv)
    for engine in ("sqlite", "neo4j") if args.engine == "both" else (args.engine,):
        one_engine(engine, args)


if __name__ == "__main__":
    main()
