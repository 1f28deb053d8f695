"""Ingest the SIPRI milex workbook and World Bank indicators: parse, check, one transaction.

Same contract as store/ingest.py: everything that can fail (reading, names, data checks)
happens before the transaction opens; a file whose sha256 is stored changes nothing, and a
World Bank file whose indicator and 'Last Updated' date are already stored (the zip and the
CSV inside it, say) changes nothing either.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from armatlas import columnar
from armatlas.entities.register import load_register
from armatlas.errors import DataCheckError
from armatlas.sources import sipri_milex, worldbank
from armatlas.store.db import transaction
from armatlas.store.ingest import sidecar_meta, sync_entities

TABLES = """
CREATE TABLE IF NOT EXISTS milex (
    entity_id   VARCHAR NOT NULL,
    year        INTEGER NOT NULL,
    measure     VARCHAR NOT NULL,   -- constant_usd, current_usd, share_gdp, per_capita, share_govt,
                                    -- local_currency_fy, local_currency_cy
    value       DOUBLE,             -- NULL unless status is reported/estimate/uncertain
    status      VARCHAR NOT NULL,   -- reported | estimate (blue) | uncertain (red) | missing (...)
                                    -- | did_not_exist (xxx)
    flags       VARCHAR,            -- the row's Notes cell: footnote symbols + number, e.g. '§‖19'
    base_year   INTEGER,            -- constant_usd only: price base read from the sheet name
    unit        VARCHAR NOT NULL,   -- shares are fractions (0.05 = 5 %), US$ in millions
    period_note VARCHAR,            -- fiscal-year / reporting-year column where the sheet has one
    name        VARCHAR NOT NULL,   -- as spelled in the workbook
    snapshot_id INTEGER NOT NULL,
    src_row     INTEGER NOT NULL    -- 1-based row in the sheet named by measure
);
CREATE TABLE IF NOT EXISTS indicator (
    entity_id VARCHAR NOT NULL, year INTEGER NOT NULL, code VARCHAR NOT NULL,
    value DOUBLE NOT NULL,          -- publisher's unit (e.g. % of GDP for MS.MIL.XPND.GD.ZS)
    snapshot_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS indicator_aggregate (  -- regions, income groups, World: never countries
    wb_code VARCHAR NOT NULL, name VARCHAR NOT NULL, year INTEGER NOT NULL, code VARCHAR NOT NULL,
    value DOUBLE NOT NULL, snapshot_id INTEGER NOT NULL
);
"""

SNAPSHOT_COLUMNS = (
    "snapshot_id", "source", "layout", "file_name", "url", "sha256", "bytes", "retrieved_at",
    "generated_at", "release", "scope_suppliers", "scope_recipients", "selection", "year_from",
    "year_to", "last_year", "unpublished_years", "n_records", "allowed_exceptions", "ingested_at")

# Shares above 100 % are real only where documented; each entry says why.
KNOWN_SHARE_OUTLIERS = {
    ("Kuwait", 1991, "share_gdp"): "Gulf War reconstruction year; SIPRI reports 117 % of GDP",
}


@dataclass(frozen=True)
class SpendingIngestResult:
    file: str
    status: str  # 'ingested' or 'unchanged'
    snapshot_id: int
    source: str
    release: str
    records: int


def ensure_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(TABLES)


def _known(con: duckdb.DuckDBPyConnection, sha: str) -> tuple | None:
    rows = con.execute("SELECT snapshot_id, source, release, n_records FROM snapshot WHERE sha256 = ?",
                       [sha]).fetchall()
    return rows[0] if rows else None


def ingest_milex(con: duckdb.DuckDBPyConnection, path: str | Path) -> SpendingIngestResult:
    """Store every cell of a SIPRI milex workbook, once."""
    path = Path(path)
    ensure_tables(con)
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    if known := _known(con, sha):
        return SpendingIngestResult(path.name, "unchanged", known[0], known[1], known[2], known[3])
    parsed = sipri_milex.parse(path)
    table = _milex_table(parsed)
    allowed = check_milex(table, parsed.file)
    release = parsed.release
    ys = parsed.years

    def write(sid: int) -> None:
        t = table.append_column("snapshot_id", columnar.column([sid] * table.num_rows, pa.int32()))
        _insert(con, "milex", t.drop_columns(["sheet"]))

    sid = _commit(con, path, raw, sha, source=sipri_milex.SOURCE["id"], layout="xlsx_workbook",
                  generated=parsed.generated_at, release=release, selection=",".join(parsed.sheets),
                  years=(ys[0], ys[-1]), n=len(parsed.names), allowed=allowed, write=write)
    return SpendingIngestResult(path.name, "ingested", sid, sipri_milex.SOURCE["id"], release,
                                len(parsed.names))


def _milex_table(parsed: sipri_milex.ParsedMilex) -> pa.Table:
    reg = load_register()
    ids = {n: reg.resolve(n, "sipri_milex", file=parsed.file, line=r, column=f"{s}!Country")
           for n, r, s in parsed.names}
    t = parsed.to_arrow()
    return t.append_column("entity_id", columnar.column([ids[n] for n in parsed.cols["name"]]))


def check_milex(table: pa.Table, file: str) -> int:
    """Shares in [0, 1] (allow-list aside), nothing negative; returns allowed exceptions."""
    allowed = 0
    # Arrow scalars made without pandas: a Python float would make pyarrow import it.
    one, zero = columnar.column([1.0, 0.0], pa.float64()).chunk(0)
    for r in table.filter(pc.greater(table["value"], one)).to_pylist():
        if r["measure"] not in sipri_milex.SHARE_MEASURES:
            continue
        if (r["name"], r["year"], r["measure"]) in KNOWN_SHARE_OUTLIERS:
            allowed += 1
            continue
        raise DataCheckError("Share above 100 %", file=file, line=r["src_row"],
                             column=f"{r['sheet']}!{r['year']}", value=r["value"],
                             hint="Check the sheet; add to KNOWN_SHARE_OUTLIERS only with a reason")
    neg = table.filter(pc.less(table["value"], zero))
    if neg.num_rows:
        r = neg.to_pylist()[0]
        raise DataCheckError("Negative military expenditure", file=file, line=r["src_row"],
                             column=f"{r['sheet']}!{r['year']}", value=r["value"])
    return allowed


def ingest_worldbank(con: duckdb.DuckDBPyConnection, path: str | Path,
                     metadata: str | Path | None = None) -> SpendingIngestResult:
    """Store one WDI indicator file (bulk CSV, its zip, or an API snapshot), countries apart."""
    path = Path(path)
    ensure_tables(con)
    raw = path.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    if known := _known(con, sha):
        return SpendingIngestResult(path.name, "unchanged", known[0], known[1], known[2], known[3])
    parsed = worldbank.parse(path, metadata)
    release = parsed.last_updated or f"undated-{sha[:8]}"
    same = con.execute("SELECT snapshot_id, n_records FROM snapshot WHERE source = ? AND selection = ? "
                       "AND release = ?", [worldbank.SOURCE["id"], parsed.code, release]).fetchall()
    same = same[0] if same else None
    if same:  # the same vintage already stored from another wrapper (zip vs csv vs json)
        return SpendingIngestResult(path.name, "unchanged", same[0], worldbank.SOURCE["id"], release, same[1])
    reg = load_register()
    countries = [(reg.resolve(c, "worldbank", file=parsed.file, line=ln, column="Country Code"), y, v)
                 for _, c, y, v, ln in parsed.country_rows]
    aggs = parsed.aggregate_rows
    years = [r[2] for r in parsed.rows]

    def write(sid: int) -> None:
        _insert(con, "indicator", columnar.table({
            "entity_id": [c[0] for c in countries], "year": [c[1] for c in countries],
            "code": [parsed.code] * len(countries), "value": [c[2] for c in countries],
            "snapshot_id": [sid] * len(countries)}))
        _insert(con, "indicator_aggregate", columnar.table({
            "wb_code": [a[1] for a in aggs], "name": [a[0] for a in aggs], "year": [a[2] for a in aggs],
            "code": [parsed.code] * len(aggs), "value": [a[3] for a in aggs],
            "snapshot_id": [sid] * len(aggs)}))

    n = len({c[0] for c in countries})
    sid = _commit(con, path, raw, sha, source=worldbank.SOURCE["id"], layout=parsed.layout,
                  generated=_date(parsed.last_updated), release=release, selection=parsed.code,
                  years=(min(years), max(years)) if years else (None, None), n=n, allowed=0, write=write)
    return SpendingIngestResult(path.name, "ingested", sid, worldbank.SOURCE["id"], release, n)


def _date(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _commit(con: duckdb.DuckDBPyConnection, path: Path, raw: bytes, sha: str, *, source: str,
            layout: str, generated: datetime | None, release: str, selection: str,
            years: tuple[int | None, int | None], n: int, allowed: int, write) -> int:  # noqa: ANN001
    """Snapshot row + fact rows in one transaction; returns the new snapshot id."""
    meta = sidecar_meta(path)
    with transaction(con):
        sid = con.execute("SELECT coalesce(max(snapshot_id), 0) + 1 FROM snapshot").fetchall()[0][0]
        retrieved = meta.get("retrieved_at") or datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
        row = [sid, source, layout, path.name, meta.get("url") or path.resolve().as_uri(), sha, len(raw),
               retrieved, generated, release, None, None, selection,
               None if years[0] is None else str(years[0]), None if years[1] is None else str(years[1]),
               years[1], None, n, allowed, datetime.now(UTC).replace(tzinfo=None)]
        if not con.execute("SELECT count(*) FROM entity").fetchall()[0][0]:
            sync_entities(con)
        # by name: the shared snapshot table may grow columns we leave NULL
        con.execute(f"INSERT INTO snapshot ({', '.join(SNAPSHOT_COLUMNS)}) VALUES "
                    f"({','.join('?' * len(row))})", row)
        write(sid)
    return sid


def _insert(con: duckdb.DuckDBPyConnection, name: str, table: pa.Table) -> None:
    con.register("_incoming", table)
    try:
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _incoming")
    finally:
        con.unregister("_incoming")
