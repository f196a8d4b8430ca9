"""Every error answer, in one place: a plain page (or JSON under /api/) with a request id.

Expected failures (`CollabError`) show their message; anything else shows a generic line, so
no stack trace, query text, file path or personal data ever reaches the answer. Objects
outside one's reach answer 404 exactly like objects that do not exist.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_babel import gettext
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from collab.access.idnumbers import redact
from collab.cases.lifecycle import States
from collab.errors import (
    CollabError,
    ConflictError,
    NotFound,
    StoreAuthError,
    StoreUnavailable,
)
from collab.web.labels import state_names

log = logging.getLogger("collab.web")


def _generic(status: int) -> str:
    return {400: _("The request was not valid."),
            401: _("Please sign in."),
            403: _("Not allowed."),
            404: _("Not found."),
            405: _("This action is not allowed this way."),
            409: _("Someone else changed this meanwhile: reload and try again."),
            413: _("The upload is too large."),
            422: _("The request was not valid."),
            429: _("Too many attempts: try again later."),
            503: _("The service is unavailable for a moment: try again shortly."),
            }.get(status, _("Something went wrong."))


def message(e: CollabError) -> str:
    """An error's message in the reader's language.

    Services raise English templates marked with `N_` and keep their values apart
    (`collab.errors`); here the template is looked up in the catalogue and filled in, with
    lifecycle states named as people read them. Unmarked messages come out as raised.
    """
    if not e.params:
        return gettext(e.template) if e.template else str(e)
    return gettext(e.template, **{k: _shown(v) for k, v in e.params.items()})


def _shown(value: Any) -> Any:
    """A message parameter as shown: lifecycle states by name, in the reader's language; text
    (often what the request gave) with any ID number masked."""
    if isinstance(value, States):
        return state_names(value.codes, value.label) or _("none (final state)")
    if isinstance(value, str):
        return redact(value)
    return value


def plain_error(status: int, message: str | None = None) -> Any:
    """The error answer for `status`: JSON for the API and .json URLs, else a plain page."""
    message = message or _generic(status)
    rid = g.get("request_id", "")
    if request.path.startswith("/api/") or request.path.endswith(".json"):
        response = jsonify(error=message, status=status, request_id=rid)
        response.status_code = status
        return response
    return make_response(render_template("error.html", status=status, message=message,
                                         request_id=rid), status)


def _http(e: HTTPException) -> Any:
    return plain_error(e.code or 500)


def _csrf(_e: CSRFError) -> Any:
    g.csrf_refused = True
    return plain_error(400, _("The form has expired or was not sent from this site: "
                              "reload the page and try again."))


def _expected(e: CollabError) -> Any:
    if isinstance(e, NotFound):
        return plain_error(404)
    if isinstance(e, StoreUnavailable | StoreAuthError):
        log.error("store unavailable (request %s): %s", g.get("request_id"), e)
        return plain_error(503)
    if isinstance(e, ConflictError):
        return plain_error(409, message(e))
    return plain_error(400, message(e))


def _unexpected(e: Exception) -> Any:
    log.exception("unexpected error (request %s)", g.get("request_id"), exc_info=e)
    return plain_error(500)


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(CollabError, _expected)
    app.register_error_handler(Exception, _unexpected)
