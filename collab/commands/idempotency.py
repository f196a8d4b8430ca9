"""Idempotency keys: a change retried after a lost answer returns its first answer, once.

A client that never heard back (the connection dropped, the server died after the commit)
cannot know whether its change was made. It sends the same key again (the API's
`Idempotency-Key` header, the hidden field of a web form) and gets the first answer instead
of a second transfer. The key is claimed in the change's own transaction, as a node whose key
is unique on both engines and whose uid is drawn at random: of two requests racing with one
key only one can commit (the other's claim meets a node with another uid and is refused with
a ConflictError), and a rolled-back change leaves no claim behind. The command runner claims
and replays keys; nothing else does.
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import UTC, datetime
from typing import Any

from collab.access.actors import Actor
from collab.errors import N_, ValidationError
from collab.graph.store import Graph

_KEY = re.compile(r"[A-Za-z0-9_.:-]{8,100}")


def checked(key: str) -> str:
    """The key if it is usable (8-100 letters, digits or `_.:-`), else a ValidationError."""
    if not _KEY.fullmatch(key or ""):
        raise ValidationError(N_("an idempotency key is 8 to 100 letters, digits or _ . : - "
                                 "(a UUID will do)"))
    return key


def _stored_key(actor: Actor, key: str) -> str:
    """Keys are per user: one user's key can neither clash with nor reveal another's."""
    return actor.name + "\x1f" + checked(key)


def replay(g: Graph, *, actor: Actor, key: str, event: str) -> dict[str, Any] | None:
    """The first answer given for this key, or None when the key is new.

    A key used before for another kind of change is refused: the client mixed up its keys.
    """
    node = g.get("IdempotencyKey", _stored_key(actor, key))
    if node is None:
        return None
    if node.get("event") != event:
        raise ValidationError(N_("this idempotency key was used for another request "
                                 "(%(event)s): use a new key for a new change"),
                              event=node.get("event"))
    answer: dict[str, Any] = json.loads(node.get("result"))
    return answer


def claim(g: Graph, *, actor: Actor, key: str, event: str, answer: dict[str, Any]) -> None:
    """Record the key with its answer, in the change's transaction.

    Raises ConflictError when another request claimed the key meanwhile (the uid differs).
    """
    g.upsert_nodes("IdempotencyKey", [{
        "key": _stored_key(actor, key), "uid": "IK-" + secrets.token_hex(12),
        "user": actor.name, "event": event,
        "result": json.dumps(answer, ensure_ascii=False), "at": datetime.now(UTC)}])
