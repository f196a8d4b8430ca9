"""The deployment's two secrets, kept apart from the data: the ID-number key and the audit key.

Both live in the keys folder (COLLAB_KEYS_DIR, default `keys/` beside the data folder `var/`,
never inside it), so a copy of the data folder or a database backup carries neither: the
ID numbers in it stay sealed and its audit chain cannot be re-signed. Each can also be given
inline (COLLAB_ID_KEY, COLLAB_AUDIT_KEY) or as its own file (COLLAB_KEY_FILE,
COLLAB_AUDIT_KEY_FILE). The signed audit checkpoints go in the same folder
(COLLAB_AUDIT_CHECKPOINTS). Back the folder up apart from the data. `collab.config` reads the
settings and says where each lives; this module reads and makes the files.

The audit key is used three ways, each under its own derived key: the HMAC that chains audit
records, the signature on checkpoints, and the pseudonym an ID number gets in a record.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from collab.access.idnumbers import IdKey, derived
from collab.errors import N_, ConfigError
from collab.files import write_new

DEFAULT_DIR = Path("keys")
ID_FILE, AUDIT_FILE, CHECKPOINT_FILE = "collab-id.key", "collab-audit.key", "audit-checkpoints"
# Where the ID key was kept before keys left the data folder.
LEGACY_ID_FILE = Path("var") / "collab-id.key"


@dataclass(frozen=True)
class AuditKey:
    """The audit trail's secret, split into its three uses."""

    chain_key: bytes
    sign_key: bytes
    alias_key: bytes

    @classmethod
    def from_secret(cls, secret: bytes) -> AuditKey:
        return cls(*derived(secret, "audit key", b"audit-chain", b"audit-checkpoint",
                            b"audit-alias"))

    def chain(self, text: str) -> str:
        """The HMAC that links one record to the chain."""
        return hmac.new(self.chain_key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def sign(self, text: str) -> str:
        """The signature of one checkpoint line."""
        return hmac.new(self.sign_key, text.encode("utf-8"), hashlib.sha256).hexdigest()

    def alias(self, number: str) -> str:
        """A keyed pseudonym of an ID number: equal numbers, equal pseudonyms, so records about
        one person can be found without the number ever being stored."""
        return hmac.new(self.alias_key, number.encode("ascii"), hashlib.sha256).hexdigest()[:16]


def parse_secret(text: str, what: str) -> bytes:
    """A secret written as hex (64+ characters) or base64."""
    text = text.strip()
    if re.fullmatch(r"[0-9a-fA-F]{64,}", text):
        return bytes.fromhex(text)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(N_("the %(what)s must be hex (64+ characters) or base64"),
                          what=what) from None


def _secret(secret: str, path: Path, inline: str, what: str, create: bool) -> bytes:
    if secret:
        return parse_secret(secret, what)
    if not path.is_file():
        if not create:
            raise ConfigError(N_("no %(what)s at %(file)s: run `collab init` to create it, or "
                                 "restore it from its backup (or set %(inline)s)"),
                              what=what, file=str(path), inline=inline)
        write_new(path, secrets.token_hex(32))
    return parse_secret(path.read_text(encoding="ascii"), what)


def refuse_legacy(path: Path) -> None:
    """A key still in the data folder is not silently replaced by a new one at `path` (the
    default place, when nothing else is configured)."""
    if not path.exists() and LEGACY_ID_FILE.is_file():
        raise ConfigError(N_("the ID-number key is still in the data folder (%(old)s); keys "
                             "are now kept apart from the data: move it with `mkdir -p -m 700 "
                             "%(folder)s && mv %(old)s %(new)s` (or set COLLAB_KEY_FILE=%(old)s)"),
                          old=str(LEGACY_ID_FILE), folder=str(path.parent), new=str(path))


def id_key(*, secret: str = "", path: Path, create: bool = False) -> IdKey:
    """The ID-number key: `secret` (COLLAB_ID_KEY), else the key file `path` (made, mode 600,
    when `create`)."""
    return IdKey.from_secret(_secret(secret, path, "COLLAB_ID_KEY", "ID-number key", create))


def audit_key(*, secret: str = "", path: Path, create: bool = False) -> AuditKey:
    """The audit key: `secret` (COLLAB_AUDIT_KEY), else the key file `path` (made, mode 600,
    when `create`)."""
    return AuditKey.from_secret(_secret(secret, path, "COLLAB_AUDIT_KEY", "audit key", create))
