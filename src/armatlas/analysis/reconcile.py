"""Reconcile register-derived annual totals with the publisher's own TIV tables.

For each register release and each entity, sum the per-year delivered TIV as importer and
as exporter over the years both sources cover, and compare with the TIV tables. Tables are
rounded to whole millions per cell, so a difference of up to half a million per year is
rounding; larger ones are revisions between releases or the estimated per-year split.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from armatlas.analysis._common import arrow
from armatlas.results import TIV_UNIT, Provenance, TableResult
from armatlas.store.db import fetch_row
from armatlas.store.releases import pick_release, register_snapshot, release_snapshots
from armatlas.summaries import ReconcileTotals


def reconcile(
    con: duckdb.DuckDBPyConnection,
    release: str | None = None,
    tables_release: str | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
) -> TableResult[dict[str, ReconcileTotals]]:
    rel = pick_release(con, release)
    trel = pick_release(con, tables_release, need="tables")
    reg = register_snapshot(con, rel)
    tabs = [s for s in release_snapshots(con, trel) if s.layout in ("tiv_imports", "tiv_exports")]
    years = fetch_row(
        con,
        """SELECT greatest(min(v.year), ?), least(max(v.year), ?)
           FROM delivery v WHERE v.snapshot_id = ?""",
        [from_year or 0, to_year or 9999, reg.snapshot_id],
    )
    t_years = fetch_row(
        con,
        "SELECT min(year), max(year) FROM tiv_total WHERE snapshot_id IN (SELECT unnest(?::INTEGER[]))",
        [[s.snapshot_id for s in tabs]],
    )
    lo, hi = max(years[0], t_years[0]), min(years[1], t_years[1])
    # A register selected by delivery years ('2000' to '2024') covers only those years.
    scope = fetch_row(con, "SELECT year_from, year_to FROM snapshot WHERE snapshot_id = ?", [reg.snapshot_id])
    if scope[0] and scope[0].isdigit():
        lo = max(lo, int(scope[0]))
    table = arrow(
        con,
        """
        WITH reg AS (
            SELECT d.recipient_id AS entity_id, 'import' AS direction, v.year, sum(v.tiv) AS tiv,
                   bool_or(v.allocation = 'estimated') AS est
            FROM delivery v JOIN deal d USING (deal_key)
            WHERE v.snapshot_id = ? AND v.year BETWEEN ? AND ? GROUP BY ALL
            UNION ALL
            SELECT d.supplier_id, 'export', v.year, sum(v.tiv), bool_or(v.allocation = 'estimated')
            FROM delivery v JOIN deal d USING (deal_key)
            WHERE v.snapshot_id = ? AND v.year BETWEEN ? AND ? GROUP BY ALL
        ),
        tab AS (
            SELECT entity_id, direction, year, tiv FROM tiv_total
            WHERE snapshot_id IN (SELECT unnest(?::INTEGER[])) AND year BETWEEN ? AND ?
              AND entity_id <> 'world'
        ),
        joined AS (
            SELECT coalesce(r.entity_id, t.entity_id) AS entity_id,
                   coalesce(r.direction, t.direction) AS direction,
                   coalesce(r.tiv, 0) AS reg_tiv, coalesce(t.tiv, 0) AS table_tiv, r.est
            FROM reg r FULL JOIN tab t USING (entity_id, direction, year)
        )
        SELECT j.entity_id, e.name, j.direction, count(*) AS years,
               round(sum(reg_tiv), 2) AS register_tiv, round(sum(table_tiv), 2) AS table_tiv,
               round(sum(reg_tiv) - sum(table_tiv), 2) AS difference,
               CASE WHEN sum(table_tiv) > 0 THEN round((sum(reg_tiv) - sum(table_tiv)) / sum(table_tiv), 4) END AS difference_share,
               max(abs(reg_tiv - table_tiv)) <= 0.5 + 1e-9 AS within_rounding,
               coalesce(bool_or(est), false) AS rests_on_split
        FROM joined j LEFT JOIN entity e ON e.entity_id = j.entity_id
        GROUP BY ALL ORDER BY abs(sum(reg_tiv) - sum(table_tiv)) DESC, j.entity_id, j.direction
        """,
        [reg.snapshot_id, lo, hi, reg.snapshot_id, lo, hi, [s.snapshot_id for s in tabs], lo, hi],
    )
    prov = Provenance(
        release=rel, snapshots=[reg, *tabs], basis="register deliveries vs publisher TIV tables"
    )
    return TableResult(
        "reconcile",
        table,
        prov,
        params={"release": rel, "tables_release": trel, "from_year": lo, "to_year": hi},
        units={"register_tiv": TIV_UNIT, "table_tiv": TIV_UNIT},
        summary=summarise(table),
    )


def summarise(table: pa.Table) -> dict[str, ReconcileTotals]:
    """Per direction ('import', 'export'): how many entities agree within rounding, and the totals."""
    rows = table.to_pylist()
    out = {}
    for direction in ("import", "export"):
        sub = [r for r in rows if r["direction"] == direction]
        reg_sum = sum(r["register_tiv"] for r in sub)
        tab_sum = sum(r["table_tiv"] for r in sub)
        out[direction] = ReconcileTotals(
            entities=len(sub),
            within_rounding=sum(1 for r in sub if r["within_rounding"]),
            register_tiv=round(reg_sum, 1),
            table_tiv=round(tab_sum, 1),
            difference_share=round((reg_sum - tab_sum) / tab_sum, 4) if tab_sum else None,
        )
    return out
