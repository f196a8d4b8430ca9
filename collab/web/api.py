"""The JSON API under /api/v1, with its OpenAPI document at /api/v1/openapi.json.

Clients authenticate with a bearer token (each user makes their own); the same scoped
services answer as for the pages, so the same jurisdiction rules hold, and every error is
JSON with a clear message and the request id. No cookie session, so no CSRF token either.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from flask_login import current_user
from flask_smorest import Api, Blueprint
from marshmallow import RAISE, Schema, fields, validate

from collab.access import authz as access
from collab.analysis.dashboard import YEARS, overview
from collab.cases import nodes
from collab.commands.clues import FileCase, TransferClue
from collab.errors import NotFound
from collab.web import api_changes, auditing, changes
from collab.web.i18n import LANGUAGES
from collab.web.security import csrf, login_manager
from collab.web.store import current_config, current_store

blp = Blueprint("api", __name__, url_prefix="/api/v1",
                description="Scoped reads of the graph, as JSON")


class ErrorSchema(Schema):
    """Every error answer of the API, as `collab.web.errors` writes it."""

    error = fields.String(required=True, metadata={"description": "what went wrong, for people"})
    status = fields.Integer(required=True)
    request_id = fields.String(required=True, metadata={"description": "quote it to support"})


class OwnErrors(Api):
    """flask-smorest, with errors left to `collab.web.errors` (one place for all of them) and
    documented as they are written there."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        return None


class MeSchema(Schema):
    name = fields.String()
    display_name = fields.String()
    role = fields.String()
    region = fields.String(allow_none=True)
    department = fields.String(allow_none=True)


class NodeSchema(Schema):
    uid = fields.String()
    label = fields.String()
    key = fields.String()
    props = fields.Dict()


class PageSchema(Schema):
    total = fields.Integer()
    limit = fields.Integer()
    offset = fields.Integer()
    items = fields.List(fields.Nested(NodeSchema))


# A region code as `collab.access.regions` takes it (6, 9 or 12 digits), declared in the document.
REGION_CODE = validate.Regexp(r"^([0-9]{6}|[0-9]{9}|[0-9]{12})$")


class LanguageArgs(Schema):
    lang = fields.String(validate=validate.OneOf(tuple(LANGUAGES)),
                         metadata={"description": "language of error messages (zh by default)"})


class ListArgs(LanguageArgs):
    q = fields.String(metadata={"description": "text in the name or title"})
    status = fields.String()
    region = fields.String(validate=REGION_CODE,
                           metadata={"description": "region code: that subtree only"})
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))


class DashboardArgs(LanguageArgs):
    region = fields.String(validate=REGION_CODE)
    year = fields.Integer(validate=validate.Range(*YEARS))


class StatusCountSchema(Schema):
    status = fields.String()
    value = fields.Integer()


class RegionSchema(Schema):
    code = fields.String()
    name = fields.String(allow_none=True)


class DashboardSchema(Schema):
    region = fields.String(allow_none=True)
    year = fields.Integer(allow_none=True)
    figures = fields.Dict(keys=fields.String(), values=fields.Integer())
    summary = fields.Dict(allow_none=True, metadata={"description": "the article's figures"})
    by_region = fields.List(fields.Dict(), metadata={"description": "counts per child region"})
    clue_status = fields.List(fields.Nested(StatusCountSchema))
    prefectures = fields.List(fields.Nested(RegionSchema))


class TransferArgs(Schema):
    department = fields.String(required=True, validate=validate.Length(1, 64),
                               metadata={"description": "the receiving department's code"})
    letter_no = fields.String(required=True, validate=validate.Length(1, 100))
    on = fields.Date(required=True)
    feedback_due = fields.Date(metadata={"description": "default: the department's period"})


class CaseArgs(Schema):
    case_no = fields.String(required=True, validate=validate.Length(1, 64))
    on = fields.Date(required=True)
    reason = fields.String(load_default="", validate=validate.Length(max=500))


class ChangeSchema(Schema):
    clue = fields.String()
    transfer = fields.String()
    case = fields.String()
    status = fields.String()


KEY_HEADER = api_changes.KEY_HEADER


def _node(node: Any) -> dict[str, Any]:
    return {"uid": node.uid, "label": node.label, "key": node.key,
            "props": access.visible_props(node)}


@blp.before_request
def _signed_in() -> Any:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


@blp.route("/me")
@blp.response(200, MeSchema)
def me() -> Any:
    """The account the token belongs to."""
    actor = current_user.authz.actor
    return {"name": actor.name, "display_name": current_user.display_name, "role": actor.role,
            "region": actor.region, "department": actor.department}


@blp.route("/nodes/<label>")
@blp.arguments(ListArgs, location="query", unknown=RAISE)
@blp.response(200, PageSchema)
def node_list(args: dict[str, Any], label: str) -> Any:
    """One page of the objects of a label within the token holder's scope."""
    authz = current_user.authz
    if label not in authz.listable():
        raise NotFound("not found")
    page = current_store().read(lambda tx: nodes.listing(
        tx, authz=authz, label=label, text=args.get("q", ""), status=args.get("status"),
        region=args.get("region"), page=args["page"]))
    return {"total": page.total, "limit": page.limit, "offset": page.offset,
            "items": [_node(n) for n in page.items]}


@blp.route("/nodes/<label>/<path:key>")
@blp.response(200, NodeSchema)
def node_detail(label: str, key: str) -> Any:
    """One object, if it is within the token holder's scope (else 404)."""
    authz = current_user.authz
    auditing.about(label, key)
    return _node(current_store().read(lambda tx: access.get(tx, authz=authz, label=label,
                                                            key=key)))


@blp.route("/clues/<path:no>/transfers", methods=["POST"])
@changes.runs(TransferClue)
@blp.arguments(TransferArgs)
@blp.response(201, ChangeSchema)
def transfer(args: dict[str, Any], no: str) -> Any:
    """Hand a clue to a department. Send an `Idempotency-Key` header to retry safely."""
    return changes.answered(changes.run(
        TransferClue(clue_no=no, department=args["department"].strip(), on=args["on"],
                     letter_no=args["letter_no"], feedback_due=args.get("feedback_due")),
        key=request.headers.get(KEY_HEADER)))


@blp.route("/transfers/<path:no>/case", methods=["POST"])
@changes.runs(FileCase)
@blp.arguments(CaseArgs)
@blp.response(201, ChangeSchema)
def file_case(args: dict[str, Any], no: str) -> Any:
    """The receiving department files a case from a transferred clue (409 if one was filed)."""
    return changes.answered(changes.run(
        FileCase(transfer_no=no, on=args["on"], case_no=args["case_no"],
                 reason=args["reason"]), key=request.headers.get(KEY_HEADER)))


@blp.route("/dashboard")
@blp.arguments(DashboardArgs, location="query", unknown=RAISE)
@blp.response(200, DashboardSchema)
def dashboard(args: dict[str, Any]) -> Any:
    """The dashboard's figures for a region subtree and year."""
    authz, today = current_user.authz, current_config().today()
    return current_store().read(lambda tx: overview(tx, authz=authz, region=args.get("region"),
                                                    year=args.get("year"), as_of=today))


api_changes.register(blp)


def init_app(app: Flask) -> None:
    api = OwnErrors(app)
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    api.register_blueprint(blp)
    csrf.exempt(blp)
