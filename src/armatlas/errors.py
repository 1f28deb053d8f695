"""One exception tree for the whole library, with stable codes.

ArmatlasError
├── DataError               the input data are wrong (file, line, column, value)
│   ├── FileMissingError    'file-not-found'       a path that does not exist or cannot be read
│   ├── LayoutError         'unknown-layout'       a file in no known layout
│   ├── ParseError          'parse-error'          a cell or record that cannot be read
│   ├── EncodingError       'encoding-error'       bytes that are not in the expected encoding
│   ├── TruncatedFileError  'truncated-file'       a file that ends mid-record or is empty
│   ├── UnknownEntityError  'unknown-entity'       a name missing from the entity register
│   ├── UnknownDescriptionError 'unknown-description'  a weapon description with no category
│   ├── DataCheckError      'data-check-failed'    an ingest-time data check failed
│   └── ReleaseConflictError 'release-conflict'    a release already stored with other content
├── FetchError              'fetch-failed'         a download failed or returned bad content
├── StoreError              'store-error'          the database is missing or unusable
│   ├── NoDataError         'no-data'              nothing ingested yet / no such release
│   ├── StoreLockedError    'store-locked'         another process holds the store's lock
│   └── StoreCorruptError   'store-corrupt'        the database file is damaged
└── QueryError              'invalid-query'        a user's question cannot be answered as asked
    ├── UnknownCountryError 'unknown-country'      (with suggestions)
    └── InvalidPeriodError  'invalid-period'

The library raises these and never prints or exits; the CLI and the HTTP app translate them
in one place each.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


class ArmatlasError(Exception):
    """Base of every error armatlas raises on purpose."""

    code = "armatlas-error"

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: str | None = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.column = column
        self.value = value
        self.hint = hint
        super().__init__(self.render())

    def where(self) -> str:
        """'file, line N, column "C"' for whatever of these is known."""
        parts = []
        if self.file:
            parts.append(f"{self.file}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column:
            parts.append(f'column "{self.column}"')
        return ", ".join(parts)

    def render(self) -> str:
        text = self.message
        where = self.where()
        if where:
            text += f" [{where}]"
        if self.value is not None:
            text += f" value={self.value!r}"
        if self.hint:
            text += f". {self.hint}"
        return text

    def to_dict(self) -> dict[str, Any]:
        """The one error shape every interface shows."""
        return {
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "value": None if self.value is None else str(self.value),
            "hint": self.hint,
        }


class DataError(ArmatlasError):
    code = "data-error"


class FileMissingError(DataError):
    code = "file-not-found"


class LayoutError(DataError):
    code = "unknown-layout"


class ParseError(DataError):
    code = "parse-error"


class EncodingError(DataError):
    code = "encoding-error"


class TruncatedFileError(DataError):
    code = "truncated-file"


class UnknownEntityError(DataError):
    code = "unknown-entity"


class UnknownDescriptionError(DataError):
    code = "unknown-description"


class DataCheckError(DataError):
    code = "data-check-failed"


class ReleaseConflictError(DataError):
    code = "release-conflict"


class FetchError(ArmatlasError):
    code = "fetch-failed"


class StoreError(ArmatlasError):
    code = "store-error"


class NoDataError(StoreError):
    code = "no-data"


class StoreLockedError(StoreError):
    code = "store-locked"


class StoreCorruptError(StoreError):
    code = "store-corrupt"


class QueryError(ArmatlasError):
    code = "invalid-query"


class UnknownCountryError(QueryError):
    code = "unknown-country"

    def __init__(self, query: str, suggestions: Sequence[str] = (), **kw: Any) -> None:
        self.query = query
        self.suggestions = list(suggestions)
        hint = kw.pop("hint", None)
        if hint is None:
            hint = (
                "Did you mean: " + ", ".join(self.suggestions) + "?"
                if self.suggestions
                else "Run `armatlas entities` to list known names."
            )
        super().__init__(f"Unknown country or entity {query!r}", value=query, hint=hint, **kw)

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        d["suggestions"] = self.suggestions
        return d


class InvalidPeriodError(QueryError):
    code = "invalid-period"


class ScopedReleaseError(QueryError):
    """World totals, shares and ranks asked of a release that covers only some countries."""

    code = "scoped-release"


def http_status(exc: ArmatlasError) -> int:
    """HTTP status of a library error (shared by the JSON API and the HTML pages).

    Unknown country and no such release/data are 404 (the thing asked for is not there); other
    user errors are 422; a store that cannot be used is 503; bad data in the store is a server
    fault (500), never caused by what the client sent.
    """
    if isinstance(exc, (UnknownCountryError, NoDataError)):
        return 404
    if isinstance(exc, QueryError):
        return 422
    if isinstance(exc, StoreError):
        return 503
    return 500
