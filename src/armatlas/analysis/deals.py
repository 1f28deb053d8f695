"""The deal list: the register rows behind every other figure."""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from armatlas.analysis._common import arrow, estimated_share, provenance
from armatlas.categories import CATEGORIES
from armatlas.entities.register import load_register
from armatlas.errors import QueryError
from armatlas.results import TIV_UNIT, SnapshotRef, TableResult
from armatlas.store.releases import pick_release, register_snapshot
from armatlas.summaries import DealsSummary, FacetCount


def entity_ids(names: str | list[str] | None) -> list[str] | None:
    """Names (or ids) as the register's entity ids; None for no filter."""
    if names is None:
        return None
    names = [names] if isinstance(names, str) else list(names)
    reg = load_register()
    return [reg.find(n).entity_id for n in names]


def deal_statuses(con: duckdb.DuckDBPyConnection, snapshot_id: int) -> list[str]:
    """The status values a register uses (they differ between layouts and releases)."""
    rows = con.execute(
        "SELECT DISTINCT status FROM deal WHERE snapshot_id = ? AND status IS NOT NULL ORDER BY 1",
        [snapshot_id],
    ).fetchall()
    return [r[0] for r in rows]


FACETS = ("supplier", "recipient", "category", "status")
FACET_VALUES = 50  # values listed per facet (most deals first); the filter itself takes any value


def facets(table: pa.Table) -> dict[str, list[dict[str, Any]]]:
    """Deals per supplier, recipient, category and status within the selection (most first)."""
    from collections import Counter

    out: dict[str, list[dict[str, Any]]] = {}
    for col in FACETS:
        # Counted in Python: pyarrow's Table.group_by imports pandas (issue 12).
        counts = sorted(Counter(table.column(col).to_pylist()).items(), key=lambda kv: (-kv[1], kv[0] or ""))
        out[col] = [{"value": v, "deals": n} for v, n in counts[:FACET_VALUES] if v is not None]
    return out


# The deal list's columns and order (find_deals, and analysis.partners on the same rows).
DEALS_SQL = """
        SELECT s.name AS supplier, r.name AS recipient, d.designation, d.description, d.category,
               d.order_year, d.order_year_est, d.n_ordered, d.n_ordered_est, d.n_delivered,
               d.n_delivered_est, d.delivery_years, d.status, d.local_production,
               d.tiv_unit, d.tiv_order, d.tiv_delivered, d.tiv_below_half, d.comments,
               d.supplier_id, d.recipient_id, d.sipri_id, d.src_line
        FROM deal d JOIN entity s ON s.entity_id = d.supplier_id
                    JOIN entity r ON r.entity_id = d.recipient_id
        WHERE {cond}
        ORDER BY {order}"""
DEALS_ORDER = "r.name, s.name, d.order_year, d.designation, d.deal_key"


def deal_selection(
    con: duckdb.DuckDBPyConnection,
    *,
    recipient: str | list[str] | None = None,
    supplier: str | list[str] | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    category: str | None = None,
    release: str | None = None,
    pending_only: bool = False,
    status: str | None = None,
) -> tuple[str, SnapshotRef, str, list]:
    """(release, register, WHERE condition on `deal d`, its parameters) for find_deals' filters."""
    rel = pick_release(con, release)
    snap = register_snapshot(con, rel)
    where = ["d.snapshot_id = ?"]
    params: list = [snap.snapshot_id]
    rids, sids = entity_ids(recipient), entity_ids(supplier)
    if rids:
        where.append("d.recipient_id IN (SELECT unnest(?::VARCHAR[]))")
        params.append(rids)
    if sids:
        where.append("d.supplier_id IN (SELECT unnest(?::VARCHAR[]))")
        params.append(sids)
    if category:
        match = [c for c in CATEGORIES if c.lower() == category.strip().lower()]
        if not match:
            raise QueryError(
                f"Unknown category {category!r}", value=category, hint="One of: " + ", ".join(CATEGORIES)
            )
        where.append("d.category = ?")
        params.append(match[0])
    if from_year is not None or to_year is not None:
        lo, hi = from_year or 0, to_year or 9999
        if lo > hi:
            raise QueryError(f"--from {lo} is after --to {hi}", value=f"{lo}-{hi}")
        where.append("""((d.order_year BETWEEN ? AND ?) OR EXISTS (
            SELECT 1 FROM delivery v WHERE v.deal_key = d.deal_key AND v.year BETWEEN ? AND ?))""")
        params += [lo, hi, lo, hi]
    if status:
        known = deal_statuses(con, snap.snapshot_id)
        match = [x for x in known if x.lower() == status.strip().lower()]
        if not match:
            raise QueryError(
                f"Unknown deal status {status!r}", value=status, hint="One of: " + ", ".join(known)
            )
        where.append("d.status = ?")
        params.append(match[0])
    if pending_only:
        where.append("(d.n_ordered IS NULL OR coalesce(d.n_delivered, 0) < d.n_ordered)")
    cond = " AND ".join(where)
    return rel, snap, cond, params


def find_deals(
    con: duckdb.DuckDBPyConnection,
    *,
    recipient: str | list[str] | None = None,
    supplier: str | list[str] | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    category: str | None = None,
    release: str | None = None,
    pending_only: bool = False,
    status: str | None = None,
) -> TableResult[DealsSummary]:
    """Deals with an order or a delivery in [from_year, to_year], as SIPRI selects them.

    `status` is the register's own status column ('New', 'Second hand', ...), matched without case.
    """
    chosen = {
        "recipient": recipient,
        "supplier": supplier,
        "from_year": from_year,
        "to_year": to_year,
        "category": category,
        "status": status,
    }
    rel, snap, cond, params = deal_selection(con, release=release, pending_only=pending_only, **chosen)  # type: ignore[arg-type]
    table = arrow(con, DEALS_SQL.format(cond=cond, order=DEALS_ORDER), params)
    prov = provenance(
        con,
        rel,
        "register deals",
        [snap],
        estimated_share=estimated_share(
            con, snap.snapshot_id, cond.replace("d.snapshot_id = ?", "TRUE"), params[1:]
        ),
    )
    return TableResult(
        "deals",
        table,
        prov,
        params={**chosen, "release": rel},
        units={"tiv_unit": TIV_UNIT, "tiv_order": TIV_UNIT, "tiv_delivered": TIV_UNIT},
        summary=DealsSummary(
            deals=table.num_rows,
            facets={k: [FacetCount(**c) for c in v] for k, v in facets(table).items()},
            statuses=deal_statuses(con, snap.snapshot_id),
        ),
    )
