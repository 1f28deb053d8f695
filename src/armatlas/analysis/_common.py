"""Small shared pieces of the analyses: query helpers and provenance building."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import duckdb

from armatlas.analysis.periods import Period
from armatlas.results import Provenance, SnapshotRef
from armatlas.store.caveats import caveats
from armatlas.store.db import fetch_one
from armatlas.store.releases import release_snapshots

if TYPE_CHECKING:
    import pyarrow as pa


def arrow(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> pa.Table:
    """Run a parameterised query and return Arrow (never string-formatted user input)."""
    return con.sql(sql, params=params or None).to_arrow_table()


def provenance(
    con: duckdb.DuckDBPyConnection, release: str, basis: str, refs: list[SnapshotRef] | None = None, **kw: Any
) -> Provenance:
    snaps = refs if refs is not None else release_snapshots(con, release)
    notes = [*kw.pop("notes", []), *caveats(con, [s.snapshot_id for s in snaps])]
    return Provenance(release=release, snapshots=snaps, basis=basis, notes=notes, **kw)


def estimated_share(
    con: duckdb.DuckDBPyConnection, snapshot_id: int, where: str, params: list[Any]
) -> float | None:
    """Share of the TIV behind a figure that rests on the estimated per-year split."""
    row = fetch_one(
        con,
        f"""SELECT sum(v.tiv) FILTER (WHERE v.allocation = 'estimated'), sum(v.tiv)
            FROM delivery v JOIN deal d USING (deal_key)
            WHERE d.snapshot_id = ? AND {where}""",
        [snapshot_id, *params],
    )
    if not row or not row[1]:
        return None
    return (row[0] or 0.0) / row[1]


def periods_sql(periods: Sequence[Period]) -> tuple[str, list[Any]]:
    """An inline, parameterised `(period, p_start, p_end)` relation for joins on years."""
    rows = ", ".join("(?, ?, ?)" for _ in periods)
    params: list[Any] = []
    for p in periods:
        params += [p.label, p.start, p.end]
    return f"(SELECT * FROM (VALUES {rows}) AS t(period, p_start, p_end))", params
