"""Lists and detail pages for every kind of object in one's scope (`collab.cases.nodes`).

A list page validates its page number and hands the typed filters to the service; a detail
page shows what the service reads, and a Person's full ID number to a role allowed to see it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from collab.access import authz as access
from collab.access.audit import Kind
from collab.cases import nodes
from collab.errors import N_, ValidationError
from collab.graph import schema
from collab.graph.store import Page
from collab.sheets.tables import table_xlsx
from collab.web import auditing, labels
from collab.web.downloads import attachment, file_name
from collab.web.forms import ActionForm
from collab.web.keys import id_key
from collab.web.labels import LABELS, LIFECYCLES
from collab.web.pickers import picked_arg
from collab.web.store import current_config, current_store

bp = Blueprint("nodes", __name__, url_prefix="/browse")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page_number(args: Any) -> int:
    raw = args.get("page", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 100_000:
        raise ValidationError(N_("not a page number: %(value)r"), value=raw)
    return int(raw)


@bp.route("/")
def index() -> Any:
    labels = current_user.authz.listable()
    if not labels:
        abort(404)
    return render_template("nodes/index.html", labels=labels)


@bp.route("/<label>")
def listing(label: str) -> Any:
    authz, args = current_user.authz, request.args
    number = page_number(args)
    region, region_text, region_error = picked_arg("region", "region")
    # a region that names nothing within reach filters everything out (and says why)
    sort, descending = args.get("sort") or None, args.get("dir") == "desc"
    page = Page([], 0, nodes.PAGE, 0) if region_error else current_store().read(
        lambda tx: nodes.listing(tx, authz=authz, label=label, text=args.get("q", ""),
                                 status=args.get("status"), region=region, page=number,
                                 sort=sort, descending=descending))
    return render_template("nodes/list.html", label=label, page=page, number=number,
                           region=region, region_text=region_text, region_error=region_error,
                           sortable=nodes.sortable(label), sort=sort, descending=descending,
                           pages=max(1, -(-page.total // nodes.PAGE)),
                           title_prop=nodes.title_prop(label), key_prop=nodes.key_prop(label),
                           states=tuple(LIFECYCLES[label].names) if label in LIFECYCLES else (),
                           has_status="status" in schema.node_props(schema.label(label)))


EXPORT_ROWS = 20_000


@bp.route("/<label>/export.xlsx")
def export(label: str) -> Any:
    """What the list shows with its filters, every page of it (up to `EXPORT_ROWS`), as xlsx
    named for people: 问题线索-富宁县-2026-12-04.xlsx."""
    authz, args = current_user.authz, request.args
    region, region_text, region_error = picked_arg("region", "region")
    found = [] if region_error else current_store().read(
        lambda tx: nodes.everything(tx, authz=authz, label=label, cap=EXPORT_ROWS,
                                    text=args.get("q", ""), status=args.get("status"),
                                    region=region, sort=args.get("sort") or None,
                                    descending=args.get("dir") == "desc"))
    columns = nodes.columns(label)
    rows = [[labels.value(label, c, n.get(c)) for c in columns] for n in found]
    headers = [labels.prop_name(label, c) or c for c in columns]
    title = str(LABELS.get(label, label))
    name = file_name(title, region_text, day=current_config().today(), ext="xlsx")
    return attachment(table_xlsx(title, headers, rows), name=name,
                      fallback=file_name(label, ext="xlsx"), mimetype=XLSX)


@bp.route("/<label>/<path:key>")
def detail(label: str, key: str) -> Any:
    authz = current_user.authz
    auditing.about(label, key)  # named in its record even when refused
    found = current_store().read(lambda tx: nodes.detail(tx, authz=authz, label=label,
                                                         key=key))
    return render_template("nodes/detail.html", label=label,
                           title_prop=nodes.title_prop(label),
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
        **nodes.detail(tx, authz=authz, label="Person", key=key)})
    return render_template("nodes/detail.html", label="Person",
                           title_prop=nodes.title_prop("Person"),
                           unmask=None, **found)
