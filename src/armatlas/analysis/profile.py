"""The country profile: one call that gathers every trade analysis for one country."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import duckdb

from armatlas import frame
from armatlas.analysis.context import release_context
from armatlas.analysis.cutoff import cutoff
from armatlas.analysis.dependence import dependence, resolve_periods
from armatlas.analysis.entities import entity
from armatlas.analysis.exports import exports
from armatlas.analysis.flows import entity_annual
from armatlas.analysis.industry import industry
from armatlas.analysis.periods import Period, parse_period
from armatlas.analysis.pipeline import pipeline
from armatlas.results import TIV_UNIT, CompositeResult, TableResult
from armatlas.summaries import EntityRef, ProfileSummary, SpendingSummary, Unavailable

HISTORY_YEARS = 20


def annual_flows(con: duckdb.DuckDBPyConnection, entity_id: str, ctx, years: range) -> frame.Frame:
    """Imports and exports per year for one entity (None where nothing was delivered)."""
    out: dict[str, list[Any]] = {
        "year": list(years),
        "imports": [None] * len(years),
        "exports": [None] * len(years),
    }
    for direction, col in (("import", "imports"), ("export", "exports")):
        by_year = entity_annual(con, ctx, direction, entity_id)
        out[col] = [by_year.get(y) for y in years]
    return frame.table(out, {"year": frame.INT32, "imports": frame.FLOAT64, "exports": frame.FLOAT64})


def profile(
    con: duckdb.DuckDBPyConnection,
    country: str,
    *,
    period: str | Period | None = None,
    release: str | None = None,
) -> CompositeResult[ProfileSummary]:
    ent = entity(country)
    ctx = release_context(con, release)
    last = parse_period(period) if period else None
    ps = resolve_periods(ctx, None, latest=last)
    years = range(max(ctx.first_year, ctx.last_year - HISTORY_YEARS + 1), ctx.last_year + 1)
    # Sections run one after another on this connection: the server already runs one analysis
    # per core, so threads here gave the same wall time for ~65% more CPU.
    dep = dependence(con, ent.entity_id, periods=ps, release=ctx)
    exp = exports(con, ent.entity_id, periods=ps, release=ctx)
    flows = annual_flows(con, ent.entity_id, ctx, years)
    pipe = pipeline(con, importer=ent.entity_id, release=ctx)
    spend = _spending_section(con, ent.entity_id, ctx.content)
    ind = industry(con, ent.entity_id, release=ctx)
    basis = "publisher TIV tables" if ctx.totals_basis == "tables" else "register deliveries"
    prov = ctx.provenance(
        f"annual totals from {basis}; bilateral figures from the register",
        estimated_share=dep.provenance.estimated_share,
    )
    parts: dict[str, TableResult] = {
        "flows": TableResult("profile.flows", flows, prov, units={"imports": TIV_UNIT, "exports": TIV_UNIT})
    }
    parts.update({f"dependence.{k}": v for k, v in dep.parts.items()})
    parts.update({f"exports.{k}": v for k, v in exp.parts.items()})
    parts["pipeline"] = pipe
    top = dep.summary.latest.top_supplier_id
    cut = cutoff(con, ent.entity_id, [top], window=ps[-1], release=ctx, pipeline_result=pipe) if top else None
    if cut is not None:
        parts["cutoff.categories"] = cut["categories"]
    if spend is not None and not isinstance(spend, str):
        parts["spending.series"] = spend["series"]
        parts["spending.growth"] = spend["growth"]
    parts.update({f"industry.{k}": v for k, v in ind.parts.items() if k != "personnel" or len(v)})
    summary = ProfileSummary(
        entity=EntityRef(
            entity_id=ent.entity_id,
            name=ent.name,
            iso3=ent.iso3,
            kind=ent.kind,
            region=ent.region,
            subregion=ent.subregion,
        ),
        periods=[p.label for p in ps],
        dependence=dep.summary,
        exports=exp.summary,
        pipeline=pipe.summary,
        cutoff=cut.summary if cut is not None else None,
        spending=spend.summary if not isinstance(spend, str) else Unavailable(unavailable=spend),
        industry=replace(ind.summary, entity=None),
    )
    return CompositeResult(
        "profile",
        parts,
        prov,
        params={"country": ent.entity_id, "period": ps[-1].label, "release": ctx.release},
        summary=summary,
        warnings=dep.warnings + exp.warnings + pipe.warnings,
    )


def _spending_section(
    con: duckdb.DuckDBPyConnection, entity_id: str, content: str
) -> CompositeResult[SpendingSummary] | str:
    """The country's military spending, or why there is none (no workbook ingested, no figures)."""
    from armatlas.analysis.spending import spending
    from armatlas.errors import NoDataError

    try:
        return spending(con, entity_id, content=content or None)
    except NoDataError as exc:
        return exc.message
