"""Render results: Rich tables for people, JSON/CSV with the same field names for pipes."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from armatlas.results import TableResult

console = Console()


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def format_option() -> Any:
    return typer.Option(Format.table, "--format", "-f", help="table (terminal), json or csv.")


JSON = typer.Option(False, "--json", help="Print JSON (same fields as the Python and HTTP APIs).")
CSV = typer.Option(False, "--csv", help="Print CSV.")


def fmt_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else ""
    if isinstance(v, float):
        return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def fmt_pct(v: float | None, digits: int = 1, sign: bool = False) -> str:
    if v is None:
        return "–"
    return f"{100 * v:{'+' if sign else ''}.{digits}f}%"


def _cell(column: str, v: Any) -> str:
    """Shares and changes are fractions in results; people read them as percentages."""
    if isinstance(v, float) and (column.endswith("share") or column in ("change", "share_compare")):
        return fmt_pct(v, 1, sign=column == "change")
    return fmt_value(v)


def emit(result: TableResult, as_json: bool, as_csv: bool, *, columns: list[str] | None = None,
         title: str | None = None, max_rows: int | None = None) -> None:
    if as_json:
        sys.stdout.write(result.to_json(indent=2) + "\n")
        return
    if as_csv:
        sys.stdout.write(result.to_csv())
        return
    cols = columns or result.table.column_names
    t = Table(title=title, title_justify="left", header_style="bold")
    for c in cols:
        t.add_column(c, overflow="fold")
    rows = result.rows
    for row in rows[:max_rows] if max_rows else rows:
        t.add_row(*(_cell(c, row.get(c)) for c in cols))
    console.print(t)
    if max_rows and len(rows) > max_rows:
        console.print(f"[dim]… {len(rows) - max_rows} more rows (use --csv or --json for all)[/dim]")
    footer(result)


def footer(result: TableResult) -> None:
    p = result.provenance
    bits = [f"release {p.release}"]
    if p.basis:
        bits.append(p.basis)
    if p.estimated_share is not None:
        bits.append(f"{p.estimated_share:.0%} of TIV on estimated per-year split")
    files = ", ".join(s.file_name for s in p.snapshots)
    if files:
        bits.append(files)
    console.print(f"[dim]{' · '.join(bits)}[/dim]")
    for w in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")
