"""Render results: a table design per result kind for people, JSON/CSV for pipes.

Each view names the columns people read, with human headers carrying the unit, a format per
kind of figure (cli/formats.py) and a priority. Numbers are right-aligned and never wrap; text
wraps only between words. When the terminal is too narrow, whole columns are left out, least
important first, and the table says which: a folded "2,43 / 2" is never printed.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from armatlas.cli import formats as F
from armatlas.results import CompositeResult, TableResult

console = Console(emoji=False)  # data text (names, comments) is printed as it is; no :code: emoji


@dataclass(frozen=True)
class Col:
    """One column of a view: result field, header (with unit), format, and how soon it is dropped."""

    key: str
    header: str
    fmt: F.Formatter = F.auto
    priority: int = 1  # 1 = always shown; higher numbers are left out first on narrow terminals
    uncertain: str | None = None  # field flagging the value as uncertain in the source: shown as '?'

    def cell(self, row: dict[str, Any]) -> str:
        text = self.fmt(row.get(self.key))
        flagged = self.uncertain and row.get(self.uncertain) and row.get(self.key) is not None
        return text + "?" if flagged else text


def _c(
    key: str, header: str, fmt: F.Formatter = F.auto, priority: int = 1, uncertain: str | None = None
) -> Col:
    return Col(key, header, fmt, priority, uncertain)


_PARTNER = [
    _c("period", "period"),
    _c("partner", "partner", F.text),
    _c("tiv", "TIV (m)", F.tiv),
    _c("share", "share", F.pct),
    _c("deals", "deals", F.integer, 2),
]

VIEWS: dict[str, list[Col]] = {
    "releases": [
        _c("release", "release", F.text),
        _c("generated_at", "generated", F.when),
        _c("layouts", "layouts", F.words, 3),
        _c("recipients_scope", "recipients", F.text, 4),
        _c("suppliers_scope", "suppliers", F.text, 4),
        _c("deals", "deals", F.integer),
        _c("delivery_rows", "delivery rows", F.integer, 2),
        _c("tiv_table_cells", "TIV-table cells", F.integer, 2),
        _c("last_year", "last year", F.year),
        _c("files", "files", F.text, 9),
    ],
    "entities": [
        _c("name", "name", F.text),
        _c("iso3", "ISO3", F.text),
        _c("kind", "kind", F.words),
        _c("region", "region", F.text, 2),
        _c("subregion", "subregion", F.text, 3),
    ],
    "dependence.metrics": [
        _c("period", "period"),
        _c("tiv", "imports TIV (m)", F.tiv),
        _c("suppliers", "suppliers", F.integer, 2),
        _c("top_supplier", "top supplier", F.text),
        _c("top1_share", "top share", F.pct),
        _c("top3_share", "top-3 share", F.pct, 3),
        _c("hhi", "HHI (0-10,000)", F.integer),
        _c("effective_suppliers", "effective suppliers", F.decimal, 2),
        _c("deals", "deals", F.integer, 4),
        _c("second_hand_share", "second-hand", F.pct, 5),
        _c("licensed_share", "licensed", F.pct, 5),
    ],
    "dependence.suppliers": _PARTNER,
    "exports.recipients": _PARTNER,
    "dependence.categories": [
        _c("period", "period"),
        _c("category", "category", F.text),
        _c("tiv", "TIV (m)", F.tiv),
        _c("share_of_imports", "share of imports", F.pct),
        _c("top_supplier", "top supplier", F.text, 2),
        _c("top_supplier_share", "its share", F.pct, 2),
        _c("suppliers", "suppliers", F.integer, 3),
    ],
    "exports.volume": [
        _c("period", "period"),
        _c("tiv", "exports TIV (m)", F.tiv),
        _c("world_share", "world share", F.pct),
        _c("rank", "rank", F.year),
        _c("change", "change", F.change, 2),
        _c("recipients", "recipients", F.integer),
        _c("deals", "deals", F.integer, 3),
        _c("second_hand_share", "second-hand", F.pct, 4),
    ],
    "exports.categories": [
        _c("period", "period"),
        _c("category", "category", F.text),
        _c("tiv", "TIV (m)", F.tiv),
        _c("share", "share", F.pct),
        _c("recipients", "recipients", F.integer, 2),
        _c("deals", "deals", F.integer, 3),
    ],
    "trends": [
        _c("rank", "rank", F.year),
        _c("name", "name", F.text),
        _c("tiv", "TIV (m)", F.tiv, 3),
        _c("share", "share", F.pct),
        _c("share_compare", "share before", F.pct, 2),
        _c("change", "change", F.change),
        _c("partners", "main partners (share)", F.partner_shares, 4),
    ],
    "flows": [
        _c("period", "period"),
        _c("entity", "entity", F.text),
        _c("tiv", "TIV (m)", F.tiv),
        _c("world_tiv", "world TIV (m)", F.tiv, 3),
        _c("share", "world share", F.pct),
        _c("rank", "rank", F.year),
        _c("change", "change", F.change, 2),
    ],
    "deals": [
        _c("recipient", "recipient", F.text, 2),
        _c("supplier", "supplier", F.text),
        _c("order_year", "order", F.year, 1, "order_year_est"),
        _c("n_ordered", "ordered", F.integer, 3, "n_ordered_est"),
        _c("designation", "designation", F.text),
        _c("description", "description", F.text, 5),
        _c("n_delivered", "delivered", F.integer, 4, "n_delivered_est"),
        _c("delivery_years", "delivered in", F.text, 6),
        _c("tiv_delivered", "TIV delivered (m)", F.tiv, 2),
    ],
    "reconcile": [
        _c("name", "name", F.text),
        _c("direction", "direction", F.text, 3),
        _c("years", "years", F.integer, 4),
        _c("register_tiv", "register TIV (m)", F.tiv),
        _c("table_tiv", "tables TIV (m)", F.tiv),
        _c("difference", "difference (m)", F.tiv, 2),
        _c("difference_share", "difference", F.change),
        _c("within_rounding", "within rounding", F.yes_no, 2),
    ],
    "pipeline": [
        _c("recipient", "recipient", F.text, 2),
        _c("supplier", "supplier", F.text),
        _c("designation", "designation", F.text),
        _c("category", "category", F.text, 4),
        _c("order_year", "order", F.year, 3),
        _c("n_ordered", "ordered", F.integer, 5),
        _c("n_delivered", "delivered", F.integer, 5),
        _c("outstanding_units", "outstanding", F.integer),
        _c("outstanding_tiv", "outstanding TIV (m)", F.tiv),
        _c("planned_text", "planned", F.text, 6),
        _c("estimated", "estimated", F.flag, 7),
    ],
    "cutoff_categories": [
        _c("category", "category", F.text),
        _c("tiv", "TIV (m)", F.tiv),
        _c("lost_tiv", "lost TIV (m)", F.tiv),
        _c("share_lost", "share lost", F.pct),
        _c("small_base", "small base", F.flag, 3),
        _c("remaining_suppliers", "remaining suppliers", F.text, 2),
    ],
    "cutoff_pipeline": [
        _c("category", "category", F.text),
        _c("outstanding_tiv", "outstanding TIV (m)", F.tiv),
        _c("lost_tiv", "lost TIV (m)", F.tiv),
        _c("share_lost", "share lost", F.pct),
    ],
    "cutoff_alternatives": [
        _c("category", "category", F.text),
        _c("supplier", "supplier", F.text),
        _c("tiv", "TIV (m)", F.tiv),
        _c("share_of_category", "share of category", F.pct),
        _c("deals", "deals", F.integer, 2),
    ],
    "network_edges": [
        _c("supplier", "supplier", F.text),
        _c("recipient", "recipient", F.text),
        _c("tiv", "TIV (m)", F.tiv),
        _c("deals", "deals", F.integer, 3),
        _c("recipient_share", "share of recipient's imports", F.pct, 2),
        _c("licensed", "licensed", F.flag, 4),
        _c("second_hand", "second-hand", F.flag, 4),
    ],
    "network_nodes": [
        _c("name", "entity", F.text),
        _c("exports", "exports TIV (m)", F.tiv),
        _c("imports", "imports TIV (m)", F.tiv),
        _c("pagerank_supplier", "PageRank as supplier", F.index3),
        _c("betweenness", "betweenness (broker)", F.index3, 2),
    ],
    "diff": [
        _c("label", "", F.text),
        _c("value_a", "release A", F.pct),
        _c("value_b", "release B", F.pct),
        _c("change", "change", F.points),
        _c("change_method", "of which method", F.points, 2),
        _c("status", "status", F.words, 2),
    ],
    "spending_series": [
        _c("year", "year", F.year),
        _c("constant_usd", "US$ m (constant)", F.integer),
        _c("current_usd", "US$ m (current)", F.integer, 3),
        _c("share_gdp", "share of GDP", F.pct),
        _c("per_capita", "US$ per person", F.integer, 2),
        _c("share_govt", "share of govt spending", F.pct, 2),
        _c("status", "status", F.words, 4),
    ],
    "spending_growth": [
        _c("years", "years", F.year),
        _c("from_year", "from", F.year),
        _c("to_year", "to", F.year),
        _c("change", "real change", F.change),
    ],
    "spending_peers": [
        _c("name", "name", F.text),
        _c("constant_usd", "US$ m (constant)", F.integer),
        _c("share_gdp", "share of GDP", F.pct),
        _c("per_capita", "US$ per person", F.integer, 2),
        _c("share_govt", "share of govt spending", F.pct, 3),
        _c("rank_constant_usd", "world rank", F.year, 2),
    ],
    "militarisation": [
        _c("rank", "rank", F.year),
        _c("name", "name", F.text),
        _c("score", "index (0-1,000)", F.integer),
        _c("milex_gdp", "military spending, share of GDP", F.pct, 2),
        _c("milex_health", "military / health spending", F.decimal, 2),
        _c("complete", "all indicators", F.yes_no, 3),
        _c("indicators_missing", "missing indicators", F.words, 4),
    ],
    "gmi": [
        _c("rank", "rank", F.year),
        _c("name", "name", F.text),
        _c("score", "index (0-1,000)", F.integer),
        _c("bicc_rank", "BICC rank", F.year),
        _c("bicc_score", "BICC GMI", F.integer, 2),
        _c("spending", "spending (0-8)", F.decimal, 2),
        _c("bicc_spending", "BICC spending", F.decimal, 3),
        _c("personnel", "personnel (0-6)", F.decimal, 2),
        _c("bicc_personnel", "BICC personnel", F.decimal, 3),
    ],
    "gmi_agreement": [
        _c("year", "year", F.year),
        _c("indicator", "indicator", F.text),
        _c("spearman", "Spearman", F.index3),
        _c("top10_shared", "top 10 shared", F.year),
        _c("countries", "countries", F.integer, 2),
        _c("indicators_used", "indicators used", F.words, 3),
    ],
    "militarisation_sensitivity": [
        _c("rank", "rank", F.year),
        _c("name", "name", F.text),
        _c("rank_median", "median rank", F.year),
        _c("rank_p05", "rank, 5th pct", F.year, 2),
        _c("rank_p95", "rank, 95th pct", F.year, 2),
        _c("share_top10", "share of draws in top 10", F.pct),
    ],
    "claim_check": [
        _c("sentence", "#", F.year),
        _c("text", "claim in the article", F.text, 2),
        _c("kind", "kind", F.words, 3),
        _c("computed", "data", F.decimal),
        _c("verdict", "verdict", F.text),
        _c("why", "why", F.text),
    ],
}

# World Bank indicator codes, in the publisher's words, with the unit of the stored value.
WDI_HEADERS = {
    "MS.MIL.XPND.GD.ZS": ("military spending, % of GDP", F.decimal),
    "MS.MIL.XPND.CD": ("military spending, current US$", F.integer),
    "NY.GDP.MKTP.CD": ("GDP, current US$", F.integer),
    "SP.POP.TOTL": ("population", F.integer),
    "SH.XPD.CHEX.GD.ZS": ("health spending, % of GDP", F.decimal),
    "SH.MED.PHYS.ZS": ("physicians per 1,000 people", F.decimal),
}


def _wdi(code: str, priority: int) -> Col:
    """A World Bank indicator column, headed by its name when known."""
    header, fmt = WDI_HEADERS.get(code, (code, F.auto))
    return _c(code, header, fmt, priority)


def view_for(result: TableResult, columns: Sequence[str] | None = None) -> list[Col]:
    """The view of a result kind, or one built from its field names for kinds without a view."""
    names = result.table.column_names
    view = VIEWS.get(result.kind)
    if view is None and result.kind == "indicators":
        view = [_c("year", "year", F.year)] + [
            _wdi(n, priority=2 + i) for i, n in enumerate(names) if n != "year"
        ]
    if view is None:
        view = [
            _c(n, n.replace("_", " "), F.auto, 1 + i // 4)
            for i, n in enumerate(names)
            if not n.endswith("_id") and n not in ("src_line", "deal_key")
        ]
    view = [c for c in view if c.key in names]
    if columns is not None:
        view = [c for c in view if c.key in columns]
    return view


_WORD = re.compile(r"\S+")


def _need(col: Col, cells: list[str]) -> int:
    """Narrowest width that keeps every token whole: the widest number, or the longest word."""
    head = max((len(w) for w in _WORD.findall(col.header)), default=0)
    if col.fmt in F.NUMERIC:
        return max([head, *(len(c) for c in cells)])
    return max([head, *(len(w) for c in cells for w in _WORD.findall(c))])


def _want(col: Col, cells: list[str]) -> int:
    """Width that shows the header and every cell on one line."""
    return max([len(col.header), *(len(c) for c in cells)])


def _overhead(n: int) -> int:
    """Characters a SIMPLE_HEAD table adds to n columns: two edges, n-1 separators and the padding
    between columns (none at the outer edges), plus one spare."""
    return 3 * n


def fit_columns(view: list[Col], cells: list[list[str]], width: int) -> dict[int, int]:
    """Column index -> width, for the columns that fit in `width` with every token whole; the
    least important columns are left out first, then spare room widens the rest up to one line."""
    columns = [[row[i] for row in cells] for i in range(len(view))]
    need = [_need(c, columns[i]) for i, c in enumerate(view)]
    want = [_want(c, columns[i]) for i, c in enumerate(view)]
    keep = list(range(len(view)))
    while sum(need[i] for i in keep) + _overhead(len(keep)) > width:
        droppable = [i for i in keep if view[i].priority > 1]
        if not droppable:
            break
        keep.remove(max(droppable, key=lambda i: (view[i].priority, i)))
    widths = {i: need[i] for i in keep}
    spare = width - sum(widths.values()) - _overhead(len(keep))

    # Spare room: short text (names, categories) first, so it reads on one line; then long text
    # (lists, explanations), shared in proportion to its length; last, number headers, which
    # may wrap between words.
    def grow(order: list[int]) -> None:
        nonlocal spare
        for i in order:
            extra = min(spare, want[i] - widths[i])
            widths[i] += extra
            spare -= extra

    text = [i for i in keep if view[i].fmt not in F.NUMERIC]
    grow(sorted((i for i in text if want[i] <= 24), key=lambda i: (want[i] - widths[i], i)))
    long_ = [i for i in text if want[i] > widths[i]]
    gaps = sum(want[i] - widths[i] for i in long_)
    for i in long_:
        share = spare * (want[i] - widths[i]) // gaps if gaps else 0
        widths[i] += share
    spare = width - sum(widths.values()) - _overhead(len(keep))
    grow(long_)
    grow(sorted((i for i in keep if i not in text), key=lambda i: (want[i] - widths[i], i)))
    return widths


def print_table(
    result: TableResult,
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
    max_rows: int | None = None,
    out: Console | None = None,
) -> None:
    """One result as a table that fits the terminal: whole columns left out, never folded."""
    c = out or console
    rows = result.rows
    if not rows:  # a header over nothing reads like a broken table: say there is nothing
        c.print(f"{title or result.kind}: none.", highlight=False)
        return
    view = view_for(result, columns)
    shown = rows[:max_rows] if max_rows else rows
    cells = [[col.cell(r) for col in view] for r in shown]
    widths = fit_columns(view, cells, c.width)
    t = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        header_style="bold",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    for i, w in widths.items():
        numeric = view[i].fmt in F.NUMERIC
        t.add_column(view[i].header, justify="right" if numeric else "left", width=w, overflow="fold")
    for row in cells:
        t.add_row(*(row[i] for i in widths))
    c.print(t)
    dropped = [view[i].header for i in range(len(view)) if i not in widths]
    if dropped:
        c.print(
            f"[dim]not shown at this width: {', '.join(dropped)} (a wider terminal, --csv or --json shows all)[/dim]",
            highlight=False,
        )
    if max_rows and len(rows) > max_rows:
        c.print(f"[dim]… {len(rows) - max_rows} more rows (--csv or --json for all)[/dim]", highlight=False)


def footer(result: TableResult | CompositeResult, out: Console | None = None) -> None:
    """Source citation, release, basis and warnings under every table."""
    c = out or console
    p = result.provenance
    bits = [p.citation(), f"release {p.release}"]
    if p.basis:
        bits.append(p.basis)
    if p.estimated_share is not None:
        bits.append(f"{F.pct(p.estimated_share)} of TIV on the estimated per-year split")
    c.print(f"[dim]{' · '.join(bits)}[/dim]", highlight=False)
    for w in result.warnings:
        c.print(f"[yellow]warning:[/yellow] {w}", highlight=False)


def write_data(
    result: TableResult | CompositeResult | Any,
    as_json: bool,
    as_csv: bool,
    part: str | None = None,
    out_dir: Path | None = None,
) -> bool:
    """--json, --csv, --part and --out for any result; False when the terminal view is wanted."""
    if part is not None:
        _check_part(result, part)
    if out_dir is not None:
        written = result.write_folder(out_dir)
        for path in written:
            print(f"wrote {path}", file=sys.stderr)
        if not (as_json or as_csv):
            return True
    if part is not None and not (as_json or as_csv):
        as_csv = True
    if as_json:
        sys.stdout.write(result.to_json(indent=2, part=part) + "\n")
        return True
    if as_csv:
        sys.stdout.write(result.to_csv(part))
        return True
    return out_dir is not None


def fmt_pct(v: Any, digits: int = 1, sign: bool = False) -> str:
    """Older name of formats.pct, kept for command modules not yet moved; one percent format
    everywhere, so `digits` is ignored."""
    return F.pct(v, sign=sign)


def fmt_value(v: Any) -> str:
    """Older name of formats.auto (blank for missing, as those modules expect)."""
    return "" if v is None else F.auto(v)


def _check_part(result: Any, part: str) -> None:
    from armatlas.errors import QueryError

    names = list(result.parts) if isinstance(result, CompositeResult) else [result.kind]
    if part not in names:
        raise QueryError(
            f"This {result.kind} result has no part {part!r}",
            value=part,
            hint="One of: " + ", ".join(names) + ".",
        )


def emit(
    result: TableResult,
    as_json: bool = False,
    as_csv: bool = False,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    max_rows: int | None = None,
    part: str | None = None,
    out_dir: Path | None = None,
) -> None:
    """Data out if asked for, else the table and its footer."""
    if write_data(result, as_json, as_csv, part, out_dir):
        return
    print_table(result, title=title, columns=columns, max_rows=max_rows)
    footer(result)
