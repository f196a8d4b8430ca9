"""The sign-in settings of a deployment, in one object (SECURITY.md's numbers by default)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from collab.access import twofactor


@dataclass(frozen=True)
class Policy:
    """Lockout, rate limit, session timeouts, password rules, two-factor roles, token and
    reset lifetimes. `words` are the organisation's names a password may not be built on."""

    max_failures: int = 5
    failure_window: timedelta = timedelta(minutes=15)
    lock_for: timedelta = timedelta(minutes=15)
    address_max_failures: int = 10
    idle: timedelta = timedelta(minutes=30)
    absolute: timedelta = timedelta(hours=12)
    min_length: int = 10
    rotate_after: timedelta | None = None
    two_factor_roles: frozenset[str] = field(default_factory=twofactor.roles_required)
    token_lifetime: timedelta = timedelta(days=30)
    reset_valid: timedelta = timedelta(hours=1)
    words: tuple[str, ...] = ()


DEFAULT_POLICY = Policy()
