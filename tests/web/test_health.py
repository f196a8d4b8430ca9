"""Liveness (`/healthz`) and readiness (`/readyz`): open to all, saying only ok or not; a
worker's pool only where the deployment turns it on, and only to the machine itself."""

from __future__ import annotations

from web.client import make_app

from collab.config import Config
from collab.graph.store import Store


def test_health_and_readiness_tell_anyone_only_ok(store: Store) -> None:
    """Item 10 of issue 16: `/healthz` gave the worker's pid and pool to any caller that looked
    local, which is every caller behind a proxy on the same machine."""
    client = make_app(store).test_client()
    for address in ("127.0.0.1", "10.1.2.3"):
        for probe in ("/healthz", "/readyz"):
            answer = client.get(probe, environ_base={"REMOTE_ADDR": address},
                                headers={"X-Forwarded-For": "127.0.0.1"})
            assert answer.status_code == 200 and answer.json == {"ok": True}, (probe, address)
        assert client.get("/healthz/pool",
                          environ_base={"REMOTE_ADDR": address}).status_code == 404


def test_the_pool_is_shown_locally_where_the_deployment_asks(store: Store) -> None:
    client = make_app(store, COLLAB_CONFIG=Config.from_env(pool_probe=True)).test_client()
    local = client.get("/healthz/pool")
    # the reads before it are over: their connections are back in the pool
    assert local.status_code == 200 and local.json["pool"]["in_use"] == 0
    assert isinstance(local.json["pid"], int)
    assert client.get("/healthz/pool", environ_base={"REMOTE_ADDR": "10.1.2.3"}) \
        .status_code == 404


def test_pool_counts_a_connection_in_use_during_a_transaction(store: Store) -> None:
    inside = store.read(lambda tx: store.pool()["in_use"])
    assert inside >= 1 and store.pool()["in_use"] == 0


def test_health_probes_leave_no_audit_record(store: Store) -> None:
    """A load balancer asks every few seconds: the trail records people, not probes."""
    client = make_app(store).test_client()
    before = store.count("AuditRecord")
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
        assert client.get("/readyz").status_code == 200
    assert store.count("AuditRecord") == before


def test_readiness_is_a_read_and_a_write_kept_a_few_seconds(store: Store) -> None:
    client = make_app(store, COLLAB_CONFIG=Config.from_env(ready_cache_seconds=60)).test_client()
    assert client.get("/readyz").status_code == 200
    first = store.get("HealthProbe", "ready").get("at")
    assert client.get("/readyz").status_code == 200
    assert store.get("HealthProbe", "ready").get("at") == first  # answered from the cache
    fresh = make_app(store, COLLAB_CONFIG=Config.from_env(ready_cache_seconds=0)).test_client()
    assert fresh.get("/readyz").status_code == 200
    assert store.get("HealthProbe", "ready").get("at") > first
