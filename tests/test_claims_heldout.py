"""How news pages of the session-4 held-out set (bench/heldout/annotations.json) write SIPRI
figures: sentences quoted from those pages, each test naming its page. Evidence is recomputed
independently: transfers with SQL over the store's delivery rows, spending from the milex workbook
read cell by cell with openpyxl."""

from __future__ import annotations

from functools import cache

import pytest

from armatlas.claims import check_article, parse_article
from tests.test_claims_journalism import RELEASE_2024, _tiv
from tests.test_milex_regions import WORKBOOK, _members


@cache
def _current_usd(year: int) -> dict[str, float]:
    """Country -> military spending in current US$ m for the year, from the 'Current US$' sheet."""
    import openpyxl

    from armatlas.entities.register import load_register

    wb = openpyxl.load_workbook(WORKBOOK, read_only=True, data_only=True)
    rows = list(wb["Current US$"].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "Country")
    col = next(i for i, v in enumerate(rows[head]) if v == year)
    reg = load_register()
    return {
        reg.resolve(r[0], "sipri_milex"): r[col]
        for r in rows[head + 1 :]
        if r and r[0] and len(r) > col and isinstance(r[col], (int, float))
    }


def _ranks(year: int, region: str | None = None) -> dict[str, int]:
    from armatlas.entities.register import load_register

    reg = load_register()
    inside = {reg.resolve(n, "sipri_milex") for n in _members(region)} if region else None
    vals = {e: v for e, v in _current_usd(year).items() if inside is None or e in inside}
    return {e: i + 1 for i, e in enumerate(sorted(vals, key=lambda e: -vals[e]))}


def _claims(con, text: str, release: str | None = None) -> list:
    return check_article(con, parse_article(text), release=release).claims


@pytest.mark.data
def test_share_of_the_total_is_the_worlds(con) -> None:
    # news.abs-cbn.com (Kyodo), 2022-03-14
    got = _claims(
        con,
        "Published: 2022-03-14\n\nThe report compared weapons transactions worldwide for the five years through "
        "2021 to the previous five years through 2016.\n\nIndia was the top importer, accounting for 11 percent "
        "of the total.",
        RELEASE_2024,
    )
    share = next(c for c in got if c.claim.kind == "global_share")
    assert (share.claim.subject, share.claim.direction, [p.label for p in share.claim.periods]) == (
        ["india"],
        "import",
        ["2017-2021"],
    )
    india = _tiv(con, (2017, 2021), "d.recipient_id = 'india'")
    assert share.evidence.computed == pytest.approx(100 * india / _tiv(con, (2017, 2021), "true"))
    assert share.verdict.verdict == "consistent"


@pytest.mark.data
def test_the_kingdom_and_the_gulf_country_are_the_country_before(con) -> None:
    # english.alarabiya.net, 2023-03-13
    got = _claims(
        con,
        "Published: 2023-03-13\n\nSaudi Arabia ranked as the second largest arms importer globally in 2018-2022."
        "\n\nThe Kingdom’s overall imports decreased by 8.7 percent when comparing between 2013-2017 and "
        "2018-2022.\n\nQatar ranked as the third largest arms importer over the past five years."
        "\n\nThe Gulf country’s main suppliers and their share of its total imports: US (42 percent), France "
        "(29 percent) and Italy (14 percent).",
        RELEASE_2024,
    )
    change = next(c for c in got if c.claim.kind == "change")
    assert change.claim.subject == ["saudi-arabia"]
    saudi = "d.recipient_id = 'saudi-arabia'"
    want = 100 * (_tiv(con, (2018, 2022), saudi) / _tiv(con, (2013, 2017), saudi) - 1)
    assert change.evidence.computed == pytest.approx(want)
    shares = [c for c in got if c.claim.kind == "supplier_share"]
    assert [(c.claim.subject, c.claim.partner, c.claim.value) for c in shares] == [
        (["qatar"], "united-states", 42.0),
        (["qatar"], "france", 29.0),
        (["qatar"], "italy", 14.0),
    ]


@pytest.mark.data
def test_spending_ranks_within_sipris_subregion(con) -> None:
    # marabi.net, 2022 (SIPRI Fact Sheet on 2021)
    got = _claims(
        con,
        "Published: 2022\n\nIn 2021, military spending in sub-Saharan Africa totaled $20.1 billion. The increase "
        "in 2021 was the first in Africa since 2014 and was mainly driven by Nigeria, the subregion’s biggest "
        "spender.\n\nSouth Africa, the second biggest spender in the sub-region, cut its military spending by "
        "13% to $3.3 billion in 2021.\n\nKenya, Uganda and Angola were, respectively, the third, fourth and "
        "fifth largest military spenders in sub-Saharan Africa.",
    )
    ranks = [c for c in got if c.claim.kind == "milex_rank"]
    want = _ranks(2021, "sub-Saharan Africa")
    assert [(c.claim.subject, c.claim.partner, c.claim.value) for c in ranks] == [
        (["nigeria"], "region:sub-Saharan Africa", 1.0),
        (["south-africa"], "region:sub-Saharan Africa", 2.0),
        (["kenya", "uganda", "angola"], "region:sub-Saharan Africa", 3.0),
    ]
    assert [r.evidence.computed for r in ranks[:2]] == [want["nigeria"], want["south-africa"]]
    listed = [want[e] for e in ("kenya", "uganda", "angola")]
    assert ranks[2].evidence.detail["ranks"] == dict(zip(["kenya", "uganda", "angola"], listed, strict=True))
    assert ranks[2].verdict.verdict == ("consistent" if listed == [3, 4, 5] else "inconsistent")


@pytest.mark.data
def test_biggest_after_a_list_and_a_ranking_continued(con) -> None:
    # middleeastmonitor.com, 2024-04-23
    got = _claims(
        con,
        "Published: 2024-04-23\n\nSaudi Arabia bought more arms than any country in the Middle East in 2023, "
        "according to the Stockholm International Peace Research Institute (SIPRI).\n\nThe think tank’s latest report said that Riyadh spent $76 billion on arms in "
        "2023, a four per cent increase compared to the previous year, making it the biggest spender after the "
        "US, China, Russia and India.\n\nIsrael came in second after Saudi Arabia in the region, with spending "
        "amounting to $27.5 billion.\n\nAlgeria recorded a 76 per cent increase in military spending, reaching "
        "$18.3 billion, while Iran ranked fourth with $10.3 billion.",
    )
    ranks = {c.claim.subject[0]: c for c in got if c.claim.kind == "milex_rank"}
    assert ranks["saudi-arabia"].claim.value == 5.0 and ranks["saudi-arabia"].claim.partner is None
    assert ranks["saudi-arabia"].evidence.computed == _ranks(2023)["saudi-arabia"]
    middle_east = _ranks(2023, "Middle East")
    for who, rank in (("israel", 2.0), ("iran", 4.0)):
        assert (ranks[who].claim.partner, ranks[who].claim.value) == ("region:Middle East", rank)
        assert ranks[who].evidence.computed == middle_east[who]


@cache
def _sheet(name: str) -> dict[str, dict[int, float]]:
    """Entity id -> {year: value} of one country sheet of the workbook."""
    import openpyxl

    from armatlas.entities.register import load_register

    wb = openpyxl.load_workbook(WORKBOOK, read_only=True, data_only=True)
    rows = list(wb[name].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r and r[0] == "Country")
    years = {i: int(v) for i, v in enumerate(rows[head]) if isinstance(v, (int, float))}
    reg = load_register()
    return {
        reg.resolve(r[0], "sipri_milex"): {
            y: r[i] for i, y in years.items() if i < len(r) and isinstance(r[i], (int, float))
        }
        for r in rows[head + 1 :]
        if r and r[0] and any(isinstance(x, (int, float)) for x in r[1:])
    }


def _real_change(who: str, y0: int, y1: int) -> float:
    const = _sheet("Constant (2023) US$")[who]
    return 100 * (const[y1] / const[y0] - 1)


@pytest.mark.data
def test_signed_figures_and_money_listed_respectively(con) -> None:
    # defenceweb.co.za (2019) and en.sputniknews.africa (2023-04-24)
    got = _claims(
        con,
        "Published: 2019\n\nThe decreases in spending by Angola and Sudan (–18% and –49%, respectively) largely "
        "accounted for the decline in military spending in sub-Saharan Africa in 2018.",
    )
    changes = {c.claim.subject[0]: c for c in got if c.claim.kind == "milex_change"}
    assert {k: c.claim.value for k, c in changes.items()} == {"angola": -18.0, "sudan": -49.0}
    for who in ("angola", "sudan"):
        assert changes[who].evidence.computed == pytest.approx(_real_change(who, 2017, 2018))
    got = _claims(
        con,
        "Published: 2023-04-24\n\nLeading African countries in terms of military spending are North Africa's "
        "Algeria, Morocco and Egypt, which spent $9.1 billion, $4.9 billion and $4.6 billion, respectively."
        "\n\nNigeria and South Africa rank 4th and 5th in Africa ($3.1 billion and $2.9 billion, respectively).",
    )
    levels = {c.claim.subject[0]: c for c in got if c.claim.kind == "milex_level"}
    current = _sheet("Current US$")
    for who, stated in (("morocco", 4.9), ("nigeria", 3.1), ("south-africa", 2.9)):
        assert levels[who].claim.value == stated
        assert levels[who].evidence.computed == pytest.approx(current[who][2022] / 1000)
    # 4.995 written as $4.9 billion: cut rather than rounded, within the stated digit plus 1.5%
    assert levels["morocco"].verdict.verdict == "consistent"
    (ranked,) = [c for c in got if c.claim.kind == "milex_rank"]
    assert (ranked.claim.subject, ranked.claim.partner, ranked.claim.value) == (
        ["nigeria", "south-africa"],
        "region:Africa",
        4.0,
    )


@pytest.mark.data
def test_figures_in_brackets_after_a_country_are_its_own(con) -> None:
    # en.sputniknews.africa, 2023-04-24
    got = _claims(
        con,
        "Published: 2023-04-24\n\nAccording to the think tank, military spending on the African continent fell "
        "from $40 billion to $38 billion from 2021 to 2022.\n\nThe sharpest increase in Africa's military "
        "spending was recorded in Ethiopia (+53% with a value of $1.3 billion in 2022).",
    )
    levels = [c for c in got if c.claim.kind == "milex_level"]
    assert [(c.claim.subject, c.claim.value, c.claim.periods[0].label) for c in levels] == [
        (["region:Africa"], 40.0, "2021"),
        (["region:Africa"], 38.0, "2022"),
        (["ethiopia"], 1.3, "2022"),
    ]
    change = next(c for c in got if c.claim.kind == "milex_change")
    assert change.claim.subject == ["ethiopia"]
    assert change.evidence.computed == pytest.approx(_real_change("ethiopia", 2021, 2022))
    assert levels[2].evidence.computed == pytest.approx(_sheet("Current US$")["ethiopia"][2022] / 1000)


def _falls_in_a_row(series: dict, year: int) -> int:
    n = 0
    while series.get(year - n - 1) and series[year - n] < series[year - n - 1]:
        n += 1
    return n


@pytest.mark.data
def test_records_and_runs_of_a_spending_series(con) -> None:
    # defenceweb.co.za (2019), middleeastmonitor.com (2024-04-23), marabi.net (2022), thenationalnews.com (2024-04-21)
    from tests.test_milex_regions import _regional_totals

    def got(text: str) -> list:
        return [c for c in _claims(con, text) if c.claim.kind == "historical"]

    africa = {int(y): v for y, v in _regional_totals()["Africa"].items() if y.isdigit()}
    (run,) = got(
        "Published: 2019\n\nMilitary expenditure in Africa has fallen for the fourth consecutive year, with major "
        "decreases recorded by Algeria, Angola and Sudan."
    )
    assert (run.claim.subject, run.claim.relation, run.claim.value) == (
        ["region:Africa"],
        "consecutive_fall",
        4.0,
    )
    assert run.verdict.verdict == ("consistent" if _falls_in_a_row(africa, 2018) == 4 else "inconsistent")

    algeria = _sheet("Constant (2023) US$")["algeria"]
    (record,) = got(
        "Published: 2024-04-23\n\nAlgeria recorded a 76 per cent increase in military spending, reaching $18.3 "
        "billion, the highest level ever recorded."
    )
    assert (record.claim.subject, record.claim.relation) == (["algeria"], "record_high")
    highest = algeria[2023] == max(v for y, v in algeria.items() if y <= 2023)
    assert record.verdict.verdict == ("consistent" if highest else "inconsistent")

    (first,) = got(
        "Published: 2022\n\nIn 2021, military spending in sub-Saharan Africa totaled $20.1 billion. The increase in "
        "2021 was the first in Africa since 2014."
    )
    assert (first.claim.subject, first.claim.relation, first.claim.value) == (
        ["region:Africa"],
        "first_rise_since",
        2014.0,
    )
    rises_between = [y for y in range(2015, 2021) if africa[y] > africa[y - 1]]
    first_rise = africa[2021] > africa[2020] and not rises_between
    assert first.verdict.verdict == ("consistent" if first_rise else "inconsistent")

    mideast = {int(y): v for y, v in _regional_totals()["Middle East"].items() if y.isdigit()}
    (largest,) = got(
        "Published: 2024-04-21\n\nThe Middle East's estimated military expenditure grew 9 per cent to $200 billion "
        "in 2023, as tensions fuelled the region's biggest annual spending increase over the past decade."
    )
    assert (largest.claim.subject, largest.claim.relation, largest.claim.value) == (
        ["region:Middle East"],
        "largest_rise_since",
        2013.0,
    )
    rise = {y: mideast[y] / mideast[y - 1] - 1 for y in range(2014, 2024)}
    biggest = all(rise[2023] > rise[y] for y in range(2014, 2023))
    assert largest.verdict.verdict == ("consistent" if biggest else "inconsistent")


@pytest.mark.data
def test_a_spending_clause_goes_on_after_but_and_a_year_before_a_percentage_is_no_period(con) -> None:
    # marabi.net (2022), defenceweb.co.za (2019)
    from tests.test_milex_regions import _regional_totals

    def changes(text: str) -> dict:
        return {
            tuple(p.label for p in c.claim.periods): c
            for c in _claims(con, text)
            if c.claim.kind == "milex_change"
        }

    north = _regional_totals()["North Africa"]
    got = changes(
        "Published: 2022\n\nIn 2021, North African military spending was $19.6 billion, 1.7% lower than in 2020, "
        "but 29% higher than in 2012."
    )
    assert got[("2012", "2021")].claim.subject == ["region:North Africa"]
    assert got[("2012", "2021")].evidence.computed == pytest.approx(100 * (north["2021"] / north["2012"] - 1))
    south = _regional_totals()["sub-Saharan Africa"]
    got = changes(
        "Published: 2019\n\nIn sub-Saharan Africa, military spending was $18.4 billion in 2018, down by 11% from "
        "2017 and 21% lower than in 2009."
    )
    assert sorted(got) == [("2009", "2018"), ("2017", "2018")]
    assert got[("2009", "2018")].evidence.computed == pytest.approx(100 * (south["2018"] / south["2009"] - 1))


@pytest.mark.data
def test_a_decade_is_compared_by_its_two_five_year_periods(con) -> None:
    # wqow.com (AP), 2021-03-15
    got = _claims(
        con,
        "Published: 2021-03-15\n\nSTOCKHOLM (AP) — A Swedish arms watchdog says arms imports to the Middle East "
        "rose by a quarter in the decade to 2020 even though sales globally remained stable over the same period."
        "\n\nEgypt’s imports rose 136% and Qatar’s 361%.",
        RELEASE_2024,
    )
    stable = next(c for c in got if c.claim.kind == "world_change")
    assert [p.label for p in stable.claim.periods] == ["2011-2015", "2016-2020"]
    world = 100 * (_tiv(con, (2016, 2020), "true") / _tiv(con, (2011, 2015), "true") - 1)
    assert stable.evidence.computed == pytest.approx(world)
    assert stable.verdict.verdict == ("consistent" if abs(world) <= 3 else "inconsistent")
    changes = {c.claim.subject[0]: c for c in got if c.claim.kind == "change"}
    assert {k: c.claim.value for k, c in changes.items()} == {
        "region:Middle East": 25.0,
        "egypt": 136.0,
        "qatar": 361.0,
    }
    qatar = "d.recipient_id = 'qatar'"
    want = 100 * (_tiv(con, (2016, 2020), qatar) / _tiv(con, (2011, 2015), qatar) - 1)
    assert changes["qatar"].evidence.computed == pytest.approx(want)


@pytest.mark.data
def test_a_place_after_a_ranking_and_an_order_with_also(con) -> None:
    # japantimes.co.jp, 2024-03-11
    got = _claims(
        con,
        "Published: 2024-03-11\n\nJapan's arms imports in the 2019-2023 period were up 155% from those of "
        "2014-2018 span.\n\nOn the other hand, U.S. was the biggest exporter, with China ranked fourth."
        "\n\nJapan has also ordered 400 long-range missiles from the U.S., the institute said.",
        RELEASE_2024,
    )
    china = next(c for c in got if c.claim.kind == "rank" and c.claim.subject == ["china"])
    assert (china.claim.direction, china.claim.value) == ("export", 4.0)
    rows = con.execute(
        """SELECT d.supplier_id, sum(v.tiv) FROM delivery v JOIN deal d USING (deal_key)
           WHERE v.snapshot_id = d.snapshot_id AND v.year BETWEEN 2019 AND 2023 AND v.tiv IS NOT NULL
             AND d.snapshot_id = (SELECT snapshot_id FROM snapshot WHERE release = ? AND layout = 'delivery_years')
           GROUP BY 1 ORDER BY 2 DESC""",
        [RELEASE_2024],
    ).fetchall()
    assert china.evidence.computed == [r[0] for r in rows].index("china") + 1
    order = next(c for c in got if c.claim.kind == "order")
    assert (order.claim.subject, order.claim.partner) == (["japan"], "united-states")


@pytest.mark.data
def test_bracketed_changes_and_elided_wholes_belong_to_their_own_country(con) -> None:
    # sureanot.com (Asia Times), 2024
    got = _claims(
        con,
        "Published: 2024-03-12\n\nArms imports by states in East Asia (down 6.1%), Oceania (down 10%) and "
        "Southeast Asia (down 43%) decreased between 2014–18 and 2019–23.\n\nJapan (up 155%) and South Korea "
        "(up 6.5%) increased their arms imports between 2014–18 and 2019–23.\n\nThe USA is the main supplier to "
        "both states, accounting for 97 per cent of Japan’s arms imports and 72 per cent of South Korea’s.",
        RELEASE_2024,
    )
    changes = {c.claim.subject[0]: c for c in got if c.claim.kind == "change"}
    assert {k: c.claim.value for k, c in changes.items()} == {
        "region:East Asia": -6.1,
        "region:Oceania": -10.0,
        "region:South East Asia": -43.0,
        "japan": 155.0,
        "south-korea": 6.5,
    }
    from armatlas.entities.register import load_register

    sea = "', '".join(e.entity_id for e in load_register().all() if e.subregion == "South East Asia")
    where = f"d.recipient_id IN ('{sea}')"
    want = 100 * (_tiv(con, (2019, 2023), where) / _tiv(con, (2014, 2018), where) - 1)
    assert changes["region:South East Asia"].evidence.computed == pytest.approx(want)
    shares = {c.claim.subject[0]: c for c in got if c.claim.kind == "supplier_share"}
    korea = "d.recipient_id = 'south-korea'"
    want = (
        100
        * _tiv(con, (2019, 2023), korea + " AND d.supplier_id = 'united-states'")
        / _tiv(con, (2019, 2023), korea)
    )
    assert (shares["south-korea"].claim.partner, shares["south-korea"].claim.value) == ("united-states", 72.0)
    assert shares["south-korea"].evidence.computed == pytest.approx(want)


@pytest.mark.data
def test_received_share_of_world_transfers_is_of_imports(con) -> None:
    # news.abs-cbn.com (Kyodo), 2022-03-14
    from armatlas.entities.register import load_register

    (share,) = [
        c
        for c in _claims(
            con,
            "Published: 2022-03-14\n\nAsia and Oceania, the world's largest arms importing region over the past 30 "
            "years, received 43 percent of global transfers from 2017 to 2021.",
            RELEASE_2024,
        )
        if c.claim.kind == "global_share"
    ]
    assert (share.claim.direction, [p.label for p in share.claim.periods]) == ("import", ["2017-2021"])
    ids = "', '".join(e.entity_id for e in load_register().all() if e.region == "Asia & Oceania")
    want = 100 * _tiv(con, (2017, 2021), f"d.recipient_id IN ('{ids}')") / _tiv(con, (2017, 2021), "true")
    assert share.evidence.computed == pytest.approx(want)


@pytest.mark.data
def test_followed_by_a_country_with_its_figures(con) -> None:
    # middleeastmonitor.com, 2024-04-23
    got = _claims(
        con,
        "Published: 2024-04-23\n\nAccording to the SIPRI report, US military spending increased by two per cent "
        "to $916 billion, followed by China with a six per cent increase, at a cost of $296 billion.",
    )
    china = {c.claim.kind: c for c in got if c.claim.subject == ["china"]}
    assert china["milex_level"].evidence.computed == pytest.approx(
        _sheet("Current US$")["china"][2023] / 1000
    )
    assert china["milex_change"].evidence.computed == pytest.approx(_real_change("china", 2022, 2023))


@pytest.mark.data
def test_top_ten_lists_inverted_ranks_and_decimal_factors(con) -> None:
    # english.alarabiya.net (2023-03-13), news.abs-cbn.com (2022-03-14), cm.asiae.co.kr (2025-03-10)
    got = _claims(
        con,
        "Published: 2022-03-14\n\nThe report compared weapons transactions worldwide for the five years through "
        "2021 to the previous five years through 2016.\n\nJapan's imports increased by 2.5 times, making it the "
        "10th-largest importer in the world.\n\nAustralia, China, South Korea and Pakistan were also ranked in "
        "the top 10.",
        RELEASE_2024,
    )
    change = next(c for c in got if c.claim.kind == "change")
    assert (change.claim.subject, change.claim.value) == (["japan"], 150.0)
    japan = "d.recipient_id = 'japan'"
    want = 100 * (_tiv(con, (2017, 2021), japan) / _tiv(con, (2012, 2016), japan) - 1)
    assert change.evidence.computed == pytest.approx(want)
    top = next(c for c in got if c.claim.relation == "top_n")
    assert (top.claim.subject, top.claim.direction, top.claim.value) == (
        ["australia", "china", "south-korea", "pakistan"],
        "import",
        10.0,
    )
    rows = con.execute(
        """SELECT d.recipient_id FROM delivery v JOIN deal d USING (deal_key)
           WHERE v.snapshot_id = d.snapshot_id AND v.year BETWEEN 2017 AND 2021 AND v.tiv IS NOT NULL
             AND d.snapshot_id = (SELECT snapshot_id FROM snapshot WHERE release = ? AND layout = 'delivery_years')
           GROUP BY 1 ORDER BY sum(v.tiv) DESC LIMIT 10""",
        [RELEASE_2024],
    ).fetchall()
    inside = {"australia", "china", "south-korea", "pakistan"} <= {r[0] for r in rows}
    assert top.verdict.verdict == ("consistent" if inside else "inconsistent")
    got = _claims(
        con,
        "Published: 2023-03-13\n\nSaudi Arabia, Qatar and Egypt ranked among the top ten largest importers of "
        "weapons and arms in the world in the five years through 2022.\n\nThe largest arms importer was India.",
    )
    assert [(c.claim.subject, c.claim.relation, c.claim.value) for c in got if c.claim.kind == "rank"] == [
        (["saudi-arabia", "qatar", "egypt"], "top_n", 10.0),
        (["india"], "eq", 1.0),
    ]


def _estimated(con, release: str, recipient: str, years: tuple[int, ...]) -> float:
    """TIV delivered to the recipient in the years on rows placed by the estimated per-year split."""
    return con.execute(
        f"""SELECT coalesce(sum(v.tiv), 0) FROM delivery v JOIN deal d USING (deal_key)
            WHERE v.snapshot_id = d.snapshot_id AND v.allocation = 'estimated' AND d.recipient_id = ?
              AND v.year IN ({", ".join("?" * len(years))})
              AND d.snapshot_id = (SELECT snapshot_id FROM snapshot WHERE release = ? AND layout = 'web_register')""",
        [recipient, *years, release],
    ).fetchone()[0]


@pytest.mark.data
def test_a_change_the_estimated_split_decides_says_so(con) -> None:
    # deccanherald.com, 2025-03-10 (the dev set): "increased drastically, by a whopping 61 per cent"
    text = (
        "Published: 2025-03-10\n\nDuring this five year period, 2020-2024, Pakistan's arms imports also increased "
        "drastically, by a whopping 61 per cent."
    )
    (change,) = [c for c in _claims(con, text, "2026-05-18") if c.claim.kind == "change"]
    a, b = (change.evidence.detail[f"tiv_{p}"] for p in ("2015-2019", "2020-2024"))
    m0 = 0.167 * _estimated(con, "2026-05-18", "pakistan", (2015, 2019))  # SIPRI's split misplaces 16.7%
    m1 = 0.167 * _estimated(con, "2026-05-18", "pakistan", (2020, 2024))
    lo, hi = change.evidence.detail["split_range"]
    assert (lo, hi) == pytest.approx((100 * ((b - m1) / (a + m0) - 1), 100 * ((b + m1) / (a - m0) - 1)))
    assert lo < 61 - 5 < hi  # the claim fits part of that range: the split decides, and the verdict says so
    assert "estimated per-year split decides" in change.verdict.explanation
    # a register with exact delivery years has no such range
    (exact,) = [
        c
        for c in _claims(
            con,
            "Published: 2024-03-11\n\nPakistan's arms imports increased by 43 per cent between 2014–18 and 2019–23.",
            RELEASE_2024,
        )
        if c.claim.kind == "change"
    ]
    assert "split_range" not in exact.evidence.detail


@pytest.mark.data
def test_spending_phrased_with_arms_fractions_and_a_leading_total(con) -> None:
    # thenationalnews.com (2024-04-21), middleeastmonitor.com (2024-04-23), defenceweb.co.za (2019)
    from tests.test_milex_regions import _regional_totals

    me, world = _regional_totals()["Middle East"], _regional_totals()["World"]
    got = _claims(
        con,
        "Published: 2024-04-21\n\nArms budgets for Middle East countries jumped 9 per cent to $200bn in 2023 "
        "driven by Saudi Arabia, Israel and Turkey\n\nMiddle East countries spent 4.2 per cent of their gross "
        "domestic product (GDP) on defence in 2023, the highest rate globally, as Israel's military expenditure "
        "jumped by nearly a quarter amid its intensifying war in Gaza, according to new research.",
    )
    changes = {c.claim.subject[0]: c for c in got if c.claim.kind == "milex_change"}
    assert changes["region:Middle East"].evidence.computed == pytest.approx(
        100 * (me["2023"] / me["2022"] - 1)
    )
    israel = changes["israel"]
    assert (israel.claim.value, israel.claim.relation) == (25.0, "almost")
    real = _real_change("israel", 2022, 2023)
    assert israel.evidence.computed == pytest.approx(real)
    assert israel.verdict.verdict == ("consistent" if 25 * 0.85 <= real <= 25.05 else "inconsistent")
    got = _claims(
        con,
        "Published: 2024-04-23\n\nThe think tank’s latest report said that Riyadh spent $76 billion on arms in "
        "2023, a four per cent increase compared to the previous year.\n\nDefence spending in the Middle East "
        "recorded an unprecedented increase last year, reaching nearly $200 billion, at a rate of nine per cent "
        "of the total volume of global defence spending.",
    )
    saudi = next(c for c in got if c.claim.kind == "milex_change")
    assert (saudi.claim.subject, saudi.claim.value) == (["saudi-arabia"], 4.0)
    assert saudi.evidence.computed == pytest.approx(_real_change("saudi-arabia", 2022, 2023))
    share = next(c for c in got if c.claim.kind == "milex_share")
    assert share.claim.subject == ["region:Middle East"]
    assert share.evidence.computed == pytest.approx(100 * me["2023"] / world["2023"], rel=1e-3)
    (level,) = [
        c
        for c in _claims(
            con,
            "Published: 2019\n\nWith a total of $9.6 billion in 2018, Algeria had by far the highest military "
            "spending in Africa.",
        )
        if c.claim.kind == "milex_level"
    ]
    assert level.claim.subject == ["algeria"]
    assert level.evidence.computed == pytest.approx(_sheet("Current US$")["algeria"][2018] / 1000)


@pytest.mark.data
def test_arms_imports_to_a_region_rose_by_a_quarter(con) -> None:
    # wqow.com (AP), 2021-03-15
    from armatlas.entities.register import load_register

    (change,) = [
        c
        for c in _claims(
            con,
            "Published: 2021-03-15\n\nSTOCKHOLM (AP) — A Swedish arms watchdog says arms imports to the Middle "
            "East rose by a quarter in the decade to 2020.",
            RELEASE_2024,
        )
        if c.claim.kind == "change"
    ]
    assert (change.claim.subject, change.claim.value, change.claim.relation) == (
        ["region:Middle East"],
        25.0,
        "approx",
    )
    ids = "', '".join(e.entity_id for e in load_register().all() if e.region == "Middle East")
    where = f"d.recipient_id IN ('{ids}')"
    want = 100 * (_tiv(con, (2016, 2020), where) / _tiv(con, (2011, 2015), where) - 1)
    assert change.evidence.computed == pytest.approx(want)


@pytest.mark.data
def test_percentage_points_are_changes_of_a_share(con) -> None:
    # thenationalnews.com (2024-04-21); cm.asiae.co.kr (2025-03-10)
    got = _claims(
        con,
        "Published: 2024-04-21\n\nThe biggest military burden increases in the region were led by Lebanon with an "
        "increase of 6 percentage points, Israel up 0.9 percentage points and Saudi Arabia rising 0.7 percentage "
        "points in 2023.",
    )
    burden = {c.claim.subject[0]: c for c in got if c.claim.kind == "milex_burden"}
    gdp = _sheet("Share of GDP")
    for who, stated in (("lebanon", 6.0), ("israel", 0.9), ("saudi-arabia", 0.7)):
        points = 100 * (gdp[who][2023] - gdp[who][2022])
        assert burden[who].claim.value == stated
        assert burden[who].evidence.computed == pytest.approx(points)
        assert burden[who].verdict.verdict == (
            "consistent" if abs(points - stated) <= 0.1 else "inconsistent"
        )
    (change,) = [
        c
        for c in _claims(
            con,
            "Published: 2025-03-10\n\nOver the past five years (2020-2024), the U.S. share of global arms exports "
            "rose to 43%, up 8 percentage points from 35% in the previous five years (2015-2019).",
            "2026-05-18",
        )
        if c.claim.kind == "share_change"
    ]
    assert (change.claim.subject, change.claim.value) == (["united-states"], 8.0)
