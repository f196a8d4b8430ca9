"""Settings from the environment (and CLI options), and the store they open.

The engine is chosen here, once; nothing downstream asks which one it got.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from collab.errors import ConfigError, StoreUnavailable
from collab.files import private_dir
from collab.graph.store import Store

DEFAULT_DATABASE = Path("var") / "collab.sqlite3"
BACKENDS = ("sqlite", "neo4j")


@dataclass(frozen=True)
class Settings:
    """Where the graph lives. Built from COLLAB_* variables; CLI options override them."""

    backend: str = "sqlite"
    database: Path = DEFAULT_DATABASE
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from `env` (default: os.environ), then the non-None `overrides`."""
        env = os.environ if env is None else env
        base = cls(
            backend=env.get("COLLAB_BACKEND", cls.backend),
            database=Path(env.get("COLLAB_DATABASE", str(DEFAULT_DATABASE))),
            neo4j_uri=env.get("COLLAB_NEO4J_URI", cls.neo4j_uri),
            neo4j_user=env.get("COLLAB_NEO4J_USER", cls.neo4j_user),
            neo4j_password=env.get("COLLAB_NEO4J_PASSWORD", cls.neo4j_password),
            neo4j_database=env.get("COLLAB_NEO4J_DATABASE", cls.neo4j_database),
        )
        given = {k: (Path(v) if k == "database" else v)
                 for k, v in overrides.items() if v is not None}
        settings = replace(base, **given)
        if settings.backend not in BACKENDS:
            raise ConfigError(f"unknown backend {settings.backend!r}: use one of "
                              f"{', '.join(BACKENDS)} (COLLAB_BACKEND or --backend)")
        return settings

    def describe(self) -> str:
        """Where the store is, for messages (never the password)."""
        if self.backend == "sqlite":
            return f"sqlite:{self.database}"
        return f"neo4j:{self.neo4j_uri} (database {self.neo4j_database})"


def open_store(settings: Settings, *, create: bool = False) -> Store:
    """Open the store the settings name.

    `create` allows a new SQLite file (and the default `var/` folder); without it, a file that
    does not exist yet is an error that says to run `collab init`.
    """
    if settings.backend == "neo4j":
        from collab.graph.neo4j_engine import Neo4jStore

        return Neo4jStore(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password,
                          settings.neo4j_database)
    from collab.graph.sqlite_engine import SqliteStore

    path = settings.database
    if not path.exists():
        if not create:
            raise StoreUnavailable(f"no database at {path}: run `collab init` first "
                                   f"(or point COLLAB_DATABASE / --database at one)")
        if path == DEFAULT_DATABASE:
            private_dir(path.parent)
    store = SqliteStore(path)
    if not create and not store.is_initialised():
        store.close()
        raise StoreUnavailable(f"{path} is not an initialised collab database: "
                               f"run `collab init --database {path}`")
    return store
