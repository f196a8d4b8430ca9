"""`collab letters …`: what needs a 督办函 or 提示函 today, and issuing them as .docx."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from collab.cases import letters as service
from collab.cli.common import config, run, with_store
from collab.cli.rectification import DATE, ON, day
from collab.commands.letters import IssueLetter
from collab.graph.store import Store


@click.group("letters")
def letters_group() -> None:
    """Supervision letters (督办函) and reminders (提示函) about rectification."""


@letters_group.command()
@click.option("--as-of", "as_of", type=DATE, default=None, help="Date (default today).")
@click.option("--region", default=None, help="Region code: that region and below.")
@with_store
def due(store: Store, as_of: datetime | None, region: str | None) -> None:
    """List the tasks that need a letter today, and which letter.

    Example: collab letters due --as-of 2024-05-01 --region 532600
    """
    settings, when = config(), day(as_of)
    letter_policy, rect_policy = settings.letter_policy(), settings.rectification_policy()
    found = store.read(lambda tx: service.due(tx, as_of=when, region=region,
                                              policy=letter_policy, rect_policy=rect_policy))
    for d in found:
        click.echo(f"{service.KINDS[d.kind]} {d.rectification} {d.title} | {d.unit_name} | "
                   f"时限 {d.deadline.isoformat()} | {d.reason}")
    click.echo(f"{len(found)} letter(s) due")


@letters_group.command("issue")
@click.argument("kind", type=click.Choice(tuple(service.KINDS)))
@click.argument("rects", nargs=-1, required=True)
@click.option("--out", "out", type=click.Path(file_okay=False), default="letters",
              show_default=True, help="Folder for the .docx.")
@click.option("--issuer", default=None,
              help="Who signs (default: COLLAB_LETTER_ISSUER, else the inspection office).")
@ON
@with_store
def issue_(store: Store, kind: str, rects: tuple[str, ...], out: str, issuer: str | None,
           on: datetime | None) -> None:
    """Issue one letter to the unit owning the tasks: numbered, recorded, written as .docx.

    Example: collab letters issue supervision ZG-2023-0001 ZG-2023-0002 --out 函件
    """
    content = run(store, IssueLetter(kind=kind, rectifications=rects, on=day(on),
                                     issuer=issuer))
    path = service.render(content, Path(out))
    click.echo(f"{content.no} {service.KINDS[kind]} 致{content.unit}: {path}")


COMMANDS = (letters_group,)
