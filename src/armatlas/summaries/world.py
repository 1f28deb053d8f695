"""Summaries of the world-wide trade analyses: trends, network, deal lists, release comparison
and reconciliation (TIV in millions). Apart from `trade`, so a country profile loads only the
summaries it builds."""

from __future__ import annotations

from dataclasses import field

from armatlas.results import ABSENT
from armatlas.summaries.base import Summary, summary


@summary
class NotRanked(Summary):
    """An organisation, non-state or unknown party: listed beside the ranking, never in it."""

    entity_id: str
    name: str
    tiv: float
    share: float | None


@summary
class TrendsSummary(Summary):
    """The world total of the period (and of the comparison period) behind a ranking."""

    world_tiv: float | None
    world_tiv_compare: float | None
    world_change: float | None
    entities: int  # states with transfers in the period
    not_ranked: list[NotRanked]


@summary
class NetworkEdge(Summary):
    supplier: str
    recipient: str
    tiv: float


@summary
class Partner(Summary):
    """A partner of the focus country and its share of the focus country's flows."""

    partner_id: str
    partner: str
    tiv: float
    share: float | None


@summary
class TopPartners(Summary):
    suppliers: list[Partner]
    recipients: list[Partner]


@summary
class NetworkSummary(Summary):
    """Size of the supplier -> recipient network of a period, its largest links, the focus's partners."""

    period: str
    nodes: int
    edges: int
    tiv: float
    licensed_edges: int | None  # None: the layout's one flag cannot tell licensed production
    second_hand_edges: int
    centrality: dict[str, str]  # method name -> what it measures
    top_edges: list[NetworkEdge]
    top_partners: TopPartners | None  # only with a focus country


@summary
class FacetCount(Summary):
    value: str
    deals: int


@summary
class DealsSummary(Summary):
    """How many deals the selection holds, counted per facet value (most first)."""

    deals: int
    facets: dict[str, list[FacetCount]]  # supplier, recipient, category, status
    statuses: list[str]  # the status values this register uses


@summary
class LargestChange(Summary):
    label: str
    change: float  # share points, as a fraction


@summary
class DiffSummary(Summary):
    """One query on two releases: what appeared, disappeared and moved most, and on what basis."""

    period: str
    release_a: str
    release_b: str
    rows: int
    appeared: list[str]  # labels only in release B
    disappeared: list[str]  # labels only in release A
    largest_change: LargestChange | None
    basis_a: str
    basis_b: str
    # Share of the period's register TIV by how its years were obtained (exact ... estimated);
    # only where both releases rest on registers.
    allocation_a: dict[str, float] | None = field(default=None, metadata=ABSENT)
    allocation_b: dict[str, float] | None = field(default=None, metadata=ABSENT)
    method_share_of_change: float | None  # how much of the change is method, not revision


@summary
class ReconcileTotals(Summary):
    """Register-derived totals against the publisher's TIV tables, in one direction.

    `reconcile`'s summary is `{direction: ReconcileTotals}` ('import', 'export': a Python keyword
    cannot name a field, and the JSON keeps these keys)."""

    entities: int
    within_rounding: int  # entities whose every year agrees within 0.5 TIV
    register_tiv: float
    table_tiv: float
    difference_share: float | None
