"""The web's road to the command runner: a view validates its form, builds a command and
runs it here; the API answers with it.

`run` hands the command to `collab.commands.runner.run` with the signed-in actor's
permissions, the deployment's settings and who is asking from where; the runner writes the
request's audit record (with the change, or saying it was refused), so the request gets no
second one. `allowed` refuses, as not found, a role that may not run a kind of command before
its form is even read; `shown` says on the page how a change went; `answered` is the API's
answer (a refusal is raised, for `collab.web.errors` to answer with its status).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash
from flask_login import current_user

from collab.access.authz import Authz
from collab.commands import runner
from collab.commands.base import Command
from collab.commands.runner import Outcome
from collab.errors import NotFound
from collab.web import auditing
from collab.web.errors import message
from collab.web.store import current_config, current_store

View = TypeVar("View", bound=Callable[..., Any])


def declares(*kinds: type[Command]) -> Callable[[View], View]:
    """Mark a view as the page (or API operation) for commands of `kinds`: the parity test
    reads `view.commands` to prove every change the console offers has a page and an API
    operation. The view guards itself (a permission check of its own)."""
    def mark(view: View) -> View:
        view.commands = (*getattr(view, "commands", ()), *kinds)  # type: ignore[attr-defined]
        return view
    return mark


def runs(*kinds: type[Command]) -> Callable[[View], View]:
    """`declares`, and refuse as not found a role that may run none of `kinds`, before the
    form is read."""
    def guard(view: View) -> View:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not any(kind.allowed(current_user.authz) for kind in kinds):
                raise NotFound("not found")
            return view(*args, **kwargs)
        return declares(*kinds)(guarded)  # type: ignore[return-value]
    return guard


def declared(view: Callable[..., Any]) -> tuple[type[Command], ...]:
    """The commands a view declares it runs."""
    return tuple(getattr(view, "commands", ()))


def allowed(kind: type[Command]) -> Authz:
    """The signed-in actor's permissions, if its role may run commands of `kind` (else
    not found, as for anything out of reach)."""
    authz: Authz = current_user.authz
    if not kind.allowed(authz):
        raise NotFound("not found")
    return authz


def run(command: Command, *, key: str | None = None) -> Outcome:
    """Run `command` as the signed-in actor (`key`: a client's idempotency key)."""
    auditing.name_event(command.event, command.audit_kind)
    auditing.about(command.label, command.key)
    outcome = runner.run(current_store(), current_user.authz, command, config=current_config(),
                         origin=auditing.origin(), key=key)
    auditing.mark_recorded()
    return outcome


def shown(outcome: Outcome, done: str) -> bool:
    """Flash how a change went (`done` on success, unless empty because the caller says it
    itself; the refusal's message in the reader's language otherwise); whether it went through.
    Not found is raised: the page answers 404."""
    if outcome.error is None:
        if done:
            flash(done, "success")
        return True
    if isinstance(outcome.error, NotFound):
        raise outcome.error
    flash(message(outcome.error), "danger")
    return False


def flash_errors(form: Any) -> None:
    """Say on the next page what a form's fields lacked (forms shown inline on another page)."""
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}：{error}", "danger")


def answered(outcome: Outcome) -> tuple[Any, int, dict[str, str]]:
    """The API's answer to a change: 201 with the command's answer (a replay says so in a
    header), or the refusal raised."""
    return (outcome.result(), 201,
            {"Idempotent-Replayed": "true"} if outcome.replayed else {})
