"""Commands for finding links and differences: crosscheck, search, path, analyse."""

from __future__ import annotations

import click

from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.access.idnumbers import IdKey
from collab.analysis import centrality as analysis
from collab.analysis import crosscheck as xc
from collab.analysis import explore as ex
from collab.cli.common import config, echo_json, engine_options, operator, run, with_store
from collab.commands.crosscheck import RaiseIssue
from collab.commands.maintenance import FillPinyin
from collab.config import Config, open_store
from collab.errors import ConfigError, NotFound, ValidationError
from collab.graph.store import Graph, Store

_SELECT = ("only_a", "only_b", "mismatched")


@click.command()
@click.argument("list_a", type=click.Path(dir_okay=False))
@click.argument("list_b", type=click.Path(dir_okay=False))
@click.option("--key", type=click.Choice(xc.KEYS), default="id_number", show_default=True,
              help="Match by ID number (then name + birth date for rows without a usable "
                   "one), or by name + birth date only.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--show-id", is_flag=True, help="Show ID numbers unmasked (personal data).")
@click.option("--issue-on", metavar="UNIT_CODE", default=None,
              help="Also register one issue (source 数据比对) on this unit for the selection.")
@click.option("--select", type=click.Choice(_SELECT), default="only_a", show_default=True,
              help="Which results the issue covers.")
@click.option("--title", default=None, help="The issue's title.")
@click.option("--found-on", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The issue's date (default today).")
@engine_options
def crosscheck(config: Config, list_a: str, list_b: str, key: str, as_json: bool,
               show_id: bool, issue_on: str | None, select: str, title: str | None,
               found_on: object) -> None:
    """Compare two lists of people (CSV in UTF-8/GBK, or xlsx) and explain the differences.

    Example: collab crosscheck seeds/crosscheck/nanneng_roster_60plus.csv
    seeds/crosscheck/nanneng_pension_list.xlsx --json
    """
    result = xc.crosscheck(list_a, list_b, key=key, reveal=show_id)
    issue_no = None
    if issue_on:
        chosen = getattr(result, select)
        on = found_on.date() if found_on else None  # type: ignore[attr-defined]
        heading = title or f"数据比对：{len(chosen)}人{_SELECT_NAMES[select]}"
        store = open_store(config)
        try:
            issue_no = run(store, RaiseIssue(unit_code=issue_on, findings=tuple(chosen),
                                             title=heading, found_on=on))["issue"]
        finally:
            store.close()
    if as_json:
        echo_json({**result.to_json(), **({"issue": issue_no} if issue_no else {})})
        return
    click.echo(f"A: {result.rows_a} rows, B: {result.rows_b} rows; matched "
               f"{result.matched_by_id} by ID number, {result.matched_by_name_birth} by name "
               f"and birth date")
    for name in ("only_a", "only_b", "mismatched", "duplicates"):
        rows = getattr(result, name)
        click.echo(f"{name}: {len(rows)}")
        for f in rows:
            click.echo(f"  {f.list}{f.row:>6}  {f.name}  {f.id_number or '-'}  "
                       f"{f.birth_date or '-'}  {f.reason}")
    if issue_no:
        click.echo(f"registered issue {issue_no} on {issue_on}")


_SELECT_NAMES = {"only_a": "仅在名单A中", "only_b": "仅在名单B中", "mismatched": "信息不一致"}


def _authz(region: str | None) -> Authz:
    """The command-line operator, limited to a region subtree when --region is given."""
    me = operator().actor
    return Authz(Actor(me.name, role=me.role, region=region))


_region_option = click.option("--region", default=None, metavar="CODE",
                              help="Only this region and everything below it.")


@click.command()
@click.argument("query")
@click.option("--label", "labels", multiple=True, help="Only nodes with this label.")
@click.option("--limit", default=20, show_default=True)
@_region_option
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@with_store
def search(store: Store, query: str, labels: tuple[str, ...], limit: int, region: str | None,
           as_json: bool) -> None:
    """Find nodes by name, number, uid or ID number; Chinese names also by pinyin (zs, zhangsan).

    Example: collab search zhangsan
    """
    authz, key = _authz(region), _id_key()
    hits = store.read(lambda tx: ex.search(tx, authz=authz, q=query,
                                           labels=list(labels) or None, limit=limit, key=key))
    if as_json:
        echo_json([{**ex.node_json(h.node), "matched": h.matched} for h in hits])
        return
    if not hits:
        raise NotFound(f"nothing found for {query!r}")
    for h in hits:
        click.echo(f"{h.node.label:<12} {ex.caption(h.node)}  [{h.node.uid}]  ({h.matched})")


def _id_key() -> IdKey | None:
    """The ID-number key, to find people by ID number; None where none is configured."""
    try:
        return config().load_key()
    except ConfigError:
        return None


def _resolve(tx: Graph, authz: Authz, text: str) -> str:
    """A node's uid from a uid, a number or a name that matches one node best."""
    hits = ex.search(tx, authz=authz, q=text, limit=5)
    best = [h for h in hits if h.rank == hits[0].rank] if hits else []
    if len(best) != 1:
        names = "; ".join(f"{h.node.label} {ex.caption(h.node)} [{h.node.uid}]" for h in best)
        raise ValidationError(f"{text!r} names no single node" + (f": {names}" if names else "")
                              + " (give its uid)")
    return best[0].node.uid


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("--max-hops", default=6, show_default=True)
@click.option("--limit", default=10, show_default=True, help="At most this many paths.")
@_region_option
@with_store
def connect(store: Store, a: str, b: str, max_hops: int, limit: int, region: str | None) -> None:
    """How two nodes are connected: all shortest paths, each as one line.

    Example: collab connect 张三 U532628204 --max-hops 4
    """
    authz = _authz(region)

    def find(tx: Graph) -> list[ex.Route]:
        return ex.paths(tx, authz=authz, a=_resolve(tx, authz, a), b=_resolve(tx, authz, b),
                        max_hops=max_hops, limit=limit)

    routes = store.read(find)
    if not routes:
        raise NotFound(f"no path of at most {max_hops} hops between {a} and {b}")
    for route in routes:
        click.echo(route.text())


_ANALYSES = {
    "rank": lambda tx, authz: analysis.rank(tx, authz=authz),
    "communities": lambda tx, authz: analysis.communities(tx, authz=authz),
    "multi-clue": lambda tx, authz: analysis.multi_clue_people(tx, authz=authz),
    "ties": lambda tx, authz: analysis.ties(tx, authz=authz),
    "recurrence": lambda tx, authz: analysis.recurrence(tx, authz=authz),
}


@click.command()
@click.argument("which", type=click.Choice(sorted(_ANALYSES)))
@_region_option
@click.option("--export", "export", type=click.Path(dir_okay=False), default=None,
              help="Also write the table to this .csv or .xlsx file.")
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
@with_store
def analyse(store: Store, which: str, region: str | None, export: str | None,
            as_json: bool) -> None:
    """Rank people and units, find communities, people in several clues, ties, recurrence.

    Example: collab analyse ties --region 532600 --export ties.xlsx
    """
    table = store.read(lambda tx: _ANALYSES[which](tx, _authz(region)))
    if export:
        table.write(export)
    if as_json:
        echo_json(table.to_json())
        return
    click.echo("\t".join(table.columns))
    for row in table.rows:
        click.echo("\t".join(_cell(row.get(c)) for c in table.columns))
    if export:
        click.echo(f"wrote {len(table.rows)} rows to {export}")


@click.command("fill-pinyin")
@with_store
def fill_pinyin(store: Store) -> None:
    """Give names written without pinyin their pinyin and initials, for search.

    Example: collab fill-pinyin
    """
    done = run(store, FillPinyin())
    click.echo(f"filled pinyin for {done['changed']} nodes")


def _cell(value: object) -> str:
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


COMMANDS = (crosscheck, search, connect, analyse, fill_pinyin)
