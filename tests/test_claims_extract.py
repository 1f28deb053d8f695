"""Extraction precision and recall against the hand-annotated articles in tests/claims/annotations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from armatlas.claims import extract_claims, read_article
from tests.conftest import SHARED

ARTICLES = SHARED / "articles"
ANNOTATIONS = Path(__file__).parent / "claims" / "annotations"
PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.85


def _matches(pred: dict, gold: dict) -> bool:
    """Same sentence and type; same subject set, partner, value; periods/direction when annotated."""
    if pred["sentence_index"] != gold["sentence"] or pred["kind"] != gold["type"]:
        return False
    if gold["type"] == "out_of_scope":
        return set(gold["topics"]) <= set(pred["topics"])
    if set(pred["subject"]) != set(gold.get("subject", [])) or pred["partner"] != gold.get("partner"):
        return False
    if gold.get("relation", "eq") not in (pred["relation"], "eq") or (
        gold.get("relation") and gold["relation"] != pred["relation"]
    ):
        return False
    if (
        "value" in gold
        and gold["value"] is not None
        and (pred["value"] is None or abs(pred["value"] - gold["value"]) > 1e-9)
    ):
        return False
    if "periods" in gold and pred["periods"] != gold["periods"]:
        return False
    if "direction" in gold and pred["direction"] != gold["direction"]:
        return False
    return "scope" not in gold or pred["scope"] == gold["scope"]


def _score() -> tuple[int, int, int, list[str]]:
    tp = n_pred = n_gold = 0
    misses: list[str] = []
    for ann_file in sorted(ANNOTATIONS.glob("*.json")):
        ann = json.loads(ann_file.read_text(encoding="utf-8"))
        claims, ctx = extract_claims(read_article(str(ARTICLES / ann["article"])))
        preds = [c.to_dict() for c in claims]
        used: set[int] = set()
        for g in ann["claims"]:
            # The annotation's quote must lie in the sentence it names: this tests the splitter too.
            assert g["quote"] in ctx.sentences[g["sentence"]].text, (ann_file.name, g)
            hit = next((i for i, p in enumerate(preds) if i not in used and _matches(p, g)), None)
            if hit is None:
                misses.append(f"{ann_file.stem} s{g['sentence']} {g['type']}: {g['quote']}")
            else:
                used.add(hit)
        tp += len(used)
        n_pred += len(preds)
        n_gold += len(ann["claims"])
        misses += [
            f"{ann_file.stem} s{p['sentence_index']} extra {p['kind']}: {p['text'][:50]}"
            for i, p in enumerate(preds)
            if i not in used
        ]
    return tp, n_pred, n_gold, misses


@pytest.mark.data
def test_every_article_is_annotated() -> None:
    annotated = {json.loads(f.read_text(encoding="utf-8"))["article"] for f in ANNOTATIONS.glob("*.json")}
    assert annotated == {p.name for p in ARTICLES.glob("*.txt")}


@pytest.mark.data
def test_extraction_precision_and_recall() -> None:
    tp, n_pred, n_gold, misses = _score()
    precision, recall = tp / n_pred, tp / n_gold
    print(
        f"\nclaim extraction: precision {precision:.3f} ({tp}/{n_pred}), recall {recall:.3f} ({tp}/{n_gold})"
    )
    for m in misses:
        print("  ", m)
    assert precision >= PRECISION_FLOOR
    assert recall >= RECALL_FLOOR


@pytest.mark.parametrize(
    "text,expected",
    [
        ("between 2013-17 and 2018-22", ["2013-2017", "2018-2022"]),
        ("From 1990 to 2012, indeed, even up to 2020", ["1990-2012"]),
        ("in 2019–23, from a record level in 2014–18", ["2019-2023", "2014-2018"]),
        ("the events of the past three years", ["2022-2024"]),
    ],
)
def test_periods(text: str, expected: list[str]) -> None:
    from armatlas.claims.timeexpr import find_periods

    assert [p.period.label for p in find_periods(text, 2025)] == expected


def test_mentions_demonyms_capitals_possessives() -> None:
    from armatlas.claims.mentions import find_mentions

    ms = find_mentions(
        "Russian exports to India's neighbour; once Kyiv had disarmed, the Kremlin and Azerbaijani firms"
    )
    assert [(m.entity_id, m.how, m.possessive) for m in ms] == [
        ("russia", "demonym", False),
        ("india", "name", True),
        ("ukraine", "capital", False),
        ("russia", "capital", False),
        ("azerbaijan", "demonym", False),
    ]


def test_supplier_share_list_in_brackets() -> None:
    from armatlas.claims import parse_article

    art = parse_article(
        "Published: 2024\n\nAzerbaijan's main suppliers in 2019–23 were Israel (61%), Russia (22%) and Belarus (6.6%)."
    )
    claims, _ = extract_claims(art)
    got = [(c.partner, c.value, [p.label for p in c.periods]) for c in claims if c.kind == "supplier_share"]
    assert got == [
        ("israel", 61.0, ["2019-2023"]),
        ("russia", 22.0, ["2019-2023"]),
        ("belarus", 6.6, ["2019-2023"]),
    ]
    span = claims[0]
    assert art.body[span.start : span.end].startswith("Israel")


@pytest.mark.parametrize(
    "text,want",
    [
        (
            "Deliveries from Russia made up less than half of India's arms imports in 2019–23.",
            ("india", "russia", "lt"),
        ),
        (
            "France accounted for more than half of Qatar's arms imports in 2019–23.",
            ("qatar", "france", "gt"),
        ),
        ("Most of Egypt's arms imports came from Russia in 2019–23.", ("egypt", "russia", "gt")),
        (
            "China's arms imports fell, substituting imported arms -- most of which came from Russia.",
            ("china", "russia", "gt"),
        ),
    ],
)
def test_threshold_supplier_shares(text: str, want: tuple[str, str, str]) -> None:
    from armatlas.claims import parse_article

    claims, _ = extract_claims(parse_article("Published: 2024\n\n" + text))
    got = [(c.subject[0], c.partner, c.relation, c.value) for c in claims if c.kind == "supplier_share"]
    assert got == [(*want, 50.0)]


def test_the_countrys_leading_supplier_is_rank_one() -> None:
    from armatlas.claims import parse_article

    claims, _ = extract_claims(
        parse_article(
            "Published: 2023\n\nIndia's arms imports from Russia, the country's long-standing leading supplier of arms, fell."
        )
    )
    assert [(c.subject, c.partner, c.value, c.scope) for c in claims if c.kind == "rank"] == [
        (["russia"], "india", 1.0, "supplier_of")
    ]
