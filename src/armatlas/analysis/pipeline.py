"""The order pipeline: what is on order and not yet delivered, valued in TIV.

Outstanding units are `Number ordered - Number delivered`; they are valued at the order's
TIV per unit (tiv_order / n_ordered where the register gives a total, which is not rounded
like the printed per-unit value). Layouts without 'Number ordered' (the delivery-year
backend export) cannot answer this: the result is then empty, with a warning saying why,
so that a country profile on such a release still renders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from armatlas import frame
from armatlas.analysis.context import ReleaseContext, release_context
from armatlas.analysis.entities import entity
from armatlas.analysis.gradual import Gradual
from armatlas.results import TIV_UNIT, TableResult
from armatlas.store.db import fetch_one
from armatlas.summaries import (
    PipelineByCategory,
    PipelineBySupplier,
    PipelineSelected,
    PipelineSummary,
    PipelineUnavailable,
)

# "delivery planned 2025-2027", "Delivery probably planned from 2026", "deliveries planned by
# 2030", "planned delivery by 2028". The register has typos ("dlivery", "deliverey",
# "porbably", "delivery by planned"); they are matched on purpose.
_PLANNED = re.compile(
    r"(?:\bd[ei]?li?ver(?:e?y|ies)\b(?:\s+by)?\s+(?:(?P<q>probably|possibly|porbably)\s+)?planned"
    r"|\bplanned\s+delivery)\s*(?P<rest>[^;(]*)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<!\d)(\d{4})(?:\s*-\s*(\d{2})(?!\d))?(?!\d)")
# "Selected but not yet ordered by end-2025", "selected 2024 but contract not yet signed".
_SELECTED = re.compile(
    r"\bselected\b[^;]*\bnot (?:yet )?(?:ordered|signed)|contract not yet signed", re.IGNORECASE
)


@dataclass(frozen=True)
class PlannedDelivery:
    """What a register comment says about when the rest of an order arrives."""

    text: str
    first: int | None  # first planned year (None for 'by 2030')
    last: int | None  # last planned year (None for 'from 2026')
    kind: str  # 'range', 'year', 'from', 'by' or 'unparsed'
    uncertain: bool  # 'probably' / 'possibly'


def planned_delivery(comment: str | None) -> PlannedDelivery | None:
    """Read the planned delivery years from a register comment, if it states them."""
    if not comment:
        return None
    m = _PLANNED.search(comment)
    if not m:
        return None
    rest = m.group("rest")
    # "(delayed from 2020-2022)" is history, not plan: the clause stops at '(' already.
    head = rest.strip().lower()
    years: list[int] = []
    for y, short in _YEAR.findall(rest):
        years.append(int(y))
        if short:  # "2026-28": two-digit end year
            years.append(int(y) // 100 * 100 + int(short))
    text = comment[m.start() : m.end()].strip().rstrip(",.")
    uncertain = m.group("q") is not None
    if not years:
        return PlannedDelivery(text, None, None, "unparsed", uncertain)
    lo, hi = min(years), max(years)
    if head.startswith(("from", "in early", "from early", "from late")):
        return PlannedDelivery(text, lo, hi if hi != lo else None, "from" if hi == lo else "range", uncertain)
    if head.startswith("by"):
        return PlannedDelivery(text, None, hi, "by", uncertain)
    return PlannedDelivery(text, lo, hi, "year" if lo == hi else "range", uncertain)


_ORDER_NUMBERS: dict[str, bool] = {}


def has_order_numbers(con: duckdb.DuckDBPyConnection, snapshot_id: int, sha256: str | None = None) -> bool:
    """True when the register layout carries 'Number ordered' (not the delivery-year layout).

    Remembered by the file's sha256 when given: a stored snapshot never changes.
    """
    if sha256 is not None and sha256 in _ORDER_NUMBERS:
        return _ORDER_NUMBERS[sha256]
    row = fetch_one(con, "SELECT count(n_ordered) FROM deal WHERE snapshot_id = ?", [snapshot_id])
    found = bool(row and row[0])
    if sha256 is not None:
        _ORDER_NUMBERS[sha256] = found
    return found


@dataclass
class _Orders:
    """A release's open orders (cached by store content): their columns, each importer's rows
    (one importer at a time at first, see `Gradual`) and, once asked for, every row."""

    by_importer: Gradual[list[dict]]
    every: list[dict] | None = None
    types: dict[str, str] | None = None


_ORDERS: dict[ReleaseContext, _Orders] = {}


def _orders(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext) -> _Orders:
    hit = _ORDERS.get(ctx)
    if hit is None:
        sid = ctx.require_register().snapshot_id

        def whole(c: duckdb.DuckDBPyConnection) -> dict[str, list[dict]]:
            by: dict[str, list[dict]] = {}
            for r in _every(c, ctx):
                by.setdefault(r["recipient_id"], []).append(r)
            return by

        if len(_ORDERS) >= 8:
            _ORDERS.clear()
        hit = _ORDERS[ctx] = _Orders(
            Gradual(lambda c, eid: _read_orders(c, sid, "", eid).to_pylist(), whole, list)
        )
    return hit


def _every(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext) -> list[dict]:
    """Every open order of the release, in the listing's order (read once)."""
    o = _orders(con, ctx)
    if o.every is None:
        o.every = _read_orders(con, ctx.require_register().snapshot_id).to_pylist()
    return o.every


def _query(
    con: duckdb.DuckDBPyConnection,
    ctx: ReleaseContext,
    importer_id: str | None,
    supplier_ids: list[str] | None,
) -> list[dict]:
    """Open orders of an importer and/or from some suppliers (copies: callers add fields)."""
    rows = _orders(con, ctx).by_importer.get(con, importer_id) if importer_id else _every(con, ctx)
    if supplier_ids:
        rows = [r for r in rows if r["supplier_id"] in supplier_ids]
    return [dict(r) for r in rows]


def _read_orders(
    con: duckdb.DuckDBPyConnection, sid: int, limit: str = "", importer_id: str | None = None
) -> frame.Frame:
    # The open orders of the release's aggregates (store/aggregates.py), and (pending = false)
    # orders of unknown size with deliveries, which cannot be told complete: counted, not listed.
    # In the listing's order, so one importer's rows come in the order of the whole listing.
    return frame.query(
        con,
        f"""
        SELECT d.deal_key, d.sipri_id, d.supplier_id, s.name AS supplier, d.recipient_id,
               r.name AS recipient, d.designation, d.description, d.category, d.order_year,
               d.order_year_est, d.n_ordered, d.n_ordered_est, d.n_delivered, d.n_delivered_est,
               d.outstanding_units, d.tiv_unit, d.tiv_order, d.unit_value, d.last_delivery_year,
               d.second_hand, d.local_production, d.comments, d.src_line, d.pending
        FROM agg_order d JOIN entity s ON s.entity_id = d.supplier_id
                         JOIN entity r ON r.entity_id = d.recipient_id
        WHERE d.snapshot_id = $sid {"" if importer_id is None else "AND d.recipient_id = $eid"}
        ORDER BY r.name, s.name, d.order_year, d.designation, d.deal_key {limit}""",
        {"sid": sid} | ({} if importer_id is None else {"eid": importer_id}),
    )


def _rows(found: list[dict]) -> tuple[list[dict], int]:
    """The open orders with their valuation and planned years; and how many orders of unknown
    size with deliveries were left out."""
    rows, left_out = [], 0
    for r in found:
        if not r.pop("pending"):
            left_out += 1
            continue
        unit = r.pop("unit_value")
        out = r["outstanding_units"]
        r["outstanding_tiv"] = None if out is None or unit is None else round(unit * out, 4)
        # A '0' per-unit value and total means 0-0.5 m TIV, or not yet valued (typical of
        # orders with nothing delivered): kept as the publisher's 0, and flagged.
        r["unvalued"] = bool(unit == 0)
        r["size_unknown"] = r["n_ordered"] is None
        r["estimated"] = bool(r["n_ordered_est"] or r["n_delivered_est"] or r["order_year_est"])
        r["selected_only"] = bool(r["comments"] and _SELECTED.search(r["comments"]))
        plan = planned_delivery(r["comments"])
        r["planned_first"] = plan.first if plan else None
        r["planned_last"] = plan.last if plan else None
        r["planned_kind"] = plan.kind if plan else None
        r["planned_uncertain"] = plan.uncertain if plan else None
        r["planned_text"] = plan.text if plan else None
        rows.append(r)
    return rows, left_out


def _group(rows: list[dict], key: str, name: str | None = None) -> list[dict]:
    """Outstanding TIV per supplier or category, largest first, with shares of the total."""
    acc: dict[str, dict] = {}
    for r in rows:
        g = acc.setdefault(
            r[key],
            {
                key: r[key],
                **({name: r[name]} if name else {}),
                "deals": 0,
                "outstanding_tiv": 0.0,
                "estimated_tiv": 0.0,
            },
        )
        g["deals"] += 1
        g["outstanding_tiv"] += r["outstanding_tiv"] or 0.0
        g["estimated_tiv"] += (r["outstanding_tiv"] or 0.0) if r["estimated"] else 0.0
    total = sum(g["outstanding_tiv"] for g in acc.values())
    for g in acc.values():
        g["share"] = g["outstanding_tiv"] / total if total else None
    return sorted(acc.values(), key=lambda g: (-g["outstanding_tiv"], g[key]))


def _summary(all_rows: list[dict], excluded_unknown: int) -> PipelineSummary:
    # The headline counts ordered items only; "selected but not yet ordered" are listed apart.
    rows = [r for r in all_rows if not r["selected_only"]]
    selected = [r for r in all_rows if r["selected_only"]]
    total = sum(r["outstanding_tiv"] or 0.0 for r in rows)
    est = sum(r["outstanding_tiv"] or 0.0 for r in rows if r["estimated"])
    return PipelineSummary(
        deals=len(rows),
        selected_deals=len(selected),
        selected=[
            PipelineSelected(
                supplier=r["supplier"], designation=r["designation"], outstanding_tiv=r["outstanding_tiv"]
            )
            for r in selected
        ],
        outstanding_units_known=sum(r["outstanding_units"] or 0 for r in rows),
        outstanding_tiv=round(total, 4),
        estimated_numbers_share=est / total if total else None,
        selected_only_tiv=round(sum(r["outstanding_tiv"] or 0.0 for r in selected), 4),
        size_unknown_deals=sum(r["size_unknown"] for r in rows),
        unvalued_deals=sum(r["unvalued"] for r in rows),
        with_planned_years=sum(r["planned_kind"] not in (None, "unparsed") for r in rows),
        unknown_size_with_deliveries_left_out=excluded_unknown,
        by_supplier=[PipelineBySupplier(**g) for g in _group(rows, "supplier_id", "supplier")],
        by_category=[PipelineByCategory(**g) for g in _group(rows, "category")],
    )


def pipeline(
    con: duckdb.DuckDBPyConnection,
    *,
    importer: str | None = None,
    supplier: str | list[str] | None = None,
    release: str | ReleaseContext | None = None,
) -> TableResult[PipelineSummary | PipelineUnavailable]:
    """Orders not yet (fully) delivered, valued at TIV per unit x outstanding units."""
    imp = entity(importer) if importer else None
    sups = [supplier] if isinstance(supplier, str) else list(supplier or [])
    sup_ids = [entity(s).entity_id for s in sups] or None
    ctx = release_context(con, release)
    reg = ctx.require_register()
    params = {"importer": imp.entity_id if imp else None, "supplier": sup_ids, "release": ctx.release}
    units = {"outstanding_tiv": TIV_UNIT, "tiv_unit": TIV_UNIT, "tiv_order": TIV_UNIT}
    notes = ["pipeline = Number ordered - Number delivered, as of the register's generation date"]
    if not has_order_numbers(con, reg.snapshot_id, reg.sha256):
        msg = (
            f"The register of release {reg.release} ({reg.layout}) has no 'Number ordered' column, "
            "so the pipeline cannot be computed; use a web-register release"
        )
        return TableResult(
            "pipeline",
            _empty(con, ctx),
            ctx.provenance("register orders", notes=notes),
            params,
            units,
            [msg],
            PipelineUnavailable(),
        )
    importer_id = imp.entity_id if imp else None
    rows, left_out = _rows(_query(con, ctx, importer_id, sup_ids))
    summary = _summary(rows, left_out)
    warnings = []
    if summary.size_unknown_deals:
        warnings.append(
            f"{summary.size_unknown_deals} pending orders have no 'Number ordered' "
            "(not yet available): listed, not valued"
        )
    if summary.unvalued_deals:
        warnings.append(
            f"{summary.unvalued_deals} pending orders carry a 0 TIV per unit "
            "(0-0.5 m, or not yet valued by SIPRI)"
        )
    table = frame.from_rows(rows) if rows else _empty(con, ctx)
    return TableResult(
        "pipeline", table, ctx.provenance("register orders", notes=notes), params, units, warnings, summary
    )


def _empty(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext) -> frame.Frame:
    """No rows, but the pipeline's columns (so CSV headers and renderers stay the same)."""
    o = _orders(con, ctx)
    if o.types is None:
        o.types = _read_orders(con, ctx.require_register().snapshot_id, "LIMIT 0").types
    types = {n: t for n, t in o.types.items() if n not in ("unit_value", "pending")}
    extra = {
        "outstanding_tiv": frame.FLOAT64,
        "unvalued": frame.BOOL,
        "size_unknown": frame.BOOL,
        "estimated": frame.BOOL,
        "selected_only": frame.BOOL,
        "planned_first": frame.INT64,
        "planned_last": frame.INT64,
        "planned_kind": frame.STRING,
        "planned_uncertain": frame.BOOL,
        "planned_text": frame.STRING,
    }
    return frame.from_rows([], types | extra)
