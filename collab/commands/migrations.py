"""What `collab init` does to a store of an older schema version: one step per version.

Each step names the version it reaches, says what it does, and runs commands (so each is
audited like any change, under the operator's name); the store is stamped with the step's
version once its commands went through, so an interrupted upgrade resumes where it stopped.
A step that cannot be run here says what to run instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from collab.access.audit import Origin
from collab.access.authz import Authz
from collab.commands import runner
from collab.commands.base import Command
from collab.commands.maintenance import FillClueFacts, FillPinyin
from collab.config import Config
from collab.errors import ConfigError
from collab.graph import schema
from collab.graph.store import Store


@dataclass(frozen=True)
class Step:
    """What brings a store to version `to`."""

    to: int
    what: str
    commands: tuple[type[Command], ...]


STEPS = (
    Step(2, "every clue given its figure shortcut and every name its pinyin",
         (FillClueFacts, FillPinyin)),
    # the full-text indexes themselves are made (and filled) by `init_schema`, run before
    Step(3, "titles and summaries searched through a full-text index", ()),
)


def upgrade(store: Store, *, authz: Authz, config: Config, origin: Origin) -> list[str]:
    """Bring the store up to `schema.VERSION`, step by step; what each step did."""
    version = store.schema_version()
    if version is None:
        raise ConfigError("the store holds no collab schema yet: nothing to upgrade")
    if version > schema.VERSION:
        raise ConfigError(f"the store is of schema version {version}, newer than this collab "
                          f"({schema.VERSION}): upgrade collab")
    done = []
    for step in (s for s in STEPS if s.to > version):
        for kind in step.commands:
            runner.run(store, authz, kind(), config=config, origin=origin).result()
        store.set_schema_version(step.to)
        done.append(f"version {step.to}: {step.what}")
    return done
