"""Evidence for ranks, partnerships and military budgets (kept apart to keep modules small)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from armatlas.analysis.dependence import SMALL_BASE_DEALS
from armatlas.analysis.periods import Period
from armatlas.claims.extract import Claim

if TYPE_CHECKING:
    from armatlas.claims.evidence import Evidence, EvidenceBuilder


def rank_evidence(b: EvidenceBuilder, claim: Claim, p: Period) -> Evidence:
    """World rank from period totals; supplier/recipient rank from partner shares."""
    from armatlas.claims.evidence import Evidence

    if claim.scope in ("supplier_of", "recipient_of"):
        direction = "import" if claim.scope == "supplier_of" else "export"
        from armatlas.analysis.shares import partner_ranks

        rows = partner_ranks(b.con, b.ctx, direction, p, claim.partner or "")
        ranks = {r["partner_id"]: r["rank"] for r in rows}
        order = [r["partner_id"] for r in rows]
        query = {
            "function": "partner_ranks",
            "direction": direction,
            "periods": [p.label],
            "entity_id": claim.partner,
            "release": b.ctx.release,
        }
        deals = sum(r["deals"] for r in rows)
        chart = [{"label": r["partner_id"], "value": 100 * (r["share"] or 0)} for r in rows[:6]]
    else:
        from armatlas.analysis.shares import world_ranks

        rows = world_ranks(b.con, b.ctx, claim.direction or "export", p)
        ranks = {r["entity_id"]: r["rank"] for r in rows}
        order = [r["entity_id"] for r in rows if r["rank"] is not None]  # states only (SIPRI's ranks)
        query = {
            "function": "world_ranks",
            "direction": claim.direction,
            "periods": [p.label],
            "release": b.ctx.release,
        }
        deals = None
        chart = [{"label": r["entity_id"], "value": 100 * r["share"]} for r in rows[:10]]
    got = {s: ranks.get(s) for s in claim.subject}
    ev = Evidence(
        detail={"ranks": got, "top": order[: max(10, len(claim.subject))], "period": p.label},
        query=query,
        chart=chart,
        base_deals=deals,
        small_base=deals is not None and deals < SMALL_BASE_DEALS,
    )
    if claim.relation == "eq":
        rank = got[claim.subject[0]]
        ev.computed = float(rank) if rank is not None else None
        if ev.computed is None:
            ev.reason = f"{claim.subject[0]} has no recorded transfers of this kind in {p}"
    return ev


def _deal(r: dict) -> str:
    n = f"{r['n_ordered']} " if r.get("n_ordered") else ""
    got = f", {r['n_delivered']} delivered" if r.get("n_delivered") is not None and r.get("n_ordered") else ""
    return f"{r['supplier']}: {n}{r['designation']} ({r['description']}) ordered {r['order_year']}{got}"


def partnership_evidence(b: EvidenceBuilder, claim: Claim, p: Period) -> Evidence:
    """The strongest arms-transfer evidence of a tie: largest and newest deals, licensed production."""
    from armatlas.analysis.partners import ties, ties_many
    from armatlas.claims.evidence import Evidence
    from armatlas.errors import ArmatlasError

    since = max(b.ctx.first_year, p.end - 14)
    release = b.ctx.register.release if b.ctx.register else b.ctx.release
    subject, partner = claim.subject[0], claim.partner or ""
    named = b.named_partners.get(subject, [])
    try:  # every partner the article names for the country, in one query
        if partner not in named:
            raise KeyError(partner)
        t = b.memo(ties_many, subject, named, since=since, release=release)[partner]
    except (ArmatlasError, KeyError):  # this claim's pair alone: its own error, if any
        t = b.memo(ties, subject, partner, since=since, release=release)
    best = t["newest"][:1] + [r for r in t["largest"][:1] if r not in t["newest"][:1]]
    cite = [_deal(r) for r in best] + [
        f"produced or assembled locally: {r['designation']} ({r['order_year']})"
        for r in t["local_production"][:3]
    ]
    return Evidence(
        computed=float(t["deals"]),
        base_deals=t["deals"],
        detail={
            "deals": t["deals"],
            "since": since,
            "to_subject": t["to_a"],
            "to_partner": t["to_b"],
            "cited": cite,
            "periods": [f"{since}-{p.end}"],
        },
        query={
            "function": "ties",
            "a": claim.subject[0],
            "b": claim.partner,
            "since": since,
            "release": b.ctx.release,
        },
        notes=[
            "arms transfers are one face of a partnership; joint ventures and licences "
            "without deliveries do not show"
        ],
    )


def budget_evidence(b: EvidenceBuilder, claim: Claim) -> Evidence:
    """Real change in military spending over five years, when SIPRI milex data are in the store."""
    import duckdb

    from armatlas.claims.evidence import Evidence
    from armatlas.errors import ArmatlasError

    try:
        from armatlas.analysis.spending import spending

        res = b.memo(spending, claim.subject[0], periods=(5,))
    except (ArmatlasError, duckdb.Error, ImportError):
        return Evidence(
            reason="not checkable: spending data not ingested (run armatlas ingest on the SIPRI milex workbook)"
        )
    g = res["growth"].rows[0]
    return Evidence(
        computed=100 * g["change"] if g["change"] is not None else None,
        detail={"from_year": g["from_year"], "to_year": g["to_year"]},
        query={"function": "spending", "entity_id": claim.subject[0], "periods": [5]},
        chart=[
            {"label": str(r["year"]), "value": r["constant_usd"]}
            for r in res["series"].rows[-10:]
            if r["constant_usd"] is not None
        ],
    )
