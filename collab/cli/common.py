"""What every command shares: the engine options, the store, one-line failures."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from collab.access import audit
from collab.access.audit import Kind, Origin
from collab.config import BACKENDS, Settings, open_store
from collab.errors import CollabError
from collab.graph.store import Graph, Store

R = TypeVar("R")


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


def audited(store: Store, fn: Callable[[Graph], R], *, origin: Origin, event: str,
            kind: Kind = Kind.CHANGE, label: str = "", key: str = "") -> R:
    """Run `fn(tx)` and its audit record (who at the console did what) in one write
    transaction: no change without its record, no record of a change that did not happen."""

    def unit(tx: Graph) -> R:
        result = fn(tx)
        audit.append(tx, origin=origin, kind=kind, event=event, object_label=label,
                     object_key=key)
        return result

    return store.write(unit)
