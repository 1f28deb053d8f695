"""Summary of a country profile: one section per analysis it gathers."""

from __future__ import annotations

from armatlas.summaries.base import Summary, summary
from armatlas.summaries.industry import IndustrySummary
from armatlas.summaries.spending import SpendingSummary
from armatlas.summaries.trade import (
    CutoffSummary,
    DependenceSummary,
    ExportsSummary,
    PipelineSummary,
    PipelineUnavailable,
    Unavailable,
)


@summary
class EntityRef(Summary):
    """The country (or other entity) a result is about."""

    entity_id: str
    name: str
    iso3: str | None
    kind: str
    region: str | None
    subregion: str | None


@summary
class ProfileSummary(Summary):
    entity: EntityRef
    periods: list[str]  # oldest first; the last is the profile's period
    dependence: DependenceSummary
    exports: ExportsSummary
    pipeline: PipelineSummary | PipelineUnavailable
    cutoff: CutoffSummary | None  # None when the country imported nothing in the period
    spending: SpendingSummary | Unavailable
    industry: IndustrySummary  # without its entity (the profile's entity says it)
