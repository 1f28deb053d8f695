"""Method notes and the citation SIPRI's terms ask for, shown on the data page and in reports."""

from __future__ import annotations

CITATION = (
    "SIPRI Arms Transfers Database, Stockholm International Peace Research Institute, "
    "https://www.sipri.org/databases/armstransfers. Figures derived with armatlas; "
    "SIPRI is not responsible for them."
)

METHOD_NOTES = [
    (
        "TIV is not money",
        "SIPRI's trend-indicator value (TIV) measures the volume of military capability transferred, "
        "in millions. It is not a price or a sale value; never compare it with GDP or spending.",
    ),
    (
        "Coverage",
        "Major conventional weapons only. Small arms, ammunition, unguided bombs and rockets are outside the data.",
    ),
    (
        "Periods and shares",
        "Comparisons use 5-year periods (e.g. 2021-2025 against 2016-2020). A share is a country's "
        "period total over the world's period total, the world including non-state and unknown parties; "
        "change is sum(period) / sum(earlier period) - 1.",
    ),
    (
        "Concentration",
        "HHI is the sum of squared supplier shares (x 10,000); effective suppliers is 10,000 / HHI.",
    ),
    (
        "Estimates",
        "Where a register lists delivery years without per-year numbers, deliveries are split across those "
        "years; results say which share of their TIV rests on that estimate.",
    ),
    (
        "Second-hand and licensed",
        "SIPRI values second-hand weapons at 40% of new and refurbished second-hand weapons at 66%; "
        "licensed production is flagged in the register.",
    ),
    (
        "Missing is not zero",
        "A year or period with no identified deliveries is shown as a dash or a gap, never as 0.",
    ),
]
