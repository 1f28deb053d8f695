"""Regional military spending comes from SIPRI's own regions and regional totals in the milex
workbook (read here from the file with openpyxl, cell by cell), not from sums over the
arms-transfer regions of the entity register."""

from __future__ import annotations

from functools import cache

import pytest

from armatlas.claims import check_article, parse_article
from tests.conftest import DATA

WORKBOOK = next((DATA / "sipri_milex").glob("*.xlsx"), None) if DATA.is_dir() else None


@cache
def _regional_totals() -> dict[str, dict[str, float]]:
    """'Regional totals' sheet: region -> {column header as text: US$ bn}."""
    import openpyxl

    wb = openpyxl.load_workbook(WORKBOOK, read_only=True, data_only=True)
    rows = list(wb["Regional totals"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "Region")
    names = [str(int(h)) if isinstance(h, float) else str(h) for h in rows[head]]
    return {
        r[0]: {n: v for n, v in zip(names, r, strict=False) if isinstance(v, (int, float))}
        for r in rows[head + 1 :]
        if r[0]
    }


@cache
def _members(region: str) -> set[str]:
    """Country names under a region or subregion header of the 'Current US$' sheet."""
    import openpyxl

    wb = openpyxl.load_workbook(WORKBOOK, read_only=True, data_only=True)
    out: set[str] = set()
    top = {"Africa", "Americas", "Asia & Oceania", "Europe", "Middle East"}
    inside = False
    for r in wb["Current US$"].iter_rows(values_only=True):
        if not r or not r[0] or r[0] == "Country":
            continue
        if all(v in (None, "") for v in r[1:]):  # a header row
            inside = r[0] == region or (inside and r[0] not in top and region in top)
            continue
        if inside:
            out.add(r[0])
    return out


def _check(con, text: str):
    return {c["text"]: c for c in check_article(con, parse_article(text)).to_dict()["claims"]}


@pytest.mark.data
def test_middle_east_2024_level_is_sipris_published_total(con) -> None:
    # SIPRI, April 2025: "Military expenditure in the Middle East ... $243 billion in 2024"
    published = _regional_totals()["Middle East"]["2024 (current prices)"]
    assert round(published) == 243
    got = _check(
        con, "Published: 2025-04-28\n\nMilitary spending in the Middle East rose to $243 billion in 2024."
    )
    (claim,) = got.values()
    assert claim["kind"] == "milex_level"
    assert claim["computed"] == pytest.approx(published)
    assert claim["verdict"] == "consistent"


@pytest.mark.data
def test_region_change_is_the_ratio_of_sipris_constant_price_totals(con) -> None:
    totals = _regional_totals()["sub-Saharan Africa"]
    want = 100 * (totals["2021"] / totals["2020"] - 1)
    got = _check(
        con,
        "Published: 2022-04-25\n\nIn 2021, military spending in sub-Saharan Africa totaled $20.1 billion, "
        "4.1% more than in 2020.",
    )
    change = next(c for c in got.values() if c["kind"] == "milex_change")
    assert change["subject"] == ["region:sub-Saharan Africa"]
    assert change["computed"] == pytest.approx(want)


@pytest.mark.data
def test_region_share_of_world_uses_sipris_world_total(con) -> None:
    t = _regional_totals()
    want = 100 * t["Africa"]["2024 (current prices)"] / t["World"]["2024 (current prices)"]
    got = _check(
        con, "Published: 2025-04-28\n\nAfrica accounted for 1.9% of global military spending in 2024."
    )
    share = next(c for c in got.values() if c["kind"] == "milex_share")
    assert share["computed"] == pytest.approx(want)
    assert share["verdict"] == "consistent"


@pytest.mark.data
def test_members_follow_the_workbooks_header_rows(con) -> None:
    from armatlas.analysis.milex_regions import region_members, region_spending
    from armatlas.entities.register import load_register

    reg = load_register()
    for region in ("Middle East", "North Africa", "Western Europe"):
        want = {reg.resolve(n, "sipri_milex") for n in _members(region)}
        assert set(region_members(con, region)) == want, region
    # the workbook's 'sub-Saharan Africa' is found from the way news writes it
    assert region_spending(con, "Sub-Saharan Africa", 2024).region == "sub-Saharan Africa"  # type: ignore[union-attr]
