"""Spending commands: spending COUNTRY, militarisation, indicators COUNTRY (thin adapters)."""

from __future__ import annotations

import sys
from typing import Any

import typer

JSON = typer.Option(False, "--json", help="Print JSON (same fields as the Python API).")
CSV = typer.Option(False, "--csv", help="Print CSV.")


def _con() -> Any:
    from armatlas import config
    from armatlas.store.db import connect

    return connect(config.store_path(), read_only=True)


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


def _out(result: Any, as_json: bool, as_csv: bool, part: str | None = None) -> bool:
    if as_json:
        sys.stdout.write(result.to_json(indent=2) + "\n")
        return True
    if as_csv:
        sys.stdout.write(result.to_csv(part) if part else result.to_csv())
        return True
    return False


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{100 * v:.2f}%"


def _num(v: float | None, digits: int = 0) -> str:
    return "–" if v is None else f"{v:,.{digits}f}"


def register(app: typer.Typer) -> None:
    """Add the spending commands to the app."""

    @app.command()
    def spending(country: str = typer.Argument(..., help="Country, e.g. Türkiye, 'South Korea', USA."),
                 year: int | None = typer.Option(None, "--year", "-y", help="Year; newest by default."),
                 peers: str | None = typer.Option(None, "--peers", help="Comma-separated peer countries; "
                                                  "same subregion by default."),
                 as_json: bool = JSON, as_csv: bool = CSV) -> None:
        """Military spending: level, share of GDP, per capita, growth, rank and peers (SIPRI)."""
        from armatlas.analysis.spending import spending as run
        from armatlas.entities.register import load_register

        reg = load_register()
        eid = reg.find(country).entity_id
        peer_ids = [reg.find(p).entity_id for p in peers.split(",")] if peers else None
        with _con() as con:
            res = run(con, eid, peers=peer_ids, year=year)
        if not _out(res, as_json, as_csv, "series"):
            _render_spending(res)

    @app.command()
    def militarisation(year: int | None = typer.Option(None, "--year", "-y", help="Year; newest well-covered by default."),
                       top: int = typer.Option(20, "--top", "-n", help="How many rows (0 = all)."),
                       weights: str | None = typer.Option(None, "--weights", help="e.g. milex_gdp=5,milex_health=3"),
                       sensitivity: int = typer.Option(0, "--sensitivity", help="Dirichlet weight draws (e.g. 10000)."),
                       concentration: float = typer.Option(20.0, "--concentration", help="Dirichlet concentration."),
                       seed: int = typer.Option(0, "--seed"),
                       as_json: bool = JSON, as_csv: bool = CSV) -> None:
        """Militarisation index (BICC GMI method, available indicators only) and its robustness."""
        from armatlas.analysis import militarisation as mil

        w = parse_weights(weights)
        with _con() as con:
            if sensitivity:
                res = mil.sensitivity(con, year, w, n_draws=sensitivity, concentration=concentration, seed=seed)
            else:
                res = mil.militarisation(con, year, w, top=top or None)
        if sensitivity and top:
            res.table = res.table.slice(0, top)
        if not _out(res, as_json, as_csv):
            _render_table(res, f"Militarisation {res.params['year']}")

    @app.command()
    def indicators(country: str = typer.Argument(..., help="Country."),
                   as_json: bool = JSON, as_csv: bool = CSV) -> None:
        """World Bank indicators stored for a country (newest vintage of each code)."""
        from armatlas.analysis.spending import indicators as run
        from armatlas.entities.register import load_register

        eid = load_register().find(country).entity_id
        with _con() as con:
            res = run(con, eid)
        if not _out(res, as_json, as_csv):
            _render_table(res, f"World Bank indicators: {eid}")


def _render_spending(res: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    c, s = Console(), res.summary
    c.print(f"[bold]{s['name']}[/bold] {s['year']} ({s['status']}; notes {s['flags'] or '–'})")
    c.print(f"  constant {s['base_year']} US$ m: {_num(s['constant_usd'])} (world rank {s['world_rank_constant_usd']}"
            f" of {s['countries_ranked']})")
    c.print(f"  share of GDP: {_pct(s['share_gdp'])} (rank {s['world_rank_share_gdp']}) · per capita US$: "
            f"{_num(s['per_capita'])} · share of govt spending: {_pct(s['share_govt'])}")
    for g in res["growth"].rows:
        c.print(f"  real change over {g['years']} yr ({g['from_year']}-{g['to_year']}): {_pct(g['change'])}")
    t = Table(title=f"Peers ({res.params['peers']})", title_justify="left")
    for col in ("name", "US$ m", "% GDP", "per capita", "% govt"):
        t.add_column(col)
    for p in res["peers"].rows:
        t.add_row(p["name"], _num(p["constant_usd"]), _pct(p["share_gdp"]), _num(p["per_capita"]), _pct(p["share_govt"]))
    c.print(t)
    for w in res.warnings:
        c.print(f"[yellow]warning:[/yellow] {w}")
    c.print(f"[dim]{res.provenance.citation()} · release {res.provenance.release}[/dim]")


def _render_table(res: Any, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    c = Console()
    t = Table(title=title, title_justify="left")
    cols = res.table.column_names
    for col in cols:
        t.add_column(col, overflow="fold")
    for row in res.rows:
        t.add_row(*(f"{v:,.3g}" if isinstance(v, float) else "" if v is None else str(v) for v in row.values()))
    c.print(t)
    for w in res.warnings:
        c.print(f"[yellow]warning:[/yellow] {w}")
    c.print(f"[dim]{res.provenance.citation()} · {', '.join(s.file_name for s in res.provenance.snapshots)}[/dim]")
