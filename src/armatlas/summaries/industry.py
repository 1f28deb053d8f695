"""Summary of a country's defence industry (SIPRI Top 100, licensed production, personnel)."""

from __future__ import annotations

from dataclasses import field

from armatlas.results import ABSENT
from armatlas.summaries.base import Summary, summary
from armatlas.summaries.trade import Unavailable


@summary
class IndustryEntity(Summary):
    entity_id: str
    name: str
    iso3: str | None


@summary
class Coverage(Summary):
    """The Top 100 workbook's first and last year."""

    first_year: int
    last_year: int
    release: str


@summary
class IndustryLatest(Summary):
    """The newest year with a Top 100 company of the country."""

    year: int
    n_companies: int
    arms_sales: float | None  # US$ m, current
    share_of_top100: float | None
    best_rank: int | None
    top_company: str | None


@summary
class IndustryTrend(Summary):
    from_year: int
    to_year: int
    change_const: float | None  # constant prices


@summary
class BasisShare(Summary):
    deals: int
    tiv_delivered: float
    share_of_imports: float | None


@summary
class LicensedSummary(Summary):
    """Register deals the country produces under licence or assembles (components apart)."""

    deals: int
    since: int | None
    suppliers: list[str]
    tiv_delivered: float | None
    share_of_imports: float | None
    by_basis: dict[str, BasisShare]  # 'licence', 'local assembly', 'component'
    release: str


@summary
class PersonnelSummary(Summary):
    year: int
    personnel: float | None
    spending_per_soldier: float | None  # US$ per person
    spending_per_soldier_year: int | None


@summary
class IndustrySummary(Summary):
    """Top 100 statement and figures; the fields marked absent exist only for some countries."""

    entity: IndustryEntity | None = field(
        default=None, metadata=ABSENT
    )  # absent inside a profile (the profile names it)
    coverage: Coverage | None = field(default=None, metadata=ABSENT)  # absent without a Top 100 workbook
    has_companies: bool | None  # None: no workbook, or the publisher left the country out
    excluded_years: list[int] | None = field(default=None, metadata=ABSENT)
    latest: IndustryLatest | None = field(default=None, metadata=ABSENT)  # only with companies
    trend: IndustryTrend | None = field(default=None, metadata=ABSENT)
    years_present: int | None = field(default=None, metadata=ABSENT)
    statement: str
    licensed: LicensedSummary | Unavailable
    personnel: PersonnelSummary | Unavailable
    uncheckable: list[str]  # what no public dataset here can check
