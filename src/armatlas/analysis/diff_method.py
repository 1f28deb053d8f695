"""Release comparison, part two: how much of a change is method rather than revision.

Two registers can hold the same deals and still give different figures for a period, because
their per-year deliveries were obtained differently (the publisher's exact rows in one, the
split rule in the other). To separate the two, both releases are also computed by one method:
every deal's delivered units and TIV split over its listed years by the split rule
(`sources/sipri_transfers/split.py`). The change under one method is the revision (deals,
numbers and TIV the publisher changed); the rest of the change is method.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import duckdb

from armatlas.analysis.context import ReleaseContext
from armatlas.analysis.periods import Period
from armatlas.sources.sipri_transfers.split import split_deal

Pairs = dict[tuple[str, str], float]  # (supplier_id, recipient_id) -> TIV in the period


def allocation_mix(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, p: Period) -> dict[str, float]:
    """Share of the period's register TIV by how its years were obtained (exact, ..., estimated)."""
    sid = ctx.require_register().snapshot_id
    rows = con.execute(
        """SELECT allocation, sum(tiv) FROM delivery WHERE snapshot_id = ?
                          AND year BETWEEN ? AND ? AND tiv IS NOT NULL GROUP BY 1""",
        [sid, p.start, p.end],
    ).fetchall()
    total = sum(t or 0.0 for _a, t in rows)
    return {a: (t or 0.0) / total for a, t in rows} if total else {}


def rule_pairs(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, p: Period) -> Pairs:
    """Supplier-recipient TIV in the period with every deal split by the rule."""
    sid = ctx.require_register().snapshot_id
    deals = con.execute(
        """SELECT d.supplier_id, d.recipient_id, d.n_delivered, d.tiv_delivered, list(DISTINCT v.year)
           FROM deal d JOIN delivery v USING (deal_key) WHERE d.snapshot_id = ? AND d.tiv_delivered IS NOT NULL
           GROUP BY d.deal_key, d.supplier_id, d.recipient_id, d.n_delivered, d.tiv_delivered
           HAVING max(v.year) >= ? AND min(v.year) <= ?""",
        [sid, p.start, p.end],
    ).fetchall()
    out: Pairs = defaultdict(float)
    for sup, rec, n, tiv, years in deals:
        for y, _u, t in split_deal(years, n, tiv):
            if p.start <= y <= p.end and t:
                out[sup, rec] += t
    return out


def rule_values(pairs: Pairs, query: str, country: str | None, direction: str) -> dict[str, float]:
    """The comparison's value per key (share) computed from rule-split pairs."""
    acc: dict[str, float] = defaultdict(float)
    if query in ("suppliers", "recipients"):
        own = 1 if query == "suppliers" else 0  # suppliers of an importer: match the recipient
        for pair, t in pairs.items():
            if pair[own] == country:
                acc[pair[1 - own]] += t
    else:
        side = 1 if direction == "import" else 0
        for pair, t in pairs.items():
            acc[pair[side]] += t
    total = sum(acc.values())
    return {k: v / total for k, v in acc.items()} if total else {}


def split_change(rows: list[dict[str, Any]], va: dict[str, float], vb: dict[str, float]) -> dict[str, Any]:
    """Add change_revision / change_method to every row; how much of |change| is method."""
    moved = method_moved = 0.0
    for r in rows:
        if r["change"] is None:
            r["change_revision"] = r["change_method"] = None
            continue
        rev = vb.get(r["key"], 0.0) - va.get(r["key"], 0.0)
        r["change_revision"], r["change_method"] = rev, r["change"] - rev
        moved += abs(r["change"])
        method_moved += min(abs(r["change"] - rev), abs(r["change"]))
    # below a hundredth of a share point in all there is no change to explain
    return {"method_share_of_change": method_moved / moved if moved > 1e-4 else None}
