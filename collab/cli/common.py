"""What every command shares: the engine options, the store, one-line failures."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from collab.access.actors import Actor
from collab.access.audit import Origin
from collab.config import BACKENDS, Settings, open_store
from collab.errors import CollabError


def engine_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--backend / --database / --neo4j-uri on a command, turned into `settings`."""

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
        settings = Settings.from_env(backend=backend, database=database, neo4j_uri=neo4j_uri)
        return fn(*args, settings=settings, **kwargs)

    return wrapper


def with_store(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Open the configured store for the command and close it afterwards."""

    @engine_options
    @functools.wraps(fn)
    def wrapper(*args: Any, settings: Settings, **kwargs: Any) -> Any:
        store = open_store(settings)
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


def console_origin(actor: Actor | None = None) -> Origin:
    """Who acts at the console, for audit records: the operator (COLLAB_USER or the OS user)."""
    return Origin(user="console:" + (actor or Actor.command_line()).name, role="operator",
                  address="console")
