"""Files and folders only their owner can read: the database, its WAL, backups, keys, uploads.

Each is created owner-only (files 0600, folders 0700) by the code that makes it, rather than
by trusting the process's umask, so a shared host or a mis-set container shows nobody else
personal data or secrets.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """`path` as an owner-only folder, with any missing parents (made owner-only too)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        folder.chmod(DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """`path` created empty if missing, owner-only either way (its folder made as above)."""
    private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    path.chmod(FILE_MODE)
    return path


def write_new(path: Path, data: str | bytes) -> None:
    """Write a file that must not exist yet, owner-only from its first byte."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)


def append_line(path: Path, line: str) -> None:
    """Append one line to an owner-only file in a single write (O_APPEND: lines from several
    processes never interleave)."""
    private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    try:
        os.write(fd, (line.rstrip("\n") + "\n").encode("utf-8"))
    finally:
        os.close(fd)
