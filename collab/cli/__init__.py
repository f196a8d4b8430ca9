"""The `collab` command: a thin shell over the store and the services.

Every command takes the same engine options; an expected failure (a CollabError) prints one
line and exits with 1, never a traceback.
"""

import click

from collab.cli import (
    backup,
    bulk,
    checks,
    clues,
    explore,
    graph,
    ledgers,
    letters,
    models,
    rectification,
    seed,
    stats,
    web,
)
from collab.cli.common import CollabGroup

AREAS = (graph, seed, backup, ledgers, clues, stats, rectification, checks, letters, explore,
         models, web, bulk)


@click.group(cls=CollabGroup)
@click.version_option(package_name="collab")
def main() -> None:
    """collab: inspection issues, clues and cases across departments, as one graph."""


for area in AREAS:
    for command in area.COMMANDS:
        main.add_command(command)
