"""Web test setup: the app over a real store, and a signed-in test client per role."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from web.client import Client, make_app
from web.scenario import ACCOUNTS, add_accounts, build

from collab.graph.sqlite_engine import SqliteStore
from collab.graph.store import Store


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    """A module's shared SQLite store with the scenario and every account (read-only tests)."""
    store = SqliteStore(Path(tmp_path_factory.mktemp("site")) / "collab.sqlite3")
    store.init_schema()
    store.write(build)
    store.write(add_accounts)
    yield store
    store.close()


@pytest.fixture(scope="module")
def site_app(site: SqliteStore) -> Flask:
    return make_app(site)


@pytest.fixture(scope="module")
def signed_in(site_app: Flask) -> dict[str, Client]:
    """One signed-in client per account of the scenario."""
    clients = {}
    for name in ACCOUNTS:
        client = Client(site_app)
        assert client.sign_in(name).status_code == 302
        clients[name] = client
    return clients


@pytest.fixture(scope="session")
def scenario_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding the scenario and every account, built once per session."""
    path = Path(tmp_path_factory.mktemp("scenario")) / "collab.sqlite3"
    store = SqliteStore(path)
    store.init_schema()
    store.write(build)
    store.write(add_accounts)
    store.close()
    return path


@pytest.fixture
def fresh(scenario_file: Path, tmp_path: Path) -> Iterator[SqliteStore]:
    """A test's own copy of the scenario file (for tests that change things)."""
    path = tmp_path / "collab.sqlite3"
    shutil.copyfile(scenario_file, path)
    store = SqliteStore(path)
    yield store
    store.close()


@pytest.fixture
def fresh_app(fresh: SqliteStore) -> Flask:
    return make_app(fresh)


@pytest.fixture
def app(store: Store) -> Flask:
    """The app over the scenario with every account, on each engine in turn (for tests that
    change things; a module may bring its own `app`)."""
    store.write(build)
    store.write(add_accounts)
    return make_app(store)
