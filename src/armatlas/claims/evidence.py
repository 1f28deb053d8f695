"""What the data say about each claim, computed with the analysis functions (never typed in)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from armatlas.analysis.context import ReleaseContext
from armatlas.analysis.dependence import SMALL_BASE_DEALS, SMALL_BASE_TIV, dependence
from armatlas.analysis.exports import exports
from armatlas.analysis.flows import entity_group, partner_shares, period_totals
from armatlas.analysis.periods import Period, consecutive, latest_period
from armatlas.analysis.shares import share_series, split_margins
from armatlas.claims.extract import Claim
from armatlas.claims.kinds import INDUSTRY_KINDS, MILEX_KINDS, ClaimKind
from armatlas.claims.memo import Memo
from armatlas.claims.mentions import REGION_PREFIX, group_spec
from armatlas.errors import ArmatlasError

#: Statements without a figure: checked on the newest period when the article's is not covered.
QUALITATIVE = frozenset(
    {
        ClaimKind.EXPORTS_REACH,
        ClaimKind.DEPENDENCE,
        ClaimKind.PARTNERSHIP,
        ClaimKind.SECOND_HAND_EXPORTS,
        ClaimKind.MILITARY_BUDGET,
    }
)


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
    # What the article does not say ('country', 'period'): the verdict is ambiguous, not uncheckable.
    missing: str | None = None
    chart: list[dict[str, Any]] = field(default_factory=list)  # {label, value, claimed?}
    notes: list[str] = field(default_factory=list)


class EvidenceBuilder:
    """One per check and release: caches period totals and partner shares across claims; the
    check's builders share one Memo, so an analysis asked for by several claims runs once."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        ctx: ReleaseContext,
        memo: Memo | None = None,
        claims: Sequence[Claim] = (),
    ) -> None:
        self.con, self.ctx = con, ctx
        self.memo = memo if memo is not None else Memo(con)
        # Every partner the article names for each country, so one query serves all its ties.
        self.named_partners: dict[str, list[str]] = {}
        for c in claims:
            if c.kind == ClaimKind.PARTNERSHIP and c.subject and c.partner:
                known = self.named_partners.setdefault(c.subject[0], [])
                if c.partner not in known:
                    known.append(c.partner)
        self._built: dict[tuple, Evidence] = {}
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
                return (
                    f"period {p} is outside the years release {self.ctx.release} covers "
                    f"({self.ctx.first_year}-{self.ctx.last_year})"
                )
        return None

    # -- per kind -------------------------------------------------------------------------
    def build(self, claim: Claim) -> Evidence:
        """Evidence for a claim; the same statement twice (a concatenation, a repeated lead) is computed once."""
        key = (
            claim.kind,
            tuple(claim.subject),
            claim.partner,
            claim.direction,
            tuple(claim.periods),
            claim.value,
            claim.relation,
            claim.scope,
            tuple(claim.topics),
        )
        hit = self._built.get(key)
        if hit is None:
            hit = self._built[key] = self._build(claim)
        return dataclasses.replace(hit, notes=list(hit.notes), detail=dict(hit.detail))

    def _build(self, claim: Claim) -> Evidence:
        handler = HANDLERS[claim.kind]
        if not handler.registers:
            return handler.check(self, claim, list(claim.periods))
        if not claim.subject or None in claim.subject:
            return Evidence(reason="no country could be read for this claim", missing="country")
        periods = list(claim.periods)
        if not periods:
            return Evidence(reason="no period in the sentence or the article", missing="period")
        if claim.kind in (ClaimKind.PARTNERSHIP, ClaimKind.DEPENDENCE, ClaimKind.MILITARY_BUDGET) or (
            claim.kind == ClaimKind.EXPORTS_REACH and claim.value is None
        ):
            # Present-tense statements ('we export to many countries'): the newest five complete years.
            periods = [latest_period(self.ctx.last_year, 5)]
            note = f"a statement about the present: checked on {periods[-1]}, the newest five years in the release"
            claim.periods, claim.period_source = list(periods), "the present (newest five years)"
        elif (
            claim.kind in QUALITATIVE and claim.kind != ClaimKind.SECOND_HAND_EXPORTS and self.within(periods)
        ):
            periods = [latest_period(self.ctx.last_year, periods[-1].length)]
            note = f"article period {claim.periods[-1]} not covered; used {periods[-1]}, the newest in the release"
        else:
            note = None
        if why := self.within(periods):
            return Evidence(reason=why)
        try:
            ev = handler.check(self, claim, periods)
        except ArmatlasError as exc:
            return Evidence(reason=exc.message)
        if note:
            ev.notes.append(note)
        return ev

    def _members(self, eid: str) -> list[str]:
        """A region's states as the analysis layer groups them (flows.entity_group), else the entity."""
        if eid.startswith(REGION_PREFIX):
            return entity_group(group_spec(eid))[1] or []
        return [eid]

    def _series(
        self,
        claim: Claim,
        periods: list[Period],
        direction: str,
        group: list[str] | None,
        partners: list[str] | None,
    ) -> list[dict]:
        return share_series(self.con, self.ctx, direction, periods, group, partners).to_pylist()

    def _share(self, claim: Claim, periods: list[Period], direction: str) -> Evidence:
        """Share of `partner` (an entity or a region) in the flows of `subject` (an entity or a region)."""
        p = periods[-1]
        ids = self._members(claim.subject[0])
        partners = self._members(claim.partner) if claim.partner else []
        r = self._series(claim, [p], direction, ids, partners)[0]
        total, deals = r["base_tiv"], r["deals"] or 0
        ev = Evidence(
            computed=100 * r["share"] if r["share"] is not None else None,
            base_tiv=total,
            base_deals=deals,
            small_base=deals < SMALL_BASE_DEALS or (total or 0) < SMALL_BASE_TIV,
            detail={"partner_tiv": r["part_tiv"], "period": p.label},
            query={
                "function": "share_series",
                "direction": direction,
                "periods": [p.label],
                "group": claim.subject[0],
                "partners": claim.partner,
                "release": self.ctx.release,
            },
        )
        if len(ids) > 1:
            ev.notes.append(
                f"{claim.subject[0][len(REGION_PREFIX) :]}: {len(ids)} states of the register's region"
            )
        if not total:
            ev.reason = f"no recorded deliveries for {claim.subject[0]} in {p}"
        return ev

    def supplier_share(self, claim: Claim, periods: list[Period]) -> Evidence:
        return self._share(claim, periods, "import")

    def recipient_share(self, claim: Claim, periods: list[Period]) -> Evidence:
        return self._share(claim, periods, "export")

    def global_share(self, claim: Claim, periods: list[Period]) -> Evidence:
        p = periods[-1]
        ids = sorted({i for s in claim.subject for i in self._members(s)})
        r = self._series(claim, [p], claim.direction or "export", ids, None)[0]
        return Evidence(
            computed=100 * r["share"] if r["share"] is not None else None,
            base_tiv=r["base_tiv"],
            detail={
                "tiv": r["part_tiv"],
                "world_tiv": r["base_tiv"],
                "period": p.label,
                "basis": self.ctx.totals_basis,
            },
            query={
                "function": "share_series",
                "direction": claim.direction,
                "periods": [p.label],
                "group": claim.subject,
                "release": self.ctx.release,
            },
        )

    def share_change(self, claim: Claim, periods: list[Period]) -> Evidence:
        """Change of a share between two periods, in percentage points."""
        p0, p1 = periods[0], periods[-1]
        if claim.partner:
            rows = self._series(
                claim,
                [p0, p1],
                claim.direction or "import",
                self._members(claim.subject[0]),
                self._members(claim.partner),
            )
        else:
            rows = self._series(
                claim, [p0, p1], claim.direction or "export", self._members(claim.subject[0]), None
            )
        pp = rows[-1]["share_change_pp"]
        return Evidence(
            computed=pp,
            detail={"share_" + r["period"]: r["share"] for r in rows},
            query={
                "function": "share_series",
                "direction": claim.direction,
                "periods": [p0.label, p1.label],
                "group": claim.subject[0],
                "partners": claim.partner,
                "release": self.ctx.release,
            },
            reason=None if pp is not None else f"no share in {p0} or {p1}",
        )

    def change(self, claim: Claim, periods: list[Period]) -> Evidence:
        if len(claim.subject) > 1 and claim.relation in ("rising", "falling"):
            return self._each_change(claim, periods)
        p0, p1 = periods[0], periods[-1]
        subj = claim.subject[0]
        world = subj == "WORLD"
        group = None if world else self._members(subj)
        partners = self._members(claim.partner) if claim.partner else None
        rows = self._series(claim, [p0, p1], claim.direction or "export", group, partners)
        a, b = rows[0]["part_tiv"], rows[-1]["part_tiv"]
        ch = rows[-1]["change"]
        ev = Evidence(
            computed=100 * ch if ch is not None else None,
            base_tiv=a,
            small_base=(a or 0) < SMALL_BASE_TIV,
            detail={"tiv_" + p0.label: a, "tiv_" + p1.label: b},
            query={
                "function": "share_series",
                "direction": claim.direction,
                "periods": [p0.label, p1.label],
                "group": subj,
                "partners": claim.partner,
                "release": self.ctx.release,
            },
            chart=[{"label": p0.label, "value": a or 0.0}, {"label": p1.label, "value": b or 0.0}],
        )
        if not a:
            ev.reason = f"no deliveries recorded in the base period {p0}"
        elif partners is None and b is not None:
            self._split_range(ev, claim, [p0, p1], group, a, b)
        return ev

    def _each_change(self, claim: Claim, periods: list[Period]) -> Evidence:
        """'The US, France and Germany increased their exports': every one must have; the evidence is the
        change of the country least in the claim's direction."""
        each = {s: self.change(dataclasses.replace(claim, subject=[s]), periods) for s in claim.subject}
        if bad := next((s for s, ev in each.items() if ev.computed is None), None):
            return Evidence(reason=f"{bad}: {each[bad].reason or 'no change could be computed'}")
        pick = min if claim.relation == "rising" else max
        worst = pick(each, key=lambda s: each[s].computed or 0.0)
        ev = each[worst]
        ev.detail = {**ev.detail, "changes": {s: e.computed for s, e in each.items()}}
        ev.notes.append(
            "each country's change: "
            + ", ".join(f"{s} {e.computed:+.1f}%" for s, e in each.items() if e.computed is not None)
        )
        return ev

    def _split_range(
        self, ev: Evidence, claim: Claim, periods: list[Period], group: list[str] | None, a: float, b: float
    ) -> None:
        """The change's range when the estimated per-year split misplaces deliveries across the
        periods' edges (registers without exact years); none where every year is exact."""
        m0, m1 = split_margins(self.con, self.ctx, claim.direction or "export", periods, group)
        if not (m0 or m1) or a <= m0:
            return
        lo, hi = 100 * ((b - m1) / (a + m0) - 1), 100 * ((b + m1) / (a - m0) - 1)
        ev.detail["split_range"] = [lo, hi]
        ev.notes.append(
            f"part of these deliveries rests on the estimated per-year split; its measured error at the "
            f"periods' edges allows {lo:+.1f}% to {hi:+.1f}%"
        )

    def region_rank(self, claim: Claim, periods: list[Period]) -> Evidence:
        """Rank among the states of a region, from the analysis layer's group ranks."""
        from armatlas.analysis.shares import group_ranks

        p = periods[-1]
        ids = self._members(claim.partner or "")
        rows = group_ranks(self.con, self.ctx, claim.direction or "import", p, ids)
        ranks = {r["entity_id"]: r["rank"] for r in rows}
        got = ranks.get(claim.subject[0])
        return Evidence(
            computed=float(got) if got else None,
            detail={
                "ranks": {claim.subject[0]: got},
                "top": [r["entity_id"] for r in rows[:10]],
                "period": p.label,
            },
            query={
                "function": "group_ranks",
                "direction": claim.direction,
                "periods": [p.label],
                "group": claim.partner,
                "release": self.ctx.release,
            },
            reason=None if got else f"{claim.subject[0]} has no recorded transfers in {p}",
        )

    def supplier_count(self, claim: Claim, periods: list[Period]) -> Evidence:
        """How many states delivered major arms to the country in the period (share_series partners_n)."""
        p = periods[-1]
        r = self._series(claim, [p], "import", [claim.subject[0]], [])[0]
        return Evidence(
            computed=float(r["partners_n"] or 0),
            base_tiv=r["base_tiv"],
            detail={"period": p.label},
            query={
                "function": "share_series",
                "direction": "import",
                "periods": [p.label],
                "group": claim.subject[0],
                "release": self.ctx.release,
            },
            notes=[
                "counts suppliers with recorded deliveries of major arms; aid of small arms or "
                "ammunition is outside SIPRI's coverage"
            ],
        )

    def rank(self, claim: Claim, periods: list[Period]) -> Evidence:
        from armatlas.claims.rank_evidence import rank_evidence

        return rank_evidence(self, claim, periods[-1])

    def exports_reach(self, claim: Claim, periods: list[Period]) -> Evidence:
        """How many states received the supplier's major arms in the period (analysis.shares.partner_states)."""
        from armatlas.analysis.shares import partner_states
        from armatlas.claims.wording import name

        p = periods[-1]
        rows = partner_states(self.con, self.ctx, "export", p, claim.subject[0])
        return Evidence(
            computed=float(len(rows)),
            base_tiv=sum(r["tiv"] for r in rows),
            base_deals=sum(r["deals"] for r in rows),
            small_base=sum(r["deals"] for r in rows) < SMALL_BASE_DEALS,
            detail={"recipients": [name(r["partner_id"]) for r in rows], "period": p.label},
            query={
                "function": "partner_states",
                "direction": "export",
                "periods": [p.label],
                "entity_id": claim.subject[0],
                "release": self.ctx.release,
            },
            chart=[{"label": name(r["partner_id"]), "value": r["tiv"]} for r in rows[:8]],
            notes=[
                "recipient states of major conventional weapons with recorded deliveries; exports of "
                "small arms, ammunition or components do not count"
            ],
        )

    def second_hand_exports(self, claim: Claim, periods: list[Period]) -> Evidence:
        res = self.memo(exports, claim.subject[0], periods=periods[-1:], release=self.ctx.release)
        vol = res["volume"].rows[-1]
        sh = vol.get("second_hand_share")
        return Evidence(
            computed=100 * sh if sh is not None else None,
            base_tiv=vol["tiv"],
            base_deals=vol["deals"],
            small_base=vol["deals"] < SMALL_BASE_DEALS,
            detail={
                "recipients": vol["recipients"],
                "tiv": vol["tiv"],
                "period": vol["period"],
                "rank": vol["rank"],
                "world_share": vol["world_share"],
            },
            query={
                "function": "exports",
                "supplier": claim.subject[0],
                "periods": [vol["period"]],
                "release": self.ctx.release,
            },
            chart=[
                {"label": "second-hand", "value": 100 * (sh or 0)},
                {"label": "new", "value": 100 * (1 - (sh or 0))},
            ],
        )

    def dependence(self, claim: Claim, periods: list[Period]) -> Evidence:
        ps = consecutive(periods[-1], 3)
        if ps[0].start < self.ctx.first_year:
            ps = [p for p in ps if p.start >= self.ctx.first_year]
        res = self.memo(dependence, claim.subject[0], periods=ps, release=self.ctx.release)
        m = res["metrics"].rows
        return Evidence(
            computed=None,
            base_tiv=m[-1]["tiv"],
            base_deals=m[-1]["deals"],
            small_base=bool(m[-1]["small_base"]),
            detail={
                "volume_trend": res.summary.volume_trend,
                "top1_share_trend": res.summary.top1_share_trend,
                "hhi_trend": res.summary.hhi_trend,
                "periods": [
                    {k: r[k] for k in ("period", "tiv", "top_supplier", "top1_share", "hhi")} for r in m
                ],
            },
            query={
                "function": "dependence",
                "importer": claim.subject[0],
                "periods": [p.label for p in ps],
                "release": self.ctx.release,
            },
            chart=[{"label": r["period"], "value": r["tiv"]} for r in m],
            notes=[
                "falling imports are consistent with, but do not prove, substitution by domestic production"
            ],
        )

    def partnership(self, claim: Claim, periods: list[Period]) -> Evidence:
        from armatlas.claims.rank_evidence import partnership_evidence

        return partnership_evidence(self, claim, periods[-1])

    def military_budget(self, claim: Claim, periods: list[Period]) -> Evidence:
        from armatlas.claims.rank_evidence import budget_evidence

        return budget_evidence(self, claim)


def _out_of_scope(b: EvidenceBuilder, claim: Claim, periods: list[Period]) -> Evidence:
    """What no data here can check; defence-industry topics carry what the Top 100 and register show."""
    from armatlas.claims.industry_evidence import INDUSTRY_TOPICS, industry_evidence

    if claim.subject and set(INDUSTRY_TOPICS) & set(claim.topics):
        return industry_evidence(b.con, claim.subject[0], "; ".join(claim.notes), b.ctx.release, b.memo)
    return Evidence(reason="; ".join(claim.notes))


def _milex(b: EvidenceBuilder, claim: Claim, periods: list[Period]) -> Evidence:
    """Spending claims read the milex workbook, on its own editions (not the release's registers)."""
    from armatlas.claims.milex_evidence import milex_evidence

    try:
        return milex_evidence(b.con, claim, b.memo)
    except ArmatlasError as exc:
        return Evidence(reason=exc.message)


def _industry(b: EvidenceBuilder, claim: Claim, periods: list[Period]) -> Evidence:
    """Top 100 claims read the arms-industry workbook (analysis.industry_totals), not the registers."""
    from armatlas.claims.industry_evidence import top100_evidence

    return top100_evidence(b.con, claim, b.memo)


def _order(b: EvidenceBuilder, claim: Claim, periods: list[Period]) -> Evidence:
    from armatlas.claims.order_evidence import order_evidence

    return order_evidence(b, claim, periods)


@dataclass(frozen=True)
class Handler:
    """How one kind of claim is checked.

    `registers`: checked on the transfer registers, so `build` first needs a country and a
    period the release covers (present-tense kinds take the newest five years); the others
    (spending, out of scope) get the claim's periods as read.
    """

    check: Callable[[EvidenceBuilder, Claim, list[Period]], Evidence]
    registers: bool = True


#: Every kind's one check (tests/test_claim_kinds.py: no kind without one, none with two).
HANDLERS: dict[ClaimKind, Handler] = {
    ClaimKind.SUPPLIER_SHARE: Handler(EvidenceBuilder.supplier_share),
    ClaimKind.RECIPIENT_SHARE: Handler(EvidenceBuilder.recipient_share),
    ClaimKind.GLOBAL_SHARE: Handler(EvidenceBuilder.global_share),
    ClaimKind.SHARE_CHANGE: Handler(EvidenceBuilder.share_change),
    ClaimKind.CHANGE: Handler(EvidenceBuilder.change),
    ClaimKind.WORLD_CHANGE: Handler(EvidenceBuilder.change),
    ClaimKind.RANK: Handler(EvidenceBuilder.rank),
    ClaimKind.REGION_RANK: Handler(EvidenceBuilder.region_rank),
    ClaimKind.SUPPLIER_COUNT: Handler(EvidenceBuilder.supplier_count),
    ClaimKind.EXPORTS_REACH: Handler(EvidenceBuilder.exports_reach),
    ClaimKind.DEPENDENCE: Handler(EvidenceBuilder.dependence),
    ClaimKind.PARTNERSHIP: Handler(EvidenceBuilder.partnership),
    ClaimKind.ORDER: Handler(_order),
    ClaimKind.SECOND_HAND_EXPORTS: Handler(EvidenceBuilder.second_hand_exports),
    ClaimKind.MILITARY_BUDGET: Handler(EvidenceBuilder.military_budget),
    **{k: Handler(_milex, registers=False) for k in MILEX_KINDS},
    **{k: Handler(_industry, registers=False) for k in INDUSTRY_KINDS},
    ClaimKind.OUT_OF_SCOPE: Handler(_out_of_scope, registers=False),
}
