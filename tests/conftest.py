"""Test setup: a real SQLite file per test and a real Neo4j server per session.

The `store` fixture runs each test on both engines (ids `sqlite` and `neo4j`, so
`pytest -k neo4j` runs the Neo4j half). Neo4j is the server at COLLAB_TEST_NEO4J_URI when set,
else the local one that `scripts/neo4j-local` provisions and starts. When it cannot be had the
Neo4j tests skip with the reason, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from keys import AUDIT_KEY_HEX

from collab.graph import schema
from collab.graph.neo4j_engine import Neo4jStore
from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Store

ROOT = Path(__file__).resolve().parent.parent
NEO4J_SCRIPT = ROOT / "scripts" / "neo4j-local" / "neo4j-local"
TEST_USER = os.environ.get("COLLAB_TEST_NEO4J_USER", "neo4j")
TEST_PASSWORD = os.environ.get("COLLAB_TEST_NEO4J_PASSWORD", "collab-test-pw")
# A node only test databases carry; a database with data but without it is never wiped.
TEST_MARKER = "CollabTestDatabase"


def pytest_configure(config: pytest.Config) -> None:
    """Every process the tests start signs its audit trail with the suite's key and keeps
    keys, checkpoints and its instance folder (uploads, evidence files, exports) in folders
    of the run's own, never the checkout's keys/ and var/ (tests of these set their own)."""
    os.environ["COLLAB_AUDIT_KEY"] = AUDIT_KEY_HEX
    os.environ["COLLAB_KEYS_DIR"] = tempfile.mkdtemp(prefix="collab-test-keys-")
    os.environ["COLLAB_INSTANCE"] = tempfile.mkdtemp(prefix="collab-test-instance-")


# Fixtures that reach the one shared test database.
_SHARED_NEO4J = frozenset({"neo4j_server", "neo4j_session_store", "neo4j_graph"})


def pytest_itemcollected(item: pytest.Item) -> None:
    """Under pytest-xdist (`make test` runs `-n 2 --dist loadgroup`), every test on the shared
    Neo4j database runs on one worker, in turn (each wipes it); the rest go to the workers a
    module at a time (so a module's fixtures are made once). Marked as each test is collected,
    before xdist reads the groups."""
    if not item.config.pluginmanager.hasplugin("xdist"):
        return
    shared = item.get_closest_marker("neo4j") or _SHARED_NEO4J & set(item.fixturenames)
    item.add_marker(pytest.mark.xdist_group("neo4j" if shared else item.nodeid.split("::")[0]))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Stop when xdist did not take the groups (as on pytest 9.2, pytest-xdist#1386): the
    Neo4j tests of two workers would wipe each other's data."""
    if not getattr(config.option, "loadgroup", False):
        return
    lost = [item.nodeid for item in items if any(
        m.args == ("neo4j",) for m in item.iter_markers("xdist_group"))
        and not item.nodeid.endswith("@neo4j")]
    if lost:
        pytest.exit(f"pytest-xdist ignored the test groups ({lost[0]} has none): the Neo4j "
                    f"tests would run on two workers at once", returncode=3)


@pytest.fixture(autouse=True)
def _own_checkpoint_file(tmp_path_factory: pytest.TempPathFactory,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's `collab audit verify` signs checkpoints into a file of the test's own: a
    checkpoint file belongs to one trail."""
    monkeypatch.setenv("COLLAB_AUDIT_CHECKPOINTS",
                       str(tmp_path_factory.mktemp("checkpoints") / "audit-checkpoints"))


def _unavailable(reason: str) -> None:
    message = f"NEO4J TESTS NOT RUN: {reason}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: the Neo4j half must run)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[dict[str, str]]:
    """Connection settings of a real Neo4j for this test session."""
    uri = os.environ.get("COLLAB_TEST_NEO4J_URI")
    started = False
    if not uri:
        try:
            done = subprocess.run([str(NEO4J_SCRIPT), "start"], capture_output=True, text=True,
                                  timeout=900, check=False)
        except (OSError, subprocess.TimeoutExpired) as e:
            _unavailable(f"could not run {NEO4J_SCRIPT}: {e}")
        if done.returncode != 0:
            _unavailable(f"{NEO4J_SCRIPT.name} start failed: {done.stderr.strip()[-800:]}")
        uri = done.stdout.strip().splitlines()[-1]
        started = "already running" not in done.stderr
    yield {"uri": uri, "user": TEST_USER, "password": TEST_PASSWORD}
    if started:
        subprocess.run([str(NEO4J_SCRIPT), "stop"], capture_output=True, timeout=120,
                       check=False)


@pytest.fixture(scope="session")
def neo4j_session_store(neo4j_server: dict[str, str]) -> Iterator[Neo4jStore]:
    """One store on the test server for the whole session, its schema installed once."""
    try:
        store = Neo4jStore(neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"])
    except Exception as e:  # noqa: BLE001 - any failure to connect is reported the same way
        _unavailable(f"cannot connect to {neo4j_server['uri']}: {e}")
    with store.driver.session() as s:
        has_data = s.run("MATCH (n) RETURN count(n) > 0 AS any").single()["any"]
        marked = s.run("MATCH (m:" + TEST_MARKER + ") RETURN count(m) > 0 AS m").single()["m"]
        if has_data and not marked:
            pytest.exit(f"refusing to use {neo4j_server['uri']}: it holds data and is not a "
                        f"collab test database", returncode=2)
        s.run("MERGE (:" + TEST_MARKER + ")").consume()
    store.init_schema()
    store.set_schema_version(schema.VERSION)  # a test database is always at this version
    yield store
    store.close()


def wipe_neo4j(store: Neo4jStore) -> None:
    """Delete every node but the test marker and the schema's version (only ever called on a
    marked database)."""
    with store.driver.session() as s:
        s.run("MATCH (n) WHERE NOT n:" + TEST_MARKER + " AND NOT n:CollabSchema "
              "DETACH DELETE n").consume()


def sqlite_store(path: Path) -> SqliteStore:
    """A new, initialised SQLite store in `path`."""
    store = SqliteStore(path)
    store.init_schema()
    return store


@pytest.fixture
def sqlite_graph(tmp_path: Path) -> Iterator[SqliteStore]:
    store = sqlite_store(tmp_path / "collab.sqlite3")
    yield store
    store.close()


@pytest.fixture
def neo4j_graph(neo4j_session_store: Neo4jStore) -> Iterator[Neo4jStore]:
    wipe_neo4j(neo4j_session_store)
    yield neo4j_session_store


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> Store:
    """An empty, initialised store on each engine in turn."""
    return request.getfixturevalue(request.param + "_graph")


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def module_store(request: pytest.FixtureRequest,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """An empty, initialised store on each engine in turn, shared by one module's tests
    (for tests that only read what the module set up once)."""
    if request.param == "neo4j":
        neo4j = request.getfixturevalue("neo4j_session_store")
        wipe_neo4j(neo4j)
        yield neo4j
        return
    store = sqlite_store(tmp_path_factory.mktemp("module") / "collab.sqlite3")
    yield store
    store.close()
