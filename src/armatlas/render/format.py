"""Jinja filters: how figures are written on pages and in reports (TIV never with a currency sign)."""

from __future__ import annotations

from typing import Any

DASH = "–"


def tiv(value: Any) -> str:
    """TIV millions with thousands separators; a missing value is a dash, never 0."""
    if value is None:
        return DASH
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.1f}"


def pct(value: Any, digits: int = 1) -> str:
    return DASH if value is None else f"{value * 100:.{digits}f}%"


def change(value: Any) -> str:
    """Relative change written as +12% / −40%."""
    if value is None:
        return DASH
    text = f"{value * 100:+,.0f}%"
    return text.replace("-", "−")


def number(value: Any, digits: int = 0) -> str:
    return DASH if value is None else f"{value:,.{digits}f}"


FILTERS = {"tiv": tiv, "pct": pct, "change": change, "number": number}
