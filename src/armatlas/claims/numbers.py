"""Numbers in claims: percentages, money, ordinals and bare counts, with their spans."""

from __future__ import annotations

import re
from dataclasses import dataclass

from armatlas.claims.timeexpr import WORD_NUMBERS

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "top": 1, "main": 1, "leading": 1, "biggest": 1,
            "largest": 1}

_WORDNUM = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
_PERCENT = re.compile(rf"(?i)\b(\d+(?:\.\d+)?|{_WORDNUM})\s*(?:%|per\s?cent\b|percent\b)")
_MONEY = re.compile(r"(?i)(?:US)?\$\s?\d[\d,]*(?:\.\d+)?\s*(?:billion|million|bn|b|m)?\b|"
                    r"\b(?:billions|millions) of (?:US )?dollars\b|\b\d[\d,.]*\s*(?:billion|million)\s+(?:US )?dollars\b")
_ORDINAL = re.compile(r"(?i)\b(\d+)(?:st|nd|rd|th)\b|\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b")
_BARE = re.compile(r"(?<![\d.,$])\b(\d+(?:\.\d+)?)\b(?![\d%]|\s*(?:per\s?cent|percent))")


@dataclass(frozen=True)
class NumberMention:
    """A number as written: `kind` is percent, money, ordinal or count; `value` as a number."""

    value: float
    kind: str
    start: int
    end: int
    text: str


def _num(text: str) -> float:
    t = text.lower()
    return float(WORD_NUMBERS[t]) if t in WORD_NUMBERS else float(text)


def find_numbers(text: str, taken: list[tuple[int, int]] | None = None) -> list[NumberMention]:
    """Every number outside the spans already taken (periods): money first, then percents."""
    used = list(taken or [])
    out: list[NumberMention] = []

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in used)

    for kind, rx in (("money", _MONEY), ("percent", _PERCENT), ("ordinal", _ORDINAL), ("count", _BARE)):
        for m in rx.finditer(text):
            if not free(m.start(), m.end()):
                continue
            if kind == "money":
                digits = re.search(r"\d[\d,]*(?:\.\d+)?", m.group(0))
                value = float(digits.group(0).replace(",", "")) if digits else float("nan")
            elif kind == "ordinal":
                value = float(m.group(1)) if m.group(1) else float(ORDINALS[m.group(2).lower()])
            elif kind == "count":
                value = float(m.group(1))
                if 1900 <= value <= 2100 and "." not in m.group(1):
                    continue  # a year outside a range ("by the end of 2022") is not a count
            else:
                value = _num(m.group(1))
            out.append(NumberMention(value, kind, m.start(), m.end(), m.group(0)))
            used.append((m.start(), m.end()))
    return sorted(out, key=lambda n: n.start)
