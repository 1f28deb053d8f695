"""What each analysis says in one glance: its summary as a frozen dataclass.

These sit below the analyses (which build them) and below every interface (CLI, web, report,
claims read their attributes; the API uses them inside its response models), so a field renamed
here is renamed everywhere, and mypy sees every reader. `results.plain()` turns one into the
dict its JSON holds; a field with `results.ABSENT` metadata is left out of that dict when None.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what mypy sees; at run time `__getattr__` below loads each on first use
    from armatlas.summaries.burden import *  # noqa: F403
    from armatlas.summaries.industry import *  # noqa: F403
    from armatlas.summaries.profile import *  # noqa: F403
    from armatlas.summaries.spending import *  # noqa: F403
    from armatlas.summaries.trade import *  # noqa: F403
    from armatlas.summaries.world import *  # noqa: F403

# Loaded on first use, one module at a time: a dataclass costs ~0.4 ms to define, and a country
# profile needs only the trade, industry, spending and profile summaries (not `world`, `burden`).
_MODULE = {
    "BasisShare": "industry",
    "Coverage": "industry",
    "IndustryEntity": "industry",
    "IndustryLatest": "industry",
    "IndustrySummary": "industry",
    "IndustryTrend": "industry",
    "LicensedSummary": "industry",
    "PersonnelSummary": "industry",
    "EntityRef": "profile",
    "ProfileSummary": "profile",
    "SpendingSummary": "spending",
    "GmiAgreement": "burden",
    "GmiSummary": "burden",
    "MilitarisationSummary": "burden",
    "SensitivitySummary": "burden",
    "ValidationSummary": "burden",
    "CutoffSummary": "trade",
    "DependencePeriod": "trade",
    "DependenceSummary": "trade",
    "ExportsPeriod": "trade",
    "ExportsSummary": "trade",
    "PipelineByCategory": "trade",
    "PipelineBySupplier": "trade",
    "PipelineSelected": "trade",
    "PipelineSummary": "trade",
    "PipelineUnavailable": "trade",
    "Unavailable": "trade",
    "DealsSummary": "world",
    "DiffSummary": "world",
    "FacetCount": "world",
    "LargestChange": "world",
    "NetworkEdge": "world",
    "NetworkSummary": "world",
    "NotRanked": "world",
    "Partner": "world",
    "ReconcileTotals": "world",
    "TopPartners": "world",
    "TrendsSummary": "world",
}


def __getattr__(name: str) -> Any:
    module = _MODULE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    # __import__, not importlib.import_module: `python -X importtime` (tests/test_imports.py) sees it
    value = getattr(__import__(f"{__name__}.{module}", fromlist=[name]), name)
    globals()[name] = value
    return value


__all__ = sorted(_MODULE)
