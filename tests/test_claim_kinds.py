"""Claim kinds: one enum, one evidence handler and one judge per kind, the kind's name in the output."""

from __future__ import annotations

import json

import pytest

from armatlas.claims import extract_claims, read_article
from armatlas.claims.evidence import HANDLERS
from armatlas.claims.kinds import INDUSTRY_KINDS, MILEX_KINDS, ClaimKind
from armatlas.claims.verdict import JUDGES
from tests.conftest import SHARED


def test_every_kind_has_exactly_one_evidence_handler_and_one_judge() -> None:
    kinds = list(ClaimKind)
    assert sorted(HANDLERS) == sorted(kinds), set(kinds) ^ set(HANDLERS)
    assert sorted(JUDGES) == sorted(kinds), set(kinds) ^ set(JUDGES)
    # Spending and out-of-scope claims skip the registers' prologue; every other kind needs it.
    assert {k for k, h in HANDLERS.items() if not h.registers} == MILEX_KINDS | INDUSTRY_KINDS | {
        ClaimKind.OUT_OF_SCOPE
    }


def test_kind_names_are_unique_strings() -> None:
    values = [k.value for k in ClaimKind]
    assert len(set(values)) == len(values)
    assert json.dumps({"kind": ClaimKind.WORLD_CHANGE}) == '{"kind": "world_change"}'
    with pytest.raises(ValueError):
        ClaimKind("world_changes")


@pytest.mark.data
def test_extracted_claims_carry_enum_kinds_and_plain_names_in_json() -> None:
    """Every claim read from the dev articles has a ClaimKind; its JSON is the kind's plain name."""
    seen: set[ClaimKind] = set()
    for path in sorted((SHARED / "articles").glob("*.txt")):
        for c in extract_claims(read_article(str(path)))[0]:
            assert type(c.kind) is ClaimKind, (path.name, c.kind)
            out = json.loads(json.dumps(c.to_dict()))
            assert out["kind"] == c.kind.value
            seen.add(c.kind)
    # Kinds the hand annotations of these articles hold (tests/claims/annotations).
    assert {ClaimKind.CHANGE, ClaimKind.RANK, ClaimKind.GLOBAL_SHARE, ClaimKind.OUT_OF_SCOPE} <= seen


def test_ambiguous_is_what_the_article_lacks_not_words_in_a_message() -> None:
    from armatlas.claims.evidence import Evidence
    from armatlas.claims.extract import Claim
    from armatlas.claims.verdict import Tolerances, judge

    c = Claim(ClaimKind.SUPPLIER_SHARE, 0, 0, 10, subject=["IND"], partner="RUS", value=36.0)
    tol = Tolerances()
    lacks = Evidence(reason="no period in the sentence or the article", missing="period")
    assert judge(c, lacks, tol).verdict == "ambiguous"
    data_side = Evidence(reason="no country totals in this register: no country of the region has deliveries")
    assert judge(c, data_side, tol).verdict == "not checkable"
