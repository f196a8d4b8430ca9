"""Files the app holds between two requests (an upload before its confirmation, a
cross-check's result before an issue is raised from it) are deleted once an hour old, so
what a user walked away from does not stay on disk."""

from __future__ import annotations

import time
from pathlib import Path

KEEP_SECONDS = 3600


def sweep(folder: Path, pattern: str, *, keep_seconds: int = KEEP_SECONDS) -> None:
    """Delete the files of `folder` matching `pattern` last written over `keep_seconds` ago."""
    limit = time.time() - keep_seconds
    for path in folder.glob(pattern):
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
