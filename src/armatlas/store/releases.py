"""Releases: the publisher's generations of the data, several side by side in one store."""

from __future__ import annotations

import duckdb

from armatlas.errors import NoDataError
from armatlas.results import SnapshotRef
from armatlas.store.scope import once, per_store, read_only

REGISTER_LAYOUTS = ("web_register", "tidy_register", "delivery_years")
TABLE_LAYOUTS = ("tiv_imports", "tiv_exports")


# The one rule that picks a release's register (every analysis, `releases` and `deals` use it):
# an all-to-all register before a selection; then the web (or tidy) register, which has the
# orders (pipeline) and, where the release also has the delivery-year layout, that layout's
# exact per-year rows (store/allocation.py); then the delivery-year layout alone; then the
# larger, then the first stored.
REGISTER_ORDER = """
    (coalesce(scope_recipients, 'All countries') = 'All countries'
     AND coalesce(scope_suppliers, 'All countries') = 'All countries') DESC,
    (layout = 'delivery_years') ASC, n_records DESC, snapshot_id"""


# Every `snapshot` column list_releases reads: their digest keys its cache, so a stored,
# replaced or changed snapshot is seen at once while an unchanged store is not read again.
_SNAPSHOT_DIGEST = """SELECT count(*), coalesce(bit_xor(hash(snapshot_id, sha256, source, layout,
    release, generated_at, file_name, scope_recipients, scope_suppliers, n_records, n_rows,
    last_year)), 0) FROM snapshot"""
_RELEASES: dict[tuple, list[dict]] = {}
_RELEASES_MAX = 16


def list_releases(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """One row per release, newest first; counts are those of the release's one register.

    Read once per read-only connection (its store cannot change); on a writable one, cached by
    a digest of the columns it reads (one cheap aggregate instead of the grouped query: analyses
    and the claim checker ask for the list several times per call)."""
    if read_only(con):
        rows = per_store(con, ("releases",), lambda: _list_releases(con))
    else:
        key = once(("releases-digest",), lambda: tuple(con.execute(_SNAPSHOT_DIGEST).fetchall()[0]))
        hit = _RELEASES.get(key)
        if hit is None:
            if len(_RELEASES) >= _RELEASES_MAX:
                _RELEASES.clear()
            hit = _RELEASES[key] = _list_releases(con)
        rows = hit
    return [dict(r) for r in rows]


def _list_releases(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Each release's rows from one plain read of its snapshots (each register ranked by
    REGISTER_ORDER in SQL), summed in Python: the grouped SQL cost a cold start ~6 ms more."""
    rows = con.execute(
        f"""
        SELECT release, generated_at, layout, file_name, scope_recipients, scope_suppliers, n_records,
               n_rows, last_year,
               layout IN {REGISTER_LAYOUTS} AND row_number() OVER (
                   PARTITION BY release, layout IN {REGISTER_LAYOUTS} ORDER BY {REGISTER_ORDER}) = 1
        FROM snapshot WHERE source = 'sipri_arms_transfers'"""
    ).fetchall()
    by: dict[str, list[tuple]] = {}
    for r in rows:
        by.setdefault(r[0], []).append(r)
    out = []
    for release, snaps in by.items():
        reg = next((r for r in snaps if r[9]), None)
        dates = [r[1] for r in snaps if r[1] is not None]
        layouts = sorted({r[2] for r in snaps if r[2] is not None})
        files = sorted(r[3] for r in snaps if r[3] is not None)
        years = [r[8] for r in snaps if r[8] is not None]
        out.append(
            {
                "release": release,
                "generated_at": min(dates) if dates else None,
                "layouts": ", ".join(layouts) if layouts else None,
                "files": "; ".join(files) if files else None,
                "recipients_scope": reg[4] if reg else None,
                "suppliers_scope": reg[5] if reg else None,
                "deals": (reg[6] if reg else None) or 0,
                "delivery_rows": (reg[7] if reg else None) or 0,
                "tiv_table_cells": sum(r[7] for r in snaps if r[2] in TABLE_LAYOUTS and r[7] is not None),
                "last_year": max(years) if years else None,
            }
        )
    out.sort(key=lambda r: r["release"])  # ORDER BY generated_at DESC NULLS LAST, release (stable sorts)
    out.sort(key=lambda r: (r["generated_at"] is not None, r["generated_at"]), reverse=True)
    return out


def _is_global(rel: dict) -> bool:
    return rel["recipients_scope"] in (None, "All countries") and rel["suppliers_scope"] in (
        None,
        "All countries",
    )


def _has(rel: dict, need: str) -> bool:
    has_register = rel["deals"] > 0
    has_tables = rel["tiv_table_cells"] > 0
    if need == "register":
        return has_register
    if need == "tables":
        return has_tables
    return has_register or has_tables


def pick_release(
    con: duckdb.DuckDBPyConnection, release: str | None = None, *, need: str = "register"
) -> str:
    """The named release, or the newest one that has what the query needs.

    need='register' wants an all-to-all register; need='tables' wants TIV tables;
    need='any' takes either.
    """
    rels = list_releases(con)
    if not rels:
        raise NoDataError(
            "The store holds no arms-transfer data yet",
            hint="Run `armatlas fetch` or `armatlas ingest PATH...`.",
        )
    if release is not None:
        exact = [r for r in rels if r["release"] == release]
        prefix = [
            r
            for r in rels
            if len(release) >= 4
            and (
                r["release"].startswith(release)
                or (r["generated_at"] and str(r["generated_at"]).startswith(release))
            )
        ]
        found = exact or prefix
        if len(found) != 1:
            raise NoDataError(
                f"No release {release!r} in the store"
                if not found
                else f"{release!r} matches several releases",
                value=release,
                hint="Known releases: " + ", ".join(r["release"] for r in rels),
            )
        r = found[0]
        if not _has(r, need):
            raise NoDataError(
                f"Release {r['release']} has no {'all-to-all register' if need == 'register' else 'TIV tables'}",
                value=release,
                hint="Known releases: " + ", ".join(r["release"] for r in rels),
            )
        return r["release"]
    # By default only a global register counts: a per-country export (e.g. "to Ukraine") is
    # never the implicit basis of world shares.
    for r in rels:
        global_register = _has(r, "register") and _is_global(r)
        if (
            (need == "register" and global_register)
            or (need == "tables" and _has(r, "tables"))
            or (need == "any" and (global_register or _has(r, "tables")))
        ):
            return r["release"]
    raise NoDataError(
        f"No release in the store has {'an all-to-all register' if need == 'register' else 'TIV tables'}",
        hint="Ingest one with `armatlas ingest PATH`, or name a release the store has (--release, "
        "release=) for what it holds: " + ", ".join(_holdings(r) for r in rels) + ".",
    )


def _holdings(r: dict) -> str:
    """'2024-10-13 (TIV tables)': a release and what it can answer, for a hint."""
    parts = []
    if _has(r, "register"):
        parts.append("register" if _is_global(r) else "register of selected countries")
    if _has(r, "tables"):
        parts.append("TIV tables")
    return f"{r['release']} ({' and '.join(parts) or 'nothing usable'})"


def release_snapshots(
    con: duckdb.DuckDBPyConnection, release: str, layouts: tuple[str, ...] | None = None
) -> list[SnapshotRef]:
    q = (
        "SELECT snapshot_id, source, file_name, layout, release, CAST(generated_at AS VARCHAR), sha256, url "
        "FROM snapshot WHERE release = ?"
    )
    rows = once(("release", release), lambda: con.execute(q + " ORDER BY snapshot_id", [release]).fetchall())
    refs = [SnapshotRef(*r) for r in rows]
    return [s for s in refs if layouts is None or s.layout in layouts]


def register_snapshots(con: duckdb.DuckDBPyConnection, release: str) -> list[SnapshotRef]:
    """A release's registers, the one analyses read first (see REGISTER_ORDER)."""
    rows = once(
        ("registers", release),
        lambda: con.execute(
            "SELECT snapshot_id, source, file_name, layout, release, CAST(generated_at AS VARCHAR), sha256, url "
            f"FROM snapshot WHERE release = ? AND source = 'sipri_arms_transfers' AND layout IN {REGISTER_LAYOUTS} "
            f"ORDER BY {REGISTER_ORDER}",
            [release],
        ).fetchall(),
    )
    return [SnapshotRef(*r) for r in rows]


def register_snapshot(con: duckdb.DuckDBPyConnection, release: str) -> SnapshotRef:
    """The one register of a release that every analysis reads."""
    refs = register_snapshots(con, release)
    if not refs:
        raise NoDataError(
            f"Release {release} has no trade register",
            hint="Bilateral figures need a register; pick another --release.",
        )
    return refs[0]


# Newest first for the sources read one snapshot at a time (milex, each WDI indicator): the
# latest data year, then the publisher's date or stamp; the order of ingest only breaks ties.
NEWEST_ORDER = (
    "last_year DESC NULLS LAST, generated_at DESC NULLS LAST, "
    "publisher_stamp DESC NULLS LAST, snapshot_id DESC"
)


def newest_sql(where: str) -> str:
    """A scalar subquery: the newest snapshot matching `where` (for use inside other SQL)."""
    return f"(SELECT snapshot_id FROM snapshot WHERE {where} ORDER BY {NEWEST_ORDER} LIMIT 1)"
