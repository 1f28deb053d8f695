"""How news reports write SIPRI figures, on sentences quoted from real pages the rules were not
written for (the fresh validation set; each test names its page). Evidence is recomputed with SQL
on the store's delivery rows of the release the claim is checked against.
"""

from __future__ import annotations

import pytest

from armatlas.claims import check_article, parse_article
from tests.test_claims_reader import _read

RELEASE_2024 = "2024-04-13"  # the delivery-year register that covers 1990-2023


def _tiv(
    con, years: tuple[int, int], where: str, release: str = RELEASE_2024, layout: str = "delivery_years"
) -> float:
    """TIV delivered in the years (both ends included) by the rows matching `where`, release 2024-04-13
    unless another release (and its register's layout) is named."""
    sid = con.execute(
        "SELECT snapshot_id FROM snapshot WHERE release = ? AND layout = ?", [release, layout]
    ).fetchone()[0]
    return con.execute(
        f"""SELECT sum(v.tiv) FROM delivery v JOIN deal d USING (deal_key)
            JOIN entity r ON r.entity_id = d.recipient_id
            WHERE v.snapshot_id = ? AND d.snapshot_id = ? AND v.year BETWEEN ? AND ?
              AND v.tiv IS NOT NULL AND {where}""",
        [sid, sid, *years],
    ).fetchone()[0]


def test_possessive_after_s_and_elliptic_second_pair() -> None:
    # bqprime.com, 2023-03-13, "India Remains World's Top Arms Importer: SIPRI Report"
    got = _read(
        "The report compared 2013-17 with 2018-22. It said the United States' share of global arms exports "
        "increased from 33% to 40%, while Russia's fell from 22% to 16%.",
        "2023-03-13",
    )
    assert got == [
        ("global_share", [who], None, "export", [period], value, "eq")
        for who, period, value in (
            ("united-states", "2013-2017", 33.0),
            ("united-states", "2018-2022", 40.0),
            ("russia", "2013-2017", 22.0),
            ("russia", "2018-2022", 16.0),
        )
    ]


@pytest.mark.data
def test_share_pair_evidence(con) -> None:
    d = check_article(
        con,
        parse_article(
            "Published: 2023-03-13\n\nThe report compared 2013-17 with 2018-22. It said the United States' share "
            "of global arms exports increased from 33% to 40%, while Russia's fell from 22% to 16%."
        ),
        release=RELEASE_2024,
    )
    us_old = next(c for c in d.claims if c.claim.value == 33.0)
    ru_new = next(c for c in d.claims if c.claim.value == 16.0)
    assert us_old.evidence.computed == pytest.approx(
        100 * _tiv(con, (2013, 2017), "d.supplier_id = 'united-states'") / _tiv(con, (2013, 2017), "true")
    )
    assert ru_new.evidence.computed == pytest.approx(
        100 * _tiv(con, (2018, 2022), "d.supplier_id = 'russia'") / _tiv(con, (2018, 2022), "true")
    )
    assert us_old.verdict.verdict == "consistent"


def test_world_adjective_before_share_and_a_bare_first_figure() -> None:
    # eurasiantimes.com, 2021-03-15; islamtimes.org, 2022-03-15
    got = _read(
        "According to the data, the United States remains the largest arms exporter, increasing its global "
        "share of arms exports from 32 to 37 percent between 2011–2015 and 2016–2020.",
        "2021-03-15",
    )
    shares = [g for g in got if g[0] == "global_share"]
    assert shares == [
        ("global_share", ["united-states"], None, "export", ["2011-2015"], 32.0, "eq"),
        ("global_share", ["united-states"], None, "export", ["2016-2020"], 37.0, "eq"),
    ]
    got = _read(
        "Arms exports from the largest seller, the United States, grew by 14%, increasing its global share "
        "from 32% to 39%.",
        "2022-03-15",
    )
    assert [(g[1], g[4], g[5]) for g in got if g[0] == "global_share"] == [
        (["united-states"], ["2012-2016"], 32.0),
        (["united-states"], ["2017-2021"], 39.0),
    ]


def test_signed_change_list_and_a_region_as_the_subject() -> None:
    # eurasiantimes.com, 2021-03-15, "Global arms sales stabilize after years of sharp growth: SIPRI"
    got = _read(
        "According to SIPRI, in 2016-2020, counties of the Middle East, increased arms imports by 25 percent, "
        "mainly driven by Saudi Arabia (+61 percent), Egypt (+136 percent) and Qatar (+361 percent), compared "
        "to the period from 2011 to 2015.",
        "2021-03-15",
    )
    assert got == [
        ("change", [who], None, "import", ["2011-2015", "2016-2020"], value, "eq")
        for who, value in (
            ("region:Middle East", 25.0),
            ("saudi-arabia", 61.0),
            ("egypt", 136.0),
            ("qatar", 361.0),
        )
    ]


@pytest.mark.data
def test_signed_change_list_evidence(con) -> None:
    d = check_article(
        con,
        parse_article(
            "Published: 2021-03-15\n\nIn 2016-2020, counties of the Middle East, increased arms imports by "
            "25 percent, mainly driven by Saudi Arabia (+61 percent), Egypt (+136 percent) and Qatar "
            "(+361 percent), compared to the period from 2011 to 2015."
        ),
        release=RELEASE_2024,
    )
    qatar = next(c for c in d.claims if c.claim.subject == ["qatar"])
    region = next(c for c in d.claims if c.claim.subject == ["region:Middle East"])
    q = "d.recipient_id = 'qatar'"
    me = "r.region = 'Middle East'"
    assert qatar.evidence.computed == pytest.approx(
        100 * (_tiv(con, (2016, 2020), q) / _tiv(con, (2011, 2015), q) - 1)
    )
    assert region.evidence.computed == pytest.approx(
        100 * (_tiv(con, (2016, 2020), me) / _tiv(con, (2011, 2015), me) - 1)
    )
    assert qatar.verdict.verdict == region.verdict.verdict == "consistent"


def test_a_seat_is_not_a_party() -> None:
    # pratidintime.com, 2023-03-14: "Sweden-based" names where SIPRI sits, not who imports
    got = _read(
        "Fresh data by Sweden-based Stockholm International Peace Research Institute (SIPRI) have revealed "
        "that India was the largest importer of arms between 2018 and 2022.",
        "2023-03-14",
    )
    assert [(g[0], g[1], g[4], g[5]) for g in got] == [("rank", ["india"], ["2018-2022"], 1.0)]


@pytest.mark.data
def test_weapons_flows_are_the_world_total(con) -> None:
    # koreaherald.com (AFP), 2026-03-09; SIPRI's own figure is +9.2%
    d = check_article(
        con,
        parse_article(
            "Published: 2026-03-09\n\nThe volume of worldwide arms flows grew by 9.2 percent in the period "
            "2021 to 2025 compared to the preceding five-year period, according to SIPRI's new report."
        ),
    )
    (c,) = d.claims
    assert (c.claim.kind, c.claim.subject, [p.label for p in c.claim.periods]) == (
        "world_change",
        ["WORLD"],
        ["2016-2020", "2021-2025"],
    )
    assert c.verdict.verdict == "consistent"


def test_list_before_its_role_and_a_share_between_them() -> None:
    # pratidintime.com, 2023-03-14; wargane.com, 2015-03-16
    got = _read(
        "SIPRI identified India, Saudi Arabia, Qatar, Australia and China as the top five arms importers in "
        "2018–22, accounting for 36 percent of global arms imports during this period.",
        "2023-03-14",
    )
    top = ["india", "saudi-arabia", "qatar", "australia", "china"]
    assert got == [
        ("rank", top, None, "import", ["2018-2022"], None, "ordered"),
        ("global_share", top, None, "import", ["2018-2022"], 36.0, "eq"),
    ]
    got = _read(
        "Taken together, the top five accounted for 74 percent of all arms exports. The five biggest importers "
        "from 2010 to 2014 were India, Saudi Arabia, China, the United Arab Emirates and Pakistan, accounting "
        "between them for 33 percent of global imports.",
        "2015-03-16",
    )
    five = ["india", "saudi-arabia", "china", "united-arab-emirates", "pakistan"]
    assert got[-2:] == [
        ("rank", five, None, "import", ["2010-2014"], None, "ordered"),
        ("global_share", five, None, "import", ["2010-2014"], 33.0, "eq"),
    ]


def test_some_of_the_top_n_is_not_the_whole_ranking() -> None:
    got = _read(
        "Comparing 2011-2015 to 2016-2020, three of the world's five largest exporters -- the US, France and "
        "Germany -- actually increased their exports.",
        "2021-03-16",
    )
    assert got[0] == (
        "rank",
        ["united-states", "france", "germany"],
        None,
        "export",
        ["2016-2020"],
        5.0,
        "top_n",
    )


@pytest.mark.data
def test_group_share_of_a_listed_top_five(con) -> None:
    d = check_article(
        con,
        parse_article(
            "Published: 2023-03-14\n\nSIPRI identified India, Saudi Arabia, Qatar, Australia and China as the top "
            "five arms importers in 2018–22, accounting for 36 percent of global arms imports during this period."
        ),
        release=RELEASE_2024,
    )
    share = next(c for c in d.claims if c.claim.kind == "global_share")
    top = "d.recipient_id IN ('india', 'saudi-arabia', 'qatar', 'australia', 'china')"
    assert share.evidence.computed == pytest.approx(
        100 * _tiv(con, (2018, 2022), top) / _tiv(con, (2018, 2022), "true")
    )
    assert share.verdict.verdict == "consistent"


@pytest.mark.data
def test_top_spenders_list_against_the_workbook(con) -> None:
    # babel.ua, 2025-04-28, "SIPRI: global military spending rose to record high in 2024"
    text = (
        "Published: 2025-04-28\n\nGlobal military spending rose in 2024. The top five spenders are the United "
        "States, China, Russia, Germany, and India, accounting for 60% of global spending."
    )
    d = check_article(con, parse_article(text))
    lst = next(c for c in d.claims if c.claim.kind == "milex_rank")
    top = [
        r[0]
        for r in con.execute("""SELECT m.entity_id FROM milex m JOIN entity e USING (entity_id)
                                WHERE m.measure = 'current_usd' AND m.year = 2024 AND e.kind = 'state'
                                  AND m.value IS NOT NULL ORDER BY m.value DESC LIMIT 5""").fetchall()
    ]
    assert lst.claim.subject == top and lst.claim.relation == "ordered"
    assert lst.verdict.verdict == "consistent"
    wrong = text.replace("Germany", "Japan")
    d = check_article(con, parse_article(wrong))
    assert next(c for c in d.claims if c.claim.kind == "milex_rank").verdict.verdict == "inconsistent"


def test_group_pronoun_and_participle_verbs() -> None:
    # koreaherald.com (AFP), 2026-03-09: "their" is the European countries', "increasing ... by" a change
    got = _read(
        "European countries accounted for 33 percent of global arms imports in 2021-2025, increasing their "
        "imports by 210 percent from the previous five-year period.",
        "2026-03-09",
    )
    assert got == [
        ("global_share", ["region:Europe"], None, "import", ["2021-2025"], 33.0, "eq"),
        ("change", ["region:Europe"], None, "import", ["2016-2020", "2021-2025"], 210.0, "eq"),
    ]


def test_an_appositive_between_the_subject_and_its_verb() -> None:
    # islamtimes.org, 2022-03-15: the change is France's, not the United States' of the sentence before
    got = _read(
        "Arms exports from the largest seller, the United States, grew by 14%. France, the world's "
        "third-largest arms exporter, increased sales by almost 60% in the five years to 2021, SIPRI said.",
        "2022-03-15",
    )
    assert got[-1] == ("change", ["france"], None, "export", ["2012-2016", "2017-2021"], 60.0, "almost")


def test_followed_by_lists_take_the_article_direction() -> None:
    # pratidintime.com, 2023-03-14
    got = _read(
        "India was the largest importer of arms between 2018 and 2022. India is followed by Saudi Arabia "
        "(9.6%), Qatar (6.4%) and Pakistan (3.7%) among the top 10 arms importers. India's share globally "
        "was 11 percent followed by Saudi Arabia with 9.6 percent and Qatar with 6.4 per cent.",
        "2023-03-14",
    )
    shares = [(g[1][0], g[3], g[4], g[5]) for g in got if g[0] == "global_share"]
    assert shares == [
        (who, "import", ["2018-2022"], value)
        for who, value in (
            ("saudi-arabia", 9.6),
            ("qatar", 6.4),
            ("pakistan", 3.7),
            ("india", 11.0),
            ("saudi-arabia", 9.6),
            ("qatar", 6.4),
        )
    ]


def _milex(con, entity: str, measure: str, year: int) -> float:
    return con.execute(
        "SELECT value FROM milex WHERE entity_id = ? AND measure = ? AND year = ?", [entity, measure, year]
    ).fetchone()[0]


@pytest.mark.data
def test_spending_comparison_and_historical_years_are_not_the_claim_year(con) -> None:
    # malta.news-pravda.com, 2025-04-30: "more than in 2023" is the base; "since ... in 1967" is history
    text = (
        "Published: 2025-04-30\n\nRussia's military spending in 2024 reached approximately $149 billion, which "
        "is 38% more than in 2023 and twice as much as in 2015. Israel's military spending increased by 65% to "
        "$46.5 billion, which was the most significant annual increase since the Six-Day War in 1967, and "
        "amounts to 8.8% of the country's GDP."
    )
    d = check_article(con, parse_article(text))
    got = {
        (c.claim.kind, c.claim.subject[0]): ([p.label for p in c.claim.periods], c.evidence.computed)
        for c in d.claims
    }
    ru = got[("milex_change", "russia")]
    assert ru[0] == ["2023", "2024"]
    assert ru[1] == pytest.approx(
        100 * (_milex(con, "russia", "constant_usd", 2024) / _milex(con, "russia", "constant_usd", 2023) - 1)
    )
    assert got[("milex_level", "israel")][0] == ["2024"]
    assert got[("milex_level", "israel")][1] == pytest.approx(
        _milex(con, "israel", "current_usd", 2024) / 1000
    )
    assert got[("milex_change", "israel")][0] == ["2023", "2024"]
    assert got[("milex_burden", "israel")][0] == ["2024"]
    assert all(c.verdict.verdict == "consistent" for c in d.claims)


@pytest.mark.data
def test_flat_trends_and_a_clause_without_its_subject(con) -> None:
    # newsdrum.in, 2025-03-11 (quoting SIPRI: "roughly the same level", "18 per cent higher")
    text = (
        "Published: 2025-03-11\n\nUkraine was the world's largest importer of major arms during 2020-24. The "
        "overall volume of arms transfers globally remained at roughly the same level as in 2015–19 and 2010–14 "
        "(but was 18 per cent higher than in 2005–2009), as increasing imports in Europe and the Americas were "
        "offset by decreases in other regions."
    )
    d = check_article(con, parse_article(text), release="2026-05-18")
    world = [c for c in d.claims if c.claim.kind == "world_change"]
    assert [(c.claim.value, c.claim.relation, [p.label for p in c.claim.periods]) for c in world] == [
        (18.0, "eq", ["2005-2009", "2020-2024"]),
        (0.0, "stable", ["2015-2019", "2020-2024"]),
    ]
    sid = con.execute(
        "SELECT snapshot_id FROM snapshot WHERE release = '2026-05-18' AND layout = 'web_register'"
    ).fetchone()[0]

    def total(a: int, b: int) -> float:
        return con.execute(
            "SELECT sum(tiv) FROM delivery WHERE snapshot_id = ? AND year BETWEEN ? AND ? AND tiv IS NOT NULL",
            [sid, a, b],
        ).fetchone()[0]

    flat = world[1]
    assert flat.evidence.computed == pytest.approx(100 * (total(2020, 2024) / total(2015, 2019) - 1))
    assert abs(flat.evidence.computed) < 3 and flat.verdict.verdict == "consistent"
    # eurasiantimes.com, 2021-03-15: the same phrase between two named periods
    got = _read(
        "Following years of sharp growth, global transfers of major conventional arms remained at the same "
        "level between 2011–2015 and 2016–2020, SIPRI revealed on Monday.",
        "2021-03-15",
    )
    assert got == [("world_change", ["WORLD"], None, None, ["2011-2015", "2016-2020"], 0.0, "stable")]


@pytest.mark.data
def test_share_of_government_spending(con) -> None:
    # here.news summary of SIPRI's 2024 milex release; businesstoday.in phrasing "of total government spending"
    d = check_article(
        con,
        parse_article(
            "Published: 2025-04-28\n\nRussia's military spending rose 38 per cent to $149 billion in 2024, about "
            "19 per cent of total government spending."
        ),
    )
    c = next(c for c in d.claims if c.claim.kind == "milex_other")
    assert (c.claim.subject, c.claim.scope, [p.label for p in c.claim.periods]) == (
        ["russia"],
        "government",
        ["2024"],
    )
    assert c.evidence.computed == pytest.approx(100 * _milex(con, "russia", "share_govt", 2024))
    assert c.verdict.verdict == "consistent"


def test_places_in_a_ranking_named_earlier_in_the_sentence() -> None:
    # newsdrum.in, 2025-03-11 (SIPRI's statement)
    got = _read(
        "The top 10 arms exporters in 2020–24 were the same as those in 2015–19, but Russia (accounting for "
        "7.8 per cent of global arms exports) fell to third place behind France (9.6 per cent), while Italy "
        "(4.8 per cent) jumped from 10th to sixth place.",
        "2025-03-11",
    )
    ranks = [(g[1], g[3], g[4], g[5]) for g in got if g[0] == "rank"]
    assert ranks == [(["russia"], "export", ["2020-2024"], 3.0), (["italy"], "export", ["2020-2024"], 6.0)]
    # menafn.com (Asia Times), 2024-03-11
    got = _read(
        "As for arms exporting countries, the United States, number one on the list, saw a rise of 17% between "
        "2014–18 and 2019–23, while exports by Russia fell by more than half (53%). Arms exports from France "
        "grew by 47% and it supplanted Russia as number two on the global list.",
        "2024-03-11",
    )
    assert [(g[0], g[1], g[3], g[5]) for g in got] == [
        ("rank", ["united-states"], "export", 1.0),
        ("change", ["united-states"], "export", 17.0),
        ("change", ["russia"], "export", -53.0),
        ("rank", ["france"], "export", 2.0),
        ("change", ["france"], "export", 47.0),
    ]


def test_who_overtook_whom() -> None:
    # wargane.com, 2015-03-16: China is third, not Germany; the 143 percent is China's
    got = _read(
        "The volume of U.S. shipments abroad was 23 percent higher from 2010 to 2014 than in the previous five "
        "years. China, with exports increasing 143 percent, overtook Germany as the third-largest arms merchant.",
        "2015-03-16",
    )
    assert [(g[0], g[1], g[4], g[5]) for g in got] == [
        ("change", ["united-states"], ["2005-2009", "2010-2014"], 23.0),
        ("rank", ["china"], ["2010-2014"], 3.0),
        ("change", ["china"], ["2005-2009", "2010-2014"], 143.0),
    ]


@pytest.mark.data
def test_world_spending_in_trillions(con) -> None:
    # malta.news-pravda.com, 2025-04-30 and babel.ua, 2025-04-28 (SIPRI: $2718 bn, +9.4% in 2024)
    d = check_article(
        con,
        parse_article(
            "Published: 2025-04-30\n\nThe Stockholm Peace Research Institute (SIPRI) publishes an annual summary "
            "of global military spending for 2024, which reached $2.718 trillion, which is 9.4% more than in 2023."
        ),
    )
    got = {c.claim.kind: c for c in d.claims}
    level, change = got["milex_level"], got["milex_change"]
    assert (level.claim.subject, level.claim.value, [p.label for p in level.claim.periods]) == (
        ["WORLD"],
        2718.0,
        ["2024"],
    )
    from tests.test_milex_regions import _regional_totals

    world = _regional_totals()["World"]  # SIPRI's world total (its estimates for missing countries included)
    assert level.evidence.computed == pytest.approx(world["2024 (current prices)"])
    assert level.verdict.verdict == "consistent"
    assert [p.label for p in change.claim.periods] == ["2023", "2024"]
    assert change.evidence.computed == pytest.approx(100 * (world["2024"] / world["2023"] - 1))
    assert change.verdict.verdict == "consistent"
    # a world total well above SIPRI's is not SIPRI's
    d = check_article(
        con, parse_article("Published: 2025-04-28\n\nGlobal military spending reached $3.1 trillion in 2024.")
    )
    assert next(c for c in d.claims if c.claim.kind == "milex_level").verdict.verdict == "inconsistent"


def test_some_of_the_top_n_with_the_number_after_top() -> None:
    # eurasiantimes.com, 2021-03-15 (quoting SIPRI)
    got = _read(
        "Between 2011-2015 and 2016-2020, substantial increases in transfers by three of the top five arms "
        "exporters—the USA, France and Germany—were largely offset by declining Russian and Chinese arms exports.",
        "2021-03-15",
    )
    assert got[0][:2] == ("rank", ["united-states", "france", "germany"]) and got[0][5:] == (5.0, "top_n")


@pytest.mark.data
def test_orders_against_the_register(con) -> None:
    # the way news copy states SIPRI-recorded orders ("in 2018 it ordered 4 frigates ... from Turkey")
    text = (
        "Published: 2019-03-11\n\nPakistan has been diversifying its suppliers. In 2018 it ordered 4 frigates "
        "and 30 combat helicopters from Turkey. Pakistan plans to order more ships from Turkey."
    )
    d = check_article(con, parse_article(text), release="2026-05-18")
    orders = [c for c in d.claims if c.claim.kind == "order"]
    assert [(c.claim.subject, c.claim.partner, [p.label for p in c.claim.periods]) for c in orders] == [
        (["pakistan"], "turkiye", ["2018"])
    ]  # the plan is not an order
    sid = con.execute(
        "SELECT snapshot_id FROM snapshot WHERE release = '2026-05-18' AND layout = 'web_register'"
    ).fetchone()[0]
    n = con.execute(
        """SELECT count(*) FROM deal WHERE snapshot_id = ? AND recipient_id = 'pakistan'
           AND supplier_id = 'turkiye' AND order_year = 2018""",
        [sid],
    ).fetchone()[0]
    assert n >= 1 and orders[0].evidence.computed == n
    assert orders[0].verdict.verdict == "consistent"  # the MilGem frigates: 4 ordered in 2018
    d = check_article(
        con,
        parse_article("Published: 2019-03-11\n\nIn 2018 Pakistan ordered 40 tanks from Japan."),
        release="2026-05-18",
    )
    assert next(c for c in d.claims if c.claim.kind == "order").verdict.verdict == "inconsistent"


def test_the_region_is_a_country_s_setting_or_a_nearby_region() -> None:
    # babel.ua, 2025-04-28: Germany's figures, not Europe's; "the region" far from any region is not read
    got = _read(
        "Defense spending in Europe (including Russia) increased by 17%, to $693 billion. Germany increased "
        "its spending the most in the region, by 28% to $88.5 billion. Sweden increased its defense budget by "
        "34% to $12 billion. Russia's spending rose 38% to $149 billion. Spending in the region rose 15% to "
        "$243 billion.",
        "2025-04-28",
    )
    subjects = [(g[0], g[1][0], g[5]) for g in got if g[0].startswith("milex")]
    assert ("milex_change", "germany", 28.0) in subjects and ("milex_level", "germany", 88.5) in subjects
    assert ("milex_change", "region:Europe", 17.0) in subjects
    assert not [s for s in subjects if s[2] in (15.0, 243.0)]


def test_an_unnamed_top_five_keeps_the_whole_for_the_shares_after_it() -> None:
    # wargane.com, 2015-03-16: "the top five" names no countries here, so its 74% is not read as anyone's
    got = _read(
        "The U.S. remained the top exporter in 2010-2014. Taken together, the top five accounted for 74 percent "
        "of all arms exports, with the U.S. accounting for 31 percent and Russia 27 percent.",
        "2015-03-16",
    )
    assert [(g[0], g[1], g[3], g[4], g[5]) for g in got if g[0] == "global_share"] == [
        ("global_share", ["united-states"], "export", ["2010-2014"], 31.0),
        ("global_share", ["russia"], "export", ["2010-2014"], 27.0),
    ]


def test_datelines_and_growth_factors() -> None:
    # newsdrum.in, 2025-03-11: "New Delhi:" is where the report was filed; "100 times" is a factor of growth
    got = _read(
        "New Delhi: Ukraine, which is embroiled in a prolonged conflict with Russia, was the world's largest "
        "importer of major arms during 2020-24, when its imports increased nearly 100 times as compared to the "
        "figures for 2015-19, a new global report said.",
        "2025-03-11",
    )
    assert got == [
        ("rank", ["ukraine"], None, "import", ["2020-2024"], 1.0, "eq"),
        ("change", ["ukraine"], None, "import", ["2015-2019", "2020-2024"], 9900.0, "almost"),
    ]
    # koreaherald.com (AFP), 2026-03-09: the factor is the verb, Europe its subject
    got = _read(
        "STOCKHOLM (AFP) -- Global weapons flows grew by almost 10 percent in the past five years, with Europe "
        "more than tripling imports, a report showed Monday.",
        "2026-03-09",
    )
    assert got[-1] == ("change", ["region:Europe"], None, "import", ["2016-2020", "2021-2025"], 200.0, "gt")


@pytest.mark.data
def test_top_list_without_a_role_takes_the_ranking_before(con) -> None:
    # businesstoday.in-style copy: "The top five — A, B, C, D, and E — together accounted for ..."
    text = (
        "Published: 2025-04-28\n\nIndia is now the fifth-largest military spender in the world in 2024. The top "
        "five — the United States, China, Russia, Germany, and India — together accounted for 60 per cent of "
        "global defence spending."
    )
    d = check_article(con, parse_article(text))
    lst = [c for c in d.claims if c.claim.kind == "milex_rank" and c.claim.relation == "ordered"]
    assert [(c.claim.subject, [p.label for p in c.claim.periods]) for c in lst] == [
        (["united-states", "china", "russia", "germany", "india"], ["2024"])
    ]
    assert lst[0].verdict.verdict == "consistent"
