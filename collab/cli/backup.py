"""`collab backup` and `collab restore`: one portable file, onto either engine."""

from __future__ import annotations

from pathlib import Path

import click

from collab.cli.common import engine_options, with_store
from collab.config import Config, open_store
from collab.graph import dump
from collab.graph.store import Store


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_store
def backup(store: Store, file: Path) -> None:
    """Write the whole graph (audit trail included) to FILE, checksummed.

    Example: collab backup var/collab-2026-11-25.dump.gz
    """
    done = dump.backup(store, file)
    click.echo(f"backed up {done.nodes} nodes and {done.rels} relationships to {file} "
               f"in {done.seconds:.1f} s")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@engine_options
def restore(config: Config, file: Path) -> None:
    """Load FILE into an empty store of either engine (it is checked before anything is written).

    Example: collab restore backup.dump.gz --backend neo4j
    """
    dump.verify(file)
    store = open_store(config, create=True)
    try:
        store.init_schema()
        done = dump.restore(store, file)
    finally:
        store.close()
    click.echo(f"restored {done.nodes} nodes and {done.rels} relationships into "
               f"{config.describe()} in {done.seconds:.1f} s")


COMMANDS = (backup, restore)
