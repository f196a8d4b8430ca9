"""Ledger tests: a key of their own and a store holding what ledgers refer to."""

from __future__ import annotations

import pytest
from ledger_helpers import KEY, base

from collab.access.idnumbers import IdKey
from collab.graph.store import Store


@pytest.fixture(autouse=True)
def id_key(monkeypatch: pytest.MonkeyPatch) -> IdKey:
    monkeypatch.setenv("COLLAB_ID_KEY", "ab" * 32)
    return KEY


@pytest.fixture
def graph(store: Store) -> Store:
    store.write(base)
    return store
