"""The one-page terminal country profile: renders a profile result, computes nothing."""

from __future__ import annotations

from rich.columns import Columns
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from armatlas.cli import formats as F
from armatlas.results import CompositeResult
from armatlas.summaries import LicensedSummary, PersonnelSummary, PipelineSummary, ProfileSummary, Unavailable

BARS = "▁▂▃▄▅▆▇█"


def _panel(body: RenderableType, title: str) -> Panel:
    """A section with its title as plain text (a str title is parsed as markup and emoji codes)."""
    return Panel(body, title=Text(title), title_align="left")


def sparkline(values: list[float | None]) -> str:
    """One character per year; '·' where nothing was delivered."""
    nums = [v for v in values if v]
    top = max(nums) if nums else 0
    out = []
    for v in values:
        if not v or not top:
            out.append("·")
        else:
            out.append(BARS[min(len(BARS) - 1, int(v / top * (len(BARS) - 1) + 0.5))])
    return "".join(out)


TOP_PER_PERIOD = 5


def supplier_rows(sup: list[dict], periods: list[str], per_period: int = TOP_PER_PERIOD) -> list[str]:
    """The top suppliers of every period shown (not only the latest), latest leaders first:
    Russia, 75% of Azerbaijan's 2011-15 imports, stays in the table after it fell away."""
    names: list[str] = []
    for per in reversed(periods):
        ranked = sorted((r for r in sup if r["period"] == per), key=lambda r: r["rank"])
        for r in ranked[:per_period]:
            if r["partner"] not in names:
                names.append(r["partner"])
    return names


def _flows_panel(p: CompositeResult[ProfileSummary]) -> Panel:
    rows = p["flows"].rows
    years = [r["year"] for r in rows]
    imp = [r["imports"] for r in rows]
    exp = [r["exports"] for r in rows]
    t = Table.grid(padding=(0, 1))
    t.add_row("", Text(f"{years[0]}", style="dim"), Text(f"{years[-1]}", style="dim", justify="right"))
    latest_in = p["dependence.metrics"].rows[-1]
    latest_out = p.summary.exports.latest
    t.add_row(
        "imports", Text(sparkline(imp), style="cyan"), f"{latest_in['period']}: {F.integer(latest_in['tiv'])}"
    )
    t.add_row(
        "exports",
        Text(sparkline(exp), style="magenta"),
        f"{latest_out.period}: {F.integer(latest_out.tiv)}",
    )
    return _panel(t, "Arms transfers per year (TIV, millions)")


def _suppliers_panel(p: CompositeResult[ProfileSummary]) -> Panel:
    periods = p.summary.periods
    sup = p["dependence.suppliers"].rows
    t = Table(show_edge=False, header_style="bold", pad_edge=False)
    t.add_column("supplier")
    for per in periods:
        t.add_column(per, justify="right")
    shares = {(r["partner"], r["period"]): r["share"] for r in sup}
    for name in supplier_rows(sup, periods):
        t.add_row(name, *(F.pct(shares.get((name, per))) for per in periods))
    mt = p["dependence.metrics"].rows
    t.add_row(Text("HHI (0-10,000)", style="dim"), *(F.integer(m["hhi"]) for m in mt))
    t.add_row(Text("top-3 share", style="dim"), *(F.pct(m["top3_share"]) for m in mt))
    t.add_row(Text("second-hand", style="dim"), *(F.pct(m["second_hand_share"]) for m in mt))
    t.add_row(Text("licensed", style="dim"), *(F.pct(m["licensed_share"]) for m in mt))
    t.add_row(Text("imports (TIV)", style="dim"), *(F.integer(m["tiv"]) for m in mt))
    d = p.summary.dependence
    caption = f"top-supplier share {d.top1_share_trend}; concentration {d.hhi_trend}; volume {d.volume_trend}"
    return _panel(Group(t, Text(caption, style="italic")), "Suppliers (share of imports)")


def _categories_panel(p: CompositeResult[ProfileSummary]) -> Panel:
    latest = p.summary.periods[-1]
    t = Table(show_edge=False, header_style="bold", pad_edge=False)
    for c in ("category", "share", "top supplier"):
        t.add_column(c)
    rows = sorted(
        (r for r in p["dependence.categories"].rows if r["period"] == latest), key=lambda r: -r["tiv"]
    )
    for r in rows[:7]:
        t.add_row(
            r["category"],
            F.pct(r["share_of_imports"]),
            f"{r['top_supplier']} {F.pct(r['top_supplier_share'])}",
        )
    return _panel(t, f"Imports by category {latest}")


def _exports_panel(p: CompositeResult[ProfileSummary]) -> Panel:
    e = p.summary.exports.latest
    t = Table.grid(padding=(0, 1))
    t.add_row(
        "volume",
        f"{F.integer(e.tiv)} TIV (m), rank {F.year(e.rank)}, {F.pct(e.world_share)} of world",
    )
    t.add_row("recipients", f"{e.recipients} ({e.deals} deals)")
    rec = [r for r in p["exports.recipients"].rows if r["period"] == e.period][:8]
    t.add_row("to", ", ".join(f"{r['partner']} {F.pct(r['share'])}" for r in rec) or "none recorded")
    return _panel(t, f"Exports {e.period}")


def _pipeline_panel(p: CompositeResult[ProfileSummary]) -> Panel:
    pipe = p.summary.pipeline
    t = Table.grid(padding=(0, 1))
    if not isinstance(pipe, PipelineSummary):
        t.add_row("pipeline", "not computable on this release (no 'Number ordered')")
    else:
        by = ", ".join(f"{r.supplier} {F.pct(r.share)}" for r in pipe.by_supplier[:5])
        t.add_row(
            "on order",
            f"{F.integer(pipe.outstanding_tiv)} TIV in {pipe.deals} open deals: {by or 'none'}",
        )
    c = p.summary.cutoff
    if c:
        t.add_row(
            "cut-off",
            f"without {', '.join(c.supplier_names)}: {F.pct(c.share_lost)} of {c.window} "
            f"deliveries and {F.pct(c.pipeline_share_lost)} of the pipeline would be lost"
            + (
                f"; no other supplier for {', '.join(c.categories_without_alternative)}"
                if c.categories_without_alternative
                else ""
            ),
        )
    return _panel(t, "Orders and supplier cut-off (TIV)")


def _spending_panel(p: CompositeResult[ProfileSummary]) -> Panel:
    s = p.summary.spending
    if isinstance(s, Unavailable):
        return _panel(Text(f"not available: {s.unavailable}", style="dim"), "Military spending")
    growth = (
        {r["years"]: r["change"] for r in p["spending.growth"].rows} if "spending.growth" in p.parts else {}
    )
    t = Table.grid(padding=(0, 1))
    t.add_row(
        "level",
        f"US$ {F.integer(s.constant_usd)} m (constant {s.base_year}), world rank "
        f"{s.world_rank_constant_usd or '–'} of {s.countries_ranked}",
    )
    t.add_row(
        "burden",
        f"{F.pct(s.share_gdp)} of GDP, {F.pct(s.share_govt)} of government spending, "
        f"US$ {F.integer(s.per_capita)} per person",
    )
    t.add_row("real change", ", ".join(f"{k} y {F.change(v)}" for k, v in growth.items()))
    return _panel(t, f"Military spending {s.year} (SIPRI milex; money, unlike TIV)")


def _industry_panel(p: CompositeResult[ProfileSummary]) -> Panel:
    """Top 100 statement, licensed/local production and personnel (see `armatlas industry`)."""
    s = p.summary.industry
    t = Table.grid(padding=(0, 1))
    t.add_row("Top 100", s.statement or "–")
    lic = s.licensed
    if isinstance(lic, LicensedSummary) and lic.deals:
        t.add_row(
            "licensed/local",
            f"{lic.deals} deals since {lic.since} from {', '.join(lic.suppliers)}; "
            f"{F.pct(lic.share_of_imports)} of its imports (TIV)",
        )
    per = s.personnel
    if isinstance(per, PersonnelSummary) and per.personnel:
        spend = per.spending_per_soldier
        t.add_row(
            "armed forces",
            f"{F.integer(per.personnel)} personnel ({per.year})"
            + (f", US$ {F.integer(spend)} spending per soldier" if spend else ""),
        )
    return _panel(t, "Defence industry (SIPRI Top 100, register, World Bank)")


def render_profile(p: CompositeResult, console: Console) -> None:
    ent = p.summary.entity
    console.print(
        Text(f"{ent.name}", style="bold")
        + Text(
            f"  {ent.iso3 or ''} · {ent.subregion or ent.region or ''} · release {p.params['release']}",
            style="dim",
        )
    )
    console.print(_flows_panel(p))
    console.print(Columns([_suppliers_panel(p), Group(_categories_panel(p), _exports_panel(p))]))
    console.print(_pipeline_panel(p))
    console.print(_spending_panel(p))
    console.print(_industry_panel(p))
    for w in p.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")
    prov = p.provenance
    est = (
        f"; {F.pct(prov.estimated_share)} of the latest imports rest on the estimated per-year split"
        if prov.estimated_share
        else ""
    )
    console.print(
        Text(
            f"{prov.citation()} {prov.basis}{est}. TIV is a volume index, not money. Files: "
            + ", ".join(s.file_name for s in prov.snapshots),
            style="dim",
        )
    )
    if "spending.series" in p.parts:
        sp = p["spending.series"].provenance
        console.print(
            Text(
                "Spending: SIPRI Military Expenditure Database. Files: "
                + ", ".join(s.file_name for s in sp.snapshots),
                style="dim",
            )
        )
    refs = [r for k in p.parts if k.startswith("industry.") for r in p[k].provenance.snapshots]
    if refs:
        from armatlas.results import Provenance

        # citation() already begins "Source: ..." and names every publisher of these parts.
        console.print(
            Text(
                Provenance(release="", snapshots=refs).citation()
                + " Files: "
                + ", ".join(sorted({r.file_name for r in refs})),
                style="dim",
            )
        )
