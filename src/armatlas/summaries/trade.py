"""Summaries of the trade analyses: dependence, exports, pipeline and cut-off (TIV in millions)."""

from __future__ import annotations

from typing import Literal

from armatlas.summaries.base import Summary, summary


@summary
class Unavailable(Summary):
    """A section that could not be computed, and why (e.g. no milex workbook in the store)."""

    unavailable: str


@summary
class DependencePeriod(Summary):
    """An importer's supplier concentration in one period (one row of `dependence.metrics`)."""

    period: str
    tiv: float
    deals: int
    suppliers: int  # supplier states, as SIPRI counts them
    other_suppliers: int  # organisations, non-state and unknown suppliers
    hhi: float | None
    effective_suppliers: float | None
    top_supplier: str | None
    top_supplier_id: str | None
    top1_share: float | None
    top3_share: float | None
    second_hand_share: float | None
    licensed_share: float | None  # None where the layout only flags local production
    local_production_share: float | None
    estimated_share: float | None  # share resting on the estimated per-year split
    small_base: bool


@summary
class DependenceSummary(Summary):
    """Supplier dependence: the latest period and the direction across periods."""

    importer: str
    importer_id: str
    top1_share_trend: str  # 'rising', 'falling', 'flat', '... overall' or 'insufficient data'
    hhi_trend: str
    volume_trend: str
    latest: DependencePeriod


@summary
class ExportsPeriod(Summary):
    """A supplier's exports in one period (one row of `exports.volume`)."""

    period: str
    tiv: float
    world_share: float | None  # None on a register of selected countries
    rank: int | None
    change: float | None  # against the previous period
    recipients: int  # recipient states
    deals: int
    recipient_names: list[str]
    other_recipients: int
    other_recipient_names: list[str]
    second_hand_share: float | None


@summary
class ExportsSummary(Summary):
    """Exports of a supplier: the latest period and its reach."""

    supplier: str
    supplier_id: str
    latest: ExportsPeriod
    recipients_latest: int
    recipients_ever: int  # recipient states over all periods asked


@summary
class PipelineSelected(Summary):
    """An item selected but not yet ordered (listed apart from the pipeline's headline)."""

    supplier: str
    designation: str | None
    outstanding_tiv: float | None


@summary
class PipelineBySupplier(Summary):
    supplier_id: str
    supplier: str
    deals: int
    outstanding_tiv: float
    estimated_tiv: float
    share: float | None


@summary
class PipelineByCategory(Summary):
    category: str
    deals: int
    outstanding_tiv: float
    estimated_tiv: float
    share: float | None


@summary
class PipelineSummary(Summary):
    """Orders not yet (fully) delivered, valued at TIV per unit x outstanding units."""

    available: Literal[True] = True
    deals: int
    selected_deals: int
    selected: list[PipelineSelected]
    outstanding_units_known: int
    outstanding_tiv: float
    estimated_numbers_share: float | None
    selected_only_tiv: float
    size_unknown_deals: int
    unvalued_deals: int
    with_planned_years: int
    unknown_size_with_deliveries_left_out: int
    by_supplier: list[PipelineBySupplier]
    by_category: list[PipelineByCategory]


@summary
class PipelineUnavailable(Summary):
    """A register layout without 'Number ordered': no pipeline (the warning says why)."""

    available: Literal[False] = False
    deals: int = 0
    outstanding_tiv: None = None


@summary
class CutoffSummary(Summary):
    """What an importer would lose in a window if the named suppliers stopped delivering."""

    importer_id: str
    importer: str
    window: str
    suppliers: list[str]
    supplier_names: list[str]
    delivered_tiv: float
    lost_tiv: float
    share_lost: float | None
    deals: int
    categories_hit: int
    categories_without_alternative: list[str]
    pipeline_tiv: float | None  # None where the release has no pipeline
    pipeline_lost_tiv: float | None
    pipeline_share_lost: float | None
