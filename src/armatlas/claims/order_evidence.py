"""Evidence for orders: the register's deals from the seller to the buyer ordered in the claim's years."""

from __future__ import annotations

from typing import TYPE_CHECKING

from armatlas.analysis.periods import Period
from armatlas.claims.extract import Claim

if TYPE_CHECKING:
    from armatlas.claims.evidence import Evidence, EvidenceBuilder


STATED = "numbers ordered as stated: "  # the reader's note, read back here


def order_evidence(b: EvidenceBuilder, claim: Claim, periods: list[Period]) -> Evidence:
    """How many deals the register records as ordered in the period, with what and how many."""
    from armatlas.analysis.deals import find_deals
    from armatlas.claims.evidence import Evidence

    p = periods[-1]
    release = b.ctx.register.release if b.ctx.register else b.ctx.release
    res = b.memo(
        find_deals,
        recipient=claim.subject[0],
        supplier=claim.partner,
        from_year=p.start,
        to_year=p.end,
        release=release,
    )
    rows = [
        r
        for r in res.table.to_pylist()
        if r["order_year"] is not None and p.start <= r["order_year"] <= p.end
    ]
    listed = [
        f"{r['n_ordered'] if r['n_ordered'] is not None else '?'} {r['designation']} ({r['description']}), "
        f"ordered {r['order_year']}"
        for r in rows
    ]
    stated = [float(x) for n in claim.notes if n.startswith(STATED) for x in n[len(STATED) :].split(", ")]
    return Evidence(
        computed=float(len(rows)),
        detail={"orders": listed, "n_ordered": [r["n_ordered"] for r in rows], "stated": stated},
        query={
            "function": "find_deals",
            "recipient": claim.subject[0],
            "supplier": claim.partner,
            "from_year": p.start,
            "to_year": p.end,
            "release": release,
        },
        notes=listed[:6],
    )
