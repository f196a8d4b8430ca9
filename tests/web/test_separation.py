"""三员分立: every admin route tried by each of the three admin roles.

Only the role whose job it is gets an answer; the other two get 404 and nothing changes:
the system admin manages accounts but cannot grant access or read the audit log, the
security admin grants access but cannot create accounts or touch the audit log, the audit
admin only reads and exports the audit log.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from web.client import Client

from collab.access.authz import ADMIN_ROLES
from collab.graph.sqlite_engine import SqliteStore

ADMINS = ("sys", "sec", "aud")
NEW = {"name": "new.person", "display_name": "新同事", "password": "Er-Hai-2026x"}
LATER = datetime.now(UTC) + timedelta(hours=1)
# (method, url, form, the state to start from, the admins whose job it is)
ROUTES: dict[str, tuple[str, str, dict[str, Any], dict[str, Any], set[str]]] = {
    "list users": ("GET", "/admin/users", {}, {}, {"sys", "sec"}),
    "create a user": ("POST", "/admin/users", NEW, {}, {"sys"}),
    "disable": ("POST", "/admin/users/coord/disable", {}, {}, {"sys"}),
    "enable": ("POST", "/admin/users/coord/enable", {}, {"disabled": True}, {"sys"}),
    "reset a password": ("POST", "/admin/users/coord/reset", {}, {}, {"sys"}),
    "grant a role": ("POST", "/admin/users/coord/grant", {"role": "leader",
                                                          "region": "532600"}, {}, {"sec"}),
    "allow unmasking": ("POST", "/admin/users/coord/unmask/allow", {}, {}, {"sec"}),
    "revoke unmasking": ("POST", "/admin/users/coord/unmask/revoke", {}, {"may_unmask": True},
                         {"sec"}),
    "unlock": ("POST", "/admin/users/coord/unlock", {}, {"failures": 5, "locked_until": LATER},
               {"sec"}),
    # issue 16, item 2: nobody mints a token for someone else, the security admin included
    "mint an API token for a user": ("POST", "/admin/users/coord/token", {}, {}, set()),
    "list API tokens": ("GET", "/admin/tokens", {}, {}, {"sec"}),
    "reset two-factor": ("POST", "/admin/users/lead/2fa-reset", {}, {}, {"sec"}),
    "read the audit log": ("GET", "/audit/", {}, {}, {"aud"}),
    "export the audit log": ("GET", "/audit/export.csv", {}, {}, {"aud"}),
    "verify the audit chain": ("GET", "/audit/verify", {}, {}, {"aud"}),
}


def snapshot(store: SqliteStore) -> tuple[Any, ...]:
    """Everything the admin routes could change (the audit trail aside)."""
    return (store.get("User", "coord").props, store.get("User", "lead").props,
            store.count("User"), store.count("ApiToken"))


@pytest.mark.parametrize("job", list(ROUTES))
def test_each_admin_does_only_its_own_job(fresh_app: Flask, fresh: SqliteStore,
                                          job: str) -> None:
    method, url, form, start, owners = ROUTES[job]
    fresh.upsert_nodes("User", [{"name": "coord", **start}])
    clients = {name: Client(fresh_app) for name in ADMINS}
    for name, client in clients.items():
        assert client.sign_in(name).status_code == 302
    for name in sorted(ADMINS, key=lambda n: n in owners):  # the owners last
        before, records = snapshot(fresh), fresh.count("AuditRecord")
        answer = clients[name].get(url) if method == "GET" else clients[name].post(url, form)
        assert fresh.count("AuditRecord") == records + 1, (job, name)
        if name in owners:
            assert answer.status_code in (200, 302), (job, name)
            assert method == "GET" or snapshot(fresh) != before, (job, name)
        else:
            assert answer.status_code == 404, (job, name)
            assert snapshot(fresh) == before, (job, name)


def test_no_account_holds_two_admin_roles(fresh_app: Flask, fresh: SqliteStore) -> None:
    security = Client(fresh_app)
    security.sign_in("sec")
    assert security.post("/admin/users/sys/grant", {"role": "audit_admin"}).status_code == 302
    roles = [u.get("role") for u in fresh.find("User", limit=100).items]
    assert all(isinstance(r, str) for r in roles)
    assert sorted(r for r in roles if r in ADMIN_ROLES) == ["audit_admin", "audit_admin",
                                                            "security_admin"]
    assert security.post("/admin/users/sec/grant", {"role": "system_admin"}).status_code == 302
    assert fresh.get("User", "sec").get("role") == "security_admin"  # not its own
