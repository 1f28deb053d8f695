"""Supplier cut-off: what an importer would lose if some suppliers stopped delivering.

Two measures: the share of the importer's register deliveries over a window that came from
those suppliers (overall and by category), and the share of its open pipeline they hold.
For every category they supplied, the remaining suppliers that already delivered it in the
window are listed: substitutes in fact, not in theory.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from armatlas import frame
from armatlas.analysis import slices
from armatlas.analysis.context import ReleaseContext, release_context
from armatlas.analysis.dependence import SMALL_BASE_DEALS, SMALL_BASE_TIV
from armatlas.analysis.entities import entity
from armatlas.analysis.periods import Period, check_within, latest_period, parse_period
from armatlas.analysis.pipeline import pipeline
from armatlas.errors import QueryError
from armatlas.results import TIV_UNIT, CompositeResult, TableResult
from armatlas.summaries import CutoffSummary, PipelineSummary, PipelineUnavailable


def _deliveries(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, importer_id: str, window: Period
) -> list[dict]:
    """The importer's delivered TIV in the window per supplier and category."""
    info = slices.names(con, ctx)
    rows = (f for f in slices.flows(con, ctx, [importer_id], [window]) if f.recipient_id == importer_id)
    g = slices.grouped(rows, [window], lambda f: (f.category, f.supplier_id))[window.label]
    out = [
        {
            "category": cat,
            "supplier_id": sup,
            "supplier": info.get(sup, (sup, ""))[0],
            "tiv": s.tiv,
            "deals": s.deals,
            "estimated_tiv": s.estimated_tiv or 0.0,
        }
        for (cat, sup), s in g.items()
    ]
    return sorted(out, key=lambda r: (r["category"], -r["tiv"], r["supplier"], r["supplier_id"]))


def _by_category(rows: list[dict], cut: set[str]) -> list[dict]:
    cats: dict[str, dict] = {}
    for r in rows:
        c = cats.setdefault(
            r["category"],
            {
                "category": r["category"],
                "tiv": 0.0,
                "lost_tiv": 0.0,
                "deals": 0,
                "lost_deals": 0,
                "remaining_suppliers": [],
            },
        )
        c["tiv"] += r["tiv"]
        c["deals"] += r["deals"]
        if r["supplier_id"] in cut:
            c["lost_tiv"] += r["tiv"]
            c["lost_deals"] += r["deals"]
        elif r["tiv"] > 0:
            c["remaining_suppliers"].append(r["supplier"])
    out = []
    for c in cats.values():
        c["share_lost"] = c["lost_tiv"] / c["tiv"] if c["tiv"] else None
        c["remaining_suppliers"] = ", ".join(c["remaining_suppliers"])
        c["small_base"] = c["deals"] < SMALL_BASE_DEALS or c["tiv"] < SMALL_BASE_TIV
        out.append(c)
    return sorted(out, key=lambda c: (-c["lost_tiv"], c["category"]))


def _alternatives(rows: list[dict], cats: list[dict], cut: set[str]) -> list[dict]:
    """Remaining suppliers of every category the cut-off hits, with their TIV in the window."""
    hit = {c["category"]: c["tiv"] for c in cats if c["lost_tiv"] > 0}
    return [
        {
            "category": r["category"],
            "supplier_id": r["supplier_id"],
            "supplier": r["supplier"],
            "tiv": r["tiv"],
            "deals": r["deals"],
            "share_of_category": r["tiv"] / hit[r["category"]] if hit[r["category"]] else None,
        }
        for r in rows
        if r["category"] in hit and r["supplier_id"] not in cut and r["tiv"] > 0
    ]


def _pipeline_part(
    con: duckdb.DuckDBPyConnection,
    importer_id: str,
    cut: set[str],
    release: str | ReleaseContext,
    pipe: TableResult[PipelineSummary | PipelineUnavailable] | None = None,
) -> tuple[list[dict], dict, list[str]]:
    pipe = pipe if pipe is not None else pipeline(con, importer=importer_id, release=release)
    if not pipe.summary.available:
        return (
            [],
            {"pipeline_tiv": None, "pipeline_lost_tiv": None, "pipeline_share_lost": None},
            [f"pipeline: {w}" for w in pipe.warnings],
        )
    cats: dict[str, dict] = {}
    for r in pipe.rows:
        if r["selected_only"]:
            continue  # selected, not yet ordered: not part of the pipeline's headline
        c = cats.setdefault(
            r["category"], {"category": r["category"], "outstanding_tiv": 0.0, "lost_tiv": 0.0}
        )
        c["outstanding_tiv"] += r["outstanding_tiv"] or 0.0
        if r["supplier_id"] in cut:
            c["lost_tiv"] += r["outstanding_tiv"] or 0.0
    for c in cats.values():
        c["share_lost"] = c["lost_tiv"] / c["outstanding_tiv"] if c["outstanding_tiv"] else None
    total = sum(c["outstanding_tiv"] for c in cats.values())
    lost = sum(c["lost_tiv"] for c in cats.values())
    warns = [f"pipeline: {w}" for w in pipe.warnings]
    return (
        sorted(cats.values(), key=lambda c: (-c["lost_tiv"], c["category"])),
        {
            "pipeline_tiv": total,
            "pipeline_lost_tiv": lost,
            "pipeline_share_lost": lost / total if total else None,
        },
        warns,
    )


def _table(rows: list[dict], columns: dict[str, str]) -> frame.Frame:
    return frame.from_rows(rows, columns)


_CAT_COLS = {
    "category": frame.STRING,
    "tiv": frame.FLOAT64,
    "lost_tiv": frame.FLOAT64,
    "share_lost": frame.FLOAT64,
    "deals": frame.INT64,
    "lost_deals": frame.INT64,
    "remaining_suppliers": frame.STRING,
    "small_base": frame.BOOL,
}
_ALT_COLS = {
    "category": frame.STRING,
    "supplier_id": frame.STRING,
    "supplier": frame.STRING,
    "tiv": frame.FLOAT64,
    "deals": frame.INT64,
    "share_of_category": frame.FLOAT64,
}
_PIPE_COLS = {
    "category": frame.STRING,
    "outstanding_tiv": frame.FLOAT64,
    "lost_tiv": frame.FLOAT64,
    "share_lost": frame.FLOAT64,
}


def cutoff(
    con: duckdb.DuckDBPyConnection,
    importer: str,
    suppliers: Sequence[str],
    *,
    window: str | Period | None = None,
    release: str | ReleaseContext | None = None,
    pipeline_result: TableResult[PipelineSummary | PipelineUnavailable] | None = None,
) -> CompositeResult[CutoffSummary]:
    """Share of an importer's deliveries (window) and pipeline that the given suppliers carry.

    `pipeline_result` lets a caller that already computed the importer's pipeline on the same
    release (the country profile) pass it in instead of computing it twice.
    """
    if isinstance(suppliers, str):
        suppliers = [suppliers]
    if not suppliers:
        raise QueryError("A cut-off needs at least one supplier", hint="Pass --supplier NAME (repeatable).")
    imp = entity(importer)
    cut_entities = [entity(s) for s in suppliers]
    cut = {e.entity_id for e in cut_entities}
    if imp.entity_id in cut:
        raise QueryError(f"{imp.name} cannot cut itself off", value=importer)
    ctx = release_context(con, release)
    ctx.require_register()
    win = parse_period(window) if window else latest_period(ctx.last_year)
    check_within(win, ctx.first_year, ctx.last_year, f"release {ctx.release}")
    rows = _deliveries(con, ctx, imp.entity_id, win)
    cats = _by_category(rows, cut)
    total = sum(r["tiv"] for r in rows)
    lost = sum(r["tiv"] for r in rows if r["supplier_id"] in cut)
    deals = sum(r["deals"] for r in rows)
    pipe_cats, pipe_sum, pipe_warn = _pipeline_part(con, imp.entity_id, cut, ctx.release, pipeline_result)
    warnings = list(pipe_warn)
    if deals < SMALL_BASE_DEALS or total < SMALL_BASE_TIV:
        warnings.append(
            f"small base: {imp.name} received {total:.0f} TIV in {deals} deals in {win}; shares are fragile"
        )
    delivered_from = {r["supplier_id"] for r in rows}
    missing = sorted(e.name for e in cut_entities if e.entity_id not in delivered_from)
    if missing:
        warnings.append(f"no deliveries to {imp.name} in {win} from: {', '.join(missing)}")
    est = sum(r["estimated_tiv"] for r in rows)
    summary = CutoffSummary(
        importer_id=imp.entity_id,
        importer=imp.name,
        window=win.label,
        suppliers=sorted(cut),
        supplier_names=sorted({e.name for e in cut_entities}),
        delivered_tiv=total,
        lost_tiv=lost,
        share_lost=lost / total if total else None,
        deals=deals,
        categories_hit=sum(1 for c in cats if c["lost_tiv"] > 0),
        categories_without_alternative=[
            c["category"] for c in cats if c["lost_tiv"] > 0 and not c["remaining_suppliers"]
        ],
        **pipe_sum,
    )
    prov = ctx.provenance("register deliveries and orders", estimated_share=est / total if total else None)
    params = {
        "importer": imp.entity_id,
        "suppliers": sorted(cut),
        "window": win.label,
        "release": ctx.release,
    }
    units = {"tiv": TIV_UNIT, "lost_tiv": TIV_UNIT, "outstanding_tiv": TIV_UNIT}
    parts: dict[str, TableResult] = {
        "categories": TableResult("cutoff_categories", _table(cats, _CAT_COLS), prov, params, units),
        "alternatives": TableResult(
            "cutoff_alternatives", _table(_alternatives(rows, cats, cut), _ALT_COLS), prov, params, units
        ),
        "pipeline": TableResult("cutoff_pipeline", _table(pipe_cats, _PIPE_COLS), prov, params, units),
    }
    return CompositeResult("cutoff", parts, prov, params, summary, warnings)
