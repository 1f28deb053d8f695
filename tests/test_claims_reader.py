"""The quantity-first reader: how journalists write shares, lists, changes, ranks, periods and spending.

Sentences are written the way news reports phrase SIPRI figures (not copied from the dev set); the
evidence tests recompute each figure independently with the analysis functions or SQL on the store.
"""

from __future__ import annotations

import pytest

from armatlas.claims import check_article, extract_claims, parse_article
from tests.conftest import SHARED


def _read(text: str, published: str = "2025-03-10") -> list[tuple]:
    claims, _ = extract_claims(parse_article(f"Published: {published}\n\n{text}"))
    return [
        (c.kind, c.subject, c.partner, c.direction, [p.label for p in c.periods], c.value, c.relation)
        for c in claims
    ]


def test_supplier_list_after_the_verb() -> None:
    got = _read(
        "Azerbaijan purchased arms mainly from Israel (61%), Russia (22%) and Belarus (6.6%) in 2017-2021."
    )
    assert got == [
        ("supplier_share", ["azerbaijan"], p, "import", ["2017-2021"], v, "eq")
        for p, v in (("israel", 61.0), ("russia", 22.0), ("belarus", 6.6))
    ]


def test_recipient_list_after_a_colon_takes_the_sentence_before_period() -> None:
    got = _read(
        "SIPRI compared 2019-23 with 2014-18. Russia's arms exports went to three countries: India (34%), "
        "China (21%), and Egypt (7.5%).",
        "2024-03-11",
    )
    assert [g for g in got if g[0] == "recipient_share"] == [
        ("recipient_share", ["russia"], p, "export", ["2019-2023"], v, "eq")
        for p, v in (("india", 34.0), ("china", 21.0), ("egypt", 7.5))
    ]


def test_accounted_for_a_share_of_a_named_importer_is_not_a_world_share() -> None:
    assert _read("China accounted for 73% of the total arms imports of Pakistan over 2015-2019.") == [
        ("supplier_share", ["pakistan"], "china", "import", ["2015-2019"], 73.0, "eq")
    ]


def test_number_words_and_fractions() -> None:
    assert _read("Twenty-seven percent of Saudi Arabia's arms imports came from the UK in 2015-19.") == [
        ("supplier_share", ["saudi-arabia"], "united-kingdom", "import", ["2015-2019"], 27.0, "eq")
    ]
    got = _read(
        "Over a third of Chinese arms exports went to Pakistan in 2012-16, nearly a fifth to Bangladesh."
    )
    assert [(g[2], round(g[5], 1), g[6]) for g in got] == [
        ("pakistan", 33.3, "gt"),
        ("bangladesh", 20.0, "almost"),
    ]


def test_regional_rank_is_not_a_world_rank() -> None:
    assert _read("Ukraine was the second-largest arms importer in Europe in 2015-2019.") == [
        ("region_rank", ["ukraine"], "region:Europe", "import", ["2015-2019"], 2.0, "eq")
    ]


def test_compared_with_sets_the_base_period_and_the_headline_stays() -> None:
    got = _read(
        "In 2017-2021, Russia accounted for 19% of global arms exports. As compared to 2012-2016, "
        "Russian exports are down by 26%.",
        "2022-03-14",
    )
    assert ("change", ["russia"], None, "export", ["2012-2016", "2017-2021"], -26.0, "eq") in got
    assert ("global_share", ["russia"], None, "export", ["2017-2021"], 19.0, "eq") in got


def test_share_pair_from_to() -> None:
    got = _read("The US accounted for 40% of global arms exports in 2018-22, up from 33% in 2013-17.")
    assert got == [
        ("global_share", ["united-states"], None, "export", ["2018-2022"], 40.0, "eq"),
        ("global_share", ["united-states"], None, "export", ["2013-2017"], 33.0, "eq"),
    ]


def test_elliptic_changes_and_regions() -> None:
    got = _read(
        "Saudi Arabia's imports fell by 41% between 2015-19 and 2020-24, while Qatar's rose by 127%. "
        "Imports of major arms by states in Asia and Oceania decreased by 21%."
    )
    assert ("change", ["qatar"], None, "import", ["2015-2019", "2020-2024"], 127.0, "eq") in got
    assert (
        "change",
        ["region:Asia & Oceania"],
        None,
        "import",
        ["2015-2019", "2020-2024"],
        -21.0,
        "eq",
    ) in got


def test_spending_in_money_and_per_cent() -> None:
    got = _read(
        "Russia's defence spending surged by 38 per cent to reach $149 billion in 2024. "
        "It now represents 7.1 per cent of Russia's GDP.",
        "2025-04-28",
    )
    assert ("milex_level", ["russia"], None, None, ["2024"], 149.0, "eq") in got
    assert ("milex_change", ["russia"], None, None, ["2023", "2024"], 38.0, "eq") in got
    assert ("milex_burden", ["russia"], None, None, ["2024"], 7.1, "eq") in got


@pytest.mark.data
def test_concatenated_articles_keep_their_own_periods() -> None:
    files = sorted((SHARED / "articles" / "dev").glob("*.txt"))
    texts = [f.read_text(encoding="utf-8").strip() for f in files]

    def keys(claims: list) -> list[tuple]:
        return sorted(
            (
                c.kind,
                c.sentence,
                tuple(c.subject),
                c.partner or "",
                c.value or 0.0,
                tuple(p.label for p in c.periods),
            )
            for c in claims
        )

    alone = sorted(k for t in texts for k in keys(extract_claims(parse_article(t))[0]))
    joined = keys(extract_claims(parse_article("\n\n".join(texts)))[0])
    assert alone and joined == alone


def test_unchecked_sentences_and_language_warning(con) -> None:
    d = check_article(
        con,
        parse_article(
            "Published: 2024-03-11\n\nSales will reach 40 billion by 2030, the minister said. "
            "The gizmo index stood at 71.5 last spring."
        ),
    )
    reasons = {u["sentence_index"]: u["reason"] for u in d.unchecked}
    assert reasons[0].startswith("prediction") and reasons[1].startswith("not understood")
    de = check_article(
        con,
        parse_article(
            "Published: 2024-03-11\n\nDie Importe der europäischen Staaten haben sich zwischen 2019 und 2023 im Vergleich "
            "zu 2014 bis 2018 fast verdoppelt, sie stiegen um 94 Prozent, wie das Institut mitteilte. Die Ukraine ist "
            "der größte Importeur in Europa und der viertgrößte der Welt."
        ),
    )
    assert any("German" in w for w in de.warnings) and de.unchecked


@pytest.mark.data
def test_regional_rank_and_share_evidence(con) -> None:
    """Europe's largest importer and the US share of European imports, recomputed with SQL on the register."""
    d = check_article(
        con,
        parse_article(
            "Published: 2024-03-11\n\nUkraine emerged as the largest European arms importer in 2019-23. "
            "The United States accounted for about 55% of the arms imported by European countries in 2019-2023."
        ),
        release="2024-04-13",
    )
    sid = con.execute("""SELECT s.snapshot_id FROM snapshot s WHERE s.release = '2024-04-13'
                         AND s.layout = 'delivery_years'""").fetchone()[0]
    rows = con.execute(
        """
        SELECT d.recipient_id, d.supplier_id, sum(v.tiv) FROM delivery v JOIN deal d USING (deal_key)
        JOIN entity e ON e.entity_id = d.recipient_id
        WHERE v.snapshot_id = ? AND d.snapshot_id = ? AND v.year BETWEEN 2019 AND 2023 AND e.region = 'Europe'
          AND e.kind = 'state' AND v.tiv IS NOT NULL GROUP BY ALL""",
        [sid, sid],
    ).fetchall()
    total = sum(r[2] for r in rows)
    us = sum(r[2] for r in rows if r[1] == "united-states")
    share = next(c for c in d.claims if c.claim.kind == "supplier_share")
    assert share.evidence.computed == pytest.approx(100 * us / total)
    rank = next(c for c in d.claims if c.claim.kind == "region_rank")
    assert rank.claim.subject == ["ukraine"] and rank.claim.partner == "region:Europe"
    assert rank.evidence.computed == 1.0 and rank.verdict.verdict == "consistent"


@pytest.mark.data
def test_spending_evidence_from_the_workbook(con) -> None:
    """'$149 billion' and '+38 per cent' against the milex rows of the store (current and constant US$)."""
    d = check_article(
        con,
        parse_article(
            "Published: 2025-04-28\n\nRussia's defence spending surged by 38 per cent to reach $149 billion in 2024."
        ),
    )
    val = dict(
        con.execute("""SELECT year, value FROM milex WHERE entity_id = 'russia' AND measure = 'current_usd'
                              AND year = 2024""").fetchall()
    )
    const = dict(
        con.execute("""SELECT year, value FROM milex WHERE entity_id = 'russia' AND measure = 'constant_usd'
                                AND year IN (2023, 2024)""").fetchall()
    )
    level = next(c for c in d.claims if c.claim.kind == "milex_level")
    change = next(c for c in d.claims if c.claim.kind == "milex_change")
    assert level.evidence.computed == pytest.approx(val[2024] / 1000)
    assert change.evidence.computed == pytest.approx(100 * (const[2024] / const[2023] - 1))
    assert level.verdict.verdict == "consistent"  # SIPRI's own press figure was $149 bn


@pytest.mark.data
def test_spending_per_person(con) -> None:
    """'$5,000 per capita' is checked against the workbook's per-capita figure, not read as money out of scope."""
    d = check_article(
        con, parse_article("Published: 2025-04-28\n\nIsrael spent $5,000 per capita on its military in 2024.")
    )
    per = con.execute("""SELECT value FROM milex WHERE entity_id = 'israel' AND measure = 'per_capita'
                         AND year = 2024""").fetchone()[0]
    assert [c.claim.kind for c in d.claims] == ["milex_per_capita"]
    assert d.claims[0].evidence.computed == pytest.approx(per)


@pytest.mark.data
def test_spending_multiple_of_another_country(con) -> None:
    """'Nearly nine times more than Pakistan': a ratio of two spending levels (current US$), not a change."""
    d = check_article(
        con,
        parse_article(
            "Published: 2025-04-28\n\nIn 2024, India spent nearly nine times more on its military than Pakistan did, "
            "while Saudi Arabia's defence budget was roughly 3 times as large as that of Israel."
        ),
    )
    cur = dict(
        con.execute("""SELECT entity_id, value FROM milex WHERE measure = 'current_usd' AND year = 2024
                              AND entity_id IN ('india', 'pakistan', 'saudi-arabia', 'israel')""").fetchall()
    )
    got = {(c.claim.subject[0], c.claim.partner): c for c in d.claims if c.claim.kind == "ratio"}
    assert [c.claim.kind for c in d.claims] == ["ratio", "ratio"]
    india, saudi = got[("india", "pakistan")], got[("saudi-arabia", "israel")]
    assert (india.claim.value, india.claim.relation, saudi.claim.value) == (9.0, "almost", 3.0)
    assert india.evidence.computed == pytest.approx(cur["india"] / cur["pakistan"])
    assert saudi.evidence.computed == pytest.approx(cur["saudi-arabia"] / cur["israel"])
    assert india.verdict.verdict == "consistent"


def test_multiples_of_arms_imports_are_not_spending_changes() -> None:
    """'Three times higher than Japan's' in a transfer sentence is no spending ratio and no +200% change."""
    assert _read("South Korea's arms imports were three times higher than Japan's in 2019-23.") == []


@pytest.mark.data
def test_ranks_without_a_role_noun_take_the_ranking_before(con) -> None:
    """'The number two, France' and 'Russia in third place' after the world's largest exporter: world export
    ranks, recomputed by SQL over the register's state suppliers."""
    d = check_article(
        con,
        parse_article(
            "Published: 2024-03-11\n\nThe United States stayed by far the world's largest arms exporter in 2019-23. "
            "Its lead over the number two, France, widened, with Russia in third place."
        ),
        release="2024-04-13",
    )
    sid = con.execute("""SELECT s.snapshot_id FROM snapshot s WHERE s.release = '2024-04-13'
                         AND s.layout = 'delivery_years'""").fetchone()[0]
    rows = con.execute(
        """
        SELECT d.supplier_id, sum(v.tiv) AS tiv FROM delivery v JOIN deal d USING (deal_key)
        JOIN entity e ON e.entity_id = d.supplier_id
        WHERE v.snapshot_id = ? AND d.snapshot_id = ? AND v.year BETWEEN 2019 AND 2023 AND e.kind = 'state'
          AND v.tiv IS NOT NULL GROUP BY ALL ORDER BY tiv DESC""",
        [sid, sid],
    ).fetchall()
    sql_rank = {r[0]: i + 1 for i, r in enumerate(rows)}
    got = {c.claim.subject[0]: c for c in d.claims if c.claim.kind == "rank"}
    assert {
        k: (c.claim.value, c.claim.direction, [p.label for p in c.claim.periods]) for k, c in got.items()
    } == {
        "united-states": (1.0, "export", ["2019-2023"]),
        "france": (2.0, "export", ["2019-2023"]),
        "russia": (3.0, "export", ["2019-2023"]),
    }
    for k, c in got.items():
        assert c.evidence.computed == sql_rank[k]


def test_combined_world_share_and_level_pairs() -> None:
    got = _read(
        "The US, France and Russia accounted for 71% of global arms exports in 2019-23. "
        "Europe's share of global arms imports rose to 28% from 11%.",
        "2024-03-11",
    )
    assert (
        "global_share",
        ["united-states", "france", "russia"],
        None,
        "export",
        ["2019-2023"],
        71.0,
        "eq",
    ) in got
    assert ("global_share", ["region:Europe"], None, "import", ["2019-2023"], 28.0, "eq") in got
    assert ("global_share", ["region:Europe"], None, "import", ["2014-2018"], 11.0, "eq") in got
