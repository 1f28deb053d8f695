"""How news pages of the second held-out set (bench/heldout2/annotations.json: exporters' stories,
Europe and Ukraine as importers, India/Pakistan, South America) write SIPRI figures: sentences quoted
from those pages, each test naming its page. Evidence is recomputed independently with SQL over the
store's delivery rows of the 2024-04-13 register."""

from __future__ import annotations

import pytest

from tests.test_claims_heldout import _claims as _claims_on
from tests.test_claims_journalism import RELEASE_2024, _tiv


def _claims(con, text: str) -> list:
    return _claims_on(con, text, RELEASE_2024)


def _change(con, years0: tuple[int, int], years1: tuple[int, int], where: str) -> float:
    return 100 * (_tiv(con, years1, where) / _tiv(con, years0, where) - 1)


def _share(con, years: tuple[int, int], part: str, whole: str) -> float:
    return 100 * _tiv(con, years, f"{whole} AND {part}") / _tiv(con, years, whole)


def _states_reached(con, supplier: str, year: int) -> int:
    """Distinct recipient states of the supplier's deliveries in the year (SIPRI counts states)."""
    sid = con.execute(
        "SELECT snapshot_id FROM snapshot WHERE release = ? AND layout = 'delivery_years'", [RELEASE_2024]
    ).fetchone()[0]
    return con.execute(
        """SELECT count(DISTINCT d.recipient_id) FROM delivery v JOIN deal d USING (deal_key)
           JOIN entity r ON r.entity_id = d.recipient_id
           WHERE v.snapshot_id = ? AND d.snapshot_id = ? AND v.year = ? AND v.tiv IS NOT NULL
             AND d.supplier_id = ? AND r.kind = 'state'""",
        [sid, sid, year, supplier],
    ).fetchone()[0]


@pytest.mark.data
def test_country_adjectives_with_changes_listed_respectively(con) -> None:
    # panorama.am, 2019-03-11, "Turkish arms exports grow by 170% in four years"
    got = _claims(
        con,
        "Published: 2019-03-11\n\nIn 2014-2018 period, Israeli, South Korean and Turkish arms exports increased "
        "substantially, 60 percent, 94 percent and 170 percent, respectively, compared to between 2009-2013 "
        "period, the report said.",
    )
    changes = {c.claim.subject[0]: c for c in got if c.claim.kind == "change"}
    assert {k: c.claim.value for k, c in changes.items()} == {
        "israel": 60.0,
        "south-korea": 94.0,
        "turkiye": 170.0,
    }
    for who in changes:
        assert changes[who].claim.direction == "export"
        assert changes[who].evidence.computed == pytest.approx(
            _change(con, (2009, 2013), (2014, 2018), f"d.supplier_id = '{who}'"), abs=0.01
        )
    assert not [c for c in got if c.claim.kind.endswith("share")]


@pytest.mark.data
def test_a_leading_with_phrase_gives_the_change_to_the_clause_subject(con) -> None:
    # panorama.am, 2019-03-11
    got = _claims(
        con,
        "Published: 2019-03-11\n\nWith an increase of 192 percent in arms imports, Saudi Arabia was the world's "
        "top arms importer during the period, accounting for 12 percent of global imports.",
    )
    (ch,) = [c for c in got if c.claim.kind == "change"]
    assert (ch.claim.subject, ch.claim.direction, ch.claim.value) == (["saudi-arabia"], "import", 192.0)
    assert ch.evidence.computed == pytest.approx(
        _change(con, (2009, 2013), (2014, 2018), "d.recipient_id = 'saudi-arabia'"), abs=0.01
    )
    assert ch.verdict.verdict == "consistent"


@pytest.mark.data
def test_years_abbreviated_with_an_apostrophe_and_the_sale_of_x_arms_to_y(con) -> None:
    # scroll.in, 2018-03-12, "China is the biggest arms supplier to Pakistan, Bangladesh and Myanmar"
    got = _claims(
        con,
        "Published: 2018-03-12\n\nThe sale of US arms to Pakistan dropped by 76% in 2013-’17 compared to 2008-’12.",
    )
    (ch,) = [c for c in got if c.claim.kind == "change"]
    assert (ch.claim.subject, ch.claim.partner, ch.claim.direction, ch.claim.value) == (
        ["united-states"],
        "pakistan",
        "export",
        -76.0,
    )
    assert [str(p) for p in ch.claim.periods] == ["2008-2012", "2013-2017"]
    where = "d.supplier_id = 'united-states' AND d.recipient_id = 'pakistan'"
    assert ch.evidence.computed == pytest.approx(_change(con, (2008, 2012), (2013, 2017), where), abs=0.01)


@pytest.mark.data
def test_transfers_in_a_region_and_the_largest_importer_in_it(con) -> None:
    # wri-irg.org (2010), quoting SIPRI's fact sheet on 2005-2009
    got = _claims(
        con,
        "Published: 2010-03-15\n\nAccording to SIPRI the arms transfers in South America for the period between "
        "2005 - 2009 were 150 percent higher than for the period of 2000 -2004.\n\nChile was the largest "
        "importer of conventional weapons in South America and the 13th largest in the world.",
    )
    (ch,) = [c for c in got if c.claim.kind == "change"]
    assert (ch.claim.subject, ch.claim.direction) == (["region:South America"], "import")
    assert ch.evidence.computed == pytest.approx(
        _change(con, (2000, 2004), (2005, 2009), "r.subregion = 'South America'"), abs=0.01
    )
    (rr,) = [c for c in got if c.claim.kind == "region_rank"]
    assert (rr.claim.subject, rr.claim.partner, rr.claim.value) == (["chile"], "region:South America", 1.0)
    sid_rows = con.execute(
        """SELECT d.recipient_id, sum(v.tiv) t FROM delivery v JOIN deal d USING (deal_key)
           JOIN entity r ON r.entity_id = d.recipient_id JOIN snapshot s ON s.snapshot_id = v.snapshot_id
           WHERE s.release = ? AND s.layout = 'delivery_years' AND d.snapshot_id = v.snapshot_id
             AND v.year BETWEEN 2005 AND 2009 AND r.subregion = 'South America' GROUP BY 1 ORDER BY t DESC""",
        [RELEASE_2024],
    ).fetchall()
    assert sid_rows[0][0] == "chile"
    assert rr.verdict.verdict == "consistent"
    assert not [c for c in got if c.claim.kind == "world_change"]


@pytest.mark.data
def test_counts_of_recipient_states_as_levels_and_elided_repeats(con) -> None:
    # ukrinform.net, 2024-03-11; japantimes.co.jp, 2024-03-11
    for text in (
        "While in 2019, Russia supplied arms to 31 states, in 2023 it supplied only 12.",
        "Russia fell behind France to become the world's third-largest weapons exporter, due to a decrease in "
        "the number of its export destinations, which stood at 12 in 2023 against 31 in 2019.",
    ):
        got = _claims(con, "Published: 2024-03-11\n\n" + text)
        reach = {str(c.claim.periods[0]): c for c in got if c.claim.kind == "exports_reach"}
        assert {k: c.claim.value for k, c in reach.items()} == {"2019": 31.0, "2023": 12.0}
        for year in (2019, 2023):
            assert reach[str(year)].claim.subject == ["russia"]
            assert reach[str(year)].evidence.computed == _states_reached(con, "russia", year)
            assert reach[str(year)].verdict.verdict == "consistent"


@pytest.mark.data
def test_arms_received_from_over_n_states(con) -> None:
    # asiatimes (sureanot.com), 2024-03-12
    got = _claims(
        con,
        "Published: 2024-03-12\n\nUkraine became the fourth biggest arms importer globally after it received "
        "transfers of major arms from over 30 states in 2022–23, the institute reported.",
    )
    (sc,) = [c for c in got if c.claim.kind == "supplier_count"]
    assert (sc.claim.subject, sc.claim.value, sc.claim.relation) == (["ukraine"], 30.0, "gte")


@pytest.mark.data
def test_a_capital_as_the_country_and_an_elided_second_whole(con) -> None:
    # scroll.in, 2018-03-12
    got = _claims(
        con,
        "Published: 2018-03-12\n\nDhaka procured 71% of its arms from China over the five-year period, and "
        "Myanmar 68%.",
    )
    shares = {c.claim.subject[0]: c for c in got if c.claim.kind == "supplier_share"}
    assert {k: (c.claim.partner, c.claim.value) for k, c in shares.items()} == {
        "bangladesh": ("china", 71.0),
        "myanmar": ("china", 68.0),
    }
    for who in shares:
        assert shares[who].evidence.computed == pytest.approx(
            _share(con, (2013, 2017), "d.supplier_id = 'china'", f"d.recipient_id = '{who}'"), abs=0.01
        )


@pytest.mark.data
def test_a_share_to_just_one_country_and_a_surge_after_the_figure(con) -> None:
    # deccanchronicle.com, 2026-03-09; dailysabah.com, 2024-03-11
    got = _claims(
        con,
        "Published: 2024-03-11\n\nChina supplied major arms to 47 states in 2019-2023, and 61 per cent of its "
        "arms exports went to just one country—Pakistan.\n\nTürkiye's share of the global arms export market "
        "increased from 0.7% to 1.6% in the period between 2019 and 2023 compared to 2014 to 2018, "
        "correlating to a 106% surge.",
    )
    (rs,) = [c for c in got if c.claim.kind == "recipient_share"]
    assert (rs.claim.subject, rs.claim.partner, rs.claim.value) == (["china"], "pakistan", 61.0)
    assert rs.evidence.computed == pytest.approx(
        _share(con, (2019, 2023), "d.recipient_id = 'pakistan'", "d.supplier_id = 'china'"), abs=0.01
    )
    (ch,) = [c for c in got if c.claim.kind == "change"]
    assert (ch.claim.subject, ch.claim.value) == (["turkiye"], 106.0)
    assert ch.evidence.computed == pytest.approx(
        _change(con, (2014, 2018), (2019, 2023), "d.supplier_id = 'turkiye'"), abs=0.01
    )
    assert 106.0 not in [c.claim.value for c in got if c.claim.kind == "global_share"]


RELEASE_2026 = "2026-05-18"  # the web register, deliveries to 2025


def _tiv_2026(con, years: tuple[int, int], where: str) -> float:
    """TIV delivered in the years by the rows matching `where`, release 2026-05-18 (web register)."""
    return _tiv(con, years, where, RELEASE_2026, "web_register")


@pytest.mark.data
def test_made_in_a_country_customers_and_arms_supplied_to_a_recipient(con) -> None:
    # cm.asiae.co.kr, 2025-03-10, "Swedish Think Tank Releases 'Trends in International Arms Transfers' Report"
    got = _claims_on(
        con,
        "Published: 2025-03-10\n\nOver the past five years (2020–2024), the U.S. share of global arms exports "
        "rose to 43%.\n\nThis is more than four times the share of the second-ranked France (10%).\n\nThe region "
        "with the highest exports of U.S.-made weapons was Europe (35%), which the report noted surpassed the "
        "Middle East (33%) for the first time in 20 years.\n\nHowever, by individual country, Saudi Arabia (12%) "
        'was the largest U.S. "customer," followed by Ukraine (9.3%) and Japan (8.8%).\n\nAmong the arms '
        "supplied to Ukraine from 2020 to 2024, 45% were U.S.-made, followed by Germany (12%) and Poland (11%).",
        RELEASE_2026,
    )
    years = (2020, 2024)
    us = "d.supplier_id = 'united-states'"
    rec = {c.claim.partner: c for c in got if c.claim.kind == "recipient_share"}
    assert {k: c.claim.value for k, c in rec.items()} == {
        "region:Europe": 35.0,
        "region:Middle East": 33.0,
        "saudi-arabia": 12.0,
        "ukraine": 9.3,
        "japan": 8.8,
    }
    assert all(c.claim.subject == ["united-states"] for c in rec.values())
    europe = 100 * _tiv_2026(con, years, f"{us} AND r.region = 'Europe'") / _tiv_2026(con, years, us)
    assert rec["region:Europe"].evidence.computed == pytest.approx(europe, abs=0.01)
    sup = {c.claim.partner: c for c in got if c.claim.kind == "supplier_share"}
    assert {k: (c.claim.subject, c.claim.value) for k, c in sup.items()} == {
        "united-states": (["ukraine"], 45.0),
        "germany": (["ukraine"], 12.0),
        "poland": (["ukraine"], 11.0),
    }
    ua = "d.recipient_id = 'ukraine'"
    assert sup["united-states"].evidence.computed == pytest.approx(
        100 * _tiv_2026(con, years, f"{ua} AND {us}") / _tiv_2026(con, years, ua), abs=0.01
    )
    (fr,) = [c for c in got if c.claim.kind == "global_share" and c.claim.subject == ["france"]]
    fr_share = 100 * _tiv_2026(con, years, "d.supplier_id = 'france'") / _tiv_2026(con, years, "TRUE")
    assert (fr.claim.direction, fr.evidence.computed) == ("export", pytest.approx(fr_share, abs=0.01))
    (rank,) = [c for c in got if c.claim.kind == "rank"]
    assert (rank.claim.subject, rank.claim.direction, rank.claim.value) == (["france"], "export", 2.0)


@pytest.mark.data
def test_a_ranked_list_with_brackets_and_shares_after_an_ownerless_flow(con) -> None:
    # scroll.in, 2018-03-12; bofit.fi, 2019-03-15
    got = _claims(
        con,
        "Published: 2018-03-12\n\nThe five largest arms exporters in the world are the United States (which "
        "sells 35% of the world’s weapons), Russia (22%), France, Germany and China.",
    )
    (lst,) = [c for c in got if c.claim.kind == "rank"]
    assert (lst.claim.subject, lst.claim.relation) == (
        ["united-states", "russia", "france", "germany", "china"],
        "ordered",
    )
    got = _claims(
        con,
        "Published: 2019-03-15\n\nThe volume of China’s arms transfers in 2014–2018 rose by less than 3 % from "
        "the 2009–2013 period.\n\nThe number of customer countries, however, increased from the previous "
        "five-year period from 41 to 53 countries, even if arms supplies continued to focus on Pakistan (37 % "
        "share), Bangladesh (16 %) and Algeria (11 %).",
    )
    rec = {c.claim.partner: c for c in got if c.claim.kind == "recipient_share"}
    assert {k: (c.claim.subject, c.claim.value) for k, c in rec.items()} == {
        "pakistan": (["china"], 37.0),
        "bangladesh": (["china"], 16.0),
        "algeria": (["china"], 11.0),
    }
    cn = "d.supplier_id = 'china'"
    assert rec["algeria"].evidence.computed == pytest.approx(
        _share(con, (2014, 2018), "d.recipient_id = 'algeria'", cn), abs=0.01
    )
    reach = {str(c.claim.periods[0]): c.claim.value for c in got if c.claim.kind == "exports_reach"}
    assert reach == {"2009-2013": 41.0, "2014-2018": 53.0}
    (ch,) = [c for c in got if c.claim.kind == "change"]
    assert (ch.claim.subject, ch.claim.direction) == (["china"], "export")


@pytest.mark.data
def test_a_rank_up_from_an_earlier_place(con) -> None:
    # deccanchronicle.com, 2026-03-09
    got = _claims_on(
        con,
        "Published: 2026-03-09\n\nPakistan was the fifth-largest recipient of major arms globally in 2021–25, "
        "up from tenth place in 2016–20.",
        RELEASE_2026,
    )
    ranks = {str(c.claim.periods[0]): c for c in got if c.claim.kind == "rank"}
    assert {k: c.claim.value for k, c in ranks.items()} == {"2021-2025": 5.0, "2016-2020": 10.0}
    sid = con.execute(
        "SELECT snapshot_id FROM snapshot WHERE release = ? AND layout = 'web_register'", [RELEASE_2026]
    ).fetchone()[0]
    order = [
        r[0]
        for r in con.execute(
            """SELECT d.recipient_id FROM delivery v JOIN deal d USING (deal_key)
               WHERE v.snapshot_id = ? AND d.snapshot_id = ? AND v.year BETWEEN 2016 AND 2020
               AND v.tiv IS NOT NULL GROUP BY 1 ORDER BY sum(v.tiv) DESC""",
            [sid, sid],
        ).fetchall()
    ]
    assert order.index("pakistan") + 1 == 10
    assert ranks["2016-2020"].verdict.verdict == "consistent"


@pytest.mark.data
def test_an_exporter_saw_its_trade_fall(con) -> None:
    # news.abs-cbn.com (Kyodo), 2022-03-14
    got = _claims(
        con,
        "Published: 2022-03-14\n\nAs for exports, the United States remained the world's biggest weapons "
        "supplier, accounting for 39 percent of the total. Russia, the second-largest exporter, saw its trade "
        "fall 26 percent.",
    )
    (ch,) = [c for c in got if c.claim.kind == "change"]
    assert (ch.claim.subject, ch.claim.direction, ch.claim.value) == (["russia"], "export", -26.0)
    assert ch.evidence.computed == pytest.approx(
        _change(con, (2012, 2016), (2017, 2021), "d.supplier_id = 'russia'"), abs=0.01
    )


@pytest.mark.data
def test_an_order_with_no_seller_named_counts_every_sellers_deals(con) -> None:
    # asiatimes (sureanot.com), 2024-03-12
    got = _claims_on(
        con,
        "Published: 2024-03-12\n\nIn the category of land-attack missiles with a range of 1000 km or more, in "
        "2023 Japan ordered 400 and planned to order 50 more.",
        RELEASE_2026,
    )
    (order,) = [c for c in got if c.claim.kind == "order"]
    assert (order.claim.subject, order.claim.partner, [str(p) for p in order.claim.periods]) == (
        ["japan"],
        None,
        ["2023"],
    )
    sid = con.execute(
        "SELECT snapshot_id FROM snapshot WHERE release = ? AND layout = 'web_register'", [RELEASE_2026]
    ).fetchone()[0]
    sellers = con.execute(
        "SELECT supplier_id FROM deal WHERE snapshot_id = ? AND recipient_id = 'japan' AND order_year = 2023",
        [sid],
    ).fetchall()
    assert order.evidence.computed == len(sellers)
    assert len({s for (s,) in sellers}) > 1


@pytest.mark.data
def test_previous_years_compared_with_the_sentences_range_and_a_subject_after_a_dash(con) -> None:
    # theguardian.com (via oneislandtwonations.blogspot.com), 2016-02-22
    got = _claims(
        con,
        "Published: 2016-02-22\n\nArms purchases by Qatar between 2011 and 2015 jumped by 279 per cent, while "
        "Saudi Arabia’s increased by 275 per cent over the same period compared to the previous four years."
        "\n\nDespite increased competition from China – whose arms exports increased by 88 per cent - the US "
        "has remained the world’s largest arms dealer.",
    )
    changes = {c.claim.subject[0]: c for c in got if c.claim.kind == "change"}
    for who in ("qatar", "saudi-arabia"):
        assert [str(p) for p in changes[who].claim.periods] == ["2006-2010", "2011-2015"]
        assert changes[who].evidence.computed == pytest.approx(
            _change(con, (2006, 2010), (2011, 2015), f"d.recipient_id = '{who}'"), abs=0.01
        )
    (rank,) = [c for c in got if c.claim.kind == "rank"]
    assert (rank.claim.subject, rank.claim.direction, rank.claim.value) == (["united-states"], "export", 1.0)
    sid = con.execute(
        "SELECT snapshot_id FROM snapshot WHERE release = ? AND layout = 'delivery_years'", [RELEASE_2024]
    ).fetchone()[0]
    top = con.execute(
        """SELECT d.supplier_id FROM delivery v JOIN deal d USING (deal_key)
           WHERE v.snapshot_id = ? AND d.snapshot_id = ? AND v.year BETWEEN 2011 AND 2015 AND v.tiv IS NOT NULL
           GROUP BY 1 ORDER BY sum(v.tiv) DESC LIMIT 1""",
        [sid, sid],
    ).fetchone()[0]
    assert top == "united-states" and rank.verdict.verdict == "consistent"
