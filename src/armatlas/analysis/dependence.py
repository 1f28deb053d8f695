"""Supplier dependence of an importer: shares, concentration, categories and the trend.

Small bases are flagged, not hidden: a share over three deals says little.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from armatlas import columnar
from armatlas.analysis._common import arrow, periods_sql
from armatlas.analysis.concentration import (
    direction_of,
    effective_number,
    hhi,
    top_share,
)
from armatlas.analysis.context import ReleaseContext, release_context
from armatlas.analysis.counting import (
    FLAG_ONLY_LAYOUTS,
    LICENCE_NOTE,
    LICENSED_SQL,
    LOCAL_SQL,
    is_state,
)
from armatlas.analysis.entities import entity
from armatlas.analysis.flows import partner_shares
from armatlas.analysis.periods import (
    Period,
    check_within,
    consecutive,
    latest_period,
    parse_period,
)
from armatlas.results import TIV_UNIT, CompositeResult, TableResult
from armatlas.summaries import DependencePeriod, DependenceSummary

SMALL_BASE_DEALS = 5
SMALL_BASE_TIV = 100.0  # million TIV over a 5-year period
TREND_TOLERANCE = 0.05  # 5 percentage points


def resolve_periods(ctx: ReleaseContext, periods: Sequence[str | Period] | None, n: int = 3) -> list[Period]:
    ps = [parse_period(p) for p in periods] if periods else consecutive(latest_period(ctx.last_year), n)
    for p in ps:
        check_within(p, ctx.first_year, ctx.last_year, f"release {ctx.release}")
    return sorted(ps)


def flagged_shares(
    con: duckdb.DuckDBPyConnection,
    sid: int,
    side: str,
    entity_id: str,
    periods: Sequence[Period],
    by: str | None = None,
) -> list[dict]:
    """Per period (and optionally per category): TIV, deals, second-hand, licensed, estimated."""
    per_sql, per_params = periods_sql(periods)
    group = f", d.{by}" if by else ""
    return arrow(
        con,
        f"""
        SELECT p.period, p.p_start{group}, sum(v.tiv) AS tiv, count(DISTINCT d.deal_key) AS deals,
               coalesce(sum(v.tiv) FILTER (WHERE d.second_hand), 0) AS second_hand_tiv,
               coalesce(sum(v.tiv) FILTER (WHERE {LICENSED_SQL}), 0) AS licensed_tiv,
               coalesce(sum(v.tiv) FILTER (WHERE {LOCAL_SQL}), 0) AS local_production_tiv,
               coalesce(sum(v.tiv) FILTER (WHERE v.allocation = 'estimated'), 0) AS estimated_tiv
        FROM delivery v JOIN deal d USING (deal_key)
             JOIN {per_sql} p ON v.year BETWEEN p.p_start AND p.p_end
        WHERE v.snapshot_id = ? AND d.snapshot_id = ? AND d.{side} = ? AND v.tiv IS NOT NULL
        GROUP BY ALL ORDER BY p.p_start""",
        per_params + [sid, sid, entity_id],
    ).to_pylist()


def dependence(
    con: duckdb.DuckDBPyConnection,
    importer: str,
    *,
    periods: Sequence[str | Period] | None = None,
    release: str | None = None,
) -> CompositeResult[DependenceSummary]:
    ent = entity(importer)
    ctx = release_context(con, release)
    sid = ctx.require_register().snapshot_id
    ps = resolve_periods(ctx, periods)
    sup = partner_shares(con, ctx, "import", ps, [ent.entity_id])
    by_period: dict[str, list[dict]] = {}
    for r in sup.to_pylist():
        by_period.setdefault(r["period"], []).append(r)
    flags = {r["period"]: r for r in flagged_shares(con, sid, "recipient_id", ent.entity_id, ps)}
    metrics: list[dict[str, Any]] = []
    warnings: list[str] = []
    flag_only = ctx.require_register().layout in FLAG_ONLY_LAYOUTS
    if flag_only:
        warnings.append(LICENCE_NOTE)
    for p in ps:
        rows = by_period.get(p.label, [])
        shares = [r["share"] for r in rows]
        f = flags.get(p.label)
        h = hhi(shares) if rows else None
        small = (f is None) or f["deals"] < SMALL_BASE_DEALS or f["tiv"] < SMALL_BASE_TIV
        if rows and small:
            base = f"{f['deals']} deals, {f['tiv']:.0f} TIV" if f is not None else "no deals"
            warnings.append(f"{p.label}: small base ({base}); shares are fragile")
        metrics.append(
            {
                "period": p.label,
                "tiv": f["tiv"] if f else 0.0,
                "deals": f["deals"] if f else 0,
                # SIPRI counts supplier states; organisations, non-state and unknown suppliers beside them
                "suppliers": sum(is_state(r["partner_kind"]) for r in rows),
                "other_suppliers": sum(not is_state(r["partner_kind"]) for r in rows),
                "hhi": h,
                "effective_suppliers": effective_number(h) if h else None,
                "top_supplier": rows[0]["partner"] if rows else None,
                "top_supplier_id": rows[0]["partner_id"] if rows else None,
                "top1_share": rows[0]["share"] if rows else None,
                "top3_share": top_share(shares, 3) if rows else None,
                "second_hand_share": f["second_hand_tiv"] / f["tiv"] if f and f["tiv"] else None,
                "licensed_share": f["licensed_tiv"] / f["tiv"] if f and f["tiv"] and not flag_only else None,
                "local_production_share": f["local_production_tiv"] / f["tiv"] if f and f["tiv"] else None,
                "estimated_share": f["estimated_tiv"] / f["tiv"] if f and f["tiv"] else None,
                "small_base": small,
            }
        )
    cats = _categories(con, sid, ent.entity_id, ps)
    summary = DependenceSummary(
        importer=ent.name,
        importer_id=ent.entity_id,
        top1_share_trend=direction_of([m["top1_share"] for m in metrics], TREND_TOLERANCE),
        hhi_trend=direction_of([m["hhi"] for m in metrics], 500.0),
        volume_trend=direction_of([m["tiv"] for m in metrics], 0.1 * max([m["tiv"] for m in metrics] + [1])),
        latest=DependencePeriod(**metrics[-1]),
    )
    ctx_prov = ctx.provenance("register deliveries", estimated_share=metrics[-1]["estimated_share"])
    return CompositeResult(
        "dependence",
        {
            "metrics": TableResult(
                "dependence.metrics",
                columnar.from_rows(metrics),
                ctx_prov,
                units={"tiv": TIV_UNIT, "hhi": "Herfindahl-Hirschman index, 0-10,000"},
            ),
            "suppliers": TableResult(
                "dependence.suppliers",
                sup.select(
                    ["period", "partner_id", "partner", "tiv", "share", "rank", "deals", "tiv_estimated"]
                ),
                ctx_prov,
                units={"tiv": TIV_UNIT},
            ),
            "categories": TableResult(
                "dependence.categories",
                columnar.from_rows(cats) if cats else columnar.table({"period": []}),
                ctx_prov,
                units={"tiv": TIV_UNIT},
            ),
        },
        ctx_prov,
        params={"importer": ent.entity_id, "periods": [p.label for p in ps], "release": ctx.release},
        summary=summary,
        warnings=warnings,
    )


def _categories(con: duckdb.DuckDBPyConnection, sid: int, entity_id: str, ps: Sequence[Period]) -> list[dict]:
    """Per period and category: volume, share of imports, top supplier and concentration."""
    per_sql, per_params = periods_sql(ps)
    rows = arrow(
        con,
        f"""
        SELECT p.period, p.p_start, d.category, d.supplier_id, e.name AS supplier, sum(v.tiv) AS tiv
        FROM delivery v JOIN deal d USING (deal_key) JOIN entity e ON e.entity_id = d.supplier_id
             JOIN {per_sql} p ON v.year BETWEEN p.p_start AND p.p_end
        WHERE v.snapshot_id = ? AND d.snapshot_id = ? AND d.recipient_id = ? AND v.tiv IS NOT NULL
        GROUP BY ALL ORDER BY p.p_start, d.category, tiv DESC, supplier, d.supplier_id""",
        per_params + [sid, sid, entity_id],
    ).to_pylist()  # ties (e.g. 41.8% each): by name
    totals: dict[str, float] = {}
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        totals[r["period"]] = totals.get(r["period"], 0.0) + r["tiv"]
        groups.setdefault((r["period"], r["category"]), []).append(r)
    out = []
    for (period, cat), rs in groups.items():
        tiv = sum(r["tiv"] for r in rs)
        shares = [r["tiv"] / tiv for r in rs] if tiv else []
        out.append(
            {
                "period": period,
                "category": cat,
                "tiv": tiv,
                "share_of_imports": tiv / totals[period] if totals[period] else None,
                "suppliers": len(rs),
                "top_supplier": rs[0]["supplier"],
                "top_supplier_share": shares[0] if shares else None,
                "hhi": hhi(shares) if shares else None,
            }
        )
    return out
