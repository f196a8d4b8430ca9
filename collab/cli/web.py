"""`collab serve`, `collab user ...` and `collab audit verify`: the web app and its accounts.

Console commands act as the server's operator (trusted with the store anyway); each change
they make is still written to the audit trail, as user `console:<os user>`. The security
admin's own jobs (unlocking an account, resetting two-factor sign-in) are not the operator's:
those commands ask for the security admin's password and authenticator code (`--as`) and are
recorded under that admin's name. Nobody gets another person's password or token: a reset
prints a one-time code, and `collab user token` asks for the user's own password and code.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import click

from collab.access import audit, checkpoints, keys, passwords, twofactor, users
from collab.access.actors import Actor
from collab.access.audit import Kind, Origin
from collab.access.authz import Authz, Perm, Role
from collab.cli.common import engine_options, with_store
from collab.config import Settings
from collab.errors import CollabError
from collab.graph.store import Graph, Store


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@engine_options
def serve(settings: Settings, host: str, port: int) -> None:
    """Serve the web app for development (production: gunicorn 'collab.web:create_app()').

    Example: collab serve --port 5000
    """
    from collab.web import create_app

    app = create_app({"COLLAB_SETTINGS": settings})
    click.echo(f"collab on http://{host}:{port}/ over {settings.describe()}")
    app.run(host=host, port=port, threaded=True, debug=False, use_reloader=False)


def _console(store: Store, fn: Callable[[Graph], Any], *, event: str, name: str,
             authz: Authz | None = None) -> Any:
    """Run one account change and its audit record (the operator's, or the signed-in
    admin's) in one transaction."""
    who = (Origin(user="console:" + Actor.command_line().name, role="operator",
                  address="console") if authz is None
           else Origin(user=authz.actor.name, role=str(authz.role), address="console"))

    sealing = keys.audit_key()

    def unit(tx: Graph) -> Any:
        result = fn(tx)
        audit.append(tx, key=sealing, origin=who, kind=Kind.CHANGE, event=event,
                     object_label="User", object_key=name)
        return result

    return store.write(unit)


def _password(generate: bool) -> str:
    if generate:
        return passwords.generate_password()
    return click.prompt("initial password", hide_input=True, confirmation_prompt=True)


@click.group()
def user() -> None:
    """Accounts of the web app."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice([str(r) for r in Role]), required=True)
@click.option("--region", default=None, help="Region code of the jurisdiction (none: all).")
@click.option("--department", default=None, help="Department code (liaisons).")
@click.option("--display-name", default="", help="The person's name as shown.")
@click.option("--generate", is_flag=True, help="Generate the password and print it once.")
@with_store
def add(store: Store, name: str, role: str, region: str | None, department: str | None,
        display_name: str, generate: bool) -> None:
    """Create an account; it must choose a new password at its first sign-in.

    Example: collab user add wang.fang --role coordinator --region 532600 --generate
    """
    password = _password(generate)
    _console(store, lambda tx: users.add(tx, authz=None, name=name, password=password,
                                         now=datetime.now(UTC), display_name=display_name,
                                         role=Role(role), region=region,
                                         department=department),
             event="user.add", name=name)
    click.echo(f"created {name} ({role})" + (f"; initial password: {password}"
                                             if generate else ""))


@user.command("passwd")
@click.argument("name")
@with_store
def passwd(store: Store, name: str) -> None:
    """Reset a password: print a one-time code (good for an hour) that lets the user choose
    their own, past their authenticator; the old password, sessions and tokens end.

    Example: collab user passwd wang.fang
    """
    code = _console(store, lambda tx: users.reset_password(tx, authz=None, name=name,
                                                           now=datetime.now(UTC)),
                    event="user.reset_password", name=name)
    click.echo(f"password of {name} reset; one-time code (an hour, once): {code}")


@user.command("disable")
@click.argument("name")
@click.option("--enable", is_flag=True, help="Enable the account again instead.")
@with_store
def disable(store: Store, name: str, enable: bool) -> None:
    """Disable an account (signed out at once), or enable it again.

    Example: collab user disable wang.fang
    """
    _console(store, lambda tx: users.set_disabled(tx, authz=None, name=name,
                                                  disabled=not enable, now=datetime.now(UTC)),
             event="user.enable" if enable else "user.disable", name=name)
    click.echo(f"{name} {'enabled' if enable else 'disabled'}")


def _security_admin(store: Store, name: str) -> Authz:
    """The security admin `name`, once their password and code are right (audited)."""
    password = click.prompt(f"password of {name}", hide_input=True)
    code = click.prompt("authenticator code", hide_input=True)
    key, sealing, at = keys.id_key(), keys.audit_key(), datetime.now(UTC)
    authz = store.write(lambda tx: users.console_authz(tx, name=name, password=password,
                                                       code=code, key=key, audit_key=sealing,
                                                       now=at))
    if authz is None:
        raise users.SignInRefused()
    if not authz.can(Perm.MANAGE_ACCESS):
        raise CollabError("only the security admin does this")
    return authz


AS_SECURITY_ADMIN = click.option("--as", "admin", required=True, metavar="SECURITY_ADMIN",
                                 help="The security admin doing it (asks for their password "
                                      "and authenticator code).")


@user.command("unlock")
@click.argument("name")
@AS_SECURITY_ADMIN
@with_store
def unlock(store: Store, name: str, admin: str) -> None:
    """Lift a sign-in lockout (the security admin's job).

    Example: collab user unlock wang.fang --as zhao.anquan
    """
    authz = _security_admin(store, admin)
    _console(store, lambda tx: users.unlock(tx, authz=authz, name=name), event="user.unlock",
             name=name, authz=authz)
    click.echo(f"{name} unlocked")


@user.command("reset-2fa")
@click.argument("name")
@AS_SECURITY_ADMIN
@with_store
def reset_two_factor(store: Store, name: str, admin: str) -> None:
    """Forget a user's authenticator (a lost phone): they set up a new one at the next
    sign-in; their sessions end (the security admin's job).

    Example: collab user reset-2fa wang.fang --as zhao.anquan
    """
    authz = _security_admin(store, admin)
    _console(store, lambda tx: twofactor.reset(tx, authz=authz, name=name,
                                               now=datetime.now(UTC)),
             event="user.2fa_reset", name=name, authz=authz)
    click.echo(f"two-factor sign-in of {name} reset: set up again at the next sign-in")


@user.command("token")
@click.argument("name")
@click.option("--label", default="cli", show_default=True, help="What the token is for.")
@with_store
def token(store: Store, name: str, label: str) -> None:
    """Issue an API token for yourself and print it once: asks for your password and
    authenticator code (nobody issues a token for someone else).

    Example: collab user token wang.fang --label reports
    """
    password = click.prompt(f"password of {name}", hide_input=True)
    code = click.prompt("authenticator code", hide_input=True)
    key, sealing, at = keys.id_key(), keys.audit_key(), datetime.now(UTC)
    issued = store.write(lambda tx: users.issue_token(
        tx, name=name, password=password, code=code, key=key, audit_key=sealing,
        origin=Origin(user=name, address="console"), now=at, label=label))
    if issued is None:
        raise users.SignInRefused()
    click.echo(issued)


@click.group("audit")
def audit_group() -> None:
    """The audit trail."""


@audit_group.command("verify")
@with_store
def verify(store: Store) -> None:
    """Check the audit chain: every record's seal (HMAC under the audit key) and link, and the
    chain against every signed checkpoint in the checkpoint file; names the first break. When
    it holds, signs a new checkpoint.

    Also says since when records are kept, and for how long they must be at least
    (COLLAB_AUDIT_RETENTION_DAYS, 180 or more; collab itself never deletes a record).

    Example: collab audit verify
    """
    days = audit.retention_days()
    verdict = checkpoints.verify_trail(store, keys.audit_key(), keys.checkpoint_path())
    if not verdict.ok:
        where = f" at record {verdict.broken_at}" if verdict.broken_at else ""
        raise CollabError(f"audit chain broken{where}: {verdict.reason} ({verdict.checked} "
                          f"records before it verify)")
    since = store.read(audit.oldest)
    kept = f", kept since {since:%Y-%m-%d %H:%M} UTC" if since else ""
    click.echo(f"audit chain intact: {verdict.checked} records{kept}; retention {days} days")
    for note in verdict.notes:
        click.echo(f"  {note}")
    click.echo(f"  checkpoint signed into {keys.checkpoint_path()}")


COMMANDS = (serve, user, audit_group)
