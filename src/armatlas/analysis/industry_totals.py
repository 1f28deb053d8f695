"""The SIPRI Top 100 summed as SIPRI's fact sheets state it: the arms sales of a year's 100 ranked companies,
of those based in one country or region, their share of the Top 100 total and their real change on the year
before ("the arms sales of the Top 100 were $420 billion in 2018, 4.6 per cent more than in 2017").

A change compares the year's companies with their own sales the year before at constant prices, as SIPRI
does: a company in the year-before table gives its constant-price figure; one that was not (ranked below 100
then) gives its previous-year figure from this year's table, deflated by the constant/current ratio of its
country's companies that year (of all companies where its country had none). Subsidiaries (rank 'S') are in
their parents' figures and never summed.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from armatlas.errors import NoDataError, QueryError

WORLD = "WORLD"
# SIPRI's fact sheets list Russia apart from Europe, and count the Trans-European companies (Airbus, MBDA,
# KNDS) as Europe's; the workbook writes 'Trans-European' with no country.
_TRANS_EUROPEAN = "Trans-European"


@dataclass(frozen=True)
class Top100Total:
    """One group's Top 100 figures for one year (sales in US$ m, current prices; shares and changes in %)."""

    year: int
    group: str
    companies: int
    arms_sales: float
    top100_sales: float
    share: float
    change: float | None  # real, against the same companies a year before
    compared: int  # companies with a figure for the year before
    snapshot_id: int
    file_name: str


def _members(group: str) -> tuple[str, list[str]]:
    """SQL condition on a ranked row (alias r, joined entity e) for the group, and its parameters."""
    if group == WORLD:
        return "true", []
    if group == "region:Europe":
        return "((e.region = 'Europe' AND r.country_id <> 'russia') OR r.country = ?)", [_TRANS_EUROPEAN]
    if group.startswith(("region:", "subregion:")):
        col = "region" if group.startswith("region:") else "subregion"
        return f"e.{col} = ?", [group.partition(":")[2]]
    return "r.country_id = ?", [group]


def top100_total(con: duckdb.DuckDBPyConnection, year: int, group: str = WORLD) -> Top100Total:
    """The group's arms sales in the year's Top 100, its share and its real change on the year before."""
    snap = con.execute(
        """SELECT snapshot_id, file_name, year_from, year_to FROM snapshot WHERE source = 'sipri_arms_industry'
           ORDER BY year_to DESC, snapshot_id DESC LIMIT 1"""
    ).fetchone()
    if snap is None:
        raise NoDataError(
            "the store holds no SIPRI Top 100 workbook", hint="ingest one: armatlas ingest FILE"
        )
    sid, name, first, last = snap[0], snap[1], int(snap[2]), int(snap[3])
    if not (first <= year <= last):
        raise QueryError(
            f"{year} is outside the SIPRI Top 100 workbook in the store ({name}: {first}-{last})",
            hint="a newer Top 100 workbook covers later years",
        )
    cond, params = _members(group)
    row = con.execute(
        f"""WITH r AS (SELECT * FROM industry_rank WHERE snapshot_id = ? AND NOT subsidiary AND rank IS NOT NULL),
            defl AS (SELECT r.year, coalesce(r.country_id, r.country) k, sum(arms_sales_const) / sum(arms_sales) f
                     FROM r WHERE arms_sales > 0 AND arms_sales_const IS NOT NULL GROUP BY ALL),
            world AS (SELECT year, sum(arms_sales_const) / sum(arms_sales) f FROM r
                      WHERE arms_sales > 0 AND arms_sales_const IS NOT NULL GROUP BY ALL),
            cur AS (SELECT r.*, coalesce(b.arms_sales_const, r.arms_sales_prev * coalesce(d.f, w.f)) prev_const
                    FROM r LEFT JOIN r b ON b.company_id = r.company_id AND b.year = r.year - 1
                    LEFT JOIN defl d ON d.year = r.year - 1 AND d.k = coalesce(r.country_id, r.country)
                    LEFT JOIN world w ON w.year = r.year - 1
                    LEFT JOIN entity e ON e.entity_id = r.country_id
                    WHERE r.year = ? AND {cond})
            SELECT count(*), sum(arms_sales),
                   sum(arms_sales_const) FILTER (WHERE prev_const IS NOT NULL),
                   sum(prev_const), count(prev_const),
                   (SELECT sum(arms_sales) FROM r WHERE year = ?)
            FROM cur""",
        [sid, year, *params, year],
    ).fetchone()
    n, sales, now, before, compared, total = row if row else (0, None, None, None, 0, None)
    if not n:
        raise QueryError(
            f"no company of {group} is among the SIPRI Top 100 of {year} ({name})",
            hint="the Top 100 lists the largest arms-producing companies only (no Chinese ones before 2015)",
        )
    return Top100Total(
        year=year,
        group=group,
        companies=n,
        arms_sales=sales,
        top100_sales=total,
        share=100 * sales / total,
        change=100 * (now / before - 1) if before else None,
        compared=compared,
        snapshot_id=sid,
        file_name=name,
    )
