"""Tables a newer armatlas reads from a source file that a stored snapshot of it still lacks.

A store keeps what a file said, not the file. When armatlas learns to read more from the same
file (SIPRI's regional totals and each country's milex region, read from the workbook since
schema 4), snapshots stored before have those tables empty. Ingesting the same file again then
fills them for the stored snapshot instead of answering 'unchanged': the snapshot's facts, id and
content digest stay as they are.
"""

from __future__ import annotations

import duckdb

# source -> tables read from its file that are not part of its content digest
DERIVED: dict[str, tuple[str, ...]] = {"sipri_milex": ("milex_region", "milex_member")}


def state_sql() -> str:
    """SQL expressions (one per derived table) that change when a backfill fills rows: part of
    every store content tag, because a backfill changes answers but no snapshot."""
    return ", ".join(
        f"(SELECT count(*) || '/' || count(DISTINCT snapshot_id) FROM {t})"
        for tables in DERIVED.values()
        for t in tables
    )


def state(con: duckdb.DuckDBPyConnection) -> str:
    """The derived tables' state (`state_sql`) as text."""
    return str(con.execute(f"SELECT {state_sql()}").fetchall()[0])


def missing(con: duckdb.DuckDBPyConnection, snapshot_id: int, source: str) -> tuple[str, ...]:
    """The derived tables of `source` holding no row of the snapshot (a store made before they
    existed, or a file that has none: then a re-ingest re-reads it and still reports 'unchanged')."""
    out = []
    for name in DERIVED.get(source, ()):
        try:
            found = con.execute(
                f"SELECT 1 FROM {name} WHERE snapshot_id = ? LIMIT 1", [snapshot_id]
            ).fetchall()
        except duckdb.CatalogException:  # a read-only look at a store older than the table
            found = []
        if not found:
            out.append(name)
    return tuple(out)


def filled(con: duckdb.DuckDBPyConnection, snapshot_id: int, tables: tuple[str, ...]) -> int:
    """Rows the snapshot now has in `tables` (after a copy from the stage)."""
    return sum(
        con.execute(f"SELECT count(*) FROM {name} WHERE snapshot_id = ?", [snapshot_id]).fetchall()[0][0]
        for name in tables
    )
