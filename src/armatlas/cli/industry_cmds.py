"""`armatlas industry COUNTRY`: a thin adapter over Atlas.industry (no figures of its own)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import typer

from armatlas.cli.options import CSV, JSON, RELEASE, atlas

if TYPE_CHECKING:
    from armatlas.results import CompositeResult
    from armatlas.summaries import IndustrySummary


def register(app: typer.Typer) -> None:
    """Add the industry command to the app."""

    @app.command()
    def industry(
        country: str = typer.Argument(..., help="Country, e.g. Türkiye, Israel, Azerbaijan."),
        part: str = typer.Option(
            "companies", "--part", help="With --csv: companies, years, licensed, partners or personnel."
        ),
        release: str | None = RELEASE,
        as_json: bool = JSON,
        as_csv: bool = CSV,
    ) -> None:
        """Defence industry: SIPRI Top 100 companies, licensed and local production, personnel."""
        with atlas() as a:
            res = a.industry(country, release=release)
        if as_json:
            sys.stdout.write(res.to_json(indent=2) + "\n")
        elif as_csv:
            sys.stdout.write(res.to_csv(part))
        else:
            render_industry(res)


def render_industry(res: CompositeResult[IndustrySummary]) -> None:
    """Terminal view: the statement, then each part as a table."""
    from armatlas.cli.render import console, fmt_pct, fmt_value
    from armatlas.summaries import LicensedSummary, PersonnelSummary

    s = res.summary
    console.print(f"[bold]{s.entity.name if s.entity else ''}: defence industry[/bold]")
    console.print(s.statement)
    if "years" in res.parts and s.has_companies and s.trend and s.latest:
        rows = [r for r in res["years"].rows if r["n_companies"]]
        _table(
            "Top 100 by year (arms sales, US$ m current)",
            ["year", "companies", "arms sales", "share of Top 100", "best rank", "largest"],
            [
                [
                    r["year"],
                    r["n_companies"],
                    fmt_value(r["arms_sales"]),
                    fmt_pct(r["share_of_top100"], 2),
                    r["best_rank"],
                    r["top_company"],
                ]
                for r in rows
            ],
        )
        t = s.trend
        if t.change_const is not None:
            console.print(
                f"Trend {t.from_year}-{t.to_year}: {fmt_pct(t.change_const, 0, sign=True)} "
                "in arms sales at constant prices"
            )
        latest = [r for r in res["companies"].rows if r["year"] == s.latest.year]
        _table(
            f"Companies in {s.latest.year}",
            ["rank", "company", "arms sales", "share of Top 100", "arms % of sales", "note"],
            [
                [
                    fmt_value(r["rank"]) or "S",
                    r["company"],
                    fmt_value(r["arms_sales"]),
                    fmt_pct(r["share_of_top100"], 2),
                    fmt_value(r["arms_share_pct"]),
                    "uncertain estimate" if r["uncertain"] else "",
                ]
                for r in latest
            ],
        )
    if "partners" in res.parts:
        _table(
            "Its main suppliers' industries (register deliveries, TIV; Top 100 in the newest year)",
            ["supplier", "TIV delivered", "Top 100 companies", "arms sales", "companies"],
            [
                [
                    r["supplier"],
                    fmt_value(r["tiv_delivered"]),
                    r["n_companies"],
                    fmt_value(r["arms_sales"]),
                    r["companies"] or "",
                ]
                for r in res["partners"].rows
            ],
        )
    lic = s.licensed
    if isinstance(lic, LicensedSummary):
        console.print(
            f"Licensed or local production (register {lic.release}): {lic.deals} deals"
            + (
                f" since {lic.since}, from {', '.join(lic.suppliers)}; "
                f"{fmt_pct(lic.share_of_imports)} of its imports (TIV)"
                if lic.deals
                else ""
            )
        )
        _table(
            "",
            ["order", "supplier", "designation", "description", "delivered", "basis"],
            [
                [
                    r["order_year"],
                    r["supplier"],
                    r["designation"],
                    r["description"],
                    fmt_value(r["n_delivered"]),
                    r["basis"],
                ]
                for r in res["licensed"].rows[-15:]
            ],
        )
    per = s.personnel
    if isinstance(per, PersonnelSummary):
        spend = per.spending_per_soldier
        count = "–" if per.personnel is None else f"{per.personnel:,.0f}"
        console.print(
            f"Armed forces {per.year}: {count} personnel (World Bank/IISS)"
            + (
                f"; military spending per soldier {spend:,.0f} US$ ({per.spending_per_soldier_year})"
                if spend is not None
                else ""
            )
        )
    else:
        console.print(f"Personnel: {per.unavailable}")
    console.print("[dim]Not checkable with these data: " + "; ".join(s.uncheckable) + "[/dim]")
    console.print(f"[dim]{res.provenance.citation()}[/dim]")


def _table(title: str, cols: list[str], rows: list[list[Any]]) -> None:
    from rich.table import Table

    from armatlas.cli.render import console

    if not rows:
        return
    t = Table(title=title or None, title_justify="left", header_style="bold")
    for c in cols:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*("" if v is None else str(v) for v in r))
    console.print(t)
