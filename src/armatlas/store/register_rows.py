"""Parsed file -> store tables, with every finding and derived match in the ingest report."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from armatlas.sources.sipri_transfers import ParsedRegister, ParsedTivTable
from armatlas.store import checks
from armatlas.store.harmonise import (
    Resolver,
    deal_table,
    delivery_table,
    resolve_register,
    tiv_tables,
)
from armatlas.store.quarantine import Finding, Report


def _rejects(parsed: ParsedRegister | ParsedTivTable, report: Report) -> None:
    for line, column, value, message, _cells in parsed.rejects:
        report.findings.append(Finding("parse-error", line, column, value, message))


def register_tables(parsed: ParsedRegister, sid: int, resolver: Resolver, report: Report
                    ) -> tuple[dict[str, pa.Table], int, int, int]:
    """Deal and delivery tables without the quarantined rows; (tables, last year, deals, allowed)."""
    _rejects(parsed, report)
    d = parsed.deals
    report.file_tiv = sum(t or 0.0 for t in d["tiv_delivered"])
    sup, rec, cats, sources, derived = resolve_register(parsed, resolver, report)
    report.derived_rows = derived
    report.derived_tiv = sum(d["tiv_delivered"][i] or 0.0 for i in derived)
    years = [y for y in parsed.deliveries["year"] if y is not None]
    orders = [y for y in d["order_year"] if y is not None]
    gen = parsed.preamble.generated_at
    this_year = datetime.now(UTC).year
    # Years after the publisher's stamp, or in the future, are impossible.
    last_year = min(gen.year, this_year) if gen else this_year
    findings = checks.check_register(d, parsed.deliveries, parsed.layout, last_year)
    by_line = {ln: i for i, ln in enumerate(d["line"])}
    allowed = 0
    # SIPRI's own registers list a few identical records as separate deals (9 to 11 in every
    # release from 2024 to 2026, e.g. two identical aid batches): up to 1 in 1,000 records they
    # are kept; more (a doubled file, a pasted block) and every copy is quarantined.
    n_dup = sum(1 for f in findings if f.check == "duplicate_row")
    publisher_dups = n_dup <= max(1, parsed.n_deals // 1000)
    for f in findings:
        if checks.is_allowed(f, parsed.layout) or (f.check == "duplicate_row" and publisher_dups):
            allowed += 1
            continue
        i = by_line.get(f.line)
        report.findings.append(Finding(
            f.check, f.line, f.column, f.value, f.message,
            (d["tiv_delivered"][i] or 0.0) if i is not None else 0.0, i,
            d["supplier_name"][i] if i is not None else None,
            d["recipient_name"][i] if i is not None else None))
    out = {f.row for f in report.findings if f.row is not None}
    keep = [i not in out for i in range(parsed.n_deals)] if out else None
    tables = {"deal": deal_table(parsed, sid, (sup, rec, cats, sources), keep),
              "delivery": delivery_table(parsed, sid, keep)}
    kept_years = [y for y in years if y <= last_year]
    n = tables["deal"].num_rows
    return tables, max(kept_years) if kept_years else max(orders or [last_year]), n, allowed


def table_rows(parsed: ParsedTivTable, sid: int, resolver: Resolver, report: Report) -> dict[str, pa.Table]:
    """TIV-table rows; rejected and unresolved rows become findings."""
    _rejects(parsed, report)
    return tiv_tables(parsed, sid, resolver, report)
