"""Column-oriented containers for parsed register rows, faithful to the source."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from armatlas.sources.sipri_transfers.text import Preamble

# Licensed production in comments: "produced under licence in India", "Possibly assembled/produced
# under licence", "licence-produced". The backend layout has an explicit `Local production` flag.
LICENCE_RE = re.compile(r"under licen[cs]e|licen[cs]e[- ]produced|licen[cs]ed production", re.I)

DEAL_COLUMNS: tuple[str, ...] = (
    "line",
    "sipri_id",
    "recipient_name",
    "supplier_name",
    "designation",
    "description",
    "publisher_category",
    "order_year",
    "order_year_est",
    "n_ordered",
    "n_ordered_est",
    "n_delivered",
    "n_delivered_est",
    "delivery_years",
    "delivery_years_est",
    "status",
    "second_hand",
    "comments",
    "licensed",
    "licence_source",
    "tiv_unit",
    "tiv_unit_new",
    "tiv_order",
    "tiv_delivered",
    "tiv_delivered_below_half",
    "rejoined",
)
DELIVERY_COLUMNS: tuple[str, ...] = (
    "deal_index",
    "year",
    "units",
    "tiv",
    "year_est",
    "units_est",
    "allocation",
)


@dataclass
class ParsedRegister:
    """A register file as read: one entry per deal, plus per-year deliveries."""

    layout: str
    file: str
    preamble: Preamble
    offset: int = 0  # position in the file of the first deal (chunked reading)
    deals: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in DEAL_COLUMNS})
    deliveries: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in DELIVERY_COLUMNS})
    # Records that could not be read: (line, column, value, message, cells); kept out of the
    # deals and reported as findings by the ingest.
    rejects: list[tuple[int, str | None, Any, str, list[str]]] = field(default_factory=list)

    @property
    def n_deals(self) -> int:
        return len(self.deals["line"])

    def add_deal(self, **values: Any) -> int:
        for col in DEAL_COLUMNS:
            self.deals[col].append(values.get(col))
        return self.n_deals - 1

    def add_delivery(self, **values: Any) -> None:
        for col in DELIVERY_COLUMNS:
            self.deliveries[col].append(values.get(col))


def is_licensed_comment(comments: str | None) -> bool:
    return bool(comments and LICENCE_RE.search(comments))


def is_second_hand(status: str | None) -> bool:
    # "Second hand" and "Second hand but modernized" (valued at 40% and 66% of new).
    return bool(status and status.lower().startswith("second hand"))
