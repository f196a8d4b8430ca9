"""The `collab` command: a thin shell over the store and the services.

Every command takes the same engine options; an expected failure (a CollabError) prints one
line and exits with 1, never a traceback.
"""

import click

from collab.cli import graph, seed
from collab.cli.common import CollabGroup


@click.group(cls=CollabGroup)
@click.version_option(package_name="collab")
def main() -> None:
    """collab: inspection issues, clues and cases across departments, as one graph."""


for command in (*graph.COMMANDS, *seed.COMMANDS):
    main.add_command(command)
