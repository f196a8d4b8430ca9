"""`collab clue …` (the clue lifecycle and the transfer protocol) and `collab trace`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import click

from collab.analysis.figures import code_of
from collab.cases import case_files, clues, trace
from collab.cli.common import config, echo_json, run, with_store
from collab.commands.clues import (
    AcceptTransfer,
    DisposeTransfer,
    FileCase,
    RecordOutcome,
    RegisterClue,
    ReturnTransfer,
    TransferClue,
)
from collab.graph.store import Graph, Store

DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> date:
    return config().today() if value is None else value.date()


@click.group()
def clue() -> None:
    """Register, transfer, accept, dispose of and file clues; see what awaits."""


@clue.command()
@click.argument("no")
@click.option("--title", required=True)
@click.option("--on", "on", type=DATE, required=True, help="Registration date.")
@click.option("--region", required=True, help="Region code of the clue.")
@click.option("--category", default=None)
@click.option("--issue", default=None, help="Number of the issue it came from.")
@click.option("--against", multiple=True, help="Uid of a person it names; repeat for more.")
@with_store
def register(store: Store, no: str, title: str, on: datetime, region: str,
             category: str | None, issue: str | None, against: tuple[str, ...]) -> None:
    """Register a clue.

    Example: collab clue register XS-2023-0002 --title 违规发放补贴 --on 2023-10-20 --region 532628
    """
    done = run(store, RegisterClue(no=no, title=title, on=on.date(), region_code=region,
                                   category=category, issue_no=issue, against=against))
    click.echo(f"registered clue {done['clue']}")


@clue.command()
@click.argument("clue_no")
@click.option("--to", "to", required=True, help="Department code or name.")
@click.option("--on", "on", type=DATE, required=True)
@click.option("--letter", required=True, help="Letter number (移交函号).")
@with_store
def transfer(store: Store, clue_no: str, to: str, on: datetime, letter: str) -> None:
    """Transfer a clue to a department (移交). Feedback is due after the department's own
    term, else COLLAB_FEEDBACK_DAYS (30).

    Example: collab clue transfer XS-2023-0001 --to D532628-JW --on 2023-10-25 --letter L1
    """
    department = store.read(lambda tx: code_of(tx, "Department", to))
    done = run(store, TransferClue(clue_no=clue_no, department=department, on=on.date(),
                                   letter_no=letter))
    click.echo(f"transfer {done['transfer']}: feedback due {done['feedback_due']}")


def _transfer_step(name: str, doc: str):  # noqa: ANN202 - builds a click command
    @clue.command(name=name, help=doc)
    @click.argument("transfer_no")
    @click.option("--on", "on", type=DATE, default=None, help="Date (default today).")
    @click.option("--reason", default="")
    @click.option("--disposal", type=click.Choice(clues.DISPOSALS), default=None,
                  help="For dispose: the disposal.")
    @click.option("--case-no", default=None, help="For file-case: the new case number.")
    @with_store
    def step(store: Store, transfer_no: str, on: datetime | None, reason: str,
             disposal: str | None, case_no: str | None) -> None:
        day = _day(on)
        command = {
            "accept": lambda: AcceptTransfer(transfer_no=transfer_no, on=day, reason=reason),
            "dispose": lambda: DisposeTransfer(transfer_no=transfer_no, on=day,
                                               disposal=disposal or "", reason=reason),
            "return": lambda: ReturnTransfer(transfer_no=transfer_no, on=day, reason=reason),
            "file-case": lambda: FileCase(transfer_no=transfer_no, on=day,
                                          case_no=case_no or "", reason=reason)}[name]()
        done = run(store, command)
        if "case" in done:
            click.echo(f"Case {done['case']}: filed")
        else:
            click.echo(f"Transfer {transfer_no}: {done['status']}")
    return step


_transfer_step("accept", "Record receipt of a transfer (接收). Example: collab clue accept "
                         "XS-2023-0001/1 --on 2023-10-27")
_transfer_step("dispose", "Record a disposal (处置). Example: collab clue dispose XS-2023-0001/1 "
                          "--disposal verification --on 2023-11-02")
_transfer_step("return", "Return a transfer (退回) with a reason. Example: collab clue return "
                         "XS-2023-0001/2 --reason 不属本部门管辖")
_transfer_step("file-case", "File a case from a transfer (立案). Example: collab clue file-case "
                            "XS-2023-0001/1 --case-no AJ-2023-01 --on 2023-12-01")


@clue.command()
@click.argument("case_no")
@click.option("--sanction", "sanctions", multiple=True, type=click.Choice(case_files.SANCTIONS))
@click.option("--grade", type=click.Choice(case_files.PARTY_GRADES), default=None,
              help="Grade of the 党纪处分.")
@click.option("--funds", type=float, default=None, help="Funds recovered, yuan.")
@click.option("--closed-on", type=DATE, default=None)
@with_store
def outcome(store: Store, case_no: str, sanctions: tuple[str, ...], grade: str | None,
            funds: float | None, closed_on: datetime | None) -> None:
    """Record a case's outcome.

    Example: collab clue outcome AJ-2023-01 --sanction 党纪处分 --grade 警告 --funds 8800
    """
    done = run(store, RecordOutcome(case_no=case_no, sanctions=sanctions, party_grade=grade,
                                    funds_recovered=funds,
                                    closed_on=None if closed_on is None else closed_on.date()))
    click.echo(f"case {done['case']}: {'、'.join(done['sanctions'] or []) or 'recorded'}")


@clue.command()
@click.option("--as-of", type=DATE, default=None)
@click.option("--department", default=None, help="Department code or name.")
@click.option("--region", default=None, help="Region code.")
@click.option("--json", "as_json", is_flag=True)
@with_store
def awaiting(store: Store, as_of: datetime | None, department: str | None,
             region: str | None, as_json: bool) -> None:
    """Transfers awaiting receipt or feedback, overdue ones marked.

    Example: collab clue awaiting --department 富宁县纪委监委
    """
    def read(tx: Graph) -> list[dict[str, Any]]:
        dept = None if department is None else code_of(tx, "Department", department)
        return clues.awaiting(tx, as_of=_day(as_of), department=dept, region=region)
    rows = store.read(read)
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        flag = "逾期" if r["overdue"] else ""
        what = "待接收" if r["awaiting"] == "receipt" else "待反馈"
        click.echo(f"{r['transfer_no']}\t{r['department_name']}\t{what}"
                   f"\t{r['feedback_due']}\t{flag}")


@click.command(name="trace")
@click.argument("clue_no", required=False)
@click.option("--person", default=None, help="Reverse: every clue and case of a person (uid).")
@click.option("--unit", default=None, help="Reverse: every clue and case of a unit (code).")
@with_store
def trace_command(store: Store, clue_no: str | None, person: str | None,
                  unit: str | None) -> None:
    """The whole chain of a clue, as JSON; or, with --person / --unit, the reverse.

    Example: collab trace XS-2023-0001
    """
    if clue_no is not None:
        echo_json(store.read(lambda tx: trace.trace(tx, clue_no=clue_no)))
    else:
        echo_json(store.read(lambda tx: trace.touching(tx, person=person, unit=unit)))


COMMANDS = (clue, trace_command)
