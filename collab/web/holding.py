"""What the app holds between two requests (an upload before its confirmation, a cross-check's
result before an issue is raised from it) is kept sealed and for an hour at most.

Each held file is encrypted (AES-GCM) under a random key that only the session cookie of the
user who uploaded it carries, so the file on the server's disk is never plain text and is
useless without that one browser's cookie; its name is random too. Files an hour old are
deleted whenever something new is held, so what a user walked away from does not stay.
"""

from __future__ import annotations

import base64
import binascii
import io
import secrets
import time
from pathlib import Path
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import Request

from collab.files import private_dir, write_new

KEEP_SECONDS = 3600


class InMemoryUploads(Request):
    """Requests whose uploaded files stay in memory (werkzeug spools large ones to a temporary
    file on disk); MAX_CONTENT_LENGTH bounds them."""

    def _get_file_stream(self, total_content_length: int | None, content_type: str | None,
                         filename: str | None = None,
                         content_length: int | None = None) -> IO[bytes]:
        return io.BytesIO()
_PURPOSE = b"collab:held-upload:v1"


def sweep(folder: Path, pattern: str = "*", *, keep_seconds: int = KEEP_SECONDS) -> None:
    """Delete the files of `folder` matching `pattern` last written over `keep_seconds` ago."""
    limit = time.time() - keep_seconds
    for path in folder.glob(pattern):
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def hold(folder: Path, data: bytes) -> dict[str, str]:
    """Keep `data` sealed in `folder` (after sweeping it); what the session keeps to get it
    back: the file's random name and its key."""
    private_dir(folder)
    sweep(folder)
    key, nonce, name = AESGCM.generate_key(bit_length=256), secrets.token_bytes(12), \
        secrets.token_hex(16)
    write_new(folder / name, nonce + AESGCM(key).encrypt(nonce, data, _PURPOSE))
    return {"file": name, "key": base64.urlsafe_b64encode(key).decode("ascii")}


def _path(folder: Path, held: dict[str, str] | None) -> Path | None:
    name = (held or {}).get("file", "")
    return folder / name if name and name.isalnum() else None


def take(folder: Path, held: dict[str, str] | None) -> bytes | None:
    """The bytes `hold` sealed, or None when they are gone (swept, or never held)."""
    path = _path(folder, held)
    if path is None or not path.is_file():
        return None
    try:
        key = base64.urlsafe_b64decode((held or {}).get("key", ""))
        sealed = path.read_bytes()
        return AESGCM(key).decrypt(sealed[:12], sealed[12:], _PURPOSE)
    except (InvalidTag, ValueError, binascii.Error):
        return None


def drop(folder: Path, held: dict[str, str] | None) -> None:
    """Delete a held file now (its import was confirmed or refused)."""
    path = _path(folder, held)
    if path is not None:
        path.unlink(missing_ok=True)
