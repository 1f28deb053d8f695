"""Numbers and delimiters as spreadsheets in other locales write them, for every CSV source."""

from __future__ import annotations

import re

# Digit groups a spreadsheet writes: '2,875.5' (thousands ','), '1.234,5' / '1 234,5' / "1'234.5".
_GROUPED = re.compile(r"^[+-]?\d{1,3}([,.\s\u00a0\u202f'])\d{3}(?:\1\d{3})*(?:([.,])\d*)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+$")


def locale_number(text: str, decimal_comma: bool) -> str | None:
    """A number as a spreadsheet in some locale wrote it, in plain form; None if it is not one.

    Only called for cells `float()` refuses, so a plain export never reaches it. `decimal_comma`
    (a `;`- or tab-separated file: a European-locale save) decides the ambiguous forms: '2,875'
    is 2.875 there and 2875 in a comma-separated file (where such a cell had to be quoted);
    '2.300' is 2300 there; '17,4' and '2.300' stay refused in a comma-separated file.
    """
    t = text.strip()
    if decimal_comma and _DECIMAL_COMMA.match(t):
        return t.replace(",", ".")
    m = _GROUPED.match(t)
    if m is not None:
        group, point = m.group(1), m.group(2)
        if group == point or (group == "." and point is None and not decimal_comma):
            return None
        body = t.replace(group, "")
        return body.replace(",", ".") if point == "," else body
    return None  # a lone decimal comma in a comma-separated file is a guess: refused


def sniff_delimiter(line: str) -> str:
    """`,` unless the line is plainly split by `;` (European-locale save) or tabs (tab-separated text)."""
    for other in (";", "\t"):
        if line.count(other) >= 5 and line.count(",") < 3:
            return other
    return ","
