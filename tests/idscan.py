"""Finding valid ID numbers written in plain text: in bytes, in files and their gzip or zip
parts. A valid number is 18 characters with a real birth date and the right check digit."""

from __future__ import annotations

import gzip
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from collab.access import idnumbers
from collab.errors import ValidationError

_SHAPE = re.compile(rb"(?<![0-9])[0-9]{17}[0-9X](?![0-9X])")


def number(first17: str) -> str:
    """A valid ID number from its first 17 digits."""
    return first17 + idnumbers.check_digit(first17)


def valid_numbers(data: bytes | str) -> set[str]:
    """The valid ID numbers written in plain text anywhere in `data`."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    found = set()
    for match in _SHAPE.finditer(raw.upper()):
        try:
            found.add(idnumbers.validate(match.group().decode("ascii")))
        except ValidationError:
            continue
    return found


def contents(path: Path) -> Iterator[bytes]:
    """A file's bytes, and those of its gzip or zip parts."""
    data = path.read_bytes()
    yield data
    if data[:2] == b"\x1f\x8b":
        yield gzip.decompress(data)
    elif data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for name in z.namelist():
                yield z.read(name)


def in_files(paths: list[Path]) -> dict[str, set[str]]:
    """Which files hold which valid ID numbers in plain text."""
    out: dict[str, set[str]] = {}
    for path in paths:
        try:
            found = set().union(*(valid_numbers(part) for part in contents(path)))
        except (OSError, EOFError, zipfile.BadZipFile):
            continue
        if found:
            out[str(path)] = found
    return out
