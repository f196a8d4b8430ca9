"""Commands on two-factor sign-in (`collab.access.twofactor`): one's own set-up, and the
security admin's reset."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from collab.access import twofactor
from collab.access.authz import Perm
from collab.access.idnumbers import IdKey
from collab.commands.base import AccountCommand, Context, OwnAccountCommand, register
from collab.graph.codec import Node
from collab.graph.store import Graph


@register
@dataclass(frozen=True)
class BeginTwoFactor(OwnAccountCommand):
    """Start setting up an authenticator for one's own account; answers the new secret."""

    event = "auth.2fa_begin"
    name: str
    id_key: IdKey

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return twofactor.begin(g, name=self.name, key=self.id_key)


@register
@dataclass(frozen=True)
class ConfirmTwoFactor(OwnAccountCommand):
    """Confirm the new authenticator with a code it shows: sign-in asks for codes from now."""

    event = "auth.2fa_enrolled"
    name: str
    id_key: IdKey
    code: str

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        twofactor.confirm(g, name=self.name, key=self.id_key, code=self.code, now=ctx.now)
        return {"user": self.name}


@register
@dataclass(frozen=True)
class TurnOffTwoFactor(OwnAccountCommand):
    """Stop using two-factor sign-in, where one's role allows it; one's API tokens end."""

    event = "auth.2fa_off"
    name: str

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        twofactor.turn_off(g, name=self.name,
                           roles=ctx.config.sign_in_policy().two_factor_roles, now=ctx.now)
        return {"user": self.name}


@register
@dataclass(frozen=True)
class ResetTwoFactor(AccountCommand):
    """Forget a user's authenticator (a lost phone): they set up a new one at the next
    sign-in; their API tokens end."""

    event = "user.2fa_reset"
    permission = Perm.MANAGE_ACCESS
    name: str

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        twofactor.reset(g, authz=ctx.service_authz(), name=self.name, now=ctx.now,
                        by=ctx.actor.name)
        return {"user": self.name}
