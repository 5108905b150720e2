"""The project's exception hierarchy.

Every error vanban raises on purpose derives from :class:`VanbanError`; the CLI
catches that root once and prints one line naming the file and the reason.
Third-party errors are wrapped with ``raise ... from err``.
"""


class VanbanError(Exception):
    """Root of all vanban errors."""


class ExtractionError(VanbanError):
    """A file could not be turned into blocks (corrupt, encrypted, unsupported)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class UnsupportedFormatError(ExtractionError):
    """Content sniffing found no extractor for this file."""


class ResourceLimitError(ExtractionError):
    """An untrusted file exceeded a size, page or time limit."""


class DataFileError(VanbanError):
    """A bundled domain data file is missing or malformed."""


class DatabaseError(VanbanError):
    """Loading into or querying DuckDB failed."""


class BudgetError(ResourceLimitError):
    """A file exceeded one of the configured budgets (:mod:`vanban.budgets`); the reason names its flag."""


class DatabaseBusyError(DatabaseError):
    """Another vanban process holds the database and did not release it in time."""
