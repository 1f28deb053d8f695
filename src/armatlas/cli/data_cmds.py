"""Get data: fetch, ingest, releases, reconcile, diff (what the store holds and how releases differ)."""

from __future__ import annotations

from pathlib import Path

import typer

from armatlas import columnar, config
from armatlas.cli import formats as F
from armatlas.cli.options import CSV, JSON, OUT, atlas
from armatlas.cli.render import console, emit, footer, print_table, write_data


def ingest(
    paths: list[Path] = typer.Argument(..., help="Files, or folders searched for source files."),
    strict: bool = typer.Option(
        False, "--strict", help="Reviewed names and descriptions only; any data-check finding fails the file."
    ),
    replace: bool = typer.Option(
        False, "--replace", help="Replace a stored release whose content differs from the file's."
    ),
    as_json: bool = JSON,
    as_csv: bool = CSV,
) -> None:
    """Read source files into the store: SIPRI arms transfers, milex and Top 100, World Bank WDI.

    One transaction per file; re-ingesting a file (or a re-saved copy with the same content)
    changes nothing; a bad file changes nothing; a release already stored with other content
    is refused unless --replace says to replace it. Files are parsed and checked before the
    store is locked for writing. Rows that fail a check or do not resolve are quarantined
    (see `armatlas review`).
    """
    ingest_paths(paths, strict=strict, replace=replace, as_json=as_json, as_csv=as_csv)


def ingest_paths(
    paths: list[Path],
    *,
    strict: bool = False,
    replace: bool = False,
    as_json: bool = False,
    as_csv: bool = False,
) -> None:
    """Ingest with a progress bar and one line per file, or one row per file as JSON/CSV."""
    from dataclasses import asdict

    from armatlas.atlas import ingest_files, source_files
    from armatlas.results import Provenance, TableResult

    files, skipped = source_files(paths)
    if not files:
        raise typer.BadParameter("no source files found in the paths given")
    if as_json or as_csv:
        rows = [
            {**asdict(r), "warnings": "; ".join(r.warnings)}
            for r in ingest_files(files, strict=strict, replace=replace)
        ]
        write_data(
            TableResult("ingest", columnar.from_rows(rows), Provenance(release="store", basis="ingest")),
            as_json,
            as_csv,
        )
        return
    from rich.progress import Progress

    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("ingesting", total=len(files))
        for r in ingest_files(files, strict=strict, replace=replace):
            progress.update(task, description=f"ingesting {r.file}")
            extra = "".join(
                f", {n:,} {what}"
                for n, what in ((r.quarantined, "rows quarantined"), (r.derived, "rows on derived matches"))
                if n
            )
            console.print(
                f"{r.status:>9}  {r.file}  [dim]{r.layout}, release {r.release}, {r.records:,} records{extra}[/dim]",
                highlight=False,
            )
            for w in r.warnings:
                console.print(f"[yellow]  warning  {w}[/yellow]", highlight=False)
            progress.advance(task)
    for f, why in skipped:
        console.print(f"[dim]  skipped  {f.name}: {why}[/dim]", highlight=False)


def fetch(
    source: list[str] = typer.Option(
        ["all"], "--source", help="sipri-at, milex, worldbank, industry or all (repeatable)."
    ),
    release: str | None = typer.Option(
        None,
        "--release",
        help="A past release where the publisher serves one (industry: the workbook's years, e.g. 2002-2018).",
    ),
    sipri_url: str | None = typer.Option(None, help="SIPRI arms-transfers backend base URL (testing)."),
    milex_url: str | None = typer.Option(
        None, help="Address of the SIPRI milex workbook of the current release."
    ),
    worldbank_url: str | None = typer.Option(None, help="World Bank API v2 base URL (testing)."),
    industry_url: str | None = typer.Option(
        None, help="Address of the SIPRI Top 100 workbook (default: the newest linked from SIPRI's page)."
    ),
    ingest_after: bool = typer.Option(True, "--ingest/--no-ingest", help="Ingest what was downloaded."),
) -> None:
    """Download the current releases from the publishers into dated, checksummed snapshots."""
    from armatlas.sources.contract import SOURCES

    wanted = {x.lower() for x in source}
    if "all" in wanted:
        wanted = set(SOURCES)
    unknown = wanted - set(SOURCES)
    if unknown:
        raise typer.BadParameter(f"unknown source(s): {', '.join(sorted(unknown))}")
    urls = {"sipri-at": sipri_url, "milex": milex_url, "worldbank": worldbank_url, "industry": industry_url}
    paths: list[Path] = []
    from rich.progress import Progress

    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("downloading", total=None)

        def on_progress(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        for name in [n for n in SOURCES if n in wanted]:
            src = SOURCES[name]
            progress.update(task, description=src.label)
            got = src.fetch(config.snapshot_root(), release=release, progress=on_progress, url=urls[name])
            paths += [s.path for s in got]
    for p in paths:
        console.print(f"  fetched  {p}")
    if ingest_after:
        ingest_paths(paths)


def releases(as_json: bool = JSON, as_csv: bool = CSV, out: Path | None = OUT) -> None:
    """The releases in the store, with generated dates and counts."""
    with atlas() as a:
        result = a.releases()
        emit(result, as_json, as_csv, title="Releases in the store", out_dir=out)
    if not result.rows and not (as_json or as_csv or out):
        console.print(
            "A release is a SIPRI arms-transfer register or TIV table (milex, World Bank and Top 100 "
            "files are not): `armatlas fetch`, or `armatlas ingest PATH...`.",
            highlight=False,
        )


def reconcile(
    release: str | None = typer.Option(None, "--release", help="Register release; newest by default."),
    tables_release: str | None = typer.Option(None, "--tables-release", help="TIV-table release."),
    top: int = typer.Option(20, help="Largest differences to show."),
    as_json: bool = JSON,
    as_csv: bool = CSV,
    out: Path | None = OUT,
) -> None:
    """Compare register-derived annual totals with the publisher's TIV tables."""
    with atlas() as a:
        res = a.reconcile(release=release, tables_release=tables_release)
    if write_data(res, as_json, as_csv, out_dir=out):
        return
    p = res.params
    console.print(
        f"Register {p['release']} vs TIV tables {p['tables_release']}, years {p['from_year']}-{p['to_year']}",
        highlight=False,
    )
    for d, s in res.summary.items():
        console.print(
            f"  {d}s: {s.within_rounding}/{s.entities} entities within rounding; register "
            f"{F.tiv(s.register_tiv)} vs tables {F.tiv(s.table_tiv)} TIV (m) "
            f"({F.change(s.difference_share)})",
            highlight=False,
        )
    print_table(res, title="Largest differences", max_rows=top)
    footer(res)


def diff(
    query: str = typer.Argument(..., help="suppliers, recipients, world-share or trends."),
    a: str = typer.Option(..., "--a", help="First (older) release."),
    b: str = typer.Option(..., "--b", help="Second (newer) release."),
    country: str | None = typer.Option(
        None, "--country", "-c", help="Country for suppliers/recipients/world-share."
    ),
    period: str | None = typer.Option(
        None, "--period", "-p", help="Period; newest both releases cover by default."
    ),
    direction: str = typer.Option(
        "export", "--direction", "-d", help="export or import (world-share, trends)."
    ),
    top: int = typer.Option(10, "--top", "-n", help="trends: how many."),
    as_json: bool = JSON,
    as_csv: bool = CSV,
    out: Path | None = OUT,
) -> None:
    """The same query on two releases: what the publisher revised, row by row."""
    with atlas() as at:
        res = at.compare_releases(
            query,
            a,
            b,
            period=period,
            country=country if query in ("suppliers", "recipients", "world-share") else None,
            direction=direction if query in ("world-share", "trends") else None,
            top=(top or None) if query == "trends" else None,
        )
    if write_data(res, as_json, as_csv, out_dir=out):
        return
    s = res.summary
    print_table(res, title=f"{query} {s.period}: release A {s.release_a} vs release B {s.release_b}")
    footer(res)


def register(app: typer.Typer) -> None:
    """Get data: fetch, ingest, releases, reconcile, diff."""
    for fn in (fetch, ingest, releases, reconcile, diff):
        app.command(fn.__name__)(fn)
