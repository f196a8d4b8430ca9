"""Commands that end API tokens (`collab.access.tokens`): a user's own, and the security
admin's. Minting one is not a command: it is its user's, after a fresh password and code
(`users.issue_token`, which writes its own audit record, as signing in does)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from collab.access import tokens
from collab.access.audit import Kind
from collab.access.authz import Perm
from collab.commands.base import Command, Context, OwnAccountCommand, register
from collab.graph.codec import Node
from collab.graph.store import Graph


@register
@dataclass(frozen=True)
class RevokeOwnToken(OwnAccountCommand):
    """End one of one's own tokens (anyone else's is not found)."""

    event = "token.revoke_own"
    name: str
    uid: str

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        tokens.revoke_own(g, name=self.name, uid=self.uid, now=ctx.now)
        return {"token": self.uid}


@dataclass(frozen=True)
class _TokenCommand(Command):
    """The security admin's change to one token, named in the record by its public id."""

    permission = Perm.MANAGE_ACCESS
    label = "ApiToken"
    key_field = "uid"
    audit_kind = Kind.SECURITY
    uid: str

    def target(self, g: Graph, ctx: Context) -> Node | None:
        return None  # tokens are outside the case-work reach: the service checks the role


@register
@dataclass(frozen=True)
class RevokeToken(_TokenCommand):
    """End a token now."""

    event = "token.revoke"

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        tokens.revoke(g, authz=ctx.authz, uid=self.uid, now=ctx.now)
        return {"token": self.uid}


@register
@dataclass(frozen=True)
class ExpireToken(_TokenCommand):
    """Bring a token's end forward (never later than it was)."""

    event = "token.expire"
    at: datetime | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        tokens.expire(g, authz=ctx.authz, uid=self.uid, at=self.at or ctx.now, now=ctx.now)
        return {"token": self.uid}
