"""The error hierarchy: every expected failure is a CollabError with a message for people.

Engines translate driver exceptions into these at their edge, so nothing above the store
ever sees a driver type, and the CLI and web turn them into one clear line.
"""


class CollabError(Exception):
    """An expected failure, with a message that says what is wrong and what to do."""


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
