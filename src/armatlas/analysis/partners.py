"""Arms-transfer ties between two countries: deals both ways, the largest and newest, local production.

For statements such as 'partnerships with Israel, Türkiye and Pakistan': the register rows are
the evidence, so they are returned as rows (largest order first), with the deals whose comments
or flag say the weapons are produced or assembled in the recipient (licensed production).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import duckdb

from armatlas.analysis._common import arrow
from armatlas.analysis.deals import DEALS_ORDER, DEALS_SQL, deal_selection, entity_ids

_LOCAL = re.compile(r"(?i)\b(?:licen[cs]e|produc\w*|assembl\w*)\b")


def _local(row: dict) -> bool:
    """Licensed or local production: the register's flag, or a comment naming production in the recipient."""
    if row.get("local_production"):
        return True
    c = row.get("comments") or ""
    return bool(_LOCAL.search(c)) and (
        row["recipient"].split()[0].lower() in c.lower() or "licen" in c.lower()
    )


KEPT = (
    "supplier",
    "recipient",
    "designation",
    "description",
    "order_year",
    "n_ordered",
    "n_delivered",
    "status",
    "tiv_order",
    "tiv_delivered",
    "comments",
    "local_production",
    "supplier_id",
    "recipient_id",
)


def ties(con: duckdb.DuckDBPyConnection, a: str, b: str, *, since: int, release: str | None = None) -> dict:
    """Deals from b to a and from a to b with an order or delivery since `since`."""
    return ties_many(con, a, [b], since=since, release=release)[b]


def ties_many(
    con: duckdb.DuckDBPyConnection, a: str, partners: Sequence[str], *, since: int, release: str | None = None
) -> dict[str, dict]:
    """`ties` of one country with each partner, in one query: the deal list's rows (find_deals'
    selection and order), those to `a` first, split by partner."""
    _, _, cond, params = deal_selection(con, from_year=since, release=release)
    ida, *others = entity_ids([a, *partners]) or []
    pair = (
        "((d.recipient_id = ? AND d.supplier_id IN (SELECT unnest(?::VARCHAR[]))) "
        "OR (d.supplier_id = ? AND d.recipient_id IN (SELECT unnest(?::VARCHAR[]))))"
    )
    table = arrow(
        con,
        DEALS_SQL.format(cond=f"{cond} AND {pair}", order=f"(d.recipient_id = ?) DESC, {DEALS_ORDER}"),
        [*params, ida, others, ida, others, ida],
    )
    rows = [{k: r[k] for k in KEPT} for r in table.to_pylist()]
    out = {}
    for b, idb in zip(partners, others, strict=True):
        mine = [dict(r) for r in rows if {r["recipient_id"], r["supplier_id"]} == {ida, idb}]
        if ida == idb:  # one pair read both ways: its deals count once per direction
            mine += [dict(r) for r in mine]
        out[b] = _tie(a, b, since, mine)
    return out


def _tie(a: str, b: str, since: int, rows: list[dict]) -> dict:
    """Counts both ways, the largest and newest deals, and those produced locally."""
    for r in rows:
        r["local"] = _local(r)
    rows.sort(key=lambda r: (-(r["tiv_order"] or 0), -(r["order_year"] or 0)))
    newest = sorted(rows, key=lambda r: (-(r["order_year"] or 0), -(r["tiv_order"] or 0)))
    return {
        "deals": len(rows),
        "to_a": sum(1 for r in rows if r["recipient_id"] == a),
        "to_b": sum(1 for r in rows if r["recipient_id"] == b),
        "largest": rows[:3],
        "newest": newest[:3],
        "local_production": [r for r in rows if r["local"]],
        "since": since,
    }
