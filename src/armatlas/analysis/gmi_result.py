"""The BICC-method index as a result: our scores beside BICC's, and how far their ranks agree."""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from armatlas import columnar
from armatlas.analysis.gmi import (
    COMPUTED,
    NOT_PUBLIC,
    WEIGHTS,
    Panel,
    YearScores,
    build_panel,
    spearman,
    year_scores,
)
from armatlas.analysis.spending import spending_provenance
from armatlas.errors import NoDataError, QueryError
from armatlas.results import TableResult
from armatlas.summaries import GmiAgreement, GmiSummary

TOP = 10  # countries compared at the top of both rankings (GmiAgreement.top10_shared)
BICC_COLUMNS = {"composite": "gmi_score", "spending": "milex_indicator", "personnel": "personnel_indicator"}


def _bicc(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, dict[str, float | None]]:
    """entity_id -> BICC's published values for the year ({} when BICC's table is not stored)."""
    if not con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'bicc_gmi'"
    ).fetchall()[0][0]:
        return {}
    rows = con.execute(
        """SELECT entity_id, gmi_score, milex_indicator, personnel_indicator, weapons_indicator, gmi_rank
           FROM bicc_gmi WHERE year = ? AND snapshot_id = (SELECT max(snapshot_id) FROM snapshot
                                                          WHERE source = 'bicc_gmi')""",
        [year],
    ).fetchall()
    keys = ("gmi_score", "milex_indicator", "personnel_indicator", "weapons_indicator", "gmi_rank")
    return {r[0]: dict(zip(keys, r[1:], strict=True)) for r in rows}


def _agreement(panel: Panel, ys: YearScores, bicc: dict) -> dict[str, GmiAgreement]:
    """Spearman rank correlation per indicator with BICC's, over countries both score."""
    ours = {"composite": ys["composite"], **ys["subs"]}
    out: dict[str, GmiAgreement] = {}
    for name, col in BICC_COLUMNS.items():
        pairs = [
            (ours[name][i], bicc[e][col], e)
            for i, e in enumerate(panel.entity_ids)
            if e in bicc and bicc[e][col] is not None and not np.isnan(ours[name][i])
        ]
        if len(pairs) < 10:
            out[name] = GmiAgreement(countries=len(pairs), spearman=None)
            continue
        a = np.array([(x, y) for x, y, _ in pairs])
        ids = np.array([e for *_, e in pairs])
        shared = set(ids[np.argsort(-a[:, 0], kind="stable")[:TOP]]) & set(
            ids[np.argsort(-a[:, 1], kind="stable")[:TOP]]
        )
        out[name] = GmiAgreement(
            countries=len(pairs), spearman=spearman(a[:, 0], a[:, 1]), top10_shared=len(shared)
        )
    return out


def _claim(used: list[str]) -> str:
    """What the year's index can and cannot claim."""
    missing = [k for k in WEIGHTS if k not in used]
    points = sum(WEIGHTS[k] for k in used)
    if "personnel_pop" not in used:
        return (
            f"A military-burden index: only {', '.join(used)} ({points:g} of BICC's 20 weight points). "
            "It ranks the weight of military spending, not militarisation: personnel, reserves and heavy "
            f"weapons ({', '.join(missing)}) are missing, so it cannot claim to rank countries as BICC's GMI does; "
            "compare it with BICC's spending sub-indicator, not with the GMI."
        )
    return (
        f"Follows BICC's GMI on {', '.join(used)} ({points:g} of 20 weight points); "
        f"{', '.join(missing)} are not public data and are missing for every country, so scores and ranks "
        "are an approximation of the GMI (BICC's own spending and personnel sub-indicators reach a rank "
        "correlation of about 0.83 with its full index)."
    )


def default_year(panel: Panel) -> int:
    """The newest year whose index uses every indicator armatlas can compute."""
    for y in reversed(panel.years):
        if year_scores(panel, y)["used"] == list(COMPUTED):
            return y
    return panel.years[-1]


def gmi(
    con: duckdb.DuckDBPyConnection, year: int | None = None, top: int | None = None
) -> TableResult[GmiSummary]:
    """BICC-method scores, sub-indicators and ranks for one year, beside BICC's own."""
    try:
        panel = build_panel(con)
    except (duckdb.CatalogException, ValueError):
        raise NoDataError(
            "The GMI needs the SIPRI milex workbook and World Bank indicators",
            hint="Run `armatlas ingest` on them (personnel: MS.MIL.TOTL.P1).",
        ) from None
    year = default_year(panel) if year is None else year
    if year not in panel.years:
        raise QueryError(
            f"No GMI year {year}",
            value=year,
            hint=f"Choose a year between {panel.years[0]} and {panel.years[-1]}.",
        )
    ys = year_scores(panel, year)
    bicc = _bicc(con, year)
    comp = ys["composite"]
    order = sorted(range(len(panel.entity_ids)), key=lambda i: (np.isnan(comp[i]), -np.nan_to_num(comp[i])))
    ranked = {i: k + 1 for k, i in enumerate(i for i in order if not np.isnan(comp[i]))}
    if top:
        order = order[:top]

    def val(x: float) -> float | None:
        return None if np.isnan(x) else float(x)

    b = [bicc.get(panel.entity_ids[i], {}) for i in order]
    table = columnar.table(
        {
            "rank": columnar.column([ranked.get(i) for i in order], pa.int32()),
            "entity_id": [panel.entity_ids[i] for i in order],
            "name": [panel.names[i] for i in order],
            "score": [val(comp[i]) for i in order],
            "spending": [val(ys["subs"]["spending"][i]) for i in order],
            "personnel": [val(ys["subs"]["personnel"][i]) for i in order],
            **{k: [val(ys["raw"][i, c]) for i in order] for c, k in enumerate(COMPUTED)},
            "bicc_score": [x.get("gmi_score") for x in b],
            "bicc_rank": [x.get("gmi_rank") for x in b],
            "bicc_spending": [x.get("milex_indicator") for x in b],
            "bicc_personnel": [x.get("personnel_indicator") for x in b],
        }
    )
    used = ys["used"]
    missing = {
        k: NOT_PUBLIC.get(
            k,
            "not covered this year (World Bank personnel vintage ends 2016; carried forward at most 3 years)",
        )
        for k in WEIGHTS
        if k not in used
    }
    warnings = [f"{k} missing: {why}" for k, why in missing.items()]
    if not bicc:
        warnings.append("BICC's GMI table is not in the store: no comparison (ingest gmi.bicc.de's CSV)")
    return TableResult(
        kind="gmi",
        data=table,
        provenance=spending_provenance(
            con,
            ["sipri_milex", "MS.MIL.TOTL.P1", "SH.MED.PHYS.ZS"],
            basis="BICC GMI method: log10, min-max over all years, BICC weights, 3-year carry-forward",
        ),
        params={"year": year, "top": top},
        units={
            "score": "index 0-1,000 over the indicators used",
            "spending": "BICC scale, 0-8",
            "personnel": "BICC scale without reserves, 0-6",
            "milex_gdp": "fraction of GDP",
            "milex_health": "ratio",
            "personnel_pop": "fraction of population",
            "personnel_physicians": "ratio",
        },
        warnings=warnings,
        summary=GmiSummary(
            year=year,
            indicators_used=used,
            indicators_missing=missing,
            weight_points_used=sum(WEIGHTS[k] for k in used),
            claim=_claim(used),
            scored=len(ranked),
            incomplete=int(len(panel.entity_ids) - len(ranked)),
            agreement_with_bicc=_agreement(panel, ys, bicc) if bicc else None,
        ),
    )


def gmi_agreement(con: duckdb.DuckDBPyConnection, years: list[int] | None = None) -> TableResult:
    """Rank agreement with BICC per year and indicator (Spearman, top-10 shared)."""
    panel = build_panel(con)
    rows = []
    for y in years or panel.years:
        bicc = _bicc(con, y)
        if not bicc or y not in panel.years:
            continue
        ys = year_scores(panel, y)
        for name, a in _agreement(panel, ys, bicc).items():
            rows.append(
                {
                    "year": y,
                    "indicator": name,
                    "countries": a.countries,
                    "spearman": a.spearman,
                    "top10_shared": a.top10_shared,
                    "indicators_used": ",".join(ys["used"]),
                }
            )
    if not rows:
        raise NoDataError("No year with both our index and BICC's GMI", hint="Ingest BICC's GMI CSV.")
    return TableResult(
        "gmi_agreement",
        columnar.from_rows(rows),
        spending_provenance(con, ["sipri_milex", "bicc_gmi"], basis="our index vs BICC's GMI"),
        params={"years": years},
        units={"spearman": "rank correlation, -1..1"},
    )
