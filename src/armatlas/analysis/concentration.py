"""Concentration measures over shares: Herfindahl-Hirschman index and its reciprocal."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise


def hhi(shares: Iterable[float]) -> float:
    """HHI on the 0-10,000 scale from fractional shares (1.0 = one supplier = 10,000)."""
    return sum((100.0 * s) ** 2 for s in shares)


def effective_number(h: float) -> float | None:
    """The number of equal-sized suppliers that would give the same HHI."""
    return 10_000.0 / h if h > 0 else None


def top_share(shares: Iterable[float], k: int) -> float:
    return sum(sorted(shares, reverse=True)[:k])


def direction_of(values: list[float | None], tolerance: float) -> str:
    """'falling', 'rising', 'flat' or 'mixed' across consecutive periods (oldest first)."""
    vals = [v for v in values if v is not None]
    if len(vals) < 2:
        return "insufficient data"
    steps = [b - a for a, b in pairwise(vals)]
    if all(abs(s) <= tolerance for s in steps) or abs(vals[-1] - vals[0]) <= tolerance:
        return "flat"
    if vals[-1] < vals[0] and all(s <= tolerance for s in steps):
        return "falling"
    if vals[-1] > vals[0] and all(s >= -tolerance for s in steps):
        return "rising"
    return "falling overall" if vals[-1] < vals[0] else "rising overall"
