"""Which release to check an article against when asked for the one its author could have seen."""

from __future__ import annotations

from datetime import date

import duckdb

from armatlas.claims.article import Article
from armatlas.errors import NoDataError
from armatlas.store.releases import list_releases

NEAREST = "nearest"


def usable_release(rel: dict) -> bool:
    """A dated release with a global register or TIV tables: a per-country register (e.g. 'to
    Ukraine') would make every share wrong, and an undated one cannot be placed in time."""
    if rel["generated_at"] is None:
        return False
    global_register = (
        rel["deals"] > 0
        and rel["recipients_scope"] in (None, "All countries")
        and (rel["suppliers_scope"] in (None, "All countries"))
    )
    return global_register or rel["tiv_table_cells"] > 0


def nearest_release(con: duckdb.DuckDBPyConnection, article: Article) -> tuple[str | None, str]:
    """(release, why): the latest usable release generated on or before the article's date.

    With a year-only date, only releases generated in earlier years count (any later one may
    postdate the article). Before every release: the oldest, said so. No date at all: None
    (the caller's default, the newest release), said so.
    """
    rels = sorted((r for r in list_releases(con) if usable_release(r)), key=lambda r: r["generated_at"])
    if not rels:
        raise NoDataError(
            "No dated release with a global register or TIV tables in the store",
            hint="Ingest one with `armatlas ingest PATH`, or name a --release.",
        )
    gen = {r["release"]: r["generated_at"].date() for r in rels}
    if article.published is not None:
        cutoff: date = article.published
        before = [r for r in rels if gen[r["release"]] <= cutoff]
        rule = f"published {cutoff.isoformat()}"
    elif article.published_year is not None:
        cutoff = date(article.published_year, 1, 1)
        before = [r for r in rels if gen[r["release"]] < cutoff]
        rule = f"published in {article.published_year} (year only; releases generated before that year)"
    else:
        return None, "release 'nearest' asked for, but the article has no date: used the newest release"
    if before:
        r = before[-1]["release"]
        return r, (
            f"release {r} (data generated {gen[r].isoformat()}): the latest generated on or before the "
            f"article, {rule}"
        )
    r = rels[0]["release"]
    return r, (
        f"release {r} (data generated {gen[r].isoformat()}): no release in the store predates the article "
        f"({rule}), so the oldest available was used; its figures may include revisions the author "
        "could not have seen"
    )
