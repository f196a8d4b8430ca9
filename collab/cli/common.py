"""What every command shares: the settings, the engine options, the store, the operator's
road to the command runner, one-line failures.

The settings are read from the environment once, when the first command asks for them
(`config()`), and the engine options override them for that invocation. Every change goes
through `run`: the command runner, acting as the operator (`COLLAB_USER`, the `operator` role)
or, for the security admin's own jobs, as the admin who signed in with `--as`; each leaves an
audit record with that name.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from collab.access.actors import Actor
from collab.access.audit import Origin
from collab.access.authz import Authz, Role
from collab.commands import runner
from collab.commands.base import Command
from collab.config import BACKENDS, Config, open_store
from collab.errors import CollabError
from collab.graph.store import Store


def config() -> Config:
    """The settings of this invocation: the environment, read once, and the engine options."""
    root = click.get_current_context().find_root()
    if not isinstance(root.obj, Config):
        root.obj = Config.from_env()
    return root.obj


def operator() -> Authz:
    """The command line's actor: the operator named by COLLAB_USER (else the OS user)."""
    return Authz(Actor(config().user, role=Role.OPERATOR))


def run(store: Store, command: Command, *, authz: Authz | None = None) -> Any:
    """Run a change as the operator (or `authz`: an admin signed in with `--as`, or the
    operator narrowed to one region); its answer.

    A refusal is raised: the command prints it as one line and exits 1.
    """
    actor = authz or operator()
    return runner.run(store, actor, command, config=config(),
                      origin=console_origin(actor)).result()


def console_origin(authz: Authz | None = None) -> Origin:
    """Who acts from the console, as the audit trail records it (the operator, or an admin
    signed in with `--as`)."""
    actor = authz or operator()
    return Origin(user=actor.actor.name, role=str(actor.role),
                  department=actor.actor.department or "", address="console")


def engine_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--backend / --database / --neo4j-uri on a command, applied to the settings it gets as
    `config`."""

    @click.option("--backend", type=click.Choice(BACKENDS), default=None,
                  help="Engine: sqlite (embedded, default) or neo4j. Env: COLLAB_BACKEND.")
    @click.option("--database", type=click.Path(dir_okay=False), default=None,
                  help="SQLite file (default var/collab.sqlite3). Env: COLLAB_DATABASE.")
    @click.option("--neo4j-uri", default=None,
                  help="bolt://, neo4j:// or neo4j+s:// URI. Env: COLLAB_NEO4J_URI "
                       "(credentials: COLLAB_NEO4J_USER, COLLAB_NEO4J_PASSWORD).")
    @functools.wraps(fn)
    def wrapper(*args: Any, backend: str | None, database: str | None,
                neo4j_uri: str | None, **kwargs: Any) -> Any:
        root = click.get_current_context().find_root()
        root.obj = config().with_options(backend=backend, database=database,
                                         neo4j_uri=neo4j_uri)
        return fn(*args, config=root.obj, **kwargs)

    return wrapper


def with_store(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Open the configured store for the command and close it afterwards."""

    @engine_options
    @functools.wraps(fn)
    def wrapper(*args: Any, config: Config, **kwargs: Any) -> Any:
        store = open_store(config)
        try:
            return fn(*args, store=store, **kwargs)
        finally:
            store.close()

    return wrapper


class CollabGroup(click.Group):
    """Turns expected failures into one clear line and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CollabError as e:
            click.echo(f"collab: {e}", err=True)
            sys.exit(1)


def echo_json(value: Any) -> None:
    """Print a value as readable JSON, Chinese as it is."""
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))
