"""Domestic-production and industry sentences carry the industry evidence, recomputed here with SQL."""

from __future__ import annotations

import pytest

from armatlas.claims import check_article, read_article
from armatlas.claims.article import parse_article
from armatlas.claims.verdict import NOT_CHECKABLE
from tests.conftest import SHARED

SEED = SHARED / "articles" / "azernews-2025-defence-development.txt"


@pytest.fixture(scope="module")
def seed(con):
    return check_article(con, read_article(str(SEED)))


def _register(con, release: str) -> int:
    return con.execute(
        "SELECT snapshot_id FROM snapshot WHERE source = 'sipri_arms_transfers' AND release = ? "
        "ORDER BY snapshot_id DESC LIMIT 1",
        [release],
    ).fetchone()[0]


def _top100_years(con) -> tuple[int, int]:
    return con.execute("SELECT min(year), max(year) FROM industry_rank").fetchone()


def test_seed_domestic_production_sentences_carry_industry_evidence(con, seed) -> None:
    hits = [
        c for c in seed.claims if c.claim.kind == "out_of_scope" and "domestic_production" in c.claim.topics
    ]
    texts = " ".join(c.claim.sentence for c in hits)
    assert "local production" in texts and "military-grade products" in texts and "now producing" in texts
    lo, hi = _top100_years(con)
    assert (
        con.execute("SELECT count(*) FROM industry_rank WHERE country_id = 'azerbaijan'").fetchone()[0] == 0
    )
    for c in hits:
        assert c.verdict.verdict == NOT_CHECKABLE
        sid = _register(con, c.release)
        # Licensed/local production: the register's flag or a comment saying it is assembled/produced there.
        n, tiv, since, sups = con.execute(
            """SELECT count(*), sum(tiv_delivered), min(order_year), string_agg(DISTINCT e.name, ', ' ORDER BY e.name)
               FROM deal d JOIN entity e ON e.entity_id = d.supplier_id
               WHERE d.snapshot_id = ? AND recipient_id = 'azerbaijan'
                 AND (local_production OR regexp_matches(comments, '(?i)(assembl|produc)[^;]* in Azerbaijan'))""",
            [sid],
        ).fetchone()
        total = con.execute(
            "SELECT sum(tiv_delivered) FROM deal WHERE snapshot_id = ? AND recipient_id = 'azerbaijan'", [sid]
        ).fetchone()[0]
        ex = c.verdict.explanation
        assert f"No company headquartered in Azerbaijan is in the SIPRI Top 100 in any year {lo}-{hi}" in ex
        assert f"{n} deals of licensed or local production in the SIPRI register since {since} ({sups})" in ex
        assert f"{100 * tiv / total:.1f}% of its imports" in ex
        assert c.evidence.detail["industry"]["licensed"]["deals"] == n
        assert any(x.startswith("not checkable") and "quality" in x for x in c.evidence.notes)


def test_seed_jobs_sentences_say_employment_is_uncheckable(seed) -> None:
    jobs = [c for c in seed.claims if c.claim.kind == "out_of_scope" and "jobs" in c.claim.topics]
    assert jobs and all(c.verdict.verdict == NOT_CHECKABLE for c in jobs)
    for c in jobs:
        assert "employment is not in arms-transfer or spending data" in c.verdict.explanation
        assert "personnel" not in c.verdict.explanation  # armed-forces personnel are not industry jobs


def test_other_country_industry_sentence_names_its_companies(con) -> None:
    art = parse_article("Ukraine's defence industry created thousands of jobs in 2016.", "inline")
    d = check_article(con, art)
    c = next(c for c in d.claims if c.claim.kind == "out_of_scope")
    assert c.claim.subject == ["ukraine"]
    lo, hi = _top100_years(con)
    last, n_years = con.execute(
        "SELECT max(year), count(DISTINCT year) FROM industry_rank WHERE country_id = 'ukraine' AND rank IS NOT NULL"
    ).fetchone()
    n_last = con.execute(
        "SELECT count(*) FROM industry_rank WHERE country_id = 'ukraine' AND rank IS NOT NULL AND year = ?",
        [last],
    ).fetchone()[0]
    assert n_years > 0
    assert (
        f"Ukraine: {n_last} compan{'y' if n_last == 1 else 'ies'} in the SIPRI Top 100 in {last} "
        f"({n_years} of {hi - lo + 1} years {lo}-{hi})"
    ) in c.verdict.explanation
    assert c.verdict.verdict == NOT_CHECKABLE
