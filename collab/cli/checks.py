"""`collab check …`: joint supervision checks, their proposals, assignment and findings."""

from __future__ import annotations

from datetime import datetime

import click

from collab.cases import checks, proposals
from collab.cases import rectification as rect
from collab.cli.common import config, echo_json, run, with_store
from collab.cli.rectification import DATE, ON, VERSION, day
from collab.commands.checks import AdvanceCheck, AssignCheck, CreateCheck, RecordFinding
from collab.graph.store import Store


@click.group("check")
def check_group() -> None:
    """Joint supervision checks (联合监督检查): create, propose, assign, move, findings."""


@check_group.command()
@click.argument("no")
@click.option("--title", required=True)
@click.option("--unit", default=None, help="Code of the unit to check.")
@click.option("--rect", "rects", multiple=True, help="A rectification task to check; repeat.")
@click.option("--start", type=DATE, required=True)
@click.option("--end", type=DATE, required=True)
@ON
@with_store
def create(store: Store, no: str, title: str, unit: str | None, rects: tuple[str, ...],
           start: datetime, end: datetime, on: datetime | None) -> None:
    """Plan a check of a unit or of rectification tasks.

    Example: collab check create JC-2024-01 --title 那能乡整改联合检查 --unit U532628204
    --start 2024-05-06 --end 2024-05-10
    """
    run(store, CreateCheck(no=no, title=title, start=start.date(), end=end.date(), on=day(on),
                           unit=unit, rectifications=rects))
    click.echo(f"joint check {no}: planned")


@check_group.command()
@click.argument("no")
@ON
@with_store
def propose(store: Store, no: str, on: datetime | None) -> None:
    """Propose departments and people, with every conflict-of-interest exclusion explained.

    Conflict reach: env COLLAB_CONFLICT_HOPS (default 2).
    Example: collab check propose JC-2024-01
    """
    policy, when = config().proposal_policy(), day(on)
    p = store.read(lambda tx: proposals.propose(tx, check=no, on=when, policy=policy))
    click.echo(f"categories: {'、'.join(p.categories) or '(none)'}")
    click.echo("departments (score, open checks):")
    chosen = {d.code for d in p.proposed_departments}
    for d in p.departments:
        mark = "*" if d.code in chosen else " "
        basis = ", ".join(f"{k} {n}" for k, n in d.evidence.items() if n)
        click.echo(f" {mark} {d.code} {d.name}  {d.score}  load {d.load}  ({basis or '-'})")
    click.echo("people:")
    for person in p.people:
        click.echo(f"   {person.uid} {person.name} ({person.department} {person.position or ''})"
                   f"  {person.score}  load {person.load}")
    click.echo("excluded (conflict of interest):")
    for e in p.excluded:
        click.echo(f"   {e.uid} {e.explain()}")


@check_group.command()
@click.argument("no")
@click.option("--department", "departments", multiple=True, help="Department code; repeat.")
@click.option("--person", "people", multiple=True, help="Person uid; repeat.")
@ON
@VERSION
@with_store
def assign(store: Store, no: str, departments: tuple[str, ...], people: tuple[str, ...],
           on: datetime | None, version: int | None) -> None:
    """Assign departments and people (the accepted or changed proposal).

    Example: collab check assign JC-2024-01 --department D532628-RS --person P-SYN-0002
    """
    done = run(store, AssignCheck(no=no, on=day(on), departments=departments, people=people,
                                  expected_version=version))
    click.echo(f"joint check {no}: assigned (version {done['version']})")


@check_group.command()
@click.argument("no")
@click.argument("to", type=click.Choice(tuple(checks.LIFECYCLE.names)))
@click.option("--reason", default="")
@ON
@VERSION
@with_store
def move(store: Store, no: str, to: str, reason: str, on: datetime | None,
         version: int | None) -> None:
    """Move a check along planned → in_progress → reported → closed.

    Example: collab check move JC-2024-01 in_progress --on 2024-05-06
    """
    run(store, AdvanceCheck(no=no, to=to, on=day(on), reason=reason,
                            expected_version=version))
    click.echo(f"joint check {no}: {checks.LIFECYCLE.names[to]}")


@check_group.command()
@click.argument("no")
@click.argument("rect_no")
@click.option("--verified/--not-verified", required=True)
@click.option("--note", default="")
@ON
@with_store
def finding(store: Store, no: str, rect_no: str, verified: bool, note: str,
            on: datetime | None) -> None:
    """Record a finding on one task; a not-verified finding reopens it (再整改).

    Example: collab check finding JC-2024-01 ZG-2023-0001 --not-verified --note 仍有3人未到账
    """
    found = run(store, RecordFinding(no=no, rectification=rect_no, verified=verified,
                                     on=day(on), note=note))
    status = rect.LIFECYCLE.names.get(found["status"], "?")
    click.echo(f"joint check {no}: {rect_no} {'通过' if verified else '未通过'}; 整改状态 {status}")


@check_group.command()
@click.argument("no")
@with_store
def show(store: Store, no: str) -> None:
    """Show a check, its team and its findings.

    Example: collab check show JC-2024-01
    """
    echo_json(store.read(lambda tx: checks.describe(tx, no)))


COMMANDS = (check_group,)
