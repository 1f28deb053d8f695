"""What the country page and the country report both gather beside the profile (via Atlas only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # render sits below Atlas's callers but is also used by claims, which Atlas loads
    from armatlas.atlas import Atlas
    from armatlas.results import CompositeResult
    from armatlas.summaries import NetworkSummary, ProfileSummary


def top_partners(a: Atlas, prof: CompositeResult[ProfileSummary], release: str | None) -> NetworkSummary:
    """The network summary (top partners) of the profile's own country, period and release."""
    return a.network(
        focus=prof.summary.entity.entity_id, period=prof.params["period"], release=release
    ).summary


def import_flows(
    a: Atlas, prof: CompositeResult[ProfileSummary], release: str | None
) -> list[dict[str, Any]]:
    """The country's import totals, world share, rank and change for each period of the profile;
    none on a register of selected countries, which has no world total (its finding is left out)."""
    from armatlas.errors import ScopedReleaseError

    try:
        result = a.flows(
            [prof.summary.entity.entity_id],
            direction="import",
            periods=prof.summary.periods,
            release=release,
        )
    except ScopedReleaseError:
        return []
    # What the totals rest on travels with them: a finding from the publisher's TIV tables
    # says so beside the profile's figures, which are summed from the register's deals.
    return [{**row, "basis": result.provenance.basis} for row in result.rows]
