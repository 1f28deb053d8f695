"""Look up: entities, deals and the one-page country profile."""

from __future__ import annotations

from pathlib import Path

import typer

from armatlas.cli.options import CSV, JSON, OUT, PART, RELEASE, atlas
from armatlas.cli.render import console, emit, footer, print_table, write_data


def entities(
    query: str | None = typer.Argument(None, help="Part of a name, alias or ISO3."),
    as_json: bool = JSON,
    as_csv: bool = CSV,
    out: Path | None = OUT,
) -> None:
    """Look up canonical entities (states, historic states, non-state actors, organisations)."""
    from armatlas.atlas import search_entities

    emit(search_entities(query), as_json, as_csv, title="Entities", out_dir=out)


def deals(
    recipient: list[str] = typer.Option(None, "--recipient", "-r", help="Recipient (repeatable)."),
    supplier: list[str] = typer.Option(None, "--supplier", "-s", help="Supplier (repeatable)."),
    from_year: int | None = typer.Option(None, "--from", help="First year (order or delivery)."),
    to_year: int | None = typer.Option(None, "--to", help="Last year (order or delivery)."),
    category: str | None = typer.Option(None, "--category", "-c", help="One of the 12 SIPRI categories."),
    release: str | None = RELEASE,
    as_json: bool = JSON,
    as_csv: bool = CSV,
    out: Path | None = OUT,
) -> None:
    """Deals from the register, filtered; TIV is a volume index, not money."""
    with atlas() as a:
        res = a.deals(
            recipient=recipient or None,
            supplier=supplier or None,
            from_year=from_year,
            to_year=to_year,
            category=category,
            release=release,
        )
    if write_data(res, as_json, as_csv, out_dir=out):
        return
    rows = res.rows
    recipients = {r["recipient"] for r in rows}
    title = f"{len(rows):,} deals" + (f" of {rows[0]['recipient']}" if len(recipients) == 1 else "")
    print_table(
        res,
        title=title,
        columns=None if len(recipients) > 1 else [c for c in res.table.column_names if c != "recipient"],
    )
    console.print("[dim]TIV in millions: a volume index, not money. '?' = uncertain in the source.[/dim]")
    footer(res)


def profile(
    country: str = typer.Argument(..., help="Country or entity, e.g. Azerbaijan, 'Turkey', USA."),
    period: str | None = typer.Option(None, "--period", "-p", help="Latest period, e.g. 2020-2024."),
    release: str | None = RELEASE,
    as_json: bool = JSON,
    as_csv: bool = CSV,
    part: str | None = PART,
    out: Path | None = OUT,
) -> None:
    """One page on a country: imports and exports over time, suppliers, categories, partners."""
    from armatlas.cli.profile_view import render_profile

    with atlas() as a:
        res = a.profile(country, period=period, release=release)
    if not write_data(res, as_json, as_csv, part, out):
        render_profile(res, console)


def register(app: typer.Typer) -> None:
    """Look up: entities, deals, profile."""
    for fn in (entities, deals, profile):
        app.command(fn.__name__)(fn)
