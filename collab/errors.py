"""The error hierarchy: every expected failure is a CollabError with a message for people.

Engines translate driver exceptions into these at their edge, so nothing above the store
ever sees a driver type, and the CLI and web turn them into one clear line.

Messages are translatable without this package knowing about Flask: a message is an English
template marked with `N_` (which Babel extracts) and its values travel apart, as keyword
parameters, so the web can look the template up in the reader's language and fill it in
there (`collab.web.errors.message`). `str(error)` is the English text, filled in.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:  # noqa: N802 - the name Babel and gettext users know
    """Mark `message` for translation and return it unchanged: translated where it is shown."""
    return message


class CollabError(Exception):
    """An expected failure, with a message that says what is wrong and what to do.

    `template` is the message before its `%(name)s` parameters are filled in from `params`.
    """

    def __init__(self, template: str = "", /, **params: Any):
        self.template = template
        self.params = params
        super().__init__(template % params if params else template)


class SchemaError(CollabError, ValueError):
    """A label, relationship type or property that the schema does not declare."""


class ValidationError(CollabError, ValueError):
    """A value that does not fit its declared type or rule."""


class ConfigError(CollabError):
    """A setting that cannot work (missing folder, unknown backend, bad URI)."""


class StoreUnavailable(CollabError):
    """The engine cannot be reached (server down, file locked, network)."""


class AuditUnavailable(StoreUnavailable):
    """The audit record of a change could not be written, so the change was rolled back."""


class StoreAuthError(CollabError):
    """The engine refused our credentials."""


class ConflictError(CollabError):
    """A write that would break a uniqueness rule or overwrite a newer version."""


class NotFound(CollabError):
    """An object that does not exist (or that the caller may not see)."""


class MissingNodes(CollabError, ValueError):
    """Relationship rows whose end nodes do not exist; nothing was written."""

    def __init__(self, message: str, missing: list[tuple[str, str]]):
        super().__init__(message)
        self.missing = missing
