"""The `collab` command: a thin shell over the store and the services.

Every command takes the same engine options; an expected failure (a CollabError) prints one
line and exits with 1, never a traceback.
"""

import click

from collab.cli import backup, explore, graph, seed
from collab.cli import checks as check_commands
from collab.cli import clues as clue_commands
from collab.cli import ledgers as ledger_commands
from collab.cli import letters as letter_commands
from collab.cli import rectification as rect_commands
from collab.cli import stats as stats_commands
from collab.cli import web as web_commands
from collab.cli.common import CollabGroup


@click.group(cls=CollabGroup)
@click.version_option(package_name="collab")
def main() -> None:
    """collab: inspection issues, clues and cases across departments, as one graph."""


for command in (*graph.COMMANDS, *seed.COMMANDS, *backup.COMMANDS):
    main.add_command(command)
for command in explore.COMMANDS:
    main.add_command(command)
for command in ledger_commands.COMMANDS:
    main.add_command(command)
for command in web_commands.COMMANDS:
    main.add_command(command)
for command in (*clue_commands.COMMANDS, *stats_commands.COMMANDS):
    main.add_command(command)
for command in (*rect_commands.COMMANDS, *check_commands.COMMANDS,
                *letter_commands.COMMANDS):
    main.add_command(command)
