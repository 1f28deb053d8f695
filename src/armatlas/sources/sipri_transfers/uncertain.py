"""SIPRI's bracket notation for uncertain values in the text registers.

SIPRI's trade registers (the old site's outputs, the Yearbook registers and re-typed copies of
them) write an uncertain year of order, number or year of delivery in brackets: `(2010)`,
`(6)`, `2011; (2012)` ("figures are in brackets if the accuracy of the data is uncertain. This
does not imply that there is any uncertainty over whether the deal exists, or whether
deliveries have taken place"). The web export moved the same flag into its unnamed `?`
columns. A bracketed cell is read as its value with the estimate flag set, the same flags
the other layouts set (`order_year_est`, `n_ordered_est`, `n_delivered_est`,
`delivery_years_est`, and `year_est` of each bracketed delivery year).

Only a cell whose whole content is one bracketed number (or a delivery-year list whose items
are bracketed numbers) is read so; anything else is left as written, so its parse error still
names the cell as the file has it.
"""

from __future__ import annotations

import re

_ONE = re.compile(r"^\s*\(\s*(\d+)\s*\)\s*$")
_ITEM = re.compile(r"^\s*\(?\s*\d+\s*\)?\s*$")
_BRACKETED = re.compile(r"\(\s*([^()]*?)\s*\)")


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
        parts = [p for p in re.split(r"[;,]", group) if p.strip()]
        if not parts or not all(p.strip().isdigit() for p in parts):
            return text, None
        uncertain.update(int(p) for p in parts)
    plain = text.replace("(", " ").replace(")", " ")
    items = [p.strip() for p in re.split(r"[;,]", plain) if p.strip()]
    if not items or not all(_ITEM.match(p) for p in items):
        return text, None
    return "; ".join(items), frozenset(uncertain)
