"""An audited change that a client may safely retry: the same key gets the first answer.

Without a key, `change_once` is `auditing.change`. With one, an earlier answer for the key is
returned without changing anything (its audit record says `replayed`); otherwise the change,
its claim on the key and its audit record commit together. Two requests racing with one key:
the loser's claim is refused (or its change conflicts), and it answers with the winner's result.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_login import current_user

from collab.access.audit import Kind
from collab.cases import idempotency
from collab.cases.idempotency import Answer
from collab.errors import ConflictError
from collab.graph.store import Graph
from collab.web import auditing
from collab.web.store import current_store


def change_once(fn: Callable[[Graph], Answer], *, key: str | None, event: str,
                label: str = "", object_key: str = "") -> tuple[Answer, bool]:
    """Run the change `fn` once per idempotency `key`; its answer, and whether it is a replay."""
    if not key:
        return auditing.change(fn, event=event, label=label, key=object_key), False
    actor = current_user.authz.actor
    request = f"{event} {label} {object_key}"  # a key stands for this one request

    def earlier() -> Answer | None:
        return current_store().read(lambda tx: idempotency.replay(tx, actor=actor, key=key,
                                                                  event=request))

    def unit(tx: Graph) -> Answer:
        answer = fn(tx)
        idempotency.claim(tx, actor=actor, key=key, event=request, answer=answer)
        return answer

    found = earlier()
    if found is None:
        try:
            return auditing.change(unit, event=event, label=label, key=object_key), False
        except ConflictError:
            found = earlier()
            if found is None:
                raise
    auditing.name_event(event, Kind.CHANGE)
    auditing.about(label, object_key)
    auditing.replayed()
    return found, True
