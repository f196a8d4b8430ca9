"""`collab models …` (supervision models: run, hits, triage, figures) and `collab dataset …`
(reference data sets). Runs, triage decisions, imports and access changes are commands, run as
the operator (`COLLAB_USER`) by the one runner, each with its audit record.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

from collab.access.actors import Actor
from collab.access.authz import Authz
from collab.analysis import datasets, graphfile
from collab.analysis.models import MODELS, figures, hits
from collab.cli.common import config, echo_json, operator, run, with_store
from collab.cli.ledgers import ERRORS, MAP, refuse
from collab.commands.models import (
    ConfirmHit,
    DismissHit,
    ImportDataSet,
    RunModels,
    SetDataSetAccess,
)
from collab.errors import N_, ValidationError
from collab.graph.store import Store
from collab.ledgers import datasets as lds
from collab.ledgers.mapping import parse_corrections
from collab.ledgers.report import LedgerRejected

DATE = click.DateTime(formats=["%Y-%m-%d"])
_REGION = click.option("--region", default=None, metavar="CODE",
                       help="Only this region and everything below it.")
_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
_LANG = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
                     help="Language of names and reasons.")


def _authz(region: str | None = None) -> Authz:
    """The command-line operator, limited to a region subtree when one is given."""
    me = operator().actor
    return Authz(Actor(me.name, role=me.role, region=region))


def _day(value: datetime | None) -> date | None:
    return None if value is None else value.date()


def _pairs(items: tuple[str, ...], what: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValidationError(N_("%(what)s %(item)r: write NAME=VALUE"), what=what, item=item)
        out.append((name.strip(), value.strip()))
    return out


def _params(items: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """--param MODEL.NAME=VALUE, e.g. dormant-clue.days=60."""
    out: dict[str, dict[str, str]] = {}
    for name, value in _pairs(items, "--param"):
        code, dot, param = name.partition(".")
        if not dot:
            raise ValidationError(N_("--param %(item)r: write MODEL.NAME=VALUE"), item=name)
        out.setdefault(code, {})[param] = value
    return out


@click.group()
def models() -> None:
    """Supervision models (监督模型): run them, check their hits, see what they earn."""


@models.command("list")
@_JSON
@_LANG
def list_(as_json: bool, lang: str) -> None:
    """The models: code, name, severity, parameters and the data sets they read.

    Example: collab models list
    """
    rows: list[dict[str, Any]] = [{"code": m.code, "name": m.name(lang), "severity": m.severity,
             "version": m.version, "pattern": m.pattern_en if lang == "en" else m.pattern_zh,
             "params": {p.name: p.default for p in m.params},
             "datasets": {s.name: list(s.kinds) for s in m.slots}} for m in MODELS.values()]
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        params = " ".join(f"{k}={v}" for k, v in r["params"].items())
        sets = " ".join(f"{k}:{'|'.join(v)}" for k, v in r["datasets"].items())
        click.echo(f"{r['code']:<20} {r['name']}  [{r['severity']}]  {params} {sets}".rstrip())


@models.command("run")
@click.argument("codes", nargs=-1, metavar="[CODE]...")
@_REGION
@click.option("--as-of", type=DATE, default=None, help="The date the models judge by "
              "(default today).")
@click.option("--param", "params", multiple=True, metavar="MODEL.NAME=VALUE",
              help="A model's setting, e.g. dormant-clue.days=60; repeat for more.")
@click.option("--dataset", "sets", multiple=True, metavar="SLOT=CODE[,CODE]",
              help="The data sets of a slot, e.g. payments=NN-PENSION (default: every data "
                   "set of the slot's kinds covering the region).")
@_JSON
@with_store
def run_(store: Store, codes: tuple[str, ...], region: str | None, as_of: datetime | None,
         params: tuple[str, ...], sets: tuple[str, ...], as_json: bool) -> None:
    """Run models (all of them when no CODE is given); each run and its hits are recorded.

    Example: collab models run roster-unpaid deceased-paid --region 532628 --json
    """
    chosen = {slot: tuple(c.strip() for c in value.split(",") if c.strip())
              for slot, value in _pairs(sets, "--dataset")}
    results = run(store, RunModels(codes=codes, region=region, as_of=_day(as_of),
                                   params=_params(params), sets=chosen))
    if as_json:
        echo_json([r.to_json() for r in results])
        return
    for r in results:
        if r.skipped:
            click.echo(f"{r.model:<20} skipped: {r.skipped}")
        else:
            click.echo(f"{r.model:<20} {r.hits} hits ({r.new_hits} new) in {r.duration_ms} ms"
                       f"  [{r.run_no}]")


@models.command("hits")
@click.option("--model", "model_code", default=None, help="Only this model's hits.")
@click.option("--status", type=click.Choice(list(hits.LIFECYCLE.names)), default=None)
@click.option("--limit", default=50, show_default=True)
@click.option("--offset", default=0, show_default=True)
@_REGION
@_JSON
@_LANG
@with_store
def hits_(store: Store, model_code: str | None, status: str | None, limit: int, offset: int,
          region: str | None, as_json: bool, lang: str) -> None:
    """The hits in scope, newest first, each with its one-line reason.

    Example: collab models hits --model roster-unpaid --status pending
    """
    authz = _authz(region)
    rows, total = store.read(lambda tx: hits.listing(
        tx, authz=authz, model_code=model_code, status=status, offset=offset, limit=limit))
    for r in rows:
        r["reason"] = MODELS[r["model"]].reason(r["facts"], lang)
    if as_json:
        echo_json({"total": total, "hits": rows})
        return
    for r in rows:
        click.echo(f"{r['no']:<32} {r['status']:<10} {r['region_code'] or '-':<12} "
                   f"{r['reason']}")
    click.echo(f"{len(rows)} of {total}")


def _shown(detail: hits.Detail, lang: str) -> dict[str, Any]:
    hit = detail.hit
    return {"no": hit.key, "model": hit.get("model"), "status": hit.get("status"),
            "region_code": hit.get("region_code"), "clue_no": hit.get("clue_no"),
            "reason": MODELS[hit.get("model")].reason(detail.facts, lang),
            "evidence": [{"role": role, "label": n.label, "key": n.key,
                          "name": n.get("name") or n.get("title")} for role, n in detail.evidence],
            "runs": [{"no": r.key, "actor": r.get("actor"), "at": r.get("started_at")}
                     for r in detail.runs],
            "steps": [{"on": s.get("on"), "to": s.get("to_status"), "actor": s.get("actor"),
                       "reason": s.get("reason")} for s in detail.steps]}


@models.command()
@click.argument("no")
@_JSON
@_LANG
@with_store
def show(store: Store, no: str, as_json: bool, lang: str) -> None:
    """A hit: its reason, the evidence it rests on, the runs that found it, its triage.

    Example: collab models show roster-unpaid-022406ac64d7
    """
    authz = _authz()
    shown = _shown(store.read(lambda tx: hits.detail(tx, authz=authz, no=no)), lang)
    if as_json:
        echo_json(shown)
        return
    click.echo(f"{shown['no']}  {shown['status']}  {shown['reason']}")
    for e in shown["evidence"]:
        click.echo(f"  {e['role']:<14} {e['label']:<12} {e['key']}  {e['name'] or ''}")
    for r in shown["runs"]:
        click.echo(f"  found by {r['no']} ({r['actor']}, {r['at']})")


@models.command()
@click.argument("no")
@click.option("--clue-no", default=None, help="The new clue's number (default XS-<hit>).")
@click.option("--title", default=None, help="The new clue's title.")
@click.option("--on", "on", type=DATE, default=None, help="Date (default today).")
@with_store
def confirm(store: Store, no: str, clue_no: str | None, title: str | None,
            on: datetime | None) -> None:
    """已核实: register a clue from the hit, linked to it.

    Example: collab models confirm roster-unpaid-022406ac64d7 --clue-no XS-2024-0101
    """
    answer = run(store, ConfirmHit(no=no, on=_day(on), clue_no=clue_no, title=title))
    click.echo(f"registered clue {answer['clue']} from hit {no}")


@models.command()
@click.argument("no")
@click.option("--reason", required=True, help="Why the hit is set aside.")
@click.option("--on", "on", type=DATE, default=None, help="Date (default today).")
@with_store
def dismiss(store: Store, no: str, reason: str, on: datetime | None) -> None:
    """已排除: set a hit aside, saying why.

    Example: collab models dismiss roster-unpaid-022406ac64d7 --reason 已补发
    """
    run(store, DismissHit(no=no, reason=reason, on=_day(on)))
    click.echo(f"dismissed hit {no}")


@models.command("figures")
@_REGION
@_JSON
@with_store
def figures_(store: Store, region: str | None, as_json: bool) -> None:
    """Per model: hits, confirmed, dismissed, clues transferred, cases, its own 成案率.

    Example: collab models figures --region 532600
    """
    authz = _authz(region)
    rows = store.read(lambda tx: figures.per_model(tx, authz=authz))
    if as_json:
        echo_json(rows)
        return
    click.echo("model\thits\tpending\tconfirmed\tdismissed\ttransferred\tcases\t成案率")
    for r in rows:
        shown = "-" if r["conversion_rate"] is None else f"{r['conversion_rate']:.1%}"
        click.echo(f"{r['model']}\t{r['hits']}\t{r['pending']}\t{r['confirmed']}\t"
                   f"{r['dismissed']}\t{r['transferred']}\t{r['cases']}\t{shown}")


@models.command()
@click.argument("no")
@click.option("--format", "fmt", type=click.Choice(list(graphfile.FORMATS)), default="graphml",
              show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="File to write (default: the hit's number and the format).")
@with_store
def export(store: Store, no: str, fmt: str, output: str | None) -> None:
    """A hit's evidence as GraphML or GEXF (Gephi …), ID numbers masked.

    Example: collab models export roster-unpaid-022406ac64d7 --format gexf
    """
    authz = _authz()
    view = store.read(lambda tx: hits.evidence_view(tx, authz=authz, no=no))
    path = Path(output or f"{no}.{fmt}")
    path.write_bytes(graphfile.write(view.nodes, view.rels, fmt))
    click.echo(f"wrote {len(view.nodes)} nodes and {len(view.rels)} relationships to {path}")


@click.group()
def dataset() -> None:
    """Reference data sets (数据集): lists other departments share, kept with who may use them."""


@dataset.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(list(datasets.KINDS)), required=True)
@click.option("--code", required=True, help="The data set's code (never reused).")
@click.option("--name", required=True, help="Its name, e.g. 富宁县2024年死亡人口.")
@click.option("--source", required=True, help="The department it comes from.")
@click.option("--as-of", type=DATE, required=True, help="The date the list was drawn up.")
@click.option("--region", required=True, help="The region it covers (code).")
@click.option("--roles", default=",".join(datasets.DEFAULT_ROLES), show_default=True,
              help="Roles that may use it, comma separated.")
@click.option("--regions", default="", help="Regions whose people may use it (default: "
              "--region), comma separated.")
@MAP
@click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
@ERRORS
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)
@with_store
def import_dataset(store: Store, file: str, kind: str, code: str, name: str, source: str,
                   as_of: datetime, region: str, roles: str, regions: str,
                   maps: tuple[str, ...], dry_run: bool, errors_to: str | None,
                   lang: str) -> None:
    """Import a list (xlsx, or CSV in UTF-8/GBK) as a data set: all rows or, on any problem,
    none.

    The columns are found as a ledger's are (the synonyms people write); --map says which
    column holds what when they are not.

    Example: collab dataset import 死亡人口.xlsx --kind deceased --code FN-DEATH-2024
    --name 富宁县2024年死亡人口 --source 富宁县公安局 --as-of 2024-06-30 --region 532628
    """
    data = lds.read_dataset(file, kind_code=kind, corrections=parse_corrections(maps))
    info = lds.DataSetInfo(code=code, name=name, source=source, as_of=as_of.date(),
                           region_code=region, roles=_split(roles), regions=_split(regions))
    key = config().ensure_key()
    authz = _authz()
    try:
        if dry_run:
            report = store.read(lambda tx: lds.import_dataset(tx, authz=authz, data=data,
                                                              info=info, key=key, dry_run=True))
        else:
            report = run(store, ImportDataSet(data=data, info=info, id_key=key))
    except LedgerRejected as e:
        refuse(file, e.report, errors_to, data.header_rows, lang)
    for line in report.lines(lang):
        click.echo(line)


def _split(text: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in text.split(",") if x.strip())


@dataset.command("list")
@_JSON
@with_store
def list_datasets(store: Store, as_json: bool) -> None:
    """The data sets one may use: code, kind, name, source, date, rows, who may use them.

    Example: collab dataset list
    """
    authz = _authz()
    found = store.read(lambda tx: datasets.usable(tx, authz=authz))
    rows = [_dataset_row(n.props) for n in found]
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        click.echo(f"{r['code']:<24} {r['kind']:<15} {r['name']}  {r['source'] or ''}  "
                   f"{r['as_of']}  {r['rows']} rows  {','.join(r['roles'])}")


def _dataset_row(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: props.get(k) for k in ("code", "kind", "name", "source", "as_of", "region_code",
                                      "rows", "unmatched", "roles", "regions")}


@dataset.command("access")
@click.argument("code")
@click.option("--roles", required=True, help="Roles that may use it, comma separated.")
@click.option("--regions", default="", help="Regions whose people may use it, comma "
              "separated (default: the set's own region).")
@with_store
def access(store: Store, code: str, roles: str, regions: str) -> None:
    """Change who may use a data set.

    Example: collab dataset access FN-DEATH-2024 --roles coordinator,leader
    """
    answer = run(store, SetDataSetAccess(code=code, roles=_split(roles),
                                         regions=_split(regions)))
    click.echo(f"{code}: roles {','.join(answer['roles'])}; regions "
               f"{','.join(answer['regions'])}")


COMMANDS = (models, dataset)
