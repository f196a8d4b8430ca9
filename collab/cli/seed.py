"""`collab seed`: load a seed scenario into the configured store."""

from __future__ import annotations

import click

from collab.cli.common import with_store
from collab.graph.store import Store


@click.group()
def seed() -> None:
    """Load a seed scenario."""


@seed.command()
@with_store
def yunnan(store: Store) -> None:
    """The Yunnan demo drawn from the source article (synthetic people and cases).

    Example: collab seed yunnan
    """
    from seeds import yunnan as scenario

    written = store.write(scenario.load)
    click.echo("loaded the Yunnan seed scenario: "
               + ", ".join(f"{name} {n}" for name, n in written.items()))


COMMANDS = (seed,)
