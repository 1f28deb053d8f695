"""A military-burden index: BICC's Global Militarisation Index (GMI) method on its two spending
indicators only (8 of 20 weight points), in plain view. `gmi.py` is the index that follows
BICC with personnel, all-years normalisation and carry-forward.

Method (BICC): each indicator is log10-transformed, min-max normalised across the countries
of the year, weighted, summed, and the sum scaled to 0-1,000 (min-max again). Default
weights are BICC's. Only indicators the stored data support are computed; the others are
reported as missing for every country, never invented:

    milex_gdp            military expenditure / GDP                SIPRI share of GDP      used
    milex_health         military exp. / health exp. = share of GDP / WB SH.XPD.CHEX.GD.ZS   used
    personnel_pop        military personnel / population           not in the data         missing
    reserves_pop         reserves / population                     not in the data         missing
    personnel_physicians personnel / physicians                    no personnel data       missing
    heavy_weapons_pop    heavy weapons / population                not in the data         missing

Weights are renormalised over the indicators a country has (so a country without health
data is scored on spending/GDP alone, and says so). Ranks are 1 = most militarised.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from armatlas import columnar
from armatlas.analysis.counting import STATE_SQL
from armatlas.analysis.spending import spending_provenance
from armatlas.errors import NoDataError, QueryError
from armatlas.results import TableResult
from armatlas.store.releases import newest_sql
from armatlas.summaries import MilitarisationSummary, SensitivitySummary

DEFAULT_WEIGHTS: dict[str, float] = {
    "milex_gdp": 5,
    "milex_health": 3,
    "personnel_pop": 4,
    "reserves_pop": 2,
    "personnel_physicians": 2,
    "heavy_weapons_pop": 4,
}
AVAILABLE = ("milex_gdp", "milex_health")
MISSING_WHY = {
    "personnel_pop": "no military personnel data in the store",
    "reserves_pop": "no reserve personnel data in the store",
    "personnel_physicians": "no military personnel data in the store (physicians are)",
    "heavy_weapons_pop": "no heavy-weapons holdings data in the store",
}
HEALTH_CODE = "SH.XPD.CHEX.GD.ZS"


@dataclass
class IndicatorMatrix:
    """Raw indicator values for one year: countries x available indicators, NaN = missing."""

    year: int
    entity_ids: list[str]
    names: list[str]
    indicators: tuple[str, ...]
    values: np.ndarray


def scores(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """GMI scores (0-1,000) for a countries x indicators matrix (NaN = missing) and weights.

    weights may be one vector (k,) or many draws (d, k); the result is (c,) or (c, d).
    """
    norm, mask = normalise(values)
    w = np.atleast_2d(np.asarray(weights, dtype=float))
    den = mask @ w.T
    s = (np.nan_to_num(norm) @ w.T) / np.where(den > 0, den, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo, hi = np.nanmin(s, axis=0), np.nanmax(s, axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    out = 1000.0 * (s - lo) / span
    return out[:, 0] if np.ndim(weights) == 1 else out


def normalise(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log10, then min-max per indicator across countries; (normalised, availability mask)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(values > 0, np.log10(np.where(values > 0, values, 1.0)), np.nan)
    mask = (~np.isnan(logs)).astype(float)
    with warnings.catch_warnings():  # an indicator with no data that year stays all-NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        lo, hi = np.nanmin(logs, axis=0), np.nanmax(logs, axis=0)
    span = np.where(hi > lo, hi - lo, 1.0)
    return (logs - lo) / span, mask


def ranks(s: np.ndarray) -> np.ndarray:
    """1 = highest score, per column; NaN scores rank last."""
    order = np.argsort(-np.nan_to_num(s, nan=-np.inf), axis=0, kind="stable")
    r = np.empty_like(order)
    idx = np.arange(s.shape[0])[:, None] if s.ndim == 2 else np.arange(s.shape[0])
    if s.ndim == 2:
        np.put_along_axis(r, order, np.broadcast_to(idx, order.shape), axis=0)
    else:
        r[order] = idx
    return r + 1


def parse_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Defaults overridden by the caller's; unknown names and negatives are errors."""
    w = dict(DEFAULT_WEIGHTS)
    for k, v in (weights or {}).items():
        if k not in DEFAULT_WEIGHTS:
            raise QueryError(f"Unknown indicator {k!r}", value=k, hint="Known: " + ", ".join(DEFAULT_WEIGHTS))
        if not v >= 0:
            raise QueryError("Weights must be >= 0", value=f"{k}={v}")
        w[k] = float(v)
    if sum(w[k] for k in AVAILABLE) <= 0:
        raise QueryError("Every available indicator has weight 0", value=w)
    return w


def indicator_matrix(con: duckdb.DuckDBPyConnection, year: int | None = None) -> IndicatorMatrix:
    """SIPRI share of GDP and WB health spending for one year, one row per country with milex."""
    from armatlas.analysis.spending import milex_snapshot

    milex_snapshot(con)  # a clear NoDataError on a store without the workbook (no milex table yet)
    year = year if year is not None else default_year(con)
    rows = con.execute(
        f"""
        WITH h AS (SELECT entity_id, value FROM indicator
                   WHERE code = ? AND year = ? AND snapshot_id = {newest_sql("selection = ?")})
        SELECT m.entity_id, coalesce(e.name, m.name), m.value, h.value
        FROM milex m LEFT JOIN h USING (entity_id) LEFT JOIN entity e USING (entity_id)
        WHERE m.measure = 'share_gdp' AND m.year = ? AND m.value IS NOT NULL AND {STATE_SQL}
          AND m.snapshot_id = {newest_sql("source = 'sipri_milex'")}
        ORDER BY m.entity_id
        """,
        [HEALTH_CODE, year, HEALTH_CODE, year],
    ).fetchall()
    if not rows:
        raise NoDataError(
            f"No SIPRI share-of-GDP figures for {year}",
            hint="Ingest the SIPRI milex workbook, or choose another --year",
        )
    milex = np.array([r[2] for r in rows], dtype=float)
    # WB health spending is in per cent of GDP, SIPRI's share is a fraction: convert once here.
    health = np.array([np.nan if r[3] is None else r[3] / 100.0 for r in rows], dtype=float)
    return IndicatorMatrix(
        year, [r[0] for r in rows], [r[1] for r in rows], AVAILABLE, np.column_stack([milex, milex / health])
    )


def default_year(con: duckdb.DuckDBPyConnection) -> int:
    """Newest year where health data cover at least 90 % of the countries with milex/GDP."""
    rows = con.execute(
        """SELECT m.year, count(*), count(i.value) FROM milex m
           LEFT JOIN indicator i ON i.entity_id = m.entity_id AND i.year = m.year AND i.code = ?
           WHERE m.measure = 'share_gdp' AND m.value IS NOT NULL GROUP BY 1 ORDER BY 1 DESC""",
        [HEALTH_CODE],
    ).fetchall()
    for year, n, nh in rows:
        if nh >= 0.9 * n:
            return int(year)
    if rows:
        return int(rows[0][0])
    raise NoDataError("No military expenditure in the store", hint="Run `armatlas ingest` on the workbook")


def militarisation(
    con: duckdb.DuckDBPyConnection,
    year: int | None = None,
    weights: Mapping[str, float] | None = None,
    top: int | None = None,
) -> TableResult[MilitarisationSummary]:
    """Scores, ranks and the indicators used/missing for each country in one year."""
    w = parse_weights(weights)
    m = indicator_matrix(con, year)
    wv = np.array([w[k] for k in m.indicators])
    s = scores(m.values, wv)
    r = ranks(s)
    avail = ~np.isnan(m.values) & (m.values > 0)
    missing_all = [k for k in DEFAULT_WEIGHTS if k not in m.indicators]
    used = [",".join(k for k, a in zip(m.indicators, row, strict=True) if a) for row in avail]
    miss = [
        ",".join([k for k, a in zip(m.indicators, row, strict=True) if not a] + missing_all) for row in avail
    ]
    order = np.argsort(r)
    if top:
        order = order[:top]
    table = columnar.table(
        {
            "rank": columnar.column(r[order], pa.int32()),
            "entity_id": [m.entity_ids[i] for i in order],
            "name": [m.names[i] for i in order],
            "score": s[order],
            "milex_gdp": m.values[order, 0],
            "milex_health": m.values[order, 1],
            "indicators_used": [used[i] for i in order],
            "indicators_missing": [miss[i] for i in order],
            "complete": [bool(avail[i].all()) for i in order],
        }
    )
    used_w = {k: w[k] for k in m.indicators}
    total = sum(used_w.values())
    return TableResult(
        kind="militarisation",
        data=table,
        provenance=spending_provenance(con, ["sipri_milex", HEALTH_CODE], basis="BICC GMI method"),
        params={"year": m.year, "weights": w, "top": top},
        units={
            "score": "military-burden index 0-1,000 (BICC GMI method, 2 of its 6 indicators)",
            "milex_gdp": "fraction of GDP",
            "milex_health": "ratio of military to health spending",
        },
        warnings=[f"{k} missing for every country: {MISSING_WHY[k]}" for k in missing_all],
        summary=MilitarisationSummary(
            year=m.year,
            countries=len(m.entity_ids),
            effective_weights={k: v / total for k, v in used_w.items()},
            weights_renormalised_over=list(m.indicators),
            incomplete_countries=int((~avail.all(axis=1)).sum()),
        ),
    )


def sensitivity(
    con: duckdb.DuckDBPyConnection,
    year: int | None = None,
    weights: Mapping[str, float] | None = None,
    *,
    n_draws: int = 10_000,
    concentration: float = 20.0,
    seed: int | None = 0,
    top_n: int = 10,
) -> TableResult[SensitivitySummary]:
    """Rank robustness under Dirichlet weight draws centred on the weights.

    alpha = concentration x (weights / sum): larger concentration = draws closer to the
    defaults. Reported per country: median rank, 5th-95th percentile, share of draws in top N.
    """
    w = parse_weights(weights)
    m = indicator_matrix(con, year)
    return _sensitivity_table(con, m, w, n_draws, concentration, seed, top_n)


def draw_weights(w: np.ndarray, n_draws: int, concentration: float, seed: int | None) -> np.ndarray:
    """(n_draws, k) Dirichlet weight vectors around w (zero weights stay zero)."""
    if concentration <= 0:
        raise QueryError("concentration must be > 0", value=concentration)
    rng = np.random.default_rng(seed)
    pos = w > 0
    out = np.zeros((n_draws, len(w)))
    out[:, pos] = rng.dirichlet(concentration * w[pos] / w[pos].sum(), size=n_draws)
    return out


def _sensitivity_table(
    con: duckdb.DuckDBPyConnection,
    m: IndicatorMatrix,
    w: dict[str, float],
    n_draws: int,
    concentration: float,
    seed: int | None,
    top_n: int,
) -> TableResult:
    wv = np.array([w[k] for k in m.indicators])
    draws = draw_weights(wv, n_draws, concentration, seed)
    r = ranks(scores(m.values, draws))  # (countries, draws)
    base = ranks(scores(m.values, wv))
    p5, med, p95 = np.percentile(r, [5, 50, 95], axis=1)
    top_share = (r <= top_n).mean(axis=1)
    order = np.argsort(base)
    table = columnar.table(
        {
            "rank": columnar.column(base[order], pa.int32()),
            "entity_id": [m.entity_ids[i] for i in order],
            "name": [m.names[i] for i in order],
            "rank_median": med[order],
            "rank_p05": p5[order],
            "rank_p95": p95[order],
            f"share_top{top_n}": top_share[order],
        }
    )
    return TableResult(
        kind="militarisation_sensitivity",
        data=table,
        provenance=spending_provenance(con, ["sipri_milex", HEALTH_CODE], basis="BICC GMI method"),
        params={
            "year": m.year,
            "weights": w,
            "n_draws": n_draws,
            "concentration": concentration,
            "seed": seed,
            "top_n": top_n,
        },
        units={"rank_median": "rank (1 = most militarised)", f"share_top{top_n}": "fraction of draws"},
        warnings=[f"only {', '.join(m.indicators)} vary; the other indicators are missing"],
        summary=SensitivitySummary(year=m.year, countries=len(m.entity_ids), n_draws=n_draws),
    )
