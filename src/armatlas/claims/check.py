"""Check an article: extract claims, compute evidence on a release, judge, keep provenance."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import duckdb

from armatlas.analysis.context import release_context
from armatlas.claims.article import Article
from armatlas.claims.evidence import Evidence, EvidenceBuilder
from armatlas.claims.extract import Claim, extract_claims
from armatlas.claims.release_pick import NEAREST, nearest_release
from armatlas.claims.verdict import NOT_CHECKABLE, Tolerances, Verdict, judge
from armatlas.results import Provenance, _clean


@dataclass
class CheckedClaim:
    claim: Claim
    evidence: Evidence
    verdict: Verdict

    def to_dict(self) -> dict[str, Any]:
        ev = self.evidence
        return {**self.claim.to_dict(), "verdict": self.verdict.verdict, "difference": self.verdict.difference,
                "explanation": self.verdict.explanation, "computed": ev.computed,
                "base": {"tiv": ev.base_tiv, "deals": ev.base_deals, "small": ev.small_base},
                "detail": ev.detail, "query": ev.query, "evidence_notes": ev.notes, "chart": ev.chart}


@dataclass
class Dossier:
    """Every claim of one article with its evidence and verdict, on one release."""

    article: Article
    claims: list[CheckedClaim]
    provenance: Provenance
    tolerances: Tolerances
    main_entity: str | None
    article_period: str | None
    sentences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    release_choice: str | None = None  # which release and why, when chosen with release="nearest"

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.claims:
            out[c.verdict.verdict] = out.get(c.verdict.verdict, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        a = self.article
        return _clean({
            "kind": "claim_check",
            "article": {"title": a.title, "source": a.source, "published": a.published_label,
                        "location": a.location, "main_entity": self.main_entity,
                        "article_period": self.article_period},
            "release_choice": self.release_choice, "tolerances": self.tolerances, "counts": self.counts(), "notes": self.notes,
            "provenance": self.provenance, "claims": [c.to_dict() for c in self.claims]})

    def to_json(self, **kw: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)


def _revision_note(article: Article, prov: Provenance) -> str | None:
    """Data generated after the article may differ from what its author saw."""
    gens = sorted({s.generated_at[:10] for s in prov.snapshots if s.generated_at})
    pub = article.published_label
    if not gens or not pub or gens[-1] <= pub:
        return None
    return (f"release {prov.release} (data generated {gens[-1]}) is newer than the article ({pub}); "
            "SIPRI revises past years, so a difference may be a revision rather than an error")


def check_article(con: duckdb.DuckDBPyConnection, article: Article, *, release: str | None = None,
                  tolerances: Tolerances | None = None) -> Dossier:
    """The dossier for one article on one release (newest by default).

    release="nearest" takes the latest release generated on or before the article's date
    (see release_pick.nearest_release); the dossier states which one and why.
    """
    tol = tolerances or Tolerances()
    choice = None
    if release == NEAREST:
        release, choice = nearest_release(con, article)
    ctx = release_context(con, release)
    claims, actx = extract_claims(article)
    builder = EvidenceBuilder(con, ctx)
    prov = ctx.provenance("register deliveries and, where the release has them, publisher TIV tables")
    revision = _revision_note(article, prov)
    checked = []
    for c in claims:
        ev = builder.build(c)
        v = judge(c, ev, tol)
        if revision and v.verdict == "inconsistent":
            ev.notes.append(revision)
        checked.append(CheckedClaim(c, ev, v))
    notes = ([choice] if choice else []) + [actx.period_note] + ([revision] if revision else [])
    if not claims:
        notes.append("no claims found")
    return Dossier(article, checked, prov, tol, actx.main_entity,
                   actx.period.label if actx.period else None, [s.text for s in actx.sentences], notes, choice)


__all__ = ["Dossier", "CheckedClaim", "check_article", "NOT_CHECKABLE"]
