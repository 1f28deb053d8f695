"""Typed reading of single cells, with errors that say where."""

from __future__ import annotations

import math
import re

from armatlas.errors import ParseError
from armatlas.sources._numbers import locale_number

INT_LIMIT = 2**31 - 1  # the store's INTEGER columns
FLOAT_LIMIT = 1e12  # TIV in millions: far above any real figure, far below overflow
# SIPRI's registers write an unknown year or number as '. .' ("If a piece of information is
# unknown the symbol '. .' is used"): the same as the web export's empty cell. Only for whole
# numbers: an empty TIV of delivered weapons means "no deliveries", not "unknown".
UNKNOWN = re.compile(r"^\.\s?\.$")


# SIPRI's older registers (the old site's outputs, the Yearbook registers) write consecutive
# delivery years as a range: '2009-2011', or '1997-98' with the century of the first year.
_SPAN = re.compile(r"^(\d{4})\s*[-\u2013]\s*(\d{2}|\d{4})$")


def year_span(text: str) -> list[int] | None:
    """The years of a range cell ('2009-2011', '1997-98'); None if the text is not one (or runs
    backwards, or over more than a century: then the cell is reported as it is)."""
    m = _SPAN.match(text.strip())
    if m is None:
        return None
    first, last = int(m.group(1)), m.group(2)
    end = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
    if not first < end <= first + 100:
        return None
    return list(range(first, end + 1))


class CellReader:
    """Parse cells of one file; every error names file, line, column and value.

    Numbers a spreadsheet re-save wrote in its locale (thousands separators, decimal commas)
    are read as the number they show (`locale_number`), never dropped or misread.
    """

    def __init__(self, file: str, delimiter: str = ",") -> None:
        self.file = file
        self.decimal_comma = delimiter != ","

    def int_or_none(self, text: str, line: int, column: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        try:
            value = int(text)
        except ValueError:
            if UNKNOWN.match(text):
                return None
            plain = locale_number(text, self.decimal_comma)
            if plain is not None and plain.lstrip("+-").isdigit():
                return self.int_or_none(plain, line, column)
            raise ParseError(
                "Expected a whole number",
                file=self.file,
                line=line,
                column=column,
                value=text,
                hint="Check that the file is an unmodified SIPRI export.",
            ) from None
        if not -INT_LIMIT <= value <= INT_LIMIT:
            raise ParseError(
                "Number out of range",
                file=self.file,
                line=line,
                column=column,
                value=text,
                hint=f"Counts and years above {INT_LIMIT:,} are not plausible.",
            )
        return value

    def float_or_none(self, text: str, line: int, column: str) -> float | None:
        text = text.strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            plain = locale_number(text, self.decimal_comma)
            if plain is not None:
                return self.float_or_none(plain, line, column)
            raise ParseError(
                "Expected a number",
                file=self.file,
                line=line,
                column=column,
                value=text,
                hint="Check that the file is an unmodified SIPRI export.",
            ) from None
        if not math.isfinite(value) or abs(value) > FLOAT_LIMIT:
            raise ParseError(
                "Not a finite, plausible number",
                file=self.file,
                line=line,
                column=column,
                value=text,
                hint="nan, inf and overflowing values are not TIV figures.",
            )
        return value

    def year_list(self, text: str, line: int, column: str) -> list[int]:
        """'2018; 2019' -> [2018, 2019]; a range as older registers write it, '2018-2020' or
        '2018-20', is each of its years."""
        years = []
        for part in text.replace(",", ";").split(";"):
            part = part.strip()
            if part:
                span = year_span(part)
                if span is not None:
                    years.extend(span)
                    continue
                y = self.int_or_none(part, line, column)
                if y is not None:
                    years.append(y)
        return years

    def yes_no(self, text: str, line: int, column: str) -> bool:
        t = text.strip().lower()
        if t in ("yes", "y", "true"):
            return True
        if t in ("no", "n", "false", ""):
            return False
        raise ParseError("Expected Yes or No", file=self.file, line=line, column=column, value=text)

    def flag(self, text: str, line: int, column: str) -> bool:
        """The unnamed columns hold '?' (uncertain) or nothing."""
        t = text.strip()
        if t == "?":
            return True
        if t == "":
            return False
        raise ParseError(
            "Expected '?' or an empty uncertainty flag",
            file=self.file,
            line=line,
            column=column,
            value=text,
        )
