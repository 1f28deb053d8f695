"""Which snapshots answer a query: the release's register, its TIV tables, its years."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import duckdb

from armatlas.errors import NoDataError, ScopedReleaseError
from armatlas.results import Provenance, SnapshotRef
from armatlas.store import backfill
from armatlas.store.caveats import caveats
from armatlas.store.db import fetch_one, fetch_row
from armatlas.store.releases import (
    TABLE_LAYOUTS,
    list_releases,
    pick_release,
    register_snapshots,
    release_snapshots,
)
from armatlas.store.scope import once, per_store

PUBLICATION_MONTH = 3  # SIPRI publishes the previous year's transfers each March


@dataclass(frozen=True)
class ReleaseContext:
    """One release as the analyses see it.

    Country totals come from the publisher's TIV tables when the release has them;
    bilateral figures always come from a register. A tables-only release borrows the
    register of the nearest earlier release and says so.
    """

    release: str
    register: SnapshotRef | None
    tables: tuple[SnapshotRef, ...]
    first_year: int
    last_year: int  # last complete year with data
    register_note: str | None = None
    caveats: tuple[str, ...] = ()  # quarantined rows, derived matches, user mappings
    scope: str | None = None  # e.g. "recipients: Ukraine" for a register of one country; None = world
    content: str = ""  # digest of the store's content (release_context): caches keyed by context

    def require_world(self, what: str = "world totals, shares and ranks") -> None:
        """A register of selected countries cannot give world figures: refuse, clearly."""
        if self.scope and not self.tables:
            raise ScopedReleaseError(
                f"Release {self.release} covers only {self.scope}: {what} cannot be computed from it",
                value=self.release,
                hint="Choose a release with an all-to-all register or TIV tables (`armatlas releases`); "
                "bilateral figures (e.g. dependence) still work on this one.",
            )

    @property
    def totals_basis(self) -> str:
        return "tables" if self.tables else "register"

    def provenance(self, basis: str, notes: Sequence[str] = (), **kw: Any) -> Provenance:
        snaps = [s for s in (self.register, *self.tables) if s is not None]
        all_notes = list(notes)
        if self.register_note:
            all_notes.append(self.register_note)
        all_notes.extend(self.caveats)
        return Provenance(release=self.release, snapshots=snaps, basis=basis, notes=all_notes, **kw)

    def require_register(self) -> SnapshotRef:
        if self.register is None:
            raise NoDataError(
                f"Release {self.release} has no trade register for bilateral figures",
                hint="Ingest a register or choose another --release.",
            )
        return self.register


def _register_of(con: duckdb.DuckDBPyConnection, rel: str) -> SnapshotRef | None:
    """The release's one register, by the rule `releases` and `deals` use too."""
    refs = register_snapshots(con, rel)
    return refs[0] if refs else None


_CACHE: dict[tuple, ReleaseContext] = {}


def release_context(
    con: duckdb.DuckDBPyConnection, release: str | ReleaseContext | None = None
) -> ReleaseContext:
    """Cached by store content: releases never change once ingested.

    The key is a digest of every stored snapshot (id and sha256) and of what the aggregates were
    built from (a later exact register re-derives an estimated one's per-year rows), so any
    connection or cursor on a store with the same content shares the context, and no other
    store can match it. The context carries that digest (`content`), so every cache keyed by
    a context is keyed by store content too. A context passed in is used as it is (the profile
    resolves its release once for all its sections).
    """
    if isinstance(release, ReleaseContext):
        return release
    state = store_content(con)
    key = (release, state)
    ctx = _CACHE.get(key)
    if ctx is None:
        ctx = _CACHE[key] = replace(_build_context(con, release), content=state)
    return ctx


def store_content(con: duckdb.DuckDBPyConnection) -> str:
    """A digest of the store's content (snapshots, what the aggregates were built from and the
    rows a backfill fills for a stored snapshot): the
    key of every process-level cache, so no other store and no later state can hit it. Read once
    per read-only connection (with its cursors): such a store cannot change while it is open."""
    key = ("content-digest",)
    return once(key, lambda: per_store(con, key, lambda: _read_content(con)))


def _read_content(con: duckdb.DuckDBPyConnection) -> str:
    # Tables a re-ingest can fill for a stored snapshot without changing it (store/backfill.py:
    # the milex workbook's regional totals): their rows change the answers, so they are content.
    derived = backfill.state_sql()
    return str(
        fetch_one(
            con,
            f"""SELECT count(*), coalesce(bit_xor(hash(snapshot_id::VARCHAR || sha256)), 0),
                      (SELECT coalesce(bit_xor(hash(fingerprint)), 0) FROM agg_state), {derived}
                FROM snapshot""",
        )
    )


def _build_context(con: duckdb.DuckDBPyConnection, release: str | None) -> ReleaseContext:
    rel = pick_release(con, release, need="register" if release is None else "any")
    register = _register_of(con, rel)
    tables = tuple(release_snapshots(con, rel, TABLE_LAYOUTS))
    note = None
    if register is None:
        # Tables-only release: take the newest global register generated before it.
        for r in list_releases(con):
            if (
                r["deals"]
                and r["recipients_scope"] in (None, "All countries")
                and r["generated_at"]
                and (r["release"] < rel)
            ):
                register = _register_of(con, r["release"])
                note = f"bilateral figures from the register of release {r['release']}"
                break
    years = []
    if tables:
        years.append(
            fetch_row(
                con,
                "SELECT min(year), max(year) FROM tiv_total WHERE snapshot_id IN (SELECT unnest(?::INTEGER[]))",
                [[t.snapshot_id for t in tables]],
            )
        )
    scope: tuple[str | None, str | None] = (None, None)
    if register is not None:
        lo, hi, gen, *sides = fetch_row(
            con,
            """SELECT v.lo, v.hi, s.generated_at, s.scope_suppliers, s.scope_recipients
               FROM (SELECT min(year) AS lo, max(year) AS hi FROM delivery WHERE snapshot_id = ?) v
               LEFT JOIN snapshot s ON s.snapshot_id = ?""",
            [register.snapshot_id, register.snapshot_id],
        )
        scope = (sides[0], sides[1])
        if lo is not None:
            years.append((lo, min(hi, published_through(gen)) if gen else hi))
    if not years:
        raise NoDataError(f"Release {rel} holds no deliveries")
    first = min(y[0] for y in years)
    last = years[0][1]
    ids = [s.snapshot_id for s in (register, *tables) if s is not None]
    return ReleaseContext(rel, register, tables, first, last, note, tuple(caveats(con, ids)), _scope(*scope))


def published_through(generated_at: datetime) -> int:
    """The newest year SIPRI had published when the data were generated: SIPRI adds a year
    each March, so a file generated in February 2025 holds 2024 rows that are not yet final."""
    return generated_at.year - 1 if generated_at.month >= PUBLICATION_MONTH else generated_at.year - 2


def _scope(suppliers: str | None, recipients: str | None) -> str | None:
    """'recipients: Ukraine' (or suppliers) for a register of selected countries; None = all."""
    parts = [
        f"{side}: {val}"
        for side, val in (("suppliers", suppliers), ("recipients", recipients))
        if val and val.strip().lower() not in ("all countries", "all")
    ]
    return "; ".join(parts) or None
