"""Shares and changes of a group's flows, for statements of the form 'X's share of Y's imports'.

A group is one entity, a list, or a region's states; the base is either the world total
(period_totals, so the publisher's TIV tables when the release has them) or the group's own
register flows, and the part is the group itself or its flows with some partners. One row per
period with the change against the period before (ratio) and the share's change in points.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

import duckdb

from armatlas import frame
from armatlas.analysis import slices
from armatlas.analysis.context import ReleaseContext
from armatlas.analysis.counting import is_state
from armatlas.analysis.flows import annual_totals
from armatlas.analysis.periods import Period
from armatlas.store.db import fetch_one

_T = TypeVar("_T")
_CACHE: dict[tuple, object] = {}
_CACHE_MAX = 64


def _cached(key: tuple, build: Callable[[], _T]) -> _T:
    """Per release context and direction: a release's data never change once ingested."""
    hit = _CACHE.get(key)
    if hit is None:
        if len(_CACHE) >= _CACHE_MAX:
            _CACHE.clear()
        hit = _CACHE[key] = build()
    return cast(_T, hit)  # each key's first element names what `build` returns


def _annual(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str
) -> dict[tuple[str, int], float]:
    """(entity_id, year) -> TIV on the release's totals basis (TIV tables when it has them), 'world' included."""

    def build() -> dict[tuple[str, int], float]:
        t = annual_totals(con, ctx, direction, range(ctx.first_year, ctx.last_year + 1)).to_pydict()
        return {(e, y): v or 0.0 for e, y, v in zip(t["entity_id"], t["year"], t["tiv"], strict=True)}

    return _cached(("annual", ctx, direction), build)


def _bilateral(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str) -> dict[str, list[tuple]]:
    """entity_id -> [(partner_id, year, deal_keys, tiv)] from the release's aggregates, once per
    release and direction."""

    def build() -> dict[str, list[tuple]]:
        own, other = slices.side(direction)
        out: dict[str, list[tuple]] = {}
        for f in slices.flows(con, ctx, None):
            out.setdefault(getattr(f, own), []).append((getattr(f, other), f.year, f.deal_keys, f.tiv))
        return out

    return _cached(("bilateral", ctx, direction), build)


# tools/measure_split.py: the estimated per-year split puts this share of bilateral-year TIV in
# another year than the exact register (docs/architecture.md, 'Per-year deliveries').
SPLIT_MISPLACED = 0.167


def _annual_estimated(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str
) -> dict[tuple[str, int], float]:
    """(entity_id, year) -> TIV resting on the estimated per-year split, 'world' included."""

    def build() -> dict[tuple[str, int], float]:
        own, _ = slices.side(direction)
        out: dict[tuple[str, int], float] = {}
        for f in slices.flows(con, ctx, None):
            if f.estimated_tiv:
                for key in ((getattr(f, own), f.year), ("world", f.year)):
                    out[key] = out.get(key, 0.0) + f.estimated_tiv
        return out

    return _cached(("estimated", ctx, direction), build)


def split_margins(
    con: duckdb.DuckDBPyConnection,
    ctx: ReleaseContext,
    direction: str,
    periods: Sequence[Period],
    group: Sequence[str] | None,
) -> list[float]:
    """Per period: TIV the estimated per-year split may have put in a neighbouring period — the
    measured misplaced share of the estimated TIV in the period's first and last year (a delivery
    moves to the year next to it). Zero on releases with exact years or TIV tables."""
    est = _annual_estimated(con, ctx, direction)
    members = ["world"] if group is None else list(dict.fromkeys(group))
    return [
        SPLIT_MISPLACED * sum(est.get((e, y), 0.0) for e in members for y in {p.start, p.end})
        for p in periods
    ]


def share_series(
    con: duckdb.DuckDBPyConnection,
    ctx: ReleaseContext,
    direction: str,
    periods: Sequence[Period],
    group: Sequence[str] | None,
    partners: Sequence[str] | None = None,
) -> frame.Frame:
    """period, part_tiv, base_tiv, share, change, share_change_pp, deals, partners_n.

    group None is the world. Without partners, the part is the group and the base the world
    total (the release's totals basis, as period_totals); with partners, the base is the group's
    register flows and the part those with the partners.
    """
    rows: list[dict] = []
    if partners is None:
        annual = _annual(con, ctx, direction)
        members = ["world"] if group is None else list(dict.fromkeys(group))
        for p in periods:
            world = sum(annual.get(("world", y), 0.0) for y in p.years)
            part = sum(annual.get((e, y), 0.0) for e in members for y in p.years)
            rows.append(
                {"period": p.label, "part_tiv": part, "base_tiv": world, "deals": None, "partners_n": None}
            )
    else:
        flows = _bilateral(con, ctx, direction)
        want = set(partners)
        items = [r for e in dict.fromkeys(group or list(flows)) for r in flows.get(e, [])]
        for p in periods:
            here = [r for r in items if p.start <= r[1] <= p.end]
            rows.append(
                {
                    "period": p.label,
                    "part_tiv": sum(r[3] for r in here if r[0] in want),
                    "base_tiv": sum(r[3] for r in here),
                    "deals": len({k for r in here for k in r[2]}),
                    "partners_n": len({r[0] for r in here if r[3]}),
                }
            )
    prev = None
    for r in rows:
        r["share"] = r["part_tiv"] / r["base_tiv"] if r["base_tiv"] else None
        r["change"] = r["part_tiv"] / prev["part_tiv"] - 1 if prev and prev["part_tiv"] else None
        r["share_change_pp"] = (
            100 * (r["share"] - prev["share"])
            if prev and r["share"] is not None and prev["share"] is not None
            else None
        )
        prev = r
    return frame.from_rows(rows)


def partner_ranks(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str, period: Period, entity_id: str
) -> list[dict]:
    """An entity's partners in a period, largest first: partner_id, tiv, share, rank, deals."""
    here = [
        r for r in _bilateral(con, ctx, direction).get(entity_id, []) if period.start <= r[1] <= period.end
    ]
    total = sum(r[3] for r in here)
    by: dict[str, list] = {}
    for p, _, keys, tiv in here:
        acc = by.setdefault(p, [0.0, set()])
        acc[0] += tiv
        acc[1].update(keys)
    ranked = sorted(by.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return [
        {
            "partner_id": p,
            "tiv": v[0],
            "share": v[0] / total if total else None,
            "rank": i + 1,
            "deals": len(v[1]),
        }
        for i, (p, v) in enumerate(ranked)
    ]


def spending_group(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str] | None, year: int, base_year: int | None = None
) -> dict:
    """Military spending of a group in a year: current US$ m, its share of the world's, the real
    change (constant US$) since base_year; ids None is the world. Countries without a figure count 0."""
    from armatlas.analysis.spending import milex_snapshot

    sid = milex_snapshot(con)

    def total(y: int, measure: str, only: Sequence[str] | None) -> tuple[float | None, int]:
        sql = "SELECT sum(value), count(value) FROM milex WHERE snapshot_id = ? AND year = ? AND measure = ?"
        params: list = [sid, y, measure]
        if only is not None:
            sql += " AND entity_id IN (SELECT unnest(?::VARCHAR[]))"
            params.append(list(only))
        got = fetch_one(con, sql, params)  # read to the end: a fetchone() leaves the result open
        return (got[0], got[1]) if got else (None, 0)

    cur, n = total(year, "current_usd", ids)
    world, _ = total(year, "current_usd", None)
    out = {
        "year": year,
        "current_usd": cur,
        "countries": n,
        "world_current_usd": world,
        "share": cur / world if cur is not None and world else None,
        "change": None,
        "base_year": base_year,
    }
    if base_year is not None:
        a, _ = total(base_year, "constant_usd", ids)
        b, _ = total(year, "constant_usd", ids)
        out["change"] = b / a - 1 if a and b is not None else None
    return out


def spending_ratio(con: duckdb.DuckDBPyConnection, a: Sequence[str], b: Sequence[str], year: int) -> dict:
    """How many times b's military spending a's is in one year (current US$, as levels are compared)."""
    x, y = spending_group(con, a, year), spending_group(con, b, year)
    ratio = x["current_usd"] / y["current_usd"] if x["current_usd"] is not None and y["current_usd"] else None
    return {
        "year": year,
        "ratio": ratio,
        "current_usd": x["current_usd"],
        "other_current_usd": y["current_usd"],
    }


def group_ranks(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str, period: Period, ids: Sequence[str]
) -> list[dict]:
    """Ranks (1 = largest) of the group's members by TIV in a period ('the largest European importer')."""
    annual = _annual(con, ctx, direction)
    rows: list[dict[str, Any]] = [
        {"entity_id": e, "tiv": sum(annual.get((e, y), 0.0) for y in period.years)}
        for e in dict.fromkeys(ids)
    ]
    rows = sorted((r for r in rows if r["tiv"]), key=lambda r: (-r["tiv"], r["entity_id"]))
    return _state_ranks(con, rows)


def _state_ranks(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> list[dict]:
    """Rank 1, 2, ... among states only (SIPRI's rule, analysis/counting.py); others get None."""
    kinds = dict(con.execute("SELECT entity_id, kind FROM entity").fetchall())
    out, n = [], 0
    for r in rows:
        ranked = is_state(kinds.get(r["entity_id"]))
        n += ranked
        out.append({**r, "rank": n if ranked else None})
    return out


def _by_year(annual: dict[tuple[str, int], float]) -> dict[int, list[tuple[str, float]]]:
    out: dict[int, list[tuple[str, float]]] = {}
    for (e, y), v in annual.items():
        out.setdefault(y, []).append((e, v))
    return out


def world_ranks(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str, period: Period
) -> list[dict]:
    """Every entity's TIV, world share and rank in a period (the world row excluded), largest first."""
    ctx.require_world()
    by_year = _cached(("by_year", ctx, direction), lambda: _by_year(_annual(con, ctx, direction)))
    tot: dict[str, float] = {}
    for y in period.years:
        for e, v in by_year.get(y, ()):
            tot[e] = tot.get(e, 0.0) + v
    world = tot.pop("world", 0.0)
    rows = sorted(((e, v) for e, v in tot.items() if v), key=lambda kv: (-kv[1], kv[0]))
    return _state_ranks(
        con, [{"entity_id": e, "tiv": v, "share": v / world if world else None} for e, v in rows]
    )


def partner_states(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str, period: Period, entity_id: str
) -> list[dict]:
    """The entity's partners in the period that are states (as SIPRI counts recipients), largest first;
    rebel groups, organisations and unknown parties are left out."""
    from armatlas.entities.register import load_register

    reg = load_register()

    def state(eid: str) -> bool:
        try:
            return is_state(reg.get(eid).kind)  # SIPRI's rule, analysis/counting.py
        except Exception:  # an id the register does not know is not counted as a state
            return False

    return [
        r
        for r in partner_ranks(con, ctx, direction, period, entity_id)
        if r["tiv"] and state(r["partner_id"])
    ]
