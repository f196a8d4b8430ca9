"""Lifecycles as data, and the one function that moves an object along one.

A lifecycle is a table of allowed moves. `transition` refuses a move the table does not allow,
or one dated before the previous step, and otherwise updates the object's status and writes an
Event node (when, who, why) linked to it, in the caller's transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from collab.access.actors import Actor
from collab.errors import N_, CollabError, ConflictError, NotFound
from collab.graph import names as display
from collab.graph import schema
from collab.graph.codec import Node, updated
from collab.graph.store import Graph


class TransitionRefused(CollabError):
    """A lifecycle move that is not allowed, or dated before the previous one."""


@dataclass(frozen=True)
class States:
    """Lifecycle states inside an error message: read as 立案 (case_filed) in plain text, and
    named in the reader's language where the message is shown (the web reads `codes`)."""

    label: str
    codes: tuple[str, ...]
    text: str

    def __str__(self) -> str:
        return self.text or "none (final state)"


@dataclass(frozen=True)
class Lifecycle:
    """The states of one label, its first state and the allowed moves between states."""

    label: str
    initial: str
    moves: Mapping[str, frozenset[str]]
    # each state's Chinese name, from the display-name table (collab/graph/names.py)
    names: Mapping[str, str] = field(init=False)

    def __post_init__(self) -> None:
        schema.label(self.label)
        states = list(self.moves) + sorted({s for tos in self.moves.values() for s in tos}
                                           - set(self.moves))
        named = {s: n.zh for s in states if (n := display.state_name(s, self.label))}
        missing = set(states) - set(named)
        if self.initial not in self.moves or missing:
            raise ValueError(f"lifecycle of {self.label} is incomplete: {sorted(missing)}")
        object.__setattr__(self, "names", named)

    def allowed(self, current: str) -> frozenset[str]:
        """The states reachable in one move from `current`."""
        return self.moves.get(current, frozenset())

    def describe(self, state: str) -> str:
        """A state as people read it: 立案 (case_filed)."""
        return f"{self.names.get(state, state)} ({state})"

    def states(self, *codes: str) -> States:
        """`codes` as one message parameter (see `States`)."""
        return States(self.label, codes, ", ".join(self.describe(c) for c in codes))


def moves(table: Mapping[str, str]) -> dict[str, frozenset[str]]:
    """A move table from lines like {"registered": "transferred closed"}."""
    return {state: frozenset(tos.split()) for state, tos in table.items()}


def transition(g: Graph, lifecycle: Lifecycle, *, key: str, to: str, actor: Actor, on: date,
               reason: str = "", expected_version: int | None = None,
               changes: Mapping[str, Any] | None = None, node: Node | None = None) -> Node:
    """Move the object with `key` to state `to` as of `on`; returns the updated node.

    `expected_version` (the version the caller last saw) refuses a stale write with a
    ConflictError; `changes` are further properties to set in the same step; `node` is the
    object when the caller holds it under its write lock already (it is not read again).
    """
    node = node if node is not None else g.lock(lifecycle.label, key)
    if node is None:
        raise NotFound(N_("no %(label)s %(key)r"), label=lifecycle.label, key=key)
    current = node.get("status") or lifecycle.initial
    version = node.get("version") or 0
    if expected_version is not None and expected_version != version:
        raise ConflictError(N_("%(label)s %(key)s was changed by someone else meanwhile "
                               "(version %(version)s, you had %(expected)s): reload it"),
                            label=lifecycle.label, key=key, version=version,
                            expected=expected_version)
    if to not in lifecycle.allowed(current):
        raise TransitionRefused(N_("%(label)s %(key)s cannot move from %(current)s to "
                                   "%(to)s; allowed: %(allowed)s"),
                                label=lifecycle.label, key=key,
                                current=lifecycle.states(current), to=lifecycle.states(to),
                                allowed=lifecycle.states(*sorted(lifecycle.allowed(current))))
    previous_on = node.get("status_on")
    if previous_on is not None and on < previous_on:
        raise TransitionRefused(N_("%(label)s %(key)s: %(on)s is before its previous step on "
                                   "%(previous)s"), label=lifecycle.label, key=key,
                                on=on.isoformat(), previous=previous_on.isoformat())
    key_prop = schema.label(lifecycle.label).key
    step = {**(changes or {}), key_prop: key, "status": to, "status_on": on,
            "version": version + 1}
    g.upsert_nodes(lifecycle.label, [step])
    record_event(g, label=lifecycle.label, key=key, actor=actor, on=on, reason=reason,
                 from_status=current, to_status=to)
    return updated(node, step)


def record_event(g: Graph, *, label: str, key: str, actor: Actor, on: date, reason: str = "",
                 kind: str = "transition", from_status: str | None = None,
                 to_status: str | None = None) -> str:
    """Write one Event linked to the object; its uid."""
    uid = str(uuid.uuid4())
    g.upsert_nodes("Event", [{"uid": uid, "kind": kind, "object_label": label,
                              "object_key": key, "from_status": from_status,
                              "to_status": to_status, "on": on, "at": datetime.now(UTC),
                              "actor": actor.name, "reason": reason or None}])
    g.upsert_rels("EVENT_OF", [{"src": uid, "dst": key}], src="Event", dst=label)
    return uid


def history(g: Graph, label: str, key: str) -> list[Node]:
    """The object's events, oldest first (by business date, then by recording time)."""
    events = g.nodes("Event", where={"object_label": label, "object_key": key})
    return sorted(events, key=lambda e: (e.get("on"), e.get("at")))
