"""Exporting ledgers of one's jurisdiction, in the template layout (ID numbers masked), and
graph views as GraphML or GEXF for analysts' tools.

Cells that a spreadsheet would run as formulas are written as text by the exporter. Every
download is audited as an export.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user

from collab.access import authz as access
from collab.access.authz import Authz, Perm
from collab.analysis import graphfile
from collab.files import private_file
from collab.graph.codec import Node, Rel
from collab.graph.store import Graph
from collab.ledgers.exporter import export_rows, write_ledger
from collab.ledgers.kinds import KINDS, ORDER
from collab.web import auditing, when
from collab.web.downloads import attachment, file_name
from collab.web.store import current_store

bp = Blueprint("exports", __name__, url_prefix="/export")
TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "csv": "text/csv"}


@bp.route("/")
def index() -> Any:
    current_user.authz.require(Perm.EXPORT)
    return render_template("exports/index.html", kinds=[KINDS[k] for k in ORDER])


@bp.route("/<name>.<fmt>")
def download(name: str, fmt: str) -> Any:
    authz = current_user.authz
    authz.require(Perm.EXPORT)
    if name not in KINDS or fmt not in TYPES:
        abort(404)
    kind = KINDS[name]
    auditing.about(kind.label, authz.actor.region or "")
    path = private_file(Path(current_app.instance_path) / "exports"
                        / (secrets.token_hex(16) + "." + fmt))

    def write(tx: Graph) -> str:
        write_ledger(path, kind, export_rows(tx, kind=kind, scope=authz.actor.region), fmt=fmt)
        return scope_name(tx, authz)

    try:
        scope = current_store().read(write)
        body = path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
    today = when.today()
    return attachment(body, name=file_name(kind.zh, scope, day=today, ext=fmt),
                      fallback=file_name(name, authz.actor.region or "", day=today, ext=fmt),
                      mimetype=TYPES[fmt])


def scope_name(g: Graph, authz: Authz) -> str:
    """The name of the actor's jurisdiction, for a file name: 昭通市 (全部辖区 without one)."""
    region = authz.actor.region
    node = access.get(g, authz=authz, label="Region", key=region) if region else None
    return str(node.get("name") or region) if node is not None else _("all regions")


def graph_download(nodes: Sequence[Node], rels: Sequence[Rel], fmt: str,
                   *parts: str) -> Response:
    """A graph file (GraphML or GEXF) as a download named for people, with the date:
    图谱-2026-12-03.graphml."""
    return attachment(graphfile.write(nodes, rels, fmt),
                      name=file_name(*parts, day=when.today(), ext=fmt),
                      fallback=file_name("graph", day=when.today(), ext=fmt),
                      mimetype=graphfile.FORMATS[fmt])
