"""The graph explorer: a page drawing the graph with vis-network, and its JSON endpoints.

Each endpoint validates its arguments and calls one `collab.analysis.explore` service with the
signed-in user's permission object, so the explorer obeys the same scope as every other page;
the server caps what it sends and says what it left out. Names reach the page only as JSON
data, and the page's script puts them into the document with `textContent`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from collab.access.audit import Kind
from collab.access.authz import Perm
from collab.access.idnumbers import IdKey
from collab.analysis import explore, graphfile
from collab.analysis.models import hits
from collab.errors import N_, ConfigError, ValidationError
from collab.graph import schema
from collab.web import auditing, exports
from collab.web.echo import asked
from collab.web.forms import ActionForm
from collab.web.keys import id_key
from collab.web.labels import label_name, lang, prop_name, rel_name, value
from collab.web.store import current_store

bp = Blueprint("explorer", __name__, url_prefix="/explore")


def _authz() -> Any:
    authz = current_user.authz
    if not authz.can(Perm.EXPLORE):
        abort(404)
    return authz


def _number(name: str, default: int, low: int, high: int) -> int:
    raw = request.args.get(name, str(default))
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ValidationError(N_("%(name)s must be a whole number from %(low)s to %(high)s"),
                              name=name, low=low, high=high)
    return int(raw)


def _names(name: str) -> list[str] | None:
    values = [v for v in request.args.getlist(name) if v]
    return values or None


@bp.route("/")
def page() -> Any:
    authz = _authz()
    labels = [x for x in authz.labels() if x != "Event"]
    types = sorted(t for t, rel in schema.RELS.items()
                   if any(a in labels and b in labels for a, b in rel.pairs))
    return render_template("explorer/index.html", labels=labels, types=types,
                           start=asked("uid"), cap=explore.DEFAULT_CAP,
                           target=_unit_uid(authz, request.args.get("unit", "")),
                           hit=asked("hit"),
                           shown=explore.default_labels(authz),
                           export=authz.can(Perm.EXPORT), formats=graphfile.FORMATS)


def _unit_uid(authz: Any, text: str) -> str:
    """The uid of the unit a person page asked about (by code or name), if the actor sees one."""
    if not text.strip():
        return request.args.get("b", "")
    hits = current_store().read(lambda tx: explore.search(tx, authz=authz, q=text,
                                                          labels=["Unit"], limit=1))
    return hits[0].node.uid if hits else ""


def _id_key() -> IdKey | None:
    """The ID-number key, to find people by ID number; None on a deployment without one."""
    try:
        return id_key()
    except ConfigError:
        return None


@bp.route("/api/search")
def search() -> Any:
    authz = _authz()
    key = _id_key()
    hits = current_store().read(lambda tx: explore.search(
        tx, authz=authz, q=request.args.get("q", ""), labels=_names("label"),
        limit=_number("limit", 20, 1, 200), key=key))
    return jsonify({"hits": [{**shown_node(explore.node_json(h.node)), "matched": h.matched}
                             for h in hits]})


@bp.route("/api/expand")
def expand() -> Any:
    authz = _authz()
    uids = _names("uid") or []
    cap = _number("limit", explore.DEFAULT_CAP, 1, explore.MAX_CAP)
    view = current_store().read(lambda tx: explore.expand(
        tx, authz=authz, uids=uids, depth=_number("depth", 1, 1, 3), labels=_names("label"),
        types=_names("type"), limit=cap))
    shown = view.to_json()
    return jsonify({**shown, "nodes": [shown_node(n) for n in shown["nodes"]],
                    "edges": [shown_edge(e) for e in shown["edges"]],
                    "hint": hint(len(shown["nodes"]), cap, shown)})


@bp.route("/api/paths")
def paths() -> Any:
    authz = _authz()
    routes = current_store().read(lambda tx: explore.paths(
        tx, authz=authz, a=request.args.get("a", ""), b=request.args.get("b", ""),
        max_hops=_number("max_hops", 6, 1, 12), limit=_number("limit", 10, 1, 50)))
    found = explore.routes_json(routes)
    nodes = {n["id"]: shown_node(n) for n in found["nodes"]}
    edges = {e["id"]: shown_edge(e) for e in found["edges"]}
    return jsonify({"paths": [{**p, "text": path_text(p, nodes, edges)} for p in found["paths"]],
                    "nodes": list(nodes.values()), "edges": list(edges.values())})


@bp.route("/api/hit")
def hit() -> Any:
    """A supervision model's hit: its evidence (the path the model followed) and its reason."""
    no = request.args.get("no", "")
    auditing.about("ModelHit", no)
    authz = _authz()
    found = current_store().read(lambda tx: hits.evidence_json(
        tx, authz=authz, no=no, lang=lang()))
    return jsonify({**found, "nodes": [shown_node(n) for n in found["nodes"]],
                    "edges": [shown_edge(e) for e in found["edges"]]})


@bp.route("/export", methods=["POST"])
def export() -> Any:
    """The view on screen (the nodes drawn, and the relationships between them) as GraphML or
    GEXF, ID numbers masked; only what the reader may see is written."""
    authz = _authz()
    authz.require(Perm.EXPORT)
    auditing.name_event("explore.export", Kind.EXPORT)
    uids = [u for u in request.form.getlist("uid") if u][:explore.MAX_CAP]
    fmt = request.form.get("format", "")
    if not uids or fmt not in graphfile.FORMATS or not ActionForm().validate_on_submit():
        abort(400)
    view = current_store().read(lambda tx: explore.among(tx, authz=authz, uids=uids))
    return exports.graph_download(view.nodes, view.rels, fmt, "图谱")


# --- what the page shows, in the reader's language ---------------------------------------------
def shown_node(node: dict[str, Any]) -> dict[str, Any]:
    """A node for the page: its kind and facts named (property, value), internals left out."""
    label = node["group"]
    facts = [["label", _("Kind"), label_name(label)]] + [
        [k, name, value(label, k, v)] for k, v in node["facts"]
        if (name := prop_name(label, k)) is not None]
    return {**node, "kind": label_name(label), "facts": facts}


def shown_edge(edge: dict[str, Any]) -> dict[str, Any]:
    """An edge for the page: its type kept, its label the verb people read."""
    return {**edge, "type": edge["label"], "label": rel_name(edge["label"])}


def path_text(path: dict[str, Any], nodes: dict[str, Any], edges: dict[str, Any]) -> str:
    """A path as one line: 张三（人员） ←反映对象— 某线索（问题线索）."""
    ids = path["nodes"]
    text = f"{nodes[ids[0]]['label']}（{nodes[ids[0]]['kind']}）"
    for before, after, edge_id in zip(ids[:-1], ids[1:], path["edges"], strict=True):
        edge = edges[edge_id]
        arrow = f" —{edge['label']}→ " if edge["from"] == before else f" ←{edge['label']}— "
        text += f"{arrow}{nodes[after]['label']}（{nodes[after]['kind']}）"
    return text


def hint(shown: int, cap: int, view: dict[str, Any]) -> str:
    """What the cap left out, and how to narrow the request."""
    if not view["capped"]:
        return ""
    joiner = ", " if lang() == "en" else "、"
    left = joiner.join(f"{label_name(label)} {n}" for label, n in view["omitted"].items())
    more = _("%(n)s more nodes not shown (%(which)s)", n=sum(view["omitted"].values()),
             which=left) if left else _("too many neighbours to look at them all")
    return _("Only %(shown)s nodes are shown (at most %(cap)s); %(more)s. Filter by kind or "
             "relationship, use fewer hops, or expand from a more specific node.",
             shown=shown, cap=cap, more=more)
