"""Supplier dependence of an importer: shares, concentration, categories and the trend.

Small bases are flagged, not hidden: a share over three deals says little.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from armatlas import frame
from armatlas.analysis import slices
from armatlas.analysis.concentration import (
    direction_of,
    effective_number,
    hhi,
    top_share,
)
from armatlas.analysis.context import ReleaseContext, release_context
from armatlas.analysis.counting import FLAG_ONLY_LAYOUTS, LICENCE_NOTE, is_state
from armatlas.analysis.entities import entity
from armatlas.analysis.flows import partner_shares
from armatlas.analysis.periods import (
    Period,
    check_within,
    latest_period,
    parse_period,
    periods_ending,
)
from armatlas.results import TIV_UNIT, CompositeResult, TableResult
from armatlas.summaries import DependencePeriod, DependenceSummary

SMALL_BASE_DEALS = 5
SMALL_BASE_TIV = 100.0  # million TIV over a 5-year period
TREND_TOLERANCE = 0.05  # 5 percentage points


def resolve_periods(
    ctx: ReleaseContext, periods: Sequence[str | Period] | None, n: int = 3, *, latest: Period | None = None
) -> list[Period]:
    """The periods asked for, each inside the release; without any, up to n consecutive periods
    ending with `latest` (default: the newest complete one) that the release covers."""
    if periods:
        ps = [parse_period(p) for p in periods]
    else:
        ps = periods_ending(latest or latest_period(ctx.last_year), n, ctx.first_year)
    for p in sorted(ps, reverse=True):  # the newest first: the period asked for, not one it implies
        check_within(p, ctx.first_year, ctx.last_year, f"release {ctx.release}")
    return sorted(ps)


def flagged_shares(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, entity_id: str, periods: Sequence[Period]
) -> dict[str, slices.Sums]:
    """Per period: an importer's TIV, deals, second-hand, licensed, local-production, estimated TIV."""
    rows = (f for f in slices.flows(con, ctx, [entity_id], periods) if f.recipient_id == entity_id)
    return {label: g[None] for label, g in slices.grouped(rows, periods, lambda f: None).items() if g}


def dependence(
    con: duckdb.DuckDBPyConnection,
    importer: str,
    *,
    periods: Sequence[str | Period] | None = None,
    release: str | ReleaseContext | None = None,
) -> CompositeResult[DependenceSummary]:
    ent = entity(importer)
    ctx = release_context(con, release)
    ctx.require_register()
    ps = resolve_periods(ctx, periods)
    sup = partner_shares(con, ctx, "import", ps, [ent.entity_id])
    by_period: dict[str, list[dict]] = {}
    for r in sup.to_pylist():
        by_period.setdefault(r["period"], []).append(r)
    flags = flagged_shares(con, ctx, ent.entity_id, ps)
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
        small = (f is None) or f.deals < SMALL_BASE_DEALS or f.tiv < SMALL_BASE_TIV
        if rows and small:
            base = (
                f"{f.deals} deal{'' if f.deals == 1 else 's'}, {f.tiv:.0f} TIV"
                if f is not None
                else "no deals"
            )
            warnings.append(f"{p.label}: small base ({base}); shares are fragile")

        def part(x: float, f: slices.Sums | None = f) -> float | None:
            return x / f.tiv if f and f.tiv else None

        metrics.append(
            {
                "period": p.label,
                "tiv": f.tiv if f else 0.0,
                "deals": f.deals if f else 0,
                # SIPRI counts supplier states; organisations, non-state and unknown suppliers beside them
                "suppliers": sum(is_state(r["partner_kind"]) for r in rows),
                "other_suppliers": sum(not is_state(r["partner_kind"]) for r in rows),
                "hhi": h,
                "effective_suppliers": effective_number(h) if h else None,
                "top_supplier": rows[0]["partner"] if rows else None,
                "top_supplier_id": rows[0]["partner_id"] if rows else None,
                "top1_share": rows[0]["share"] if rows else None,
                "top3_share": top_share(shares, 3) if rows else None,
                "second_hand_share": part(f.second_hand_tiv) if f else None,
                "licensed_share": None if flag_only or not f else part(f.licensed_tiv),
                "local_production_share": part(f.local_production_tiv) if f else None,
                "estimated_share": part(f.estimated_tiv or 0.0) if f else None,
                "small_base": small,
            }
        )
    cats = _categories(con, ctx, ent.entity_id, ps)
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
                frame.from_rows(metrics),
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
                frame.from_rows(cats) if cats else frame.table({"period": []}),
                ctx_prov,
                units={"tiv": TIV_UNIT},
            ),
        },
        ctx_prov,
        params={"importer": ent.entity_id, "periods": [p.label for p in ps], "release": ctx.release},
        summary=summary,
        warnings=warnings,
    )


def _categories(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, entity_id: str, ps: Sequence[Period]
) -> list[dict]:
    """Per period and category: volume, share of imports, top supplier and concentration."""
    info = slices.names(con, ctx)
    rows = (f for f in slices.flows(con, ctx, [entity_id], ps) if f.recipient_id == entity_id)
    groups = slices.grouped(rows, ps, lambda f: (f.category, f.supplier_id))
    out = []
    for p in ps:
        g = groups[p.label]
        total = sum(s.tiv for s in g.values())
        by_cat: dict[str, list[tuple[str, float]]] = {}

        def name(sup: str) -> str:
            return info.get(sup, (sup, ""))[0]

        for cat, sup in sorted(g, key=lambda k: (k[0], -g[k].tiv, name(k[1]), k[1])):  # ties: by name
            by_cat.setdefault(cat, []).append((name(sup), g[cat, sup].tiv))
        for cat, rs in by_cat.items():
            tiv = sum(t for _, t in rs)
            shares = [t / tiv for _, t in rs] if tiv else []
            out.append(
                {
                    "period": p.label,
                    "category": cat,
                    "tiv": tiv,
                    "share_of_imports": tiv / total if total else None,
                    "suppliers": len(rs),
                    "top_supplier": rs[0][0],
                    "top_supplier_share": shares[0] if shares else None,
                    "hhi": hhi(shares) if shares else None,
                }
            )
    return out
