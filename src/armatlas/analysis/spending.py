"""Military spending in context: level, burden, growth, rank, peers and series breaks.

Reads only the harmonised `milex` table (newest SIPRI workbook in the store). Shares are
stored as fractions; they are shown as per cent by the interfaces, never converted here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from armatlas import frame
from armatlas.analysis.counting import is_state
from armatlas.entities.register import load_register
from armatlas.errors import NoDataError, QueryError
from armatlas.results import CompositeResult, Provenance, SnapshotRef, TableResult
from armatlas.store.releases import NEWEST_ORDER, newest_sql
from armatlas.store.scope import once
from armatlas.summaries import SpendingSummary

MEASURES = ("constant_usd", "current_usd", "share_gdp", "per_capita", "share_govt")
DEFAULT_PERIODS = (1, 5, 10)
# A year-on-year local-currency ratio beyond this, with constant US$ moving far less, is a
# redenomination or rebasing, not a real change in spending.
LC_JUMP = 10.0
WHOLE_AFTER = 8  # countries asked before every country's series is read at once


def spending_provenance(con: duckdb.DuckDBPyConnection, keys: Sequence[str], basis: str) -> Provenance:
    """Newest snapshot of each source ('sipri_milex') or WB indicator code named in keys."""
    refs: list[SnapshotRef] = []
    for key in keys:
        rows = con.execute(
            f"""SELECT snapshot_id, source, file_name, layout, release, CAST(generated_at AS VARCHAR),
                      sha256, url FROM snapshot WHERE source = ? OR selection = ?
               ORDER BY {NEWEST_ORDER} LIMIT 1""",
            [key, key],
        ).fetchall()
        refs.extend(SnapshotRef(*r) for r in rows)
    release = next((r.release for r in refs if r.source == "sipri_milex"), refs[0].release if refs else "")
    # Provenance.citation() names each source of `refs` (SIPRI milex, World Bank WDI) and its dates.
    return Provenance(release=release, snapshots=refs, basis=basis)


def milex_snapshot(con: duckdb.DuckDBPyConnection) -> int:
    # the newest release (latest data year), not the most recently ingested workbook
    rows = once(("milex",), lambda: con.execute("SELECT " + newest_sql("source = 'sipri_milex'")).fetchall())
    if not rows or rows[0][0] is None:
        raise NoDataError(
            "No SIPRI military expenditure data in the store",
            hint="Run `armatlas ingest` on the SIPRI milex workbook",
        )
    return int(rows[0][0])


_SERIES_SQL = f"""SELECT entity_id, year,
    {", ".join(f"max(value) FILTER (WHERE measure = '{m}') AS {m}" for m in MEASURES)},
    max(value) FILTER (WHERE measure = 'local_currency_cy') AS local_currency,
    max(status) FILTER (WHERE measure = 'constant_usd') AS status,
    max(base_year) AS base_year, max(flags) AS flags
    FROM milex WHERE snapshot_id = $sid AND ($eid::VARCHAR IS NULL OR entity_id = $eid)
    GROUP BY entity_id, year ORDER BY entity_id, year"""
SERIES_COLUMNS = {
    "year": frame.INT32,
    **dict.fromkeys(MEASURES, frame.FLOAT64),
    "local_currency": frame.FLOAT64,
    "status": frame.STRING,
    "base_year": frame.INT32,
    "flags": frame.STRING,
    "break": frame.STRING,
}


def series(con: duckdb.DuckDBPyConnection, entity_id: str, sid: int) -> frame.Frame:
    """One row per year: every measure, its status, and a break note where the series breaks."""
    return _series_table(_series_rows(con, sid, entity_id).get(entity_id, []))


def _series_rows(con: duckdb.DuckDBPyConnection, sid: int, entity_id: str | None) -> dict[str, list[dict]]:
    """entity -> its yearly rows with break notes (entity_id None: every entity in the workbook)."""
    by: dict[str, list[dict]] = {}
    for r in frame.query(con, _SERIES_SQL, {"sid": sid, "eid": entity_id}).to_pylist():
        by.setdefault(r.pop("entity_id"), []).append(r)
    for rows in by.values():
        for r, note in zip(rows, break_notes(rows), strict=True):
            r["break"] = note
    return by


def _series_table(rows: list[dict]) -> frame.Frame:
    return frame.from_rows(rows, SERIES_COLUMNS)


def break_notes(rows: list[dict]) -> list[str | None]:
    """Flag redenominations (local-currency jump, constant US$ steady) and restarts after gaps."""
    out: list[str | None] = []
    prev: dict | None = None
    for r in rows:
        note = None
        if prev is not None:
            lc0, lc1 = prev["local_currency"], r["local_currency"]
            c0, c1 = prev["constant_usd"], r["constant_usd"]
            if lc0 and lc1 and (lc1 / lc0 > LC_JUMP or lc0 / lc1 > LC_JUMP):
                real = c1 / c0 if c0 and c1 else None
                if real is None or 1 / 3 < real < 3:
                    note = f"local currency x{lc1 / lc0:.3g} while constant US$ x{real or float('nan'):.2f}: redenomination or rebasing"
            if (
                c1 is not None
                and prev["constant_usd"] is None
                and prev["status"] in ("missing", "did_not_exist")
            ):
                note = f"series resumes after '{prev['status']}'"
        out.append(note)
        prev = r
    return out


def growth(rows: list[dict], periods: Sequence[int], last: int | None) -> frame.Frame:
    """Change in constant US$ over the last N years (real terms), with the years compared."""
    by_year = {r["year"]: r["constant_usd"] for r in rows}
    out: dict[str, list[Any]] = {"years": [], "from_year": [], "to_year": [], "change": []}
    if last is None:
        return frame.table(out)
    for n in periods:
        a, b = by_year.get(last - n), by_year.get(last)
        out["years"].append(n)
        out["from_year"].append(last - n)
        out["to_year"].append(last)
        out["change"].append(b / a - 1 if a and b else None)
    return frame.table(out)


def world_ranks(con: duckdb.DuckDBPyConnection, sid: int, year: int) -> frame.Frame:
    """Every entity's values on each measure in one year (ranks: `_ranks`, states only)."""
    return frame.query(
        con,
        f"""SELECT entity_id, e.name, e.region, e.subregion, e.kind,
            {", ".join(f"max(value) FILTER (WHERE measure = '{m}') AS {m}" for m in MEASURES)}
            FROM milex LEFT JOIN entity e USING (entity_id)
            WHERE snapshot_id = ? AND year = ? GROUP BY ALL""",
        [sid, year],
    )


def spending(
    con: duckdb.DuckDBPyConnection,
    entity_id: str,
    *,
    peers: Sequence[str] | None = None,
    year: int | None = None,
    periods: Sequence[int] = DEFAULT_PERIODS,
    content: str | None = None,
) -> CompositeResult[SpendingSummary]:
    """Level, burden, growth, world rank and peer comparison for one country.

    content: the store's content digest when the caller has it (a release context's), so the
    figures every country shares (the workbook, each year's world ranks) are read once."""
    reg = load_register()
    ent = reg.get(entity_id)
    shared = _shared(con, content)
    ser = shared.series(con, entity_id)
    rows = ser.to_pylist()
    with_data = [r["year"] for r in rows if r["constant_usd"] is not None or r["share_gdp"] is not None]
    if not with_data:
        raise NoDataError(f"SIPRI has no military expenditure figures for {ent.name}")
    year = year if year is not None else max(with_data)
    if year not in {r["year"] for r in rows}:
        raise QueryError(f"No SIPRI figures for {ent.name} in {year}", value=year)
    world, ranks = shared.world(con, year)
    # Neighbours: same subregion; SIPRI's Middle East has no subregions, so fall back to region.
    key, val = ("subregion", ent.subregion) if ent.subregion else ("region", ent.region)
    peer_ids = list(peers) if peers else [w["entity_id"] for w in world if val and w[key] == val]
    if entity_id not in peer_ids:
        peer_ids.insert(0, entity_id)
    peer_rows = [
        dict(w, **{f"rank_{m}": ranks[m].get(w["entity_id"]) for m in MEASURES})
        for w in world
        if w["entity_id"] in peer_ids
    ]
    peer_rows.sort(key=lambda w: (-(w["constant_usd"] or -1), w["entity_id"]))
    cur = next(r for r in rows if r["year"] == year)
    summary = SpendingSummary(
        entity_id=entity_id,
        name=ent.name,
        year=year,
        **{m: cur[m] for m in MEASURES},
        status=cur["status"],
        flags=cur["flags"],
        base_year=cur["base_year"],
        **{f"world_rank_{m}": ranks[m].get(entity_id) for m in MEASURES},
        countries_ranked=len(ranks["constant_usd"]),
        breaks=[(r["year"], r["break"]) for r in rows if r["break"]],
    )
    units = {
        "constant_usd": f"US$ m, constant {cur['base_year']} prices",
        "current_usd": "US$ m, current",
        "share_gdp": "fraction of GDP",
        "per_capita": "US$, current",
        "share_govt": "fraction of government spending",
        "local_currency": "local currency, current prices (calendar years)",
    }
    prov = shared.provenance
    parts: dict[str, TableResult] = {
        "series": TableResult("spending_series", ser, prov, units=units),
        "growth": TableResult(
            "spending_growth",
            growth(rows, periods, year),
            prov,
            units={"change": "fraction, constant US$ (real terms)"},
        ),
        "peers": TableResult(
            "spending_peers",
            frame.from_rows(peer_rows) if peer_rows else frame.table({}),
            prov,
            units=units,
        ),
    }
    warn = [f"series break in {y}: {n}" for y, n in summary.breaks]
    return CompositeResult(
        "spending",
        parts,
        prov,
        params={
            "entity_id": entity_id,
            "year": year,
            "peers": peers or f"{key}: {val}",
            "periods": list(periods),
        },
        summary=summary,
        warnings=warn,
    )


@dataclass
class _Shared:
    """What every country's spending shares, read once per store content."""

    milex: int
    provenance: Provenance
    years: dict[int, tuple[list[dict], dict[str, dict[str, int]]]] = field(default_factory=dict)
    asked: set[str] = field(default_factory=set)
    all_series: dict[str, list[dict]] | None = None

    def series(self, con: duckdb.DuckDBPyConnection, entity_id: str) -> frame.Frame:
        """A country's series; after a few countries (a server, a claim check) every country's
        at once, from one read of the workbook's rows."""
        if self.all_series is None and len(self.asked) >= WHOLE_AFTER:
            self.all_series = _series_rows(con, self.milex, None)
        if self.all_series is not None:
            return _series_table(self.all_series.get(entity_id, []))
        self.asked.add(entity_id)
        return series(con, entity_id, self.milex)

    def world(
        self, con: duckdb.DuckDBPyConnection, year: int
    ) -> tuple[list[dict], dict[str, dict[str, int]]]:
        """Every entity's values in a year and the states' world ranks on each measure."""
        hit = self.years.get(year)
        if hit is None:
            world = world_ranks(con, self.milex, year).to_pylist()
            hit = self.years[year] = (world, _ranks(world))
        return hit


_SHARED: dict[str, _Shared] = {}


def _shared(con: duckdb.DuckDBPyConnection, content: str | None) -> _Shared:
    from armatlas.analysis.context import store_content

    key = content or store_content(con)
    hit = _SHARED.get(key)
    if hit is None:
        if len(_SHARED) >= 8:
            _SHARED.clear()
        hit = _SHARED[key] = _Shared(
            milex_snapshot(con),
            spending_provenance(con, ["sipri_milex"], basis="SIPRI Military Expenditure Database"),
        )
    return hit


def _ranks(world: list[dict]) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for m in MEASURES:
        # SIPRI's workbook also holds the European Union: an aggregate, never ranked as a country
        have = sorted(
            (w for w in world if w[m] is not None and is_state(w["kind"])),
            key=lambda w: (-w[m], w["entity_id"]),
        )
        out[m] = {w["entity_id"]: i + 1 for i, w in enumerate(have)}
    return out


def indicators(
    con: duckdb.DuckDBPyConnection, entity_id: str, codes: Sequence[str] | None = None
) -> TableResult:
    """World Bank indicator series of one country, newest vintage of each code, one row a year."""
    load_register().get(entity_id)
    rows = con.execute(
        f"""SELECT i.year, i.code, i.value FROM indicator i
           WHERE i.entity_id = ? AND i.snapshot_id = {newest_sql("selection = i.code")}
           ORDER BY i.year, i.code""",
        [entity_id],
    ).fetchall()
    wanted = set(codes) if codes else {r[1] for r in rows}
    years = sorted({r[0] for r in rows if r[1] in wanted})
    cols: dict[str, list] = {"year": years, **{c: [None] * len(years) for c in sorted(wanted)}}
    pos = {y: i for i, y in enumerate(years)}
    for y, c, v in rows:
        if c in wanted:
            cols[c][pos[y]] = v
    prov = spending_provenance(con, sorted(wanted), basis="World Bank WDI")
    return TableResult(
        "indicators",
        frame.table(cols),
        prov,
        params={"entity_id": entity_id},
        units={c: "publisher's unit (see World Bank metadata)" for c in wanted},
    )
