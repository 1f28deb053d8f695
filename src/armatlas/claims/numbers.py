"""Numbers in claims: percentages (figures, number words, fractions), factors, money, ordinals, counts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from armatlas.claims.timeexpr import WORD_NUMBERS

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "top": 1,
    "main": 1,
    "leading": 1,
    "biggest": 1,
    "largest": 1,
}

_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_WORDNUM = (
    rf"(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_UNITS)}))?|{'|'.join(_TEENS)}|{'|'.join(_UNITS)}"
    r"|a hundred|one hundred"
)
_PERCENT = re.compile(
    rf"(?i)\b(\d+(?:\.\d+)?|{_WORDNUM})\s*(?:%|per\s?cent\b|percent\b|percentage[- ]points?\b)"
)  # "up 0.9 percentage points": a change of a share, in points
# Fractions written as words: shares ("a third of ...") read as per cent.
FRACTIONS = {
    "half": 50.0,
    "a half": 50.0,
    "one half": 50.0,
    "a third": 100 / 3,
    "one third": 100 / 3,
    "one-third": 100 / 3,
    "two-thirds": 200 / 3,
    "two thirds": 200 / 3,
    "a quarter": 25.0,
    "one quarter": 25.0,
    "three-quarters": 75.0,
    "three quarters": 75.0,
    "a fifth": 20.0,
    "one fifth": 20.0,
    "one-fifth": 20.0,
    "a tenth": 10.0,
}
_FRACTION = re.compile(
    r"(?i)\b("
    + "|".join(sorted((re.escape(k) for k in FRACTIONS), key=len, reverse=True))
    + r")\b(?= of\b| to\b)"
    # "rose by a quarter", "jumped by nearly a quarter": a change by a fraction (a fraction's first word
    # looked for first, so the words behind are only tried there)
    + r"|(?=(?:a |one|two|three))(?:"
    + "|".join(
        f"(?<=by {h})"
        for h in ("", "nearly ", "almost ", "about ", "roughly ", "some ", "over ", "more than ")
    )
    + r")\b("
    + "|".join(sorted((re.escape(k) for k in FRACTIONS if not k.endswith("half")), key=len, reverse=True))
    + r")\b(?! of\b)"
)
# Multiplicative changes, as a per-cent change: doubled = +100, halved = -50, tenfold = +900.
# "increased nearly 100 times": the verb and any hedge stay outside the figure (the hedge sets the relation)
_GREW_BY = (
    "(?:"
    + "|".join(
        f"(?<={verb} {hedge})"
        for verb in ("increased", "grew", "rose", "jumped", "surged", "multiplied")
        for hedge in ("", "nearly ", "almost ", "about ", "some ", "more than ", "over ", "by ")
    )
    + ")"
)
_FACTOR = re.compile(
    r"(?i)\b(doubled|doubling|double|tripled|tripling|trebled|trebling|triple|quadrupled|quadrupling|halved|"
    r"halving|(\d+(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten)[- ]?fold|"
    # "imports increased nearly 100 times as compared to 2015-19": a factor of growth, not a ratio of levels
    # (the lookahead first, so the verbs behind are only tried before a "N times")
    + r"(?=(?:\d+(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten) times\b)"
    + _GREW_BY
    + r"(\d+(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten) times(?= (?:as compared|compared|over|from|since|between)\b|[,.]))\b"
)
_FACTOR_WORDS = {
    "doubled": 100.0,
    "doubling": 100.0,
    "double": 100.0,
    "tripled": 200.0,
    "tripling": 200.0,
    "trebling": 200.0,
    "quadrupling": 300.0,
    "trebled": 200.0,
    "triple": 200.0,
    "quadrupled": 300.0,
    "halved": -50.0,
    "halving": -50.0,
}
# Multiples that compare two levels ("nine times higher than Pakistan's"): the ratio itself.
_MULTIPLE = re.compile(
    r"(?i)\b(\d+(?:\.\d+)?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)"
    r" times\b(?= (?:higher|more|larger|greater|bigger|as (?:much|high|large|big)|that of|those of)\b)"
)
_MONEY = re.compile(
    r"(?i)(?:US)?\$\s?\d[\d,]*(?:\.\d+)?\s*(?:trillion|billion|million|tn|bn|b|m)?\b|"
    r"\b(?:billions|millions) of (?:US )?dollars\b|\b\d[\d,.]*\s*(?:billion|million)\s+(?:US )?dollars\b"
)
# A figure in billions with no currency sign, read as money only next to a US$ figure of the same sentence
_SAME_CURRENCY = re.compile(
    r"(?i)(?<![\d.,$€£₹])(?<![$€£₹] )\b(\d[\d,]*(?:\.\d+)?)\s?(?:trillion|billion|bn)\b(?!\s+(?:euros?|pounds|rupees|yuan|roubles|rubles))"
)
_ORDINAL = re.compile(
    r"(?i)\b(\d+)(?:st|nd|rd|th)\b|\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b"
)
_BARE = re.compile(r"(?<![\d.,$])\b(\d+(?:\.\d+)?)\b(?![\d%]|\s*(?:per\s?cent|percent))")


@dataclass(frozen=True)
class NumberMention:
    """A number as written: `kind` is percent, money, ordinal or count; `value` as a number."""

    value: float
    kind: str
    start: int
    end: int
    text: str

    @property
    def approximate(self) -> bool:
        """Fractions and factors in words ('a fifth', 'doubled') are rounder than figures."""
        t = self.text.lower()
        return self.kind in ("factor", "multiple") or any(t.startswith(f) for f in FRACTIONS)


def word_number(text: str) -> float | None:
    """'twenty-seven' -> 27, 'seven' -> 7, '27' -> 27; None when it is no number."""
    t = text.lower().strip().replace("-", " ")
    if t in ("a hundred", "one hundred"):
        return 100.0
    parts = t.split()
    if len(parts) == 2 and parts[0] in _TENS and parts[1] in _UNITS:
        return float(_TENS[parts[0]] + _UNITS[parts[1]])
    for table in (_TENS, _TEENS, _UNITS, WORD_NUMBERS):
        if t in table:
            return float(table[t])
    try:
        return float(t)
    except ValueError:
        return None


def _num(text: str) -> float:
    v = word_number(text)
    return v if v is not None else float("nan")


def _factor(m: re.Match[str]) -> float:
    word = m.group(1).lower()
    if word in _FACTOR_WORDS:
        return _FACTOR_WORDS[word]
    n = word_number(m.group(2) or m.group(3)) or 1.0
    return (n - 1) * 100.0


def find_numbers(text: str, taken: list[tuple[int, int]] | None = None) -> list[NumberMention]:
    """Every number outside the spans already taken (periods): money first, then percents."""
    used = list(taken or [])
    out: list[NumberMention] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in used)

    for kind, rx in (
        ("money", _MONEY),
        ("percent", _PERCENT),
        ("fraction", _FRACTION),
        ("factor", _FACTOR),
        ("multiple", _MULTIPLE),
        ("ordinal", _ORDINAL),
        ("count", _BARE),
    ):
        for m in rx.finditer(text):
            if not free(m.start(), m.end()):
                continue
            if kind == "money":
                digits = re.search(r"\d[\d,]*(?:\.\d+)?", m.group(0))
                value = float(digits.group(0).replace(",", "")) if digits else float("nan")
            elif kind == "ordinal":
                value = float(m.group(1)) if m.group(1) else float(ORDINALS[m.group(2).lower()])
            elif kind == "fraction":
                value = FRACTIONS[(m.group(1) or m.group(2)).lower()]
            elif kind == "factor":
                value = _factor(m)
            elif kind == "multiple":
                value = _num(m.group(1))
            elif kind == "count":
                value = float(m.group(1))
                if 1900 <= value <= 2100 and "." not in m.group(1):
                    continue  # a year outside a range ("by the end of 2022") is not a count
            else:
                value = _num(m.group(1))
            out.append(
                NumberMention(
                    value, "percent" if kind == "fraction" else kind, m.start(), m.end(), m.group(0)
                )
            )
            used.append((m.start(), m.end()))
        if kind == "money" and any(n.kind == "money" and "$" in n.text for n in out):
            # "spent $61.9Billion in 2019 compared to 67.6Billion in 2018": the same currency, written once
            for m in _SAME_CURRENCY.finditer(text):
                if free(m.start(), m.end()):
                    value = float(m.group(1).replace(",", ""))
                    out.append(NumberMention(value, "money", m.start(), m.end(), m.group(0)))
                    used.append((m.start(), m.end()))
    return sorted(out, key=lambda n: n.start)
