"""`collab stats …`: the figures of a scope, computed in the engine, with their counts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from collab.analysis import figures as fig
from collab.cli.common import config, echo_json, run, with_store
from collab.commands.maintenance import FillClueFacts
from collab.graph.store import Graph, Store

DATE = click.DateTime(formats=["%Y-%m-%d"])


def scope_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """--region --round --department --category --period --as-of on a command."""
    for option in reversed((
        click.option("--region", default=None, help="Region name or code (with its subtree)."),
        click.option("--round", "round_", default=None, help="Round name or code."),
        click.option("--department", default=None, help="Department name or code."),
        click.option("--category", default=None, help="Issue category."),
        click.option("--period", default=None, help="YEAR or FROM..TO (years or dates)."),
        click.option("--as-of", type=DATE, default=None, help="Date of the figures (today)."),
    )):
        fn = option(fn)
    return fn


def _scope(tx: Graph, opts: dict[str, Any]) -> fig.Scope:
    as_of = opts.get("as_of")
    return fig.resolve_scope(tx, region=opts.get("region"), round=opts.get("round_"),
                             department=opts.get("department"),
                             category=opts.get("category"), period=opts.get("period"),
                             as_of=config().today() if as_of is None else as_of.date())


@click.group()
def stats() -> None:
    """Figures: conversion, contribution, lead times, funnel, rectification, summary."""


def _fmt(value: Any, name: str = "") -> str:
    """A figure for the terminal: rates as percentages, amounts with separators, — for none."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1%}" if name.endswith("rate") else f"{value:,.2f}"
    return str(value)


@stats.command()
@click.option("--by", type=click.Choice(fig.GROUPINGS), default="all", show_default=True)
@scope_options
@click.option("--json", "as_json", is_flag=True)
@click.option("--list", "as_list", is_flag=True, help="List the clues behind the counts.")
@with_store
def conversion(store: Store, by: str, as_json: bool, as_list: bool, **opts: Any) -> None:
    """Clue conversion rate (成案率) and the settled-only rate, by group.

    Example: collab stats conversion --by department --period 2023 --as-of 2024-06-30
    """
    def read(tx: Graph) -> dict[str, Any]:
        s = _scope(tx, opts)
        out: dict[str, Any] = {"scope": s.describe(), "by": by,
                               "rows": fig.conversion(tx, scope=s, by=by)}
        if as_list:
            out["clues"] = fig.drill_down(tx, scope=s, figure="clues_transferred",
                                          by_department=by == "department")
        return out
    result = store.read(read)
    if as_json:
        echo_json(result)
        return
    click.echo("group\tname\ttransferred\tconverted\trate\tsettled\tsettled_rate")
    for r in result["rows"]:
        click.echo("\t".join(_fmt(r[k], k) for k in ("group", "name", "transferred", "converted",
                                                  "rate", "settled", "settled_rate")))
    for r in result.get("clues", []):
        click.echo("\t".join(_fmt(r[k], k) for k in ("clue_no", "dept", "first_at", "case_no",
                                                  "converted", "settled")))


@stats.command()
@scope_options
@click.option("--json", "as_json", is_flag=True)
@click.option("--list", "figure", default=None, metavar="FIGURE",
              help="List what one count counted (e.g. clues, overdue, consultations).")
@with_store
def summary(store: Store, as_json: bool, figure: str | None, **opts: Any) -> None:
    """One scope at a glance, as one JSON object (or its drill-down with --list).

    Example: collab stats summary --region 昭通市 --period 2023 --json
    """
    def read(tx: Graph) -> Any:
        s = _scope(tx, opts)
        if figure is not None:
            return fig.drill_down(tx, scope=s, figure=figure)
        return fig.summary(tx, scope=s)
    result = store.read(read)
    if as_json or figure is not None:
        echo_json(result)
        return
    for key, value in result.items():
        if key != "scope":
            click.echo(f"{key}: {_fmt(value, key)}")


def _json_figure(name: str, compute: Callable[[Graph, fig.Scope], Any], doc: str) -> None:
    @stats.command(name=name, help=doc)
    @scope_options
    @with_store
    def command(store: Store, **opts: Any) -> None:
        echo_json(store.read(lambda tx: {"scope": _scope(tx, opts).describe(),
                                         name: compute(tx, _scope(tx, opts))}))


_json_figure("contribution", lambda g, s: fig.contribution(g, scope=s),
             "Contribution rate (贡献率) per department. Example: collab stats contribution "
             "--period 2023")
_json_figure("lead-times", lambda g, s: fig.lead_times(g, scope=s),
             "Days from transfer to acceptance and to case: median, p90. Example: "
             "collab stats lead-times --period 2023")
_json_figure("funnel", lambda g, s: fig.funnel(g, scope=s),
             "Transferred → accepted → disposed → filed → concluded. Example: "
             "collab stats funnel --period 2023")
_json_figure("rectification", lambda g, s: fig.rectification(g, scope=s),
             "Rectification completion, on-time, overdue, reopen. Example: "
             "collab stats rectification --region 文山壮族苗族自治州 --period 2023")


@stats.command()
@click.argument("department")
@scope_options
@with_store
def collaborator(store: Store, department: str, **opts: Any) -> None:
    """What a collaborating department brought to a scope.

    Example: collab stats collaborator 富宁县人社局 --period 2023
    """
    echo_json(store.read(lambda tx: fig.collaborator(tx, scope=_scope(tx, opts),
                                                     department=department)))


@click.command("fill-clue-facts")
@with_store
def fill_clue_facts(store: Store) -> None:
    """Give every clue its figure shortcut (graphs written before it existed), so the
    conversion figures read it instead of walking each clue.

    Example: collab fill-clue-facts
    """
    done = run(store, FillClueFacts())
    click.echo(f"refreshed the figure shortcut of {done['changed']} clues")


COMMANDS = (stats, fill_clue_facts)
