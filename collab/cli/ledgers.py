"""`collab import`, `collab export`, `collab template`: ledgers (台账) in and out."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import click

from collab.access import audit
from collab.access.audit import Kind
from collab.access.authz import Authz
from collab.analysis.figures import code_of
from collab.cli.common import config, console_origin, operator, run, with_store
from collab.commands.imports import ImportLedger, SaveImportProfile
from collab.commands.maintenance import LoadRegions
from collab.graph.store import Store
from collab.ledgers import errorbook, exporter, places, profiles
from collab.ledgers.importer import Ledger, Progress, check_ledger, read_ledger
from collab.ledgers.kinds import ORDER, kind
from collab.ledgers.mapping import parse_corrections, signature
from collab.ledgers.report import LedgerRejected, Report

_KINDS = click.Choice(ORDER)
_LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                     help="Language of the report.")
# The options every import of a file takes: the column mapping, and the refused file marked.
MAP = click.option("--map", "maps", multiple=True, metavar="COLUMN=FIELD",
                   help="Say which field a column holds (a header as written, or a letter: E), "
                        "or COLUMN=- to ignore it. Repeatable.")
ERRORS = click.option("--errors", "errors_to", type=click.Path(dir_okay=False), default=None,
                      metavar="XLSX", help="When refused, write the file with every problem "
                                           "marked (bad cells red, a 问题说明 column) to fix and "
                                           "import again.")


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--kind", type=_KINDS, default=None,
              help="Ledger kind; detected from the headers when left out.")
@MAP
@click.option("--profile", default=None, metavar="NAME",
              help="Use the column mapping saved under NAME; with --map, save it there.")
@click.option("--region", default=None, metavar="NAME_OR_CODE",
              help="Import as the office of this region: names resolve, and rows match "
                   "records, only within it (default: the operator's whole jurisdiction).")
@click.option("--create-missing", is_flag=True,
              help="Create the units the ledger names that are not on record (the dry run "
                   "lists them).")
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
@ERRORS
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
    authz = operator()
    if region is not None:
        code = store.read(lambda tx: code_of(tx, "Region", region))
        authz = Authz(replace(authz.actor, region=code))
    ledger = _read(store, authz, file, kind, parse_corrections(maps), profile)
    key, sealing = config().ensure_key(), config().load_audit_key()
    who = console_origin(authz)

    def record(report: Report, outcome: str = "ok") -> None:  # the dry run's record (a read)
        store.write(lambda tx: audit.append(tx, key=sealing, origin=who, kind=Kind.IMPORT,
                                            event="ledger.import_check", outcome=outcome,
                                            detail=report.audit_detail()))

    try:
        if dry_run:
            report = store.read(lambda tx: check_ledger(tx, actor=authz.actor, ledger=ledger,
                                                        key=key,
                                                        create_missing=create_missing))
            record(report)
        else:
            report = run(store, ImportLedger(ledger=ledger, id_key=key,
                                             create_missing=create_missing,
                                             progress=_progress(lang)), authz=authz)
    except LedgerRejected as e:
        refused = e.report
        if dry_run:  # a refused import's record is the runner's
            record(refused, "refused")
        refuse(file, refused, errors_to, {m.sheet: m.header_row for m in ledger.mappings},
               lang)
    for line in report.lines(lang):
        click.echo(line)


def refuse(file: str, report: Report, errors_to: str | None, header_rows: dict[str, int],
           lang: str) -> NoReturn:
    """Print a refused import's report, write the file marked when asked (and a header was
    found to mark it under), and exit 1."""
    for line in report.lines(lang):
        click.echo(line)
    if errors_to and header_rows:
        errorbook.write(Path(file), report, Path(errors_to), header_rows)
        click.echo(f"problems marked in {errors_to}")
    sys.exit(1)


def _read(store: Store, authz: Authz, file: str, kind: str | None,
          corrections: dict[str, str], profile: str | None) -> Ledger:
    """The ledger read with the mapping asked for: --map over a named profile, else the
    profile saved for the same headers; a named profile given --map is saved."""
    if profile and not corrections:
        saved = store.read(lambda tx: profiles.named(tx, actor=authz.actor, name=profile))
        return read_ledger(file, kind=kind or saved.kind, corrections=saved.corrections)
    ledger = read_ledger(file, kind=kind, corrections=corrections)
    if not ledger.mappings:
        return ledger
    first = ledger.mappings[0]
    if profile:
        run(store, SaveImportProfile(name=profile, kind=first.kind.name,
                                     signature=signature(first), corrections=corrections),
            authz=authz)
        click.echo(f"saved the column mapping as {profile!r}", err=True)
    elif not corrections:
        found = store.read(lambda tx: profiles.for_headers(tx, actor=authz.actor,
                                                           signature=signature(first)))
        if found is not None:
            click.echo(f"using the column mapping saved as {found.name!r}", err=True)
            return read_ledger(file, kind=kind or found.kind, corrections=found.corrections)
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
    n = run(store, LoadRegions(rows=tuple(places.read(file))))["loaded"]
    click.echo(f"loaded {n} regions from {file}")


COMMANDS = (import_, export, template, regions_)
