"""Commands on accounts (`collab.access.users`): the admins' (system admin: create, reset,
disable; security admin: roles, unmasking, unlocking) and one's own (password, signing out).
The console's operator acts as the account services' trusted `None`. API tokens are minted by
their own user with a fresh credential check (`users.issue_token`, its own audit record, like
signing in); ending them is `commands/tokens.py`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from collab.access import sessions, users
from collab.access.audit import Kind
from collab.access.authz import Perm, Role
from collab.commands.base import AccountCommand, Command, Context, OwnAccountCommand, register
from collab.graph.codec import Node
from collab.graph.store import Graph


@register
@dataclass(frozen=True)
class AddUser(AccountCommand):
    """Create an account that must choose a new password at its first sign-in (with its role
    only from the console)."""

    event = "user.add"
    permission = Perm.MANAGE_USERS
    creates = True
    name: str
    password: str
    display_name: str = ""
    role: Role = Role.PENDING
    region: str | None = None
    department: str | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        users.add(g, authz=ctx.service_authz(), name=self.name, password=self.password,
                  now=ctx.now, display_name=self.display_name, role=self.role,
                  region=self.region, department=self.department,
                  policy=ctx.config.sign_in_policy())
        return {"user": self.name}


@register
@dataclass(frozen=True)
class GrantRole(AccountCommand):
    """Give a user a role and jurisdiction; their sessions and API tokens end."""

    event = "user.grant"
    permission = Perm.MANAGE_ACCESS
    name: str
    role: Role
    region: str | None = None
    department: str | None = None

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        users.grant(g, authz=ctx.service_authz(), name=self.name, role=self.role,
                    region=self.region, department=self.department, now=ctx.now,
                    by=ctx.actor.name)
        return {"user": self.name}


@dataclass(frozen=True)
class _Switch(AccountCommand):
    """An account setting turned on or off; each direction is its own command (and event)."""

    on: ClassVar[bool]
    name: str


@dataclass(frozen=True)
class _Disabled(_Switch):
    permission = Perm.MANAGE_USERS

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        users.set_disabled(g, authz=ctx.service_authz(), name=self.name, disabled=self.on,
                           now=ctx.now, by=ctx.actor.name)
        return {"user": self.name}


@register
@dataclass(frozen=True)
class DisableUser(_Disabled):
    """Disable an account: signed out at once, its API tokens ended."""

    event, on = "user.disable", True


@register
@dataclass(frozen=True)
class EnableUser(_Disabled):
    """Enable a disabled account again."""

    event, on = "user.enable", False


@dataclass(frozen=True)
class _Unmask(_Switch):
    permission = Perm.MANAGE_ACCESS

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        users.allow_unmask(g, authz=ctx.service_authz(), name=self.name, allowed=self.on)
        return {"user": self.name}


@register
@dataclass(frozen=True)
class AllowUnmask(_Unmask):
    """Let a user read full ID numbers, one person at a time."""

    event, on = "user.unmask_allow", True


@register
@dataclass(frozen=True)
class RevokeUnmask(_Unmask):
    """Take the right to read full ID numbers away again."""

    event, on = "user.unmask_revoke", False


@register
@dataclass(frozen=True)
class Unlock(AccountCommand):
    """Lift a sign-in lockout."""

    event = "user.unlock"
    permission = Perm.MANAGE_ACCESS
    name: str

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        users.unlock(g, authz=ctx.service_authz(), name=self.name)
        return {"user": self.name}


@register
@dataclass(frozen=True)
class ResetPassword(AccountCommand):
    """Clear a password for a one-time code (an hour) that lets its user choose their own;
    sessions and tokens end. Answers the code, shown once to the admin (never recorded)."""

    event = "user.reset_password"
    permission = Perm.MANAGE_USERS
    name: str

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        return users.reset_password(g, authz=ctx.service_authz(), name=self.name, now=ctx.now,
                                    policy=ctx.config.sign_in_policy(), by=ctx.actor.name)


@register
@dataclass(frozen=True)
class ChangePassword(OwnAccountCommand):
    """One's own new password, given the current one."""

    event = "auth.password_changed"
    name: str
    current: str
    new: str

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        users.change_password(g, name=self.name, current=self.current, new=self.new,
                              now=ctx.now, policy=ctx.config.sign_in_policy())
        return {"user": self.name}


@register
@dataclass(frozen=True)
class ChoosePassword(OwnAccountCommand):
    """One's own first password after signing in with a one-time reset code (the session
    `sid` shows it was opened so)."""

    event = "auth.password_chosen"
    name: str
    sid: str
    new: str

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        users.choose_password(g, sid=self.sid, new=self.new, now=ctx.now,
                              policy=ctx.config.sign_in_policy())
        return {"user": self.name}


@register
@dataclass(frozen=True)
class SignOutEverywhere(OwnAccountCommand):
    """End every session and API token of one's own account, on every device."""

    event = "auth.sign_out_everywhere"
    name: str

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        sessions.sign_out_everywhere(g, name=self.name, now=ctx.now)
        return {"user": self.name}


@register
@dataclass(frozen=True)
class SignOut(Command):
    """End this session: its cookie is refused from now on."""

    event = "auth.sign_out"
    permission = None
    audit_kind = Kind.AUTH
    sid: str

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        sessions.sign_out(g, sid=self.sid, now=ctx.now)
        return {}
