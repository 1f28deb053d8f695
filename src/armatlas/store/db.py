"""Open the one DuckDB file; create the schema on first use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from armatlas import config
from armatlas.errors import NoDataError, StoreError
from armatlas.store.schema import SCHEMA_VERSION, TABLES


def connect(path: str | Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the store; read-only connections never create or change anything."""
    path = Path(path) if path else config.store_path()
    if read_only:
        if not path.exists():
            raise NoDataError(
                "No armatlas store yet", file=path,
                hint="Run `armatlas fetch` (online) or `armatlas ingest PATH...` first.",
            )
        try:
            return duckdb.connect(str(path), read_only=True)
        except duckdb.Error as exc:
            raise StoreError(f"Cannot open the store: {exc}", file=path) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.Error as exc:
        raise StoreError(f"Cannot open the store: {exc}", file=path,
                         hint="Is another armatlas process writing to it?") from None
    con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    found = fetch_one(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    if found and found[0] != str(SCHEMA_VERSION):
        con.close()
        raise StoreError(
            f"The store was made by another armatlas version (schema {found[0]}, this is {SCHEMA_VERSION})",
            file=path, hint="Delete the file and run `armatlas ingest` again; snapshots are kept.")
    con.execute(TABLES)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    return con


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: an error (or an interrupt) rolls back every row of the ingest."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def fetch_one(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple | None:
    """First row of a query, reading the result to the end (DuckDB 2 refuses new work on a
    connection while a result is left unfinished)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0] if rows else None
