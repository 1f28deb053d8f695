"""Store BICC's GMI table as a source, so every score of ours can be shown beside BICC's."""

from __future__ import annotations

from pathlib import Path

import duckdb

from armatlas import columnar
from armatlas.entities.register import load_register
from armatlas.sources import bicc_gmi
from armatlas.store.db import insert_table
from armatlas.store.intake import Incoming, read_incoming, stored
from armatlas.store.snapshot_commit import SourceIngestResult, commit_snapshot

TABLE = """
CREATE TABLE IF NOT EXISTS bicc_gmi (
    entity_id VARCHAR NOT NULL, year INTEGER NOT NULL, gmi_score DOUBLE, milex_indicator DOUBLE,
    personnel_indicator DOUBLE, weapons_indicator DOUBLE, gmi_rank INTEGER, snapshot_id INTEGER NOT NULL
);
"""


def ensure_gmi_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(TABLE)


def ingest_bicc(con: duckdb.DuckDBPyConnection, path: str | Path | Incoming) -> SourceIngestResult:
    """One GMI table, once; countries through the reviewed `bicc_gmi` aliases (ISO3 codes)."""
    ensure_gmi_table(con)
    file = read_incoming(path)
    if known := stored(con, file.sha):
        return SourceIngestResult.unchanged(file, known)
    path = file.path
    parsed = bicc_gmi.parse(file.raw, path.name)
    reg = load_register()
    ids = [reg.resolve(r[1], "bicc_gmi", file=path.name, line=r[0], column="iso3") for r in parsed.rows]
    years = [r[3] for r in parsed.rows]
    release = f"{min(years)}-{max(years)}"

    def write(sid: int) -> None:
        rows = parsed.rows
        insert_table(
            con,
            "bicc_gmi",
            columnar.table(
                {
                    "entity_id": ids,
                    "year": years,
                    "gmi_score": [r[4] for r in rows],
                    "milex_indicator": [r[5] for r in rows],
                    "personnel_indicator": [r[6] for r in rows],
                    "weapons_indicator": [r[7] for r in rows],
                    "gmi_rank": [r[8] for r in rows],
                    "snapshot_id": [sid] * len(rows),
                }
            ),
        )

    n = len(set(ids))
    sid = commit_snapshot(
        con,
        file,
        source=bicc_gmi.SOURCE["id"],
        layout="gmi_table",
        generated=None,
        release=release,
        selection="GMI",
        years=(min(years), max(years)),
        n=n,
        allowed=0,
        write=write,
    )
    return SourceIngestResult(path.name, "ingested", sid, bicc_gmi.SOURCE["id"], release, n)
