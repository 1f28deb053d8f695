"""Commands over the data itself: fetch, ingest, releases, entities, deals, reconcile."""

from __future__ import annotations

from pathlib import Path

import typer

from armatlas import columnar
from armatlas import config
from armatlas.cli.app import app
from armatlas.cli.render import CSV, JSON, console, emit


def _atlas():
    from armatlas.atlas import open_atlas

    return open_atlas()


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="Files, or folders searched for source files."),
           strict: bool = typer.Option(False, "--strict", help="Reviewed names and descriptions only; any data-check finding fails the file.")) -> None:
    """Read source files into the store: SIPRI arms transfers, milex and Top 100, World Bank WDI.

    One transaction per file; re-ingesting a file changes nothing; a bad file changes nothing.
    Rows that fail a check or do not resolve are quarantined (see `armatlas review`).
    """
    from armatlas.store.db import connect
    from armatlas.store.ingest import discover, ingest_path

    files, skipped = discover(paths)
    if not files:
        raise typer.BadParameter("no source files found in the paths given")
    con = connect()
    try:
        from rich.progress import Progress

        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("ingesting", total=len(files))
            for f in files:
                progress.update(task, description=f"ingesting {f.name}")
                r = ingest_path(con, f, strict=strict)
                extra = "".join(f", {n:,} {what}" for n, what in ((r.quarantined, "rows quarantined"),
                                                                  (r.derived, "rows on derived matches")) if n)
                console.print(f"{r.status:>9}  {r.file}  [dim]{r.layout}, release {r.release}, {r.records:,} records{extra}[/dim]")
                progress.advance(task)
    finally:
        con.close()
    for f, why in skipped:
        console.print(f"[dim]  skipped  {f.name}: {why}[/dim]")


WDI_CODES = ("MS.MIL.XPND.GD.ZS", "MS.MIL.XPND.CD", "NY.GDP.MKTP.CD", "SP.POP.TOTL",
             "SH.XPD.CHEX.GD.ZS", "SH.MED.PHYS.ZS")


@app.command()
def fetch(
    source: list[str] = typer.Option(["all"], "--source", help="sipri-at, milex, worldbank, industry or all (repeatable)."),
    sipri_url: str | None = typer.Option(None, help="SIPRI arms-transfers backend base URL (testing)."),
    milex_url: str | None = typer.Option(None, help="Address of the SIPRI milex workbook of the current release."),
    worldbank_url: str | None = typer.Option(None, help="World Bank API v2 base URL (testing)."),
    industry_url: str | None = typer.Option(None, help="Address of the SIPRI Top 100 workbook (default: the newest linked from SIPRI's page)."),
    ingest_after: bool = typer.Option(True, "--ingest/--no-ingest", help="Ingest what was downloaded."),
) -> None:
    """Download the current releases from the publishers into dated, checksummed snapshots."""
    wanted = {x.lower() for x in source}
    if "all" in wanted:
        wanted = {"sipri-at", "milex", "worldbank", "industry"}
    unknown = wanted - {"sipri-at", "milex", "worldbank", "industry"}
    if unknown:
        raise typer.BadParameter(f"unknown source(s): {', '.join(sorted(unknown))}")
    paths: list[Path] = []
    from rich.progress import Progress

    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("downloading", total=None)

        def on_progress(done: int, total: int | None) -> None:
            progress.update(task, completed=done, total=total)

        if "sipri-at" in wanted:
            from armatlas.sources import sipri_transfers_fetch as sat

            progress.update(task, description="SIPRI arms transfers")
            paths += sat.fetch(config.snapshot_root(), progress=on_progress,
                               **({"base_url": sipri_url} if sipri_url else {}))
        if "milex" in wanted:
            from armatlas.sources import sipri_milex

            progress.update(task, description="SIPRI military expenditure")
            paths.append(sipri_milex.fetch(url=milex_url))
        if "worldbank" in wanted:
            from armatlas.sources import worldbank

            for code in WDI_CODES:
                progress.update(task, description=f"World Bank {code}")
                paths.append(worldbank.fetch(code, **({"base_url": worldbank_url} if worldbank_url else {})))
        if "industry" in wanted:
            from armatlas.sources import sipri_industry

            progress.update(task, description="SIPRI arms industry (Top 100)")
            paths.append(sipri_industry.fetch(url=industry_url))
    for p in paths:
        console.print(f"  fetched  {p}")
    if ingest_after:
        ingest([Path(p) for p in paths])


@app.command()
def releases(as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """The releases in the store, with generated dates and counts."""
    with _atlas() as atlas:
        emit(atlas.releases(), as_json, as_csv, title="Releases in the store")


@app.command()
def entities(query: str | None = typer.Argument(None, help="Part of a name, alias or ISO3."),
             as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """Look up canonical entities (states, historic states, non-state actors, organisations)."""
    from dataclasses import asdict

    
    from armatlas.atlas import Atlas  # noqa: F401
    from armatlas.entities.register import load_register
    from armatlas.results import Provenance, TableResult

    ents = load_register().search(query)
    res = TableResult("entities", columnar.from_rows([asdict(e) for e in ents]) if ents else columnar.table({"entity_id": []}),
                      Provenance(release="register", basis="reviewed entity register"))
    emit(res, as_json, as_csv, columns=["entity_id", "name", "iso3", "kind", "region", "subregion"] if ents else None)


@app.command()
def deals(
    recipient: list[str] = typer.Option(None, "--recipient", "-r", help="Recipient (repeatable)."),
    supplier: list[str] = typer.Option(None, "--supplier", "-s", help="Supplier (repeatable)."),
    from_year: int | None = typer.Option(None, "--from", help="First year (order or delivery)."),
    to_year: int | None = typer.Option(None, "--to", help="Last year (order or delivery)."),
    category: str | None = typer.Option(None, "--category", "-c", help="One of the 12 SIPRI categories."),
    release: str | None = typer.Option(None, "--release", help="Release (generated date); newest by default."),
    as_json: bool = JSON, as_csv: bool = CSV,
) -> None:
    """Deals from the register, filtered; TIV is a volume index, not money."""
    with _atlas() as atlas:
        res = atlas.deals(recipient=recipient or None, supplier=supplier or None, from_year=from_year,
                          to_year=to_year, category=category, release=release)
        if as_json or as_csv:
            emit(res, as_json, as_csv)
            return
        _deals_table(res)


def _deals_table(res) -> None:
    """Compact terminal view; '?' marks what SIPRI flags as uncertain."""
    from rich.table import Table

    from armatlas.cli.render import fmt_value, footer

    rows = res.rows
    one_recipient = len({r["recipient"] for r in rows}) == 1
    t = Table(title=f"{len(rows)} deals" + (f" of {rows[0]['recipient']}" if one_recipient and rows else ""),
              title_justify="left", header_style="bold")
    cols = ([] if one_recipient else ["recipient"]) + ["supplier", "order", "ordered", "designation",
                                                       "description", "delivered", "years", "TIV deliv."]
    for c in cols:
        t.add_column(c, justify="right" if c in ("ordered", "delivered", "TIV deliv.") else "left")
    q = lambda flag: "?" if flag else ""  # noqa: E731
    for r in rows:
        cells = ([] if one_recipient else [r["recipient"]]) + [
            r["supplier"], f"{fmt_value(r['order_year'])}{q(r['order_year_est'])}",
            f"{fmt_value(r['n_ordered'])}{q(r['n_ordered_est'])}", r["designation"], r["description"],
            f"{fmt_value(r['n_delivered'])}{q(r['n_delivered_est'])}",
            (r["delivery_years"] or "pending").replace("; ", " "), fmt_value(r["tiv_delivered"])]
        t.add_row(*cells)
    console.print(t)
    console.print("[dim]TIV in millions: a volume index, not money. '?' = uncertain in the source.[/dim]")
    footer(res)


@app.command()
def reconcile(
    release: str | None = typer.Option(None, "--release", help="Register release; newest by default."),
    tables_release: str | None = typer.Option(None, "--tables-release", help="TIV-table release."),
    top: int = typer.Option(20, help="Largest differences to show."),
    as_json: bool = JSON, as_csv: bool = CSV,
) -> None:
    """Compare register-derived annual totals with the publisher's TIV tables."""
    with _atlas() as atlas:
        res = atlas.reconcile(release=release, tables_release=tables_release)
        if not (as_json or as_csv):
            p = res.params
            console.print(f"Register {p['release']} vs TIV tables {p['tables_release']}, years {p['from_year']}-{p['to_year']}")
            for d, s in res.summary.items():
                console.print(f"  {d}s: {s['within_rounding']}/{s['entities']} entities within rounding; "
                              f"register {s['register_tiv']:,} vs tables {s['table_tiv']:,} TIV ({s['difference_share']:+.2%})")
        emit(res, as_json, as_csv, max_rows=top)
