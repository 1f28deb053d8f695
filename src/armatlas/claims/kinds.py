"""The kinds of claim the checker reads: one enum, so a misspelt kind is a type error, not a silent miss.

A `StrEnum`, so a kind is its own string in JSON, CSV and comparisons (`kind == "change"`);
`evidence.HANDLERS` and `verdict.JUDGES` map every member to exactly one function
(tests/test_claim_kinds.py holds them to it).
"""

from __future__ import annotations

from enum import StrEnum


class ClaimKind(StrEnum):
    """What a claim states; the value is the name used in dossiers and the API."""

    SUPPLIER_SHARE = "supplier_share"  # partner's share of the subject's imports
    RECIPIENT_SHARE = "recipient_share"  # partner's share of the subject's exports
    GLOBAL_SHARE = "global_share"  # subject's share of world imports or exports
    SHARE_CHANGE = "share_change"  # a share's change between two periods, in points
    CHANGE = "change"  # per-cent change of a country's (or region's) flows between two periods
    WORLD_CHANGE = "world_change"  # the same for world transfers
    RANK = "rank"  # rank among importers/exporters, top-n, or an ordered list
    REGION_RANK = "region_rank"  # rank among the states of a region
    SUPPLIER_COUNT = "supplier_count"  # how many states delivered to the country
    EXPORTS_REACH = "exports_reach"  # how many states received the supplier's arms
    DEPENDENCE = "dependence"  # 'less dependent on imports'
    PARTNERSHIP = "partnership"  # 'a key defence partner'
    ORDER = "order"  # 'X ordered 4 frigates from Y in 2018': a deal in the register
    SECOND_HAND_EXPORTS = "second_hand_exports"  # 'selling off inherited arms'
    MILITARY_BUDGET = "military_budget"  # 'a rising military budget'
    MILEX_LEVEL = "milex_level"  # spending in US$ bn
    MILEX_PER_CAPITA = "milex_per_capita"  # spending per person in US$
    MILEX_BURDEN = "milex_burden"  # spending as a share of GDP
    MILEX_SHARE = "milex_share"  # share of world spending
    MILEX_CHANGE = "milex_change"  # real change in spending
    MILEX_RANK = "milex_rank"  # rank among spenders
    MILEX_OTHER = "milex_other"  # spending as a share of government spending (the annotations' name)
    MILEX_HISTORY = (
        "historical"  # 'the highest ever', 'for the fourth consecutive year', 'first rise since 2014'
    )
    RATIO = "ratio"  # a multiple of another country's spending
    INDUSTRY_SALES = "industry_sales"  # arms sales of SIPRI Top 100 companies (all, a country's), US$ bn
    INDUSTRY_CHANGE = "industry_change"  # their real change on the year before, per cent
    INDUSTRY_SHARE = "industry_share"  # a country's (region's) share of the Top 100's arms sales, per cent
    OUT_OF_SCOPE = "out_of_scope"  # what no data here can check (jobs, money, quality...)


#: Checked against the milex workbook (its own editions), not the transfer registers.
MILEX_KINDS = frozenset(
    {
        ClaimKind.MILEX_LEVEL,
        ClaimKind.MILEX_PER_CAPITA,
        ClaimKind.MILEX_BURDEN,
        ClaimKind.MILEX_SHARE,
        ClaimKind.MILEX_CHANGE,
        ClaimKind.MILEX_RANK,
        ClaimKind.MILEX_OTHER,
        ClaimKind.MILEX_HISTORY,
        ClaimKind.RATIO,
    }
)

#: Checked against the SIPRI Top 100 workbook (analysis.industry_totals), not the transfer registers.
INDUSTRY_KINDS = frozenset({ClaimKind.INDUSTRY_SALES, ClaimKind.INDUSTRY_CHANGE, ClaimKind.INDUSTRY_SHARE})

#: A partner's or the subject's share of a flow, in per cent.
SHARE_KINDS = frozenset({ClaimKind.SUPPLIER_SHARE, ClaimKind.RECIPIENT_SHARE, ClaimKind.GLOBAL_SHARE})


def is_milex(kind: ClaimKind) -> bool:
    """Claims checked against the milex workbook (its own editions), not the transfer registers."""
    return kind in MILEX_KINDS


def own_source(kind: ClaimKind) -> bool:
    """Claims checked against a dataset of their own (milex, Top 100): no transfer release or edition."""
    return kind in MILEX_KINDS or kind in INDUSTRY_KINDS
