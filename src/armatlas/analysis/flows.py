"""Annual and period flows: imports and exports of any entity, group or the world.

Shares are an entity's period sum over the world's period sum, the world being every row
(non-state actors and unknown parties included); change is sum(p1)/sum(p0) - 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from armatlas.analysis._common import arrow, periods_sql
from armatlas.analysis.context import ReleaseContext
from armatlas.analysis.periods import Period
from armatlas.errors import QueryError

DIRECTIONS = ("import", "export")


def check_direction(direction: str) -> str:
    d = direction.lower().rstrip("s")
    d = {"importer": "import", "exporter": "export", "supplier": "export", "recipient": "import"}.get(d, d)
    if d not in DIRECTIONS:
        raise QueryError(f"Unknown direction {direction!r}", value=direction, hint="Use import or export.")
    return d


def _side(direction: str) -> tuple[str, str]:
    """(column of the entity, column of its partner) in the deal table."""
    return ("recipient_id", "supplier_id") if direction == "import" else ("supplier_id", "recipient_id")


def annual_totals(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str,
                  years: range, basis: str | None = None, entity_id: str | None = None) -> pa.Table:
    """entity_id, year, tiv for every entity plus entity_id='world' (or for one entity)."""
    basis = basis or ctx.totals_basis
    if basis == "tables":
        snaps = [t.snapshot_id for t in ctx.tables]
        return arrow(con, """
            SELECT entity_id, year, tiv FROM tiv_total
            WHERE snapshot_id IN (SELECT unnest(?::INTEGER[])) AND direction = ? AND year BETWEEN ? AND ?
              AND (? IS NULL OR entity_id = ?)""",
            [snaps, direction, years.start, years.stop - 1, entity_id, entity_id])
    own, _ = _side(direction)
    sid = ctx.require_register().snapshot_id
    if entity_id is not None:
        return arrow(con, f"""
            SELECT d.{own} AS entity_id, v.year, sum(v.tiv) AS tiv
            FROM delivery v JOIN deal d USING (deal_key)
            WHERE v.snapshot_id = ? AND v.year BETWEEN ? AND ? AND v.tiv IS NOT NULL AND d.{own} = ?
            GROUP BY ALL""", [sid, years.start, years.stop - 1, entity_id])
    return arrow(con, f"""
        WITH x AS (SELECT d.{own} AS entity_id, v.year, sum(v.tiv) AS tiv
                   FROM delivery v JOIN deal d USING (deal_key)
                   WHERE v.snapshot_id = ? AND v.year BETWEEN ? AND ? AND v.tiv IS NOT NULL GROUP BY ALL)
        SELECT * FROM x UNION ALL SELECT 'world', year, sum(tiv) FROM x GROUP BY year""",
        [sid, years.start, years.stop - 1])


_TOTALS_CACHE: dict[tuple, pa.Table] = {}
_CACHE_MAX = 256


def period_totals(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str,
                  periods: Sequence[Period], basis: str | None = None) -> pa.Table:
    """Per entity and period: tiv, world tiv, share, rank (world row excluded from ranks).

    Cached per connection and release: a release's data never change once ingested, and
    every profile needs the same world-wide totals for its ranks and shares.
    """
    key = (id(con), ctx, direction, tuple(periods), basis)
    hit = _TOTALS_CACHE.get(key)
    if hit is None:
        if len(_TOTALS_CACHE) >= _CACHE_MAX:
            _TOTALS_CACHE.clear()
        hit = _TOTALS_CACHE[key] = _period_totals(con, ctx, direction, periods, basis)
    return hit


def _period_totals(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str,
                   periods: Sequence[Period], basis: str | None) -> pa.Table:
    lo, hi = min(p.start for p in periods), max(p.end for p in periods)
    annual = annual_totals(con, ctx, direction, range(lo, hi + 1), basis)
    spec = pa.table({"period": [p.label for p in periods], "p_start": [p.start for p in periods],
                     "p_end": [p.end for p in periods]})
    con.register("_annual", annual)
    con.register("_periods", spec)
    try:
        return arrow(con, """
            WITH s AS (SELECT a.entity_id, p.period, p.p_start, sum(a.tiv) AS tiv
                       FROM _annual a JOIN _periods p ON a.year BETWEEN p.p_start AND p.p_end GROUP BY ALL),
                 w AS (SELECT period, tiv AS world_tiv FROM s WHERE entity_id = 'world')
            SELECT s.entity_id, s.period, s.p_start, s.tiv, w.world_tiv, s.tiv / w.world_tiv AS share,
                   rank() OVER (PARTITION BY s.period ORDER BY s.tiv DESC) AS rank
            FROM s JOIN w USING (period) WHERE s.entity_id <> 'world'
            ORDER BY s.p_start, s.tiv DESC""")
    finally:
        con.unregister("_annual")
        con.unregister("_periods")


def partner_shares(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str,
                   periods: Sequence[Period], entity_ids: Sequence[str] | None = None) -> pa.Table:
    """From the register: each entity's partners per period, with TIV, share and deal count."""
    own, other = _side(direction)
    sid = ctx.require_register().snapshot_id
    per_sql, per_params = periods_sql(periods)
    ent_clause = "AND d." + own + " IN (SELECT unnest(?::VARCHAR[]))" if entity_ids else ""
    params: list = per_params + [sid, sid] + ([list(entity_ids)] if entity_ids else [])
    return arrow(con, f"""
        WITH x AS (
            SELECT d.{own} AS entity_id, d.{other} AS partner_id, p.period, p.p_start,
                   sum(v.tiv) AS tiv, count(DISTINCT d.deal_key) AS deals,
                   sum(v.tiv) FILTER (WHERE v.allocation = 'estimated') AS tiv_estimated
            FROM delivery v JOIN deal d USING (deal_key)
                 JOIN {per_sql} p ON v.year BETWEEN p.p_start AND p.p_end
            WHERE v.snapshot_id = ? AND d.snapshot_id = ? AND v.tiv IS NOT NULL {ent_clause}
            GROUP BY ALL)
        SELECT x.*, x.tiv / sum(x.tiv) OVER (PARTITION BY x.entity_id, x.period) AS share,
               rank() OVER (PARTITION BY x.entity_id, x.period ORDER BY x.tiv DESC) AS rank,
               e.name AS partner
        FROM x JOIN entity e ON e.entity_id = x.partner_id
        ORDER BY x.entity_id, x.p_start, x.tiv DESC""", params)
