"""Evidence for ranks, partnerships and military budgets (kept apart to keep modules small)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from armatlas.analysis.dependence import SMALL_BASE_DEALS
from armatlas.analysis.periods import Period, consecutive
from armatlas.claims.extract import Claim

if TYPE_CHECKING:
    from armatlas.claims.evidence import EvidenceBuilder, Evidence


def rank_evidence(b: EvidenceBuilder, claim: Claim, p: Period) -> Evidence:
    """World rank from period totals; supplier/recipient rank from partner shares."""
    from armatlas.claims.evidence import Evidence

    if claim.scope in ("supplier_of", "recipient_of"):
        direction = "import" if claim.scope == "supplier_of" else "export"
        rows = b.partners(direction, [p], [claim.partner])  # type: ignore[list-item]
        ranks = {r["partner_id"]: r["rank"] for r in rows}
        order = [r["partner_id"] for r in rows]
        query = {"function": "partner_shares", "direction": direction, "periods": [p.label],
                 "entity_ids": [claim.partner], "release": b.ctx.release}
        deals = sum(r["deals"] for r in rows)
        chart = [{"label": r["partner"], "value": 100 * r["share"]} for r in rows[:6]]
    else:
        rows = b.totals(claim.direction or "export", [p])
        ranks = {r["entity_id"]: r["rank"] for r in rows}
        order = [r["entity_id"] for r in rows]
        query = {"function": "period_totals", "direction": claim.direction, "periods": [p.label],
                 "release": b.ctx.release}
        deals = None
        chart = [{"label": r["entity_id"], "value": 100 * r["share"]} for r in rows[:10]]
    got = {s: ranks.get(s) for s in claim.subject}
    ev = Evidence(detail={"ranks": got, "top": order[:max(10, len(claim.subject))], "period": p.label},
                  query=query, chart=chart, base_deals=deals,
                  small_base=deals is not None and deals < SMALL_BASE_DEALS)
    if claim.relation == "eq":
        ev.computed = float(got[claim.subject[0]]) if got[claim.subject[0]] is not None else None
        if ev.computed is None:
            ev.reason = f"{claim.subject[0]} has no recorded transfers of this kind in {p}"
    return ev


def partnership_evidence(b: EvidenceBuilder, claim: Claim, p: Period) -> Evidence:
    """Transfers both ways between the country and its named partner over 15 years."""
    from armatlas.claims.evidence import Evidence

    ps = [q for q in consecutive(p, 3) if q.start >= b.ctx.first_year]
    subj = claim.subject[0]
    imp = [r for r in b.partners("import", ps, [subj]) if r["partner_id"] == claim.partner]
    exp = [r for r in b.partners("export", ps, [subj]) if r["partner_id"] == claim.partner]
    deals = sum(r["deals"] for r in imp) + sum(r["deals"] for r in exp)
    latest = next((r for r in imp if r["period"] == ps[-1].label), None)
    return Evidence(computed=100 * latest["share"] if latest else 0.0, base_deals=deals,
                    detail={"imports_from_partner": [{k: r[k] for k in ("period", "tiv", "share", "rank", "deals")}
                                                     for r in imp],
                            "exports_to_partner": [{k: r[k] for k in ("period", "tiv", "share", "deals")} for r in exp],
                            "deals": deals, "periods": [q.label for q in ps]},
                    query={"function": "partner_shares", "direction": "import", "periods": [q.label for q in ps],
                           "entity_ids": [subj], "partner_id": claim.partner, "release": b.ctx.release},
                    chart=[{"label": r["period"], "value": 100 * r["share"]} for r in imp],
                    notes=["arms transfers are one face of a partnership; joint ventures and licences "
                           "without deliveries do not show"])


def budget_evidence(b: EvidenceBuilder, claim: Claim) -> Evidence:
    """Real change in military spending over five years, when SIPRI milex data are in the store."""
    import duckdb

    from armatlas.claims.evidence import Evidence
    from armatlas.errors import ArmatlasError

    try:
        from armatlas.analysis.spending import spending

        res = spending(b.con, claim.subject[0], periods=(5,))
    except (ArmatlasError, duckdb.Error, ImportError):
        return Evidence(reason="not checkable: spending data not ingested (run armatlas ingest on the SIPRI milex workbook)")
    g = res["growth"].rows[0]
    return Evidence(computed=100 * g["change"] if g["change"] is not None else None,
                    detail={"from_year": g["from_year"], "to_year": g["to_year"]},
                    query={"function": "spending", "entity_id": claim.subject[0], "periods": [5]},
                    chart=[{"label": str(r["year"]), "value": r["constant_usd"]} for r in res["series"].rows[-10:]
                           if r["constant_usd"] is not None])
