"""Key findings of a country profile as plain sentences, written from the results' own fields.

Nothing is computed here: every number is a field of the profile, its import flows or its
spending summary, formatted with render.format. A finding whose fields are missing is left out.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from armatlas.render.format import pct, tiv
from armatlas.results import CompositeResult
from armatlas.summaries import (
    ExportsPeriod,
    PipelineSummary,
    PipelineUnavailable,
    ProfileSummary,
    SpendingSummary,
    Unavailable,
)


def _more_less(change: float | None, earlier: str) -> str:
    """'35% more than in 2016-2020' / '12% less than ...' (an empty string when unknown)."""
    if change is None:
        return ""
    word = "more" if change >= 0 else "less"
    return f", {abs(change) * 100:,.0f}% {word} than in {earlier}"


def _largest(rank: int) -> str:
    """'largest' / '2nd largest' / '23rd largest'."""
    if rank == 1:
        return "largest"
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix} largest"


def _of(name: str) -> str:
    """Possessive: "India's", "United States'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _share(value: float) -> str:
    """A world share; one under 0.05% is 'under 0.1%' rather than a misleading '0.0%'."""
    return "under 0.1%" if 0 < value < 0.0005 else pct(value)


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def imports_finding(name: str, flows: Sequence[dict[str, Any]]) -> str | None:
    """Volume, world share, rank and change of the latest period's imports."""
    if not flows or not flows[-1].get("tiv"):
        return None
    last = flows[-1]
    earlier = flows[-2]["period"] if len(flows) > 1 else ""
    rank = f" ({_largest(last['rank'])} importer)" if last.get("rank") else ""
    # a register of selected countries has no world share (nor rank): the clause is left out
    share = f", {_share(last['share'])} of the world total" if last.get("share") is not None else ""
    basis = (
        "; these totals are SIPRI's published TIV tables, rounded per year, so the register's"
        " deals shown with them can add up slightly differently"
        if last.get("basis") == "publisher TIV tables"
        else ""
    )
    return (
        f"{name} received {tiv(last['tiv'])} TIV of major arms in {last['period']}{share}"
        f"{rank}{_more_less(last.get('change'), earlier)}{basis}."
    )


def suppliers_finding(name: str, metrics: Sequence[dict[str, Any]]) -> str | None:
    """The main supplier's share, the top three's, and how the main share moved since the first period."""
    rows = [m for m in metrics if m.get("top1_share") is not None]
    if not rows:
        return None
    last, first = rows[-1], rows[0]
    text = (
        f"{last['top_supplier']} supplied {pct(last['top1_share'], 0)} of {_of(name)} arms imports in "
        f"{last['period']}; the three main suppliers together {pct(last['top3_share'], 0)}"
    )
    if first is not last:
        text += (
            f" (main supplier in {first['period']}: {first['top_supplier']}, {pct(first['top1_share'], 0)})"
        )
    if last.get("small_base"):
        text += "; few deals, so read shares with care"
    return text + "."


def categories_finding(name: str, categories: Sequence[dict[str, Any]], period: str) -> str | None:
    rows = sorted(
        (c for c in categories if c["period"] == period and c.get("share_of_imports")),
        key=lambda c: -c["share_of_imports"],
    )
    if not rows:
        return None
    parts = [f"{c['category'].lower()} ({pct(c['share_of_imports'], 0)})" for c in rows[:3]]
    return f"By weapon category, {_of(name)} imports in {period} were mostly " + ", ".join(parts) + "."


def exports_finding(name: str, latest: ExportsPeriod) -> str | None:
    if not latest.tiv:
        return None
    rank = f", the world's {_largest(latest.rank)} exporter" if latest.rank else ""
    change = latest.change
    moved = (
        ""
        if change is None
        else f" ({'+' if change >= 0 else '−'}{abs(change) * 100:,.0f}% on the period before)"
    )
    # a register of selected countries has no world share (nor rank)
    share = f": {_share(latest.world_share)} of world exports{rank}" if latest.world_share is not None else ""
    return (
        f"{name} exported {tiv(latest.tiv)} TIV in {latest.period} to "
        f"{_plural(latest.recipients, 'recipient')}{moved}{share}."
    )


def pipeline_finding(name: str, pipe: PipelineSummary | PipelineUnavailable) -> str | None:
    if not isinstance(pipe, PipelineSummary) or not pipe.outstanding_tiv:
        return None
    top = pipe.by_supplier[0] if pipe.by_supplier else None
    lead = f", {pct(top.share, 0)} of it from {top.supplier}" if top else ""
    return (
        f"{name} had {tiv(pipe.outstanding_tiv)} TIV of arms on order in {_plural(pipe.deals, 'open deal')}"
        f"{lead}."
    )


def spending_finding(
    name: str, sp: SpendingSummary | Unavailable, growth: Sequence[dict[str, Any]]
) -> str | None:
    if not isinstance(sp, SpendingSummary) or sp.constant_usd is None:
        return None
    level = sp.constant_usd
    amount = f"US$ {level / 1000:,.1f} billion" if level >= 1000 else f"US$ {level:,.0f} million"
    rank = f", the world's {_largest(sp.world_rank_constant_usd)}" if sp.world_rank_constant_usd else ""
    prices = f"constant {sp.base_year} US$" if sp.base_year is not None else "constant US$"
    # SIPRI has no share of GDP for some years (e.g. a state's last one): say nothing, not "–"
    burden = f", {pct(sp.share_gdp)} of GDP" if sp.share_gdp is not None else ""
    text = f"{_of(name)} military spending was {amount} in {sp.year} ({prices}{rank}){burden}"
    longest = max((g for g in growth if g.get("change") is not None), key=lambda g: g["years"], default=None)
    if longest:
        word = "up" if longest["change"] >= 0 else "down"
        text += f"; {word} {abs(longest['change']) * 100:,.0f}% in real terms since {longest['from_year']}"
    return text + "."


def key_findings(
    profile: CompositeResult[ProfileSummary], import_flows: Sequence[dict[str, Any]]
) -> list[tuple[str, str]]:
    """The profile's headline facts as (topic, sentence), one sentence each, in fact-sheet order."""
    s = profile.summary
    name = s.entity.name
    parts = profile.parts

    def rows(part: str) -> list[dict[str, Any]]:
        return parts[part].rows if part in parts else []

    found = [
        ("imports", imports_finding(name, import_flows)),
        ("suppliers", suppliers_finding(name, rows("dependence.metrics"))),
        ("categories", categories_finding(name, rows("dependence.categories"), profile.params["period"])),
        ("exports", exports_finding(name, s.exports.latest)),
        ("pipeline", pipeline_finding(name, s.pipeline)),
        ("spending", spending_finding(name, s.spending, rows("spending.growth"))),
    ]
    return [(topic, text) for topic, text in found if text]
