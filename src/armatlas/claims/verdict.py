"""Verdicts: consistent, inconsistent, not checkable (why) or ambiguous (what is missing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from armatlas.claims.evidence import Evidence
from armatlas.claims.extract import Claim
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.wording import name

CONSISTENT, INCONSISTENT = "consistent", "inconsistent"
NOT_CHECKABLE, AMBIGUOUS = "not checkable", "ambiguous"
VERDICTS = (CONSISTENT, INCONSISTENT, NOT_CHECKABLE, AMBIGUOUS)


@dataclass(frozen=True)
class Tolerances:
    """How far the data may sit from a claim and still support it.

    share_pp: shares, in percentage points (news reports round SIPRI's one-decimal figures);
    change_pp: per-cent changes, in points (a revised base period moves changes more than shares);
    rank: exact by default; many_countries: 'exports to many countries' means at least this many
    recipients in the period; second_hand: 'selling off inherited arms' means at least this share
    of export volume second-hand; budget_pp: a 'rising' budget grew by more than this in 5 years.
    """

    share_pp: float = 1.5
    change_pp: float = 5.0
    change_rel: float = 0.1  # changes of 100% or more: this fraction of the stated figure
    world_estimates: float = (
        0.05  # SIPRI's world spending exceeds the sum of reported countries by up to this
    )
    stable_pp: float = 3.0  # "levelled off", "remained at the same level": a change within ± this
    milex_rel: float = 0.015  # spending levels: this fraction (plus half the last stated digit)
    milex_change_pp: float = 1.0
    milex_burden_change_pp: float = 0.1  # a change of the share of GDP ("up 0.9 percentage points")
    milex_share_pp: float = 0.5  # a region's share of SIPRI's world total, both SIPRI's own totals
    # Top 100 changes: the year before of companies new to the Top 100 is deflated by their country's
    # ratio (analysis.industry_totals), within a few tenths of SIPRI's own figure (2018: 4.62% vs 4.6%)
    industry_change_pp: float = 1.0
    rank: int = 0
    many_countries: int = 5
    second_hand: float = 50.0
    budget_pp: float = 0.0


@dataclass
class Verdict:
    verdict: str
    difference: float | None
    explanation: str


def judge(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    """Compare a claim with its evidence under explicit tolerances."""
    if claim.kind == ClaimKind.OUT_OF_SCOPE:
        return _out_of_scope(claim, ev, tol)
    if ev.reason:
        kind = AMBIGUOUS if ev.missing else NOT_CHECKABLE  # the article, not the data, falls short
        return Verdict(kind, None, ev.reason)
    return JUDGES[claim.kind](claim, ev, tol)


def _out_of_scope(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    shown = [n for n in ev.notes if n.startswith("the data show: ")]
    return Verdict(NOT_CHECKABLE, None, "; ".join(["outside the data: " + "; ".join(claim.notes), *shown]))


def _share(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    if claim.relation in ("lt", "gt"):
        return _threshold(claim, ev.computed)
    if claim.relation == "almost":
        return _almost(claim, ev.computed, "%")
    return _numeric(claim.value, ev.computed, _approx(claim, tol.share_pp), "percentage points")


def _change(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    if claim.relation in ("lt", "gt"):
        return _threshold(claim, ev.computed)
    if claim.relation == "almost":
        return _almost(claim, ev.computed, "%")
    if claim.relation == "stable":
        c = ev.computed
        if c is None:
            return Verdict(NOT_CHECKABLE, None, "no figure to compare")
        ok = abs(c) <= tol.stable_pp
        return Verdict(
            CONSISTENT if ok else INCONSISTENT,
            c,
            f"data {c:+.1f}% vs claim: stable (within ±{tol.stable_pp:g}%)",
        )
    if claim.relation in ("rising", "falling"):
        c = ev.computed
        if c is None:
            return Verdict(NOT_CHECKABLE, None, "no figure to compare")
        ok = c > 0 if claim.relation == "rising" else c < 0
        return Verdict(CONSISTENT if ok else INCONSISTENT, None, f"data {c:+.1f}%: {claim.relation}")
    big = tol.change_rel * abs(claim.value or 0) if abs(claim.value or 0) >= 100 else 0.0
    slack = _approx(claim, max(tol.change_pp, big))
    v = _numeric(claim.value, ev.computed, slack, "points")
    if (rng := ev.detail.get("split_range")) and claim.value is not None:
        lo, hi = rng
        a, b = claim.value - slack, claim.value + slack  # the data values the claim accepts
        some, every = a <= hi and b >= lo, a <= lo and hi <= b
        if some and not every:  # within the range the estimated split allows, either verdict holds
            v.explanation += (
                f"; the estimated per-year split decides this verdict (it allows {lo:+.1f}% to {hi:+.1f}%)"
            )
    return v


def _industry_change(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    if claim.relation == "almost":
        return _almost(claim, ev.computed, "%")
    return _numeric(claim.value, ev.computed, _approx(claim, tol.industry_change_pp), "points")


def _share_change(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    return _numeric(claim.value, ev.computed, tol.share_pp, "percentage points")


def _milex_level(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    half = _half_digit(claim.value)
    if ev.detail.get("world") and ev.computed is not None and claim.value is not None:
        # SIPRI's world total = the reported countries (ev.computed) + its estimates for the rest
        lo, hi = ev.computed - half, ev.computed * (1 + tol.world_estimates) + half
        ok = lo <= claim.value <= hi
        return Verdict(
            CONSISTENT if ok else INCONSISTENT,
            claim.value - ev.computed,
            f"data {ev.computed:,.0f} bn for the countries with figures; SIPRI's world adds up to "
            f"{100 * tol.world_estimates:g}% of estimates; claim {claim.value:,.0f} bn",
        )
    # rounding of the stated digits plus the relative slack (as Tolerances.milex_rel says): "$4.9 billion"
    # for 4.995 is a figure cut, not rounded, to one decimal
    return _numeric(claim.value, ev.computed, half + tol.milex_rel * abs(claim.value or 0), "US$ bn")


def _milex_per_capita(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    return _numeric(
        claim.value,
        ev.computed,
        max(_half_digit(claim.value), tol.milex_rel * abs(claim.value or 0)),
        "US$",
    )


def _milex_burden(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    if len(claim.periods) == 2:  # "up 0.9 percentage points": a change of the share, stated to a tenth
        slack = max(_half_digit(claim.value), tol.milex_burden_change_pp)
        return _numeric(claim.value, ev.computed, slack, "percentage points")
    return _numeric(claim.value, ev.computed, max(_half_digit(claim.value), 0.5), "percentage points")


def _milex_govt_share(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    return _numeric(claim.value, ev.computed, max(_half_digit(claim.value), 1.0), "percentage points")


def _milex_share(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    # a region's share of SIPRI's world total (both with its estimates): rounding and revisions;
    # else the world here sums countries with figures, SIPRI's adds estimates (~2%)
    slack = tol.milex_share_pp if ev.detail.get("region") else 2.0
    return _numeric(claim.value, ev.computed, max(_half_digit(claim.value), slack), "percentage points")


def _ratio(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    """'Nine times': half a unit of the multiple as written, 'almost' as for shares."""
    if claim.relation == "almost":
        return _almost(claim, ev.computed, "times")
    if claim.relation in ("gt", "lt") and claim.value is not None and ev.computed is not None:
        ok = ev.computed > claim.value if claim.relation == "gt" else ev.computed < claim.value
        return Verdict(
            CONSISTENT if ok else INCONSISTENT,
            ev.computed - claim.value,
            f"data {ev.computed:.2f} times vs "
            f"claim: {'more' if claim.relation == 'gt' else 'less'} than {claim.value:g} times",
        )
    return _numeric(
        claim.value, ev.computed, max(_half_digit(claim.value), 0.1 * abs(claim.value or 0)), "times"
    )


def _milex_change(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    if claim.relation == "almost":  # "jumped by nearly a quarter": at most the figure, within 15% under it
        return _almost(claim, ev.computed, "%")
    return _numeric(claim.value, ev.computed, _approx(claim, tol.milex_change_pp), "points")


def _milex_rank(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    if claim.relation == "ordered":  # the list names spenders n..n+k (the top: 1..k), in any order
        ranks = ev.detail["ranks"]
        got = [ranks[s] for s in claim.subject]
        first = int(claim.value or 1)
        same_set = None not in got and sorted(got) == list(range(first, first + len(got)))
        return Verdict(
            CONSISTENT if same_set else INCONSISTENT,
            None,
            ("ranks in " + ev.detail["region"] if ev.detail.get("region") else "world ranks")
            + " in the data: "
            + ", ".join(f"{s} {r}" for s, r in ranks.items())
            + ("" if got == sorted(got) or not same_set else " (same countries, different order)"),
        )
    if claim.relation != "eq":
        return Verdict(NOT_CHECKABLE, None, f"no check for claims of kind {claim.kind}")
    diff = (ev.computed or 0) - (claim.value or 0)
    return Verdict(
        CONSISTENT if diff == 0 else INCONSISTENT,
        diff,
        f"rank {int(ev.computed or 0)} in the data vs {int(claim.value or 0)} claimed",
    )


# relation -> (what must hold of the spending history, in words)
HISTORY_RELATIONS = {
    "record_high": "the highest level of the series",
    "record_low": "the lowest level of the series",
    "highest_since": "no higher level after the year named",
    "lowest_since": "no lower level after the year named",
    "consecutive_rise": "that many rises in a row",
    "consecutive_fall": "that many falls in a row",
    "first_rise_since": "a rise, the first after the year named",
    "first_fall_since": "a fall, the first after the year named",
    "largest_rise_since": "a rise larger than any after the year named",
    "largest_fall_since": "a fall larger than any after the year named",
}


def _milex_history(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    """'The highest level ever recorded', 'fell for the fourth consecutive year', 'the first increase
    since 2014': judged on the real (constant US$) series as SIPRI states such records."""
    h, rel, n = ev.detail, claim.relation, int(claim.value or 0)
    ch = h.get("change") or 0.0
    since = {"highest_since": "higher_since", "lowest_since": "lower_since"}.get(rel)
    if rel in ("record_high", "record_low"):
        last = h["higher_since" if rel == "record_high" else "lower_since"]
        ok, got = (
            last is None,
            "a record" if last is None else f"{'higher' if rel == 'record_high' else 'lower'} in {last}",
        )
    elif since:
        last = h[since]
        ok, got = (
            last is None or last <= n,
            f"last {'higher' if 'highest' in rel else 'lower'}: {last or 'never'}",
        )
    elif rel in ("consecutive_rise", "consecutive_fall"):
        want = n if rel == "consecutive_rise" else -n
        ok, got = h["run"] == want, f"{abs(h['run'])} {'rise' if h['run'] > 0 else 'fall'}(s) in a row"
    else:
        rising = "_rise_" in rel
        last = h["same_sign_before" if rel.startswith("first") else "bigger_change_since"]
        ok = (ch > 0 if rising else ch < 0) and (last is None or last <= n)
        got = f"change {100 * ch:+.1f}% in {h['year']}; before that: {last or 'none in the series'}"
    return Verdict(
        CONSISTENT if ok else INCONSISTENT, None, f"{HISTORY_RELATIONS.get(rel, rel)}? data: {got}"
    )


def _region_rank(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    if claim.relation == "top_n":  # "one of the top five arms importers in sub-Saharan Africa"
        got, n = ev.computed, int(claim.value or 0)
        ok = got is not None and got <= n
        return Verdict(
            CONSISTENT if ok else INCONSISTENT,
            None,
            f"rank {'–' if got is None else int(got)} in the data; claim: within the top {n}",
        )
    diff = (ev.computed or 0) - (claim.value or 0)
    v = CONSISTENT if abs(diff) <= tol.rank else INCONSISTENT
    return Verdict(v, diff, f"rank {int(ev.computed or 0)} in the data vs {int(claim.value or 0)} claimed")


def _supplier_count(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    n, want = ev.computed or 0, claim.value or 0
    ok = n >= want if claim.relation in ("gte", "gt") else n == want
    return Verdict(
        CONSISTENT if ok else INCONSISTENT,
        n - want,
        f"{int(n)} states delivered major arms in {ev.detail.get('period')}; claim: "
        f"{'at least ' if claim.relation == 'gte' else ''}{int(want)}",
    )


def _exports_reach(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    n = int(ev.computed or 0)
    names = ", ".join(ev.detail.get("recipients", [])[:12]) or "none"
    seen = f"{n} recipient state(s) of major arms in {ev.detail.get('period')}: {names}"
    if claim.value is not None:
        return Verdict(CONSISTENT if n == int(claim.value) else INCONSISTENT, n - claim.value, seen)
    if n >= tol.many_countries:
        return Verdict(CONSISTENT, None, f"{seen} (threshold for 'many': {tol.many_countries})")
    return Verdict(
        AMBIGUOUS,
        None,
        f"{seen}: fewer than 'many' ({tol.many_countries}) for major arms; the claim may "
        "mean ammunition, small arms or components, which are outside SIPRI's coverage of major "
        "conventional weapons",
    )


def _second_hand_exports(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    sh = ev.computed
    if sh is None:
        return Verdict(NOT_CHECKABLE, None, "no exports recorded in the period")
    return Verdict(
        CONSISTENT if sh >= tol.second_hand else INCONSISTENT,
        None,
        f"{sh:.1f}% of export volume second-hand, to {ev.detail['recipients']} recipients "
        f"(threshold {tol.second_hand:.0f}%)",
    )


def _dependence(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    vol, top = ev.detail["volume_trend"], ev.detail["top1_share_trend"]
    v = CONSISTENT if vol == "falling" else INCONSISTENT if vol == "rising" else AMBIGUOUS
    return Verdict(
        v,
        None,
        f"import volume {vol}, top-supplier share {top} over "
        f"{', '.join(p['period'] for p in ev.detail['periods'])}",
    )


def _partnership(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    d = ev.detail
    cited = "; ".join(d.get("cited", [])) or "none"
    return Verdict(
        CONSISTENT if d["deals"] else AMBIGUOUS,
        None,
        f"{d['deals']} deal(s) with orders or deliveries either way since {d['since']} "
        f"({d['to_subject']} to {name(claim.subject[0])}, {d['to_partner']} from it); strongest: {cited}"
        + ("" if d["deals"] else "; no recorded transfers (a partnership may be industrial only)"),
    )


def _military_budget(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    if ev.computed is None:
        return Verdict(NOT_CHECKABLE, None, "no spending figures for the years compared")
    return Verdict(
        CONSISTENT if ev.computed > tol.budget_pp else INCONSISTENT,
        None,
        f"real change {ev.computed:+.1f}% {ev.detail['from_year']}–{ev.detail['to_year']}",
    )


def _approx(claim: Claim, tol: float) -> float:
    """'A fifth', 'halved': words are rounder than figures, so allow a fifth of the value."""
    return max(tol, 0.2 * abs(claim.value or 0)) if claim.relation == "approx" else tol


def _almost(claim: Claim, computed: float | None, unit: str) -> Verdict:
    """'Nearly a fifth', 'almost double': at most the figure and within 15% under it."""
    if claim.value is None or computed is None:
        return Verdict(NOT_CHECKABLE, None, "no figure to compare")
    # 'Nearly 5%' rounds too: half a unit of the last digit written widens the lower bound.
    written = claim.text and any(ch.isdigit() for ch in claim.text.split("%")[0][-12:])
    lo = claim.value - 0.15 * abs(claim.value) - (_half_digit(claim.value) if written else 0.0)
    ok = lo <= computed <= claim.value + 0.05
    return Verdict(
        CONSISTENT if ok else INCONSISTENT,
        computed - claim.value,
        f"data {computed:.1f} vs claim: nearly {claim.value:g} (accepted {lo:.1f} to {claim.value:g} {unit})",
    )


def _half_digit(value: float | None) -> float:
    """Half a unit of the last digit written: 86.1 -> 0.05, 314 -> 0.5."""
    if value is None:
        return 0.0
    txt = f"{value:g}"
    return 0.5 * 10 ** -(len(txt.split(".")[1]) if "." in txt else 0)


def _numeric(claimed: float | None, computed: float | None, tol: float, unit: str) -> Verdict:
    if claimed is None or computed is None:
        return Verdict(NOT_CHECKABLE, None, "no figure to compare")
    diff = computed - claimed
    v = CONSISTENT if abs(diff) <= tol else INCONSISTENT
    return Verdict(
        v, diff, f"data {computed:.1f} vs claim {claimed:g}: {diff:+.1f} {unit} (tolerance ±{tol:g})"
    )


def _threshold(claim: Claim, computed: float | None) -> Verdict:
    """'Less than half' / 'most': the share must lie strictly on the claimed side of the threshold.

    No tolerance: the words carry no rounding, and SIPRI writes them from the same figures.
    """
    if claim.value is None or computed is None:
        return Verdict(NOT_CHECKABLE, None, "no figure to compare")
    diff = computed - claim.value
    ok = computed < claim.value if claim.relation == "lt" else computed > claim.value
    side = "below" if claim.relation == "lt" else "above"
    return Verdict(
        CONSISTENT if ok else INCONSISTENT,
        diff,
        f"data {computed:.1f}% vs claim: {side} {claim.value:g}% ({diff:+.1f} percentage points)",
    )


def _rank(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    ranks = ev.detail["ranks"]
    if claim.relation == "eq":
        diff = (ev.computed or 0) - (claim.value or 0)
        v = CONSISTENT if abs(diff) <= tol.rank else INCONSISTENT
        return Verdict(
            v, diff, f"rank {int(ev.computed or 0)} in the data vs {int(claim.value or 0)} claimed"
        )
    if claim.relation == "ordered":
        top = ev.detail["top"][: len(claim.subject)]
        same_set, same_order = set(top) == set(claim.subject), top == claim.subject
        v = CONSISTENT if same_set else INCONSISTENT
        return Verdict(
            v,
            None,
            f"data top {len(top)}: {', '.join(top)}"
            + ("" if same_order or not same_set else " (same countries, different order)"),
        )
    n = int(claim.value or 0)
    inside = {s: (r is not None and r <= n) for s, r in ranks.items()}
    want = claim.relation == "top_n"
    ok = all(x == want for x in inside.values())
    desc = ", ".join(f"{s}: {'–' if r is None else r}" for s, r in ranks.items())
    return Verdict(
        CONSISTENT if ok else INCONSISTENT,
        None,
        f"ranks in the data ({desc}); claim: {'within' if want else 'outside'} the top {n}",
    )


def _order(claim: Claim, ev: Evidence, tol: Tolerances) -> Verdict:
    """An order is there when the register records a deal from the seller ordered in those years."""
    n = int(ev.computed or 0)
    if n == 0:
        return Verdict(INCONSISTENT, None, "no deal from this seller ordered in those years in the register")
    said = f"{n} deal(s) in the register: " + "; ".join(ev.detail["orders"][:4])
    stated, known = ev.detail.get("stated") or [], [x for x in ev.detail["n_ordered"] if x is not None]
    if stated and known and not set(stated) & set(known):
        return Verdict(
            AMBIGUOUS, None, said + f"; none of the numbers stated ({', '.join(f'{x:g}' for x in stated)})"
        )
    return Verdict(CONSISTENT, None, said)


#: Every kind's one judge (tests/test_claim_kinds.py: no kind without one, none with two).
JUDGES: dict[ClaimKind, Callable[[Claim, Evidence, Tolerances], Verdict]] = {
    ClaimKind.SUPPLIER_SHARE: _share,
    ClaimKind.RECIPIENT_SHARE: _share,
    ClaimKind.GLOBAL_SHARE: _share,
    ClaimKind.SHARE_CHANGE: _share_change,
    ClaimKind.CHANGE: _change,
    ClaimKind.WORLD_CHANGE: _change,
    ClaimKind.RANK: _rank,
    ClaimKind.REGION_RANK: _region_rank,
    ClaimKind.SUPPLIER_COUNT: _supplier_count,
    ClaimKind.EXPORTS_REACH: _exports_reach,
    ClaimKind.DEPENDENCE: _dependence,
    ClaimKind.PARTNERSHIP: _partnership,
    ClaimKind.ORDER: _order,
    ClaimKind.SECOND_HAND_EXPORTS: _second_hand_exports,
    ClaimKind.MILITARY_BUDGET: _military_budget,
    ClaimKind.MILEX_LEVEL: _milex_level,
    ClaimKind.MILEX_PER_CAPITA: _milex_per_capita,
    ClaimKind.MILEX_BURDEN: _milex_burden,
    ClaimKind.MILEX_SHARE: _milex_share,
    ClaimKind.MILEX_CHANGE: _milex_change,
    ClaimKind.MILEX_RANK: _milex_rank,
    ClaimKind.MILEX_OTHER: _milex_govt_share,
    ClaimKind.MILEX_HISTORY: _milex_history,
    ClaimKind.RATIO: _ratio,
    ClaimKind.INDUSTRY_SALES: _milex_level,  # US$ bn as stated, the same rounding rule as spending levels
    ClaimKind.INDUSTRY_CHANGE: _industry_change,
    ClaimKind.INDUSTRY_SHARE: _share,
    ClaimKind.OUT_OF_SCOPE: _out_of_scope,
}
