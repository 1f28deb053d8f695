"""What each analysis says in one glance: its summary as a frozen dataclass.

These sit below the analyses (which build them) and below every interface (CLI, web, report,
claims read their attributes; the API uses them inside its response models), so a field renamed
here is renamed everywhere, and mypy sees every reader. `results.plain()` turns one into the
dict its JSON holds; a field with `results.ABSENT` metadata is left out of that dict when None.
"""

from __future__ import annotations

from armatlas.summaries.industry import (
    BasisShare,
    Coverage,
    IndustryEntity,
    IndustryLatest,
    IndustrySummary,
    IndustryTrend,
    LicensedSummary,
    PersonnelSummary,
)
from armatlas.summaries.profile import EntityRef, ProfileSummary
from armatlas.summaries.spending import (
    GmiAgreement,
    GmiSummary,
    MilitarisationSummary,
    SensitivitySummary,
    SpendingSummary,
    ValidationSummary,
)
from armatlas.summaries.trade import (
    CutoffSummary,
    DealsSummary,
    DependencePeriod,
    DependenceSummary,
    DiffSummary,
    ExportsPeriod,
    ExportsSummary,
    FacetCount,
    LargestChange,
    NetworkEdge,
    NetworkSummary,
    NotRanked,
    Partner,
    PipelineByCategory,
    PipelineBySupplier,
    PipelineSelected,
    PipelineSummary,
    PipelineUnavailable,
    ReconcileTotals,
    TopPartners,
    TrendsSummary,
    Unavailable,
)

__all__ = [
    "BasisShare",
    "Coverage",
    "CutoffSummary",
    "DealsSummary",
    "DependencePeriod",
    "DependenceSummary",
    "DiffSummary",
    "EntityRef",
    "ExportsPeriod",
    "ExportsSummary",
    "FacetCount",
    "GmiAgreement",
    "GmiSummary",
    "IndustryEntity",
    "IndustryLatest",
    "IndustrySummary",
    "IndustryTrend",
    "LargestChange",
    "LicensedSummary",
    "MilitarisationSummary",
    "NetworkEdge",
    "NetworkSummary",
    "NotRanked",
    "Partner",
    "PersonnelSummary",
    "PipelineByCategory",
    "PipelineBySupplier",
    "PipelineSelected",
    "PipelineSummary",
    "PipelineUnavailable",
    "ProfileSummary",
    "ReconcileTotals",
    "SensitivitySummary",
    "SpendingSummary",
    "TopPartners",
    "TrendsSummary",
    "Unavailable",
    "ValidationSummary",
]
