"""Per-year deliveries of registers that list only delivery years, exact wherever possible.

In order of preference, a deal's per-year units come from
  1. `same_release`: the publisher's delivery-year rows of the same release (an exact
     register of the register's release, as `armatlas fetch` records it for the two layouts
     it downloads together, or whose newest data year is the register's own),
  2. `prior_release`: the same deal in an older exact release, for the years that release
     covers, when its rows agree with the new record (same listed years there, no more units
     than the new record delivers); only the remainder goes on the other listed years,
  3. `estimated`: the measured split rule (`sources/sipri_transfers/split.py`).
Each delivery row records which (`delivery.allocation`); rows under 1 and 2 are the
publisher's figures, so only `estimated` rows count towards a result's estimated share.

A deal is the same when supplier, recipient and order year are equal and the designation is
the closest among the rows that agree (designations are respelt between layouts: `Lynx MRL`
vs `Lynx`, `Spike-MR` vs `Spike-MR/LR`). The result does not depend on ingest order: the
rows of every estimated register are re-derived whenever a register of either kind arrives.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from armatlas import columnar
from armatlas.sources.sipri_transfers.split import split_deal, split_weighted

SAME, PRIOR, ESTIMATED, EXACT = "same_release", "prior_release", "estimated", "exact"
ESTIMATED_LAYOUTS = ("web_register", "tidy_register")
EXACT_LAYOUT = "delivery_years"
_MIN_SIMILARITY = 0.4  # below this a respelt designation is a different weapon
_MIN_REVISED = 0.8  # a revised deal (years or numbers changed) must keep its designation
_NON_ALNUM = re.compile(r"[^a-z0-9]+")

Row = tuple[
    int, int | None, float | None, bool | None, bool | None, str
]  # year, units, tiv, flags, allocation


@dataclass
class _OldDeal:
    deal_key: int
    designation: str
    rows: list[tuple[int, int | None, float | None, bool | None, bool | None]] = field(default_factory=list)


@dataclass
class _Exact:
    """One exact release: its deals by (supplier, recipient, order year) and the years it covers."""

    snapshot_id: int
    last_year: int
    release: str
    first_cov: int
    last_cov: int
    groups: dict[tuple[str, str, int | None], list[_OldDeal]]
    used: set[int] = field(default_factory=set)


def _norm(designation: str | None) -> str:
    return _NON_ALNUM.sub("", (designation or "").lower())


def _similarity(a: str, b: str) -> float:
    na, nb = _norm(a), _norm(b)
    return 2.0 if na == nb else difflib.SequenceMatcher(None, na, nb).ratio()


def _load_exact(con: duckdb.DuckDBPyConnection, last_year: int, release: str) -> list[_Exact]:
    """Exact registers no newer than the register, preferred order: the same release (as
    `armatlas fetch` records it, or the same data year), then newest; ties broken by content
    (sha256) so that ingest order never matters."""
    snaps = con.execute(
        """SELECT s.snapshot_id, s.last_year, s.release, TRY_CAST(s.year_from AS INTEGER),
                  TRY_CAST(s.year_to AS INTEGER), min(v.year), max(v.year)
           FROM snapshot s JOIN delivery v USING (snapshot_id)
           WHERE s.layout = ? AND s.last_year <= ?
           GROUP BY s.snapshot_id, s.last_year, s.release, s.year_from, s.year_to, s.generated_at, s.sha256
           ORDER BY s.release = ? DESC, s.last_year = ? DESC, s.last_year DESC, s.generated_at DESC NULLS LAST,
                    s.sha256""",
        [EXACT_LAYOUT, last_year, release, last_year],
    ).fetchall()
    out = []
    for sid, ly, rel, y_from, y_to, lo, hi in snaps:
        groups: dict[tuple[str, str, int | None], list[_OldDeal]] = defaultdict(list)
        by_key: dict[int, _OldDeal] = {}
        rows = con.execute(
            """SELECT d.deal_key, d.supplier_id, d.recipient_id, d.order_year, d.designation,
                      v.year, v.units, v.tiv, v.year_est, v.units_est
               FROM deal d JOIN delivery v USING (deal_key) WHERE d.snapshot_id = ?
               ORDER BY d.deal_key, v.year""",
            [sid],
        ).fetchall()
        for key, sup, rec, oy, des, year, units, tiv, yest, uest in rows:
            old = by_key.get(key)
            if old is None:
                old = by_key[key] = _OldDeal(key, des)
                groups[sup, rec, oy].append(old)
            old.rows.append((year, units, tiv, yest, uest))
        out.append(_Exact(sid, ly, rel, max(lo, y_from or lo), min(hi, y_to or hi), dict(groups)))
    return out


def _agree(old: _OldDeal, covered: list[int], rest: list[int], n: int | None) -> bool:
    """The old rows are the new record's deliveries in the covered years, with room for the rest."""
    if sorted({r[0] for r in old.rows}) != covered:
        return False
    units = [r[1] for r in old.rows]
    if not n or any(u is None for u in units):
        return not rest  # without numbers only a fully covered deal can take the old shares
    got = sum(u for u in units if u is not None)
    return got == n if not rest else got < n


def _rows_from(
    old: _OldDeal, rest: list[int], n: int | None, tiv: float | None, label: str, units_est: bool | None
) -> list[Row]:
    """The old release's per-year units (or TIV shares) scaled to the new record's TIV."""
    out: list[Row] = []
    old_tiv = sum(r[2] or 0.0 for r in old.rows)
    for year, units, t, yest, uest in old.rows:
        if not rest and old_tiv > 0:
            share = (t or 0.0) / old_tiv  # fully covered: the publisher's own TIV shares
        else:
            share = (units or 0) / n if n else 0.0
        out.append((year, units, None if tiv is None else tiv * share, yest, uest, label))
    if rest and n:
        left = n - sum(r[1] or 0 for r in old.rows)
        t_left = None if tiv is None else tiv * left / n
        out += [(y, u, t, None, units_est, ESTIMATED) for y, u, t in split_deal(rest, left, t_left)]
    return out


def _match(exact: _Exact, deal: tuple, years: list[int], strict: bool) -> tuple[_OldDeal, list[int]] | None:
    """The best agreeing old deal of one exact release (strict: same designation only)."""
    _key, sup, rec, oy, des, n, _tiv, _uest = deal
    covered = [y for y in years if exact.first_cov <= y <= exact.last_cov]
    if not covered:
        return None
    rest = [y for y in years if y not in covered]
    best: tuple[float, _OldDeal] | None = None
    for old in exact.groups.get((sup, rec, oy), ()):
        if old.deal_key in exact.used or not _agree(old, covered, rest, n):
            continue
        score = _similarity(des, old.designation)
        if (strict and score < 2.0) or score < _MIN_SIMILARITY:
            continue
        if best is None or score > best[0]:
            best = (score, old)
    return None if best is None else (best[1], rest)


def _revised_match(exact: _Exact, deal: tuple, years: list[int]) -> _OldDeal | None:
    """The same deal with revised years or numbers: same designation, some listed year shared."""
    _key, sup, rec, oy, des, _n, _tiv, _uest = deal
    best: tuple[float, _OldDeal] | None = None
    for old in exact.groups.get((sup, rec, oy), ()):
        if old.deal_key in exact.used or any(r[1] is None for r in old.rows):
            continue
        if not {r[0] for r in old.rows} & set(years):
            continue
        score = _similarity(des, old.designation)
        if score >= _MIN_REVISED and (best is None or score > best[0]):
            best = (score, old)
    return None if best is None else best[1]


def _reshaped(
    old: _OldDeal, years: list[int], n: int, tiv: float | None, units_est: bool | None
) -> list[Row]:
    """Estimate a revised deal: the old units where both list the year (scaled down if they
    now exceed the number delivered), the rest by the split rule on the newly listed years."""
    old_units = {r[0]: r[1] or 0 for r in old.rows}
    shared = [y for y in years if y in old_units]
    new_only = [y for y in years if y not in old_units]
    base = [old_units[y] for y in shared]
    total = sum(base)
    if total > n or (total < n and not new_only):
        scaled = split_weighted(n, base) if total else [0] * len(base)
        units = dict(zip(shared, scaled, strict=True)) | dict.fromkeys(new_only, 0)
    else:
        units = dict(zip(shared, base, strict=True))
        rest = split_deal(new_only, n - total, None) if new_only else []
        units.update({y: u or 0 for y, u, _t in rest})
    return [
        (y, units[y], None if tiv is None else tiv * units[y] / n, None, units_est, ESTIMATED) for y in years
    ]


def allocate(
    deals: list[tuple], years_of: dict[int, list[int]], exact: list[_Exact], last_year: int, release: str = ""
) -> dict[int, list[Row]]:
    """Per-year rows for every deal with delivery years, by order of preference."""
    out: dict[int, list[Row]] = {}
    for strict in (True, False):  # same designation first, so a respelt one cannot steal it
        for deal in deals:
            key, *_ = deal
            if key in out:
                continue
            for ex in exact:
                hit = _match(ex, deal, years_of[key], strict)
                if hit is not None:
                    ex.used.add(hit[0].deal_key)
                    label = SAME if ex.last_year == last_year or ex.release == release else PRIOR
                    out[key] = _rows_from(hit[0], hit[1], deal[5], deal[6], label, deal[7])
                    break
    for deal in deals:  # revised deals: the old per-year units as the shape of the estimate
        if deal[0] not in out and deal[5]:
            for ex in exact:
                old = _revised_match(ex, deal, years_of[deal[0]])
                if old is not None:
                    ex.used.add(old.deal_key)
                    out[deal[0]] = _reshaped(old, years_of[deal[0]], deal[5], deal[6], deal[7])
                    break
    for key, _s, _r, _o, _d, n, tiv, uest in deals:
        if key not in out:
            out[key] = [(y, u, t, None, uest, ESTIMATED) for y, u, t in split_deal(years_of[key], n, tiv)]
    return out


def reallocate(
    con: duckdb.DuckDBPyConnection, snapshot_id: int, *, resplit: bool = False
) -> dict[str, float]:
    """Re-derive one estimated register's delivery rows; returns delivered TIV by allocation.

    resplit: also re-derive when no exact release exists (rows written by an older armatlas
    with another split rule)."""
    last_year, release = con.execute(
        "SELECT last_year, release FROM snapshot WHERE snapshot_id = ?", [snapshot_id]
    ).fetchall()[0]
    exact = _load_exact(con, last_year, release)
    mix = dict(
        con.execute(
            "SELECT allocation, sum(tiv) FROM delivery WHERE snapshot_id = ? GROUP BY 1", [snapshot_id]
        ).fetchall()
    )
    if not exact and not resplit and not (SAME in mix or PRIOR in mix):
        # No exact release to draw on: the rows the parser wrote by the same split rule stand
        # (and a large register is not read back into memory whole). Rows that drew on an exact
        # release which is gone (`--replace` by one this register cannot use) are re-derived.
        return mix
    deals = con.execute(
        """SELECT deal_key, supplier_id, recipient_id, order_year, designation, n_delivered,
                  tiv_delivered, n_delivered_est
           FROM deal WHERE snapshot_id = ? AND deal_key IN (SELECT deal_key FROM delivery WHERE snapshot_id = ?)
           ORDER BY deal_key""",
        [snapshot_id, snapshot_id],
    ).fetchall()
    years_of = {
        k: ys
        for k, ys in con.execute(
            "SELECT deal_key, list(DISTINCT year ORDER BY year) FROM delivery WHERE snapshot_id = ? GROUP BY deal_key",
            [snapshot_id],
        ).fetchall()
    }
    rows = allocate(deals, years_of, exact, last_year, release)
    cols: dict[str, list[Any]] = {
        c: [] for c in ("deal_key", "year", "units", "tiv", "year_est", "units_est", "allocation")
    }
    by_allocation: dict[str, float] = defaultdict(float)
    for key, deal_rows in rows.items():
        for year, units, tiv, yest, uest, label in deal_rows:
            for c, v in zip(cols, (key, year, units, tiv, yest, uest, label), strict=True):
                cols[c].append(v)
            by_allocation[label] += tiv or 0.0
    table = columnar.table(
        {
            "deal_key": columnar.column(cols["deal_key"], pa.int64()),
            "snapshot_id": columnar.column([snapshot_id] * len(cols["year"]), pa.int32()),
            "year": columnar.column(cols["year"], pa.int32()),
            "units": columnar.column(cols["units"], pa.int32()),
            "tiv": columnar.column(cols["tiv"], pa.float64()),
            "year_est": columnar.column(cols["year_est"], pa.bool_()),
            "units_est": columnar.column(cols["units_est"], pa.bool_()),
            "allocation": columnar.column(cols["allocation"], pa.string()),
        }
    )
    con.execute("DELETE FROM delivery WHERE snapshot_id = ?", [snapshot_id])
    con.register("_alloc", table)
    con.execute("INSERT INTO delivery BY NAME SELECT * FROM _alloc")
    con.unregister("_alloc")
    return by_allocation


def resplit_all(con: duckdb.DuckDBPyConnection) -> None:
    """Every estimated register re-split by this version's rules (a store of an older schema)."""
    for (sid,) in con.execute(
        "SELECT snapshot_id FROM snapshot WHERE layout IN (SELECT unnest(?::VARCHAR[]))",
        [list(ESTIMATED_LAYOUTS)],
    ).fetchall():
        reallocate(con, sid, resplit=True)


def after_ingest(con: duckdb.DuckDBPyConnection, snapshot_id: int, layout: str) -> None:
    """An estimated register gets its rows; an exact one re-derives every estimated register."""
    if layout in ESTIMATED_LAYOUTS:
        # A register just read holds only the parser's split: with no exact register in the
        # store, those rows stand (`reallocate` would find as much, in three queries).
        if con.execute("SELECT 1 FROM snapshot WHERE layout = ? LIMIT 1", [EXACT_LAYOUT]).fetchall():
            reallocate(con, snapshot_id)
    elif layout == EXACT_LAYOUT:
        for (sid,) in con.execute(
            "SELECT snapshot_id FROM snapshot WHERE layout IN (SELECT unnest(?::VARCHAR[]))",
            [list(ESTIMATED_LAYOUTS)],
        ).fetchall():
            reallocate(con, sid)
