"""SIPRI's bracket notation for uncertain values in the text registers.

SIPRI's trade registers (the old site's outputs, the Yearbook registers and re-typed copies of
them) write an uncertain year of order, number or year of delivery in brackets: `(2010)`,
`(6)`, `2011; (2012)` ("figures are in brackets if the accuracy of the data is uncertain. This
does not imply that there is any uncertainty over whether the deal exists, or whether
deliveries have taken place"). The web export moved the same flag into its unnamed `?`
columns. A bracketed cell is read as its value with the estimate flag set, the same flags
the other layouts set (`order_year_est`, `n_ordered_est`, `n_delivered_est`,
`delivery_years_est`, and `year_est` of each bracketed delivery year). A bracketed range,
`(2009-2011)`, flags each of its years.

Only a cell whose whole content is one bracketed number (or a delivery-year list whose items
are bracketed numbers) is read so; anything else is left as written, so its parse error still
names the cell as the file has it.
"""

from __future__ import annotations

import re

from armatlas.sources.sipri_transfers.cells import year_span

_ONE = re.compile(r"^\s*\(\s*(\d+)\s*\)\s*$")
_BRACKETED = re.compile(r"\(\s*([^()]*?)\s*\)")


def _years(item: str) -> list[int] | None:
    """One item of a delivery-year list: a year or a range ('2009-2011'); None otherwise."""
    item = item.strip()
    return [int(item)] if item.isdigit() else year_span(item)


def bracketed(text: str) -> tuple[str, bool]:
    """'(2010)' -> ('2010', True); any other cell -> (cell, False)."""
    if "(" not in text:
        return text, False
    m = _ONE.match(text)
    return (m.group(1), True) if m else (text, False)


def bracketed_years(text: str) -> tuple[str, frozenset[int] | None]:
    """'2011; (2012)' or '(2011; 2012)' -> ('2011; 2012', years in brackets); None when no
    year is bracketed (the cell is returned as written)."""
    if "(" not in text:
        return text, None
    rest = _BRACKETED.sub("", text)
    if "(" in rest or ")" in rest:
        return text, None  # unbalanced or nested brackets: not the notation
    uncertain: set[int] = set()
    for group in _BRACKETED.findall(text):
        spans = [_years(p) for p in re.split(r"[;,]", group) if p.strip()]
        if not spans or any(s is None for s in spans):
            return text, None
        uncertain.update(y for s in spans if s for y in s)
    plain = text.replace("(", " ").replace(")", " ")
    items = [p.strip() for p in re.split(r"[;,]", plain) if p.strip()]
    if not items or any(_years(p) is None for p in items):
        return text, None
    return "; ".join(items), frozenset(uncertain)
