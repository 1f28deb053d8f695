"""Summaries of the military-burden analyses: the militarisation index, its weight sensitivity,
the GMI after BICC and its validation. Apart from `spending`, so a country profile loads only
the summaries it builds."""

from __future__ import annotations

from dataclasses import field

from armatlas.results import ABSENT
from armatlas.summaries.base import Summary, summary


@summary
class MilitarisationSummary(Summary):
    year: int
    countries: int
    effective_weights: dict[str, float]  # indicator -> weight after renormalising over those present
    weights_renormalised_over: list[str]
    incomplete_countries: int


@summary
class SensitivitySummary(Summary):
    year: int
    countries: int
    n_draws: int


@summary
class GmiAgreement(Summary):
    """Rank agreement of one of our indicators with BICC's over the countries both score."""

    countries: int
    spearman: float | None  # None under 10 countries
    top10_shared: int | None = field(default=None, metadata=ABSENT)


@summary
class GmiSummary(Summary):
    """Which of BICC's indicators the year's index uses, what it can claim, and its agreement."""

    year: int
    indicators_used: list[str]
    indicators_missing: dict[str, str]  # indicator -> why it is missing
    weight_points_used: float
    claim: str
    scored: int
    incomplete: int
    agreement_with_bicc: dict[str, GmiAgreement] | None  # None without BICC's table in the store


@summary
class ValidationSummary(Summary):
    """Rank agreement of our spending component with BICC's over the years both cover."""

    years: int
    median: float  # Spearman
    min: float
    min_year: int
