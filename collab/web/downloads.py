"""Every file the app hands out goes through `attachment`: named for people, in Chinese, with
the date (问题线索台账-昭通市-2026-12-03.xlsx), and with RFC 6266's `filename*` so that every
browser keeps the Chinese name; older clients get the plain `filename` fallback."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

from flask import Response

# Characters no file system or browser should meet in a name.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def file_name(*parts: str, day: date | None = None, ext: str) -> str:
    """A download's name from its parts, joined by hyphens: 问题线索台账-昭通市-2026-12-03.xlsx."""
    words = [_UNSAFE.sub("_", p).strip() for p in parts if p and p.strip()]
    if day is not None:
        words.append(day.isoformat())
    return "-".join(words) + "." + ext


def attachment(body: bytes | str, *, name: str, fallback: str, mimetype: str) -> Response:
    """`body` as a download called `name` (UTF-8, `filename*`), `fallback` (ASCII) for clients
    that do not read `filename*`."""
    plain = _UNSAFE.sub("_", fallback).encode("ascii", "replace").decode("ascii")
    disposition = f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})
