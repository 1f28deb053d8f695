"""Check our expenditure component against BICC's published `milex_indicator`, year by year.

BICC's file here is a third-party compilation (GMI columns joined with World Risk Index
columns); only the GMI columns are read. Countries are matched through the reviewed
`bicc_gmi` aliases (ISO3 codes), never by fuzzy names.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import numpy as np

from armatlas import columnar
from armatlas.analysis.militarisation import indicator_matrix, normalise
from armatlas.analysis.spending import spending_provenance
from armatlas.entities.register import load_register
from armatlas.errors import LayoutError, NoDataError, UnknownEntityError
from armatlas.results import TableResult
from armatlas.summaries import ValidationSummary

GMI_COLUMNS = ("iso3", "year", "gmi_score", "milex_indicator", "gmi_rank")
COMPONENT_WEIGHTS = {"milex_gdp": 5.0, "milex_health": 3.0}


def read_bicc(path: str | Path) -> dict[int, dict[str, float]]:
    """year -> entity_id -> BICC milex_indicator (GMI columns only; WRI columns ignored)."""
    path = Path(path)
    reg = load_register()
    out: dict[int, dict[str, float]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or not set(GMI_COLUMNS) <= set(reader.fieldnames):
            raise LayoutError("Not a BICC GMI table", file=path.name, value=reader.fieldnames)
        for line, r in enumerate(reader, start=2):
            if not r["milex_indicator"]:
                continue
            eid = reg.resolve(r["iso3"], "bicc_gmi", file=path.name, line=line, column="iso3")
            out.setdefault(int(r["year"]), {})[eid] = float(r["milex_indicator"])
    return out


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman rank correlation: Pearson on average ranks (pandas ranks; no scipy needed)."""
    import pandas as pd

    ra = pd.Series(a).rank(method="average").to_numpy()
    rb = pd.Series(b).rank(method="average").to_numpy()
    return float(np.corrcoef(ra, rb)[0, 1])


def expenditure_component(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, float]:
    """Our weighted expenditure component (spending/GDP 5, spending/health 3) for one year."""
    m = indicator_matrix(con, year)
    norm, mask = normalise(m.values)
    w = np.array([COMPONENT_WEIGHTS[k] for k in m.indicators])
    comp = (np.nan_to_num(norm) @ w) / (mask @ w)
    complete = np.asarray(mask.all(axis=1))  # BICC's component needs both; compare like with like
    return {e: float(c) for e, c, ok in zip(m.entity_ids, comp, complete, strict=True) if ok}


def validate(
    con: duckdb.DuckDBPyConnection, bicc_path: str | Path, years: range | None = None
) -> TableResult[ValidationSummary]:
    """Per year: countries matched and Spearman correlation of ours vs BICC's milex indicator."""
    bicc = read_bicc(bicc_path)
    years = years or range(min(bicc), max(bicc) + 1)
    out: dict[str, list] = {"year": [], "countries": [], "spearman": []}
    for y in years:
        if y not in bicc:
            continue
        try:
            ours = expenditure_component(con, y)
        except NoDataError:
            continue
        common = sorted(set(ours) & set(bicc[y]))
        if len(common) < 10:
            continue
        out["year"].append(y)
        out["countries"].append(len(common))
        out["spearman"].append(
            spearman(np.array([ours[e] for e in common]), np.array([bicc[y][e] for e in common]))
        )
    if not out["year"]:
        raise NoDataError("No year with both our component and BICC's indicator")
    rho = np.array(out["spearman"])
    prov = spending_provenance(con, ["sipri_milex", "SH.XPD.CHEX.GD.ZS"], basis="validation against BICC GMI")
    prov.notes.append(f"BICC GMI via third-party compilation: {Path(bicc_path).name}")
    return TableResult(
        "gmi_validation",
        columnar.table(out),
        prov,
        units={"spearman": "rank correlation, ours vs BICC milex_indicator"},
        summary=ValidationSummary(
            years=len(rho),
            median=float(np.median(rho)),
            min=float(rho.min()),
            min_year=int(out["year"][int(rho.argmin())]),
        ),
    )


__all__ = ["UnknownEntityError", "read_bicc", "spearman", "validate"]
