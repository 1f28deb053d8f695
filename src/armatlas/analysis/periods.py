"""Year ranges as SIPRI compares them: 5-year periods such as 2020-24 against 2015-19."""

from __future__ import annotations

import re
from dataclasses import dataclass

from armatlas.errors import InvalidPeriodError

_RANGE = re.compile(r"^\s*(\d{4})\s*(?:[-–—/]|to|\.\.)\s*(\d{2,4})\s*$")
_YEAR = re.compile(r"^\s*(\d{4})\s*$")


@dataclass(frozen=True, order=True)
class Period:
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise InvalidPeriodError(
                f"Period {self.start}-{self.end} ends before it starts", value=f"{self.start}-{self.end}"
            )

    @property
    def years(self) -> range:
        return range(self.start, self.end + 1)

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    @property
    def label(self) -> str:
        return f"{self.start}-{self.end}" if self.start != self.end else str(self.start)

    def shifted(self, years: int) -> Period:
        return Period(self.start + years, self.end + years)

    def previous(self) -> Period:
        """The period of equal length just before (2020-24 -> 2015-19)."""
        return self.shifted(-self.length)

    def __str__(self) -> str:
        return self.label


def parse_period(text: str | Period) -> Period:
    """'2020-2024', '2020-24', '2020–24', '2020 to 2024' or a single year."""
    if isinstance(text, Period):
        return text
    m = _RANGE.match(str(text))
    if m:
        start, end = int(m.group(1)), m.group(2)
        end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if len(end) == 2 and end_year < start:
            end_year += 100
        return Period(start, end_year)
    m = _YEAR.match(str(text))
    if m:
        return Period(int(m.group(1)), int(m.group(1)))
    raise InvalidPeriodError(
        f"Cannot read {text!r} as a period",
        value=text,
        hint="Write it as 2020-2024, 2020-24 or a single year.",
    )


def check_within(period: Period, first: int, last: int, what: str = "the release") -> None:
    """An impossible period is an error, not a silent zero."""
    if period.start < first or period.end > last:
        later = (
            f" SIPRI adds a year each March: years after {last} are not yet published in {what}."
            if period.end > last
            else ""
        )
        raise InvalidPeriodError(
            f"Period {period} is outside the years {what} covers ({first}-{last})",
            value=period.label,
            hint=f"Choose years between {first} and {last}.{later}",
        )


def latest_period(last_year: int, length: int = 5) -> Period:
    """The newest complete period ending in the release's last complete year."""
    return Period(last_year - length + 1, last_year)


def consecutive(last: Period, n: int) -> list[Period]:
    """n consecutive periods of equal length ending with `last`, oldest first."""
    out = [last]
    for _ in range(n - 1):
        out.insert(0, out[0].previous())
    return out


def periods_ending(last: Period, n: int, first_year: int) -> list[Period]:
    """Up to n consecutive periods ending with `last`: the earlier periods a default implies are
    left out where the release starts later (a register of 2014-2023 has no 2009-2013), so
    nobody is refused a period they never asked for; `last` itself is kept, to be checked."""
    return [p for p in consecutive(last, n)[:-1] if p.start >= first_year] + [last]
