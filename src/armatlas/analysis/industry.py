"""A country's defence industry as public data show it: Top 100 companies, licensed and local
production from the trade register, armed-forces personnel and spending per soldier.

What no public dataset here can check (jobs, "world-class quality", technology transfer that
is not a licensed-production deal, companies below the Top 100, Chinese companies before SIPRI
lists them) is said in `summary.uncheckable`, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from armatlas import frame
from armatlas.analysis.entities import entity
from armatlas.analysis.gradual import Gradual
from armatlas.results import TIV_UNIT, CompositeResult, Provenance, SnapshotRef, TableResult
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
    data = _store_data(con, release)
    sid = data.industry
    refs: list[SnapshotRef] = []
    parts: dict[str, TableResult] = {}
    summary: dict[str, Any] = {
        "entity": IndustryEntity(entity_id=ent.entity_id, name=ent.name, iso3=ent.iso3)
    }
    if sid is not None:
        refs.append(sid[1])
        comp = _companies(con, data, ent.entity_id)
        years = _years(data, ent.entity_id)
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
            _company_summary(ent.name, years.to_pylist(), sid[1].release, _excluded(data, ent.name))
        )
        if full and not summary["has_companies"]:
            parts["partners"] = _partners(con, data, ent.entity_id, release, refs)
    else:
        summary.update(
            has_companies=None,
            statement="No SIPRI Top 100 workbook in the store "
            "(run `armatlas fetch --source industry` or `armatlas ingest` on it).",
        )
    parts["licensed"], summary["licensed"] = _licensed(con, data, ent.entity_id, release, refs)
    if full:
        parts["personnel"], summary["personnel"] = _personnel(con, data, ent.entity_id, refs)
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


def _snapshot_refs(con: duckdb.DuckDBPyConnection) -> dict[str, SnapshotRef]:
    """The newest (by the years it reaches) Top 100 workbook ('industry'), World Bank personnel
    file ('wb') and milex workbook ('mx') in the store, in one query."""

    def newest(key: str, where: str) -> str:
        return f"""(SELECT '{key}', snapshot_id, source, file_name, layout, release,
                       CAST(generated_at AS VARCHAR), sha256, url
                FROM snapshot WHERE {where} ORDER BY year_to DESC, snapshot_id DESC LIMIT 1)"""

    sql = " UNION ALL ".join(
        (
            newest("industry", "source = 'sipri_arms_industry'"),
            newest("wb", "source = 'worldbank_wdi' AND selection = $code"),
            newest("mx", "source = 'sipri_milex'"),
        )
    )
    rows = once(("snapshot_refs",), lambda: con.execute(sql, {"code": PERSONNEL}).fetchall())
    return {key: SnapshotRef(*ref) for key, *ref in rows}


@dataclass(frozen=True)
class _StoreData:
    """What every country's industry profile shares, read once per store content (per-country
    rows one country at a time at first, see `Gradual`)."""

    industry: tuple[int, SnapshotRef] | None  # the workbook reaching the latest year
    company_rows: Gradual[list[dict]]  # country -> its company rows, newest year first, by rank
    years: list[int]
    top100: dict[int, float | None]  # the 100 ranked companies' arms sales per year
    by_country: dict[str, dict[int, tuple]]  # country -> year -> (n, sales, const, best rank, top company)
    titles: list[tuple[int, str]]
    wb: SnapshotRef | None  # World Bank personnel
    mx: SnapshotRef | None  # SIPRI milex
    names: Gradual[frozenset[str]]  # entity -> its names in register comments
    newest: dict[str, list[dict]]  # country -> its ranked companies (name, arms sales) in the newest year
    personnel: dict[str, list[dict]] = field(default_factory=dict)  # filled as countries are asked


_DATA: dict[str, _StoreData] = {}


def _store_data(con: duckdb.DuckDBPyConnection, release: str | ReleaseContext | None) -> _StoreData:
    """Cached by store content (the release context's digest when the caller has one)."""
    from armatlas.analysis.context import ReleaseContext, store_content

    key = release.content if isinstance(release, ReleaseContext) and release.content else store_content(con)
    hit = _DATA.get(key)
    if hit is None:
        if len(_DATA) >= 8:
            _DATA.clear()
        hit = _DATA[key] = _read_store_data(con)
    return hit


_NAMES_SQL = (
    "SELECT entity_id, alias FROM entity_alias WHERE source IN ('sipri_at', 'common') {cond} "
    "UNION SELECT entity_id, name FROM entity WHERE true {cond}"
)


def _names(con: duckdb.DuckDBPyConnection, eid: str | None) -> dict[str, frozenset[str]]:
    """Entity -> the names register comments may use for it (one entity's, or every entity's)."""
    names: dict[str, set[str]] = {}
    sql = _NAMES_SQL.format(cond="" if eid is None else "AND entity_id = $eid")
    for e, n in con.execute(sql, {} if eid is None else {"eid": eid}).fetchall():
        names.setdefault(e, set()).add(n)
    return {e: frozenset(ns) for e, ns in names.items()}


_COMPANIES_SQL = """WITH tot AS (SELECT year, sum(arms_sales) AS top100 FROM industry_rank
                        WHERE snapshot_id = $sid AND rank IS NOT NULL GROUP BY year),
                unc AS (SELECT year, list(mark) AS marks FROM industry_note
                        WHERE snapshot_id = $sid AND text ILIKE '%high degree of uncertainty%' GROUP BY year)
           SELECT r.year, r.company_id, r.company, r.rank, r.subsidiary, r.parent, r.arms_sales,
                  r.total_sales, r.arms_share_pct, r.arms_sales_const, r.const_base_year,
                  CASE WHEN r.rank IS NOT NULL THEN r.arms_sales / t.top100 END AS share_of_top100,
                  coalesce(list_has_any(string_split(r.notes, ','), u.marks), false) AS uncertain,
                  r.notes, r.unavailable, r.country_id
           FROM industry_rank r JOIN tot t USING (year) LEFT JOIN unc u USING (year)
           WHERE r.snapshot_id = $sid {cond}
           ORDER BY r.year DESC, r.rank NULLS LAST, r.company"""


_COMPANY_COLUMNS = {
    "year": frame.INT32,
    "company_id": frame.STRING,
    "company": frame.STRING,
    "rank": frame.INT32,
    "subsidiary": frame.BOOL,
    "parent": frame.STRING,
    "arms_sales": frame.FLOAT64,
    "total_sales": frame.FLOAT64,
    "arms_share_pct": frame.FLOAT64,
    "arms_sales_const": frame.FLOAT64,
    "const_base_year": frame.INT32,
    "share_of_top100": frame.FLOAT64,
    "uncertain": frame.BOOL,
    "notes": frame.STRING,
    "unavailable": frame.STRING,
}


def _company_rows(
    con: duckdb.DuckDBPyConnection, sid: int, cond: str = "", **params: Any
) -> dict[str, list[dict]]:
    """The workbook's company rows that `cond` keeps, by headquarters country (newest year
    first, by rank; rows without a country left out)."""
    by: dict[str, list[dict]] = {}
    for r in frame.query(con, _COMPANIES_SQL.format(cond=cond), {"sid": sid, **params}).to_pylist():
        cid = r.pop("country_id")
        if cid is not None:
            by.setdefault(cid, []).append(r)
    return by


def _read_store_data(con: duckdb.DuckDBPyConnection) -> _StoreData:
    refs = _snapshot_refs(con)  # a snapshot's rows are in its tables: no need to ask which exist
    ref, wb, mx = refs.get("industry"), refs.get("wb"), refs.get("mx")
    names: Gradual[frozenset[str]] = Gradual(
        lambda c, eid: _names(c, eid).get(eid, frozenset()), lambda c: _names(c, None), frozenset
    )
    if ref is None:
        none: Gradual[list[dict]] = Gradual(lambda c, eid: [], lambda c: {}, list)
        return _StoreData(None, none, [], {}, {}, [], wb, mx, names, {})
    sid = ref.snapshot_id
    top100 = dict(
        con.execute(
            """SELECT year, sum(arms_sales) FILTER (WHERE rank IS NOT NULL) FROM industry_rank
               WHERE snapshot_id = ? GROUP BY year ORDER BY year""",
            [sid],
        ).fetchall()
    )
    by_country: dict[str, dict[int, tuple]] = {}
    for year, cid, *figures in con.execute(
        """SELECT year, country_id,
                  count(*) FILTER (WHERE rank IS NOT NULL),
                  sum(arms_sales) FILTER (WHERE rank IS NOT NULL),
                  sum(arms_sales_const) FILTER (WHERE rank IS NOT NULL),
                  min(rank),
                  arg_min(company, rank) FILTER (WHERE rank IS NOT NULL)
           FROM industry_rank WHERE snapshot_id = ? AND country_id IS NOT NULL GROUP BY year, country_id""",
        [sid],
    ).fetchall():
        by_country.setdefault(cid, {})[year] = tuple(figures)
    titles = con.execute(
        "SELECT year, text FROM industry_note WHERE snapshot_id = ? AND mark = 'title'", [sid]
    ).fetchall()
    # The newest year's ranked companies of every country (the partners part names suppliers'),
    # in the company rows' order (by rank, then name).
    newest: dict[str, list[dict]] = {}
    for cid, company, sales in con.execute(
        """SELECT country_id, company, arms_sales FROM industry_rank
           WHERE snapshot_id = ? AND year = ? AND rank IS NOT NULL AND country_id IS NOT NULL
           ORDER BY rank, company""",
        [sid, max(top100, default=None)],
    ).fetchall():
        newest.setdefault(cid, []).append({"company": company, "arms_sales": sales})
    rows: Gradual[list[dict]] = Gradual(
        lambda c, eid: _company_rows(c, sid, "AND r.country_id = $eid", eid=eid).get(eid, []),
        lambda c: _company_rows(c, sid),
        list,
    )
    return _StoreData((sid, ref), rows, sorted(top100), top100, by_country, titles, wb, mx, names, newest)


_YEAR_COLUMNS = {
    "year": frame.INT32,
    "n_companies": frame.INT64,
    "arms_sales": frame.FLOAT64,
    "arms_sales_const": frame.FLOAT64,
    "top100_arms_sales": frame.FLOAT64,
    "share_of_top100": frame.FLOAT64,
    "best_rank": frame.INT32,
    "top_company": frame.STRING,
}


def _companies(con: duckdb.DuckDBPyConnection, data: _StoreData, eid: str) -> frame.Frame:
    """The country's company rows (newest year first, by rank)."""
    return frame.from_rows(data.company_rows.get(con, eid), _COMPANY_COLUMNS)


def _years(data: _StoreData, eid: str) -> frame.Frame:
    """Per workbook year: the country's ranked companies (0 where none) beside the Top 100 total."""
    own = data.by_country.get(eid, {})
    rows = []
    for y in data.years:
        n, sales, const, best, top = own.get(y, (0, None, None, None, None))
        total = data.top100[y]
        rows.append(
            {
                "year": y,
                "n_companies": n,
                "arms_sales": sales,
                "arms_sales_const": const,
                "top100_arms_sales": total,
                "share_of_top100": sales / total if sales is not None and total else None,
                "best_rank": best,
                "top_company": top,
            }
        )
    return frame.from_rows(rows, _YEAR_COLUMNS)


def _excluded(data: _StoreData, name: str) -> list[int]:
    """Years whose sheet title excludes the country ("... in the world (excluding China), 2018")."""
    return sorted(
        y
        for y, text in data.titles
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


_PARTNER_COLUMNS = {
    "supplier_id": frame.STRING,
    "supplier": frame.STRING,
    "tiv_delivered": frame.FLOAT64,
    "top100_year": frame.INT32,
    "n_companies": frame.INT64,
    "arms_sales": frame.FLOAT64,
    "companies": frame.STRING,
}


def _partners(
    con: duckdb.DuckDBPyConnection,
    data: _StoreData,
    eid: str,
    release: str | ReleaseContext | None,
    refs: list[SnapshotRef],
) -> TableResult:
    """Largest suppliers over the register's last ten complete years, with their Top 100 companies."""
    from armatlas.analysis import slices
    from armatlas.analysis.context import release_context
    from armatlas.analysis.periods import Period

    ctx = release_context(con, release)
    reg = ctx.require_register()
    if reg not in refs:
        refs.append(reg)
    window = Period(ctx.last_year - 9, ctx.last_year)
    info = slices.names(con, ctx)
    flows = (f for f in slices.flows(con, ctx, [eid], [window]) if f.recipient_id == eid)
    sums = slices.grouped(flows, [window], lambda f: f.supplier_id)[window.label]
    top = sorted(sums.items(), key=lambda kv: (-kv[1].tiv, kv[0]))[:PARTNERS]
    newest = max(data.years) if data.years else None
    rows = []
    for sup, s in top:
        if sup not in info:
            continue
        own = data.newest.get(sup, [])
        rows.append(
            {
                "supplier_id": sup,
                "supplier": info[sup][0],
                "tiv_delivered": s.tiv,
                "top100_year": newest,
                "n_companies": len(own),
                "arms_sales": sum(r["arms_sales"] for r in own if r["arms_sales"] is not None)
                if any(r["arms_sales"] is not None for r in own)
                else None,
                "companies": "; ".join(r["company"] for r in own) if own else None,
            }
        )
    return TableResult(
        "industry.partners",
        frame.from_rows(rows, _PARTNER_COLUMNS),
        ctx.provenance("register deliveries; SIPRI Top 100"),
        units={"tiv_delivered": TIV_UNIT, "arms_sales": USD_M},
        params={"from_year": ctx.last_year - 9, "to_year": ctx.last_year},
    )


def _licensed(
    con: duckdb.DuckDBPyConnection,
    data: _StoreData,
    eid: str,
    release: str | ReleaseContext | None,
    refs: list[SnapshotRef],
) -> tuple[TableResult, LicensedSummary | Unavailable]:
    """Licensed/local production deals of the country as recipient, and their share of its imports."""
    from armatlas.analysis.context import release_context
    from armatlas.errors import NoDataError

    try:
        ctx = release_context(con, release)
        reg = ctx.require_register()
    except NoDataError as exc:
        empty = frame.table({"supplier": []}, {"supplier": frame.STRING})
        return TableResult("industry.licensed", empty, Provenance(release="", basis="")), Unavailable(
            unavailable=exc.message
        )
    if reg not in refs:
        refs.append(reg)
    local, component = (re.compile(p) for p in _local_patterns(con, data, eid))
    candidates, total = _local_candidates(con, ctx, eid)
    rows = []
    for r in candidates:
        text = r["comments"] or ""
        if r["local_production"] or local.search(text):
            basis = (
                "licence"
                if r["local_production"]
                else "component"
                if component.search(text)
                else "local assembly"
            )
            rows.append({k: v for k, v in r.items() if k != "local_production"} | {"basis": basis})
    rows.sort(key=_listing_order)
    t = frame.from_rows(rows, _LICENSED_COLUMNS)
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


_LOCAL_MADE = r"\b(assembl|produc|built|manufactur)\w*\b[^;]{0,60}\bin "
_LICENSED_COLUMNS = {
    "supplier": frame.STRING,
    "supplier_id": frame.STRING,
    "designation": frame.STRING,
    "description": frame.STRING,
    "category": frame.STRING,
    "order_year": frame.INT32,
    "n_ordered": frame.INT32,
    "n_delivered": frame.INT32,
    "delivery_years": frame.STRING,
    "tiv_delivered": frame.FLOAT64,
    "basis": frame.STRING,
    "licence_source": frame.STRING,
    "comments": frame.STRING,
}
# Per release (cached by store content): each recipient's candidate deals and delivered TIV.
_CANDIDATES: dict[ReleaseContext, Gradual[tuple[list[dict], float | None]]] = {}
_CANDIDATES_SQL = """SELECT d.recipient_id, e.name AS supplier, d.supplier_id, d.designation, d.description,
                      d.category, d.order_year, d.n_ordered, d.n_delivered, d.delivery_years,
                      d.tiv_delivered, d.licence_source, d.comments, d.local_production
               FROM deal d JOIN entity e ON e.entity_id = d.supplier_id
               WHERE d.snapshot_id = $sid {cond}
                 AND (d.local_production OR regexp_matches(coalesce(d.comments, ''), $made))
               ORDER BY d.deal_key"""
_TOTALS_SQL = "SELECT recipient_id, sum(tiv_delivered) FROM deal WHERE snapshot_id = $sid {cond} GROUP BY 1"


def _local_candidates(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, eid: str
) -> tuple[list[dict], float | None]:
    """The recipient's deals flagged as local production or whose comments say they were
    assembled/produced/built/manufactured "in" somewhere (its own names are matched in Python),
    and its delivered TIV."""
    hit = _CANDIDATES.get(ctx)
    if hit is None:
        sid = ctx.require_register().snapshot_id
        if len(_CANDIDATES) >= 8:
            _CANDIDATES.clear()
        hit = _CANDIDATES[ctx] = Gradual(
            lambda c, e: _read_candidates(c, sid, e).get(e, ([], None)),
            lambda c: _read_candidates(c, sid, None),
            lambda: ([], None),
        )
    return hit.get(con, eid)


def _read_candidates(
    con: duckdb.DuckDBPyConnection, sid: int, eid: str | None
) -> dict[str, tuple[list[dict], float | None]]:
    """Recipient -> (candidate deals in deal order, delivered TIV): one recipient's or all."""
    cond = "" if eid is None else "AND d.recipient_id = $eid"
    params = {"sid": sid} | ({} if eid is None else {"eid": eid})
    by: dict[str, list[dict]] = {}
    made = "(?i)" + _LOCAL_MADE
    for r in frame.query(con, _CANDIDATES_SQL.format(cond=cond), params | {"made": made}).to_pylist():
        by.setdefault(r.pop("recipient_id"), []).append(r)
    totals = con.execute(_TOTALS_SQL.format(cond=cond.replace("d.", "")), params).fetchall()
    return {rid: (by.get(rid, []), total) for rid, total in totals}  # every candidate's recipient has deals


def _listing_order(r: dict) -> tuple:
    """ORDER BY order_year, supplier, designation (NULLs last, as DuckDB sorts); ties in file order."""
    return (
        r["order_year"] is None,
        r["order_year"] or 0,
        r["supplier"],
        r["designation"] is None,
        r["designation"] or "",
    )


def _local_patterns(con: duckdb.DuckDBPyConnection, data: _StoreData, eid: str) -> tuple[str, str]:
    """Patterns over register comments (Python `re`), under any of the country's names: production or
    assembly in the country ("Assembled in Azerbaijan", "Incl production of components in
    Azerbaijan"), and of those, imported components for a platform produced there ("For 1
    MUGEM aircraft carrier produced in Turkiye")."""
    names = data.names.get(con, eid)
    alt = "|".join(sorted((re.escape(n) for n in names), key=len, reverse=True))
    made = rf"\b(assembl|produc|built|manufactur)\w*\b[^;]{{0,60}}\bin ({alt})\b"
    return f"(?i){made}", rf"(?i)^\s*for\b[^;]*{made}"


_PERSONNEL_COLUMNS = {
    "year": frame.INT32,
    "personnel": frame.FLOAT64,
    "milex_current_usd": frame.FLOAT64,
    "spending_per_soldier": frame.FLOAT64,
}
WHOLE_AFTER = 8  # countries asked before every country's personnel rows are read at once


def _personnel_rows(con: duckdb.DuckDBPyConnection, data: _StoreData, eid: str) -> list[dict]:
    """The country's personnel and spending per soldier by year; after a few countries (a
    server), every country's from one read."""
    cache = data.personnel
    if "*" not in cache and len(cache) >= WHOLE_AFTER:
        cache.clear()
        cache.update(_read_personnel(con, data, None))
        cache["*"] = []
    if "*" in cache:
        return cache.get(eid, [])
    cache[eid] = _read_personnel(con, data, eid).get(eid, [])
    return cache[eid]


def _read_personnel(
    con: duckdb.DuckDBPyConnection, data: _StoreData, eid: str | None
) -> dict[str, list[dict]]:
    wb, mx = data.wb, data.mx
    t = frame.query(
        con,
        """WITH p AS (SELECT entity_id, year, value AS personnel FROM indicator
                      WHERE code = $code AND ($eid::VARCHAR IS NULL OR entity_id = $eid) AND snapshot_id = $wb),
                m AS (SELECT entity_id, year, value AS milex_current_usd FROM milex
                      WHERE measure = 'current_usd' AND ($eid::VARCHAR IS NULL OR entity_id = $eid)
                        AND snapshot_id = $mx)
           SELECT entity_id, year, p.personnel, m.milex_current_usd,
                  m.milex_current_usd * 1e6 / nullif(p.personnel, 0) AS spending_per_soldier
           FROM p LEFT JOIN m USING (entity_id, year) ORDER BY entity_id, year"""
        if mx
        else """SELECT entity_id, year, value AS personnel, NULL::DOUBLE AS milex_current_usd,
                  NULL::DOUBLE AS spending_per_soldier
           FROM indicator WHERE code = $code AND ($eid::VARCHAR IS NULL OR entity_id = $eid) AND snapshot_id = $wb
           ORDER BY entity_id, year""",
        {"code": PERSONNEL, "eid": eid, "wb": wb.snapshot_id if wb else -1}
        | ({"mx": mx.snapshot_id} if mx else {}),
    )
    by: dict[str, list[dict]] = {}
    for r in t.to_pylist():
        by.setdefault(r.pop("entity_id"), []).append(r)
    return by


def _personnel(
    con: duckdb.DuckDBPyConnection, data: _StoreData, eid: str, refs: list[SnapshotRef]
) -> tuple[TableResult, PersonnelSummary | Unavailable]:
    """Armed-forces personnel (World Bank) beside SIPRI milex, and spending per soldier."""
    wb, mx = data.wb, data.mx
    refs += [r for r in (wb, mx) if r is not None and r not in refs]
    rows = _personnel_rows(con, data, eid) if wb is not None else []
    t = frame.from_rows(rows, _PERSONNEL_COLUMNS)
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
