"""`collab bulk-export`: files for a database's own offline importer (first national loads)."""

from __future__ import annotations

from pathlib import Path

import click

from collab.cli.common import with_store
from collab.graph import bulk
from collab.graph.store import Store


@click.command("bulk-export")
@click.option("--for", "for_", type=click.Choice(bulk.FOR), default="neo4j-admin",
              show_default=True, help="The importer the files are laid out for.")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@with_store
def bulk_export(store: Store, for_: str, directory: Path) -> None:
    """Write the whole graph as CSV files that `neo4j-admin database import full` loads.

    DIRECTORY must be new or empty. Then, on the Neo4j server with the database stopped:
    cd DIRECTORY && neo4j-admin database import full @import.args neo4j
    and run `collab init` against it to create the constraints and indexes.

    Example: collab bulk-export --for neo4j-admin var/export-2026-11-26
    """
    done = bulk.export(store, directory, for_=for_)
    click.echo(f"wrote {done.nodes} nodes and {done.rels} relationships in "
               f"{len(done.files) - 1} files to {directory} in {done.seconds:.1f} s; "
               f"import with: cd {directory} && neo4j-admin database import full "
               f"@import.args neo4j")


COMMANDS = (bulk_export,)
