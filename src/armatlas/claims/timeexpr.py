"""Time expressions: year ranges, comparisons and relative periods resolved against the date."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from armatlas.analysis.periods import Period, parse_period
from armatlas.errors import InvalidPeriodError

WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
}

_RANGE = re.compile(
    r"\b(?:(from|between|since)\s+)?((?:19|20)\d{2})\s*(?:-|–|—|to|until|and)\s*['’]?((?:19|20)?\d{2})\b"
    r"(?!\s*(?:%|per\s*cent|percent))"  # "from 2017 and 21% lower than in 2009": a figure, not '2017-21'
)
_RELATIVE = re.compile(
    r"\b(?:the|over the|in the|during the)?\s*(?:past|last|previous)\s+(\w+)\s+(years|decades)\b",
    re.IGNORECASE,
)
_FUTURE = re.compile(
    r"\b(?:in the (?:near|coming|foreseeable) future|by the end of (?:the|this) year|"
    r"in the coming years|will\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PeriodMention:
    """A period named in a sentence; `kind` is range, relative or since (a reference point)."""

    period: Period
    start: int
    end: int
    text: str
    kind: str


def find_periods(text: str, published_year: int | None) -> list[PeriodMention]:
    """Ranges ('2014-2018', '2014–18', "2013-'17", '1990 to 2012') and relative spans ('the past five years')."""
    out: list[PeriodMention] = []
    for m in _RANGE.finditer(text):
        lead = (m.group(1) or "").lower()
        a, b = m.group(2), m.group(3)
        a_only = None
        # "between 2013-17 and 2018-22": the "and" joins two ranges, not one span 2017-2018.
        if lead == "between" and len(b) == 2 and text[m.end() : m.end() + 1] in "-–":
            a_only = re.match(r"((?:19|20)\d{2})\s*[-–—]\s*['’]?(\d{2,4})", text[m.start(2) :])
            if a_only:
                b = a_only.group(2)
        try:
            p = parse_period(f"{a}-{b}")
        except InvalidPeriodError:
            continue
        if p.length > 60:
            continue
        start = m.start(2) if lead == "between" else m.start()
        end = m.start(2) + len(a_only.group(0)) if a_only is not None else m.end()
        out.append(PeriodMention(p, start, end, text[start:end], "since" if lead == "since" else "range"))
    # Second half of "between A and B": B is itself a range that _RANGE may have swallowed.
    for m in re.finditer(r"\band\s+((?:19|20)\d{2}\s*[-–—]\s*['’]?\d{2,4})\b", text):
        p = parse_period(re.sub("['’]", "", m.group(1)))
        if not any(pm.start <= m.start(1) < pm.end for pm in out):
            out.append(PeriodMention(p, m.start(1), m.end(), m.group(1), "range"))
    if published_year:
        for m in _RELATIVE.finditer(text):
            n = WORD_NUMBERS.get(m.group(1).lower()) or (int(m.group(1)) if m.group(1).isdigit() else None)
            if not n:
                continue
            years = n * (10 if m.group(2).lower().startswith("decade") else 1)
            # "The past three years" in an article of 2025 are 2022-2024: complete years only.
            out.append(
                PeriodMention(
                    Period(published_year - years, published_year - 1),
                    m.start(),
                    m.end(),
                    m.group(0).strip(),
                    "relative",
                )
            )
    return sorted(_dedupe(out), key=lambda pm: pm.start)


def _dedupe(pms: list[PeriodMention]) -> list[PeriodMention]:
    out: list[PeriodMention] = []
    for pm in sorted(pms, key=lambda p: (p.start, -(p.end - p.start))):
        if any(o.start <= pm.start < o.end for o in out):
            continue
        out.append(pm)
    return out


def is_future(text: str) -> bool:
    """Predictions and targets ('in the near future', 'will') are not data claims."""
    return bool(_FUTURE.search(text))


def article_period(
    all_mentions: list[PeriodMention], published_year: int | None
) -> tuple[Period | None, str]:
    """The period an article is about: the range named most often (latest on ties), else the
    five complete years before publication (SIPRI's usual comparison), else none."""
    # Only recent multi-year ranges set the article's period: "from 1990 to 2012" in a 2025
    # article is about history, not about the article's present.
    counts = Counter(
        pm.period
        for pm in all_mentions
        if pm.kind == "range"
        and pm.period.length >= 3
        and (published_year is None or published_year - pm.period.end <= 6)
    )
    if counts:
        # The newest period named is the article's subject; older ones are its comparisons.
        best = max(counts.items(), key=lambda kv: (kv[0].end, kv[1]))[0]
        return best, f"the newest period the article names ({best.label})"
    if published_year:
        p = Period(published_year - 5, published_year - 1)
        return p, f"the five complete years before publication ({p.label})"
    return None, "the article has no period and no publication date"
