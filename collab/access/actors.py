"""Who is acting: every service call names its actor, and every recorded step keeps it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """A person acting through collab, with the role and reach the access rules read.

    `region` is the code of the region subtree they answer for (None: the whole deployment);
    `department` is the code of a liaison's own department.
    """

    name: str
    role: str = "coordinator"
    region: str | None = None
    department: str | None = None
