"""Open the one DuckDB file; create the schema on first use; say clearly why it cannot open."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from armatlas import config
from armatlas.errors import NoDataError, StoreCorruptError, StoreError, StoreLockedError
from armatlas.store.schema import MIGRATIONS, SCHEMA_VERSION, SPENDING_TABLES, TABLES
from armatlas.store.scope import frozen

if TYPE_CHECKING:
    import pyarrow as pa


def connect(path: str | Path | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection to the store; read-only connections never create or change anything."""
    path = Path(path) if path else config.store_path()
    if read_only:
        if not path.exists():
            raise NoDataError(
                "No armatlas store yet",
                file=path,
                hint="Run `armatlas fetch` (online) or `armatlas ingest PATH...` first.",
            )
        try:
            con = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as exc:
            raise open_error(exc, path, writing=False) from None
        try:
            older = _schema_version(con) in MIGRATIONS
        except duckdb.Error:
            # A damaged file: the caller's first read reports it with the store's error.
            return con
        if older:
            con.close()
            _upgrade(path)
            return connect(path, read_only=True)
        frozen(con)  # nothing can change this store while it is open for reading
        return con
    new = not path.exists()  # then there is no schema to look for (a failed probe costs ~4 ms)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = _open_writer(path)
    except OSError as exc:
        raise StoreError(
            f"Cannot create the store: {exc.strerror}",
            file=path,
            hint="Set ARMATLAS_HOME to a writable folder with free space",
        ) from None
    except duckdb.Error as exc:
        raise open_error(exc, path, writing=True) from None
    try:
        _migrate(con, path, new)
    except duckdb.Error as exc:
        con.close()
        raise open_error(exc, path, writing=True) from None
    return con


# Rows per row group that a writer fills. DuckDB writes a full row group straight to the file
# during the insert; a smaller part waits for the commit's checkpoint, which compresses every
# table one after the other on one thread. At DuckDB's default (122,880) a release (30,000
# deals, 60,000 delivery rows) never fills one; at 16,384 most of it is written during the copy,
# two threads at a time: ingest of the 2026 register -7% (bench/bench_ingest.py), and readers
# skip other releases' row groups by their zone maps.
ROW_GROUP_SIZE = 16_384


def _open_writer(path: Path) -> duckdb.DuckDBPyConnection:
    """The store opened for writing. The row-group size is an option of ATTACH only, so the file
    is attached to an in-memory instance of its own and made the default catalog; DuckDB still
    refuses a second opener (in this or another process) as it does `duckdb.connect(path)`."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH ? AS armatlas (ROW_GROUP_SIZE {ROW_GROUP_SIZE})", [str(path)])
        con.execute("USE armatlas")
    except BaseException:
        con.close()
        raise
    return con


def _schema_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The store's schema version, or None for a new (empty) store. One read of `meta` (a
    missing table is a new store): asking information_schema first cost a cold open ~10 ms.
    Called outside a transaction only, where a failed read leaves the connection usable."""
    try:
        found = fetch_one(con, "SELECT value FROM meta WHERE key = 'schema_version'")
    except duckdb.CatalogException:
        return None
    return int(found[0]) if found and str(found[0]).isdigit() else None


def _upgrade(path: Path) -> None:
    """A reader found a store of an older schema: upgrade it once through a short write."""
    try:
        connect(path).close()
    except StoreError as exc:
        raise StoreError(
            f"The store was made by an older armatlas and must be upgraded once: {exc.message}",
            file=path,
            hint="Run any `armatlas ingest` (or this command again) when nothing else has the "
            "store open; the upgrade keeps every snapshot",
        ) from None


def _migrate(con: duckdb.DuckDBPyConnection, path: Path, new: bool = False) -> None:
    """Create the schema, or bring an older store up to this version in place (per-year rows of
    estimated registers re-split by this version's rule and the aggregates rebuilt, so figures
    match a fresh ingest). `new`: the file did not exist before it was opened."""
    # None for a new store: its tables come in one transaction below.
    version = None if new else _schema_version(con)
    upgraded = version is not None and version < SCHEMA_VERSION
    if version is not None and (
        version > SCHEMA_VERSION or (version not in MIGRATIONS and version != SCHEMA_VERSION)
    ):
        con.close()
        raise StoreError(
            f"The store was made by another armatlas version (schema {version}, this is {SCHEMA_VERSION})",
            file=path,
            hint="Use that version, or move the file away and run `armatlas ingest` again; "
            "snapshots are kept.",
        )
    with transaction(con):
        while version is not None and version < SCHEMA_VERSION:
            con.execute(MIGRATIONS[version])
            version += 1
        create_schema(con)
        if upgraded:
            from armatlas.store.aggregates import refresh
            from armatlas.store.allocation import resplit_all

            resplit_all(con)
            refresh(con)


def write_error(exc: BaseException, path: Path | None) -> StoreError:
    """A failed write during ingest (disk full, unwritable folder, damaged store) as an error
    with a true hint."""
    text = str(exc)
    if (damaged := damage_error(exc, path)) is not None:
        return damaged
    if "No space left" in text or getattr(exc, "errno", None) == 28:
        return StoreError(
            "The disk is full: nothing was stored",
            file=path,
            hint="Free some space (or set ARMATLAS_HOME to another disk) and ingest again; "
            "the store is as it was before",
        )
    if isinstance(exc, PermissionError) or "Permission denied" in text or "Read-only file system" in text:
        return StoreError(
            "The data folder is not writable",
            file=path,
            hint="Set ARMATLAS_HOME (or --home) to a folder you can write to",
        )
    return StoreError(f"Cannot write: {text[:300]}", file=path, hint="The store is as it was before")


DAMAGE = (
    "not a valid DuckDB database",
    "Could not read enough bytes",
    "Corrupt",
    "checksum",
    "INTERNAL Error",
    "Failed to read",
)


def damage_error(exc: BaseException, path: Path | None = None) -> StoreCorruptError | None:
    """A DuckDB error that means the store file is damaged (at open or at any later read), else None.

    Interfaces call this where they catch unexpected errors (the CLI's one handler; the server
    maps it to 503)."""
    text = str(exc)
    if not isinstance(exc, duckdb.Error) or not any(d in text for d in DAMAGE):
        return None
    return StoreCorruptError(
        "The store file is damaged and cannot be read",
        file=path or config.store_path(),
        value=text[:200],
        hint="Move the file away and run `armatlas ingest` on your snapshots again; "
        "downloaded snapshots are kept apart and are not affected",
    )


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Every table of this schema version (idempotent); also used for ingest's staging file."""
    from armatlas.store.quarantine import TABLES as REPORT_TABLES

    con.execute(TABLES + SPENDING_TABLES + REPORT_TABLES)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])


def open_error(exc: Exception, path: Path, *, writing: bool) -> StoreError:
    """A DuckDB open failure as the error a user can act on: locked (by whom), or damaged."""
    text = str(exc)
    if "Could not set lock" in text or "Conflicting lock" in text:
        m = re.search(r"PID (\d+)", text)
        holder = describe_holder(int(m.group(1)), path, "read-only mode" in text) if m else "another process"
        what = "change" if writing else "read"
        hint = (
            "Wait for it to finish, or stop it, then run this again"
            if "writer" in holder
            else "Stop the server or reader first (ingest and fetch need the store to themselves), "
            "or point ARMATLAS_HOME at another store"
        )
        return StoreLockedError(f"Cannot {what} the store: it is held by {holder}", file=path, hint=hint)
    if "Unique file handle conflict" in text or "different configuration" in text:
        return StoreLockedError(
            f"Cannot {'change' if writing else 'read'} the store: this program has it open already",
            file=path,
            hint="Close the other connection to the store first (one writer, or any number of readers)",
        )
    if (damaged := damage_error(exc, path)) is not None:
        return damaged
    return StoreError(f"Cannot open the store: {text}", file=path)


def describe_holder(pid: int, path: Path, reader_hint: bool = False) -> str:
    """'the armatlas server (reader, PID n)' etc., read from /proc where the system has it."""
    kind = None
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        cmd = ""
    try:
        target = str(path.resolve())
        for fd in os.listdir(f"/proc/{pid}/fd"):
            if os.readlink(f"/proc/{pid}/fd/{fd}") == target:
                flags = Path(f"/proc/{pid}/fdinfo/{fd}").read_text().split("flags:")[1].split()[0]
                kind = "writer" if int(flags, 8) & 3 else "reader"
                break
    except (OSError, IndexError, ValueError):
        pass
    if kind is None and reader_hint:
        kind = "reader"
    words = cmd.split()
    command = next((w for w in ("serve", "ingest", "fetch") if w in words), None)
    who = (
        "the armatlas server"
        if command == "serve"
        else f"`armatlas {command}`"
        if command
        else "another process"
    )
    return f"{who} ({kind + ', ' if kind else ''}PID {pid})"


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


def fetch_row(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> tuple:
    """The row of a query that always has one (an aggregate, a stored snapshot's own row), so
    callers index it without a None check; a missing row means the store lost what it holds."""
    row = fetch_one(con, sql, params)
    if row is None:
        raise StoreCorruptError(
            "The store lacks a row it must hold",
            value=" ".join(sql.split())[:200],
            hint="Move the store file away and run `armatlas ingest` on your snapshots again",
        )
    return row


def insert_table(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    """Append an Arrow table to a store table, matching columns by name."""
    con.register("_incoming", table)
    try:
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")
