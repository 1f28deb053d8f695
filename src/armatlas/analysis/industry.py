"""A country's defence industry as public data show it: Top 100 companies, licensed and local
production from the trade register, armed-forces personnel and spending per soldier.

What no public dataset here can check (jobs, "world-class quality", technology transfer that
is not a licensed-production deal, companies below the Top 100, Chinese companies before SIPRI
lists them) is said in `summary.uncheckable`, never guessed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from armatlas import columnar
from armatlas.analysis.entities import entity
from armatlas.results import TIV_UNIT, CompositeResult, Provenance, SnapshotRef, TableResult
from armatlas.store.db import fetch_row
from armatlas.store.scope import once
from armatlas.summaries import (
    BasisShare,
    Coverage,
    IndustryEntity,
    IndustryLatest,
    IndustrySummary,
    IndustryTrend,
    LicensedSummary,
    PersonnelSummary,
    Unavailable,
)

if TYPE_CHECKING:
    from armatlas.analysis.context import ReleaseContext

PERSONNEL = "MS.MIL.TOTL.P1"
USD_M = "US$ millions, current prices"
PARTNERS = 5
TREND_YEARS = 5
UNCHECKABLE = [
    "employment in the arms industry (no public dataset covers it by country)",
    "product quality and the number of systems made at home",
    "technology transfer other than licensed production recorded in the SIPRI register",
    "companies below the SIPRI Top 100 (and Chinese companies, which the 2002-2018 edition excludes)",
]


def industry(
    con: duckdb.DuckDBPyConnection,
    country: str,
    *,
    release: str | ReleaseContext | None = None,
    full: bool = True,
) -> CompositeResult[IndustrySummary]:
    """Industry profile of one country (`full=False`: the Top 100 and licensed-production parts
    only, what a claim's evidence reads; no `partners` part, personnel unavailable).

    Parts (each a TableResult):
    - `companies`: one row per Top 100 row of a company headquartered in the country: year,
      company_id, company (as printed), rank (None for subsidiaries), subsidiary, arms_sales,
      total_sales (US$ m current), arms_share_pct (% of the company's sales), arms_sales_const
      (US$ m at const_base_year prices), share_of_top100 (its arms sales / the 100 ranked
      companies' total that year; None for subsidiaries), uncertain (SIPRI footnote: estimate
      with a high degree of uncertainty).
    - `years`: per workbook year: n_companies (ranked), arms_sales, arms_sales_const,
      top100_arms_sales, share_of_top100, best_rank, top_company; zero companies is a row with
      n_companies 0, never a missing year.
    - `licensed`: register deals the country produces under licence (the register's
      local-production flag or "licence" comments) or assembles/produces locally (comments such
      as "Assembled in Azerbaijan"): supplier, designation, description, category, order_year,
      n_ordered, n_delivered, delivery_years, tiv_delivered, comments and basis: 'licence',
      'local assembly', or 'component' (an import for a platform produced in the country).
    - `partners`: only when the country has no Top 100 company: its largest suppliers over the
      register's last ten complete years, with their Top 100 companies in the newest year.
    - `personnel`: per year: personnel (World Bank MS.MIL.TOTL.P1, IISS), milex_current_usd
      (SIPRI, US$ m) and spending_per_soldier (US$ per person; both in the same year).
    Summary: entity, coverage (first/last workbook year), has_companies (None when the sheets'
    titles exclude the country, as "(excluding China)"), excluded_years, statement (one plain
    sentence), latest {year, n_companies, arms_sales, share_of_top100, best_rank, top_company},
    trend {from_year, to_year, change_const} (constant prices, last TREND_YEARS years present),
    licensed {deals, since, suppliers, tiv_delivered, share_of_imports (TIV of licence and local
    assembly deals over all the country's delivered imports in the register; components apart),
    by_basis {basis: {deals, tiv_delivered, share_of_imports}}, release}, personnel {year,
    personnel, spending_per_soldier}, uncheckable.
    """
    ent = entity(country)
    sid = _industry_snapshot(con)
    refs: list[SnapshotRef] = []
    parts: dict[str, TableResult] = {}
    summary: dict[str, Any] = {
        "entity": IndustryEntity(entity_id=ent.entity_id, name=ent.name, iso3=ent.iso3)
    }
    if sid is not None:
        refs.append(sid[1])
        comp = _companies(con, ent.entity_id, sid[0])
        years = _years(con, ent.entity_id, sid[0])
        prov = Provenance(release=sid[1].release, snapshots=[sid[1]], basis="SIPRI Top 100 workbook")
        units = {
            "arms_sales": USD_M,
            "total_sales": USD_M,
            "top100_arms_sales": USD_M,
            "arms_sales_const": "US$ millions, constant prices of const_base_year",
        }
        parts["companies"] = TableResult("industry.companies", comp, prov, units=units)
        parts["years"] = TableResult("industry.years", years, prov, units=units)
        summary.update(
            _company_summary(ent.name, years.to_pylist(), sid[1].release, _excluded(con, sid[0], ent.name))
        )
        if full and not summary["has_companies"]:
            parts["partners"] = _partners(con, ent.entity_id, sid[0], release, refs)
    else:
        summary.update(
            has_companies=None,
            statement="No SIPRI Top 100 workbook in the store "
            "(run `armatlas fetch --source industry` or `armatlas ingest` on it).",
        )
    parts["licensed"], summary["licensed"] = _licensed(con, ent.entity_id, release, refs)
    if full:
        parts["personnel"], summary["personnel"] = _personnel(con, ent.entity_id, refs)
    else:
        summary["personnel"] = Unavailable(unavailable="not computed for this call (full=False)")
    summary["uncheckable"] = UNCHECKABLE
    prov = Provenance(
        release=refs[0].release if refs else "",
        snapshots=refs,
        basis="SIPRI Top 100; SIPRI register (licensed production); World Bank personnel; SIPRI milex",
    )
    return CompositeResult(
        "industry", parts, prov, params={"country": ent.entity_id}, summary=IndustrySummary(**summary)
    )


def _snapshot_ref(con: duckdb.DuckDBPyConnection, where: str, params: list[Any]) -> SnapshotRef | None:
    rows = once(
        ("snapshot_ref", where, tuple(params)),
        lambda: con.execute(
            f"""SELECT snapshot_id, source, file_name, layout, release, CAST(generated_at AS VARCHAR), sha256, url
            FROM snapshot WHERE {where} ORDER BY year_to DESC, snapshot_id DESC LIMIT 1""",
            params,
        ).fetchall(),
    )
    return SnapshotRef(*rows[0]) if rows else None


def _industry_snapshot(con: duckdb.DuckDBPyConnection) -> tuple[int, SnapshotRef] | None:
    """The workbook reaching the latest year (newest ingested among equals)."""
    ref = _snapshot_ref(con, "source = 'sipri_arms_industry'", [])
    return (ref.snapshot_id, ref) if ref else None


def _companies(con: duckdb.DuckDBPyConnection, eid: str, sid: int) -> pa.Table:
    return con.sql(
        """WITH tot AS (SELECT year, sum(arms_sales) AS top100 FROM industry_rank
                        WHERE snapshot_id = $sid AND rank IS NOT NULL GROUP BY year),
                unc AS (SELECT year, list(mark) AS marks FROM industry_note
                        WHERE snapshot_id = $sid AND text ILIKE '%high degree of uncertainty%' GROUP BY year)
           SELECT r.year, r.company_id, r.company, r.rank, r.subsidiary, r.parent, r.arms_sales,
                  r.total_sales, r.arms_share_pct, r.arms_sales_const, r.const_base_year,
                  CASE WHEN r.rank IS NOT NULL THEN r.arms_sales / t.top100 END AS share_of_top100,
                  coalesce(list_has_any(string_split(r.notes, ','), u.marks), false) AS uncertain,
                  r.notes, r.unavailable
           FROM industry_rank r JOIN tot t USING (year) LEFT JOIN unc u USING (year)
           WHERE r.snapshot_id = $sid AND r.country_id = $eid
           ORDER BY r.year DESC, r.rank NULLS LAST, r.company""",
        params={"sid": sid, "eid": eid},
    ).to_arrow_table()


def _years(con: duckdb.DuckDBPyConnection, eid: str, sid: int) -> pa.Table:
    return con.sql(
        """SELECT year,
                  count(*) FILTER (WHERE rank IS NOT NULL AND country_id = $eid) AS n_companies,
                  sum(arms_sales) FILTER (WHERE rank IS NOT NULL AND country_id = $eid) AS arms_sales,
                  sum(arms_sales_const) FILTER (WHERE rank IS NOT NULL AND country_id = $eid) AS arms_sales_const,
                  sum(arms_sales) FILTER (WHERE rank IS NOT NULL) AS top100_arms_sales,
                  sum(arms_sales) FILTER (WHERE rank IS NOT NULL AND country_id = $eid)
                    / sum(arms_sales) FILTER (WHERE rank IS NOT NULL) AS share_of_top100,
                  min(rank) FILTER (WHERE country_id = $eid) AS best_rank,
                  arg_min(company, rank) FILTER (WHERE rank IS NOT NULL AND country_id = $eid) AS top_company
           FROM industry_rank WHERE snapshot_id = $sid GROUP BY year ORDER BY year""",
        params={"sid": sid, "eid": eid},
    ).to_arrow_table()


def _excluded(con: duckdb.DuckDBPyConnection, sid: int, name: str) -> list[int]:
    """Years whose sheet title excludes the country ("... in the world (excluding China), 2018")."""
    import re

    rows = con.execute(
        "SELECT year, text FROM industry_note WHERE snapshot_id = ? AND mark = 'title'", [sid]
    ).fetchall()
    return sorted(
        y
        for y, text in rows
        if any(name.casefold() in m.casefold() for m in re.findall(r"\(excluding ([^)]*)\)", text))
    )


def _company_summary(name: str, years: list[dict], release: str, excluded: list[int]) -> dict[str, Any]:
    present = [y for y in years if y["n_companies"]]
    lo, hi = years[0]["year"], years[-1]["year"]
    out: dict[str, Any] = {
        "coverage": Coverage(first_year=lo, last_year=hi, release=release),
        "has_companies": bool(present),
        "excluded_years": excluded,
    }
    if not present and excluded:
        out["has_companies"] = None  # unknown: the publisher left the country out
        out["statement"] = (
            f"SIPRI excludes {name} from the Top 100 in {excluded[0]}-{excluded[-1]} (the sheets "
            f"say 'excluding {name}'): its companies cannot be checked with this edition."
        )
        return out
    if not present:
        out["statement"] = (
            f"No company headquartered in {name} is in the SIPRI Top 100 in any year {lo}-{hi}."
        )
        return out
    last = present[-1]
    out["latest"] = IndustryLatest(
        **{
            k: last[k]
            for k in ("year", "n_companies", "arms_sales", "share_of_top100", "best_rank", "top_company")
        }
    )
    recent = [y for y in present if y["year"] > last["year"] - TREND_YEARS]
    first = recent[0]
    change = (
        last["arms_sales_const"] / first["arms_sales_const"] - 1
        if first is not last and first["arms_sales_const"]
        else None
    )
    out["trend"] = IndustryTrend(from_year=first["year"], to_year=last["year"], change_const=change)
    out["years_present"] = len(present)
    out["statement"] = (
        f"{name}: {last['n_companies']} compan{'y' if last['n_companies'] == 1 else 'ies'} in the "
        f"SIPRI Top 100 in {last['year']} ({len(present)} of {hi - lo + 1} years {lo}-{hi})."
    )
    return out


def _partners(
    con: duckdb.DuckDBPyConnection,
    eid: str,
    sid: int,
    release: str | ReleaseContext | None,
    refs: list[SnapshotRef],
) -> TableResult:
    """Largest suppliers over the register's last ten complete years, with their Top 100 companies."""
    from armatlas.analysis.context import release_context

    ctx = release_context(con, release)
    reg = ctx.require_register()
    if reg not in refs:
        refs.append(reg)
    t = con.sql(
        """WITH sup AS (
             SELECT d.supplier_id, sum(v.tiv) AS tiv_delivered
             FROM delivery v JOIN deal d USING (deal_key)
             WHERE d.snapshot_id = $reg AND d.recipient_id = $eid AND v.year BETWEEN $lo AND $hi
             GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT $n),
           newest AS (SELECT max(year) AS y FROM industry_rank WHERE snapshot_id = $sid)
           SELECT s.supplier_id, e.name AS supplier, s.tiv_delivered, n.y AS top100_year,
                  count(r.company_id) AS n_companies, sum(r.arms_sales) AS arms_sales,
                  string_agg(r.company, '; ' ORDER BY r.rank) AS companies
           FROM sup s JOIN entity e ON e.entity_id = s.supplier_id CROSS JOIN newest n
           LEFT JOIN industry_rank r ON r.snapshot_id = $sid AND r.year = n.y AND r.rank IS NOT NULL
                AND r.country_id = s.supplier_id
           GROUP BY ALL ORDER BY s.tiv_delivered DESC, s.supplier_id""",
        params={
            "reg": reg.snapshot_id,
            "eid": eid,
            "lo": ctx.last_year - 9,
            "hi": ctx.last_year,
            "n": PARTNERS,
            "sid": sid,
        },
    ).to_arrow_table()
    return TableResult(
        "industry.partners",
        t,
        ctx.provenance("register deliveries; SIPRI Top 100"),
        units={"tiv_delivered": TIV_UNIT, "arms_sales": USD_M},
        params={"from_year": ctx.last_year - 9, "to_year": ctx.last_year},
    )


def _licensed(
    con: duckdb.DuckDBPyConnection, eid: str, release: str | ReleaseContext | None, refs: list[SnapshotRef]
) -> tuple[TableResult, LicensedSummary | Unavailable]:
    """Licensed/local production deals of the country as recipient, and their share of its imports."""
    from armatlas.analysis.context import release_context
    from armatlas.errors import NoDataError

    try:
        ctx = release_context(con, release)
        reg = ctx.require_register()
    except NoDataError as exc:
        empty = columnar.table({"supplier": columnar.column([], pa.string())})
        return TableResult("industry.licensed", empty, Provenance(release="", basis="")), Unavailable(
            unavailable=exc.message
        )
    if reg not in refs:
        refs.append(reg)
    local, component = _local_patterns(con, eid)
    t = con.sql(
        """SELECT e.name AS supplier, d.supplier_id, d.designation, d.description, d.category, d.order_year,
                  d.n_ordered, d.n_delivered, d.delivery_years, d.tiv_delivered,
                  CASE WHEN d.local_production THEN 'licence'
                       WHEN regexp_matches(coalesce(d.comments, ''), $component) THEN 'component'
                       ELSE 'local assembly' END AS basis, d.licence_source, d.comments
           FROM deal d JOIN entity e ON e.entity_id = d.supplier_id
           WHERE d.snapshot_id = $sid AND d.recipient_id = $eid
             AND (d.local_production OR regexp_matches(coalesce(d.comments, ''), $local))
           ORDER BY d.order_year, e.name, d.designation""",
        params={"sid": reg.snapshot_id, "eid": eid, "local": local, "component": component},
    ).to_arrow_table()
    total = fetch_row(
        con,
        "SELECT sum(tiv_delivered) FROM deal WHERE snapshot_id = ? AND recipient_id = ?",
        [reg.snapshot_id, eid],
    )[0]
    rows = t.to_pylist()
    by_basis: dict[str, dict[str, Any]] = {}
    for r in rows:
        b = by_basis.setdefault(r["basis"], {"deals": 0, "tiv_delivered": 0.0})
        b["deals"] += 1
        b["tiv_delivered"] += r["tiv_delivered"] or 0.0
    for b in by_basis.values():
        b["share_of_imports"] = b["tiv_delivered"] / total if total else None
    own = [r for r in rows if r["basis"] != "component"]
    years = [r["order_year"] for r in own if r["order_year"] is not None]
    tiv = sum(r["tiv_delivered"] or 0.0 for r in own)
    summary = LicensedSummary(
        deals=len(own),
        since=min(years) if years else None,
        suppliers=sorted({r["supplier"] for r in own}),
        tiv_delivered=tiv if own else None,
        share_of_imports=tiv / total if own and total else None,
        by_basis={k: BasisShare(**b) for k, b in by_basis.items()},
        release=ctx.release,
    )
    res: TableResult = TableResult(
        "industry.licensed",
        t,
        ctx.provenance("register deals flagged as licensed/local production"),
        units={"tiv_delivered": TIV_UNIT},
    )
    return res, summary


def _local_patterns(con: duckdb.DuckDBPyConnection, eid: str) -> tuple[str, str]:
    """RE2 patterns over register comments, under any of the country's names: production or
    assembly in the country ("Assembled in Azerbaijan", "Incl production of components in
    Azerbaijan"), and of those, imported components for a platform produced there ("For 1
    MUGEM aircraft carrier produced in Turkiye")."""
    import re

    names = {
        n
        for (n,) in con.execute(
            "SELECT alias FROM entity_alias WHERE entity_id = ? AND source IN ('sipri_at', 'common') "
            "UNION SELECT name FROM entity WHERE entity_id = ?",
            [eid, eid],
        ).fetchall()
    }
    alt = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    made = rf"\b(assembl|produc|built|manufactur)\w*\b[^;]{{0,60}}\bin ({alt})\b"
    return f"(?i){made}", rf"(?i)^\s*for\b[^;]*{made}"


def _personnel(
    con: duckdb.DuckDBPyConnection, eid: str, refs: list[SnapshotRef]
) -> tuple[TableResult, PersonnelSummary | Unavailable]:
    """Armed-forces personnel (World Bank) beside SIPRI milex, and spending per soldier."""
    tables = {n for (n,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "indicator" not in tables:
        return TableResult(
            "industry.personnel",
            columnar.table({"year": columnar.column([], pa.int32())}),
            Provenance(release="", basis=""),
        ), Unavailable(unavailable="no World Bank data in the store")
    wb = _snapshot_ref(con, "source = 'worldbank_wdi' AND selection = ?", [PERSONNEL])
    mx = _snapshot_ref(con, "source = 'sipri_milex'", []) if "milex" in tables else None
    refs += [r for r in (wb, mx) if r is not None and r not in refs]
    t = con.sql(
        """WITH p AS (SELECT year, value AS personnel FROM indicator
                      WHERE code = $code AND entity_id = $eid AND snapshot_id = $wb),
                m AS (SELECT year, value AS milex_current_usd FROM milex
                      WHERE measure = 'current_usd' AND entity_id = $eid AND snapshot_id = $mx)
           SELECT year, p.personnel, m.milex_current_usd,
                  m.milex_current_usd * 1e6 / nullif(p.personnel, 0) AS spending_per_soldier
           FROM p LEFT JOIN m USING (year) ORDER BY year"""
        if mx
        else """SELECT year, value AS personnel, NULL::DOUBLE AS milex_current_usd, NULL::DOUBLE AS spending_per_soldier
           FROM indicator WHERE code = $code AND entity_id = $eid AND snapshot_id = $wb ORDER BY year""",
        params={"code": PERSONNEL, "eid": eid, "wb": wb.snapshot_id if wb else -1}
        | ({"mx": mx.snapshot_id} if mx else {}),
    ).to_arrow_table()
    rows = t.to_pylist()
    if not rows:
        why = (
            "no armed-forces personnel (World Bank MS.MIL.TOTL.P1) in the store"
            if wb is None
            else "the World Bank personnel file has no figure for this country"
        )
        return TableResult("industry.personnel", t, Provenance(release="", basis="")), Unavailable(
            unavailable=why
        )
    last = rows[-1]
    per = next((r for r in reversed(rows) if r["spending_per_soldier"] is not None), None)
    summary = PersonnelSummary(
        year=last["year"],
        personnel=last["personnel"],
        spending_per_soldier=per["spending_per_soldier"] if per else None,
        spending_per_soldier_year=per["year"] if per else None,
    )
    prov = Provenance(
        release=wb.release if wb else "",
        snapshots=[r for r in (wb, mx) if r],
        basis="World Bank MS.MIL.TOTL.P1 (IISS); SIPRI milex current US$",
    )
    return TableResult(
        "industry.personnel",
        t,
        prov,
        units={
            "personnel": "persons (active armed forces, IISS via World Bank)",
            "milex_current_usd": USD_M,
            "spending_per_soldier": "US$ per person, current prices",
        },
    ), summary
