"""Response models: the shapes every /api/v1 endpoint returns, so the OpenAPI schema is real.

They mirror `results.TableResult.to_dict()` / `CompositeResult.to_dict()` (the same field names
as the CLI's --json). A body is generic in its summary, and the summary types are the analyses'
own frozen dataclasses (`armatlas.summaries`), so the OpenAPI schema is derived from the very
classes the Python API returns and cannot drift from them. Rows stay open dicts except where a
row schema is fixed (deals).
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from armatlas.summaries import (
    CutoffSummary,
    DealsSummary,
    DependenceSummary,
    DiffSummary,
    ExportsSummary,
    IndustrySummary,
    MilitarisationSummary,
    NetworkSummary,
    PipelineSummary,
    PipelineUnavailable,
    ProfileSummary,
    ReconcileTotals,
    SpendingSummary,
    TrendsSummary,
)

S = TypeVar("S")


class SnapshotRef(BaseModel):
    """The source file a figure rests on."""

    snapshot_id: int
    source: str
    file_name: str
    layout: str
    release: str
    generated_at: str | None = None
    sha256: str
    url: str | None = None


class Provenance(BaseModel):
    """Where a result's figures came from and how much of them rests on estimates."""

    release: str
    snapshots: list[SnapshotRef] = []
    basis: str = ""
    estimated_share: float | None = Field(
        None, description="Share of TIV resting on the estimated per-year split"
    )
    excluded: list[str] = []
    notes: list[str] = []


class TableBody(BaseModel, Generic[S]):
    """One table of figures with its units, parameters and provenance."""

    kind: str
    params: dict[str, Any] = {}
    units: dict[str, str] = {}
    warnings: list[str] = []
    summary: S
    provenance: Provenance
    rows: list[dict[str, Any]]


class Part(BaseModel):
    units: dict[str, str] = {}
    rows: list[dict[str, Any]]


class CompositeBody(BaseModel, Generic[S]):
    """Several tables answering one question (e.g. a country profile), plus a summary."""

    kind: str
    params: dict[str, Any] = {}
    summary: S
    warnings: list[str] = []
    provenance: Provenance
    parts: dict[str, Part]


class NetworkBody(BaseModel):
    """Node-link JSON (D3 style) with the network's summary and provenance."""

    kind: str
    params: dict[str, Any] = {}
    summary: NetworkSummary
    warnings: list[str] = []
    provenance: Provenance
    units: dict[str, str] = {}
    directed: bool
    nodes: list[dict[str, Any]]
    links: list[dict[str, Any]]


# Each analysis endpoint's body, its summary typed by the analysis's own dataclass.
DependenceBody = CompositeBody[DependenceSummary]
ExportsBody = CompositeBody[ExportsSummary]
ProfileBody = CompositeBody[ProfileSummary]
PipelineBody = TableBody[PipelineSummary | PipelineUnavailable]
CutoffBody = CompositeBody[CutoffSummary]
SpendingBody = CompositeBody[SpendingSummary]
IndustryBody = CompositeBody[IndustrySummary]
TrendsBody = TableBody[TrendsSummary]
MilitarisationBody = TableBody[MilitarisationSummary]
CompareBody = TableBody[DiffSummary]
ReconcileBody = TableBody[dict[str, ReconcileTotals]]  # keyed by direction


class Entity(BaseModel):
    entity_id: str
    name: str
    iso3: str | None = None
    kind: str
    region: str | None = None
    subregion: str | None = None
    first_year: int | None = None
    last_year: int | None = None
    successor_id: str | None = None


class EntityBody(BaseModel):
    entity: Entity


class Health(BaseModel):
    status: str = Field(examples=["ok"])
    version: str
    etag: str = Field(description="Changes whenever the store's content changes")


class DealRow(BaseModel):
    """One deal of the trade register (TIV in millions; a volume measure, not money)."""

    supplier: str
    recipient: str
    designation: str | None = None
    description: str | None = None
    category: str | None = None
    order_year: int | None = None
    order_year_est: bool | None = None
    n_ordered: int | None = None
    n_ordered_est: bool | None = None
    n_delivered: int | None = None
    n_delivered_est: bool | None = None
    delivery_years: str | None = None
    status: str | None = None
    local_production: bool | None = None
    tiv_unit: float | None = None
    tiv_order: float | None = None
    tiv_delivered: float | None = Field(
        None, description="None: no deliveries; see tiv_below_half for SIPRI's 0"
    )
    tiv_below_half: bool | None = None
    comments: str | None = None
    supplier_id: str
    recipient_id: str
    sipri_id: str | int | None = None
    src_line: int | None = None


class Page(BaseModel):
    """Where this page sits in the whole selection."""

    total: int = Field(description="Rows in the whole selection")
    limit: int
    offset: int
    next: str | None = Field(None, description="URL of the next page; null on the last one")


class DealsBody(TableBody[DealsSummary]):
    rows: list[DealRow]  # type: ignore[assignment]
    page: Page


class ErrorDetail(BaseModel):
    code: str = Field(examples=["unknown-country"])
    message: str
    file: str | None = None
    line: int | None = None
    column: str | int | None = None
    value: Any = None
    hint: str | None = None
    suggestions: list[str] | None = None


class ErrorBody(BaseModel):
    """Every error, from every endpoint, has this one shape."""

    error: ErrorDetail


class Dossier(BaseModel):
    """The claim checker's answer: each claim with its evidence and verdict."""

    kind: str = "claim_check"
    article: dict[str, Any]
    counts: dict[str, int]
    notes: list[str] = []
    provenance: Provenance | dict[str, Any]
    claims: list[dict[str, Any]]


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in {
        404: "Unknown country, release or data",
        422: "Invalid parameter",
        503: "Store unavailable or incomplete",
        504: "Request took too long",
    }.items()
}
