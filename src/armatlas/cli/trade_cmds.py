"""Analyse trade: trends, flows, dependence, exports, pipeline, cutoff, network (thin adapters:
each calls one Atlas method and renders its result; no figure is computed here)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from armatlas.cli import formats as F
from armatlas.cli.options import CSV, JSON, OUT, PART, PERIODS, RELEASE, atlas
from armatlas.cli.render import console, footer, print_table, write_data

if TYPE_CHECKING:
    from armatlas.analysis.network import NetworkResult
    from armatlas.results import CompositeResult
    from armatlas.summaries import NetworkSummary

TIV_NOTE = "TIV in millions: a volume index, not money"


def _say(text: str) -> None:
    console.print(text, highlight=False)


def trends(
    direction: str = typer.Option("export", "--direction", "-d", help="export or import."),
    period: str | None = typer.Option(None, "--period", "-p", help="e.g. 2019-2023."),
    compare: str | None = typer.Option(
        None, "--compare", help="Comparison period; the one before by default."
    ),
    top: int = typer.Option(10, "--top", "-n", help="How many (0 = all)."),
    continuity: bool = typer.Option(
        False, "--continuity", help="Count historic states under their successors (Soviet Union as Russia)."
    ),
    release: str | None = RELEASE,
    as_json: bool = JSON,
    as_csv: bool = CSV,
    out: Path | None = OUT,
) -> None:
    """The fact-sheet table: top exporters or importers, shares, change, main partners."""
    with atlas() as a:
        res = a.trends(
            direction=direction,
            period=period,
            compare=compare,
            top=top or None,
            release=release,
            continuity=continuity,
        )
    if write_data(res, as_json, as_csv, out_dir=out):
        return
    p = res.params
    print_table(
        res,
        title=f"Top {p['direction']}ers {p['period']} (share of world {p['direction']}s; "
        f"before = {p['compare']})",
    )
    footer(res)


def flows(
    entities: list[str] = typer.Argument(
        None, help="Countries (summed), region:NAME, subregion:NAME; none = world."
    ),
    direction: str = typer.Option("import", "--direction", "-d", help="import or export."),
    periods: list[str] = PERIODS,
    release: str | None = RELEASE,
    as_json: bool = JSON,
    as_csv: bool = CSV,
    out: Path | None = OUT,
) -> None:
    """Imports or exports of a country, a group or the world per period: TIV, share, rank, change."""
    spec = entities[0] if entities and len(entities) == 1 else (entities or None)
    with atlas() as a:
        res = a.flows(spec, direction=direction, periods=periods or None, release=release)
    if not write_data(res, as_json, as_csv, out_dir=out):
        print_table(res, title=f"{res.params['direction'].capitalize()}s")
        footer(res)


def dependence(
    country: str = typer.Argument(..., help="Importer."),
    periods: list[str] = PERIODS,
    release: str | None = RELEASE,
    as_json: bool = JSON,
    as_csv: bool = CSV,
    part: str | None = PART,
    out: Path | None = OUT,
) -> None:
    """Supplier dependence: shares, HHI, effective suppliers, categories and the trend."""
    with atlas() as a:
        res = a.dependence(country, periods=periods or None, release=release)
    if write_data(res, as_json, as_csv, part, out):
        return
    print_table(res["metrics"], title=f"Supplier dependence of {res.summary.importer}")
    print_table(res["suppliers"], title="Suppliers (share of the importer's TIV)")
    _say(f"top-supplier share: {res.summary.top1_share_trend}; concentration: {res.summary.hhi_trend}")
    footer(res)


def exports(
    country: str = typer.Argument(..., help="Supplier."),
    periods: list[str] = PERIODS,
    release: str | None = RELEASE,
    as_json: bool = JSON,
    as_csv: bool = CSV,
    part: str | None = PART,
    out: Path | None = OUT,
) -> None:
    """Exports of a supplier: volume, how many recipients and which, categories, rank."""
    with atlas() as a:
        res = a.exports(country, periods=periods or None, release=release)
    if write_data(res, as_json, as_csv, part, out):
        return
    print_table(res["volume"], title=f"Exports of {res.summary.supplier}")
    print_table(res["recipients"], title="Recipients (share of the supplier's TIV)")
    footer(res)


def pipeline(
    country: str | None = typer.Argument(None, help="Importer; all importers if left out."),
    supplier: list[str] = typer.Option(None, "--supplier", "-s", help="Supplier (repeatable)."),
    top: int = typer.Option(30, "--top", "-n", help="Rows to show on the terminal."),
    release: str | None = RELEASE,
    as_json: bool = JSON,
    as_csv: bool = CSV,
    out: Path | None = OUT,
) -> None:
    """Orders not yet (fully) delivered, valued at TIV per unit x outstanding units."""
    from armatlas.summaries import PipelineSummary

    with atlas() as a:
        res = a.pipeline(importer=country, supplier=supplier or None, release=release)
    if write_data(res, as_json, as_csv, out_dir=out):
        return
    s = res.summary
    if isinstance(s, PipelineSummary):
        _say(
            f"[bold]{F.integer(s.deals)} pending orders, {F.tiv(s.outstanding_tiv)} TIV (m) outstanding[/bold] "
            f"[dim]({TIV_NOTE})[/dim]"
        )
        by = ", ".join(f"{g.supplier} {F.pct(g.share)}" for g in s.by_supplier[:6])
        _say(f"by supplier: {by}")
    print_table(res, title="Pending orders", max_rows=top)
    footer(res)


def cutoff(
    country: str = typer.Argument(..., help="Importer."),
    supplier: list[str] = typer.Option(..., "--supplier", "-s", help="Supplier cut off (repeatable)."),
    window: str | None = typer.Option(None, "--window", "-w", help="Delivery window, e.g. 2020-2024."),
    release: str | None = RELEASE,
    as_json: bool = JSON,
    as_csv: bool = CSV,
    part: str | None = PART,
    out: Path | None = OUT,
) -> None:
    """What an importer would lose if these suppliers stopped: deliveries, pipeline, substitutes."""
    with atlas() as a:
        res = a.cutoff(country, supplier, window=window, release=release)
    if write_data(res, as_json, as_csv, part, out):
        return
    s = res.summary
    _say(
        f"[bold]{s.importer}, {s.window}: {F.pct(s.share_lost)} of delivered TIV "
        f"({F.tiv(s.lost_tiv)} of {F.tiv(s.delivered_tiv)} m) and {F.pct(s.pipeline_share_lost)} "
        f"of the pipeline come from {', '.join(s.supplier_names)}[/bold]"
    )
    lost = res["categories"].table
    print_table(
        res["categories"],
        title="Lost by category",
        max_rows=sum(1 for v in lost.column("lost_tiv").to_pylist() if v),
    )
    if len(res["pipeline"]):
        print_table(res["pipeline"], title="Pipeline by category")
    footer(res)


def as_composite(net: NetworkResult) -> CompositeResult[NetworkSummary]:
    """A network as a two-part result (edges, nodes) so that --part/--out/--csv treat it like any other."""
    from armatlas.results import CompositeResult

    return CompositeResult(
        "network",
        {"edges": net.edges, "nodes": net.nodes},
        net.provenance,
        params=net.params,
        summary=net.summary,
        warnings=net.warnings,
    )


def network(
    period: str | None = typer.Option(None, "--period", "-p", help="e.g. 2020-2024; latest by default."),
    focus: str | None = typer.Option(None, "--focus", help="Keep one country's partners only."),
    min_tiv: float = typer.Option(0.0, "--min-tiv", help="Drop edges below this TIV."),
    graphml: Path | None = typer.Option(None, "--graphml", help="Also write the graph as GraphML."),
    top: int = typer.Option(20, "--top", "-n", help="Rows to show on the terminal."),
    release: str | None = RELEASE,
    as_json: bool = JSON,
    as_csv: bool = CSV,
    part: str | None = PART,
    out: Path | None = OUT,
) -> None:
    """Supplier -> recipient network for a period: edges, centralities, licensed and second-hand flows."""
    with atlas() as a:
        net = a.network(period=period, release=release, min_tiv=min_tiv, focus=focus)
    if graphml:
        net.to_graphml(graphml)
        if not (as_json or as_csv):
            typer.echo(f"wrote {graphml}", err=True)
    if as_json and part is None:
        typer.echo(net.to_json(indent=2))
        return
    res = as_composite(net)
    if write_data(res, as_json, as_csv, part or ("edges" if as_csv else None), out):
        return
    s = res.summary
    licensed = (
        "licensed production not told apart in this layout"
        if s.licensed_edges is None
        else f"{s.licensed_edges} links with licensed production"
    )
    _say(
        f"[bold]{s.period}: {s.nodes} entities, {s.edges} supplier-recipient links, "
        f"{F.tiv(s.tiv)} TIV (m)[/bold] [dim]({licensed}, "
        f"{s.second_hand_edges} with second-hand weapons)[/dim]"
    )
    print_table(res["edges"], title="Largest links", max_rows=top)
    nodes = res["nodes"]
    order = sorted(range(len(nodes)), key=lambda i: -(nodes.rows[i]["pagerank_supplier"] or 0))[:10]
    from armatlas.results import TableResult

    print_table(
        TableResult(nodes.kind, nodes.table.take(order), nodes.provenance, units=nodes.units),
        title="Most central (PageRank as supplier; betweenness = broker)",
    )
    footer(res)


def register(app: typer.Typer) -> None:
    """Analyse trade: trends, flows, dependence, exports, pipeline, cutoff, network."""
    for fn in (trends, flows, dependence, exports, pipeline, cutoff, network):
        app.command(fn.__name__)(fn)
