"""`collab import`, `collab export`, `collab template`: ledgers (台账) in and out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from collab.cli.common import config, operator, run, with_store
from collab.commands.imports import ImportLedger
from collab.graph.store import Store
from collab.ledgers import exporter
from collab.ledgers.importer import check_ledger, read_ledger
from collab.ledgers.kinds import ORDER, kind
from collab.ledgers.report import LedgerRejected

_KINDS = click.Choice(ORDER)
_LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                     help="Language of the report.")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--kind", type=_KINDS, default=None,
              help="Ledger kind; detected from the headers when left out.")
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
@_LANG
@with_store
def import_(store: Store, file: str, kind: str | None, dry_run: bool, lang: str) -> None:
    """Import a ledger (xlsx or csv in UTF-8/GBK): all rows or, on any problem, none.

    Example: collab import 问题台账.xlsx --kind issues --dry-run
    """
    ledger = read_ledger(file, kind=kind)
    key = config().ensure_key()
    try:
        if dry_run:
            actor = operator().actor
            report = store.read(lambda tx: check_ledger(tx, actor=actor, ledger=ledger,
                                                        key=key))
        else:
            report = run(store, ImportLedger(ledger=ledger, id_key=key))
    except LedgerRejected as e:
        for line in e.report.lines(lang):
            click.echo(line)
        sys.exit(1)
    for line in report.lines(lang):
        click.echo(line)


@click.command("export")
@click.argument("kind_name", metavar="KIND", type=_KINDS)
@click.option("--scope", default=None, help="Region code: that region and everything below.")
@click.option("--format", "fmt", type=click.Choice(exporter.FORMATS), default="xlsx",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="File to write (default: KIND.FORMAT).")
@click.option("--unmask", is_flag=True,
              help="Write ID numbers in full (only for those allowed to unmask them).")
@with_store
def export(store: Store, kind_name: str, scope: str | None, fmt: str,
           output: str | None, unmask: bool) -> None:
    """Export a ledger in the template layout (re-importable as it is).

    Example: collab export clues --scope 532600 --format csv -o 线索台账.csv
    """
    spec = kind(kind_name)
    path = Path(output or f"{kind_name}.{fmt}")
    key = config().load_key() if unmask else None
    # Rows are read in the transaction and the file written after it, so a retried read
    # never writes the file twice.
    rows = store.read(lambda tx: list(exporter.export_rows(tx, kind=spec, scope=scope,
                                                           unmask=key)))
    n = exporter.write_ledger(path, spec, rows, fmt=fmt)
    click.echo(f"exported {n} rows of {spec.zh} to {path}")


@click.command("template")
@click.argument("kind_name", metavar="KIND", type=_KINDS)
@click.option("--format", "fmt", type=click.Choice(exporter.FORMATS), default="xlsx",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="File to write (default: KIND-template.FORMAT).")
def template(kind_name: str, fmt: str, output: str | None) -> None:
    """Write an empty ledger of KIND to fill in.

    Example: collab template issues -o 问题台账模板.xlsx
    """
    spec = kind(kind_name)
    path = Path(output or f"{kind_name}-template.{fmt}")
    exporter.write_template(path, spec, fmt=fmt)
    click.echo(f"wrote the {spec.zh} template to {path}")


COMMANDS = (import_, export, template)
