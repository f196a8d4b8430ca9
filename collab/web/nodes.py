"""Lists and detail pages for every kind of object in one's scope.

Lists go through the scoped `find` (so totals count only what one may see); a detail page
shows the object's properties (secrets dropped, ID numbers masked), its visible neighbours,
its lifecycle steps and its change history from the audit trail.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from collab.access import audit, regions
from collab.access import authz as access
from collab.access.audit import Kind
from collab.access.authz import Authz
from collab.cases import lifecycle
from collab.errors import N_, ValidationError
from collab.graph import schema
from collab.graph.store import Cond, Graph, Op
from collab.web import auditing
from collab.web.forms import ActionForm
from collab.web.keys import id_key
from collab.web.labels import LIFECYCLES
from collab.web.store import current_store

bp = Blueprint("nodes", __name__, url_prefix="/browse")

PAGE = 50
# The property shown as an object's name, in order of preference.
TITLE_PROPS = ("name", "title")
# Labels whose lifecycle steps are kept as Event nodes.
TRACKED = tuple(x for _, x in schema.rel_type("EVENT_OF").pairs)


def title_prop(label: str) -> str | None:
    props = schema.node_props(schema.label(label))
    return next((p for p in TITLE_PROPS if p in props), None)


def list_filters(label: str, args: Any) -> dict[str, Any]:
    """The filters a list understands: text in the name or title, status, region."""
    node = schema.label(label)
    props = schema.node_props(node)
    where: dict[str, Any] = {}
    text, status, region = args.get("q", "").strip(), args.get("status"), args.get("region")
    shown = title_prop(label)
    if text and shown:
        where[shown] = Cond(Op.CONTAINS, text)
    if status and "status" in props:
        where["status"] = status
    if region:
        prop = "code" if label == "Region" else "region_code"
        where[prop] = Cond(Op.PREFIX, regions.subtree_prefix(region))
    return where


def page_number(args: Any) -> int:
    raw = args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        raise ValidationError(N_("not a page number: %(value)r"), value=raw)
    return int(raw)


def _label(label: str, authz: Authz) -> str:
    if label not in authz.labels():
        abort(404)
    return label


@bp.route("/")
def index() -> Any:
    labels = current_user.authz.listable()
    if not labels:
        abort(404)
    return render_template("nodes/index.html", labels=labels)


@bp.route("/<label>")
def listing(label: str) -> Any:
    authz = current_user.authz
    label = _label(label, authz)
    where, number = list_filters(label, request.args), page_number(request.args)
    key = schema.label(label).key
    page = current_store().read(lambda tx: access.find(
        tx, authz=authz, label=label, where=where, order_by=None if key == "uid" else key,
        limit=PAGE, offset=(number - 1) * PAGE))
    return render_template("nodes/list.html", label=label, page=page, number=number,
                           pages=max(1, -(-page.total // PAGE)), title_prop=title_prop(label),
                           states=tuple(LIFECYCLES[label].names) if label in LIFECYCLES else (),
                           has_status="status" in schema.node_props(schema.label(label)))


def detail_of(g: Graph, *, authz: Authz, label: str, key: str) -> dict[str, Any]:
    """Everything a detail page shows about one object in scope."""
    node = access.get(g, authz=authz, label=label, key=key)
    return {"node": node, "props": access.visible_props(node),
            "neighbours": access.neighbours(g, authz=authz, node=node),
            "events": lifecycle.history(g, label, key) if label in TRACKED else [],
            "changes": audit.history(g, label=label, key=key)}


@bp.route("/<label>/<path:key>")
def detail(label: str, key: str) -> Any:
    authz = current_user.authz
    auditing.about(label, key)  # named in its record even when refused
    label = _label(label, authz)
    found = current_store().read(lambda tx: detail_of(tx, authz=authz, label=label, key=key))
    return render_template("nodes/detail.html", label=label, title_prop=title_prop(label),
                           unmask=ActionForm() if label == "Person" and authz.may_unmask
                           else None, full_id=None, **found)


@bp.route("/Person/<path:key>/unmask", methods=["POST"])
def unmask(key: str) -> Any:
    """One person's full ID number, shown once, for an allowed role; always audited."""
    authz = current_user.authz
    auditing.name_event("person.unmask", Kind.SECURITY)
    auditing.about("Person", key)
    if not access.may_unmask(authz):
        abort(404)  # before the key is loaded: a deployment without one answers the same
    if not ActionForm().validate_on_submit():
        abort(400)
    secret = id_key()
    found = current_store().read(lambda tx: {
        "full_id": access.unmask_id(tx, authz=authz, uid=key, key=secret),
        **detail_of(tx, authz=authz, label="Person", key=key)})
    return render_template("nodes/detail.html", label="Person", title_prop=title_prop("Person"),
                           unmask=None, **found)
