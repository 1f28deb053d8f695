"""The fact-sheet table: top exporters or importers, their shares, change and main partners."""

from __future__ import annotations

import duckdb
import pyarrow as pa

from armatlas import columnar
from armatlas.analysis.context import release_context
from armatlas.analysis.continuity import merge_partners, merge_totals, note
from armatlas.analysis.flows import check_direction, partner_shares, period_totals
from armatlas.analysis.periods import Period, check_within, latest_period, parse_period
from armatlas.errors import InvalidPeriodError, QueryError
from armatlas.results import TIV_UNIT, TableResult
from armatlas.summaries import NotRanked, TrendsSummary

N_PARTNERS = 3


def trends(
    con: duckdb.DuckDBPyConnection,
    *,
    direction: str = "export",
    period: str | Period | None = None,
    compare: str | Period | None = None,
    top: int | None = 10,
    release: str | None = None,
    continuity: bool = False,
) -> TableResult[TrendsSummary]:
    """Top `top` entities (None = all) by TIV in `period`, with the comparison period.

    continuity=True counts historic states under their successors (labelled in provenance).
    """
    direction = check_direction(direction)
    ctx = release_context(con, release)
    p1 = parse_period(period) if period else latest_period(ctx.last_year)
    p0 = parse_period(compare) if compare else p1.previous()
    for p in (p1, p0):  # the period asked for first, so its error is the one shown
        if p is p0 and not compare and p0.start < ctx.first_year:
            # the default comparison is implied, not asked for: say so rather than name a period
            # the user never wrote (the register's first period has none before it)
            raise InvalidPeriodError(
                f"Period {p1} has no earlier period in release {ctx.release} to compare with "
                f"({p0} starts before {ctx.first_year})",
                value=p1.label,
                hint=f"Choose a period from {ctx.first_year + p1.length} on, or name the comparison "
                "period (--compare, compare=).",
            )
        check_within(p, ctx.first_year, ctx.last_year, f"release {ctx.release}")
    if top is not None and top < 1:
        raise QueryError("--top must be at least 1", value=top)
    table = period_totals(con, ctx, direction, [p0, p1])
    notes: list[str] = []
    if continuity:
        table, mapping = merge_totals(table)
        notes.append(note(mapping))
    totals = {(r["entity_id"], r["period"]): r for r in table.to_pylist()}
    in_p1 = [r for (e, per), r in totals.items() if per == p1.label]
    # SIPRI ranks states; organisations, non-state actors and unknown parties are listed apart.
    current = sorted((r for r in in_p1 if r["rank"] is not None), key=lambda r: (r["rank"], r["entity_id"]))
    unranked = sorted((r for r in in_p1 if r["rank"] is None), key=lambda r: (-r["tiv"], r["entity_id"]))
    chosen = current[:top] if top else current
    ids = [r["entity_id"] for r in chosen]
    partners: dict[str, list[dict]] = {}
    if ctx.register is not None and ids:
        ptable = partner_shares(con, ctx, direction, [p1], ids)
        if continuity:
            ptable = merge_partners(partner_shares(con, ctx, direction, [p1], None))[0]
        for r in ptable.to_pylist():
            if r["entity_id"] not in ids:
                continue
            if r["rank"] <= N_PARTNERS:
                partners.setdefault(r["entity_id"], []).append(
                    {"partner_id": r["partner_id"], "partner": r["partner"], "share": r["share"]}
                )
    names = dict(con.execute("SELECT entity_id, name FROM entity").fetchall())
    rows = []
    for r in chosen:
        prev = totals.get((r["entity_id"], p0.label))
        rows.append(
            {
                "rank": r["rank"],
                "entity_id": r["entity_id"],
                "name": names.get(r["entity_id"], r["entity_id"]),
                "tiv": r["tiv"],
                "share": r["share"],
                "tiv_compare": prev["tiv"] if prev else None,
                "share_compare": prev["share"] if prev else None,
                "rank_compare": prev["rank"] if prev else None,
                "change": (r["tiv"] / prev["tiv"] - 1) if prev and prev["tiv"] else None,
                "partners": partners.get(r["entity_id"], []),
            }
        )
    # The headline period's world total (and the comparison period's beside it).
    world = {per: r["world_tiv"] for (_e, per), r in totals.items()}
    w1, w0 = world.get(p1.label), world.get(p0.label)
    schema = pa.schema(
        [
            ("rank", pa.int64()),
            ("entity_id", pa.string()),
            ("name", pa.string()),
            ("tiv", pa.float64()),
            ("share", pa.float64()),
            ("tiv_compare", pa.float64()),
            ("share_compare", pa.float64()),
            ("rank_compare", pa.int64()),
            ("change", pa.float64()),
            (
                "partners",
                pa.list_(
                    pa.struct(
                        [("partner_id", pa.string()), ("partner", pa.string()), ("share", pa.float64())]
                    )
                ),
            ),
        ]
    )
    basis = "publisher TIV tables" if ctx.totals_basis == "tables" else "register deliveries"
    return TableResult(
        "trends",
        columnar.from_rows(rows, schema=schema),
        ctx.provenance(f"{basis}; partners from the register", notes=notes),
        params={
            "direction": direction,
            "period": p1.label,
            "compare": p0.label,
            "top": top,
            "release": ctx.release,
            "continuity": continuity,
        },
        units={
            "tiv": TIV_UNIT,
            "share": "fraction of the world total (all parties)",
            "change": "sum(period)/sum(compare) - 1",
        },
        summary=TrendsSummary(
            world_tiv=w1,
            world_tiv_compare=w0,
            world_change=(w1 / w0 - 1) if w1 and w0 else None,
            entities=len(current),
            not_ranked=[
                NotRanked(
                    entity_id=r["entity_id"],
                    name=names.get(r["entity_id"], r["entity_id"]),
                    tiv=r["tiv"],
                    share=r["share"],
                )
                for r in unranked
            ],
        ),
    )
