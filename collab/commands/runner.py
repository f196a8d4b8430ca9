"""The one road every change takes: permission, reach, idempotency, change and audit record,
in one write transaction.

`run(store, authz, command, config=..., origin=...)` checks the actor's role allows the
command (else not found), reads the object the command changes once, under its lock and
within the actor's reach (so a change is checked against the existing record's scope, not
only the given values), replays an earlier answer or claims the idempotency key, runs the
command's service on that node, and appends the audit record with the object's properties
before and after — all in one transaction: a change that rolls back leaves no record claiming
it happened, and a record that cannot be written takes its change down with it
(`AuditUnavailable`). A refusal (a `CollabError`) is a value of the outcome, and leaves its own
record saying so; a store that is down (`StoreUnavailable`) is raised, never a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from collab.access import audit
from collab.access.audit import Origin
from collab.access.authz import Authz, visible_props
from collab.commands import idempotency
from collab.commands.base import Command, Context
from collab.config import Config
from collab.errors import (
    AuditUnavailable,
    CollabError,
    ConflictError,
    NotFound,
    StoreUnavailable,
)
from collab.graph.codec import Node
from collab.graph.store import Graph, Store


@dataclass(frozen=True)
class Outcome:
    """How a command went: its answer, or the refusal (with its translatable message)."""

    command: Command
    value: Any = None
    error: CollabError | None = None
    replayed: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status(self) -> str:
        """The outcome as the audit record says it."""
        if self.error is None:
            return "replayed" if self.replayed else "ok"
        if isinstance(self.error, NotFound):
            return "not_found"
        return "conflict" if isinstance(self.error, ConflictError) else "refused"

    def result(self) -> Any:
        """The answer, or the refusal raised (for callers that stop at the first one)."""
        if self.error is not None:
            raise self.error
        return self.value


def run(store: Store, authz: Authz, command: Command, *, config: Config, origin: Origin,
        key: str | None = None) -> Outcome:
    """Run `command` for `authz`'s actor; `key` makes it safe to retry (same key, same
    answer, one change)."""
    now = datetime.now(UTC)
    ctx = Context(authz=authz, config=config, today=now.astimezone(config.zone()).date(),
                  now=now)
    request = f"{command.event} {command.label} {command.key}"  # what a key stands for
    auditing, sealing = [False], config.load_audit_key()

    def record(g: Graph, status: str, before: Node | None = None, after: Node | None = None,
               value: Any = None, error: CollabError | None = None) -> None:
        detail = {**(_difference(before, after) or {}), **command.detail(value, error)}
        audit.append(g, key=sealing, origin=origin, kind=command.audit_kind, event=command.event,
                     outcome=status, object_label=command.label, object_key=command.key,
                     detail=detail or None)

    def unit(g: Graph) -> tuple[Any, bool]:
        auditing[0] = False
        if not command.permitted(authz):
            raise NotFound("not found")
        if key:
            earlier = idempotency.replay(g, actor=authz.actor, key=key, event=request)
            if earlier is not None:
                record(g, "replayed")
                return earlier, True
        before = command.target(g, ctx)
        value = command.apply(g, ctx, before)
        if key:
            idempotency.claim(g, actor=authz.actor, key=key, event=request, answer=value)
        after = g.get(command.label, command.key) if command.label and command.key else None
        auditing[0] = True
        record(g, "ok", before, after, value=value)
        return value, False

    try:
        value, replayed = store.write(unit)
    except StoreUnavailable:
        raise
    except CollabError as e:
        if auditing[0]:  # the change went through, its record did not: both rolled back
            raise AuditUnavailable(f"{command.event}: the audit record could not be written, "
                                   f"so the change was not made ({e})") from e
        if key and isinstance(e, ConflictError):  # a request racing with this key may have won
            earlier = store.read(lambda g: idempotency.replay(g, actor=authz.actor, key=key,
                                                              event=request))
            if earlier is not None:
                _write(store, lambda g: record(g, "replayed"), command)
                return Outcome(command, earlier, replayed=True)
        refused = Outcome(command, error=e)
        _write(store, lambda g: record(g, refused.status, error=refused.error), command)
        return refused
    return Outcome(command, value, replayed=replayed)


def _write(store: Store, fn: Any, command: Command) -> None:
    """Write a refusal's (or a replay's) record in its own transaction."""
    try:
        store.write(fn)
    except StoreUnavailable:
        raise
    except CollabError as e:
        raise AuditUnavailable(f"{command.event}: the audit record could not be written "
                               f"({e})") from e


def _difference(before: Node | None, after: Node | None) -> dict[str, Any] | None:
    """The properties that changed, before and after (secrets left out)."""
    if before is None and after is None:
        return None
    old = visible_props(before) if before else {}
    new = visible_props(after) if after else {}
    changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
    return {"before": {k: old.get(k) for k in changed}, "after": {k: new.get(k) for k in changed}}
