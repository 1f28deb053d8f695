"""Trade-analytics commands: profile, trends, dependence, exports."""

from __future__ import annotations

import sys

import typer

from armatlas.cli.app import app
from armatlas.cli.render import CSV, JSON, console, emit

RELEASE = typer.Option(None, "--release", help="Release (publisher's generated date); newest by default.")
PERIODS = typer.Option(None, "--period", "-p", help="Period such as 2020-2024 (repeatable).")


def _atlas():
    from armatlas.atlas import open_atlas

    return open_atlas()


def _emit_composite(res, as_json: bool, as_csv: bool, part: str) -> bool:
    if as_json:
        sys.stdout.write(res.to_json(indent=2) + "\n")
        return True
    if as_csv:
        sys.stdout.write(res.to_csv(part))
        return True
    return False


@app.command()
def profile(country: str = typer.Argument(..., help="Country or entity, e.g. Azerbaijan, 'Turkey', USA."),
            period: str | None = typer.Option(None, "--period", "-p", help="Latest period, e.g. 2020-2024."),
            release: str | None = RELEASE, as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """One page on a country: imports and exports over time, suppliers, categories, partners."""
    from armatlas.cli.profile_view import render_profile

    with _atlas() as atlas:
        res = atlas.profile(country, period=period, release=release)
        if not _emit_composite(res, as_json, as_csv, "flows"):
            render_profile(res, console)


@app.command()
def trends(direction: str = typer.Option("export", "--direction", "-d", help="export or import."),
           period: str | None = typer.Option(None, "--period", "-p", help="e.g. 2019-2023."),
           compare: str | None = typer.Option(None, "--compare", help="Comparison period; the one before by default."),
           top: int = typer.Option(10, "--top", "-n", help="How many (0 = all)."),
           continuity: bool = typer.Option(False, "--continuity", help="Count historic states under their successors (Soviet Union as Russia)."),
           release: str | None = RELEASE, as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """The fact-sheet table: top exporters or importers, shares, change, main partners."""
    with _atlas() as atlas:
        res = atlas.trends(direction=direction, period=period, compare=compare, top=top or None, release=release,
                           continuity=continuity)
        if as_json or as_csv:
            emit(res, as_json, as_csv)
            return
        from rich.table import Table

        from armatlas.cli.render import fmt_pct

        p = res.params
        t = Table(title=f"Top {p['direction']}ers {p['period']} (vs {p['compare']})", title_justify="left")
        for c in ("rank", p["direction"] + "er", f"share {p['period']}", f"share {p['compare']}", "change", "main partners"):
            t.add_column(c)
        for r in res.rows:
            t.add_row(str(r["rank"]), r["name"], fmt_pct(r["share"], 1), fmt_pct(r["share_compare"], 1),
                      fmt_pct(r["change"], 0, sign=True),
                      ", ".join(f"{x['partner']} ({fmt_pct(x['share'], 0)})" for x in r["partners"]))
        console.print(t)
        from armatlas.cli.render import footer

        footer(res)


@app.command()
def dependence(country: str, periods: list[str] = PERIODS, release: str | None = RELEASE,
               as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """Supplier dependence: shares, HHI, effective suppliers, categories and the trend."""
    with _atlas() as atlas:
        res = atlas.dependence(country, periods=periods or None, release=release)
        if _emit_composite(res, as_json, as_csv, "metrics"):
            return
        emit(res["metrics"], False, False, columns=["period", "tiv", "deals", "suppliers", "top_supplier",
             "top1_share", "top3_share", "hhi", "effective_suppliers", "second_hand_share", "licensed_share"],
             title=f"Supplier dependence of {res.summary['importer']}")
        emit(res["suppliers"], False, False, columns=["period", "partner", "tiv", "share", "deals"], title="Suppliers")
        console.print(f"top-supplier share: {res.summary['top1_share_trend']}; concentration: {res.summary['hhi_trend']}")
        for w in res.warnings:
            console.print(f"[yellow]warning:[/yellow] {w}")


@app.command()
def exports(country: str, periods: list[str] = PERIODS, release: str | None = RELEASE,
            as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """Exports of a supplier: volume, how many recipients and which, categories, rank."""
    with _atlas() as atlas:
        res = atlas.exports(country, periods=periods or None, release=release)
        if _emit_composite(res, as_json, as_csv, "volume"):
            return
        emit(res["volume"], False, False, columns=["period", "tiv", "world_share", "rank", "change",
             "recipients", "deals", "second_hand_share"], title=f"Exports of {res.summary['supplier']}")
        emit(res["recipients"], False, False, columns=["period", "partner", "tiv", "share", "deals"], title="Recipients")


@app.command()
def flows(entities: list[str] = typer.Argument(None, help="Countries (summed), region:NAME, subregion:NAME; none = world."),
          direction: str = typer.Option("import", "--direction", "-d", help="import or export."),
          periods: list[str] = PERIODS, release: str | None = RELEASE,
          as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """Imports or exports of a country, a group or the world per period: TIV, share, rank, change."""
    spec = entities[0] if entities and len(entities) == 1 else (entities or None)
    with _atlas() as atlas:
        res = atlas.flows(spec, direction=direction, periods=periods or None, release=release)
        emit(res, as_json, as_csv, columns=["period", "entity", "tiv", "share", "rank", "change"],
             title=f"{res.params['direction'].capitalize()}s")
