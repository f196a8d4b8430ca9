"""`collab user ...` and `collab audit verify` against a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
from click.testing import CliRunner
from web.client import Client, make_app

from collab.access import twofactor
from collab.cli import main
from collab.config import Config
from collab.graph.sqlite_engine import SqliteStore


def test_accounts_from_the_console_and_the_chain_check(tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite3")
    runner = CliRunner(env={"COLLAB_USER": "运维.李"})
    assert runner.invoke(main, ["init", "--database", db]).exit_code == 0
    added = runner.invoke(main, ["user", "add", "wang.fang", "--role", "coordinator",
                                 "--region", "532600", "--display-name", "王芳", "--generate",
                                 "--database", db])
    assert added.exit_code == 0, added.output
    password = added.output.strip().rsplit(": ", 1)[1]
    store = SqliteStore(db)
    try:
        client = Client(make_app(store))
        assert client.sign_in("wang.fang", password).status_code == 302
        assert client.get("/browse/Clue").headers["Location"] == "/password"
        assert runner.invoke(main, ["user", "disable", "wang.fang", "--database", db]) \
            .exit_code == 0
        assert client.get("/").status_code == 302
        again = runner.invoke(main, ["user", "add", "wang.fang", "--role", "leader",
                                     "--generate", "--database", db])
        assert again.exit_code == 1 and "exists already" in again.output
        weak = runner.invoke(main, ["user", "add", "li.si", "--role", "leader",
                                    "--database", db], input="12345678\n12345678\n")
        assert weak.exit_code == 1 and "at least 10 characters" in weak.output
        verified = runner.invoke(main, ["audit", "verify", "--database", db])
        assert verified.exit_code == 0 and "intact" in verified.output
        console = store.find("AuditRecord", where={"event": "user.disable"}).items[0]
        assert (console.get("user"), console.get("role"), console.get("address")) == \
            ("运维.李", "operator", "console")
        store.upsert_nodes("AuditRecord", [{"no": console.key, "outcome": "nothing happened"}])
        broken = runner.invoke(main, ["audit", "verify", "--database", db])
        assert broken.exit_code == 1
        assert f"record {console.get('seq')}" in broken.output and "altered" in broken.output
    finally:
        store.close()


def test_only_the_security_admin_unlocks_or_resets_two_factor_from_the_console(
        tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite3")
    env = {"COLLAB_ID_KEY": "cd" * 32}
    runner = CliRunner(env=env)
    assert runner.invoke(main, ["init", "--database", db]).exit_code == 0
    passwords = {}
    for name, role in (("an.quan", "security_admin"), ("xi.tong", "system_admin"),
                       ("wang.fang", "leader")):
        added = runner.invoke(main, ["user", "add", name, "--role", role, "--generate",
                                     "--database", db])
        passwords[name] = added.output.strip().rsplit(": ", 1)[1]
    store = SqliteStore(db)
    try:
        key = Config.from_env(env).load_key()
        phones = {}
        for name in ("an.quan", "xi.tong", "wang.fang"):
            secret = store.write(lambda tx, n=name: twofactor.begin(tx, name=n, key=key))
            phones[name] = pyotp.TOTP(secret)
            store.write(lambda tx, n=name: twofactor.confirm(
                tx, name=n, key=key, code=phones[n].at(datetime.now(UTC) - timedelta(minutes=1)),
                now=datetime.now(UTC) - timedelta(minutes=1)))
        store.upsert_nodes("User", [{"name": "wang.fang", "failures": 5,
                                     "locked_until": datetime.now(UTC) + timedelta(hours=1)}])

        def run(*args: str, who: str, code: str) -> Any:
            return runner.invoke(main, ["user", *args, "--as", who, "--database", db],
                                 input=f"{passwords[who]}\n{code}\n")

        assert runner.invoke(main, ["user", "unlock", "wang.fang", "--database", db]) \
            .exit_code == 2  # --as is required
        wrong = run("unlock", "wang.fang", who="an.quan", code="000000")
        assert wrong.exit_code == 1 and "sign-in failed" in wrong.output
        system = run("unlock", "wang.fang", who="xi.tong", code=phones["xi.tong"].now())
        assert system.exit_code == 1 and "only the security admin" in system.output
        assert store.get("User", "wang.fang").get("locked_until") is not None
        done = run("unlock", "wang.fang", who="an.quan", code=phones["an.quan"].now())
        assert done.exit_code == 0, done.output
        assert store.get("User", "wang.fang").get("locked_until") is None
        reset = run("reset-2fa", "wang.fang", who="an.quan",
                    code=phones["an.quan"].at(datetime.now(UTC) + timedelta(seconds=30)))
        assert reset.exit_code == 0, reset.output
        assert not twofactor.enrolled(store.get("User", "wang.fang"))
        records = [(r.get("event"), r.get("user"), r.get("outcome")) for r in store.find(
            "AuditRecord", where={"address": "console"}, order_by="seq").items
            if r.get("event") != "user.add"]
        assert records == [("auth.console", "an.quan", "refused"),
                           ("auth.console", "xi.tong", "ok"),
                           ("auth.console", "an.quan", "ok"), ("user.unlock", "an.quan", "ok"),
                           ("auth.console", "an.quan", "ok"),
                           ("user.2fa_reset", "an.quan", "ok")]
    finally:
        store.close()


def test_no_account_exists_until_one_is_created(tmp_path: Path) -> None:
    db = str(tmp_path / "c.sqlite3")
    runner = CliRunner(env={"COLLAB_ID_KEY": "ef" * 32})
    assert runner.invoke(main, ["init", "--database", db]).exit_code == 0
    assert runner.invoke(main, ["seed", "yunnan", "--database", db]).exit_code == 0
    store = SqliteStore(db)
    try:
        assert store.count("User") == 0 and store.count("ApiToken") == 0
        client = Client(make_app(store))
        for name, password in (("admin", "admin"), ("admin", "Admin@123"), ("root", "root"),
                               ("sysadmin", "12345678"), ("test", "test")):
            assert client.sign_in(name, password).status_code == 200
            assert client.get("/").status_code == 302
    finally:
        store.close()


def test_the_console_gives_a_reset_code_and_a_token_only_to_its_own_user(
        tmp_path: Path) -> None:
    """Issue 16, items 2 and 6, at the console: `collab user passwd` prints a one-time code
    (no password anyone chose); `collab user token` asks for the user's own password and
    authenticator code, and gives admins none."""
    db = str(tmp_path / "c.sqlite3")
    env = {"COLLAB_ID_KEY": "cd" * 32, "COLLAB_USER": "运维.王"}
    runner = CliRunner(env=env)
    assert runner.invoke(main, ["init", "--database", db]).exit_code == 0
    passwords = {}
    for name, role in (("wang.fang", "leader"), ("an.quan", "security_admin")):
        added = runner.invoke(main, ["user", "add", name, "--role", role, "--region", "532600",
                                     "--generate", "--database", db])
        passwords[name] = added.output.strip().rsplit(": ", 1)[1]
    store = SqliteStore(db)
    try:
        key, at = Config.from_env(env).load_key(), datetime.now(UTC) - timedelta(minutes=1)
        phones = {}
        for name in passwords:
            secret = store.write(lambda tx, n=name: twofactor.begin(tx, name=n, key=key))
            phones[name] = pyotp.TOTP(secret)
            store.write(lambda tx, n=name: twofactor.confirm(tx, name=n, key=key,
                                                             code=phones[n].at(at), now=at))

        def token(name: str, password: str, code: str) -> Any:
            return runner.invoke(main, ["user", "token", name, "--label", "报表",
                                        "--database", db], input=f"{password}\n{code}\n")

        wrong = token("wang.fang", passwords["wang.fang"], "000000")
        assert wrong.exit_code == 1 and "sign-in failed" in wrong.output
        admin = token("an.quan", passwords["an.quan"], phones["an.quan"].now())
        assert admin.exit_code == 1 and "admin accounts do not get API tokens" in admin.output
        assert store.count("ApiToken") == 0
        issued = token("wang.fang", passwords["wang.fang"], phones["wang.fang"].now())
        assert issued.exit_code == 0 and issued.output.strip().splitlines()[-1].startswith("clb_")
        assert store.find("ApiToken").items[0].get("user") == "wang.fang"

        reset = runner.invoke(main, ["user", "passwd", "wang.fang", "--database", db])
        assert reset.exit_code == 0 and "one-time code" in reset.output
        code = reset.output.strip().rsplit(": ", 1)[1]
        user = store.get("User", "wang.fang")
        assert user.get("password_hash") is None and user.get("reset_by") == "运维.王"
        assert store.find("ApiToken").items[0].get("revoked_at") is not None
        client = Client(make_app(store, COLLAB_IDKEY=key))
        assert client.sign_in("wang.fang", password=code, code="").status_code == 200
        answer = client.sign_in("wang.fang", password=code,
                                code=phones["wang.fang"].at(datetime.now(UTC) + timedelta(
                                    seconds=30)))
        assert answer.headers["Location"] == "/password"
    finally:
        store.close()
