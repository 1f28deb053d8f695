"""Check an article: extract claims, compute evidence on a release, judge, keep provenance."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

import duckdb

from armatlas.analysis.context import release_context
from armatlas.claims.article import Article
from armatlas.claims.evidence import Evidence, EvidenceBuilder
from armatlas.claims.extract import ArticleContext, Claim, extract_claims
from armatlas.claims.kinds import ClaimKind, own_source
from armatlas.claims.memo import Memo
from armatlas.claims.release_pick import NEAREST, nearest_release
from armatlas.claims.verdict import NOT_CHECKABLE, Tolerances, Verdict, judge
from armatlas.results import Provenance, plain
from armatlas.store.scope import one_store_state


@dataclass
class CheckedClaim:
    claim: Claim
    evidence: Evidence
    verdict: Verdict
    release: str | None = None  # the edition the verdict rests on
    release_why: str | None = None
    newest: tuple[str, Evidence, Verdict] | None = None  # the newest release, when it differs

    def to_dict(self) -> dict[str, Any]:
        ev = self.evidence
        newest = None
        if self.newest:
            rel, nev, nv = self.newest
            newest = {
                "release": rel,
                "computed": nev.computed,
                "verdict": nv.verdict,
                "explanation": nv.explanation,
            }
        return {
            **self.claim.to_dict(),
            "verdict": self.verdict.verdict,
            "difference": self.verdict.difference,
            "explanation": self.verdict.explanation,
            "computed": ev.computed,
            "release": self.release,
            "release_why": self.release_why,
            "newest": newest,
            "base": {"tiv": ev.base_tiv, "deals": ev.base_deals, "small": ev.small_base},
            "detail": ev.detail,
            "query": ev.query,
            "evidence_notes": ev.notes,
            "chart": ev.chart,
        }


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
    unchecked: list[dict] = field(
        default_factory=list
    )  # sentences with figures no claim was read from, and why
    warnings: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for c in self.claims:
            out[c.verdict.verdict] = out.get(c.verdict.verdict, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        a = self.article
        return plain(
            {
                "kind": "claim_check",
                "article": {
                    "title": a.title,
                    "source": a.source,
                    "published": a.published_label,
                    "location": a.location,
                    "main_entity": self.main_entity,
                    "article_period": self.article_period,
                },
                "release_choice": self.release_choice,
                "tolerances": self.tolerances,
                "counts": self.counts(),
                "notes": self.notes,
                "warnings": self.warnings,
                "unchecked": self.unchecked,
                "provenance": self.provenance,
                "claims": [c.to_dict() for c in self.claims],
            }
        )

    def to_json(self, **kw: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)


def _revision_note(article: Article, prov: Provenance) -> str | None:
    """Data generated after the article may differ from what its author saw."""
    gens = sorted({s.generated_at[:10] for s in prov.snapshots if s.generated_at})
    pub = article.published_label
    if not gens or not pub or gens[-1] <= pub:
        return None
    return (
        f"release {prov.release} (data generated {gens[-1]}) is newer than the article ({pub}); "
        "SIPRI revises past years, so a difference may be a revision rather than an error"
    )


REVISED = "consistent (revised since)"


def _by_edition(con: duckdb.DuckDBPyConnection, article: Article, tol: Tolerances) -> Dossier:
    """Each claim against the edition its author could have seen, and against the newest."""
    from armatlas.claims.editions import author_edition, editions

    eds = editions(con)
    newest_ctx = release_context(con, None)
    claims, actx = extract_claims(article)
    memo = Memo(con)  # one per check: the editions' builders share its analysis calls
    builders = {newest_ctx.release: EvidenceBuilder(con, newest_ctx, memo, claims)}
    used: dict[str, set[str]] = {}
    checked = []
    for c in claims:
        pub_date, pub_year = actx.published(c.sentence_index)
        seen_by = dataclasses.replace(article, published=pub_date, published_year=pub_year)
        ed, why = (
            author_edition(eds, seen_by, list(c.periods))
            if c.periods and not own_source(c.kind)
            else (None, "")
        )
        rel = ed.release if ed else newest_ctx.release
        if ed and rel not in builders:
            builders[rel] = EvidenceBuilder(con, ed.ctx, memo, claims)
        ev = builders[rel].build(c)
        v = judge(c, ev, tol)
        cc = CheckedClaim(c, ev, v, rel if not own_source(c.kind) else None, why or None)
        if rel != newest_ctx.release and not own_source(c.kind) and c.kind != ClaimKind.OUT_OF_SCOPE:
            nev = builders[newest_ctx.release].build(c)
            nv = judge(c, nev, tol)
            cc.newest = (newest_ctx.release, nev, nv)
            if v.verdict == "consistent" and nv.verdict == "inconsistent":
                cc.verdict = Verdict(
                    REVISED,
                    v.difference,
                    f"{v.explanation}; consistent with the edition of {rel}, "
                    f"revised since: release {newest_ctx.release} gives {nv.explanation}",
                )
            elif (
                v.verdict == "inconsistent"
                and nv.verdict == "consistent"
                and c.value is None
                and c.relation not in ("ordered", "top_n", "not_top_n")
            ):
                # A qualitative statement the editions disagree on: neither red nor green.
                cc.verdict = Verdict(
                    "ambiguous",
                    None,
                    f"the editions disagree: {rel} gives {v.explanation}; "
                    f"release {newest_ctx.release} gives {nv.explanation}",
                )
        checked.append(cc)
        if ed:
            used.setdefault(f"{rel} ({why})", set()).add(str(len(checked)))
    prov = newest_ctx.provenance("register deliveries and, where the release has them, publisher TIV tables")
    notes = [f"edition {k}: rows {', '.join(sorted(v, key=int))}" for k, v in used.items()]
    notes.append(f"newest release {newest_ctx.release}, shown beside each claim where it differs")
    return _finish(
        Dossier(
            article,
            checked,
            prov,
            tol,
            actx.main_entity,
            actx.period.label if actx.period else None,
            [s.text for s in actx.sentences],
            notes,
            "each claim against the edition its author could have seen (see notes), and the newest",
        ),
        actx,
    )


def _finish(d: Dossier, actx: ArticleContext) -> Dossier:
    """Add what was not checked and why, and a warning for articles not in English."""
    from armatlas.claims.unchecked import language_warning, unchecked

    d.unchecked = unchecked(actx, [c.claim for c in d.claims])
    if w := language_warning(d.article.body):
        d.warnings.append(w)
    if not d.claims:
        d.notes.append("no claims found" + (" (see the warning)" if d.warnings else ""))
    return d


def check_article(
    con: duckdb.DuckDBPyConnection,
    article: Article,
    *,
    release: str | None = None,
    tolerances: Tolerances | None = None,
) -> Dossier:
    """The dossier for one article: by default each claim on the edition its author could have
    seen (and on the newest); release="newest"/a release id checks everything on that release.

    release="nearest" takes the latest release generated on or before the article's date
    (see release_pick.nearest_release); the dossier states which one and why.
    """
    with one_store_state():  # the check reads one store: its snapshot lists are read once
        return _check(con, article, release, tolerances or Tolerances())


def _check(con: duckdb.DuckDBPyConnection, article: Article, release: str | None, tol: Tolerances) -> Dossier:
    if release is None:
        return _by_edition(con, article, tol)
    if release == "newest":
        release = None
    choice = None
    if release == NEAREST:
        release, choice = nearest_release(con, article)
    ctx = release_context(con, release)
    claims, actx = extract_claims(article)
    builder = EvidenceBuilder(con, ctx, claims=claims)
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
    return _finish(
        Dossier(
            article,
            checked,
            prov,
            tol,
            actx.main_entity,
            actx.period.label if actx.period else None,
            [s.text for s in actx.sentences],
            notes,
            choice,
        ),
        actx,
    )


__all__ = ["NOT_CHECKABLE", "CheckedClaim", "Dossier", "check_article"]
