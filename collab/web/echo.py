"""What a page shows back of the request — a search box, a filter, the pager's and the language
switch's links — passes through `redact`, the one masking function: an ID number typed into a
search never comes back in full (it comes back masked with its pseudonym, which the audit
log's own search understands), neither in the page nor in a link it carries.
"""

from __future__ import annotations

from flask import Flask, request

from collab.access.idnumbers import redact
from collab.web.keys import audit_key


def shown(text: str) -> str:
    """A value from the request, as a page may show it."""
    return redact(text, audit_key().alias)


def asked(name: str, default: str = "") -> str:
    """One query parameter, as a page may show it."""
    return shown(request.args.get(name, default))


def asked_args() -> dict[str, str]:
    """The query parameters, as a link on the page may carry them."""
    return {k: shown(v) for k, v in request.args.items()}


def asked_path() -> str:
    """This page's path and query, as a link back to it may carry them."""
    return shown(request.full_path)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(asked=asked, asked_args=asked_args, asked_path=asked_path)
