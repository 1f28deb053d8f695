"""What the country page and the country report both gather beside the profile (via Atlas only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # render sits below Atlas's callers but is also used by claims, which Atlas loads
    from armatlas.atlas import Atlas


def top_partners(a: Atlas, prof: Any, release: str | None) -> dict[str, Any]:
    """The network summary (top partners) of the profile's own country, period and release."""
    return a.network(focus=prof.summary["entity"]["entity_id"], period=prof.params["period"],
                     release=release).summary
