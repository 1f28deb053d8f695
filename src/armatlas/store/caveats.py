"""What a figure's provenance says about the rows behind it: quarantined rows, derived matches
and user mappings of each snapshot (the read side of `store/quarantine.py`'s ingest_report)."""

from __future__ import annotations

import duckdb

from armatlas.store.scope import once


def caveats(con: duckdb.DuckDBPyConnection, snapshot_ids: list[int]) -> list[str]:
    """Provenance notes for snapshots with quarantined rows, derived matches or user mappings,
    each with the share of the file's TIV it concerns."""
    try:
        rows = once(
            ("caveats", tuple(snapshot_ids)),
            lambda: con.execute(
                "SELECT s.file_name, r.file_tiv, r.quarantined_rows, r.quarantined_tiv, r.derived_rows, "
                "r.derived_tiv, r.overlay_sha256 FROM ingest_report r JOIN snapshot s USING (snapshot_id) "
                "WHERE r.snapshot_id IN (SELECT unnest(?::INTEGER[])) ORDER BY r.snapshot_id",
                [snapshot_ids],
            ).fetchall(),
        )
    except duckdb.Error:  # a store from before quarantine existed
        return []
    notes = []
    for name, total, q_rows, q_tiv, d_rows, d_tiv, sha in rows:

        def share(x: float | None, total: float | None = total) -> str:  # bound now, not at call time
            return f"{(x or 0.0) / total:.2%} of its TIV" if total else "TIV unknown"

        if d_rows:
            notes.append(
                f"{name}: {d_rows:,} row(s) ({share(d_tiv)}) rest on derived name or "
                "description matches (rules recorded; see `armatlas review`)"
            )
        if q_rows:
            notes.append(
                f"{name}: {q_rows:,} row(s) ({share(q_tiv)}) quarantined and left out "
                "of these figures (see `armatlas review`)"
            )
        if sha:
            notes.append(f"{name}: user mappings used ({sha})")
    return notes
