"""Annual and period flows: imports and exports of any entity, group or the world.

Shares are an entity's period sum over the world's period sum, the world being every row
(non-state actors and unknown parties included); change is sum(p1)/sum(p0) - 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from armatlas import frame
from armatlas.analysis import slices
from armatlas.analysis.context import ReleaseContext
from armatlas.analysis.counting import is_state
from armatlas.analysis.gradual import Gradual
from armatlas.analysis.periods import Period
from armatlas.errors import QueryError
from armatlas.results import TableResult
from armatlas.store.schema import WORLD_ID

DIRECTIONS = ("import", "export")


def check_direction(direction: str) -> str:
    d = direction.lower().rstrip("s")
    d = {"importer": "import", "exporter": "export", "supplier": "export", "recipient": "import"}.get(d, d)
    if d not in DIRECTIONS:
        raise QueryError(f"Unknown direction {direction!r}", value=direction, hint="Use import or export.")
    return d


def annual_totals(
    con: duckdb.DuckDBPyConnection,
    ctx: ReleaseContext,
    direction: str,
    years: range,
    basis: str | None = None,
    entity_id: str | None = None,
) -> frame.Frame:
    """entity_id, year, tiv for every entity plus entity_id='world' (or for one entity)."""
    basis = basis or ctx.totals_basis
    if basis == "tables":
        snaps = [t.snapshot_id for t in ctx.tables]
        return frame.query(
            con,
            """
            SELECT entity_id, year, tiv FROM tiv_total
            WHERE snapshot_id IN (SELECT unnest(?::INTEGER[])) AND direction = ? AND year BETWEEN ? AND ?
              AND (? IS NULL OR entity_id = ?)""",
            [snaps, direction, years.start, years.stop - 1, entity_id, entity_id],
        )
    sid = ctx.require_register().snapshot_id
    return frame.query(
        con,
        """
        SELECT entity_id, year, tiv FROM agg_total
        WHERE snapshot_id = ? AND direction = ? AND year BETWEEN ? AND ? AND (? IS NULL OR entity_id = ?)""",
        [sid, direction, years.start, years.stop - 1, entity_id, entity_id],
    )


_TOTALS_CACHE: dict[tuple, frame.Frame] = {}
_CACHE_MAX = 256


def period_totals(
    con: duckdb.DuckDBPyConnection,
    ctx: ReleaseContext,
    direction: str,
    periods: Sequence[Period],
    basis: str | None = None,
) -> frame.Frame:
    """Per entity and period: tiv, world tiv, share, rank (world row excluded from ranks).

    Cached by release context (which names its snapshots by id and sha256): a release's data
    never change once ingested, and every profile needs the same world-wide totals.
    """
    ctx.require_world()
    key = (ctx, direction, tuple(periods), basis)
    hit = _TOTALS_CACHE.get(key)
    if hit is None:
        if len(_TOTALS_CACHE) >= _CACHE_MAX:
            _TOTALS_CACHE.clear()
        hit = _TOTALS_CACHE[key] = _period_totals(con, ctx, direction, periods, basis)
    return hit


TOTAL_COLUMNS = {
    "entity_id": frame.STRING,
    "period": frame.STRING,
    "p_start": frame.INT64,
    "tiv": frame.FLOAT64,
    "world_tiv": frame.FLOAT64,
    "share": frame.FLOAT64,
    "rank": frame.INT64,
}
_ANNUAL: dict[tuple, dict[str, dict[int, float]]] = {}


def annual_index(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str, basis: str | None = None
) -> dict[str, dict[int, float]]:
    """entity_id ('world' included) -> year -> TIV, read once per release, direction and basis."""
    key = (ctx, direction, basis)
    hit = _ANNUAL.get(key)
    if hit is None:
        hit = _index(annual_totals(con, ctx, direction, range(0, 10_000), basis))
        if len(_ANNUAL) >= 16:
            _ANNUAL.clear()
        _ANNUAL[key] = hit
    return hit


def _index(totals: frame.Frame) -> dict[str, dict[int, float]]:
    """entity_id -> year -> TIV of annual_totals rows (rows of one entity and year added up)."""
    t = totals.to_pydict()
    out: dict[str, dict[int, float]] = {}
    for e, y, v in zip(t["entity_id"], t["year"], t["tiv"], strict=True):
        years = out.setdefault(e, {})
        years[y] = years.get(y, 0.0) + v
    return out


_ONE: dict[tuple, Gradual[dict[int, float]]] = {}


def entity_annual(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, direction: str, entity_id: str
) -> dict[int, float]:
    """One entity's year -> TIV: from the release's index when this process has built it (or
    after 8 entities, see `Gradual`), else from a read of that entity's rows alone."""
    key = (ctx, direction, None)
    whole = _ANNUAL.get(key)
    if whole is not None:
        return whole.get(entity_id, {})
    hit = _ONE.get(key)
    if hit is None:
        if len(_ONE) >= 16:
            _ONE.clear()
        hit = _ONE[key] = Gradual(
            lambda c, e: _index(annual_totals(c, ctx, direction, range(0, 10_000), None, e)).get(e, {}),
            lambda c: annual_index(c, ctx, direction),
            dict,
        )
    return hit.get(con, entity_id)


def _period_totals(
    con: duckdb.DuckDBPyConnection,
    ctx: ReleaseContext,
    direction: str,
    periods: Sequence[Period],
    basis: str | None,
) -> frame.Frame:
    annual = annual_index(con, ctx, direction, basis)
    info = slices.names(con, ctx)
    rows: list[dict] = []
    for p in periods:
        sums: dict[str, float] = {}
        for e, years in annual.items():
            vals = [years[y] for y in p.years if y in years]
            if vals:
                sums[e] = sum(vals)
        world = sums.pop(WORLD_ID, None)
        if world is None:
            continue  # no world row in the period: no shares (as the world join leaves none)
        # ranks among states only (SIPRI's rule); others keep their share, no rank
        states = [e for e in sums if is_state(info.get(e, ("", ""))[1])]
        rank_of = dict(zip(states, slices.ranks([sums[e] for e in states]), strict=True))
        rows.extend(
            {
                "entity_id": e,
                "period": p.label,
                "p_start": p.start,
                "tiv": t,
                "world_tiv": world,
                "share": t / world if world else None,
                "rank": rank_of.get(e),
            }
            for e, t in sums.items()
        )
    rows.sort(key=lambda r: (r["p_start"], -r["tiv"], r["entity_id"]))
    return frame.from_rows(rows, TOTAL_COLUMNS)


PARTNER_COLUMNS = {
    "entity_id": frame.STRING,
    "partner_id": frame.STRING,
    "period": frame.STRING,
    "p_start": frame.INT32,
    "tiv": frame.FLOAT64,
    "deals": frame.INT64,
    "tiv_estimated": frame.FLOAT64,
    "share": frame.FLOAT64,
    "rank": frame.INT64,
    "partner": frame.STRING,
    "partner_kind": frame.STRING,
}


def partner_shares(
    con: duckdb.DuckDBPyConnection,
    ctx: ReleaseContext,
    direction: str,
    periods: Sequence[Period],
    entity_ids: Sequence[str] | None = None,
) -> frame.Frame:
    """From the register: each entity's partners per period, with TIV, share and deal count."""
    own, other = slices.side(direction)
    want = set(entity_ids) if entity_ids else None
    info = slices.names(con, ctx)
    rows = (
        f
        for f in slices.flows(con, ctx, entity_ids or None, periods)
        if want is None or getattr(f, own) in want
    )
    groups = slices.grouped(rows, periods, lambda f: (str(getattr(f, own)), str(getattr(f, other))))
    out: list[dict] = []
    for p in periods:
        by_entity: dict[str, list[tuple[str, slices.Sums]]] = {}
        for (e, partner), sums in groups[p.label].items():
            if partner in info:  # every partner is a register entity; a stray id takes no share
                by_entity.setdefault(e, []).append((partner, sums))
        for e, partners in by_entity.items():
            total = sum(s.tiv for _, s in partners)
            ranks = slices.ranks([s.tiv for _, s in partners])
            for (partner, s), rank in zip(partners, ranks, strict=True):
                out.append(
                    {
                        "entity_id": e,
                        "partner_id": partner,
                        "period": p.label,
                        "p_start": p.start,
                        "tiv": s.tiv,
                        "deals": s.deals,
                        "tiv_estimated": s.estimated_tiv,
                        "share": s.tiv / total if total else None,
                        "rank": rank,
                        "partner": info[partner][0],
                        "partner_kind": info[partner][1],
                    }
                )
    out.sort(key=lambda r: (r["entity_id"], r["p_start"], -r["tiv"], r["partner"], r["partner_id"]))
    return frame.from_rows(out, PARTNER_COLUMNS)


def entity_group(spec: str | Sequence[str] | None) -> tuple[str, list[str] | None]:
    """(label, entity ids) for a country, a list, 'region:Europe' / 'subregion:South Asia', or
    None / 'world' for the world total."""
    from armatlas.entities.register import load_register

    reg = load_register()
    if spec is None or (isinstance(spec, str) and spec.strip().lower() == "world"):
        return "World", None
    if isinstance(spec, str) and ":" in spec:
        level, _, name = spec.partition(":")
        level = level.strip().lower()
        if level not in ("region", "subregion"):
            raise QueryError(
                f"Unknown group type {level!r}", value=spec, hint="Use region:NAME or subregion:NAME."
            )
        ids = [e.entity_id for e in reg.all() if (getattr(e, level) or "").lower() == name.strip().lower()]
        if not ids:
            names = sorted({getattr(e, level) for e in reg.all() if getattr(e, level)})
            raise QueryError(
                f"No entities in {level} {name!r}", value=spec, hint="Known: " + ", ".join(names)
            )
        return name.strip(), ids
    items = [spec] if isinstance(spec, str) else list(spec)
    ents = [reg.find(x) for x in items]
    return " + ".join(e.name for e in ents), [e.entity_id for e in ents]


def flows(
    con: duckdb.DuckDBPyConnection,
    entities: str | Sequence[str] | None = None,
    *,
    direction: str = "import",
    periods: Sequence[str | Period] | None = None,
    release: str | None = None,
) -> TableResult:
    """Period totals of an entity, a group or the world: TIV, world share, rank, change."""
    from armatlas.analysis.context import release_context
    from armatlas.analysis.periods import (
        check_within,
        latest_period,
        parse_period,
        periods_ending,
    )
    from armatlas.results import TIV_UNIT, TableResult

    direction = check_direction(direction)
    ctx = release_context(con, release)
    if periods:
        ps = sorted(parse_period(p) for p in periods)
    else:
        ps = periods_ending(latest_period(ctx.last_year), 3, ctx.first_year)
    for p in ps:
        check_within(p, ctx.first_year, ctx.last_year, f"release {ctx.release}")
    label, ids = entity_group(entities)
    rows = period_totals(con, ctx, direction, ps).to_pylist()
    world = {r["period"]: r["world_tiv"] for r in rows}
    out, prev = [], None
    for p in ps:
        if ids is None:
            tiv = world.get(p.label)
            rank = None
        else:
            members = [r for r in rows if r["period"] == p.label and r["entity_id"] in ids]
            tiv = sum(r["tiv"] for r in members) if members else None
            rank = members[0]["rank"] if len(ids) == 1 and members else None
        w = world.get(p.label)
        out.append(
            {
                "period": p.label,
                "entity": label,
                "direction": direction,
                "tiv": tiv,
                "world_tiv": w,
                "share": tiv / w if tiv is not None and w else None,
                "rank": rank,
                "change": tiv / prev - 1 if tiv is not None and prev else None,
            }
        )
        prev = tiv
    basis = "publisher TIV tables" if ctx.totals_basis == "tables" else "register deliveries"
    return TableResult(
        "flows",
        frame.from_rows(out),
        ctx.provenance(basis),
        params={
            "entities": entities,
            "direction": direction,
            "periods": [p.label for p in ps],
            "release": ctx.release,
        },
        units={
            "tiv": TIV_UNIT,
            "share": "fraction of the world total (all parties)",
            "change": "sum(period)/sum(previous period) - 1",
        },
    )
