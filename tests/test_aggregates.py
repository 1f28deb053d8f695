"""The per-release aggregates equal a recomputation from the deal and delivery rows, for every
register in the store, and follow every change to the deliveries (never stale)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import REGISTER_ID_UKR

from armatlas.store.aggregates import LOCAL_PRODUCTION_RE, refresh
from armatlas.store.db import connect
from armatlas.store.identity import delete_snapshots
from armatlas.store.ingest import ingest_path

LOCAL = re.compile(LOCAL_PRODUCTION_RE, re.IGNORECASE)


def _registers(con) -> list[int]:
    return [r[0] for r in con.execute("SELECT DISTINCT snapshot_id FROM deal ORDER BY 1").fetchall()]


def _recompute_flows(con, sid: int) -> set[tuple]:
    """agg_flow rows summed in Python from the raw rows (no SQL aggregation)."""
    deals = {
        r[0]: r[1:]
        for r in con.execute(
            """SELECT deal_key, supplier_id, recipient_id, category, second_hand, local_production,
                      licence_source, comments FROM deal WHERE snapshot_id = ?""",
            [sid],
        ).fetchall()
    }
    acc: dict[tuple, list] = defaultdict(lambda: [0.0, None, 0.0, 0.0, 0.0, 0.0, False, False, set()])
    for key, year, tiv, allocation in con.execute(
        "SELECT deal_key, year, tiv, allocation FROM delivery WHERE snapshot_id = ? AND tiv IS NOT NULL",
        [sid],
    ).fetchall():
        sup, rec, cat, second, flag, source, comments = deals[key]
        a = acc[year, sup, rec, cat]
        a[0] += tiv
        if allocation == "estimated":
            a[1] = (a[1] or 0.0) + tiv
        a[2] += tiv if second else 0.0
        a[3] += tiv if source == "comment" else 0.0
        a[4] += tiv if source == "flag" or LOCAL.search(comments or "") else 0.0
        a[5] += tiv if flag else 0.0
        a[6] |= flag
        a[7] |= second
        a[8].add(key)
    return {
        (*k, *(None if x is None else round(x, 6) for x in a[:6]), a[6], a[7], tuple(sorted(a[8])))
        for k, a in acc.items()
    }


def _stored_flows(con, sid: int) -> set[tuple]:
    rows = con.execute(
        """SELECT year, supplier_id, recipient_id, category, tiv, estimated_tiv, second_hand_tiv,
                  licensed_tiv, local_production_tiv, flagged_tiv, any_flagged, any_second_hand, deal_keys
           FROM agg_flow WHERE snapshot_id = ?""",
        [sid],
    ).fetchall()
    return {
        (*r[:4], *(None if x is None else round(x, 6) for x in r[4:10]), r[10], r[11], tuple(sorted(r[12])))
        for r in rows
    }


def test_flows_equal_a_recomputation_for_every_register(con) -> None:
    sids = _registers(con)
    assert len(sids) >= 3  # web, tidy and delivery-year registers of the snapshot
    for sid in sids:
        stored, fresh = _stored_flows(con, sid), _recompute_flows(con, sid)
        assert stored - fresh == set() and fresh - stored == set(), sid
        assert len(stored) == len({r[:4] for r in stored})  # one row per year x pair x category


def test_totals_equal_a_recomputation_both_ways(con) -> None:
    """agg_total (per entity, direction and year; 'world' = every row) against the rows, by EXCEPT."""
    direct = """
        SELECT d.snapshot_id, 'import' AS direction, d.recipient_id AS entity_id, v.year, round(sum(v.tiv), 6)
        FROM delivery v JOIN deal d USING (deal_key) WHERE v.tiv IS NOT NULL GROUP BY ALL
        UNION ALL
        SELECT d.snapshot_id, 'export', d.supplier_id, v.year, round(sum(v.tiv), 6)
        FROM delivery v JOIN deal d USING (deal_key) WHERE v.tiv IS NOT NULL GROUP BY ALL
        UNION ALL
        SELECT d.snapshot_id, dir, 'world', v.year, round(sum(v.tiv), 6)
        FROM delivery v JOIN deal d USING (deal_key), (VALUES ('import'), ('export')) t(dir)
        WHERE v.tiv IS NOT NULL GROUP BY ALL"""
    stored = "SELECT snapshot_id, direction, entity_id, year, round(tiv, 6) FROM agg_total"
    for a, b in ((direct, stored), (stored, direct)):
        assert con.execute(f"SELECT count(*) FROM (({a}) EXCEPT ({b}))").fetchall()[0][0] == 0
    assert con.execute("SELECT count(*) FROM agg_total").fetchall()[0][0] > 10_000


def test_open_orders_equal_a_recomputation_both_ways(con) -> None:
    """agg_order holds exactly the registers' open orders (more ordered than delivered, or unknown
    size and nothing delivered) plus, as not pending, unknown sizes with deliveries."""
    direct = """
        SELECT d.snapshot_id, d.deal_key, d.n_ordered - coalesce(d.n_delivered, 0) AS outstanding,
               (SELECT max(year) FROM delivery v WHERE v.deal_key = d.deal_key) AS last_year,
               d.n_ordered IS NOT NULL OR coalesce(d.n_delivered, 0) = 0 AS pending
        FROM deal d
        WHERE d.snapshot_id IN (SELECT snapshot_id FROM deal GROUP BY 1 HAVING count(n_ordered) > 0)
          AND (coalesce(d.n_delivered, 0) < d.n_ordered OR d.n_ordered IS NULL)"""
    stored = "SELECT snapshot_id, deal_key, outstanding_units, last_delivery_year, pending FROM agg_order"
    for a, b in ((direct, stored), (stored, direct)):
        assert con.execute(f"SELECT count(*) FROM (({a}) EXCEPT ({b}))").fetchall()[0][0] == 0
    # the 2026 register's 1,220 pending orders with nothing delivered yet are among them
    assert con.execute("SELECT count(*) FROM agg_order WHERE pending").fetchall()[0][0] > 1_220


@pytest.mark.data  # ingests a real register of its own
def test_aggregates_follow_every_change_to_deliveries(tmp_path: Path) -> None:
    """Changed per-year rows (a re-split), a deleted snapshot: refresh rebuilds or drops exactly
    those aggregates; an unchanged store rebuilds nothing."""
    con = connect(tmp_path / "a.duckdb")
    try:
        sid = ingest_path(con, REGISTER_ID_UKR).snapshot_id
        assert refresh(con) == []  # built by the ingest itself
        assert _stored_flows(con, sid) == _recompute_flows(con, sid)
        con.execute("UPDATE delivery SET tiv = tiv * 2 WHERE year = 2022")
        assert refresh(con) == [sid]
        assert _stored_flows(con, sid) == _recompute_flows(con, sid)
        delete_snapshots(con, [sid])
        assert refresh(con) == []
        for name in ("agg_flow", "agg_total", "agg_order", "agg_state"):
            assert con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0] == 0
    finally:
        con.close()


@pytest.mark.parametrize("country", ["india", "ukraine"])
def test_supplier_shares_from_aggregates_equal_a_hand_written_query(atlas, country: str) -> None:
    """Dependence reads the aggregates; its supplier shares are those of one query over the rows."""
    dep = atlas.dependence(country, periods=["2019-2023"])
    sid = dep.provenance.snapshots[0].snapshot_id
    want = atlas.con.execute(
        """SELECT d.supplier_id, sum(v.tiv) / sum(sum(v.tiv)) OVER () AS share
           FROM delivery v JOIN deal d USING (deal_key)
           WHERE d.snapshot_id = ? AND d.recipient_id = ? AND v.year BETWEEN 2019 AND 2023 AND v.tiv IS NOT NULL
           GROUP BY 1""",
        [sid, country],
    ).fetchall()
    got = {r["partner_id"]: r["share"] for r in dep["suppliers"].rows}
    assert got == pytest.approx(dict(want), rel=1e-9)


def test_a_slice_is_the_same_read_alone_or_from_the_whole_release(atlas) -> None:
    """A one-off command reads one entity's slice; a server indexes the whole release once: the
    rows are the same either way."""
    from armatlas.analysis import slices
    from armatlas.analysis.context import release_context

    ctx = release_context(atlas.con)
    whole = slices.flows(atlas.con, ctx, None)
    for e in ("india", "united-states", "ukraine"):
        alone = slices._read(atlas.con, ctx.require_register().snapshot_id, [e])
        assert alone and alone == [f for f in whole if e in (f.supplier_id, f.recipient_id)]


def test_a_slice_within_periods_is_the_slice_of_their_years(atlas) -> None:
    """Groupings by period read only the years the periods span (two bisections of the
    year-ordered slice): exactly the rows of those years, in the same order."""
    from armatlas.analysis import slices
    from armatlas.analysis.context import release_context
    from armatlas.analysis.periods import parse_period

    ctx = release_context(atlas.con)
    ps = [parse_period("2011-2015"), parse_period("2021-2025")]
    for ids in (["india"], ["ukraine", "russia"], None):
        every = slices.flows(atlas.con, ctx, ids)
        some = slices.flows(atlas.con, ctx, ids, ps)
        assert some and len(some) < len(every)
        assert some == [f for f in every if 2011 <= f.year <= 2025]


def test_spending_and_industry_are_the_same_before_and_after_the_whole_workbook_is_read(atlas) -> None:
    """After a few countries the workbook-wide caches switch from one read per country to one
    read of every country: a country's figures do not depend on which path served them."""
    from armatlas.analysis import industry, spending

    countries = ["india", "pakistan", "japan", "brazil", "egypt", "poland", "chile", "kenya", "peru"]
    spending._SHARED.clear()
    industry._DATA.clear()
    first = [(atlas.spending(c).to_dict(), atlas.industry(c).to_dict()) for c in countries]
    again = [(atlas.spending(c).to_dict(), atlas.industry(c).to_dict()) for c in countries]
    assert spending._SHARED and all(s.all_series is not None for s in spending._SHARED.values())
    assert first == again
