"""Summaries of the military-burden analyses: the militarisation index, its weight sensitivity,
the GMI after BICC and its validation. Apart from `spending`, so a country profile loads only
the summaries it builds."""

from __future__ import annotations

from dataclasses import dataclass, field

from armatlas.results import ABSENT


@dataclass(frozen=True, kw_only=True)
class MilitarisationSummary:
    year: int
    countries: int
    effective_weights: dict[str, float]  # indicator -> weight after renormalising over those present
    weights_renormalised_over: list[str]
    incomplete_countries: int


@dataclass(frozen=True, kw_only=True)
class SensitivitySummary:
    year: int
    countries: int
    n_draws: int


@dataclass(frozen=True, kw_only=True)
class GmiAgreement:
    """Rank agreement of one of our indicators with BICC's over the countries both score."""

    countries: int
    spearman: float | None  # None under 10 countries
    top10_shared: int | None = field(default=None, metadata=ABSENT)


@dataclass(frozen=True, kw_only=True)
class GmiSummary:
    """Which of BICC's indicators the year's index uses, what it can claim, and its agreement."""

    year: int
    indicators_used: list[str]
    indicators_missing: dict[str, str]  # indicator -> why it is missing
    weight_points_used: float
    claim: str
    scored: int
    incomplete: int
    agreement_with_bicc: dict[str, GmiAgreement] | None  # None without BICC's table in the store


@dataclass(frozen=True, kw_only=True)
class ValidationSummary:
    """Rank agreement of our spending component with BICC's over the years both cover."""

    years: int
    median: float  # Spearman
    min: float
    min_year: int
