"""Commands over the graph itself: init, status, get, find, expand, path."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import click

from collab.cli.common import console_origin, echo_json, engine_options, operator, with_store
from collab.commands import migrations
from collab.config import Config, open_store
from collab.errors import NotFound, ValidationError
from collab.graph import schema
from collab.graph.codec import Node
from collab.graph.schema import T
from collab.graph.store import Direction, Store


@click.command()
@engine_options
def init(config: Config) -> None:
    """Create the tables, constraints and indexes, or bring a store of an older schema version
    up to this one (each step audited as the operator's); running it again changes nothing.

    Also makes the deployment's ID-number and audit keys when it has none yet (in the keys
    folder, COLLAB_KEYS_DIR, default keys/), never replacing one the audit trail needs.

    Example: collab init --database var/collab.sqlite3
    """
    store = open_store(config, create=True)
    try:
        created = store.init_schema()
        upgraded = migrations.upgrade(store, authz=operator(), config=config,
                                      origin=console_origin())
        config.provision_audit_key(store)
        config.ensure_key()
    finally:
        store.close()
    if created:
        click.echo(f"initialised {config.describe()}: created {len(created)} schema objects")
    for step in upgraded:
        click.echo(f"upgraded {config.describe()} to schema {step}")
    if not created and not upgraded:
        click.echo(f"{config.describe()} is already initialised: nothing to do")
    click.echo(f"keys in {config.keys_dir} (back this folder up apart from the data)")


@click.command()
@with_store
def status(store: Store) -> None:
    """Count nodes per label and relationships per type.

    Example: collab status
    """
    counts = store.counts()
    for kind in ("nodes", "rels"):
        click.echo(f"{kind}: {sum(counts[kind].values())}")
        for name, n in counts[kind].items():
            if n:
                click.echo(f"  {name:<16} {n}")


def _node_json(node: Node) -> dict[str, Any]:
    return {"uid": node.uid, "label": node.label, **node.props}


def _parse(kind: T, name: str, text: str) -> Any:
    """A command-line value in the property's own type."""
    try:
        if kind is T.INT:
            return int(text)
        if kind is T.FLOAT:
            return float(text)
        if kind is T.BOOL:
            return {"true": True, "false": False}[text.lower()]
    except (ValueError, KeyError):
        raise ValidationError(f"{name}={text!r}: expected {kind.value}") from None
    return text


@click.command()
@click.argument("label")
@click.argument("key")
@with_store
def get(store: Store, label: str, key: str) -> None:
    """Show one node by label and key (e.g. a clue by its number).

    Example: collab get Region 532600
    """
    node = store.get(label, key)
    if node is None:
        raise NotFound(f"no {label} with key {key!r}")
    echo_json(_node_json(node))


@click.command()
@click.argument("label")
@click.option("--where", "where", multiple=True, metavar="PROP=VALUE",
              help="Equality filter; repeat for more.")
@click.option("--order-by", default=None, help="Property to sort by.")
@click.option("--desc", is_flag=True, help="Sort descending.")
@click.option("--limit", default=20, show_default=True)
@click.option("--offset", default=0, show_default=True)
@with_store
def find(store: Store, label: str, where: tuple[str, ...], order_by: str | None, desc: bool,
         limit: int, offset: int) -> None:
    """List nodes of a label, filtered, sorted and paged.

    Example: collab find Region --where level=county --order-by code
    """
    node = schema.label(label)
    filters = {}
    for item in where:
        name, sep, text = item.partition("=")
        if not sep:
            raise ValidationError(f"--where expects PROP=VALUE, got {item!r}")
        filters[name] = _parse(schema.prop(node, name), name, text)
    page = store.find(label, where=filters, order_by=order_by, descending=desc,
                      limit=limit, offset=offset)
    echo_json({"total": page.total, "offset": page.offset,
               "items": [_node_json(n) for n in page.items]})


@click.command()
@click.argument("uids", nargs=-1, required=True)
@click.option("--depth", default=1, show_default=True, help="Hops, 1 to 3.")
@click.option("--label", "labels", multiple=True, help="Only neighbours with this label.")
@click.option("--type", "types", multiple=True, help="Only relationships of this type.")
@click.option("--limit", default=300, show_default=True, help="Node cap.")
@with_store
def expand(store: Store, uids: tuple[str, ...], depth: int, labels: tuple[str, ...],
           types: tuple[str, ...], limit: int) -> None:
    """Show the neighbourhood of nodes (by uid), capped.

    Example: collab expand <uid> --depth 2 --type PART_OF
    """
    sub = store.expand(list(uids), depth=depth, labels=list(labels) or None,
                       types=list(types) or None, direction=Direction.BOTH, limit=limit)
    echo_json({"capped": sub.capped, "omitted": dict(sub.omitted),
               "nodes": [_node_json(n) for n in sub.nodes],
               "rels": [asdict(r) for r in sub.rels]})


@click.command()
@click.argument("a")
@click.argument("b")
@click.option("--max-hops", default=6, show_default=True)
@with_store
def path(store: Store, a: str, b: str, max_hops: int) -> None:
    """Show the shortest paths between two nodes (by uid).

    Example: collab path <uid-a> <uid-b> --max-hops 4
    """
    paths = store.shortest_paths(a, b, max_hops=max_hops)
    if not paths:
        raise NotFound(f"no path of at most {max_hops} hops between {a} and {b}")
    for p in paths:
        steps = [f"{n.label}:{n.get('name') or n.get('title') or n.key}" for n in p.nodes]
        kinds = [r.type for r in p.rels]
        line = steps[0]
        for kind, step in zip(kinds, steps[1:], strict=True):
            line += f" -[{kind}]- {step}"
        click.echo(line)


COMMANDS = (init, status, get, find, expand, path)
