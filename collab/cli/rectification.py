"""`collab rect …`: rectification tasks, their warnings and the closing ledger (销号台账)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click

from collab.cases import rectification as rect
from collab.cli.common import config, run, with_store
from collab.commands.rectification import (
    AddEvidence,
    AdvanceRectification,
    CloseRectification,
    CreateRectification,
    EvaluateRectification,
    SignOff,
)
from collab.graph.store import Store
from collab.sheets.tables import table_xlsx

DATE = click.DateTime(formats=["%Y-%m-%d"])
ON = click.option("--on", "on", type=DATE, default=None, help="Date (default today).")
VERSION = click.option("--expect-version", "version", type=int, default=None,
                       help="The version you last saw; a newer one refuses the write.")


def day(value: datetime | None) -> date:
    """A --on / --as-of option as a date, today (in the deployment's time zone) when left
    out."""
    return config().today() if value is None else value.date()


@click.group("rect")
def rect_group() -> None:
    """Rectification tasks (整改任务): create, move, evidence, sign-offs, closing, warnings."""


@rect_group.command()
@click.argument("no")
@click.option("--issue", required=True, help="Number of the issue it rectifies.")
@click.option("--unit", required=True, help="Code of the owner unit.")
@click.option("--title", required=True)
@click.option("--deadline", type=DATE, required=True)
@click.option("--responsible", default=None, help="主办人.")
@click.option("--leader", default=None, help="分管领导.")
@click.option("--principal", default=None, help="主要负责人.")
@ON
@with_store
def add(store: Store, no: str, issue: str, unit: str, title: str, deadline: datetime,
        responsible: str | None, leader: str | None, principal: str | None,
        on: datetime | None) -> None:
    """Create a rectification task for an issue.

    Example: collab rect add ZG-2023-0001 --issue WS-2023-0001 --unit U532628204
    --title 补发养老金 --deadline 2024-03-31 --responsible 张主办
    """
    done = run(store, CreateRectification(no=no, issue=issue, unit=unit, title=title,
                                          deadline=deadline.date(), on=day(on),
                                          responsible=responsible, leader=leader,
                                          principal=principal))
    click.echo(f"rectification {no}: {rect.LIFECYCLE.names[done['status']]}")


@rect_group.command()
@click.argument("no")
@click.argument("to", type=click.Choice(rect.STATUSES))
@click.option("--reason", default="")
@click.option("--evidence", default=None, help="An evidence note to add with the step.")
@ON
@VERSION
@with_store
def move(store: Store, no: str, to: str, reason: str, evidence: str | None,
         on: datetime | None, version: int | None) -> None:
    """Move a task along open → in_progress → done → verified / reopened.

    Example: collab rect move ZG-2023-0001 done --evidence 已补发66人 --on 2024-03-01
    """
    done = run(store, AdvanceRectification(no=no, to=to, on=day(on), reason=reason,
                                           evidence=evidence, expected_version=version))
    click.echo(f"rectification {no}: {rect.LIFECYCLE.names[to]} (version {done['version']})")


@rect_group.command()
@click.argument("no")
@click.argument("text")
@ON
@VERSION
@with_store
def evidence(store: Store, no: str, text: str, on: datetime | None, version: int | None) -> None:
    """Add an evidence note (整改佐证材料).

    Example: collab rect evidence ZG-2023-0001 养老金发放明细表
    """
    run(store, AddEvidence(no=no, text=text, on=day(on), expected_version=version))
    click.echo(f"rectification {no}: evidence added")


@rect_group.command()
@click.argument("no")
@click.argument("score", type=float)
@ON
@VERSION
@with_store
def evaluate(store: Store, no: str, score: float, on: datetime | None,
             version: int | None) -> None:
    """Record the evaluation score (整改质效评估, 0-100) of a finished task.

    Example: collab rect evaluate ZG-2023-0001 86
    """
    run(store, EvaluateRectification(no=no, score=score, on=day(on),
                                     expected_version=version))
    click.echo(f"rectification {no}: evaluated {score:g}")


@rect_group.command()
@click.argument("no")
@click.argument("role", type=click.Choice(tuple(rect.SIGNOFF_ROLES)))
@click.option("--by", "by", default=None, help="Who signs (default: the operator).")
@ON
@VERSION
@with_store
def signoff(store: Store, no: str, role: str, by: str | None, on: datetime | None,
            version: int | None) -> None:
    """Sign off a task towards its closing, in the configured order (env COLLAB_SIGNOFFS).

    Example: collab rect signoff ZG-2023-0001 unit_leader --by 李局长
    """
    run(store, SignOff(no=no, role=role, signer=by, on=day(on), expected_version=version))
    click.echo(f"rectification {no}: signed off by {rect.SIGNOFF_ROLES[role]} "
               f"{by or config().user}")


@rect_group.command()
@click.argument("no")
@ON
@VERSION
@with_store
def close(store: Store, no: str, on: datetime | None, version: int | None) -> None:
    """Close a verified task (销号); refused with what is missing.

    Example: collab rect close ZG-2023-0001 --on 2024-04-01
    """
    run(store, CloseRectification(no=no, on=day(on), expected_version=version))
    click.echo(f"rectification {no}: 已销号")


@rect_group.command()
@click.option("--as-of", "as_of", type=DATE, default=None, help="Date (default today).")
@click.option("--region", default=None, help="Region code: that region and below.")
@with_store
def warnings(store: Store, as_of: datetime | None, region: str | None) -> None:
    """Three-colour warnings (红黄绿预警) and to whom each goes.

    Thresholds: env COLLAB_WARN_YELLOW_DAYS (20) and COLLAB_WARN_ORANGE_DAYS (10).
    Example: collab rect warnings --as-of 2024-03-20 --region 532600
    """
    policy = config().rectification_policy()
    found = store.read(lambda tx: rect.warnings(tx, as_of=day(as_of), region=region,
                                                policy=policy))
    for w in found:
        when = f"超期{-w.days_left}天" if w.days_left < 0 else f"剩{w.days_left}天"
        click.echo(f"{rect.COLOURS[w.colour]}预警 {w.no} {w.title} | {w.unit} | "
                   f"时限 {w.deadline.isoformat()} {when} | 致{w.recipient_title} "
                   f"{w.recipient or '(未登记)'}")
    click.echo(f"{len(found)} warning(s)")


@rect_group.command("closing-ledger")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default="整改销号台账.xlsx",
              show_default=True)
@click.option("--as-of", "as_of", type=DATE, default=None, help="Date (default today).")
@click.option("--region", default=None, help="Region code: that region and below.")
@with_store
def closing_ledger(store: Store, output: str, as_of: datetime | None,
                   region: str | None) -> None:
    """Export the closing ledger (整改销号 / 归零台账) as xlsx.

    Example: collab rect closing-ledger --region 532628 -o 富宁县整改销号台账.xlsx
    """
    policy = config().rectification_policy()
    headers, rows = store.read(lambda tx: rect.closing_table(
        tx, as_of=day(as_of), region=region, policy=policy))
    book = table_xlsx("整改销号台账", headers, rows, heading="整改销号（归零）台账")
    path = Path(output)
    path.write_bytes(book)
    click.echo(f"wrote {len(rows)} task(s) to {path}")


COMMANDS = (rect_group,)
