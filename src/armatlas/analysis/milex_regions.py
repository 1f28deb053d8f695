"""Military spending of SIPRI's own regions: the workbook's regional totals and members.

The arms-transfer regions of the entity register are not SIPRI's spending regions (the milex
workbook puts Egypt and Türkiye in the Middle East), and SIPRI's regional totals include its
estimates for members without figures (the UAE since 2015), so a region's spending is read from
the workbook's 'Regional totals' sheet, never re-summed from the countries that have figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from armatlas.analysis.spending import milex_snapshot
from armatlas.store.scope import once

WORLD = "World"


def fetch_all(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[tuple]:
    return con.execute(sql, params).fetchall()


@dataclass(frozen=True)
class RegionSpending:
    """One SIPRI region (or the world) in one year; money in US$ m."""

    region: str
    year: int
    current_usd: float | None  # current prices of `year`
    basis: str  # how current_usd was obtained, in words
    constant_usd: float | None
    base_year: int | None  # price base of constant_usd
    change: float | None  # real change (fraction) since change_from, from the constant totals
    change_from: int | None
    world_share: float | None  # of SIPRI's world total, both at current prices
    uncertain: bool  # SIPRI's red: over 10% of the total is estimates for missing members
    members: int


def _key(name: str) -> str:
    n = name.lower().replace("&", "and").replace("-", " ")
    n = re.sub(r"\bsoutheast\b", "south east", n)
    return " ".join(n.split())


def _totals(
    con: duckdb.DuckDBPyConnection, sid: int
) -> dict[tuple[str, int, str], tuple[float, str, int | None]]:
    """(region, year, measure) -> (value, status, base year) of the workbook, read once a check."""

    def read() -> dict[tuple[str, int, str], tuple[float, str, int | None]]:
        try:
            rows = fetch_all(
                con,
                "SELECT region, year, measure, value, status, base_year FROM milex_region WHERE snapshot_id = ?",
                [sid],
            )
        except duckdb.CatalogException:  # a store made before armatlas read SIPRI's regions
            return {}
        return {(r[0], r[1], r[2]): (r[3], r[4], r[5]) for r in rows}

    return once(("milex_region", sid), read)


def region_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Normalised name ('sub saharan africa') -> SIPRI's spelling, for the newest workbook; empty
    when the store holds no regional totals (ingested by an older armatlas)."""
    return {_key(r): r for r, _, _ in _totals(con, milex_snapshot(con))}


def region_members(con: duckdb.DuckDBPyConnection, region: str) -> list[str]:
    """Entity ids the workbook lists under the region or subregion (every country for 'World')."""
    sid = milex_snapshot(con)
    rows = once(
        ("milex_member", sid),
        lambda: fetch_all(
            con, "SELECT entity_id, region, subregion FROM milex_member WHERE snapshot_id = ?", [sid]
        ),
    )
    return sorted({e for e, r, s in rows if region in (WORLD, r, s)})


def _current(con: duckdb.DuckDBPyConnection, sid: int, region: str, year: int) -> tuple[float | None, str]:
    """SIPRI's total at current prices: the workbook's own figure where it gives one (its last
    year), else the constant-price total times the members' current/constant ratio that year."""
    tot = _totals(con, sid)
    if (region, year, "current_usd") in tot:
        return tot[(region, year, "current_usd")][0], f"SIPRI's {region} total at current prices"
    const = tot.get((region, year, "constant_usd"))
    if const is None:
        return None, f"no SIPRI total for {region} in {year}"
    ids = region_members(con, region)
    got = fetch_all(
        con,
        """SELECT sum(value) FILTER (WHERE measure = 'current_usd'), sum(value) FILTER (WHERE measure = 'constant_usd')
           FROM milex WHERE snapshot_id = ? AND year = ? AND entity_id IN (SELECT unnest(?::VARCHAR[]))
             AND entity_id IN (SELECT entity_id FROM milex WHERE snapshot_id = ? AND year = ? AND value IS NOT NULL
                               AND measure IN ('current_usd', 'constant_usd')
                               GROUP BY entity_id HAVING count(*) = 2)""",
        [sid, year, ids, sid, year],
    )
    cur, con_usd = got[0] if got else (None, None)
    if not cur or not con_usd:
        return None, f"no member of {region} with figures in {year}"
    return const[0] * cur / con_usd, (
        f"SIPRI's {region} total at constant ({const[2]}) prices, converted to {year} prices by its "
        "members' current/constant ratio"
    )


def region_spending(
    con: duckdb.DuckDBPyConnection, name: str, year: int, base_year: int | None = None
) -> RegionSpending | None:
    """SIPRI's published total for a region, subregion or the world; None when the name is no
    SIPRI region or the store holds no regional totals."""
    region = region_names(con).get(_key(name))
    if region is None:
        return None
    sid = milex_snapshot(con)
    tot = _totals(con, sid)
    cur, basis = _current(con, sid, region, year)
    world, _ = _current(con, sid, WORLD, year) if region != WORLD else (cur, basis)
    const = tot.get((region, year, "constant_usd"))
    old = tot.get((region, base_year, "constant_usd")) if base_year is not None else None
    return RegionSpending(
        region=region,
        year=year,
        current_usd=cur,
        basis=basis,
        constant_usd=const[0] if const else None,
        base_year=const[2] if const else None,
        change=const[0] / old[0] - 1 if const and old and old[0] else None,
        change_from=base_year,
        world_share=cur / world if cur is not None and world else None,
        uncertain=any(
            (tot.get((region, y, m)) or (0.0, "", None))[1] == "uncertain"
            for y in {year, base_year}
            if y is not None
            for m in ("constant_usd", "current_usd")
        ),
        members=len(region_members(con, region)),
    )


def region_ranks(con: duckdb.DuckDBPyConnection, name: str, year: int) -> dict[str, int] | None:
    """Members of a SIPRI region ranked by spending at current prices (1 = largest); None when
    the name is no SIPRI region of the store."""
    region = region_names(con).get(_key(name))
    if region is None:
        return None
    rows = fetch_all(
        con,
        """SELECT entity_id FROM milex WHERE snapshot_id = ? AND year = ? AND measure = 'current_usd'
             AND value IS NOT NULL AND entity_id IN (SELECT unnest(?::VARCHAR[]))
           ORDER BY value DESC, entity_id""",
        [milex_snapshot(con), year, region_members(con, region)],
    )
    return {r[0]: i + 1 for i, r in enumerate(rows)}


@dataclass(frozen=True)
class SpendingHistory:
    """Where one year stands in a country's, region's or the world's real (constant US$) series:
    what news calls 'the highest ever', 'for the fourth consecutive year', 'the first rise since 2014'."""

    who: str
    year: int
    level: float | None  # constant US$ m
    change: float | None  # real change from the year before (fraction)
    first_year: int | None  # first year of the series
    higher_since: int | None  # last earlier year with a higher level (None: the highest of the series)
    lower_since: int | None  # last earlier year with a lower level (None: the lowest)
    run: int  # consecutive annual changes of this year's sign ending with it (+3: third rise in a row)
    same_sign_before: int | None  # last earlier year whose change had this year's sign
    bigger_change_since: int | None  # last earlier year with a change of this sign at least as large


def spending_history(con: duckdb.DuckDBPyConnection, who: str, year: int) -> SpendingHistory | None:
    """The history facts of `who` ('region:Africa', 'WORLD' or an entity id) in `year`, from SIPRI's
    constant-price totals or the country's constant US$ series; None without the year's figure."""
    sid = milex_snapshot(con)
    if who == "WORLD" or who.startswith("region:"):
        region = region_names(con).get(_key(WORLD if who == "WORLD" else who.partition(":")[2]))
        if region is None:
            return None
        tot = _totals(con, sid)
        series = {y: v[0] for (r, y, m), v in tot.items() if r == region and m == "constant_usd"}
    else:
        rows = fetch_all(
            con,
            "SELECT year, value FROM milex WHERE snapshot_id = ? AND entity_id = ? AND measure = 'constant_usd' "
            "AND value IS NOT NULL",
            [sid, who],
        )
        series = dict(rows)
    if year not in series:
        return None
    years = sorted(y for y in series if y <= year)
    level = series[year]
    changes = {y: series[y] / series[y - 1] - 1 for y in years if y - 1 in series and series[y - 1]}
    ch = changes.get(year)
    run = 0
    if ch:
        y = year
        while y in changes and (changes[y] > 0) == (ch > 0) and changes[y] != 0:
            run += 1
            y -= 1
    earlier = [y for y in years if y < year]
    same = [y for y in earlier if y in changes and ch and (changes[y] > 0) == (ch > 0) and changes[y] != 0]
    return SpendingHistory(
        who=who,
        year=year,
        level=level,
        change=ch,
        first_year=years[0] if years else None,
        higher_since=max((y for y in earlier if series[y] > level), default=None),
        lower_since=max((y for y in earlier if series[y] < level), default=None),
        run=run if (ch or 0) >= 0 else -run,
        same_sign_before=max(same, default=None),
        bigger_change_since=max((y for y in same if abs(changes[y]) >= abs(ch or 0)), default=None),
    )
