"""Prepare the SIPRI milex workbook and World Bank indicators for the store: parse, check.

Same contract as store/ingest.py (which stores them): everything that can fail happens
before the store is opened for writing; a release has one content (store/identity.py), so
the zip and the CSV inside it are one snapshot, and a changed file of the same vintage is
read and reported as a conflict, whatever its 'Last Updated' date says.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from armatlas import columnar
from armatlas.entities.register import EntityRegister, load_register
from armatlas.errors import DataCheckError, UnknownEntityError
from armatlas.sources import sipri_milex, worldbank, worldbank_bulk
from armatlas.store.ingest import (
    IngestResult,
    Prepared,
    check_stamp,
    ingest_path,
    snapshot_row,
    stage_tables,
)
from armatlas.store.snapshot_commit import SourceIngestResult

# A milex workbook's sheets differ between releases; the release alone names the content.
MILEX_IDENTITY = ("source", "release")
# The zip, the CSV in it and an API snapshot of one indicator and vintage are the same content.
WDI_IDENTITY = ("source", "selection", "release")


_INDICATOR = pa.schema(
    [
        ("entity_id", pa.string()),
        ("year", pa.int32()),
        ("code", pa.string()),
        ("value", pa.float64()),
        ("snapshot_id", pa.int32()),
    ]
)
_AGGREGATE = pa.schema(
    [
        ("wb_code", pa.string()),
        ("name", pa.string()),
        ("year", pa.int32()),
        ("code", pa.string()),
        ("value", pa.float64()),
        ("snapshot_id", pa.int32()),
    ]
)

# Shares above 100 % are real only where documented; each entry says why.
KNOWN_SHARE_OUTLIERS = {
    ("Kuwait", 1991, "share_gdp"): "Gulf War reconstruction year; SIPRI reports 117 % of GDP",
}


def _as_spending(r: IngestResult, source: str) -> SourceIngestResult:
    return SourceIngestResult(r.file, r.status, r.snapshot_id, source, r.release, r.records)


def ingest_milex(
    con: duckdb.DuckDBPyConnection, path: str | Path, *, replace: bool = False
) -> SourceIngestResult:
    """Store every cell of a SIPRI milex workbook, once per release."""
    return _as_spending(ingest_path(con, path, replace=replace), sipri_milex.SOURCE["id"])


def prepare_milex(path: Path, raw: bytes, sha: str) -> Prepared:
    """Parse and check a milex workbook; nothing is stored."""
    parsed = sipri_milex.parse(path)
    table = _milex_table(parsed)
    allowed = check_milex(table, parsed.file)
    ys = parsed.years
    check_years(parsed)
    row = snapshot_row(
        path,
        len(raw),
        sha,
        source=sipri_milex.SOURCE["id"],
        layout="xlsx_workbook",
        generated=parsed.generated_at,
        release=parsed.release,
        selection=",".join(parsed.sheets),
        years=(ys[0], ys[-1]) if ys else (None, None),
        last_year=ys[-1] if ys else None,
        n=len(parsed.names),
        allowed=allowed,
        stamp=parsed.stamp,
    )
    table = table.drop_columns(["sheet"]).append_column(
        "snapshot_id", columnar.column([0] * table.num_rows, pa.int32())
    )
    return stage_tables(
        path,
        raw,
        sha,
        {"milex": table, **_region_tables(parsed, table)},
        len(parsed.names),
        row,
        identity=MILEX_IDENTITY,
        warnings=tuple(parsed.warnings),
    )


def check_years(parsed: sipri_milex.ParsedMilex) -> None:
    """Data years and SIPRI's stamp cannot lie in the future (they would make this the newest release)."""
    this_year = datetime.now(UTC).year
    if parsed.years and parsed.years[-1] > this_year:
        raise DataCheckError(
            "Data for a year that has not ended yet",
            file=parsed.file,
            column="year",
            value=parsed.years[-1],
            hint="Check the workbook's year headers",
        )
    if parsed.stamps and max(parsed.stamps) > this_year:
        raise DataCheckError(
            "The publisher's stamp lies in the future",
            file=parsed.file,
            column="sheet title",
            value=parsed.stamp,
            hint="The stamp is wrong or the computer's clock is",
        )


def _region_tables(parsed: sipri_milex.ParsedMilex, cells: pa.Table) -> dict[str, pa.Table]:
    """SIPRI's regional totals and each country's milex region (entity ids as in `cells`)."""
    ids = dict(zip(cells.column("name").to_pylist(), cells.column("entity_id").to_pylist(), strict=True))
    regions = parsed.regions_arrow()
    groups = [(ids[n], g) for n, g in parsed.members.items() if n in ids]  # rows with cells: countries
    members = {
        "entity_id": [e for e, _ in groups],
        "region": [g[0] for _, g in groups],
        "subregion": [g[1] for _, g in groups],
    }
    return {
        "milex_region": regions.append_column(
            "snapshot_id", columnar.column([0] * regions.num_rows, pa.int32())
        ),
        "milex_member": columnar.table(
            {**members, "snapshot_id": [0] * len(members["entity_id"])},
            schema=pa.schema(
                [
                    ("entity_id", pa.string()),
                    ("region", pa.string()),
                    ("subregion", pa.string()),
                    ("snapshot_id", pa.int32()),
                ]
            ),
        ),
    }


def _milex_table(parsed: sipri_milex.ParsedMilex) -> pa.Table:
    """The workbook's cells with canonical entity ids; names of other releases by recorded rules."""
    ids = resolve_milex_names(parsed)
    t = parsed.to_arrow()
    return t.append_column("entity_id", columnar.column([ids[n] for n in parsed.cols["name"]]))


def resolve_milex_names(parsed: sipri_milex.ParsedMilex) -> dict[str, str]:
    """Reviewed milex spellings first, then the shared resolver's rules (each match a warning);
    every name that resolves by neither is listed in one error."""
    from armatlas.store.harmonise import Resolver

    reg = load_register()
    resolver = Resolver()
    ids: dict[str, str] = {}
    unknown: list[tuple[str, int, str]] = []
    for n, r, sheet in parsed.names:
        try:
            ids[n] = reg.resolve(n, "sipri_milex")
            continue
        except UnknownEntityError:
            pass
        found = resolver.entity(n)
        if found is None:
            unknown.append((n, r, sheet))
            continue
        ids[n] = found.result
        if found.tier != "reviewed":
            parsed.warnings.append(f"name {n.strip()!r} read as {found.result} ({found.tier}: {found.rule})")
    if unknown:
        n, r, sheet = unknown[0]
        raise UnknownEntityError(
            f"{len(unknown)} country name(s) not in the entity register: "
            + ", ".join(repr(u[0].strip()) for u in unknown[:20])
            + (" ..." if len(unknown) > 20 else ""),
            file=parsed.file,
            line=r,
            column=f"{sheet}!Country",
            value=n,
            hint="Add them to ARMATLAS_HOME/mappings/entities.csv (see `armatlas review`)",
        )
    return ids


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
        raise DataCheckError(
            "Share above 100 %",
            file=file,
            line=r["src_row"],
            column=f"{r['sheet']}!{r['year']}",
            value=r["value"],
            hint="Check the sheet; add to KNOWN_SHARE_OUTLIERS only with a reason",
        )
    neg = table.filter(pc.less(table["value"], zero))
    if neg.num_rows:
        r = neg.to_pylist()[0]
        raise DataCheckError(
            "Negative military expenditure",
            file=file,
            line=r["src_row"],
            column=f"{r['sheet']}!{r['year']}",
            value=r["value"],
        )
    return allowed


def ingest_worldbank(
    con: duckdb.DuckDBPyConnection, path: str | Path, *, replace: bool = False
) -> SourceIngestResult:
    """Store one WDI indicator file (bulk CSV, its zip, or an API snapshot), countries apart."""
    return _as_spending(ingest_path(con, path, replace=replace), worldbank.SOURCE["id"])


def prepare_worldbank(path: Path, raw: bytes, sha: str, metadata: str | Path | None = None) -> Prepared:
    """Parse and check one WDI indicator file; nothing is stored."""
    parsed = worldbank.parse(path, metadata)
    return prepare_indicator(parsed, path, len(raw), sha)


def prepare_multi(path: Path) -> list[Prepared]:
    """Each indicator armatlas uses in a file of many (WDIData.csv, a DataBank export of
    several series), staged as one snapshot per indicator: `<file>#<code>`, with a sha256 of
    its own, so each is compared, stored or replaced like a one-indicator file."""
    parsed, unread = worldbank_bulk.parse_multi(path)
    sha, size = worldbank_bulk.file_sha256(path), path.stat().st_size
    note: tuple[str, ...] = ()
    if unread:
        note = (
            f"{path.name}: {len(unread)} other indicator(s) not read (armatlas reads {', '.join(worldbank.USED)})",
        )
    preps: list[Prepared] = []
    try:
        for p in parsed:
            sub = worldbank_bulk.member_sha256(sha, p.code)
            name = f"{path.name}#{p.code}"
            preps.append(prepare_indicator(p, path, size, sub, name=name, notes=() if preps else note))
    except BaseException:
        for prep in preps:
            prep.stage.remove()
        raise
    return preps


def prepare_indicator(
    parsed: worldbank.ParsedIndicator,
    path: Path,
    size: int,
    sha: str,
    *,
    name: str | None = None,
    notes: tuple[str, ...] = (),
) -> Prepared:
    """One parsed WDI indicator staged as one snapshot (of a file, or, named `name`, of one
    indicator of a multi-indicator file)."""
    reg = load_register()
    rows, warnings = parsed.country_rows, notes
    if not parsed.classified:
        rows, extra = _economies_by_register(parsed, reg)
        warnings = (*notes, *extra)
    countries = [
        (reg.resolve(c, "worldbank", file=parsed.file, line=ln, column="Country Code"), y, v)
        for _, c, y, v, ln in rows
    ]
    aggs = parsed.aggregate_rows
    years = [r[2] for r in parsed.rows]
    tables = {
        "indicator": columnar.table(
            {
                "entity_id": [c[0] for c in countries],
                "year": [c[1] for c in countries],
                "code": [parsed.code] * len(countries),
                "value": [c[2] for c in countries],
                "snapshot_id": [0] * len(countries),
            },
            _INDICATOR,
        ),
        "indicator_aggregate": columnar.table(
            {
                "wb_code": [a[1] for a in aggs],
                "name": [a[0] for a in aggs],
                "year": [a[2] for a in aggs],
                "code": [parsed.code] * len(aggs),
                "value": [a[3] for a in aggs],
                "snapshot_id": [0] * len(aggs),
            },
            _AGGREGATE,
        ),
    }
    n = len({c[0] for c in countries})
    generated = _date(parsed.last_updated)
    check_stamp(generated, path.name, "Last Updated Date")
    row = snapshot_row(
        path,
        size,
        sha,
        source=worldbank.SOURCE["id"],
        layout=parsed.layout,
        generated=generated,
        release=parsed.last_updated,
        selection=parsed.code,
        years=(min(years), max(years)) if years else (None, None),
        last_year=max(years) if years else None,
        n=n,
    )
    # The zip, the CSV inside it and an API snapshot of the same vintage are one release.
    if name is not None:
        row["file_name"] = name
        path = path.with_name(name)  # what results and errors name; never opened
    return stage_tables(path, size, sha, tables, n, row, identity=WDI_IDENTITY, warnings=warnings)


def _economies_by_register(
    parsed: worldbank.ParsedIndicator, reg: EntityRegister
) -> tuple[list[tuple[str, str, int, float, int]], tuple[str, ...]]:
    """A file read without its Metadata_Country file: the economies are the codes the entity
    register knows; a code that is neither that nor a World Bank aggregate is held back
    (never guessed to be either) and named in the warning."""
    known: list[tuple[str, str, int, float, int]] = []
    held: dict[str, tuple[str, int]] = {}
    for r in parsed.country_rows:
        if reg.knows(r[1], "worldbank"):
            known.append(r)
        else:
            held.setdefault(r[1], (r[0], r[4]))
    n_agg = len({r[1] for r in parsed.aggregate_rows})
    text = (
        f"{parsed.file}: no Metadata_Country file beside it; economies told from aggregates by armatlas's "
        f"entity register ({len({r[1] for r in known})} economies, regions from the register) and the World "
        f"Bank's aggregate codes ({n_agg} aggregates); the publisher's region and income group are not read"
    )
    if held:
        listed = ", ".join(f"{c} ({name!r}, line {line})" for c, (name, line) in sorted(held.items())[:20])
        text += (
            f"; {len(held)} code(s) neither, not stored: {listed}"
            + (" ..." if len(held) > 20 else "")
            + ". Keep the Metadata_Country_*.csv of the same download beside the file to classify them"
        )
    return known, (text,)


def _date(text: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
