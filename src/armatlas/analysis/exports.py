"""Exports of a supplier: volume, reach (how many recipients, which), categories, growth, rank."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from armatlas import frame
from armatlas.analysis import slices
from armatlas.analysis.context import ReleaseContext, release_context
from armatlas.analysis.counting import is_state
from armatlas.analysis.dependence import resolve_periods
from armatlas.analysis.entities import entity
from armatlas.analysis.flows import partner_shares, period_totals
from armatlas.analysis.periods import Period
from armatlas.errors import ScopedReleaseError
from armatlas.results import TIV_UNIT, CompositeResult, TableResult
from armatlas.summaries import ExportsPeriod, ExportsSummary

CATEGORY_COLUMNS = {
    "period": frame.STRING,
    "category": frame.STRING,
    "tiv": frame.FLOAT64,
    "deals": frame.INT64,
    "recipients": frame.INT64,
    "share": frame.FLOAT64,
}


def exports(
    con: duckdb.DuckDBPyConnection,
    supplier: str,
    *,
    periods: Sequence[str | Period] | None = None,
    release: str | ReleaseContext | None = None,
) -> CompositeResult[ExportsSummary]:
    ent = entity(supplier)
    ctx = release_context(con, release)
    ctx.require_register()
    ps = resolve_periods(ctx, periods)
    scope_warning = []
    try:
        totals = {
            r["period"]: r
            for r in period_totals(con, ctx, "export", ps).to_pylist()
            if r["entity_id"] == ent.entity_id
        }
    except ScopedReleaseError as exc:  # a one-country register: recipients yes, world share no
        totals, scope_warning = {}, [exc.message]
    rec = partner_shares(con, ctx, "export", ps, [ent.entity_id])
    recipients: dict[str, list[dict]] = {}
    for r in rec.to_pylist():
        recipients.setdefault(r["period"], []).append(r)
    volume, prev = [], None
    for p in ps:
        t = totals.get(p.label)
        rs = recipients.get(p.label, [])
        states = [r for r in rs if is_state(r["partner_kind"])]
        others = [r for r in rs if not is_state(r["partner_kind"])]
        tiv = t["tiv"] if t else sum(r["tiv"] for r in rs)
        volume.append(
            {
                "period": p.label,
                "tiv": tiv,
                "world_share": None if scope_warning else (t["share"] if t else 0.0),
                "rank": t["rank"] if t else None,
                "change": (tiv / prev - 1) if prev else None,
                # SIPRI counts recipient states; organisations, non-state and unknown recipients
                # are reported beside them
                "recipients": len(states),
                "deals": sum(r["deals"] for r in rs),
                "recipient_names": [r["partner"] for r in states],
                "other_recipients": len(others),
                "other_recipient_names": [r["partner"] for r in others],
            }
        )
        prev = tiv
    cats = _categories(con, ctx, ent.entity_id, ps)
    second_hand: dict[str, float] = {}
    for r in cats:
        second_hand[r["period"]] = second_hand.get(r["period"], 0.0) + r.pop("second_hand_tiv")
    for v in volume:
        v["second_hand_share"] = (
            second_hand[v["period"]] / v["tiv"] if v["period"] in second_hand and v["tiv"] else None
        )
    basis = "publisher TIV tables" if ctx.totals_basis == "tables" else "register deliveries"
    prov = ctx.provenance(f"volume and rank from {basis}; recipients from the register")
    latest = volume[-1]
    return CompositeResult(
        "exports",
        {
            "volume": TableResult("exports.volume", frame.from_rows(volume), prov, units={"tiv": TIV_UNIT}),
            "recipients": TableResult(
                "exports.recipients",
                rec.select(["period", "partner_id", "partner", "tiv", "share", "rank", "deals"]),
                prov,
                units={"tiv": TIV_UNIT},
            ),
            "categories": TableResult(
                "exports.categories",
                frame.from_rows(cats, CATEGORY_COLUMNS),
                prov,
                units={"tiv": TIV_UNIT},
            ),
        },
        prov,
        params={"supplier": ent.entity_id, "periods": [p.label for p in ps], "release": ctx.release},
        summary=ExportsSummary(
            supplier=ent.name,
            supplier_id=ent.entity_id,
            latest=ExportsPeriod(**latest),
            recipients_latest=latest["recipients"],
            recipients_ever=len({r["partner_id"] for r in rec.to_pylist() if is_state(r["partner_kind"])}),
        ),
        warnings=scope_warning
        + ([] if latest["deals"] >= 5 else [_few_deals(latest["period"], latest["deals"])]),
    )


def _few_deals(period: str, deals: int) -> str:
    """The small-base warning of an exporter's latest period."""
    if deals == 0:
        return f"{period}: no export deals"
    return f"{period}: only {deals} export deal{'' if deals == 1 else 's'}"


def _categories(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, entity_id: str, ps: list[Period]
) -> list[dict]:
    """Per period and category: TIV, deals, recipients, share of the period's exports, second-hand TIV."""
    rows = (f for f in slices.flows(con, ctx, [entity_id], ps) if f.supplier_id == entity_id)
    groups = slices.grouped(rows, ps, lambda f: f.category, partner=lambda f: f.recipient_id)
    out = []
    for p in ps:
        g = groups[p.label]
        total = sum(s.tiv for s in g.values())
        for cat, s in sorted(g.items(), key=lambda kv: (-kv[1].tiv, kv[0])):
            out.append(
                {
                    "period": p.label,
                    "category": cat,
                    "tiv": s.tiv,
                    "deals": s.deals,
                    "recipients": len(s.partners),
                    "share": s.tiv / total if total else None,
                    "second_hand_tiv": s.second_hand_tiv,
                }
            )
    return out
