"""How news pages of the third held-out set (bench/heldout3/annotations.json: Türkiye's and Israel's exports,
Ukraine, Egypt and Nigeria as importers, the 2019 spending table, the SIPRI Top 100) write SIPRI figures:
sentences quoted from those pages, each test naming its page. Evidence is recomputed independently with
SQL over the store's delivery rows of the 2024-04-13 register (ranks by sorting those sums)."""

from __future__ import annotations

from functools import cache

import pytest

from tests.test_claims_heldout2 import _change, _claims, _share
from tests.test_claims_journalism import _tiv


def _order(con, years: tuple[int, int], role: str, where: str = "true") -> list[str]:
    """Countries by TIV delivered in the years, largest first: role 'supplier' or 'recipient'."""
    sid = con.execute(
        "SELECT snapshot_id FROM snapshot WHERE release = '2024-04-13' AND layout = 'delivery_years'"
    ).fetchone()[0]
    rows = con.execute(
        f"""SELECT d.{role}_id, sum(v.tiv) t FROM delivery v JOIN deal d USING (deal_key)
            JOIN entity r ON r.entity_id = d.recipient_id
            WHERE v.snapshot_id = ? AND d.snapshot_id = ? AND v.year BETWEEN ? AND ?
              AND v.tiv IS NOT NULL AND {where} GROUP BY 1 ORDER BY t DESC""",
        [sid, sid, *years],
    ).fetchall()
    return [r[0] for r in rows]


def _holds(c, want: float, tol: float) -> None:
    """The claim's evidence is the independent figure, and its verdict follows the stated tolerance."""
    assert c.evidence.computed == pytest.approx(want)
    assert c.verdict.verdict == ("consistent" if abs(want - c.claim.value) <= tol else "inconsistent")


def _one(got: list, kind: str, **want: object):
    hits = [c for c in got if c.claim.kind == kind and all(getattr(c.claim, k) == v for k, v in want.items())]
    assert len(hits) == 1, [(c.claim.kind, c.claim.subject, c.claim.partner, c.claim.value) for c in got]
    return hits[0]


@pytest.mark.data
def test_a_modifier_letter_apostrophe_is_an_apostrophe(con) -> None:
    # babel.ua, 2023-03-13 (the page writes U+02BC for the apostrophe)
    got = _claims(
        con,
        "Published: 2023-03-13\n\nUkraine accounts for 2% of the worldʼs arms imports over a five-year period."
        "\n\nAccording to experts, the US share in world arms exports increased from 33% to 40%, Franceʼs share "
        "from 7.1% to 11%, while Russiaʼs share decreased from 22% to 16%.",
    )
    ukr = _one(got, "global_share", subject=["ukraine"])
    world = _tiv(con, (2018, 2022), "true")
    assert ukr.evidence.computed == pytest.approx(
        100 * _tiv(con, (2018, 2022), "d.recipient_id = 'ukraine'") / world
    )
    assert ukr.verdict.verdict == "consistent"  # 2.1%
    france = _one(got, "global_share", subject=["france"], value=11.0)
    assert france.evidence.computed == pytest.approx(
        100 * _tiv(con, (2018, 2022), "d.supplier_id = 'france'") / world
    )
    assert france.verdict.verdict == "consistent"  # 11.0%
    assert [c.claim.value for c in got if c.claim.subject == ["russia"]] == [22.0, 16.0]


@pytest.mark.data
def test_shares_of_the_total_exports_and_an_elliptic_list(con) -> None:
    # trtworld.com, 2019-03-12
    got = _claims(
        con,
        "Published: 2019-03-12\n\nThe US holds 36 percent of the total exports of arms while Russia 21 percent, "
        "France 6.8 percent, Germany 6.4 percent and China 5.2 percent which constitute almost 75 percent of "
        "total arms exports around the world in 2014-2018.",
    )
    world = _tiv(con, (2014, 2018), "true")
    for who, verdict in (
        ("united-states", "inconsistent"),
        ("russia", "consistent"),
        ("germany", "consistent"),
    ):
        c = _one(got, "global_share", subject=[who])
        assert c.evidence.computed == pytest.approx(
            100 * _tiv(con, (2014, 2018), f"d.supplier_id = '{who}'") / world
        )
        assert c.verdict.verdict == verdict  # the US had 34.4%: 1.6 points off
    five = _one(got, "global_share", subject=["united-states", "russia", "france", "germany", "china"])
    tops = "d.supplier_id IN ('united-states', 'russia', 'france', 'germany', 'china')"
    assert five.evidence.computed == pytest.approx(100 * _tiv(con, (2014, 2018), tops) / world)
    assert (
        five.evidence.computed > 75.05 and five.verdict.verdict == "inconsistent"
    )  # 'almost' is at most the figure


@pytest.mark.data
def test_a_ranked_list_with_its_shares_respectively(con) -> None:
    # trtworld.com, 2019-03-12
    got = _claims(
        con,
        "Published: 2019-03-12\n\nTop five major weapons importers are Saudi Arabia, India, Egypt, Australia and "
        "Algeria – generating 12 percent, 9.5 percent, 5.1 percent, 4.6 percent and 4.4 percent of total "
        "imports respectively in 2014-2018.",
    )
    order = _order(con, (2014, 2018), "recipient")
    lst = _one(got, "rank", relation="ordered")
    assert lst.claim.subject == ["saudi-arabia", "india", "egypt", "australia", "algeria"]
    assert order.index("australia") + 1 == 6  # Algeria is fifth: the list is out of order
    assert lst.verdict.verdict == "inconsistent"
    shares = [(c.claim.subject[0], c.claim.value) for c in got if c.claim.kind == "global_share"]
    assert shares == [
        ("saudi-arabia", 12.0),
        ("india", 9.5),
        ("egypt", 5.1),
        ("australia", 4.6),
        ("algeria", 4.4),
    ]
    alg = _one(got, "global_share", subject=["algeria"])
    assert alg.evidence.computed == pytest.approx(
        _share(con, (2014, 2018), "d.recipient_id = 'algeria'", "true")
    )


@pytest.mark.data
def test_a_share_on_the_arms_market_is_the_world_share(con) -> None:
    # trtworld.com, 2019-03-12
    got = _claims(
        con,
        "Published: 2019-03-12\n\nThe US has increased its share on the arms sale market to 36 percent in "
        "2014-2018 from 30 percent in 2009-2013.",
    )
    old = _one(got, "global_share", value=30.0)
    assert (old.claim.subject, old.claim.direction, [p.label for p in old.claim.periods]) == (
        ["united-states"],
        "export",
        ["2009-2013"],
    )
    assert old.evidence.computed == pytest.approx(
        _share(con, (2009, 2013), "d.supplier_id = 'united-states'", "true")
    )
    assert old.verdict.verdict == "consistent"  # 30.4%


@pytest.mark.data
def test_rankings_among_one_exporters_customers(con) -> None:
    # i24news.tv, 2024-03-11
    got = _claims(
        con,
        "Published: 2024-03-11\n\nThe United States remain the biggest arms seller in the world, with the main "
        "recipients being Saudi Arabia, Japan and Kuwait.\n\nOther Middle Eastern states constituting the top-10 "
        "buyers of American weapons are Qatar and Israel, which accounted for 3.6% of sales between 2019 and 2023."
        "\n\nAdditionally, Israel is mentioned among the top three clients of Germany's arms industry.",
    )
    us = _order(con, (2019, 2023), "recipient", "d.supplier_id = 'united-states'")
    main = _one(got, "rank", relation="ordered")
    assert (main.claim.subject, main.claim.partner, main.claim.scope) == (
        ["saudi-arabia", "japan", "kuwait"],
        "united-states",
        "recipient_of",
    )
    assert us.index("kuwait") + 1 > 3 and main.verdict.verdict == "inconsistent"
    top10 = _one(got, "rank", relation="top_n", partner="united-states")
    assert max(us.index("qatar"), us.index("israel")) + 1 <= 10 and top10.verdict.verdict == "consistent"
    israel = _one(got, "recipient_share", partner="israel")
    assert israel.claim.subject == ["united-states"]
    assert israel.evidence.computed == pytest.approx(
        _share(con, (2019, 2023), "d.recipient_id = 'israel'", "d.supplier_id = 'united-states'")
    )
    assert israel.verdict.verdict == "consistent"  # 3.6%
    de = _order(con, (2019, 2023), "recipient", "d.supplier_id = 'germany'")
    clients = _one(got, "rank", partner="germany")
    assert (clients.claim.subject, clients.claim.relation, clients.claim.value) == (["israel"], "top_n", 3.0)
    assert (de.index("israel") + 1 <= 3) == (clients.verdict.verdict == "consistent")


@pytest.mark.data
def test_followed_by_continues_the_ranking_stated_before(con) -> None:
    # i24news.tv, 2024-03-11
    got = _claims(
        con,
        "Published: 2024-03-11\n\nThe United States remain the biggest arms seller in the world in 2019-2023."
        "\n\nThe U.S. is followed by France, Russia, China, Germany, Italy, United Kingdom and Spain.",
    )
    lst = _one(got, "rank", relation="ordered")
    names = ["united-states", "france", "russia", "china", "germany", "italy", "united-kingdom", "spain"]
    assert (lst.claim.subject, lst.claim.value, lst.claim.direction) == (names, 1.0, "export")
    assert (_order(con, (2019, 2023), "supplier")[:8] == names) == (lst.verdict.verdict == "consistent")


@pytest.mark.data
def test_the_leading_exporter_to_a_country_and_its_share(con) -> None:
    # tafac.org, 2019 ('Nigeria Listed as The Largest Arms Importer in Sub-Saharan African from 2014-2018')
    got = _claims(
        con,
        "Published: 2019-03-20\n\nThe Stockholm International Peace Research Institute (SIPRI) Research revealed "
        "that Russia is the biggest exporter of arms to Nigeria accounting for 35 per cent, 21 per cent from China "
        "and 15 per cent from the United States in 2014-2018.",
    )
    ru = _one(got, "supplier_share", partner="russia")
    assert ru.claim.subject == ["nigeria"]
    want = _share(con, (2014, 2018), "d.supplier_id = 'russia'", "d.recipient_id = 'nigeria'")
    _holds(ru, want, 1.5)
    assert _order(con, (2014, 2018), "supplier", "d.recipient_id = 'nigeria'")[0] == "russia"
    assert _one(got, "rank", partner="nigeria").verdict.verdict == "consistent"


@pytest.mark.data
def test_the_leading_recipient_of_a_demonyms_arms(con) -> None:
    # turkishminute.com, 2025-03-10 (periods as the 2024-04-13 register holds them)
    got = _claims(
        con,
        "Published: 2024-03-11\n\nThe United Arab Emirates was the leading recipient of Turkish arms in 2019-2023, "
        "accounting for 15 percent of Turkey’s exports during this period.",
    )
    rank = _one(got, "rank")
    assert (rank.claim.subject, rank.claim.partner, rank.claim.scope) == (
        ["united-arab-emirates"],
        "turkiye",
        "recipient_of",
    )
    first = _order(con, (2019, 2023), "recipient", "d.supplier_id = 'turkiye'")[0]
    assert (first == "united-arab-emirates") == (rank.verdict.verdict == "consistent")


def _top100_rows(year: int) -> list[tuple]:
    """(country, arms sales, arms sales the year before at this year's prices) of the year's 100 ranked
    companies, read cell by cell from the Top 100 workbook (subsidiaries, ranked 'S', left out)."""
    import openpyxl

    from tests.conftest import SHARED

    path = next((SHARED / "data/sipri_arms_industry").glob("*.xlsx"))
    rows = list(
        openpyxl.load_workbook(path, read_only=True, data_only=True)[str(year)].iter_rows(values_only=True)
    )
    head = next(i for i, r in enumerate(rows) if r and str(r[0]).startswith("Rank"))
    names = [str(x or "").lower() for x in rows[head]]
    country = next(i for i, x in enumerate(names) if "country" in x)
    sales = next(i for i, x in enumerate(names) if "arms sales" in x and str(year) in x)
    prev = next(i for i, x in enumerate(names) if "constant" in x and str(year - 1) in x)
    return [(r[country], r[sales], r[prev]) for r in rows[head + 1 :] if isinstance(r[0], int)]


@pytest.mark.data
def test_top100_sales_their_change_and_a_countrys_share(con) -> None:
    # tellerreport.com, 2019-12-08 ('Worldwide arms sales increase by 4.6 percent')
    got = _claims(
        con,
        "Published: 2019-12-08\n\nEarth's top 100 defense companies have increased their global arms sales by nearly "
        "five percent over the past year.\n\nThey sold armaments and military services totaling $ 420 billion in "
        "2018 (around € 380 billion), according to the Stockholm-based peace research institute Sipri.\n\nThis "
        "corresponded to an increase of 4.6 percent compared to the previous year.\n\nIn total, US companies spent "
        "$ 246 billion, representing 59 percent of all sales in the top 100 and up 7.2 percent from 2017.\n\nBy "
        "contrast, the figures of the four listed German companies decreased by 3.8 percent overall.",
    )
    rows = _top100_rows(2018)
    total = sum(s for _, s, _ in rows)
    sales = _one(got, "industry_sales", subject=["WORLD"])
    assert sales.evidence.computed == pytest.approx(total / 1000) and sales.verdict.verdict == "consistent"
    for c in (x for x in got if x.claim.kind == "industry_change"):
        country = {"WORLD": None, "united-states": "United States", "germany": "Germany"}[c.claim.subject[0]]
        mine = [(s, p) for k, s, p in rows if country in (None, k)]
        assert [p.label for p in c.claim.periods] == ["2017", "2018"]
        # every company of these groups was in the 2017 table too, bar one Canadian one deflated as the whole's
        want = 100 * (sum(s for s, _ in mine) / sum(p for _, p in mine) - 1)
        assert c.evidence.computed == pytest.approx(want, abs=0.05)
        assert c.verdict.verdict == "consistent"  # 4.6, 4.6 ('nearly five'), 7.2 and -3.8, as SIPRI states
    us = _one(got, "industry_share", subject=["united-states"])
    assert us.evidence.computed == pytest.approx(
        100 * sum(s for k, s, _ in rows if k == "United States") / total
    )
    assert us.verdict.verdict == "consistent"  # 58.5%
    assert not [
        c for c in got if c.claim.kind == "out_of_scope"
    ]  # the US$ figures are Top 100 sales, not deals


def test_top100_words_are_not_top_ten_buyers_and_a_currency_is_not_a_country() -> None:
    from tests.test_claims_reader import _read

    # i24news.tv, 2024-03-11: a top-10 of buyers is a ranking of recipients, not the Top 100
    got = _read(
        "Other Middle Eastern states constituting the top-10 buyers of American weapons are Qatar and Israel, "
        "which accounted for 3.6% of sales between 2019 and 2023.",
        "2024-03-11",
    )
    assert not [g for g in got if g[0].startswith("industry")]
    # top10mobilespecs.com, 2017-12-13 ('Global arms sales rise again after 2010, says SIPRI')
    got = _read(
        "American weapons companies accounted for 58 percent of all weapons sales, taking in $217.2 billion in "
        "2016. Of this, South Korea's arms sector accounted for 2.2 per cent or US$8.4 billion - a 20.6 per cent "
        "rise in sales compared with 2015, the report said.",
        "2017-12-13",
    )
    assert [(g[0], g[1], g[4], g[5]) for g in got] == [
        ("industry_share", ["united-states"], ["2016"], 58.0),
        ("industry_sales", ["united-states"], ["2016"], 217.2),
        ("industry_share", ["south-korea"], ["2016"], 2.2),
        ("industry_sales", ["south-korea"], ["2016"], 8.4),
        ("industry_change", ["south-korea"], ["2015", "2016"], 20.6),
    ]


@pytest.mark.data
def test_a_top100_year_the_workbook_does_not_reach_is_not_checkable(con) -> None:
    # ifpnews.com, 2025-12-02 (AP)
    got = _claims(
        con,
        "Published: 2025-12-02\n\nThe Stockholm International Peace Research Institute, or SIPRI, said the revenues "
        "of the 100 largest arms makers grew to $679 billion in 2024, the highest figure it has recorded.",
    )
    sales = _one(got, "industry_sales", subject=["WORLD"])
    assert (sales.claim.value, [p.label for p in sales.claim.periods]) == (679.0, ["2024"])
    assert sales.verdict.verdict == "not checkable"
    assert "outside the SIPRI Top 100 workbook" in sales.verdict.explanation


@pytest.mark.data
def test_rises_and_falls_without_a_figure(con) -> None:
    # english.newsnationtv.com, 2019-03-11 (dev): "all" makes one claim per country
    got = _claims(
        con,
        "Published: 2019-03-11\n\nIsrael, the USA and France all increased their arms exports to India in 2014-18.",
    )
    rising = [c for c in got if c.claim.kind == "change"]
    assert [c.claim.subject for c in rising] == [["israel"], ["united-states"], ["france"]]
    for c in rising:
        want = _change(
            con,
            (2009, 2013),
            (2014, 2018),
            f"d.supplier_id = '{c.claim.subject[0]}' AND d.recipient_id = 'india'",
        )
        assert (c.claim.partner, c.claim.relation, c.evidence.computed) == (
            "india",
            "rising",
            pytest.approx(want),
        )
        assert c.verdict.verdict == ("consistent" if want > 0 else "inconsistent")
    # thenews.com.pk (AFP), 2021-03-16 (dev): three named together, each must have risen
    got = _claims(
        con,
        "Published: 2021-03-16\n\nComparing the period of 2011-2015 to 2016-2020, three of the world’s five largest "
        "exporters -- the US, France and Germany -- actually increased their exports, but these rises were offset.",
    )
    three = _one(got, "change", relation="rising")
    assert three.claim.subject == ["united-states", "france", "germany"]
    each = [_change(con, (2011, 2015), (2016, 2020), f"d.supplier_id = '{s}'") for s in three.claim.subject]
    assert three.evidence.computed == pytest.approx(min(each))
    assert three.verdict.verdict == ("consistent" if min(each) > 0 else "inconsistent")
    # wqow.com (AP), 2021-03-15 (heldout): demonyms before the flow
    got = _claims(
        con,
        "Published: 2021-03-15\n\nSIPRI compared 2016-2020 with 2011-2015.\n\nRises in sales by three of the top "
        "five arms exporters — the United States, France and Germany — were largely offset by declining Russian and "
        "Chinese arms exports.",
    )
    falling = _one(got, "change", relation="falling")
    assert falling.claim.subject == ["russia", "china"]
    each = [_change(con, (2011, 2015), (2016, 2020), f"d.supplier_id = '{s}'") for s in ("russia", "china")]
    assert falling.evidence.computed == pytest.approx(max(each))
    assert falling.verdict.verdict == ("consistent" if max(each) < 0 else "inconsistent")
    assert _one(got, "change", relation="rising").claim.subject == ["united-states", "france", "germany"]


@pytest.mark.data
def test_a_fall_of_the_sentences_country_and_of_the_world(con) -> None:
    # bofit.fi, 2017 (dev): "the volume of imports" is the sentence's country's
    got = _claims(
        con,
        "Published: 2017-03-03\n\nThe report compared 2012–2016 with 2007–2011.\n\nWith a nearly 5 % share of arms "
        "imports, China is also the world's fourth-largest arms buyer even if the volume of imports has fallen.",
    )
    fell = _one(got, "change", relation="falling")
    want = _change(con, (2007, 2011), (2012, 2016), "d.recipient_id = 'china'")
    assert (fell.claim.subject, fell.claim.direction, fell.evidence.computed) == (
        ["china"],
        "import",
        pytest.approx(want),
    )
    assert fell.verdict.verdict == ("consistent" if want < 0 else "inconsistent")
    # dailysabah.com, 2024-03-11 (heldout2)
    got = _claims(
        con,
        "Published: 2024-03-11\n\nArms imports to Europe rose by 94% in 2019-2023, compared to the preceding "
        "five-year period, while overall global arms transfers decreased slightly in the stated period.",
    )
    world = _one(got, "world_change", relation="falling")
    want = _change(con, (2014, 2018), (2019, 2023), "true")
    assert world.evidence.computed == pytest.approx(want)
    assert world.verdict.verdict == ("consistent" if want < 0 else "inconsistent")


def _rank_of(con, years: tuple[int, int], role: str, who: str, where: str = "true") -> int:
    return _order(con, years, role, where).index(who) + 1


@pytest.mark.data
def test_a_place_in_brackets_and_the_main_supplier_to_both_states(con) -> None:
    # cm.asiae.co.kr, 2025-03-10 (heldout), with the periods of the 2024-04-13 register
    got = _claims(
        con,
        "Published: 2024-03-11\n\nThe report compared 2019-2023 with 2014-2018.\n\nDuring the same period, "
        "Russia's arms exports sharply declined to about 11% (third place).",
    )
    place = _one(got, "rank")
    assert (place.claim.subject, place.claim.direction, place.claim.value) == (["russia"], "export", 3.0)
    assert (_rank_of(con, (2019, 2023), "supplier", "russia") == 3) == (place.verdict.verdict == "consistent")
    # asiatimes (sureanot.com), 2024-03-12 (heldout)
    got = _claims(
        con,
        "Published: 2024-03-12\n\nJapan (up 155%) and South Korea (up 6.5%) increased their arms imports between "
        "2014–18 and 2019–23.\n\nThe USA is the main supplier to both states, accounting for 97 per cent of Japan’s "
        "arms imports and 72 per cent of South Korea’s.",
    )
    main = [c for c in got if c.claim.kind == "rank"]
    assert [(c.claim.subject, c.claim.partner, c.claim.scope) for c in main] == [
        (["united-states"], "japan", "supplier_of"),
        (["united-states"], "south-korea", "supplier_of"),
    ]
    for c in main:
        first = _order(con, (2019, 2023), "supplier", f"d.recipient_id = '{c.claim.partner}'")[0]
        assert (first == "united-states") == (c.verdict.verdict == "consistent")


@pytest.mark.data
def test_shares_going_on_from_the_sentence_before(con) -> None:
    # turkishminute.com, 2025-03-10, with the periods of the 2024-04-13 register
    got = _claims(
        con,
        "Published: 2024-03-11\n\nThe United Arab Emirates was the leading recipient of Turkish arms in 2019-2023, "
        "accounting for 18 percent of Turkey’s exports during this period.\n\nPakistan and Qatar followed, with 10 "
        "percent and 9.9 percent, respectively.",
    )
    whole = "d.supplier_id = 'turkiye'"
    for who, value in (("pakistan", 10.0), ("qatar", 9.9)):
        c = _one(got, "recipient_share", partner=who)
        assert (c.claim.subject, c.claim.value) == (["turkiye"], value)
        want = _share(con, (2019, 2023), f"d.recipient_id = '{who}'", whole)
        _holds(c, want, 1.5)
    # news.online.ua, 2025-03-10, with the periods of the 2024-04-13 register
    got = _claims(
        con,
        "Published: 2024-03-11\n\nIn 2019-23 it is followed by France as the second largest arms exporter (9.6%, 65 "
        "countries), Germany (5.6%), Italy 4.8%.\n\nChina accounts for 5.9%, but many major importers do not buy "
        "Chinese weapons for political reasons.",
    )
    world = _tiv(con, (2019, 2023), "true")
    for who in ("france", "germany", "italy", "china"):
        c = _one(got, "global_share", subject=[who])
        assert c.claim.direction == "export"
        want = 100 * _tiv(con, (2019, 2023), f"d.supplier_id = '{who}'") / world
        _holds(c, want, 1.5)


@pytest.mark.data
def test_changes_to_partners_in_brackets_and_elided_comparisons(con) -> None:
    # babel.ua, 2023-03-13
    got = _claims(
        con,
        "Published: 2023-03-13\n\nThe report compared 2018-2022 with 2013-2017.\n\nAt the same time, the Russian "
        "Federation increased arms exports to China (by 39%) and Egypt (by 44%).",
    )
    for who, value in (("china", 39.0), ("egypt", 44.0)):
        c = _one(got, "change", partner=who)
        assert (c.claim.subject, c.claim.direction, c.claim.value) == (["russia"], "export", value)
        want = _change(
            con, (2013, 2017), (2018, 2022), f"d.supplier_id = 'russia' AND d.recipient_id = '{who}'"
        )
        _holds(c, want, 5)
    # trtworld.com, 2019-03-12
    got = _claims(
        con,
        "Published: 2019-03-12\n\nTurkey’s arms export increased by 170 percent in 2014-2018 than in 2009-2013.\n\n"
        "Total volume of transfers of arms was increased 7.8 percent in 2014-2018 than in 2009-2013 and 23 percent "
        "than in 2004-2008, while Turkey had recorded 170 percent increase.",
    )
    longer = _one(got, "world_change", value=23.0)
    assert [p.label for p in longer.claim.periods] == ["2004-2008", "2014-2018"]
    want = _change(con, (2004, 2008), (2014, 2018), "true")
    _holds(longer, want, 5)
    turkey = [c for c in got if c.claim.kind == "change" and c.claim.subject == ["turkiye"]]
    assert [(c.claim.direction, c.claim.value) for c in turkey] == [("export", 170.0), ("export", 170.0)]
    want = _change(con, (2009, 2013), (2014, 2018), "d.supplier_id = 'turkiye'")
    assert turkey[-1].evidence.computed == pytest.approx(want)
    assert turkey[-1].verdict.verdict == "inconsistent"  # +103%: 170 is beyond a tenth of the figure


@cache
def _sheet(name: str, year: int) -> dict[str, float]:
    """Country -> the workbook's cell for the year on one sheet ('Current US$' in US$ m, 'Constant (2023) US$',
    'Share of GDP' as a fraction), read cell by cell with openpyxl."""
    import openpyxl

    from armatlas.entities.register import load_register
    from tests.test_milex_regions import WORKBOOK

    rows = list(
        openpyxl.load_workbook(WORKBOOK, read_only=True, data_only=True)[name].iter_rows(values_only=True)
    )
    head = next(i for i, r in enumerate(rows) if r and r[0] == "Country")
    col = next(i for i, v in enumerate(rows[head]) if v == year)
    reg = load_register()
    return {
        reg.resolve(r[0], "sipri_milex"): r[col]
        for r in rows[head + 1 :]
        if r and r[0] and len(r) > col and isinstance(r[col], (int, float))
    }


@pytest.mark.data
def test_the_2019_spending_table_as_a_news_page_wrote_it(con) -> None:
    # defensemirror.com, 2020 ('Saudi Arabia's Defence Expenditure Fell 16% in 2019 Despite Yemen War')
    got = _claims(
        con,
        "Published: 2020-04-27\n\nSaudi Arabia spent $61.9Billion on military expenditure in 2019 compared to "
        "67.6Billion in 2018- a decline of 16% which is surprising considering its ongoing war in Yemen.\n\nSaudi "
        "Arabia has been facing pressure from falling oil revenues as is evident from defence expenditure as "
        "percentage of GDP remaining at a high 8% despite the fall in total expenditure.\n\nThe fall in defence "
        "spending pushed Saudi Arabia to fourth place, behind India, this year where the first two spots were "
        "occupied by the United States and China.\n\nChina’s military expenditure reached $261 billion in 2019, a "
        "5.1 per cent increase compared with 2018, while India’s grew by 6.8 per cent to $71.1 billion.",
    )
    before = _one(got, "milex_level", value=67.6)
    assert (before.claim.subject, [p.label for p in before.claim.periods]) == (["saudi-arabia"], ["2018"])
    assert before.evidence.computed == pytest.approx(_sheet("Current US$", 2018)["saudi-arabia"] / 1000)
    burden = _one(got, "milex_burden")
    assert burden.evidence.computed == pytest.approx(100 * _sheet("Share of GDP", 2019)["saudi-arabia"])
    usd = _sheet("Current US$", 2019)
    order = sorted(usd, key=lambda e: -usd[e])
    fourth = _one(got, "milex_rank", subject=["saudi-arabia"])
    assert fourth.claim.value == 4.0
    assert (order.index("saudi-arabia") + 1 == 4) == (fourth.verdict.verdict == "consistent")
    top = _one(got, "milex_rank", relation="ordered")
    assert top.claim.subject == ["united-states", "china"]
    assert (order[:2] == top.claim.subject) == (top.verdict.verdict == "consistent")
    india = _one(got, "milex_change", subject=["india"])
    real = 100 * (
        _sheet("Constant (2023) US$", 2019)["india"] / _sheet("Constant (2023) US$", 2018)["india"] - 1
    )
    assert (india.claim.value, india.evidence.computed) == (6.8, pytest.approx(real))
    level = _one(got, "milex_level", subject=["india"])
    assert (level.claim.value, level.evidence.computed) == (71.1, pytest.approx(usd["india"] / 1000))
    assert level.verdict.verdict == (
        "consistent" if abs(usd["india"] / 1000 - 71.1) <= 0.05 + 0.015 * 71.1 else "inconsistent"
    )


@pytest.mark.data
def test_a_share_then_the_same_flows_change_and_its_importer(con) -> None:
    # osoulmisrmagazine.com, 2020-06-22 ('Egypt was the world’s third largest arms importer in 2015-19, SIPRI')
    got = _claims(
        con,
        "Published: 2020-06-22\n\nEgypt was the third-largest arms importer in the world in 2015–19.\n\nIts arms "
        "imports accounted for 5.8 per cent of the global total and were 212 per cent higher than in 2010–14, "
        "according to researching independent international institute SIPRI.\n\nAlthough US arms exports to Egypt "
        "remained stable in 2015–19, the USA was only the third-largest arms supplier to Egypt in the period and "
        "accounted for 15 per cent of its arms imports, down from 47 per cent in 2010–14.",
    )
    up = _one(got, "change", subject=["egypt"])
    want = _change(con, (2010, 2014), (2015, 2019), "d.recipient_id = 'egypt'")
    assert (up.claim.direction, up.claim.value) == ("import", 212.0)
    _holds(up, want, 21.2)
    assert not [c for c in got if c.claim.kind == "share_change"]
    us = _one(got, "supplier_share", value=15.0)
    assert (us.claim.subject, us.claim.partner) == (["egypt"], "united-states")
    _holds(us, _share(con, (2015, 2019), "d.supplier_id = 'united-states'", "d.recipient_id = 'egypt'"), 1.5)


@pytest.mark.data
def test_a_participle_change_is_the_sentence_countrys(con) -> None:
    # news.online.ua, 2025-03-10, with the periods of the 2024-04-13 register
    got = _claims(
        con,
        "Published: 2024-03-11\n\nUkraine became the world's fourth largest importer of major weapons in 2019-23, "
        "increasing imports almost 100-fold compared to 2014-18, while Russian exports fell by 53%.",
    )
    fold = _one(got, "change", subject=["ukraine"])
    want = _change(con, (2014, 2018), (2019, 2023), "d.recipient_id = 'ukraine'")
    assert (fold.claim.direction, fold.claim.value, fold.claim.relation) == ("import", 9900.0, "almost")
    assert fold.evidence.computed == pytest.approx(want)
    # 'almost 100-fold' is at most 9900% and within 15% under it (a stated factor rounds)
    assert fold.verdict.verdict == ("consistent" if 0.85 * 9900 - 0.5 <= want <= 9900.05 else "inconsistent")
    assert _one(got, "change", subject=["russia"]).claim.value == -53.0


_SUB_SAHARAN = """SELECT entity_id FROM entity WHERE subregion = 'sub-Saharan Africa'"""


@pytest.mark.data
def test_a_ranking_within_a_region_and_the_next_sentence_in_it(con) -> None:
    # tafac.org, 2019 ('Nigeria Listed as The Largest Arms Importer in Sub-Saharan African from 2014-2018')
    got = _claims(
        con,
        "Published: 2019-03-20\n\nNigeria, emerged as one of the top five arms importers in sub-Saharan Africa "
        "although the report showed a decrease in arms importation in Africa by 45 per cent from 2009-2013 and "
        "2014-2018.\n\nTrends in International Arms Transfer, revealed that amongst other four sub-saharan countries "
        "— Angola, Sudan, Cameroon and Senegal, Nigeria came first place as the largest arms importer from 2014-2018.",
    )
    region = f"d.recipient_id IN ({_SUB_SAHARAN})"
    rank = _rank_of(con, (2014, 2018), "recipient", "nigeria", region)
    top5 = _one(got, "region_rank", relation="top_n")
    assert (top5.claim.subject, top5.claim.value) == (["nigeria"], 5.0)
    assert top5.evidence.computed == rank and top5.verdict.verdict == (
        "consistent" if rank <= 5 else "inconsistent"
    )
    first = _one(got, "region_rank", relation="eq")
    assert first.claim.value == 1.0 and first.verdict.verdict == (
        "consistent" if rank == 1 else "inconsistent"
    )
    assert not [c for c in got if c.claim.kind == "rank"]  # not the world's largest importer
    africa = _one(got, "change", subject=["region:Africa"])
    want = _change(con, (2009, 2013), (2014, 2018), "r.region = 'Africa'")
    assert (africa.claim.direction, africa.claim.value) == ("import", -45.0)
    _holds(africa, want, 5.0)


@pytest.mark.data
def test_counts_of_states_with_a_year_or_in_a_ranked_bracket(con) -> None:
    # babel.ua, 2023-03-13
    got = _claims(
        con,
        "Published: 2023-03-13\n\nAccording to the report of 29 states that supplied arms to Ukraine in 2022, the "
        "main suppliers were the United States, which accounted for 35% of total Ukrainian arms imports during the "
        "year.",
    )
    count = _one(got, "supplier_count")
    assert (count.claim.subject, count.claim.value, [p.label for p in count.claim.periods]) == (
        ["ukraine"],
        29.0,
        ["2022"],
    )
    sid = con.execute(
        "SELECT snapshot_id FROM snapshot WHERE release = '2024-04-13' AND layout = 'delivery_years'"
    ).fetchone()[0]
    states = con.execute(
        """SELECT count(DISTINCT d.supplier_id) FROM delivery v JOIN deal d USING (deal_key)
           JOIN entity s ON s.entity_id = d.supplier_id
           WHERE v.snapshot_id = ? AND d.snapshot_id = ? AND v.year = 2022 AND v.tiv IS NOT NULL
             AND d.recipient_id = 'ukraine' AND s.kind = 'state'""",
        [sid, sid],
    ).fetchone()[0]
    assert count.evidence.computed == states
    assert count.verdict.verdict == ("consistent" if states == 29 else "inconsistent")
    assert _one(got, "rank").claim.partner == "ukraine"  # the main supplier to Ukraine, not a world rank
    # news.online.ua, 2025-03-10: the figures in brackets after a ranked exporter
    got = _claims(
        con,
        "Published: 2024-03-11\n\nIn 2019-23 it is followed by France as the second largest arms exporter (9.6%, 65 countries).",
    )
    reach = _one(got, "exports_reach")
    assert (reach.claim.subject, reach.claim.value) == (["france"], 65.0)


@pytest.mark.data
def test_five_of_the_top_ten_after_a_colon(con) -> None:
    # osoulmisrmagazine.com, 2020-06-22
    got = _claims(
        con,
        "Published: 2020-06-22\n\nFive of the world’s top 10 arms-importing countries in 2015–19 were in the Middle "
        "East: Saudi Arabia, which received 35 per cent of arms transfers to the region, Egypt (16 per cent), the "
        "UAE (9.7 per cent), Iraq (9.7 per cent) and Qatar",
    )
    top = _one(got, "rank", relation="top_n")
    assert (top.claim.subject, top.claim.value) == (
        ["saudi-arabia", "egypt", "united-arab-emirates", "iraq", "qatar"],
        10.0,
    )
    order = _order(con, (2015, 2019), "recipient")
    assert all(order.index(s) < 10 for s in top.claim.subject) == (top.verdict.verdict == "consistent")


# Pages probed after the rules above, to see how the checker reads pages it was not written for; the rules
# below come from their misreadings, and each test quotes the page.


@pytest.mark.data
def test_one_countrys_share_in_anothers_exports_and_elided_possessives(con) -> None:
    # hurriyetdailynews.com ('Türkiye’s share in global arms exports increases: Report', SIPRI 2019-23)
    got = _claims(
        con,
        "Published: 2024-03-11\n\nThe main recipients of Türkiye’s arms exports in 2019-2023 were the United Arab "
        "Emirates, Qatar and Pakistan. The UAE’s share in Türkiye’s arms exports was 15 percent, Qatar’s was 13 "
        "percent and Pakistan’s was 11 percent.",
    )
    whole = "d.supplier_id = 'turkiye'"
    for who, value in (("united-arab-emirates", 15.0), ("qatar", 13.0), ("pakistan", 11.0)):
        c = _one(got, "recipient_share", partner=who)
        assert (c.claim.subject, c.claim.value) == (["turkiye"], value)
        _holds(c, _share(con, (2019, 2023), f"d.recipient_id = '{who}'", whole), 1.5)
    assert not [c for c in got if c.claim.kind == "global_share"]


@pytest.mark.data
def test_a_group_share_without_its_list_and_a_change_larger_than_the_share(con) -> None:
    # dnaindia.com, 2025-06-29, checked on the newest register (2026-05-18, which covers 2020-24)
    from tests.test_claims_heldout import _claims as claims_on

    got = claims_on(
        con,
        "Published: 2025-06-29\n\nEuropean countries saw a 155% rise in arms imports during the 2020–2024 period "
        "compared to 2015–2019.\n\nThe report notes that the five biggest arms importers in the world accounted for "
        "35% of total global arms imports.\n\nIndia was ranked the second-largest arms importer during the same "
        "period, with 8.3% of the world’s total imports. However, India's share has dropped by 9.3% compared to the "
        "previous five-year period (2015–2019).",
        "2026-05-18",
    )

    def change(where: str) -> float:
        def tiv(years: tuple[int, int]) -> float:
            return _tiv(con, years, where, release="2026-05-18", layout="web_register")

        return 100 * (tiv((2020, 2024)) / tiv((2015, 2019)) - 1)

    _holds(_one(got, "change", subject=["region:Europe"]), change("r.region = 'Europe'"), 5.0)
    assert not [
        c for c in got if c.claim.kind == "global_share" and c.claim.value == 35.0
    ]  # no list to own it
    india = _one(got, "change", subject=["india"])  # no share of 8.3% drops by 9.3 points
    assert (india.claim.direction, [p.label for p in india.claim.periods]) == (
        "import",
        ["2015-2019", "2020-2024"],
    )
    _holds(india, change("d.recipient_id = 'india'"), 5.0)
    assert not [c for c in got if c.claim.kind == "share_change"]


@pytest.mark.data
def test_a_share_change_by_a_period_and_a_customer_ranking_of_its(con) -> None:
    # infobalkans.com, 2023-03-13 ('SIPRI: Turkey Arms Exports Grew by 69 per cent in 2018-2022')
    got = _claims(
        con,
        "Published: 2023-03-13\n\nTurkey's global share of the trade also increased in the period 2018-2022, by 0.5 "
        "per cent. Turkey's arms exports comprise 1.1 per cent of all global arms exports.\n\nAccording to the SIPRI "
        "report, its top three customers are Qatar, United Arab Emirates and Oman.\n\nTurkey was the 27th largest "
        "recipient of US arms in 2018-22, down from 7th largest in 2013-17.",
    )
    share = "d.supplier_id = 'turkiye'"
    up = _one(got, "share_change")
    want = _share(con, (2018, 2022), share, "true") - _share(con, (2013, 2017), share, "true")
    assert up.claim.value == 0.5 and up.evidence.computed == pytest.approx(want)
    _holds(_one(got, "global_share", subject=["turkiye"]), _share(con, (2018, 2022), share, "true"), 1.5)
    top3 = _one(got, "rank", relation="ordered")
    assert (top3.claim.subject, top3.claim.partner) == (["qatar", "united-arab-emirates", "oman"], "turkiye")
    before = _one(got, "rank", value=7.0)
    assert [p.label for p in before.claim.periods] == ["2013-2017"]
    us = _order(con, (2013, 2017), "recipient", "d.supplier_id = 'united-states'")
    assert (us.index("turkiye") + 1 == 7) == (before.verdict.verdict == "consistent")


@pytest.mark.data
def test_whose_spending_and_a_change_between_two_years(con) -> None:
    # argaam.com, 2016-04-06 ('Saudi Arabia ranks as world's third biggest military spender')
    got = _claims(
        con,
        "Published: 2016-04-06\n\nWithin the Middle East region, the largest increase came from Iraq, whose military "
        "spending stood at $13.1 billion in 2015 – 35 percent higher than 2014.\n\n“Iran’s military expenditure "
        "decreased by 30 percent between 2006 and 2015, with spending in 2015 standing at $10.3 billion,” the report "
        "said.",
    )
    const = "Constant (2023) US$"
    iraq = _one(got, "milex_level", subject=["iraq"])
    assert iraq.evidence.computed == pytest.approx(_sheet("Current US$", 2015)["iraq"] / 1000)
    rise = _one(got, "milex_change", subject=["iraq"])
    assert rise.evidence.computed == pytest.approx(
        100 * (_sheet(const, 2015)["iraq"] / _sheet(const, 2014)["iraq"] - 1)
    )
    iran = _one(got, "milex_change", subject=["iran"])
    assert [p.label for p in iran.claim.periods] == ["2006", "2015"]
    want = 100 * (_sheet(const, 2015)["iran"] / _sheet(const, 2006)["iran"] - 1)
    assert iran.evidence.computed == pytest.approx(want)
    assert iran.verdict.verdict == ("consistent" if abs(want + 30) <= 1.0 else "inconsistent")


def test_top100_companies_of_another_clause_are_not_the_figures_owner() -> None:
    from tests.test_claims_reader import _read

    # wispro.org, 2014-12 ('SIPRI Releases Top 100 Defense Company Data')
    got = _read(
        "Sales of arms and military services by the world’s 100 largest arms-producing companies declined for a "
        "third consecutive year to $402 billion in 2013. SIPRI’s Top 100 Companies’ data reveals that sales by "
        "companies headquartered in the United States and Canada continued to show a moderate decline, while sales "
        "by Russian-based companies increased by 20 percent in 2013.",
        "2014-12-15",
    )
    assert [(g[0], g[1], g[4], g[5]) for g in got] == [("industry_sales", ["WORLD"], ["2013"], 402.0)]


@pytest.mark.data
def test_the_countries_that_exported_or_imported_the_most(con) -> None:
    # no1geekfun.com, 2019-03 ("Turkey's Arms Exports Increased by 170%")
    got = _claims(
        con,
        "Published: 2019-03-11\n\nThe report compared 2014-2018 with 2009-2013.\n\nThe top five countries that "
        "exported the most weapons were the US, Russia, France, Germany and China, respectively.\n\nSaudi Arabia, "
        "India, Egypt, Australia and Algeria were the five countries that imported the most weapons.",
    )
    exporters, importers = [c for c in got if c.claim.kind == "rank"]
    assert (exporters.claim.direction, exporters.claim.subject) == (
        "export",
        ["united-states", "russia", "france", "germany", "china"],
    )
    top = _order(con, (2014, 2018), "supplier")[:5]
    assert (set(top) == set(exporters.claim.subject)) == (exporters.verdict.verdict == "consistent")
    assert importers.claim.direction == "import"
    top = _order(con, (2014, 2018), "recipient")[:5]
    assert "australia" not in top and importers.verdict.verdict == "inconsistent"  # sixth in 2014-18
