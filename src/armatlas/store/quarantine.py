"""Row-level quarantine: what an ingest left out or resolved by a rule, and when a file fails.

A finding (unknown name, unmapped description, unreadable cell, failed data check) sends its
row to the `quarantine` table with the reason, file, line, column and value; derived matches go
to `resolution` with their rule. A file fails only when what is quarantined passes a threshold
(> 1% of the file's TIV or > 50 rows), or, with `strict`, on any finding or derived match;
either way with ONE message that lists every finding, grouped and counted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import duckdb

from armatlas import columnar
from armatlas.errors import DataCheckError, ParseError, UnknownDescriptionError, UnknownEntityError

if TYPE_CHECKING:
    import pyarrow as pa

MAX_ROWS = 50
MAX_TIV_SHARE = 0.01

TABLES = """
CREATE TABLE IF NOT EXISTS quarantine (
    snapshot_id INTEGER NOT NULL, src_line INTEGER, column_name VARCHAR, value VARCHAR,
    reason VARCHAR NOT NULL, message VARCHAR, supplier_name VARCHAR, recipient_name VARCHAR,
    supplier_id VARCHAR, recipient_id VARCHAR, tiv DOUBLE
);
CREATE TABLE IF NOT EXISTS resolution (
    snapshot_id INTEGER NOT NULL, kind VARCHAR NOT NULL, value VARCHAR NOT NULL,
    resolved VARCHAR NOT NULL, tier VARCHAR NOT NULL, rule VARCHAR NOT NULL, n_rows INTEGER,
    tiv DOUBLE
);
CREATE TABLE IF NOT EXISTS ingest_report (
    snapshot_id INTEGER PRIMARY KEY, mode VARCHAR NOT NULL, file_tiv DOUBLE,
    quarantined_rows INTEGER, quarantined_tiv DOUBLE, derived_rows INTEGER, derived_tiv DOUBLE,
    overlay_sha256 VARCHAR
);
CREATE TABLE IF NOT EXISTS tiv_partner (
    entity_id VARCHAR NOT NULL, partner_id VARCHAR NOT NULL, direction VARCHAR NOT NULL,
    year INTEGER NOT NULL, tiv DOUBLE NOT NULL, below_half BOOLEAN NOT NULL,
    snapshot_id INTEGER NOT NULL, src_line INTEGER NOT NULL
);
"""


@dataclass(frozen=True)
class Finding:
    """One row held back: why, and where."""

    reason: str  # 'unknown-entity', 'unknown-description', 'parse-error' or a data check name
    line: int | None
    column: str | None
    value: Any
    message: str
    tiv: float = 0.0
    row: int | None = None  # deal index, or None for a table row
    supplier: str | None = None
    recipient: str | None = None


@dataclass
class Report:
    """Everything an ingest (or `armatlas review`) found in one file."""

    file: str
    file_tiv: float = 0.0
    findings: list[Finding] = field(default_factory=list)
    # (kind, value) -> [resolved, tier, rule, n_rows, tiv]
    resolutions: dict[tuple[str, str], list[Any]] = field(default_factory=dict)
    overlay_digest: str | None = None
    allowed: int = 0
    derived_rows: set[int] = field(default_factory=set)  # rows resting on a derived match
    derived_tiv: float = 0.0

    def quarantined_rows(self) -> set[int | tuple[int | None, str]]:
        return {f.row if f.row is not None else (f.line, str(f.value)) for f in self.findings}

    def quarantined_tiv(self) -> float:
        seen: dict[Any, float] = {}
        for f in self.findings:
            seen[f.row if f.row is not None else (f.line, str(f.value))] = f.tiv or 0.0
        return sum(seen.values())

    def derived(self) -> list[tuple[str, str, list[Any]]]:
        return [(k, v, r) for (k, v), r in self.resolutions.items() if r[1] == "derived"]

    def over_threshold(self) -> bool:
        n = len(self.quarantined_rows())
        return n > MAX_ROWS or (self.file_tiv > 0 and self.quarantined_tiv() > MAX_TIV_SHARE * self.file_tiv)

    def enforce(self, strict: bool) -> None:
        """Raise one DataCheckError listing everything, if the file must fail."""
        derived = self.derived()
        if strict and (self.findings or derived):
            raise findings_error(self, strict=True)
        if not strict and self.over_threshold():
            raise findings_error(self, strict=False)

    def lines(self, limit: int = 200) -> list[str]:
        """Every finding grouped by reason, counted, with file/line/column/value of each."""
        out: list[str] = []
        groups: dict[str, list[Finding]] = defaultdict(list)
        for f in self.findings:
            groups[f.reason].append(f)
        for reason in sorted(groups, key=lambda r: (-len(groups[r]), r)):
            fs = groups[reason]
            out.append(f"{reason}: {len(fs)} row(s), {sum(f.tiv for f in fs):,.1f} TIV")
            by_value: dict[tuple[str | None, str], list[Finding]] = defaultdict(list)
            for f in fs:
                by_value[f.column, repr(f.value)].append(f)
            for n, ((column, value), vs) in enumerate(by_value.items()):
                if n == limit:
                    out.append(f"  ... and {len(by_value) - limit} more value(s)")
                    break
                lines = ", ".join(str(f.line) for f in vs[:10]) + (" ..." if len(vs) > 10 else "")
                out.append(
                    f"  column {column!r}, value {value}: {len(vs)} row(s) at line(s) "
                    f"{lines}: {vs[0].message}"
                )
        derived = self.derived()
        if derived:
            out.append(f"derived matches: {len(derived)} value(s), {sum(r[3] for _, _, r in derived)} row(s)")
            for kind, value, (res, _, rule, n, tiv) in derived:
                out.append(f"  {kind} {value!r} -> {res!r} by {rule} ({n} rows, {tiv:,.1f} TIV)")
        return out


class IngestFindingsError(DataCheckError):
    """A file held back: one message with every finding, grouped and counted."""

    def __init__(self, report: Report, *, strict: bool) -> None:
        self.report = report
        n = len(report.quarantined_rows())
        share = report.quarantined_tiv() / report.file_tiv if report.file_tiv else 0.0
        if strict:
            head = (
                f"Strict ingest refused: {len(report.findings)} finding(s) and "
                f"{len(report.derived())} derived match(es)"
            )
            hint = (
                "Run `armatlas review FILE` to see suggestions and write an overlay, or "
                "ingest without --strict to quarantine these rows."
            )
        else:
            head = (
                f"Too much of the file would be quarantined: {n} row(s), {share:.1%} of its "
                f"TIV (limits: {MAX_ROWS} rows, {MAX_TIV_SHARE:.0%})"
            )
            hint = "Run `armatlas review FILE` to see suggestions and write an overlay."
        first = report.findings[0] if report.findings else None
        super().__init__(
            head + "\n" + "\n".join(report.lines()),
            file=report.file,
            line=first.line if first else None,
            column=first.column if first else None,
            value=first.value if first else None,
            hint=hint,
        )


class _EntityFindings(IngestFindingsError, UnknownEntityError):
    code = UnknownEntityError.code


class _DescriptionFindings(IngestFindingsError, UnknownDescriptionError):
    code = UnknownDescriptionError.code


class _ParseFindings(IngestFindingsError, ParseError):
    code = ParseError.code


def findings_error(report: Report, *, strict: bool) -> IngestFindingsError:
    """The error for a held-back file; its class and code follow the first finding's kind."""
    kind = report.findings[0].reason if report.findings else ""
    cls = {
        "unknown-entity": _EntityFindings,
        "unknown-description": _DescriptionFindings,
        "parse-error": _ParseFindings,
    }.get(kind, IngestFindingsError)
    return cls(report, strict=strict)


def store_report(
    con: duckdb.DuckDBPyConnection, report: Report, snapshot_id: int, mode: str, ids: dict[str, str | None]
) -> None:
    """Write the quarantine rows, derived matches and the summary of one snapshot."""
    for name, table in report_tables(report, snapshot_id, mode, ids).items():
        _insert(con, name, table)


def report_tables(
    report: Report, snapshot_id: int, mode: str, ids: dict[str, str | None]
) -> dict[str, pa.Table]:
    """The quarantine rows, derived matches and summary of one snapshot as Arrow tables
    (integers as int64, as `columnar.table` types them: no cast; the store's INTEGER takes them)."""
    import pyarrow as pa  # the write path only: a reader's caveats() needs no Arrow

    out: dict[str, pa.Table] = {}
    fs = report.findings
    if fs:
        out["quarantine"] = columnar.table(
            {
                "snapshot_id": columnar.column([snapshot_id] * len(fs), pa.int64()),
                "src_line": columnar.column([f.line for f in fs], pa.int64()),
                "column_name": columnar.column([f.column for f in fs], pa.string()),
                "value": columnar.column(
                    [None if f.value is None else str(f.value)[:500] for f in fs], pa.string()
                ),
                "reason": columnar.column([f.reason for f in fs], pa.string()),
                "message": columnar.column([f.message for f in fs], pa.string()),
                "supplier_name": columnar.column([f.supplier for f in fs], pa.string()),
                "recipient_name": columnar.column([f.recipient for f in fs], pa.string()),
                "supplier_id": columnar.column(
                    [ids.get(f.supplier) if f.supplier else None for f in fs], pa.string()
                ),
                "recipient_id": columnar.column(
                    [ids.get(f.recipient) if f.recipient else None for f in fs], pa.string()
                ),
                "tiv": columnar.column([f.tiv for f in fs], pa.float64()),
            }
        )
    rs = [(k, v, r) for (k, v), r in report.resolutions.items() if r[1] != "reviewed"]
    if rs:
        out["resolution"] = columnar.table(
            {
                "snapshot_id": columnar.column([snapshot_id] * len(rs), pa.int64()),
                "kind": [k for k, _, _ in rs],
                "value": [v for _, v, _ in rs],
                "resolved": [r[0] for _, _, r in rs],
                "tier": [r[1] for _, _, r in rs],
                "rule": [r[2] for _, _, r in rs],
                "n_rows": columnar.column([r[3] for _, _, r in rs], pa.int64()),
                "tiv": columnar.column([r[4] for _, _, r in rs], pa.float64()),
            }
        )
    derived = report.derived()
    uses_overlay = any(r[1] == "user" for r in report.resolutions.values())
    summary = {
        "snapshot_id": columnar.column([snapshot_id], pa.int64()),
        "mode": columnar.column([mode], pa.string()),
        "file_tiv": columnar.column([report.file_tiv], pa.float64()),
        "quarantined_rows": columnar.column([len(report.quarantined_rows())], pa.int64()),
        "quarantined_tiv": columnar.column([report.quarantined_tiv()], pa.float64()),
        "derived_rows": columnar.column(
            [len(report.derived_rows) or sum(r[3] for _, _, r in derived)], pa.int64()
        ),
        "derived_tiv": columnar.column(
            [report.derived_tiv or sum(r[4] for _, _, r in derived)], pa.float64()
        ),
        "overlay_sha256": columnar.column([report.overlay_digest if uses_overlay else None], pa.string()),
    }
    out["ingest_report"] = columnar.table(summary)
    return out


def _insert(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.register("_incoming_q", table)
    con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _incoming_q")
    con.unregister("_incoming_q")


def has_tables(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'ingest_report'"
    ).fetchall()
    return bool(row and row[0][0])
