"""A claim check runs each analysis once per distinct question, and the one-query partnership
ties give the rows the deal list gives both ways (counted here from the register with SQL)."""

from __future__ import annotations

import pytest

from armatlas.analysis import partners
from armatlas.analysis.deals import find_deals
from armatlas.claims import check_article, read_article
from armatlas.claims import industry_evidence as industry_module
from armatlas.claims.memo import Memo
from armatlas.errors import ArmatlasError
from armatlas.store.releases import register_snapshot
from tests.conftest import SHARED, Counting

SEED = SHARED / "articles" / "azernews-2025-defence-development.txt"
NEWEST = "2026-05-18"


def test_a_check_asks_each_analysis_once(con, monkeypatch) -> None:
    calls: dict[str, list[tuple]] = {"industry": [], "ties": []}
    real_industry, real_ties = industry_module.industry, partners.ties_many

    def industry(c, country, **kw):
        calls["industry"].append((country, kw.get("release")))
        return real_industry(c, country, **kw)

    def ties_many(c, a, bs, **kw):
        calls["ties"].append((a, tuple(bs), kw["since"], kw["release"]))
        return real_ties(c, a, bs, **kw)

    monkeypatch.setattr(industry_module, "industry", industry)
    monkeypatch.setattr(partners, "ties_many", ties_many)
    d = check_article(con, read_article(str(SEED)))
    industry_claims = [c for c in d.claims if c.evidence.detail.get("industry")]
    partnerships = [c for c in d.claims if c.claim.kind == "partnership"]
    # Four sentences on Azerbaijan's industry, one industry analysis; the three partners the
    # article names for Azerbaijan, one query.
    assert len(industry_claims) >= 3 and calls["industry"] == [("azerbaijan", NEWEST)]
    assert {c.claim.partner for c in partnerships} == {"israel", "turkiye", "pakistan"}
    assert [sorted(t[1]) for t in calls["ties"]] == [["israel", "pakistan", "turkiye"]]
    assert len({str(c.evidence.detail["industry"]) for c in industry_claims}) == 1


@pytest.mark.parametrize("partner", ["israel", "turkiye", "pakistan"])
def test_ties_are_the_deal_list_both_ways(con, partner) -> None:
    since = 2011
    t = partners.ties(con, "azerbaijan", partner, since=since, release=NEWEST)
    assert (
        partners.ties_many(con, "azerbaijan", ["pakistan", partner], since=since, release=NEWEST)[partner]
        == t
    )
    sid = register_snapshot(con, NEWEST).snapshot_id
    to_a, to_b = con.execute(
        """SELECT count(*) FILTER (WHERE recipient_id = 'azerbaijan' AND supplier_id = $b),
                  count(*) FILTER (WHERE recipient_id = $b AND supplier_id = 'azerbaijan')
           FROM deal d WHERE snapshot_id = $sid AND (order_year >= $since OR EXISTS (
               SELECT 1 FROM delivery v WHERE v.deal_key = d.deal_key AND v.year >= $since))""",
        {"b": partner, "sid": sid, "since": since},
    ).fetchone()
    assert (t["deals"], t["to_a"], t["to_b"]) == (to_a + to_b, to_a, to_b) and to_a > 0
    listed = [
        *find_deals(con, recipient="azerbaijan", supplier=partner, from_year=since, release=NEWEST).rows,
        *find_deals(con, recipient=partner, supplier="azerbaijan", from_year=since, release=NEWEST).rows,
    ]
    largest = sorted(listed, key=lambda r: (-(r["tiv_order"] or 0), -(r["order_year"] or 0)))[:3]
    assert [r["designation"] for r in t["largest"]] == [r["designation"] for r in largest]


def test_memo_runs_once_and_repeats_errors(con) -> None:
    seen: list[str] = []

    def analysis(c, country: str, *, periods: list[int]) -> int:
        seen.append(country)
        if country == "atlantis":
            raise ArmatlasError("no such country")
        return len(periods)

    memo = Memo(con)
    assert memo(analysis, "azerbaijan", periods=[1, 2]) == memo(analysis, "azerbaijan", periods=[1, 2]) == 2
    for _ in range(2):
        with pytest.raises(ArmatlasError):
            memo(analysis, "atlantis", periods=[])
    assert seen == ["azerbaijan", "atlantis"]


def test_a_check_reads_the_store_state_once(con) -> None:
    """Release contexts and release lists are keyed by a digest of the snapshot table; inside a
    check (store.scope) it is read once, not once per analysis."""
    from armatlas.store.scope import once, one_store_state

    spy = Counting(con)
    d = check_article(spy, read_article(str(SEED)))
    assert len(d.claims) >= 10
    digests = [q for q in spy.seen if "bit_xor(hash(snapshot_id::VARCHAR || sha256))" in q]
    assert len(digests) == 1
    reads: list[int] = []
    assert [once(("k",), lambda: reads.append(1) or len(reads)) for _ in range(2)] == [1, 2]
    with one_store_state():
        assert [once(("k",), lambda: reads.append(1) or len(reads)) for _ in range(2)] == [3, 3]


def test_industry_for_claims_skips_only_what_claims_do_not_read(con) -> None:
    from dataclasses import replace

    from armatlas.analysis.industry import industry

    full, lean = (
        industry(con, "azerbaijan", release=NEWEST),
        industry(con, "azerbaijan", release=NEWEST, full=False),
    )
    assert set(full.parts) - set(lean.parts) == {"partners", "personnel"}
    assert replace(lean.summary, personnel=full.summary.personnel) == full.summary
    assert lean["licensed"].rows == full["licensed"].rows and full.summary.licensed.deals > 0
