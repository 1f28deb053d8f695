"""A Global Militarisation Index that follows BICC's method, on public data, beside BICC's own.

BICC's GMI (https://gmi.bicc.de, methodology): six indicators, each put on a log scale,
log10(1 + x) with shares in per cent and ratios as they are, and min-max normalised across
all countries *and all years*, weighted and summed:

    indicator               weight  armatlas source
    milex_gdp                 5     SIPRI military expenditure, share of GDP
    milex_health              3     SIPRI share of GDP / World Bank SH.XPD.CHEX.GD.ZS
    personnel_pop             4     World Bank MS.MIL.TOTL.P1 / SP.POP.TOTL
    reserves_pop              2     missing: reserves (IISS, not public)
    personnel_physicians      2     MS.MIL.TOTL.P1 / (SH.MED.PHYS.ZS per 1,000 x population)
    heavy_weapons_pop         4     missing: heavy-weapons holdings (IISS, not public)

A missing value is carried forward from the last of the three previous years (BICC's rule);
weights are never renormalised per country: a country without every indicator the year's
index uses gets no score. A year's index uses the indicators that cover at least half of the
countries; when personnel are not among them (the World Bank vintage here ends in 2016, so
from 2020 on) the index is a military-burden index and says so. Sub-indicators are on
BICC's scale: spending = 5 n(milex_gdp) + 3 n(milex_health), personnel = 4 n(personnel_pop)
+ 2 n(personnel_physicians) (BICC's also holds reserves, 2 points). The composite is the sum
of the used indicators' weighted values over their weights, x 1,000.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

import duckdb
import numpy as np

from armatlas.analysis.counting import STATE_SQL

WEIGHTS = {
    "milex_gdp": 5.0,
    "milex_health": 3.0,
    "personnel_pop": 4.0,
    "reserves_pop": 2.0,
    "personnel_physicians": 2.0,
    "heavy_weapons_pop": 4.0,
}
COMPUTED = ("milex_gdp", "milex_health", "personnel_pop", "personnel_physicians")
NOT_PUBLIC = {
    "reserves_pop": "reserve personnel (IISS Military Balance, not public)",
    "heavy_weapons_pop": "heavy-weapons holdings (IISS / UN Register, not public)",
}
SUB_INDICATORS = {
    "spending": ("milex_gdp", "milex_health"),
    "personnel": ("personnel_pop", "personnel_physicians"),
}
CODES = {
    "health": "SH.XPD.CHEX.GD.ZS",
    "pop": "SP.POP.TOTL",
    "personnel": "MS.MIL.TOTL.P1",
    "physicians": "SH.MED.PHYS.ZS",
}
# log10(1 + x) depends on the unit: shares in per cent (of GDP, of the population), ratios as
# they are. Measured against BICC's published sub-indicators for 2017 (Spearman): spending
# 0.987 in these units against 0.973 with plain log10, personnel 0.889 against 0.813; with
# shares as fractions (log10(1 + x) ~ x) 0.933 and 0.658.
UNIT_SCALE = {"milex_gdp": 100.0, "milex_health": 1.0, "personnel_pop": 100.0, "personnel_physicians": 1.0}
CARRY_YEARS = 3  # BICC carries a value forward for up to three years
FIRST_YEAR = 1990  # BICC's GMI starts in 1990: the normalisation spans 1990 onwards
MIN_COVERAGE = 0.5


@dataclass
class Panel:
    """Indicator values: (countries, years, indicators), NaN = missing after carry-forward."""

    entity_ids: list[str]
    names: list[str]
    years: list[int]
    values: np.ndarray


def _series(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str], list[int], dict[str, np.ndarray]]:
    """Raw series per state and year: SIPRI share of GDP and the World Bank codes (newest vintage)."""
    milex = con.execute(
        f"""SELECT m.entity_id, e.name, m.year, m.value FROM milex m JOIN entity e USING (entity_id)
            WHERE m.measure = 'share_gdp' AND m.value IS NOT NULL AND {STATE_SQL}
              AND m.snapshot_id = (SELECT max(snapshot_id) FROM snapshot WHERE source = 'sipri_milex')"""
    ).fetchall()
    ids = sorted({r[0] for r in milex})
    names = dict((r[0], r[1]) for r in milex)
    hi = max(r[2] for r in milex)
    years = list(range(FIRST_YEAR - CARRY_YEARS, hi + 1))
    pos, ypos = {e: i for i, e in enumerate(ids)}, {y: j for j, y in enumerate(years)}
    out = {k: np.full((len(ids), len(years)), np.nan) for k in ("milex", *CODES)}
    for e, _n, y, v in milex:
        if y in ypos:
            out["milex"][pos[e], ypos[y]] = v
    for key, code in CODES.items():
        for e, y, v in con.execute(
            """SELECT entity_id, year, value FROM indicator WHERE code = ? AND snapshot_id =
                   (SELECT max(snapshot_id) FROM snapshot WHERE selection = ?)""",
            [code, code],
        ).fetchall():
            if e in pos and y in ypos:
                out[key][pos[e], ypos[y]] = v
    return ids, [names[e] for e in ids], years, out


def carry_forward(a: np.ndarray, years: int = CARRY_YEARS) -> np.ndarray:
    """Fill a gap with the last value of the previous `years` years (along axis 1)."""
    out = a.copy()
    for j in range(1, a.shape[1]):
        for back in range(1, years + 1):
            if j - back < 0:
                break
            gap = np.isnan(out[:, j]) & ~np.isnan(a[:, j - back])
            out[gap, j] = a[gap, j - back]
    return out


def build_panel(con: duckdb.DuckDBPyConnection) -> Panel:
    ids, names, years, raw = _series(con)
    s = {k: carry_forward(v) for k, v in raw.items()}
    with np.errstate(divide="ignore", invalid="ignore"):
        vals = {
            "milex_gdp": s["milex"],
            "milex_health": s["milex"] / (s["health"] / 100.0),  # WB health spending is in % of GDP
            "personnel_pop": s["personnel"] / s["pop"],
            "personnel_physicians": s["personnel"] / (s["physicians"] / 1000.0 * s["pop"]),
        }
    keep = [j for j, y in enumerate(years) if y >= FIRST_YEAR]
    cube = np.stack([vals[k][:, keep] for k in COMPUTED], axis=2)
    return Panel(ids, names, [years[j] for j in keep], cube)


def normalise_all_years(cube: np.ndarray) -> np.ndarray:
    """log10(1 + x), x in BICC's units, then min-max per indicator across all countries and years."""
    scale = np.array([UNIT_SCALE[k] for k in COMPUTED])
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log10(1.0 + cube * scale)
    flat = logs.reshape(-1, logs.shape[2])
    lo, hi = np.nanmin(flat, axis=0), np.nanmax(flat, axis=0)
    return (logs - lo) / np.where(hi > lo, hi - lo, 1.0)


class YearScores(TypedDict):
    """One year's index, per country in panel order (NaN where a country is not scored)."""

    used: list[str]  # indicators with enough coverage this year
    composite: np.ndarray
    subs: dict[str, np.ndarray]  # BICC sub-indicator -> scores
    complete: np.ndarray  # bool: the country has every indicator used
    raw: np.ndarray  # country x indicator values of the year


def year_scores(panel: Panel, year: int) -> YearScores:
    """One year's index: indicators used, per-country sub-indicators and composite (None = incomplete)."""
    norm = normalise_all_years(panel.values)
    j = panel.years.index(year)
    have = ~np.isnan(norm[:, j, :])
    with_milex = have[:, 0]
    coverage = have[with_milex].mean(axis=0) if with_milex.any() else np.zeros(len(COMPUTED))
    used = [k for k, c in zip(COMPUTED, coverage, strict=True) if c >= MIN_COVERAGE]
    idx = [COMPUTED.index(k) for k in used]
    w = np.array([WEIGHTS[k] for k in used])
    complete = have[:, idx].all(axis=1)
    weighted = np.nan_to_num(norm[:, j, :]) * np.array([WEIGHTS[k] for k in COMPUTED])
    composite = np.where(complete, weighted[:, idx].sum(axis=1) / w.sum() * 1000.0, np.nan)
    subs = {
        name: np.where(
            have[:, [COMPUTED.index(k) for k in ks]].all(axis=1),
            weighted[:, [COMPUTED.index(k) for k in ks]].sum(axis=1),
            np.nan,
        )
        for name, ks in SUB_INDICATORS.items()
    }
    return YearScores(used=used, composite=composite, subs=subs, complete=complete, raw=panel.values[:, j, :])


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman rank correlation: Pearson on average ranks (ties share their mean rank)."""
    return float(np.corrcoef(average_ranks(a), average_ranks(b))[0, 1])


def average_ranks(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="stable")
    r = np.empty(len(x))
    r[order] = np.arange(1, len(x) + 1)
    for v in np.unique(x):
        tie = x == v
        if tie.sum() > 1:
            r[tie] = r[tie].mean()
    return r
