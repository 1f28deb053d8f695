"""The prologue every ingest shares: read the file once, hash it, and stop if the store holds it.

SIPRI transfer registers, milex workbooks and World Bank files (`store/ingest.py`), the Top 100
workbook (`store/industry_ingest.py`) and BICC's GMI table (`store/gmi_ingest.py`) all start
here, so "already stored" means one thing everywhere: these bytes are a stored snapshot's file,
or another file with a stored snapshot's content (`snapshot_file`, see `store/identity.py`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from armatlas.errors import FileMissingError
from armatlas.store import backfill
from armatlas.store.db import fetch_one


@dataclass(frozen=True)
class Incoming:
    """A source file's bytes and their sha256, read once and passed on (never read again)."""

    path: Path
    raw: bytes
    sha: str


@dataclass(frozen=True)
class Stored:
    """The stored snapshot a file became: what an 'unchanged' result reports."""

    snapshot_id: int
    source: str
    layout: str
    release: str
    records: int
    incomplete: tuple[str, ...] = ()  # derived tables it lacks (store/backfill.py): re-read the file


def read_incoming(path: str | Path | Incoming) -> Incoming:
    """The file read and hashed (an `Incoming` passes through, so callers can hand one on)."""
    if isinstance(path, Incoming):
        return path
    path = Path(path)
    raw = read_source(path)
    return Incoming(path, raw, hashlib.sha256(raw).hexdigest())


def stored(con: duckdb.DuckDBPyConnection, sha: str) -> Stored | None:
    """The snapshot these exact bytes (or another file of the same content) became, if any."""
    row = fetch_one(
        con,
        """
        SELECT s.snapshot_id, s.source, s.layout, s.release, s.n_records FROM snapshot s
        WHERE s.sha256 = ? OR s.snapshot_id IN (SELECT snapshot_id FROM snapshot_file WHERE sha256 = ?)
        """,
        [sha, sha],
    )
    if not row:
        return None
    sid, source, layout, release, records = row
    return Stored(sid, source, layout, release, records, backfill.missing(con, sid, source))


def read_source(path: Path) -> bytes:
    """A source file's bytes, or an error that says what is wrong with the path."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FileMissingError(
            "No such file",
            file=path,
            hint="Check the path; `armatlas ingest FOLDER` finds source files in a folder",
        ) from None
    except IsADirectoryError:
        raise FileMissingError(
            "This is a folder, not a file",
            file=path,
            hint="Pass the folder to `armatlas ingest` itself, which searches it",
        ) from None
    except OSError as exc:
        raise FileMissingError(
            f"Cannot read the file: {exc.strerror}", file=path, hint="Check that the file is readable"
        ) from None
