"""What a command is: one change someone may ask for, declared as a small frozen object.

A command's fields are what the change needs (from a form, an API body or command-line
options); its class attributes say what it is to the access rules and the audit trail: the
`event` its record carries, the `permission` it needs, the `label` (and `key_field`) of the
object it changes; `apply` calls the one domain service that makes the change. `register`
adds the class to `REGISTRY`, which the tests enumerate. The runner
(`collab.commands.runner.run`) reads the object, checks it is within the actor's reach, and
runs `apply` in the same write transaction as the audit record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, TypeVar

from collab.access import authz as access
from collab.access import regions
from collab.access.actors import Actor
from collab.access.audit import Kind
from collab.access.authz import Authz, Perm, Role
from collab.config import Config
from collab.errors import NotFound
from collab.graph.codec import Node
from collab.graph.store import Graph

C = TypeVar("C", bound=type["Command"])


@dataclass(frozen=True)
class Context:
    """What a command runs with: the actor's permissions, the deployment's settings, and
    the moment (today is the business date in the deployment's time zone)."""

    authz: Authz
    config: Config
    today: date
    now: datetime

    @property
    def actor(self) -> Actor:
        return self.authz.actor

    def within(self, g: Graph, label: str, key: str, *, lock: bool = False) -> Node:
        """Another object the command touches, if the actor may see it (else NotFound)."""
        return access.get(g, authz=self.authz, label=label, key=key, lock=lock)

    def require_region(self, code: str | None) -> None:
        """Refuse, as not found, a new object outside the actor's region subtree."""
        region = self.authz.actor.region
        if region is not None and not (code and regions.within(code, region)):
            raise NotFound("not found")

    def service_authz(self) -> Authz | None:
        """The account services' `authz`: None for the console's operator, who is trusted
        with the store (it may create accounts with their role and issue API tokens)."""
        return None if self.authz.role == Role.OPERATOR else self.authz


class Command:
    """A change to make; subclasses are frozen dataclasses registered with `register`.

    `permission` None: the change is to one's own account or session (the key is the actor's
    own name). `creates`: the object does not exist yet, so there is nothing to read first
    (`apply` checks the given values' reach). `audit_kind`: how the audit trail files it.
    """

    event: ClassVar[str]
    permission: ClassVar[Perm | tuple[Perm, ...] | None]
    label: ClassVar[str] = ""
    key_field: ClassVar[str] = ""
    creates: ClassVar[bool] = False
    audit_kind: ClassVar[Kind] = Kind.CHANGE

    @property
    def key(self) -> str:
        """The key of the object this command changes ('' when it has none)."""
        return str(getattr(self, self.key_field) or "") if self.key_field else ""

    @classmethod
    def allowed(cls, authz: Authz) -> bool:
        """Whether the actor's role allows commands of this kind at all (pages ask before
        showing a form: a role without it gets not found)."""
        if cls.permission is None:
            return True
        wanted = cls.permission if isinstance(cls.permission, tuple) else (cls.permission,)
        return any(authz.can(p) for p in wanted)

    def permitted(self, authz: Authz) -> bool:
        """Whether the actor may run this command: its role allows it, and a change to one's
        own account is to one's own."""
        if self.permission is None:
            return self.key in ("", authz.actor.name)
        return self.allowed(authz)

    def target(self, g: Graph, ctx: Context) -> Node | None:
        """The object this command changes, read once under its write lock, if the actor
        may see it (else NotFound); None when it creates one or changes no single object."""
        if not self.label or not self.key:
            return None
        if self.creates:  # a number held out of reach is refused exactly like an unknown one
            access.require_not_foreign(g, authz=ctx.authz, label=self.label, key=self.key)
            return None
        return ctx.within(g, self.label, self.key, lock=True)

    def detail(self, value: Any = None, error: Exception | None = None) -> Mapping[str, Any]:
        """What the audit record keeps besides the properties changed (an import's file,
        SHA-256 and counts), from the answer or the refusal."""
        return {}

    def apply(self, g: Graph, ctx: Context, target: Node | None) -> Any:
        """Make the change (one service call) on `target`; what the change answers (a dict
        of JSON values when the caller may retry it with an idempotency key)."""
        raise NotImplementedError


class AccountCommand(Command):
    """A change to a user account: accounts are outside the case-work reach, so the
    permission (and the account service's own checks) are what guard them."""

    label = "User"
    key_field = "name"

    def target(self, g: Graph, ctx: Context) -> Node | None:
        if self.creates:
            return None
        node = g.lock("User", self.key)
        if node is None:
            raise NotFound("not found")
        return node


class OwnAccountCommand(AccountCommand):
    """A user's change to their own account (the view names the signed-in user): no
    permission needed, and recorded with the sign-in events."""

    permission = None
    audit_kind = Kind.AUTH


REGISTRY: dict[str, type[Command]] = {}


def register(cls: C) -> C:
    """Add a command class to the registry (one class per event)."""
    if cls.event in REGISTRY:
        raise ValueError(f"two commands record the event {cls.event!r}")
    REGISTRY[cls.event] = cls
    return cls


def answer_of(node: Node, *names: str) -> dict[str, Any]:
    """Some properties of a node as JSON values (dates as ISO text), for an answer."""
    out: dict[str, Any] = {}
    for name in names:
        value = node.get(name)
        out[name] = value.isoformat() if isinstance(value, date | datetime) else value
    return out
