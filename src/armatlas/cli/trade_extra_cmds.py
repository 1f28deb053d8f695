"""Commands for the order pipeline, supplier cut-off, partner network and release comparison.

Thin adapters: each calls one analysis function and renders its result; figures are never
computed here. Library errors propagate to the CLI's one error handler.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from armatlas.cli.render import CSV, JSON, console, emit, fmt_pct, fmt_value, footer

RELEASE = typer.Option(None, "--release", help="Release (publisher's generated date); newest by default.")
TIV_NOTE = "TIV in millions; a volume index, not money"


def _atlas() -> Any:
    from armatlas.atlas import open_atlas

    return open_atlas()


def _print_table(title: str, columns: list[str], rows: list[list[str]]) -> None:
    t = Table(title=title, title_justify="left", header_style="bold")
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*r)
    console.print(t)


def pipeline_cmd(country: str | None = typer.Argument(None, help="Importer; all importers if left out."),
                 supplier: list[str] = typer.Option(None, "--supplier", "-s", help="Supplier (repeatable)."),
                 top: int = typer.Option(30, "--top", "-n", help="Rows to show on the terminal."),
                 release: str | None = RELEASE, as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """Orders not yet (fully) delivered, valued at TIV per unit x outstanding units."""
    from armatlas.analysis.pipeline import pipeline

    with _atlas() as atlas:
        res = pipeline(atlas.con, importer=country, supplier=supplier or None, release=release)
    if as_json or as_csv:
        emit(res, as_json, as_csv)
        return
    s = res.summary
    if s.get("available"):
        console.print(f"[bold]{s['deals']} pending orders, {s['outstanding_tiv']:,.0f} TIV outstanding[/bold] "
                      f"[dim]({TIV_NOTE})[/dim]")
        _print_table("By supplier", ["supplier", "orders", "outstanding TIV", "share"],
                     [[g["supplier"], str(g["deals"]), fmt_value(g["outstanding_tiv"]), fmt_pct(g["share"])]
                      for g in s["by_supplier"][:10]])
    emit(res, False, False, max_rows=top, title="Pending orders", columns=[
        "recipient", "supplier", "designation", "category", "order_year", "n_ordered", "n_delivered",
        "outstanding_units", "outstanding_tiv", "planned_text", "estimated", "selected_only"])


def cutoff_cmd(country: str = typer.Argument(..., help="Importer."),
               supplier: list[str] = typer.Option(..., "--supplier", "-s", help="Supplier cut off (repeatable)."),
               window: str | None = typer.Option(None, "--window", "-w", help="Delivery window, e.g. 2020-2024."),
               release: str | None = RELEASE, as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """What an importer would lose if these suppliers stopped: deliveries, pipeline, substitutes."""
    from armatlas.analysis.cutoff import cutoff

    with _atlas() as atlas:
        res = cutoff(atlas.con, country, supplier, window=window, release=release)
    if as_json:
        sys.stdout.write(res.to_json(indent=2) + "\n")
        return
    if as_csv:
        sys.stdout.write(res.to_csv("categories"))
        return
    s = res.summary
    console.print(f"[bold]{s['importer']}, {s['window']}: {fmt_pct(s['share_lost'])} of delivered TIV "
                  f"({fmt_value(s['lost_tiv'])} of {fmt_value(s['delivered_tiv'])}) and "
                  f"{fmt_pct(s['pipeline_share_lost'])} of the pipeline come from {', '.join(s['supplier_names'])}[/bold]")
    _print_table("Lost by category", ["category", "TIV", "lost", "share lost", "remaining suppliers"],
                 [[c["category"], fmt_value(c["tiv"]), fmt_value(c["lost_tiv"]),
                   fmt_pct(c["share_lost"]) + (" (small base)" if c["small_base"] else ""), c["remaining_suppliers"]]
                  for c in res["categories"].rows if c["lost_tiv"] > 0])
    if len(res["pipeline"]):
        _print_table("Pipeline by category", ["category", "outstanding TIV", "lost", "share lost"],
                     [[c["category"], fmt_value(c["outstanding_tiv"]), fmt_value(c["lost_tiv"]), fmt_pct(c["share_lost"])]
                      for c in res["pipeline"].rows])
    footer(res["categories"])
    for w in res.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")


def network_cmd(period: str | None = typer.Option(None, "--period", "-p", help="e.g. 2020-2024; latest by default."),
                focus: str | None = typer.Option(None, "--focus", help="Keep one country's partners only."),
                min_tiv: float = typer.Option(0.0, "--min-tiv", help="Drop edges below this TIV."),
                graphml: Path | None = typer.Option(None, "--graphml", help="Also write the graph as GraphML."),
                top: int = typer.Option(20, "--top", "-n", help="Rows to show on the terminal."),
                release: str | None = RELEASE, as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """Supplier -> recipient network for a period: edges, centralities, licensed and second-hand flows."""
    from armatlas.analysis.network import network

    with _atlas() as atlas:
        res = network(atlas.con, period=period, release=release, min_tiv=min_tiv, focus=focus)
    if graphml:
        res.to_graphml(graphml)
        if not (as_json or as_csv):
            console.print(f"wrote {graphml}")
    if as_json:
        sys.stdout.write(res.to_json(indent=2) + "\n")
        return
    if as_csv:
        sys.stdout.write(res.edges.to_csv())
        return
    s = res.summary
    console.print(f"[bold]{s['period']}: {s['nodes']} entities, {s['edges']} supplier-recipient links, "
                  f"{s['tiv']:,.0f} TIV[/bold] [dim]({TIV_NOTE}; {s['licensed_edges']} links with licensed "
                  f"production, {s['second_hand_edges']} with second-hand weapons)[/dim]")
    emit(res.edges, False, False, max_rows=top, title="Largest links", columns=[
        "supplier", "recipient", "tiv", "deals", "recipient_share", "licensed", "second_hand"])
    _print_table("Most central (PageRank as supplier; betweenness = broker)",
                 ["entity", "exports", "imports", "pagerank", "betweenness"],
                 [[r["name"], fmt_value(r["exports"]), fmt_value(r["imports"]), f"{r['pagerank_supplier']:.3f}",
                   f"{r['betweenness']:.3f}"]
                  for r in sorted(res.nodes.rows, key=lambda r: -r["pagerank_supplier"])[:10]])


def diff_cmd(query: str = typer.Argument(..., help="suppliers, recipients, world-share or trends."),
             a: str = typer.Option(..., "--a", help="First (older) release."),
             b: str = typer.Option(..., "--b", help="Second (newer) release."),
             country: str | None = typer.Option(None, "--country", "-c", help="Country for suppliers/recipients/world-share."),
             period: str | None = typer.Option(None, "--period", "-p", help="Period; newest both releases cover by default."),
             direction: str = typer.Option("export", "--direction", "-d", help="export or import (world-share, trends)."),
             top: int = typer.Option(10, "--top", "-n", help="trends: how many."),
             as_json: bool = JSON, as_csv: bool = CSV) -> None:
    """The same query on two releases: what the publisher revised, row by row."""
    from armatlas.analysis.diff import compare_releases

    params: dict[str, Any] = {"period": period}
    if query in ("suppliers", "recipients", "world-share") and country:
        params["country"] = country
    if query in ("world-share", "trends"):
        params["direction"] = direction
    if query == "trends":
        params["top"] = top or None
    with _atlas() as atlas:
        res = compare_releases(atlas.con, query, a, b, **params)
    if as_json or as_csv:
        emit(res, as_json, as_csv)
        return
    s = res.summary
    _print_table(f"{query} {s['period']}: release {s['release_a']} vs {s['release_b']}",
                 ["", s["release_a"], s["release_b"], "change", "status"],
                 [[r["label"], fmt_pct(r["value_a"]), fmt_pct(r["value_b"]),
                   f"{100 * r['change']:+.1f} pp" if r["change"] is not None else "", r["status"]]
                  for r in res.rows])
    footer(res)


def register(app: typer.Typer) -> None:
    """Add pipeline, cutoff, network and diff to the app."""
    app.command("pipeline")(pipeline_cmd)
    app.command("cutoff")(cutoff_cmd)
    app.command("network")(network_cmd)
    app.command("diff")(diff_cmd)
