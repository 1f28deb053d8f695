"""Terminal number formats: one per kind of figure, the same in every command.

Results carry fractions (0.469) and raw floats; people read "46.9%", "+46.9%", "2,432". Every
percentage has one decimal everywhere (profile, spending, trends, ...), so the same figure never
reads two ways. Nothing here computes a figure; it only writes one down.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

DASH = "–"


def _missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def pct(v: Any, sign: bool = False) -> str:
    """A fraction as a percentage with one decimal; '<0.1%' for a positive sliver."""
    if _missing(v):
        return DASH
    if 0 < abs(v) < 0.0005:
        return ("+" if sign and v > 0 else "-" if v < 0 else "") + "<0.1%"
    return f"{100 * v:{'+' if sign else ''},.1f}%"


def change(v: Any) -> str:
    """A relative change (fraction) with its sign: '+46.9%'."""
    return pct(v, sign=True)


def points(v: Any) -> str:
    """A difference between two shares (fractions) in percentage points."""
    return DASH if _missing(v) else f"{100 * v:+.1f} pp"


def tiv(v: Any) -> str:
    """TIV millions: whole millions from 100 up, one decimal below (a unit's TIV can be 2.5)."""
    if _missing(v):
        return DASH
    if abs(v) >= 100:
        return f"{v:,.0f}"
    s = f"{v:.1f}"
    return s[:-2] if s.endswith(".0") else s


def number(v: Any, digits: int = 0) -> str:
    """A plain quantity with thousands separators, never in e-notation."""
    if _missing(v):
        return DASH
    if isinstance(v, bool):
        return yes_no(v)
    return f"{v:,.{digits}f}"


def decimal(v: Any) -> str:
    """A small ratio (effective suppliers, military-to-health spending): one decimal."""
    return number(v, 1)


def index3(v: Any) -> str:
    """A centrality between 0 and 1."""
    return number(v, 3)


def integer(v: Any) -> str:
    return number(v, 0)


def year(v: Any) -> str:
    """Years and ranks stay bare: 2024, not 2,024."""
    return DASH if _missing(v) else str(int(v))


def yes_no(v: Any) -> str:
    return DASH if v is None else "yes" if v else "no"


def flag(v: Any) -> str:
    """A flag that matters only when set: 'yes' or blank."""
    return "yes" if v else ""


def when(v: Any) -> str:
    """A timestamp as its date: the day is what a release is known by."""
    if _missing(v):
        return DASH
    if isinstance(v, (datetime, date)):
        return v.date().isoformat() if isinstance(v, datetime) else v.isoformat()
    return str(v)[:10]


def text(v: Any) -> str:
    if _missing(v):
        return DASH
    if isinstance(v, (list, tuple)):
        return ", ".join(text(x) for x in v)
    return str(v)


def words(v: Any) -> str:
    """Machine labels ('web_register', 'Second hand') read as words."""
    return text(v).replace("_", " ") if not _missing(v) else DASH


def partner_shares(v: Any) -> str:
    """Main partners as 'Saudi Arabia 11.6%, Ukraine 9.8%'."""
    if _missing(v) or not v:
        return DASH
    return ", ".join(f"{p.get('partner') or p.get('name')} {pct(p.get('share'))}" for p in v)


def auto(v: Any) -> str:
    """For a column no view describes: a readable guess by type, never 1e+03 or nan."""
    if _missing(v):
        return DASH
    if isinstance(v, bool):
        return yes_no(v)
    if isinstance(v, int):
        return f"{v:,}" if abs(v) >= 10_000 else str(v)
    if isinstance(v, float):
        return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}".rstrip("0").rstrip(".")
    if isinstance(v, (datetime, date)):
        return when(v)
    return text(v)


Formatter = Callable[[Any], str]
NUMERIC: set[Formatter] = {pct, change, points, tiv, number, decimal, index3, integer, year, auto}
