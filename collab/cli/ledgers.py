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
from collab.ledgers import errorbook, exporter, places, profiles
from collab.ledgers.importer import Ledger, Progress, import_ledger, read_ledger
from collab.ledgers.kinds import ORDER, kind
from collab.ledgers.mapping import parse_corrections, signature
from collab.ledgers.report import LedgerRejected, Report

_KINDS = click.Choice(ORDER)
_LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                     help="Language of the report.")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--kind", type=_KINDS, default=None,
              help="Ledger kind; detected from the headers when left out.")
@click.option("--map", "maps", multiple=True, metavar="COLUMN=FIELD",
              help="Say which field a column holds (a header as written, or a letter: E), or "
                   "COLUMN=- to ignore it. Repeatable.")
@click.option("--profile", default=None, metavar="NAME",
              help="Use the column mapping saved under NAME; with --map, save it there.")
@click.option("--region", default=None, metavar="NAME_OR_CODE",
              help="Import as the office of this region: names resolve, and rows match "
                   "records, only within it (default: the operator's whole jurisdiction).")
@click.option("--create-missing", is_flag=True,
              help="Create the units the ledger names that are not on record (the dry run "
                   "lists them).")
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
@click.option("--errors", "errors_to", type=click.Path(dir_okay=False), default=None,
              metavar="XLSX", help="When refused, write the file with every problem marked "
                                   "(bad cells red, a 问题说明 column) to fix and import again.")
@_LANG
@with_store
def import_(store: Store, file: str, kind: str | None, maps: tuple[str, ...],
            profile: str | None, region: str | None, create_missing: bool, dry_run: bool,
            errors_to: str | None, lang: str) -> None:
    """Import a ledger (xlsx or csv in UTF-8/GBK): all rows or, on any problem, none.

    The report first says how each sheet was read (its kind and why, each column's field).
    Every import, refused or not, leaves an audit record (who, the file, its SHA-256, counts).

    Example: collab import 线索台账.csv --region 富宁县 --map 线索内容=title --dry-run
    """
    operator = Actor.command_line()
    actor = operator if region is None else replace(
        operator, region=store.read(lambda tx: code_of(tx, "Region", region)))
    ledger = _read(store, actor, file, kind, parse_corrections(maps), profile)
    key = ensure_default_key()
    event = "ledger.import_check" if dry_run else "ledger.import"
    who = console_origin(operator)

    def record(tx: Graph, report: Report, outcome: str = "ok") -> None:
        audit.append(tx, origin=who, kind=Kind.IMPORT, event=event, outcome=outcome,
                     detail=report.audit_detail())

    def unit(tx: Graph) -> Report:
        report = import_ledger(tx, actor=actor, ledger=ledger, key=key, dry_run=dry_run,
                               create_missing=create_missing, progress=_progress(lang))
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
        if errors_to and ledger.mappings:
            errorbook.write(Path(file), refused, Path(errors_to),
                            {m.sheet: m.header_row for m in ledger.mappings})
            click.echo(f"problems marked in {errors_to}")
        sys.exit(1)
    if dry_run:
        store.write(lambda tx: record(tx, report))
    for line in report.lines(lang):
        click.echo(line)


def _read(store: Store, actor: Actor, file: str, kind: str | None,
          corrections: dict[str, str], profile: str | None) -> Ledger:
    """The ledger read with the mapping asked for: --map over a named profile, else the
    profile saved for the same headers; a named profile given --map is saved."""
    if profile and not corrections:
        saved = store.read(lambda tx: profiles.named(tx, actor=actor, name=profile))
        return read_ledger(file, kind=kind or saved.kind, corrections=saved.corrections)
    ledger = read_ledger(file, kind=kind, corrections=corrections)
    if not ledger.mappings:
        return ledger
    first = ledger.mappings[0]
    if profile:
        store.write(lambda tx: profiles.save(tx, actor=actor, name=profile,
                                             kind=first.kind.name, signature=signature(first),
                                             corrections=corrections))
        click.echo(f"saved the column mapping as {profile!r}", err=True)
    elif not corrections:
        saved = store.read(lambda tx: profiles.for_headers(tx, actor=actor,
                                                           signature=signature(first)))
        if saved is not None:
            click.echo(f"using the column mapping saved as {saved.name!r}", err=True)
            return read_ledger(file, kind=kind or saved.kind, corrections=saved.corrections)
    return ledger


def _progress(lang: str) -> Progress:
    """Where a long import is, on stderr (a 100,000-row ledger takes a while)."""
    stages = {"check": ("检查", "checked"), "write": ("写入", "written")}

    def show(stage: str, done: int, total: int) -> None:
        zh, en = stages[stage]
        click.echo(f"{done}/{total} {en}" if lang == "en" else f"已{zh} {done}/{total}",
                   err=True)

    return show


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


@click.group("regions")
def regions_() -> None:
    """The official administrative divisions (统计用区划代码) the graph holds."""


@regions_.command("load")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@with_store
def load_regions(store: Store, file: str) -> None:
    """Load a region file (code, name, level, parent), merging by code.

    Example: collab regions load seeds/regions/yunnan.csv
    """
    rows = places.read(file)
    n = store.write(lambda tx: places.load(tx, rows))
    click.echo(f"loaded {n} regions from {file}")


COMMANDS = (import_, export, template, regions_)
