"""Summary of military spending (SIPRI milex; money, unlike TIV)."""

from __future__ import annotations

from armatlas.summaries.base import Summary, summary


@summary
class SpendingSummary(Summary):
    """One country's spending in one year: level, burden, world ranks and series breaks."""

    entity_id: str
    name: str
    year: int
    constant_usd: float | None  # US$ m at base_year prices
    current_usd: float | None
    share_gdp: float | None  # fraction
    per_capita: float | None
    share_govt: float | None  # fraction
    status: str | None  # reported / estimate / uncertain / missing / did_not_exist
    flags: str | None
    base_year: int | None
    world_rank_constant_usd: int | None
    world_rank_current_usd: int | None
    world_rank_share_gdp: int | None
    world_rank_per_capita: int | None
    world_rank_share_govt: int | None
    countries_ranked: int
    breaks: list[tuple[int, str]]  # (year, what breaks the series there)
