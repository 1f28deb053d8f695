"""Which edition of the data each claim is checked against: the one its author could have seen.

The author's edition is the newest usable release generated on or before the publication date
whose years cover the claim's periods; when none does (the article quotes data newer than any
stored edition it could have seen), the oldest usable release that covers them, said so. A
release holding one country's transfers only is never usable (every world figure would be wrong).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from armatlas.analysis.context import ReleaseContext, release_context
from armatlas.analysis.periods import Period
from armatlas.claims.article import Article
from armatlas.claims.release_pick import usable_release
from armatlas.store.releases import list_releases


@dataclass(frozen=True)
class Edition:
    release: str
    generated: date
    ctx: ReleaseContext


def editions(con: duckdb.DuckDBPyConnection) -> list[Edition]:
    """Usable, dated releases, oldest first, each with its analysis context."""
    out = []
    for r in sorted((r for r in list_releases(con) if usable_release(r)), key=lambda r: r["generated_at"]):
        out.append(Edition(r["release"], r["generated_at"].date(), release_context(con, r["release"])))
    return out


def _cutoff(article: Article) -> tuple[date | None, bool]:
    if article.published is not None:
        return article.published, True
    if article.published_year is not None:
        return date(article.published_year, 1, 1), False
    return None, False


def covers(ed: Edition, periods: list[Period]) -> bool:
    return all(ed.ctx.first_year <= p.start and p.end <= ed.ctx.last_year for p in periods)


def author_edition(eds: list[Edition], article: Article, periods: list[Period]) -> tuple[Edition | None, str]:
    """(edition, why) for one claim's periods."""
    if not eds:
        return None, "no usable release in the store"
    cutoff, full = _cutoff(article)
    if cutoff is None:
        return eds[-1], "the article has no date: newest release"
    seen = [e for e in eds if (e.generated <= cutoff if full else e.generated < cutoff)]
    fit = [e for e in seen if covers(e, periods)]
    if fit:
        e = fit[-1]
        return (
            e,
            f"newest edition generated on or before the article ({cutoff.isoformat()}) that covers its years",
        )
    later = [e for e in eds if e not in seen and covers(e, periods)]
    if later:
        e = later[0]
        why = (
            "no edition the author could have seen covers " + ", ".join(p.label for p in periods)
            if seen
            else "no stored edition predates the article"
        ) + f"; used the oldest that does ({e.generated.isoformat()})"
        return e, why
    return eds[-1], "no edition covers the claim's years; newest release"
