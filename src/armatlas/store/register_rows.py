"""Parsed file -> store tables, with every finding and derived match in the ingest report."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyarrow as pa

from armatlas.sources.sipri_transfers import ParsedRegister, ParsedTivTable
from armatlas.store import checks
from armatlas.store.harmonise import (
    KEY_BASE,
    Resolver,
    deal_table,
    delivery_table,
    resolve_register,
    tiv_tables,
)
from armatlas.store.quarantine import Finding, Report


def _rejects(parsed: ParsedRegister | ParsedTivTable, report: Report) -> None:
    # In the delivery-year layout a deal spans rows: one unreadable row holds back its whole deal.
    by_id: dict[str, int] = {}
    if isinstance(parsed, ParsedRegister) and parsed.layout == "delivery_years":
        by_id = {str(k): i for i, k in enumerate(parsed.deals["sipri_id"])}
    for line, column, value, message, cells in parsed.rejects:
        reason = cells[0] if cells and cells[0] == "row_total_mismatch" else "parse-error"
        row = by_id.get(cells[0].strip()) if by_id and cells else None
        report.findings.append(
            Finding(
                reason,
                line,
                column,
                value,
                message,
                row=None if row is None or not isinstance(parsed, ParsedRegister) else parsed.offset + row,
            )
        )


@dataclass
class ChunkState:
    """What the chunks of one file share: seen records, duplicate findings, the years."""

    seen: checks.SeenRecords = field(default_factory=checks.SeenRecords)
    duplicates: list[tuple[Finding, int]] = field(default_factory=list)  # (finding, deal_key)
    deals: int = 0
    last_year: int | None = None  # newest delivery year kept
    orders_last: int | None = None


def publisher_duplicates(n_dup: int, n_deals: int) -> bool:
    """SIPRI's own registers list a few identical records as separate deals (9 to 11 in every
    release from 2024 to 2026, e.g. two identical aid batches): up to 1 in 1,000 records they are
    kept; more (a doubled file, a pasted block) and every copy is quarantined."""
    return n_dup <= max(1, n_deals // 1000)


def register_tables(
    parsed: ParsedRegister, sid: int, resolver: Resolver, report: Report, state: ChunkState | None = None
) -> tuple[dict[str, pa.Table], int, int, int]:
    """Deal and delivery tables without the quarantined rows; (tables, last year, deals, allowed).

    With a `state` (one chunk of a file), duplicate records are collected there and decided by
    `finish_duplicates` once the whole file has been read."""
    _rejects(parsed, report)
    d = parsed.deals
    report.file_tiv += sum(t or 0.0 for t in d["tiv_delivered"])
    sup, rec, cats, sources, derived = resolve_register(parsed, resolver, report)
    report.derived_rows |= {parsed.offset + i for i in derived}
    report.derived_tiv += sum(d["tiv_delivered"][i] or 0.0 for i in derived)
    years = [y for y in parsed.deliveries["year"] if y is not None]
    orders = [y for y in d["order_year"] if y is not None]
    gen = parsed.preamble.generated_at
    this_year = datetime.now(UTC).year
    # Years after the publisher's stamp, or in the future, are impossible.
    last_year = min(gen.year, this_year) if gen else this_year
    findings = checks.check_register(
        d, parsed.deliveries, parsed.layout, last_year, state.seen if state is not None else None
    )
    by_line = {ln: i for i, ln in enumerate(d["line"])}
    allowed = 0
    n_dup = sum(1 for f in findings if f.check == "duplicate_row")
    publisher_dups = state is None and publisher_duplicates(n_dup, parsed.n_deals)
    for f in findings:
        if checks.is_allowed(f, parsed.layout) or (f.check == "duplicate_row" and publisher_dups):
            allowed += 1
            continue
        i = by_line.get(f.line)
        q = Finding(
            f.check,
            f.line,
            f.column,
            f.value,
            f.message,
            (d["tiv_delivered"][i] or 0.0) if i is not None else 0.0,
            None if i is None else parsed.offset + i,
            d["supplier_name"][i] if i is not None else None,
            d["recipient_name"][i] if i is not None else None,
        )
        if state is not None and f.check == "duplicate_row":
            state.duplicates.append((q, sid * KEY_BASE + parsed.offset + (i or 0)))
            continue
        report.findings.append(q)
    out = {
        f.row - parsed.offset
        for f in report.findings
        if f.row is not None and parsed.offset <= f.row < parsed.offset + parsed.n_deals
    }
    keep = [i not in out for i in range(parsed.n_deals)] if out else None
    tables = {
        "deal": deal_table(parsed, sid, (sup, rec, cats, sources), keep),
        "delivery": delivery_table(parsed, sid, keep),
    }
    kept_years = [y for y in years if y <= last_year]
    n = tables["deal"].num_rows
    newest = max(kept_years) if kept_years else max(orders or [last_year])
    if state is not None:
        state.deals += n
        state.last_year = max(newest, state.last_year or newest)
    return tables, newest, n, allowed


def finish_duplicates(remove: Callable[[list[int]], None], state: ChunkState, report: Report) -> int:
    """After the last chunk: the publisher's few identical records stay (counted as allowed);
    beyond that, every copy leaves the stage (`remove` drops deals by key) as a finding."""
    n_dup = len(state.duplicates)
    if not n_dup or publisher_duplicates(n_dup, state.deals + n_dup):
        return n_dup
    remove([k for _, k in state.duplicates])
    report.findings.extend(f for f, _ in state.duplicates)
    return 0


def table_rows(parsed: ParsedTivTable, sid: int, resolver: Resolver, report: Report) -> dict[str, pa.Table]:
    """TIV-table rows; rejected and unresolved rows become findings."""
    _rejects(parsed, report)
    return tiv_tables(parsed, sid, resolver, report)
