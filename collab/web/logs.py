"""Logs never carry a full ID number, whoever writes them.

Request lines (werkzeug, gunicorn) repeat the query string, where a search by ID number puts
the number, and a path may hold one too. Rather than trust every logger, the process's log
record factory masks any ID number in a record's message as it is made, so every handler,
ours or a library's, only ever sees 530102********1234. Passwords and keys travel only in
request bodies and settings, which nothing logs.
"""

from __future__ import annotations

import logging
from typing import Any

from collab.access.idnumbers import redact

_base = logging.getLogRecordFactory()


def _masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _base(*args, **kwargs)
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed call is reported by logging when emitted
        return record
    masked = redact(message)
    if masked != message:
        record.msg, record.args = masked, None
    return record


def init_app(_app: Any = None) -> None:
    """Mask ID numbers in every log record of this process (once, however many apps)."""
    if logging.getLogRecordFactory() is not _masked_record:
        logging.setLogRecordFactory(_masked_record)
