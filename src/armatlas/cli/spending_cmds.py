"""Spending: spending COUNTRY, militarisation, gmi, indicators COUNTRY (thin adapters over Atlas)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from armatlas.cli import formats as F
from armatlas.cli.options import CSV, JSON, OUT, PART, atlas
from armatlas.cli.render import console, footer, print_table, write_data
from armatlas.results import CompositeResult, TableResult

if TYPE_CHECKING:
    from armatlas.summaries import SpendingSummary


def parse_weights(text: str | None) -> dict[str, float]:
    """'milex_gdp=5,milex_health=1' -> dict; bad input is a QueryError, not a traceback."""
    from armatlas.errors import QueryError

    out: dict[str, float] = {}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        key, sep, val = part.partition("=")
        try:
            out[key.strip()] = float(val)
        except ValueError:
            raise QueryError("Weights look like name=number,...", value=part) from None
        if not sep:
            raise QueryError("Weights look like name=number,...", value=part)
    return out


def spending(
    country: str = typer.Argument(..., help="Country, e.g. Türkiye, 'South Korea', USA."),
    year: int | None = typer.Option(None, "--year", "-y", help="Year; newest by default."),
    peers: str | None = typer.Option(
        None, "--peers", help="Comma-separated peer countries; same subregion by default."
    ),
    as_json: bool = JSON,
    as_csv: bool = CSV,
    part: str | None = PART,
    out: Path | None = OUT,
) -> None:
    """Military spending: level, share of GDP, per capita, growth, rank and peers (SIPRI)."""
    with atlas() as a:
        res = a.spending(country, peers=[p.strip() for p in peers.split(",")] if peers else None, year=year)
    if not write_data(res, as_json, as_csv, part, out):
        render_spending(res)


def militarisation(
    year: int | None = typer.Option(None, "--year", "-y", help="Year; newest well-covered by default."),
    top: int = typer.Option(20, "--top", "-n", help="How many rows (0 = all)."),
    weights: str | None = typer.Option(None, "--weights", help="e.g. milex_gdp=5,milex_health=3"),
    sensitivity: int = typer.Option(0, "--sensitivity", help="Dirichlet weight draws (e.g. 10000)."),
    concentration: float = typer.Option(20.0, "--concentration", help="Dirichlet concentration."),
    seed: int = typer.Option(0, "--seed"),
    as_json: bool = JSON,
    as_csv: bool = CSV,
    out: Path | None = OUT,
) -> None:
    """Military-burden index (BICC's GMI method on its 2 spending indicators) and its robustness; `gmi` adds personnel."""
    w = parse_weights(weights)
    res: TableResult
    with atlas() as a:
        if sensitivity:
            res = a.sensitivity(
                year=year, weights=w, n_draws=sensitivity, concentration=concentration, seed=seed
            )
            if top:
                res.table = res.table.slice(0, top)
        else:
            res = a.militarisation(year=year, weights=w, top=top or None)
    if not write_data(res, as_json, as_csv, out_dir=out):
        print_table(res, title=f"Military burden (2 of BICC's 6 GMI indicators) {res.params['year']}")
        footer(res)


def gmi(
    year: int | None = typer.Option(
        None, "--year", "-y", help="Year; newest with personnel data by default."
    ),
    top: int = typer.Option(20, "--top", "-n", help="How many rows (0 = all)."),
    agreement: bool = typer.Option(
        False, "--agreement", help="Rank agreement with BICC per year and indicator."
    ),
    as_json: bool = JSON,
    as_csv: bool = CSV,
    out: Path | None = OUT,
) -> None:
    """Global Militarisation Index after BICC (spending, personnel), beside BICC's own scores."""
    with atlas() as a:
        res = (
            a.gmi_agreement(years=[year] if year else None)
            if agreement
            else a.gmi(year=year, top=top or None)
        )
    if not write_data(res, as_json, as_csv, out_dir=out):
        print_table(
            res, title="GMI agreement with BICC" if agreement else f"GMI (BICC method) {res.params['year']}"
        )
        from armatlas.summaries import GmiSummary

        if isinstance(res.summary, GmiSummary):
            console.print(res.summary.claim, highlight=False)
        footer(res)


def indicators(
    country: str = typer.Argument(..., help="Country."),
    as_json: bool = JSON,
    as_csv: bool = CSV,
    out: Path | None = OUT,
) -> None:
    """World Bank indicators stored for a country (newest vintage of each code)."""
    with atlas() as a:
        res = a.indicators(country)
    if not write_data(res, as_json, as_csv, out_dir=out):
        print_table(res, title=f"World Bank indicators: {a.entity(country).name}")
        footer(res)


def render_spending(res: CompositeResult[SpendingSummary]) -> None:
    """Headline figures, growth and the peer table; every figure read from the result."""
    s = res.summary

    def say(text: str) -> None:
        console.print(text, highlight=False)

    say(f"[bold]{s.name}[/bold] {s.year} ({s.status}; notes {s.flags or F.DASH})")
    say(
        f"  US$ {F.integer(s.constant_usd)} m at constant {s.base_year} prices "
        f"(world rank {F.year(s.world_rank_constant_usd)} of {s.countries_ranked})"
    )
    say(
        f"  share of GDP {F.pct(s.share_gdp)} (rank {F.year(s.world_rank_share_gdp)}) · "
        f"US$ {F.integer(s.per_capita)} per person · share of government spending {F.pct(s.share_govt)}"
    )
    for g in res["growth"].rows:
        say(f"  real change over {g['years']} yr ({g['from_year']}-{g['to_year']}): {F.change(g['change'])}")
    print_table(res["peers"], title=f"Peers ({res.params['peers']})")
    footer(res)


def register(app: typer.Typer) -> None:
    """Spending: spending, militarisation, gmi, indicators."""
    for fn in (spending, militarisation, gmi, indicators):
        app.command(fn.__name__)(fn)
