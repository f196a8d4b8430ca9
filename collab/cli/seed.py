"""`collab seed`: load a seed scenario into the configured store."""

from __future__ import annotations

import click

from collab.cli.common import config, run, with_store
from collab.commands.maintenance import LoadScenario
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

    key = config().ensure_key()
    written = run(store, LoadScenario(name="yunnan",
                                      load=lambda tx: scenario.load(tx, key=key)))
    click.echo("loaded the Yunnan seed scenario: "
               + ", ".join(f"{name} {n}" for name, n in written.items()))


@seed.command()
@click.option("--scale", type=click.Choice(["village", "county", "prefecture", "province"]),
              default="village", show_default=True,
              help="How much: one township's villages up to a province (~1M nodes).")
@click.option("--seed", "seed_", type=int, default=1, show_default=True,
              help="Random seed: the same seed gives the same graph.")
@with_store
def synthetic(store: Store, scale: str, seed_: int) -> None:
    """A synthetic region of the given scale, written in batches (everything marked synthetic).

    Example: collab seed synthetic --scale county --seed 7
    """
    from seeds import synthetic as generator

    written = generator.load(store, scale=scale, seed=seed_, key=config().ensure_key())
    click.echo(f"generated the synthetic {scale} (seed {seed_}): "
               + ", ".join(f"{name} {n}" for name, n in written.items()))


COMMANDS = (seed,)
