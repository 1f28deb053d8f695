"""What the data say about each claim, computed with the analysis functions (never typed in)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from armatlas.analysis.context import ReleaseContext
from armatlas.analysis.dependence import SMALL_BASE_DEALS, SMALL_BASE_TIV, dependence
from armatlas.analysis.exports import exports
from armatlas.analysis.flows import partner_shares, period_totals
from armatlas.analysis.periods import Period, consecutive, latest_period
from armatlas.claims.extract import Claim
from armatlas.claims.mentions import REGION_PREFIX, region_members
from armatlas.errors import ArmatlasError

QUALITATIVE = ("exports_reach", "dependence", "partnership", "second_hand_exports", "military_budget")


@dataclass
class Evidence:
    """The computed figure for a claim, the base it rests on and the query that produced it."""

    computed: float | None = None  # same unit as the claim's value (per cent, signed per cent, rank)
    detail: dict[str, Any] = field(default_factory=dict)
    base_tiv: float | None = None
    base_deals: int | None = None
    small_base: bool = False
    query: dict[str, Any] = field(default_factory=dict)  # function and parameters, to repeat it
    reason: str | None = None  # why it could not be computed
    chart: list[dict[str, Any]] = field(default_factory=list)  # {label, value, claimed?}
    notes: list[str] = field(default_factory=list)


class EvidenceBuilder:
    """One per check: caches period totals and partner shares across claims."""

    def __init__(self, con: duckdb.DuckDBPyConnection, ctx: ReleaseContext) -> None:
        self.con, self.ctx = con, ctx
        self._totals: dict[tuple[str, tuple[Period, ...]], list[dict]] = {}

    # -- shared queries -------------------------------------------------------------------
    def totals(self, direction: str, periods: Sequence[Period]) -> list[dict]:
        key = (direction, tuple(periods))
        if key not in self._totals:
            self._totals[key] = period_totals(self.con, self.ctx, direction, list(periods)).to_pylist()
        return self._totals[key]

    def partners(self, direction: str, periods: Sequence[Period], ids: Sequence[str]) -> list[dict]:
        return partner_shares(self.con, self.ctx, direction, list(periods), list(ids)).to_pylist()

    def within(self, periods: Sequence[Period]) -> str | None:
        for p in periods:
            if p.start < self.ctx.first_year or p.end > self.ctx.last_year:
                return (f"period {p} is outside the years release {self.ctx.release} covers "
                        f"({self.ctx.first_year}-{self.ctx.last_year})")
        return None

    # -- per kind -------------------------------------------------------------------------
    def build(self, claim: Claim) -> Evidence:
        if claim.kind == "out_of_scope":
            return Evidence(reason="; ".join(claim.notes))
        if not claim.subject or None in claim.subject:
            return Evidence(reason="no country could be read for this claim")
        periods = list(claim.periods)
        if not periods:
            return Evidence(reason="no period in the sentence or the article")
        if claim.kind in QUALITATIVE and claim.kind != "second_hand_exports" and self.within(periods):
            periods = [latest_period(self.ctx.last_year, periods[-1].length)]
            note = f"article period {claim.periods[-1]} not covered; used {periods[-1]}, the newest in the release"
        else:
            note = None
        if (why := self.within(periods)):
            return Evidence(reason=why)
        try:
            ev = getattr(self, claim.kind)(claim, periods)
        except ArmatlasError as exc:
            return Evidence(reason=exc.message)
        if note:
            ev.notes.append(note)
        return ev

    def _members(self, eid: str) -> list[str]:
        return region_members(eid[len(REGION_PREFIX):]) if eid.startswith(REGION_PREFIX) else [eid]

    def _share(self, claim: Claim, periods: list[Period], direction: str) -> Evidence:
        """Share of `partner` in the flows of `subject` (an entity or a region), from the register."""
        p = periods[-1]
        ids = self._members(claim.subject[0])
        rows = [r for r in self.partners(direction, [p], ids)]
        total = sum(r["tiv"] for r in rows)
        deals = sum(r["deals"] for r in rows)
        part = [r for r in rows if r["partner_id"] == claim.partner]
        tiv = sum(r["tiv"] for r in part)
        top: dict[str, float] = {}
        for r in rows:
            top[r["partner"]] = top.get(r["partner"], 0.0) + r["tiv"]
        chart = [{"label": k, "value": 100 * v / total} for k, v in sorted(top.items(), key=lambda kv: -kv[1])[:6]] if total else []
        ev = Evidence(computed=100 * tiv / total if total else None, base_tiv=total, base_deals=deals,
                      small_base=deals < SMALL_BASE_DEALS or total < SMALL_BASE_TIV,
                      detail={"partner_tiv": tiv, "partner_deals": sum(r["deals"] for r in part), "period": p.label},
                      query={"function": "partner_shares", "direction": direction, "periods": [p.label],
                             "entity_ids": ids, "partner_id": claim.partner, "release": self.ctx.release},
                      chart=chart)
        if len(ids) > 1:
            ev.notes.append(f"region aggregate over {len(ids)} states of the entity register's region")
        if total == 0:
            ev.reason = f"no recorded deliveries for {claim.subject[0]} in {p}"
        return ev

    def supplier_share(self, claim: Claim, periods: list[Period]) -> Evidence:
        return self._share(claim, periods, "import")

    def recipient_share(self, claim: Claim, periods: list[Period]) -> Evidence:
        return self._share(claim, periods, "export")

    def global_share(self, claim: Claim, periods: list[Period]) -> Evidence:
        p = periods[-1]
        rows = self.totals(claim.direction or "export", [p])
        ids = {i for s in claim.subject for i in self._members(s)}
        mine = [r for r in rows if r["entity_id"] in ids]
        share = sum(r["share"] for r in mine)
        world = rows[0]["world_tiv"] if rows else None
        return Evidence(computed=100 * share, base_tiv=world,
                        detail={"tiv": sum(r["tiv"] for r in mine), "world_tiv": world, "period": p.label,
                                "basis": self.ctx.totals_basis},
                        query={"function": "period_totals", "direction": claim.direction, "periods": [p.label],
                               "entity_ids": sorted(ids), "release": self.ctx.release},
                        chart=[{"label": r["entity_id"], "value": 100 * r["share"]} for r in rows[:8]])

    def change(self, claim: Claim, periods: list[Period]) -> Evidence:
        p0, p1 = periods[0], periods[-1]
        subj = claim.subject[0]
        if claim.partner:
            rows = [r for r in self.partners(claim.direction or "import", [p0, p1], [subj])
                    if r["partner_id"] == claim.partner]
            fn = "partner_shares"
        else:
            rows = [r for r in self.totals(claim.direction or "import", [p0, p1]) if r["entity_id"] == subj]
            fn = "period_totals"
        by = {r["period"]: r["tiv"] for r in rows}
        a, b = by.get(p0.label), by.get(p1.label)
        ev = Evidence(computed=100 * (b / a - 1) if a and b is not None else None, base_tiv=a,
                      small_base=(a or 0) < SMALL_BASE_TIV,
                      detail={"tiv_" + p0.label: a, "tiv_" + p1.label: b},
                      query={"function": fn, "direction": claim.direction, "periods": [p0.label, p1.label],
                             "entity_ids": [subj], "partner_id": claim.partner, "release": self.ctx.release},
                      chart=[{"label": p0.label, "value": a or 0.0}, {"label": p1.label, "value": b or 0.0}])
        if not a:
            ev.reason = f"no deliveries recorded in the base period {p0}"
        return ev

    def rank(self, claim: Claim, periods: list[Period]) -> Evidence:
        from armatlas.claims.rank_evidence import rank_evidence

        return rank_evidence(self, claim, periods[-1])

    def exports_reach(self, claim: Claim, periods: list[Period]) -> Evidence:
        res = exports(self.con, claim.subject[0], periods=periods[-1:], release=self.ctx.release)
        vol = res["volume"].rows[-1]
        recips = res["recipients"].rows
        return Evidence(computed=float(vol["recipients"]), base_tiv=vol["tiv"], base_deals=vol["deals"],
                        small_base=vol["deals"] < SMALL_BASE_DEALS,
                        detail={"recipients": [r["partner"] for r in recips], "period": vol["period"],
                                "tiv": vol["tiv"]},
                        query={"function": "exports", "supplier": claim.subject[0], "periods": [vol["period"]],
                               "release": self.ctx.release},
                        chart=[{"label": r["partner"], "value": r["tiv"]} for r in recips[:8]],
                        notes=["SIPRI records major conventional weapons only; exports of small arms, "
                               "ammunition or components do not count"])

    def second_hand_exports(self, claim: Claim, periods: list[Period]) -> Evidence:
        res = exports(self.con, claim.subject[0], periods=periods[-1:], release=self.ctx.release)
        vol = res["volume"].rows[-1]
        sh = vol.get("second_hand_share")
        return Evidence(computed=100 * sh if sh is not None else None, base_tiv=vol["tiv"], base_deals=vol["deals"],
                        small_base=vol["deals"] < SMALL_BASE_DEALS,
                        detail={"recipients": vol["recipients"], "tiv": vol["tiv"], "period": vol["period"],
                                "rank": vol["rank"], "world_share": vol["world_share"]},
                        query={"function": "exports", "supplier": claim.subject[0], "periods": [vol["period"]],
                               "release": self.ctx.release},
                        chart=[{"label": "second-hand", "value": 100 * (sh or 0)},
                               {"label": "new", "value": 100 * (1 - (sh or 0))}])

    def dependence(self, claim: Claim, periods: list[Period]) -> Evidence:
        ps = consecutive(periods[-1], 3)
        if ps[0].start < self.ctx.first_year:
            ps = [p for p in ps if p.start >= self.ctx.first_year]
        res = dependence(self.con, claim.subject[0], periods=ps, release=self.ctx.release)
        m = res["metrics"].rows
        return Evidence(computed=None, base_tiv=m[-1]["tiv"], base_deals=m[-1]["deals"],
                        small_base=bool(m[-1]["small_base"]),
                        detail={"volume_trend": res.summary["volume_trend"],
                                "top1_share_trend": res.summary["top1_share_trend"],
                                "hhi_trend": res.summary["hhi_trend"],
                                "periods": [{k: r[k] for k in ("period", "tiv", "top_supplier", "top1_share", "hhi")}
                                            for r in m]},
                        query={"function": "dependence", "importer": claim.subject[0],
                               "periods": [p.label for p in ps], "release": self.ctx.release},
                        chart=[{"label": r["period"], "value": r["tiv"]} for r in m],
                        notes=["falling imports are consistent with, but do not prove, substitution by domestic production"])

    def partnership(self, claim: Claim, periods: list[Period]) -> Evidence:
        from armatlas.claims.rank_evidence import partnership_evidence

        return partnership_evidence(self, claim, periods[-1])

    def military_budget(self, claim: Claim, periods: list[Period]) -> Evidence:
        from armatlas.claims.rank_evidence import budget_evidence

        return budget_evidence(self, claim)
