"""A country's trade as one slice of the release aggregates (`store/aggregates.py`).

Every bilateral figure (supplier and recipient shares, dependence flags, categories, the
cut-off, exports) is a grouping of `agg_flow` rows by period and some key, done here in one
place. A slice is read once per release and entity (one query, cached by store content through
the release context) and shared by every analysis of a profile.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, TypeVar

import duckdb

from armatlas.analysis.context import ReleaseContext
from armatlas.analysis.periods import Period

K = TypeVar("K", bound=Hashable)


class Flow(NamedTuple):
    """One `agg_flow` row: a year's deliveries of one category from a supplier to a recipient."""

    year: int
    supplier_id: str
    recipient_id: str
    category: str
    tiv: float
    estimated_tiv: float | None
    second_hand_tiv: float
    licensed_tiv: float
    local_production_tiv: float
    flagged_tiv: float
    any_flagged: bool
    any_second_hand: bool
    deal_keys: list[int]


_COLS = ", ".join(Flow._fields)
_SLICES: dict[tuple, list[Flow]] = {}
_WHOLE: dict[ReleaseContext, dict[str, list[Flow]]] = {}
_NAMES: dict[ReleaseContext, dict[str, tuple[str, str]]] = {}
_READS: dict[ReleaseContext, int] = {}
_CACHE_MAX = 512
# After this many entities' slices of one release, a long-running process (server, claim
# checker, benchmark) indexes the whole release at once (~40k rows, one read) and slices it in
# memory; a one-off command reads only the slice it needs.
WHOLE_AFTER = 8


def flows(
    con: duckdb.DuckDBPyConnection,
    ctx: ReleaseContext,
    entity_ids: Sequence[str] | None,
    within: Sequence[Period] = (),
) -> list[Flow]:
    """The register's aggregate rows where any of the entities is supplier or recipient (None:
    every row), in year order, so sums are added in one fixed order; with `within`, only the
    years those periods span (a grouping by them then skips the slice's other decades)."""
    rows = _flows(con, ctx, entity_ids)
    if not within:
        return rows
    lo, hi = min(p.start for p in within), max(p.end for p in within)
    return rows[bisect_left(rows, lo, key=_year) : bisect_right(rows, hi, key=_year)]


def _year(f: Flow) -> int:
    return f.year


def _flows(
    con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, entity_ids: Sequence[str] | None
) -> list[Flow]:
    sid = ctx.require_register().snapshot_id
    if entity_ids is None:
        return _cached((ctx, None), lambda: _read(con, sid, None))
    ids = list(dict.fromkeys(entity_ids))
    whole = _WHOLE.get(ctx)
    missing = [e for e in ids if (ctx, e) not in _SLICES] if whole is None else []
    if missing and _READS.get(ctx, 0) + len(missing) > WHOLE_AFTER:
        whole = _index_whole(con, ctx)
    elif missing:
        _READS[ctx] = _READS.get(ctx, 0) + len(missing)
        got: dict[str, list[Flow]] = {e: [] for e in missing}
        for f in _read(con, sid, missing):
            for e in {f.supplier_id, f.recipient_id}:
                if e in got:
                    got[e].append(f)
        if len(_SLICES) + len(got) > _CACHE_MAX:
            _SLICES.clear()
        _SLICES.update({(ctx, e): rows for e, rows in got.items()})
    slices = [whole.get(e, []) if whole is not None else _SLICES[ctx, e] for e in ids]
    if len(slices) == 1:
        return slices[0]
    seen: dict[tuple, Flow] = {}
    for rows in slices:  # a flow between two members once
        for f in rows:
            seen.setdefault((f.year, f.supplier_id, f.recipient_id, f.category), f)
    return sorted(seen.values(), key=lambda f: (f.year, f.supplier_id, f.recipient_id, f.category))


def _index_whole(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext) -> dict[str, list[Flow]]:
    """Every entity's slice of the release from one read of its rows (kept for a few releases)."""
    by: dict[str, list[Flow]] = {}
    for f in _flows(con, ctx, None):
        by.setdefault(f.supplier_id, []).append(f)
        if f.recipient_id != f.supplier_id:
            by.setdefault(f.recipient_id, []).append(f)
    if len(_WHOLE) >= 4:
        _WHOLE.clear()
    _WHOLE[ctx] = by
    return by


def _cached(key: tuple, build: Callable[[], list[Flow]]) -> list[Flow]:
    hit = _SLICES.get(key)
    if hit is None:
        if len(_SLICES) >= _CACHE_MAX:
            _SLICES.clear()
        hit = _SLICES[key] = build()
    return hit


def _read(con: duckdb.DuckDBPyConnection, sid: int, ids: list[str] | None) -> list[Flow]:
    where = (
        ""
        if ids is None
        else "AND (supplier_id IN (SELECT unnest($ids)) OR recipient_id IN (SELECT unnest($ids)))"
    )
    params: dict = {"sid": sid} | ({} if ids is None else {"ids": ids})
    rows = con.execute(
        f"SELECT {_COLS} FROM agg_flow WHERE snapshot_id = $sid {where} "
        "ORDER BY year, supplier_id, recipient_id, category",
        params,
    ).fetchall()
    return [Flow(*r) for r in rows]


def names(con: duckdb.DuckDBPyConnection, ctx: ReleaseContext) -> dict[str, tuple[str, str]]:
    """entity_id -> (name, kind) from the store's copy of the register, once per store content."""
    hit = _NAMES.get(ctx)
    if hit is None:
        if len(_NAMES) >= 64:
            _NAMES.clear()
        hit = _NAMES[ctx] = {
            e: (n, k) for e, n, k in con.execute("SELECT entity_id, name, kind FROM entity").fetchall()
        }
    return hit


@dataclass
class Sums:
    """What a group of flows adds up to; deals counted once however many years they span."""

    tiv: float = 0.0
    estimated_tiv: float | None = None
    second_hand_tiv: float = 0.0
    licensed_tiv: float = 0.0
    local_production_tiv: float = 0.0
    flagged_tiv: float = 0.0
    any_flagged: bool = False
    any_second_hand: bool = False
    keys: set[int] = field(default_factory=set)
    partners: set[str] = field(default_factory=set)

    def add(self, f: Flow, partner: str | None = None) -> None:
        self.tiv += f.tiv
        if f.estimated_tiv is not None:
            self.estimated_tiv = (self.estimated_tiv or 0.0) + f.estimated_tiv
        self.second_hand_tiv += f.second_hand_tiv
        self.licensed_tiv += f.licensed_tiv
        self.local_production_tiv += f.local_production_tiv
        self.flagged_tiv += f.flagged_tiv
        self.any_flagged |= f.any_flagged
        self.any_second_hand |= f.any_second_hand
        self.keys.update(f.deal_keys)
        if partner is not None:
            self.partners.add(partner)

    @property
    def deals(self) -> int:
        return len(self.keys)


def side(direction: str) -> tuple[str, str]:
    """(field of the entity, field of its partner) for imports or exports."""
    return ("recipient_id", "supplier_id") if direction == "import" else ("supplier_id", "recipient_id")


def grouped(
    rows: Iterable[Flow],
    periods: Sequence[Period],
    key: Callable[[Flow], K],
    partner: Callable[[Flow], str] | None = None,
) -> dict[str, dict[K, Sums]]:
    """period label -> key -> sums, keys in first-seen order (rows come in year order)."""
    out: dict[str, dict[K, Sums]] = {p.label: {} for p in periods}
    spans = [(p.start, p.end, out[p.label]) for p in periods]
    for f in rows:
        y, k, other = f.year, None, None
        for start, end, g in spans:
            if start <= y <= end:
                if k is None:  # key and partner once per row, however many periods hold it
                    k, other = (key(f),), partner(f) if partner else None
                s = g.get(k[0])
                if s is None:
                    s = g[k[0]] = Sums()
                s.add(f, other)
    return out


def ranks(values: Sequence[float]) -> list[int]:
    """SQL's rank() over values in descending order: ties share a rank, the next one skips."""
    order = sorted(range(len(values)), key=lambda i: -values[i])
    out = [0] * len(values)
    for pos, i in enumerate(order):
        out[i] = out[order[pos - 1]] if pos and values[order[pos - 1]] == values[i] else pos + 1
    return out
