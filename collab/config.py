"""The deployment's settings: one frozen object, read once from the environment at start-up.

`Config.from_env()` is the only reader of `os.environ` in collab (a test holds it): the
command line builds it when `collab` starts, the web app when `create_app` runs, and both pass
it down (policies to the services, the whole object to the command runner). Each field names
its variable (`metadata["env"]`); README's settings table lists exactly these (a test keeps
them equal). A value that cannot work is refused here, at start-up, with what to set.
"""

from __future__ import annotations

import functools
import getpass
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from collab.access import audit, keys
from collab.access.audit import MIN_RETENTION_DAYS
from collab.access.idnumbers import IdKey
from collab.access.keys import AuditKey
from collab.access.policy import Policy
from collab.access.twofactor import roles_required
from collab.cases.letters import LetterPolicy
from collab.cases.proposals import ProposalPolicy
from collab.cases.rectification import RectificationPolicy
from collab.errors import N_, ConfigError, StoreUnavailable
from collab.files import private_dir
from collab.graph import schema
from collab.graph.store import Store

DEFAULT_DATABASE = Path("var") / "collab.sqlite3"
BACKENDS = ("sqlite", "neo4j")
_RECT = RectificationPolicy()


def _names(text: str) -> tuple[str, ...]:
    """A comma-separated list (full-width commas too)."""
    return tuple(n.strip() for n in text.replace("，", ",").split(",") if n.strip())


def _flag(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "yes", "on")


def _setting(env: str, default: Any, parse: Callable[[str], Any] = str) -> Any:
    """A field read from the variable `env`, its text turned into a value by `parse`."""
    return field(default=default, metadata={"env": env, "parse": parse})


@dataclass(frozen=True)
class Config:
    """Every setting of a deployment, with the decided defaults."""

    # where the graph lives
    backend: str = _setting("COLLAB_BACKEND", "sqlite")
    database: Path = _setting("COLLAB_DATABASE", DEFAULT_DATABASE, Path)
    neo4j_uri: str = _setting("COLLAB_NEO4J_URI", "bolt://127.0.0.1:7687")
    neo4j_user: str = _setting("COLLAB_NEO4J_USER", "neo4j")
    neo4j_password: str = _setting("COLLAB_NEO4J_PASSWORD", "")
    neo4j_database: str = _setting("COLLAB_NEO4J_DATABASE", "neo4j")
    # who the command line acts as
    user: str = _setting("COLLAB_USER", "")
    # the keys, apart from the data (a folder of their own; each may be given inline or as
    # its own file), and the signed audit checkpoints kept with them
    keys_dir: Path = _setting("COLLAB_KEYS_DIR", keys.DEFAULT_DIR, Path)
    id_key: str = _setting("COLLAB_ID_KEY", "")
    key_file: Path | None = _setting("COLLAB_KEY_FILE", None, Path)
    audit_secret: str = _setting("COLLAB_AUDIT_KEY", "")
    audit_key_file: Path | None = _setting("COLLAB_AUDIT_KEY_FILE", None, Path)
    audit_checkpoints: Path | None = _setting("COLLAB_AUDIT_CHECKPOINTS", None, Path)
    audit_checkpoint_minutes: int = _setting("COLLAB_AUDIT_CHECKPOINT_MINUTES", 10, int)
    # case work
    feedback_days: int = _setting("COLLAB_FEEDBACK_DAYS", 30, int)
    warn_yellow_days: int = _setting("COLLAB_WARN_YELLOW_DAYS", _RECT.yellow_days, int)
    warn_orange_days: int = _setting("COLLAB_WARN_ORANGE_DAYS", _RECT.orange_days, int)
    signoffs: tuple[str, ...] = _setting("COLLAB_SIGNOFFS", _RECT.signoffs, _names)
    conflict_hops: int = _setting("COLLAB_CONFLICT_HOPS", ProposalPolicy.hops, int)
    letter_issuer: str = _setting("COLLAB_LETTER_ISSUER", LetterPolicy.issuer)
    timezone: str = _setting("COLLAB_TIMEZONE", "Asia/Shanghai")
    evidence_max_mb: int = _setting("COLLAB_EVIDENCE_MAX_MB", 10, int)
    # sign-in and sessions
    two_factor_roles: tuple[str, ...] = _setting("COLLAB_2FA_ROLES", (), _names)
    password_rotate_days: int | None = _setting("COLLAB_PASSWORD_ROTATE_DAYS", None, int)
    idle_minutes: int = _setting("COLLAB_IDLE_MINUTES", 30, int)
    session_max_minutes: int = _setting("COLLAB_SESSION_MAX_MINUTES", 12 * 60, int)
    lockout_failures: int = _setting("COLLAB_LOCKOUT_FAILURES", 5, int)
    lockout_window_minutes: int = _setting("COLLAB_LOCKOUT_WINDOW_MINUTES", 15, int)
    lockout_minutes: int = _setting("COLLAB_LOCKOUT_MINUTES", 15, int)
    address_failures: int = _setting("COLLAB_ADDRESS_FAILURES", 10, int)
    password_words: tuple[str, ...] = _setting("COLLAB_PASSWORD_WORDS", (), _names)
    token_days: float = _setting("COLLAB_TOKEN_DAYS", 30.0, float)
    reset_code_minutes: float = _setting("COLLAB_RESET_CODE_MINUTES", 60.0, float)
    audit_retention_days: int = _setting("COLLAB_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS, int)
    # the web server
    secret_key: str = _setting("COLLAB_SECRET_KEY", "")
    secure_cookies: bool = _setting("COLLAB_SECURE_COOKIES", False, _flag)
    instance: Path = _setting("COLLAB_INSTANCE", Path("var"), Path)
    trusted_proxies: int = _setting("COLLAB_TRUSTED_PROXIES", 0, int)
    ready_cache_seconds: float = _setting("COLLAB_READY_CACHE_SECONDS", 3.0, float)
    pool_probe: bool = _setting("COLLAB_POOL_PROBE", False, _flag)
    manual_dir: str = _setting("COLLAB_MANUAL_DIR", "")  # the Help menu's manual (docs/manual)

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise ConfigError(N_("unknown backend %(backend)r: use one of %(known)s "
                                 "(COLLAB_BACKEND or --backend)"), backend=self.backend,
                              known=", ".join(BACKENDS))
        if self.feedback_days < 1:
            raise ConfigError(N_("COLLAB_FEEDBACK_DAYS must be a whole number of days, at "
                                 "least 1; got %(got)s"), got=self.feedback_days)
        if self.audit_retention_days < MIN_RETENTION_DAYS:
            raise ConfigError(N_("COLLAB_AUDIT_RETENTION_DAYS must be a whole number of days, "
                                 "at least %(least)s; got %(got)r"), least=MIN_RETENTION_DAYS,
                              got=self.audit_retention_days)
        self.zone()
        self.rectification_policy()
        self.proposal_policy()
        self.sign_in_policy()

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Config:
        """The settings in `env` (default: the process environment), then the non-None
        `overrides` (command-line options)."""
        env = os.environ if env is None else env
        given: dict[str, Any] = {}
        for f in fields(cls):
            text = env.get(f.metadata["env"], "")
            if text.strip():
                try:
                    given[f.name] = f.metadata["parse"](text.strip())
                except ValueError:
                    raise ConfigError(N_("%(name)s=%(value)r is not a valid value"),
                                      name=f.metadata["env"], value=text) from None
        given.update({k: Path(v) if k == "database" else v
                      for k, v in overrides.items() if v is not None})
        if not given.get("user"):
            given["user"] = getpass.getuser()
        return cls(**given)

    def with_options(self, **overrides: Any) -> Config:
        """This config with the non-None `overrides` (command-line options) applied."""
        given: dict[str, Any] = {k: Path(v) if k == "database" else v
                                 for k, v in overrides.items() if v is not None}
        return replace(self, **given) if given else self

    # --- what the services take -------------------------------------------------------------
    def rectification_policy(self) -> RectificationPolicy:
        return RectificationPolicy(yellow_days=self.warn_yellow_days,
                                   orange_days=self.warn_orange_days, signoffs=self.signoffs)

    def proposal_policy(self) -> ProposalPolicy:
        return ProposalPolicy(hops=self.conflict_hops)

    def letter_policy(self) -> LetterPolicy:
        return LetterPolicy(issuer=self.letter_issuer)

    def sign_in_policy(self) -> Policy:
        return Policy(
            max_failures=self.lockout_failures,
            failure_window=timedelta(minutes=self.lockout_window_minutes),
            lock_for=timedelta(minutes=self.lockout_minutes),
            address_max_failures=self.address_failures,
            idle=timedelta(minutes=self.idle_minutes),
            absolute=timedelta(minutes=self.session_max_minutes),
            rotate_after=None if self.password_rotate_days is None
            else timedelta(days=self.password_rotate_days),
            two_factor_roles=roles_required(self.two_factor_roles),
            token_lifetime=timedelta(days=self.token_days),
            reset_valid=timedelta(minutes=self.reset_code_minutes), words=self.password_words)

    # --- time and keys ----------------------------------------------------------------------
    def zone(self) -> ZoneInfo:
        """The deployment's time zone: business dates ("today") are dates there."""
        try:
            return ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(N_("COLLAB_TIMEZONE=%(zone)r is not a known time zone (e.g. "
                                 "Asia/Shanghai)"), zone=self.timezone) from None

    def today(self) -> date:
        """Today's date in the deployment's time zone."""
        return datetime.now(self.zone()).date()

    def id_key_path(self) -> Path:
        """Where the ID-number key file is: COLLAB_KEY_FILE, else in the keys folder."""
        return self.key_file or self.keys_dir / keys.ID_FILE

    def audit_key_path(self) -> Path:
        """Where the audit key file is: COLLAB_AUDIT_KEY_FILE, else in the keys folder."""
        return self.audit_key_file or self.keys_dir / keys.AUDIT_FILE

    def checkpoint_path(self) -> Path:
        """Where signed audit checkpoints are appended: COLLAB_AUDIT_CHECKPOINTS, else in the
        keys folder."""
        return self.audit_checkpoints or self.keys_dir / keys.CHECKPOINT_FILE

    def _id_key(self, create: bool) -> IdKey:
        if not self.id_key and self.key_file is None:
            keys.refuse_legacy(self.id_key_path())
        return keys.id_key(secret=self.id_key, path=self.id_key_path(), create=create)

    def load_key(self) -> IdKey:
        """The ID-number key (COLLAB_ID_KEY, else its file)."""
        return self._id_key(create=False)

    def ensure_key(self) -> IdKey:
        """The ID-number key, its file made (mode 600) at the configured path when there is
        none yet."""
        return self._id_key(create=True)

    def load_audit_key(self) -> AuditKey:
        """The audit key (COLLAB_AUDIT_KEY, else its file); read once per process."""
        return _audit_key(self.audit_secret, self.audit_key_path())

    def provision_audit_key(self, store: Store) -> AuditKey:
        """The audit key, its file made when the deployment has none yet (never for a trail
        already sealed with one): what `collab init` does."""
        return store.read(lambda g: audit.provision_key(g, secret=self.audit_secret,
                                                        path=self.audit_key_path()))

    def describe(self) -> str:
        """Where the store is, for messages (never the password)."""
        if self.backend == "sqlite":
            return f"sqlite:{self.database}"
        return f"neo4j:{self.neo4j_uri} (database {self.neo4j_database})"


def open_store(config: Config, *, create: bool = False) -> Store:
    """Open the store the config names.

    `create` allows a new SQLite file (and the default `var/` folder); without it, a file that
    does not exist yet is an error that says to run `collab init`.
    """
    if config.backend == "neo4j":
        from collab.graph.neo4j_engine import Neo4jStore

        store: Store = Neo4jStore(config.neo4j_uri, config.neo4j_user,
                                  config.neo4j_password, config.neo4j_database)
        return store if create else _current(store)
    from collab.graph.sqlite_engine import SqliteStore

    path = config.database
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
    return store if create else _current(store)


@functools.lru_cache(maxsize=8)
def _audit_key(secret: str, path: Path) -> AuditKey:
    """The audit key, read once per process for each place it may be configured."""
    return keys.audit_key(secret=secret, path=path)


def _current(store: Store) -> Store:
    """The store, if it holds what this collab reads (`schema.VERSION`); else a refusal that
    says what to run."""
    version = store.schema_version()
    if version is None or version == schema.VERSION:
        return store
    store.close()
    if version < schema.VERSION:
        raise StoreUnavailable(f"the store is of schema version {version}; this collab needs "
                               f"{schema.VERSION}: run `collab init`, which migrates it")
    raise ConfigError(f"the store is of schema version {version}, newer than this collab "
                      f"({schema.VERSION}): upgrade collab")
