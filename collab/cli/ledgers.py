"""`collab import`, `collab export`, `collab template`: ledgers (台账) in and out."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from collab.access import audit
from collab.access.actors import Actor
from collab.access.audit import Kind
from collab.access.idnumbers import ensure_default_key
from collab.analysis.figures import code_of
from collab.cli.common import console_origin, with_store
from collab.graph.store import Graph, Store
from collab.ledgers import exporter
from collab.ledgers.importer import import_ledger, read_ledger
from collab.ledgers.kinds import ORDER, kind
from collab.ledgers.report import LedgerRejected, Report

_KINDS = click.Choice(ORDER)
_LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                     help="Language of the report.")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--kind", type=_KINDS, default=None,
              help="Ledger kind; detected from the headers when left out.")
@click.option("--region", default=None, metavar="NAME_OR_CODE",
              help="Import as the office of this region: names resolve, and rows match "
                   "records, only within it (default: the operator's whole jurisdiction).")
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
@_LANG
@with_store
def import_(store: Store, file: str, kind: str | None, region: str | None, dry_run: bool,
            lang: str) -> None:
    """Import a ledger (xlsx or csv in UTF-8/GBK): all rows or, on any problem, none.

    Every import, refused or not, leaves an audit record (who, the file, its SHA-256, counts).

    Example: collab import 问题台账.xlsx --kind issues --region 富宁县 --dry-run
    """
    ledger = read_ledger(file, kind=kind)
    key = ensure_default_key()
    operator = Actor.command_line()
    actor = operator if region is None else replace(
        operator, region=store.read(lambda tx: code_of(tx, "Region", region)))
    event = "ledger.import_check" if dry_run else "ledger.import"
    who = console_origin(operator)

    def record(tx: Graph, report: Report, outcome: str = "ok") -> None:
        audit.append(tx, origin=who, kind=Kind.IMPORT, event=event, outcome=outcome,
                     detail=report.audit_detail())

    def unit(tx: Graph) -> Report:
        report = import_ledger(tx, actor=actor, ledger=ledger, key=key, dry_run=dry_run)
        if not dry_run:
            record(tx, report)
        return report

    try:
        report = store.read(unit) if dry_run else store.write(unit)
    except LedgerRejected as e:
        refused = e.report
        store.write(lambda tx: record(tx, refused, "refused"))
        for line in refused.lines(lang):
            click.echo(line)
        sys.exit(1)
    if dry_run:
        store.write(lambda tx: record(tx, report))
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
    key = ensure_default_key() if unmask else None
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
