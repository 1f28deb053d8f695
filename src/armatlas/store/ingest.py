"""Ingest source files into the store: parse, harmonise, check, then one transaction.

Everything that can fail (reading, names, categories, data checks) happens before the
transaction opens, so a bad file never touches what is stored; re-ingesting a file whose
sha256 is already stored changes nothing.
"""

from __future__ import annotations

import gc
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from armatlas import columnar
from armatlas.entities.register import load_register
from armatlas.sources.sipri_transfers import ParsedRegister, RegisterStream, open_register, parse_bytes
from armatlas.store import allocation
from armatlas.store.db import fetch_one, transaction
from armatlas.store.harmonise import Resolver
from armatlas.store.overlay import Overlay, load_overlay
from armatlas.store.quarantine import Report, ensure_tables, store_report
from armatlas.store.register_rows import ChunkState, finish_duplicates, register_tables, table_rows

SOURCE_ID = "sipri_arms_transfers"
CHUNK = 50_000  # register records parsed, checked and inserted at a time
INGEST_MEMORY = "512MB"  # DuckDB's memory limit while a register streams in


@dataclass(frozen=True)
class IngestResult:
    file: str
    status: str  # 'ingested' or 'unchanged'
    snapshot_id: int
    layout: str
    release: str
    records: int
    quarantined: int = 0  # rows held back (see the quarantine table)
    derived: int = 0  # rows resting on a derived name or description match


def ingest_file(con: duckdb.DuckDBPyConnection, path: str | Path, *, strict: bool = False,
                overlay: Overlay | None = None) -> IngestResult:
    """Ingest one SIPRI arms-transfer file. Tolerant by default: rows that fail a check or do
    not resolve are quarantined (the file fails only past the threshold); `strict` accepts the
    reviewed registers and the user's overlay only, and fails on any finding."""
    path = Path(path)
    sha = _sha256(path)
    known = fetch_one(con, 
        "SELECT snapshot_id, layout, release, n_records FROM snapshot WHERE sha256 = ?", [sha]
    )
    if known:
        return IngestResult(path.name, "unchanged", known[0], known[1], known[2], known[3])
    overlay = load_overlay() if overlay is None else overlay
    stream = open_register(path)
    if stream is not None:
        try:
            return _ingest_stream(con, path, sha, stream, strict, overlay)
        finally:
            stream.close()
    raw = path.read_bytes()
    # Parsing allocates ~10^6 small objects that all stay alive: the cyclic GC would rescan
    # them again and again for nothing, so it is paused (and restored) around that stretch.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        parsed = parse_bytes(raw, str(path))
        del raw
        sid = fetch_one(con, "SELECT coalesce(max(snapshot_id), 0) + 1 FROM snapshot")[0]
        resolver = Resolver(strict=strict, overlay=overlay, con=con, snapshot_id=sid)
        report = Report(path.name, overlay_digest=overlay.digest())
        if isinstance(parsed, ParsedRegister):
            tables, last_year, n, allowed = register_tables(parsed, sid, resolver, report)
    finally:
        if gc_was_on:
            gc.enable()
    gen = parsed.preamble.generated_at
    release = gen.date().isoformat() if gen else f"undated-{sha[:8]}"
    meta = sidecar_meta(path)
    if isinstance(parsed, ParsedRegister):
        unpublished = None
        n_rows = tables["delivery"].num_rows
    else:
        tables = table_rows(parsed, sid, resolver, report)
        last_year, n, allowed = max(parsed.years), len(parsed.entity_names), 0
        unpublished = ",".join(map(str, parsed.unpublished_years)) or None
        n_rows = tables["tiv_total"].num_rows if "tiv_total" in tables else 0
    report.enforce(strict)
    p = parsed.preamble
    row = [sid, SOURCE_ID, parsed.layout, path.name, meta.get("url") or path.resolve().as_uri(), sha,
           path.stat().st_size, meta.get("retrieved_at") or _mtime(path), gen, release, p.suppliers_scope,
           p.recipients_scope, p.selection, p.year_from, p.year_to, last_year, unpublished, n,
           n_rows, allowed, datetime.now(UTC).replace(tzinfo=None)]
    ensure_tables(con)
    with transaction(con):
        sync_entities(con)
        con.execute("INSERT INTO snapshot VALUES (" + ",".join("?" * len(row)) + ")", row)
        for name, table in tables.items():
            con.register("_incoming", table)
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _incoming")
            con.unregister("_incoming")
        store_report(con, report, sid, "strict" if strict else "tolerant", resolver.ids())
        if isinstance(parsed, ParsedRegister):
            allocation.after_ingest(con, sid, parsed.layout)  # exact per-year rows where known
    return IngestResult(path.name, "ingested", sid, parsed.layout, release, n,
                        len(report.quarantined_rows()), len(report.derived_rows))


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 22):
            h.update(block)
    return h.hexdigest()


def _ingest_stream(con: duckdb.DuckDBPyConnection, path: Path, sha: str, stream: RegisterStream,
                   strict: bool, overlay: Overlay) -> IngestResult:
    """A web or tidy register in chunks of CHUNK records: parse, resolve, check and insert each
    inside one transaction, so memory stays bounded whatever the file's size; the verdict on the
    whole file (threshold, strict) comes at the end, and a refusal rolls everything back."""
    sid = fetch_one(con, "SELECT coalesce(max(snapshot_id), 0) + 1 FROM snapshot")[0]
    resolver = Resolver(strict=strict, overlay=overlay, con=con, snapshot_id=sid)
    report = Report(path.name, overlay_digest=overlay.digest())
    ensure_tables(con)
    # DuckDB holds an open transaction's rows in memory up to its limit (80% of RAM by
    # default); a lower limit for this ingest makes it spill to disk instead.
    limit = fetch_one(con, "SELECT current_setting('memory_limit')")[0]
    con.execute(f"SET memory_limit = '{INGEST_MEMORY}'")
    gc_was_on = gc.isenabled()
    gc.disable()  # as in ingest_file: the parsed rows are freed by reference counting
    try:
        return _ingest_chunks(con, path, sha, stream, strict, sid, resolver, report)
    finally:
        if gc_was_on:
            gc.enable()
        con.execute(f"SET memory_limit = '{limit}'")


def _ingest_chunks(con: duckdb.DuckDBPyConnection, path: Path, sha: str, stream: RegisterStream,
                   strict: bool, sid: int, resolver: Resolver, report: Report) -> IngestResult:
    state = ChunkState()
    allowed = n_rows = 0
    with transaction(con):
        sync_entities(con)
        for chunk in stream.chunks(CHUNK):
            tables, _, _, ok = register_tables(chunk, sid, resolver, report, state)
            allowed += ok
            n_rows += tables["delivery"].num_rows
            for name, table in tables.items():
                con.register("_incoming", table)
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _incoming")
                con.unregister("_incoming")
            del tables, chunk
        allowed += finish_duplicates(con, state, report)
        report.enforce(strict)
        n = fetch_one(con, "SELECT count(*) FROM deal WHERE snapshot_id = ?", [sid])[0]
        n_rows = fetch_one(con, "SELECT count(*) FROM delivery WHERE snapshot_id = ?", [sid])[0]
        p = stream.preamble
        gen = p.generated_at
        release = gen.date().isoformat() if gen else f"undated-{sha[:8]}"
        meta = sidecar_meta(path)
        row = [sid, SOURCE_ID, stream.match.name, path.name, meta.get("url") or path.resolve().as_uri(),
               sha, path.stat().st_size, meta.get("retrieved_at") or _mtime(path), gen, release,
               p.suppliers_scope, p.recipients_scope, p.selection, p.year_from, p.year_to,
               state.last_year, None, n, n_rows, allowed, datetime.now(UTC).replace(tzinfo=None)]
        con.execute("INSERT INTO snapshot VALUES (" + ",".join("?" * len(row)) + ")", row)
        store_report(con, report, sid, "strict" if strict else "tolerant", resolver.ids())
        allocation.after_ingest(con, sid, stream.match.name)  # exact per-year rows where known
    return IngestResult(path.name, "ingested", sid, stream.match.name, release, n,
                        len(report.quarantined_rows()), len(report.derived_rows))


def sync_entities(con: duckdb.DuckDBPyConnection) -> None:
    """The store keeps a copy of the reviewed register so SQL can join names and regions."""
    from dataclasses import astuple

    reg = load_register()
    rows = [astuple(e) for e in reg.all()]
    cols = ["entity_id", "name", "iso3", "kind", "region", "subregion", "first_year", "last_year", "successor_id"]
    ent_table = columnar.table({c: [r[i] for r in rows] for i, c in enumerate(cols)})
    alias = list(zip(*reg.alias_rows(), strict=True))
    alias_table = columnar.table({"source": list(alias[0]), "alias": list(alias[1]), "entity_id": list(alias[2])})
    con.execute("DELETE FROM entity")
    con.execute("DELETE FROM entity_alias")
    for name, table in (("entity", ent_table), ("entity_alias", alias_table)):
        con.register("_incoming", table)
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _incoming")
        con.unregister("_incoming")


def sidecar_meta(path: Path) -> dict[str, str]:
    """Provenance written by `armatlas fetch` beside the file, when there is one."""
    meta = path.parent / "meta.json"
    if not meta.exists():
        return {}
    try:
        data = json.loads(meta.read_text())
    except (OSError, ValueError):
        return {}
    if isinstance(data, dict) and data.get("file_name") in (None, path.name):
        return {k: str(v) for k, v in data.items() if v is not None}
    files = data.get("files") if isinstance(data, dict) else None
    if isinstance(files, dict) and isinstance(files.get(path.name), dict):
        return {k: str(v) for k, v in files[path.name].items() if v is not None}
    return {}


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)


def ingest_path(con: duckdb.DuckDBPyConnection, path: str | Path, *, strict: bool = False) -> IngestResult:
    """Any supported source file: SIPRI milex or Top 100 workbook, World Bank bulk file, SIPRI
    transfers CSV."""
    from armatlas.sources.sipri_industry import is_top100
    from armatlas.store.spending_ingest import ingest_milex, ingest_worldbank

    path = Path(path)
    if path.suffix.lower() == ".xlsx" and is_top100(path):
        from armatlas.store.industry_ingest import ingest_industry

        r = ingest_industry(con, path)
    elif path.suffix.lower() == ".xlsx":
        r = ingest_milex(con, path)
    elif path.name.startswith("API_") or (path.suffix.lower() == ".json" and path.parent.parent.name == "worldbank_wdi"):
        r = ingest_worldbank(con, path)
    else:
        return ingest_file(con, path, strict=strict)
    return IngestResult(path.name, r.status, r.snapshot_id, r.source, r.release, r.records)


def _is_sipri_csv(path: Path) -> bool:
    """A CSV elsewhere whose header is one of the SIPRI arms-transfer layouts."""
    from armatlas.errors import ArmatlasError
    from armatlas.sources.sipri_transfers.detect import match_header
    from armatlas.sources.sipri_transfers.text import decode

    try:
        with path.open("rb") as fh:
            head = fh.read(16384)
        lines = decode(head, path).split("\n")[:25]
        match_header([ln.rstrip("\r") for ln in lines], path)
    except (ArmatlasError, OSError):
        return False
    return True


def discover(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files to ingest under the given paths, and the ones skipped with the reason."""
    from armatlas.sources.sipri_industry import is_top100

    take: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for p in paths:
        if not p.is_dir():
            take.append(p)
            continue
        for f in sorted(x for x in p.rglob("*") if x.is_file()):
            name = f.name
            if name.startswith("Metadata_"):
                continue  # read beside the World Bank file it describes
            if name.startswith("API_") and f.suffix.lower() == ".zip" and f.with_suffix(".csv").exists():
                skipped.append((f, "same data as the CSV beside it"))
            elif name.startswith("API_") or (f.suffix.lower() == ".xlsx" and "milex" in name.lower()):
                take.append(f)
            elif f.suffix.lower() == ".xlsx" and is_top100(f):
                take.append(f)  # SIPRI Arms Industry Database (Top 100)
            elif f.suffix.lower() == ".json" and f.parent.parent.name == "worldbank_wdi" and name != "meta.json":
                take.append(f)  # a World Bank API snapshot written by `armatlas fetch`
            elif f.suffix.lower() == ".csv" and ("sipri_arms_transfers" in f.parts[-2] or _is_sipri_csv(f)):
                take.append(f)
            elif f.suffix.lower() in (".csv", ".xlsx", ".zip"):
                skipped.append((f, "not a source armatlas ingests (yet)"))
    return take, skipped
