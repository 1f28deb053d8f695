"""Store a source that is kept whole (SIPRI Top 100, BICC's GMI): one snapshot row and its fact
rows in one transaction, after `store/intake.py`'s prologue.

These sources have no release identity check (store/identity.py) yet: a file whose bytes are
stored is 'unchanged', any other file is a new snapshot.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from armatlas.store.intake import Incoming, Stored


@dataclass(frozen=True)
class SourceIngestResult:
    """What one ingest of a non-transfer source did ('ingested', 'unchanged' or 'replaced')."""

    file: str
    status: str
    snapshot_id: int
    source: str
    release: str
    records: int

    @classmethod
    def unchanged(cls, file: Incoming, known: Stored) -> SourceIngestResult:
        return cls(file.path.name, "unchanged", known.snapshot_id, known.source, known.release, known.records)


def commit_snapshot(
    con: duckdb.DuckDBPyConnection,
    file: Incoming,
    *,
    source: str,
    layout: str,
    generated: datetime | None,
    release: str,
    selection: str,
    years: tuple[int | None, int | None],
    n: int,
    allowed: int,
    write: Callable[[int], None],
) -> int:
    """Snapshot row + fact rows (`write(snapshot_id)`) in one transaction; returns the new snapshot id."""
    from armatlas.store.db import transaction
    from armatlas.store.ingest import snapshot_row, sync_entities

    row = snapshot_row(
        file.path,
        len(file.raw),
        file.sha,
        source=source,
        layout=layout,
        generated=generated,
        release=release,
        selection=selection,
        years=years,
        last_year=years[1],
        n=n,
        allowed=allowed,
    )
    with transaction(con):
        sid = con.execute("SELECT coalesce(max(snapshot_id), 0) + 1 FROM snapshot").fetchall()[0][0]
        full = {"snapshot_id": sid, **row, "ingested_at": datetime.now(UTC).replace(tzinfo=None)}
        if not con.execute("SELECT count(*) FROM entity").fetchall()[0][0]:
            sync_entities(con)
        con.execute(
            f"INSERT INTO snapshot ({', '.join(full)}) VALUES ({','.join('?' * len(full))})",
            list(full.values()),
        )
        write(sid)
    return int(sid)
