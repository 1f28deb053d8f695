"""Shares and changes of a group's flows, for statements of the form 'X's share of Y's imports'.

A group is one entity, a list, or a region's states; the base is either the world total
(period_totals, so the publisher's TIV tables when the release has them) or the group's own
register flows, and the part is the group itself or its flows with some partners. One row per
period with the change against the period before (ratio) and the share's change in points.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pyarrow as pa

from armatlas.analysis.context import ReleaseContext
from armatlas.analysis.flows import partner_shares, period_totals
from armatlas.analysis.periods import Period


def share_series(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str, periods: Sequence[Period],
                 group: Sequence[str] | None, partners: Sequence[str] | None = None) -> pa.Table:
    """period, part_tiv, base_tiv, share, change, share_change_pp, deals, partners_n.

    group None is the world. Without partners, the part is the group and the base the world
    total; with partners, the base is the group's flows and the part those with the partners.
    """
    rows: list[dict] = []
    if partners is None:
        tot = period_totals(con, ctx, direction, list(periods)).to_pylist()
        for p in periods:
            here = [r for r in tot if r["period"] == p.label]
            world = here[0]["world_tiv"] if here else None
            part = world if group is None else sum(r["tiv"] for r in here if r["entity_id"] in set(group))
            rows.append({"period": p.label, "part_tiv": part, "base_tiv": world, "deals": None,
                         "partners_n": None})
    else:
        ps = partner_shares(con, ctx, direction, list(periods), list(group) if group else None).to_pylist()
        want = set(partners)
        for p in periods:
            here = [r for r in ps if r["period"] == p.label]
            rows.append({"period": p.label, "part_tiv": sum(r["tiv"] for r in here if r["partner_id"] in want),
                         "base_tiv": sum(r["tiv"] for r in here), "deals": sum(r["deals"] for r in here),
                         "partners_n": len({r["partner_id"] for r in here if r["tiv"]})})
    prev = None
    for r in rows:
        r["share"] = r["part_tiv"] / r["base_tiv"] if r["base_tiv"] else None
        r["change"] = r["part_tiv"] / prev["part_tiv"] - 1 if prev and prev["part_tiv"] else None
        r["share_change_pp"] = (100 * (r["share"] - prev["share"]) if prev and r["share"] is not None
                                and prev["share"] is not None else None)
        prev = r
    return pa.Table.from_pylist(rows)


def spending_group(con: duckdb.DuckDBPyConnection, ids: Sequence[str] | None, year: int,
                   base_year: int | None = None) -> dict:
    """Military spending of a group in a year: current US$ m, its share of the world's, the real
    change (constant US$) since base_year; ids None is the world. Countries without a figure count 0."""
    from armatlas.analysis.spending import milex_snapshot

    sid = milex_snapshot(con)

    def total(y: int, measure: str, only: Sequence[str] | None) -> tuple[float | None, int]:
        sql = "SELECT sum(value), count(value) FROM milex WHERE snapshot_id = ? AND year = ? AND measure = ?"
        params: list = [sid, y, measure]
        if only is not None:
            sql += " AND entity_id IN (SELECT unnest(?::VARCHAR[]))"
            params.append(list(only))
        got = con.execute(sql, params).fetchone()
        return (got[0], got[1]) if got else (None, 0)

    cur, n = total(year, "current_usd", ids)
    world, _ = total(year, "current_usd", None)
    out = {"year": year, "current_usd": cur, "countries": n, "world_current_usd": world,
           "share": cur / world if cur is not None and world else None, "change": None, "base_year": base_year}
    if base_year is not None:
        a, _ = total(base_year, "constant_usd", ids)
        b, _ = total(year, "constant_usd", ids)
        out["change"] = b / a - 1 if a and b is not None else None
    return out


def group_ranks(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str, period: Period,
                ids: Sequence[str]) -> list[dict]:
    """Ranks (1 = largest) of the group's members by TIV in a period ('the largest European importer')."""
    rows = [r for r in period_totals(con, ctx, direction, [period]).to_pylist() if r["entity_id"] in set(ids)]
    rows.sort(key=lambda r: -r["tiv"])
    return [{"entity_id": r["entity_id"], "tiv": r["tiv"], "rank": i + 1} for i, r in enumerate(rows)]
