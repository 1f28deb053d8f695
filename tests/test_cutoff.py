"""Supplier cut-off on the real registers: published shares, invariants and errors."""

from __future__ import annotations

import pytest

from armatlas.analysis.context import release_context
from armatlas.analysis.cutoff import cutoff
from armatlas.analysis.flows import partner_shares
from armatlas.analysis.periods import parse_period
from armatlas.errors import InvalidPeriodError, QueryError


def test_india_russia_2019_23_as_published(con) -> None:
    # SIPRI (March 2024): 36% of India's imports in 2019-23 came from Russia.
    res = cutoff(con, "India", ["Russia"], window="2019-2023", release="2024-04-13")
    assert round(res.summary.share_lost, 2) == 0.36
    # The delivery-year layout has no 'Number ordered': no pipeline share, and a warning says why.
    assert res.summary.pipeline_share_lost is None
    assert any("Number ordered" in w for w in res.warnings)


def test_lost_tiv_equals_partner_flow(con) -> None:
    ctx = release_context(con)
    p = parse_period("2021-2025")
    res = cutoff(con, "India", ["Russia"], window=p)
    flows = {
        r["partner_id"]: r["tiv"] for r in partner_shares(con, ctx, "import", [p], ["india"]).to_pylist()
    }
    assert res.summary.lost_tiv == pytest.approx(flows["russia"])
    assert res.summary.delivered_tiv == pytest.approx(sum(flows.values()))
    cats = res["categories"].rows
    assert sum(c["lost_tiv"] for c in cats) == pytest.approx(flows["russia"])
    assert all(0 <= c["share_lost"] <= 1 for c in cats)
    assert 0 < res.summary.pipeline_share_lost < 1


def test_alternatives_are_real_suppliers_of_the_category(con) -> None:
    res = cutoff(con, "India", ["Russia"], window="2021-2025")
    hit = {c["category"]: c for c in res["categories"].rows if c["lost_tiv"] > 0}
    for a in res["alternatives"].rows:
        assert a["category"] in hit and a["supplier_id"] != "russia" and a["tiv"] > 0
        assert a["supplier"] in hit[a["category"]]["remaining_suppliers"]
    for cat, c in hit.items():
        alt = sum(a["tiv"] for a in res["alternatives"].rows if a["category"] == cat)
        assert alt + c["lost_tiv"] == pytest.approx(c["tiv"])


def test_cutting_every_supplier_loses_everything(con) -> None:
    ctx = release_context(con)
    p = parse_period("2021-2025")
    everyone = sorted(
        {r["partner_id"] for r in partner_shares(con, ctx, "import", [p], ["azerbaijan"]).to_pylist()}
        | {"pakistan", "slovakia", "israel", "turkiye", "china", "czechia", "serbia"}
    )
    res = cutoff(con, "Azerbaijan", everyone, window=p)
    assert res.summary.share_lost == pytest.approx(1.0)
    assert res.summary.pipeline_share_lost == pytest.approx(1.0)
    assert len(res["alternatives"]) == 0
    assert set(res.summary.categories_without_alternative) == {c["category"] for c in res["categories"].rows}


def test_small_base_is_warned(con) -> None:
    # Mongolia received two deals in 2021-25 (Russia, Australia): fragile shares.
    res = cutoff(con, "Mongolia", ["Russia"], window="2021-2025")
    assert 0 < res.summary.deals < 5 and 0 < res.summary.share_lost < 1
    assert any("small base" in w for w in res.warnings)
    assert all(c["small_base"] for c in res["categories"].rows)
    # A country with no deliveries at all: no share, and the warning says so rather than 0%.
    none = cutoff(con, "Iceland", ["United States"], window="2021-2025")
    assert none.summary.share_lost is None
    assert any("no deliveries" in w for w in none.warnings)


def test_errors(con) -> None:
    with pytest.raises(QueryError):
        cutoff(con, "India", [])
    with pytest.raises(QueryError):
        cutoff(con, "India", ["India"])
    with pytest.raises(InvalidPeriodError):
        cutoff(con, "India", ["Russia"], window="2030-2034")
