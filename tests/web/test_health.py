"""`/healthz`: open to all, saying only ok; the worker's pool only for callers on the machine."""

from __future__ import annotations

from web.client import make_app

from collab.graph.store import Store


def test_healthz_answers_anyone_and_shows_the_pool_only_locally(store: Store) -> None:
    app = make_app(store)
    client = app.test_client()
    local = client.get("/healthz")
    assert local.status_code == 200 and local.json["ok"] is True
    # the read the probe made is over: its connection is back in the pool
    assert local.json["pool"]["in_use"] == 0 and local.json["pool"]["open"] >= 1
    assert isinstance(local.json["pid"], int)
    remote = client.get("/healthz", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert remote.status_code == 200 and remote.json == {"ok": True}


def test_pool_counts_a_connection_in_use_during_a_transaction(store: Store) -> None:
    inside = store.read(lambda tx: store.pool()["in_use"])
    assert inside >= 1 and store.pool()["in_use"] == 0


def test_health_probes_leave_no_audit_record(store: Store) -> None:
    """A load balancer asks every few seconds: the trail records people, not probes."""
    client = make_app(store).test_client()
    before = store.count("AuditRecord")
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
    assert store.count("AuditRecord") == before
