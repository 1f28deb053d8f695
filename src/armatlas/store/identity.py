"""Release identity: a release has one content, whatever bytes carried it.

A file re-saved with CRLF line ends or a UTF-8 BOM has a new sha256 but the same parsed
rows; it must not become a second snapshot of the same release (figures would double).
So every snapshot stores a digest of its parsed content, and an incoming file is compared
with the stored snapshots of the same source, layout, release and query scope:
- same digest: the same snapshot (its sha256 is remembered, nothing else changes);
- another digest: a conflict, reported at ingest; `--replace` swaps the stored snapshot
  for the new one in one transaction; nothing is ever summed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv

from armatlas.errors import ReleaseConflictError

DIGEST_VERSION = "c1"  # bump when the canonical form below changes
DIGEST_BATCH = 100_000  # rows read from the store at a time while hashing
# Columns that say where a value sat in the file or the store, not what it is.
VOLATILE = frozenset({"snapshot_id", "src_line", "src_row", "deal_key"})
# Fact tables: what a snapshot says (its content).
FACT_TABLES = ("delivery", "deal", "tiv_total", "tiv_partner", "milex", "indicator", "indicator_aggregate")
# Everything that carries a snapshot_id, cleared with it on --replace.
SNAPSHOT_TABLES = (
    *FACT_TABLES,
    "milex_region",  # read from the same workbook as `milex`, whose cells already identify it
    "milex_member",
    "quarantine",
    "resolution",
    "ingest_report",
    "snapshot_file",
    "industry_rank",
    "industry_company",
    "industry_link",
    "industry_note",
)
# What makes two snapshots "the same query of the same release".
IDENTITY = (
    "source",
    "layout",
    "release",
    "scope_suppliers",
    "scope_recipients",
    "selection",
    "year_from",
    "year_to",
)


def content_digest(tables: Mapping[str, pa.Table], facts: Mapping[str, Any]) -> str:
    """sha256 of a canonical text form of the parsed rows and the file's own facts.

    Canonical: columns sorted by name, volatile columns dropped, deliveries tied to their
    deal by position (not by key), values written by Arrow's CSV writer, in file order.
    """
    h = _digest_start(facts)
    for name in sorted(tables):
        t = tables[name]
        cols = sorted(c for c in t.column_names if c not in VOLATILE)
        _digest_table(h, name, t.num_rows, cols, t.select(cols).to_batches())
    return h.hexdigest()


def _digest_start(facts: Mapping[str, Any]) -> Any:
    h = hashlib.sha256(DIGEST_VERSION.encode())
    for k in sorted(facts):
        h.update(f"{k}={facts[k]!s}\n".encode())
    return h


def _digest_table(h: Any, name: str, n: int, cols: list[str], batches: Iterable[pa.RecordBatch]) -> None:
    """One table into the digest, batch by batch (a large one is never held whole)."""
    if not n:
        return  # an empty table says nothing (and a store keeps no trace of it)
    h.update(f"[{name}:{n}]{','.join(cols)}\n".encode())
    for batch in batches:
        h.update(_csv_bytes(pa.Table.from_batches([batch])))


def _csv_bytes(t: pa.Table) -> pa.Buffer:
    # An Arrow sink, not a Python file: the writer then never takes the GIL (Stage.digest_later).
    sink = pa.BufferOutputStream()
    # Column types are cast to their widest kin so int32 in a file and BIGINT from the store agree.
    fields = [pa.field(f.name, _wide(f.type)) for f in t.schema]
    wide = pa.schema(fields)
    # Already wide (the store's rows are widened in SQL): no cast, which imports pyarrow.compute.
    pacsv.write_csv(t if t.schema == wide else t.cast(wide), sink, pacsv.WriteOptions(include_header=False))
    return sink.getvalue()


def _wide(t: pa.DataType) -> pa.DataType:
    if pa.types.is_integer(t):
        return pa.int64()
    if pa.types.is_floating(t):
        return pa.float64()
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return pa.string()
    return t


def stored_digest(con: duckdb.DuckDBPyConnection, sid: int) -> str:
    """The digest of a stored snapshot: read, or rebuilt from its rows (stores made before v3)."""
    row = con.execute("SELECT content_sha256 FROM snapshot WHERE snapshot_id = ?", [sid]).fetchall()
    if row and row[0][0]:
        return str(row[0][0])
    cols = ("generated_at", *IDENTITY)
    found = con.execute(f"SELECT {', '.join(cols)} FROM snapshot WHERE snapshot_id = ?", [sid]).fetchall()[0]
    return snapshot_digest(con, sid, dict(zip(cols, found, strict=True)))


def snapshot_digest(con: duckdb.DuckDBPyConnection, sid: int, row: Mapping[str, Any]) -> str:
    """The content digest of snapshot `sid`'s rows in `con` (a stage, or the store itself)."""
    from armatlas.store.harmonise import KEY_BASE

    facts = digest_facts(row)
    present = _tables(con)
    if row.get("source") == "sipri_arms_transfers":
        rows = (
            con.execute(
                "SELECT reason, column_name, value FROM quarantine WHERE snapshot_id = ?", [sid]
            ).fetchall()
            if "quarantine" in present
            else []
        )
        facts["quarantine"] = quarantine_fact(rows)
    columns: dict[str, list[str]] = {}
    types: dict[tuple[str, str], str] = {}
    for t, c, ty in con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_catalog = "
        "current_database() ORDER BY table_name, column_name"
    ).fetchall():
        columns.setdefault(t, []).append(c)
        types[t, c] = ty
    h = _digest_start(facts)
    for name in sorted(n for n in FACT_TABLES if n in present):
        cols = sorted(
            [c for c in columns[name] if c not in VOLATILE]
            + (["deal_position"] if name == "delivery" else [])
        )
        exprs = [
            f"deal_key - snapshot_id * {KEY_BASE} AS deal_position"
            if c == "deal_position"
            else f"{c}::{_SQL_WIDE[types[name, c]]} AS {c}"
            if types[name, c] in _SQL_WIDE
            else c
            for c in cols
        ]
        where = f"FROM {name} WHERE snapshot_id = {int(sid)}"
        n = con.execute(f"SELECT count(*) {where}").fetchall()[0][0]
        order = "deal_key, rowid" if name in ("deal", "delivery") else "rowid"
        batches = (
            con.sql(f"SELECT {', '.join(exprs)} {where} ORDER BY {order}").to_arrow_reader(DIGEST_BATCH)
            if n
            else ()
        )
        _digest_table(h, name, n, cols, batches)
    return h.hexdigest()


# Narrow SQL types read back as the wide ones `_wide` makes of them (same values, no Arrow cast).
_SQL_WIDE = {"TINYINT": "BIGINT", "SMALLINT": "BIGINT", "INTEGER": "BIGINT", "FLOAT": "DOUBLE"}


def copy_staged(
    con: duckdb.DuckDBPyConnection,
    stage: str | duckdb.DuckDBPyConnection | Mapping[str, Sequence[pa.Table]],
    sid: int,
    key_base: int,
    only: Collection[str] | None = None,
) -> None:
    """Copy a stage's rows (snapshot id 0) into the store as snapshot `sid`, in their order:
    from a stage file attached as catalog `stage`, from an in-memory stage's own connection
    (streamed over Arrow), or from a stage's Arrow tables (store/stage.py). An insert from
    Arrow keeps the stream's order. `only` limits the copy to those tables (a backfill)."""
    in_store = _tables(con)
    if isinstance(stage, str):
        in_stage = _tables(con, stage)
    elif isinstance(stage, duckdb.DuckDBPyConnection):
        in_stage = _tables(stage)
    else:
        in_stage = {name for name, parts in stage.items() if any(t.num_rows for t in parts)}
    for name in SNAPSHOT_TABLES:
        if name == "snapshot_file" or name not in in_store or name not in in_stage:
            continue
        if only is not None and name not in only:
            continue
        swap = [f"{int(sid)} AS snapshot_id"] + (
            [f"deal_key + {int(sid) * key_base} AS deal_key"] if name in ("deal", "delivery") else []
        )
        select = f"SELECT * REPLACE ({', '.join(swap)}) FROM {{}}"
        if isinstance(stage, str):
            con.execute(f"INSERT INTO {name} BY NAME " + select.format(f"{stage}.{name} ORDER BY rowid"))
            continue
        if isinstance(stage, duckdb.DuckDBPyConnection):
            if not stage.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0]:
                continue
            parts: Sequence[Any] = [
                stage.sql(select.format(f"{name} ORDER BY rowid")).to_arrow_reader(DIGEST_BATCH)
            ]
            sql = f"INSERT INTO {name} BY NAME SELECT * FROM _staged"
        else:
            parts = [t for t in stage[name] if t.num_rows]
            if len(parts) > 1 and all(t.schema == parts[0].schema for t in parts):
                parts = [pa.concat_tables(parts)]  # one insert (no copy: the chunks stay as they are)
            sql = f"INSERT INTO {name} BY NAME " + select.format("_staged")
        for part in parts:
            con.register("_staged", part)
            try:
                con.execute(sql)
            finally:
                con.unregister("_staged")


def tables_digest(tables: Mapping[str, Sequence[pa.Table]], row: Mapping[str, Any]) -> str:
    """`snapshot_digest` of a stage held as Arrow tables (snapshot id 0, rows in the order the
    store orders them), to the bit: the same columns (the tables carry every store column,
    tests/test_ingest_stage.py checks), positions for keys, the same widening and CSV text."""
    facts = digest_facts(row)
    if row.get("source") == "sipri_arms_transfers":
        q = tables.get("quarantine", ())
        facts["quarantine"] = quarantine_fact(
            [
                r
                for t in q
                for r in zip(
                    *(t.column(c).to_pylist() for c in ("reason", "column_name", "value")), strict=True
                )
            ]
        )
    h = _digest_start(facts)
    for name in sorted(n for n in FACT_TABLES if n in tables):
        parts = [t for t in tables[name] if t.num_rows]
        if not parts:
            continue
        cols = sorted(
            [c for c in parts[0].column_names if c not in VOLATILE]
            + (["deal_position"] if name == "delivery" else [])
        )
        batches = (
            batch
            for t in parts
            for batch in pa.Table.from_arrays(
                [t.column("deal_key" if c == "deal_position" else c) for c in cols], names=cols
            ).to_batches(DIGEST_BATCH)
        )
        _digest_table(h, name, sum(t.num_rows for t in parts), cols, batches)
    return h.hexdigest()


def digest_facts(row: Mapping[str, Any]) -> dict[str, Any]:
    """The snapshot fields that are part of the content (not the file name or the bytes)."""
    return {
        k: row.get(k)
        for k in ("generated_at", "scope_suppliers", "scope_recipients", "selection", "year_from", "year_to")
    }


def _tables(con: duckdb.DuckDBPyConnection, catalog: str | None = None) -> set[str]:
    """The tables of a database (the current one by default), in one catalog query."""
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_catalog = coalesce(?, current_database())",
        [catalog],
    ).fetchall()
    return {r[0] for r in rows}


def quarantine_fact(rows: Any) -> list[str]:
    """(reason, column, value) of held-back rows, without their line: part of what a file says."""
    return sorted(f"{r}|{c}|{'' if v is None else str(v)[:500]}" for r, c, v in rows)


def same_release(
    con: duckdb.DuckDBPyConnection, row: Mapping[str, Any], columns: tuple[str, ...] = IDENTITY
) -> list[tuple[int, str]]:
    """(snapshot_id, file_name) of stored snapshots answering the same query of the same release."""
    where = " AND ".join(f"{c} IS NOT DISTINCT FROM ?" for c in columns)
    return [
        (r[0], r[1])
        for r in con.execute(
            f"SELECT snapshot_id, file_name FROM snapshot WHERE {where} ORDER BY snapshot_id",
            [row.get(c) for c in columns],
        ).fetchall()
    ]


def resolve(
    con: duckdb.DuckDBPyConnection,
    row: Mapping[str, Any],
    digest: Callable[[], str],
    file: str,
    *,
    replace: bool,
    columns: tuple[str, ...] = IDENTITY,
) -> tuple[int | None, list[int]]:
    """(snapshot id holding the same content, snapshot ids to replace) for an incoming file.

    `digest` gives the incoming content's digest: asked for only when a stored snapshot of the
    same release is there to compare with. Raises ReleaseConflictError when a stored snapshot
    of the same release differs and `replace` is not set.
    """
    same = same_release(con, row, columns)
    for sid, _ in same:
        if stored_digest(con, sid) == digest():
            return sid, []
    if same and not replace:
        sid, name = same[0]
        raise ReleaseConflictError(
            f"Release {row['release']} of {row['source']} ({row['layout']}) is already stored from "
            f"{name} (snapshot {sid}) with different content",
            file=file,
            value=row["release"],
            hint="The publisher's release should have one content. Keep the stored one (do nothing), "
            "or run `armatlas ingest --replace FILE` to replace it with this file; "
            "the two are never added together",
        )
    return None, [sid for sid, _ in same]


def delete_snapshots(con: duckdb.DuckDBPyConnection, sids: list[int]) -> None:
    """Remove snapshots and every fact row they carry (inside the caller's transaction)."""
    if not sids:
        return
    present = _tables(con)
    for sid in sids:
        for name in SNAPSHOT_TABLES:
            if name in present:
                con.execute(f"DELETE FROM {name} WHERE snapshot_id = ?", [sid])
        con.execute("DELETE FROM snapshot WHERE snapshot_id = ?", [sid])


def remember_file(con: duckdb.DuckDBPyConnection, sha: str, sid: int, file_name: str, size: int) -> None:
    """Another file with the same content: known by its sha256 from now on, nothing else stored."""
    con.execute(
        "INSERT OR IGNORE INTO snapshot_file VALUES (?, ?, ?, ?, ?)",
        [sha, sid, file_name, size, datetime.now(UTC).replace(tzinfo=None)],
    )
