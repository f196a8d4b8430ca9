"""`collab serve`, `collab user ...` and `collab audit verify`: the web app and its accounts.

Console commands act as the server's operator (COLLAB_USER with the `operator` role, trusted
with the store anyway); each change they make is a command, audited under the operator's name
from the address `console`. The security admin's own jobs (unlocking an account, resetting
two-factor sign-in) are not the operator's: those commands ask for the security admin's
password and authenticator code (`--as`) and are recorded under that admin's name. Nobody
gets another person's password or token: a reset prints a one-time code, and `collab user
token` asks for the user's own password and code.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click

from collab.access import audit, checkpoints, passwords, users
from collab.access.audit import Origin
from collab.access.authz import ACCOUNT_ROLES, Authz, Perm, Role
from collab.cli.common import config, engine_options, run, with_store
from collab.commands.twofactor import ResetTwoFactor
from collab.commands.users import (
    AddUser,
    DisableUser,
    EnableUser,
    ResetPassword,
    Unlock,
)
from collab.config import Config
from collab.errors import CollabError
from collab.graph.store import Store


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@engine_options
def serve(config: Config, host: str, port: int) -> None:
    """Serve the web app for development (production: gunicorn 'collab.web:create_app()').

    Example: collab serve --port 5000
    """
    from collab.web import create_app

    app = create_app({"COLLAB_CONFIG": config})
    click.echo(f"collab on http://{host}:{port}/ over {config.describe()}")
    app.run(host=host, port=port, threaded=True, debug=False, use_reloader=False)


def _password(generate: bool) -> str:
    if generate:
        return passwords.generate_password()
    return click.prompt("initial password", hide_input=True, confirmation_prompt=True)


@click.group()
def user() -> None:
    """Accounts of the web app."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice([str(r) for r in ACCOUNT_ROLES]), required=True)
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
    run(store, AddUser(name=name, password=password, display_name=display_name,
                       role=Role(role), region=region, department=department))
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
    code = run(store, ResetPassword(name=name))
    click.echo(f"password of {name} reset; one-time code (an hour, once): {code}")


@user.command("disable")
@click.argument("name")
@click.option("--enable", is_flag=True, help="Enable the account again instead.")
@with_store
def disable(store: Store, name: str, enable: bool) -> None:
    """Disable an account (signed out at once), or enable it again.

    Example: collab user disable wang.fang
    """
    run(store, EnableUser(name=name) if enable else DisableUser(name=name))
    click.echo(f"{name} {'enabled' if enable else 'disabled'}")


def _security_admin(store: Store, name: str) -> Authz:
    """The security admin `name`, once their password and code are right (audited)."""
    password = click.prompt(f"password of {name}", hide_input=True)
    code = click.prompt("authenticator code", hide_input=True)
    key, sealing, at = config().load_key(), config().load_audit_key(), datetime.now(UTC)
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
    run(store, Unlock(name=name), authz=_security_admin(store, admin))
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
    run(store, ResetTwoFactor(name=name), authz=_security_admin(store, admin))
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
    settings, at = config(), datetime.now(UTC)
    key, sealing, policy = settings.load_key(), settings.load_audit_key(), \
        settings.sign_in_policy()
    issued = store.write(lambda tx: users.issue_token(
        tx, name=name, password=password, code=code, key=key, audit_key=sealing,
        origin=Origin(user=name, address="console"), now=at, label=label, policy=policy))
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
    settings = config()
    verdict = checkpoints.verify_trail(store, settings.load_audit_key(),
                                       settings.checkpoint_path())
    if not verdict.ok:
        where = f" at record {verdict.broken_at}" if verdict.broken_at else ""
        raise CollabError(f"audit chain broken{where}: {verdict.reason} ({verdict.checked} "
                          f"records before it verify)")
    since = store.read(audit.oldest)
    kept = f", kept since {since:%Y-%m-%d %H:%M} UTC" if since else ""
    click.echo(f"audit chain intact: {verdict.checked} records{kept}; retention "
               f"{settings.audit_retention_days} days")
    for note in verdict.notes:
        click.echo(f"  {note}")
    click.echo(f"  checkpoint signed into {settings.checkpoint_path()}")


COMMANDS = (serve, user, audit_group)
