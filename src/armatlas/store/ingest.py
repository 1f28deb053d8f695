"""Ingest source files into the store: parse, harmonise, check, then one short transaction.

Everything that can fail (reading, names, categories, data checks) happens in `prepare`,
before the store is opened for writing: the rows are staged in a private DuckDB file (in
chunks for registers, so memory stays bounded whatever the file's size), and readers and the
server are locked out only while `commit` copies them in. A release has one content
(store/identity.py): a file whose sha256 or parsed content is stored changes nothing, and one
whose content differs from the stored snapshot of the same release is a conflict.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from dataclasses import replace as replace_result
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from armatlas import columnar
from armatlas.entities.register import load_register
from armatlas.errors import DataCheckError, ParseError, StoreError
from armatlas.sources.sipri_transfers import ParsedRegister, RegisterStream, open_register, parse_bytes
from armatlas.sources.worldbank import is_indicator_csv
from armatlas.sources.worldbank_bulk import is_indicator_file, is_multi_indicator
from armatlas.store import aggregates, allocation, backfill, identity
from armatlas.store.db import fetch_row, transaction
from armatlas.store.harmonise import KEY_BASE, Resolver
from armatlas.store.intake import Incoming, Stored, read_incoming, read_source, stored
from armatlas.store.overlay import Overlay, load_overlay
from armatlas.store.quarantine import Report
from armatlas.store.register_rows import ChunkState, finish_duplicates, register_tables, table_rows
from armatlas.store.stage import INGEST_MEMORY, ArrowStage, Stage

if TYPE_CHECKING:
    import pyarrow as pa

SOURCE_ID = "sipri_arms_transfers"
# Register records parsed, checked and staged at a time. Smaller chunks keep the parser's
# lists in cache: a chunk of 8,192 reads the 2026 register 10% faster than one of 50,000
# (bench/bench_ingest.py), and bounds a large file's memory the same way.
CHUNK = 8_192
STAGE_IN_MEMORY = (
    64 << 20
)  # registers up to this size (~16x SIPRI's, ~0.6 GB peak) are staged as Arrow tables
# A publisher's stamp may be a few hours ahead of this machine's clock (time zones), no more.
FUTURE_SLACK = timedelta(days=1)


@dataclass(frozen=True)
class IngestResult:
    file: str
    status: str  # 'ingested', 'unchanged' (same bytes or same content), 'replaced' or 'completed'
    snapshot_id: int
    layout: str
    release: str
    records: int
    quarantined: int = 0  # rows held back (see the quarantine table)
    derived: int = 0  # rows resting on a derived name or description match
    warnings: tuple[str, ...] = ()  # what was read but deserves a look (error cells, renamed headers)


@dataclass
class Prepared:
    """A parsed, checked file staged for the store: its snapshot row and staged rows."""

    path: Path
    sha: str
    size: int
    row: dict[str, Any]
    stage: Stage | ArrowStage
    records: int
    identity: tuple[str, ...] = identity.IDENTITY
    quarantined: int = 0
    derived: int = 0
    warnings: tuple[str, ...] = ()
    _digest: Future[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._digest = self.stage.digest_later(self.row)
        if self.row["release"] is None:
            self.row["release"] = f"undated-{self.digest[:8]}"  # same content, same release

    @property
    def digest(self) -> str:
        """The content digest (store/identity.py). An Arrow stage's is hashed on a thread of its
        own while the commit copies rows (Arrow's CSV writer and sha256 run without the GIL), so
        it waits only where a same-release comparison or the snapshot row needs it."""
        return self._digest.result()


def stage_tables(
    path: Path,
    raw: bytes | int,
    sha: str,
    tables: dict[str, pa.Table],
    records: int,
    row: dict[str, Any],
    **kw: Any,
) -> Prepared:
    """Stage in-memory tables (workbooks, WDI files, TIV tables) and wrap them as Prepared
    (`raw`: the file's bytes, or only its size where the file was streamed)."""
    stage = Stage()
    try:
        for name, table in tables.items():
            stage.insert(name, table)
        return Prepared(path, sha, raw if isinstance(raw, int) else len(raw), row, stage, records, **kw)
    except BaseException:
        stage.remove()
        raise


def _held(con: duckdb.DuckDBPyConnection, staged: Any, held: IngestResult, source: str) -> IngestResult:
    """A file the store already holds: 'unchanged', or 'completed' when this read filled tables
    the stored snapshot lacked because an older armatlas did not read them (store/backfill.py)."""
    lacking = backfill.missing(con, held.snapshot_id, source)
    if not lacking:
        return held
    identity.copy_staged(con, staged, held.snapshot_id, KEY_BASE, only=lacking)
    if not backfill.filled(con, held.snapshot_id, lacking):
        return held
    return replace_result(held, status="completed")


def _unchanged(name: str, known: Stored) -> IngestResult:
    """The result for a file the store already holds (store/intake.py's prologue)."""
    return IngestResult(name, "unchanged", known.snapshot_id, known.layout, known.release, known.records)


def ingest_file(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    *,
    strict: bool = False,
    overlay: Overlay | None = None,
    replace: bool = False,
) -> IngestResult:
    """Ingest one SIPRI arms-transfer file. Tolerant by default: rows that fail a check or do
    not resolve are quarantined (the file fails only past the threshold); `strict` accepts the
    reviewed registers and the user's overlay only, and fails on any finding."""
    return ingest_path(con, path, strict=strict, overlay=overlay, replace=replace)


def prepare_transfers(
    path: Path,
    raw: bytes,
    sha: str,
    *,
    strict: bool = False,
    overlay: Overlay | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Prepared:
    """Parse, resolve and check a SIPRI arms-transfers file into a stage; nothing is stored.

    `con` (read-only is enough) lets the resolver match the same deal in a stored release.
    """
    overlay = load_overlay() if overlay is None else overlay
    resolver = Resolver(strict=strict, overlay=overlay, con=con, snapshot_id=0)
    report = Report(path.name, overlay_digest=overlay.digest())
    mode = "strict" if strict else "tolerant"
    stream = open_register(path, raw)
    if stream is not None:
        try:
            return _prepare_stream(path, raw, sha, stream, strict, resolver, report)
        finally:
            stream.close()
    # Parsing allocates ~10^6 small objects that all stay alive: the cyclic GC would rescan
    # them again and again for nothing, so it is paused (and restored) around that stretch.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        parsed = parse_bytes(raw, str(path))
        check_stamp(parsed.preamble.generated_at, path.name, "Data generated")
        if isinstance(parsed, ParsedRegister):
            tables, last_year, n, allowed = register_tables(parsed, 0, resolver, report)
    finally:
        if gc_was_on:
            gc.enable()
    gen = parsed.preamble.generated_at
    if isinstance(parsed, ParsedRegister):
        unpublished = None
        n_rows = tables["delivery"].num_rows
    else:
        tables = table_rows(parsed, 0, resolver, report)
        last_year, n, allowed = max(parsed.years), len(parsed.entity_names), 0
        unpublished = ",".join(map(str, parsed.unpublished_years)) or None
        n_rows = tables["tiv_total"].num_rows if "tiv_total" in tables else 0
    report.enforce(strict)
    p = parsed.preamble
    row = snapshot_row(
        path,
        len(raw),
        sha,
        source=SOURCE_ID,
        layout=parsed.layout,
        generated=gen,
        release=release_of(path, gen),
        scope=(p.suppliers_scope, p.recipients_scope),
        selection=p.selection,
        years=(p.year_from, p.year_to),
        last_year=last_year,
        unpublished=unpublished,
        n=n,
        n_rows=n_rows,
        allowed=allowed,
    )
    stage = Stage()
    try:
        for name, table in tables.items():
            stage.insert(name, table)
        stage.add_report(report, mode, resolver.ids())
        return Prepared(
            path,
            sha,
            len(raw),
            row,
            stage,
            n,
            quarantined=len(report.quarantined_rows()),
            derived=len(report.derived_rows),
        )
    except BaseException:
        stage.remove()
        raise


def _prepare_stream(
    path: Path, raw: bytes, sha: str, stream: RegisterStream, strict: bool, resolver: Resolver, report: Report
) -> Prepared:
    """A web or tidy register in chunks of CHUNK records: parse, resolve, check and stage each,
    so memory stays bounded whatever the file's size; the verdict on the whole file
    (threshold, strict) comes at the end, and a refusal leaves nothing behind."""
    check_stamp(stream.preamble.generated_at, path.name, "Data generated")
    # A register that fits is staged as its Arrow tables; a larger one in a file that spills.
    stage = ArrowStage() if len(raw) <= STAGE_IN_MEMORY else Stage(in_memory=False)
    gc_was_on = gc.isenabled()
    gc.disable()  # as above: the parsed rows are freed by reference counting
    try:
        state = ChunkState()
        allowed = 0
        for chunk in stream.chunks(CHUNK):
            tables, _, _, ok = register_tables(chunk, 0, resolver, report, state)
            allowed += ok
            for name, table in tables.items():
                stage.insert(name, table)
            del tables, chunk
        allowed += finish_duplicates(stage.delete_deals, state, report)
        report.enforce(strict)
        n = stage.count("deal")
        n_rows = stage.count("delivery")
        stage.add_report(report, "strict" if strict else "tolerant", resolver.ids())
        p = stream.preamble
        gen = p.generated_at
        row = snapshot_row(
            path,
            len(raw),
            sha,
            source=SOURCE_ID,
            layout=stream.match.name,
            generated=gen,
            release=release_of(path, gen),
            scope=(p.suppliers_scope, p.recipients_scope),
            selection=p.selection,
            years=(p.year_from, p.year_to),
            last_year=state.last_year,
            n=n,
            n_rows=n_rows,
            allowed=allowed,
        )
        return Prepared(
            path,
            sha,
            len(raw),
            row,
            stage,
            n,
            quarantined=len(report.quarantined_rows()),
            derived=len(report.derived_rows),
        )
    except BaseException:
        stage.remove()
        raise
    finally:
        if gc_was_on:
            gc.enable()


def check_stamp(stamp: datetime | None, file: str, column: str) -> None:
    """A publisher's generation date cannot lie in the future (it would become the default release)."""
    if stamp is not None and stamp > datetime.now(UTC).replace(tzinfo=None) + FUTURE_SLACK:
        raise DataCheckError(
            "The publisher's date lies in the future",
            file=file,
            column=column,
            value=stamp.isoformat(sep=" "),
            hint="The file's stamp is wrong or the computer's clock is; fix the "
            "stamp (or the clock) and ingest again",
        )


def release_of(path: Path, generated: datetime | None) -> str | None:
    """A SIPRI file's release: the one `armatlas fetch` recorded beside it (a register and its
    delivery-year layout downloaded together are one release, whatever day each is stamped),
    else the day the publisher generated it."""
    fetched = sidecar_meta(path).get("release", "")
    if _ISO_DAY.fullmatch(fetched):
        return fetched
    return generated.date().isoformat() if generated else None


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def snapshot_row(
    path: Path,
    size: int,
    sha: str,
    *,
    source: str,
    layout: str,
    generated: datetime | None,
    release: str | None,
    scope: tuple[str | None, str | None] = (None, None),
    selection: str | None = None,
    years: tuple[Any, Any] = (None, None),
    last_year: int | None = None,
    unpublished: str | None = None,
    n: int = 0,
    n_rows: int | None = None,
    allowed: int = 0,
    stamp: str | None = None,
) -> dict[str, Any]:
    """Every column of `snapshot` but the id, the digest and the ingest time."""
    meta = sidecar_meta(path)
    return {
        "source": source,
        "layout": layout,
        "file_name": path.name,
        "url": meta.get("url") or path.resolve().as_uri(),
        "sha256": sha,
        "bytes": size,
        "retrieved_at": meta.get("retrieved_at") or _mtime(path),
        "generated_at": generated,
        "release": release,
        "scope_suppliers": scope[0],
        "scope_recipients": scope[1],
        "selection": selection,
        "year_from": None if years[0] is None else str(years[0]),
        "year_to": None if years[1] is None else str(years[1]),
        "last_year": last_year,
        "unpublished_years": unpublished,
        "n_records": n,
        "n_rows": n_rows,
        "allowed_exceptions": allowed,
        "publisher_stamp": stamp,
    }


def commit(con: duckdb.DuckDBPyConnection, prep: Prepared, *, replace: bool = False) -> IngestResult:
    """Store a prepared file in one transaction: new, same content (nothing), or replacing."""
    from armatlas.store.db import write_error

    try:
        # A stage file may exceed memory; an Arrow stage is in memory already (and the three
        # statements of lowering and restoring the limit cost 5 ms of a 0.5 s ingest).
        with memory_limit(con, INGEST_MEMORY) if prep.stage.spills else nullcontext():
            return _commit(con, prep, replace)
    except (duckdb.IOException, OSError) as exc:
        raise write_error(exc, prep.path) from None
    finally:
        prep.stage.remove()


@contextmanager
def memory_limit(con: duckdb.DuckDBPyConnection, limit: str) -> Iterator[None]:
    """DuckDB's memory limit lowered for a while: a large file's copy into the store (one
    transaction, sorted by position) spills to disk instead of growing with the file."""
    old = fetch_row(con, "SELECT current_setting('memory_limit')")[0]
    con.execute(f"SET memory_limit = '{limit}'")
    try:
        yield
    finally:
        con.execute(f"SET memory_limit = '{old}'")


def _commit(con: duckdb.DuckDBPyConnection, prep: Prepared, replace: bool) -> IngestResult:
    row = prep.row
    staged = prep.stage.attach(con)
    try:
        with transaction(con):
            if known := stored(con, prep.sha):
                return _held(con, staged, _unchanged(prep.path.name, known), row["source"])
            same, old = identity.resolve(
                con, row, lambda: prep.digest, prep.path.name, replace=replace, columns=prep.identity
            )
            if same is not None:
                identity.remember_file(con, prep.sha, same, prep.path.name, prep.size)
                n = fetch_row(con, "SELECT n_records FROM snapshot WHERE snapshot_id = ?", [same])[0]
                held = IngestResult(prep.path.name, "unchanged", same, row["layout"], row["release"], n)
                return _held(con, staged, held, row["source"])
            identity.delete_snapshots(con, old)
            sid = fetch_row(con, "SELECT coalesce(max(snapshot_id), 0) + 1 FROM snapshot")[0]
            sync_entities(con)
            full = {
                "snapshot_id": sid,
                **row,
                "ingested_at": datetime.now(UTC).replace(tzinfo=None),
            }
            con.execute(
                f"INSERT INTO snapshot ({', '.join(full)}) VALUES ({','.join('?' * len(full))})",
                list(full.values()),
            )
            identity.copy_staged(con, staged, sid, KEY_BASE)
            if row["layout"] in ("web_register", "tidy_register", "delivery_years"):
                allocation.after_ingest(con, sid, row["layout"])  # exact per-year rows where known
            aggregates.refresh(con)  # per-release aggregates, after every change to deliveries
            # The digest last: an Arrow stage's has been hashed meanwhile (Prepared.digest).
            con.execute("UPDATE snapshot SET content_sha256 = ? WHERE snapshot_id = ?", [prep.digest, sid])
    finally:
        prep.stage.detach(con)
    return IngestResult(
        prep.path.name,
        "replaced" if old else "ingested",
        sid,
        row["layout"],
        row["release"],
        prep.records,
        prep.quarantined,
        prep.derived,
        prep.warnings,
    )


def sync_entities(con: duckdb.DuckDBPyConnection) -> None:
    """The store keeps a copy of the reviewed register so SQL can join names and regions."""
    from operator import attrgetter

    reg = load_register()
    cols = [
        "entity_id",
        "name",
        "iso3",
        "kind",
        "region",
        "subregion",
        "first_year",
        "last_year",
        "successor_id",
    ]
    rows = list(map(attrgetter(*cols), reg.all()))  # flat fields: no deep copy (dataclasses.astuple)
    ent_table = columnar.table({c: [r[i] for r in rows] for i, c in enumerate(cols)})
    alias = list(zip(*reg.alias_rows(), strict=True))
    alias_table = columnar.table(
        {"source": list(alias[0]), "alias": list(alias[1]), "entity_id": list(alias[2])}
    )
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


def prepare_path(
    path: str | Path,
    raw: bytes | None = None,
    *,
    strict: bool = False,
    overlay: Overlay | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
    sha: str | None = None,
) -> Prepared:
    """Any supported source file, parsed and checked: SIPRI milex workbook, World Bank, SIPRI
    transfers. `sha`: the sha256 of `raw` when the caller has it (`intake.read_incoming`)."""
    path = Path(path)
    raw = read_source(path) if raw is None else raw
    try:
        return _prepare(path, raw, strict, overlay, con, sha)
    except (duckdb.IOException, OSError) as exc:  # the stage could not be written
        from armatlas.store.db import write_error

        raise write_error(exc, path) from None
    except csv.Error as exc:  # e.g. a cell over the csv module's 128 KB limit
        raise ParseError(
            f"Unreadable CSV: {exc}",
            file=path.name,
            hint="A cell this long usually means an unclosed quote or a damaged file; download it again",
        ) from None


def _prepare(
    path: Path,
    raw: bytes,
    strict: bool,
    overlay: Overlay | None,
    con: duckdb.DuckDBPyConnection | None,
    sha: str | None = None,
) -> Prepared:
    sha = sha or hashlib.sha256(raw).hexdigest()
    # Spending sources are imported only for their own files (a register needs none of them).
    if path.suffix.lower() == ".xlsx":
        from armatlas.store.spending_ingest import prepare_milex

        return prepare_milex(path, raw, sha)
    if (
        path.name.startswith("API_")
        or (path.suffix.lower() == ".json" and path.parent.parent.name == "worldbank_wdi")
        or (path.suffix.lower() in (".csv", ".txt") and is_indicator_csv(raw))
    ):
        from armatlas.store.spending_ingest import prepare_worldbank

        return prepare_worldbank(path, raw, sha)
    return prepare_transfers(path, raw, sha, strict=strict, overlay=overlay, con=con)


def ingest_path(
    con: duckdb.DuckDBPyConnection,
    path: str | Path,
    *,
    strict: bool = False,
    overlay: Overlay | None = None,
    replace: bool = False,
) -> IngestResult:
    """Any supported source file into an open store (parse and checks first, then one transaction)."""
    file = read_incoming(path)
    if (own := _own_ingest(file.path)) is not None:
        return own(con, file)
    if (known := stored(con, file.sha)) is not None and not known.incomplete:
        return _unchanged(file.path.name, known)
    prep = prepare_path(file.path, file.raw, strict=strict, overlay=overlay, con=con, sha=file.sha)
    return commit(con, prep, replace=replace)


def _is_industry(path: Path) -> bool:
    if path.suffix.lower() != ".xlsx":
        return False  # decided without importing the workbook reader
    from armatlas.sources.sipri_industry import is_top100

    return is_top100(path)


def _own_ingest(path: Path) -> Callable[[duckdb.DuckDBPyConnection, Incoming], IngestResult] | None:
    """Sources with an ingest of their own: the SIPRI Top 100 workbook, BICC's GMI table."""
    from armatlas.sources.bicc_gmi import is_gmi

    if _is_industry(path):
        return _ingest_industry
    return _ingest_gmi if is_gmi(path) else None


def _ingest_gmi(con: duckdb.DuckDBPyConnection, file: Incoming) -> IngestResult:
    """BICC's GMI table (store/gmi_ingest.py), shown beside armatlas's index."""
    from armatlas.store.gmi_ingest import ingest_bicc

    r = ingest_bicc(con, file)
    return IngestResult(r.file, r.status, r.snapshot_id, r.source, r.release, r.records)


def _ingest_industry(con: duckdb.DuckDBPyConnection, file: Incoming) -> IngestResult:
    """The SIPRI Top 100 workbook has its own ingest (store/industry_ingest.py)."""
    from armatlas.store.industry_ingest import ingest_industry

    r = ingest_industry(con, file)
    return IngestResult(r.file, r.status, r.snapshot_id, r.source, r.release, r.records)


def ingest_files(
    files: list[Path],
    *,
    store: Path | None = None,
    replace: bool = False,
    strict: bool = False,
    before: Callable[[Path], None] | None = None,
) -> Iterator[IngestResult]:
    """Ingest files one by one, holding the store's write lock only while one is written.

    Each file is read, parsed and checked with at most a brief read-only look at the store
    (is this file already there?), so readers and the server are locked out only for the
    short transaction that writes it.
    """
    from armatlas import config

    store = Path(store) if store else config.store_path()
    for f in files:
        try:
            yield from _ingest_one(f, store, replace, strict, before)
        except duckdb.Error as exc:
            from armatlas.store.db import damage_error, write_error

            raise (damage_error(exc, store) or write_error(exc, store)) from None


def _ingest_one(
    f: Path, store: Path, replace: bool, strict: bool, before: Callable[[Path], None] | None
) -> Iterator[IngestResult]:
    """One file: a read-only look and the parse first, then the write lock for one transaction."""
    from armatlas.store.db import connect

    if before:
        before(f)
    if is_multi_indicator(f):  # streamed, never read whole (store/spending_ingest.prepare_multi)
        yield from _ingest_multi(f, store, replace)
        return
    file = read_incoming(f)
    if (own := _own_ingest(f)) is not None:
        con = connect(store)
        try:
            yield own(con, file)
        finally:
            con.close()
        return
    reader = _reader(store)
    try:
        known = stored(reader, file.sha) if reader is not None else None
        if known is None or known.incomplete:
            prep = prepare_path(f, file.raw, strict=strict, con=reader, sha=file.sha)
    finally:
        if reader is not None:
            reader.close()
    if known is not None and not known.incomplete:
        yield _unchanged(f.name, known)
        return
    con = connect(store)
    try:
        yield commit(con, prep, replace=replace)
    finally:
        con.close()


def _ingest_multi(f: Path, store: Path, replace: bool) -> Iterator[IngestResult]:
    """A World Bank file of many indicators: parsed first, then one transaction per indicator."""
    from armatlas.store.db import connect
    from armatlas.store.spending_ingest import prepare_multi

    preps = prepare_multi(f)
    con = connect(store)
    try:
        for i, prep in enumerate(preps):
            try:
                yield commit(con, prep, replace=replace)
            except BaseException:
                for rest in preps[i + 1 :]:
                    rest.stage.remove()
                raise
    finally:
        con.close()


def _reader(store: Path) -> duckdb.DuckDBPyConnection | None:
    """A read-only look at the store while a file is prepared; None if it cannot be read now."""
    from armatlas.store.db import connect

    if not store.exists():
        return None
    try:
        con = connect(store, read_only=True)
    except StoreError:
        return None  # locked by a writer: commit() looks again under the lock
    try:
        con.execute("SELECT count(*) FROM snapshot_file").fetchall()
    except duckdb.Error:
        con.close()
        return None  # an older schema: commit() migrates it and looks again
    return con


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
    from armatlas.sources.bicc_gmi import is_gmi
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
            elif (
                f.suffix.lower() == ".json"
                and f.parent.parent.name == "worldbank_wdi"
                and name != "meta.json"
            ):
                take.append(f)  # a World Bank API snapshot written by `armatlas fetch`
            elif is_gmi(f):
                take.append(f)  # BICC's Global Militarisation Index, shown beside our index
            elif f.suffix.lower() == ".csv" and ("sipri_arms_transfers" in f.parts[-2] or _is_sipri_csv(f)):
                take.append(f)
            elif is_indicator_file(f):
                take.append(f)  # World Bank, by its header: WDIData.csv, WDI_CSV.zip, DataBank, old names
            elif f.suffix.lower() in (".csv", ".xlsx", ".zip"):
                skipped.append((f, "not a source armatlas ingests (yet)"))
    return take, skipped
