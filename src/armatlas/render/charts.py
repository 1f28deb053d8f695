"""Vega-Lite specs built from result rows (data inline); one spec per chart, shared by the web
pages, the reports and the claim dossiers.

Specs only arrange figures the analyses computed: no sums or shares are made here. Missing values
stay missing: years are a temporal axis and a year without a value breaks the line (a gap, never
a zero, never a line drawn across it). Every chart carries its title, unit and source line inside
it, so a downloaded PNG or SVG still says what it shows and where it comes from; `usermeta` holds
what the dashboard's CSV download needs (file name, columns, citation).
"""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from armatlas.results import CompositeResult
from armatlas.summaries import PipelineBySupplier, PipelineSummary, ProfileSummary

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier only; never fetched
TIV_UNIT = "TIV, millions (SIPRI trend-indicator value: a volume of arms, not money)"
SHARE_UNIT = "Share of the period's total, %"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
TITLE_CHARS = 46  # a title line that still fits a 390 px phone screen
Width = int | str
Spec = dict[str, Any]

# Colour-blind-safe, well-separated hues (Okabe-Ito and Tableau 10, darker tones for contrast on white).
PALETTE = [
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#7f3c8d",
    "#4e79a7",
    "#8c564b",
    "#2f8f5b",
    "#b8860b",
    "#e15759",
    "#17becf",
    "#6b6ecf",
    "#9c755f",
    "#bcbd22",
]
FLOW_COLOURS = {"Imports": "#c0392b", "Exports": "#2c6fbb"}
OTHER = "#9e9e9e"


def colour_of(key: str) -> str:
    """The country's own colour (a stable hash of its id), the same in every chart and session."""
    return PALETTE[int(hashlib.sha1(key.encode()).hexdigest(), 16) % len(PALETTE)]


def colour_scale(entries: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Vega-Lite scale for (id, label) pairs in order of importance: each keeps its own colour;
    a later entry whose colour is taken within this chart moves to the next free one."""
    domain: list[str] = []
    colours: list[str] = []
    for key, label in entries:
        if label in domain:
            continue
        colour = colour_of(key)
        start = PALETTE.index(colour)
        for step in range(len(PALETTE)):
            candidate = PALETTE[(start + step) % len(PALETTE)]
            if candidate not in colours:
                colour = candidate
                break
        else:
            colour = OTHER
        domain.append(label)
        colours.append(colour)
    return {"domain": domain, "range": colours}


def _title(title: str, unit: str) -> dict[str, Any]:
    lines = textwrap.wrap(title, TITLE_CHARS) or [title]
    return {
        "text": lines,
        "subtitle": unit,
        "anchor": "start",
        "fontSize": 14,
        "subtitleColor": "#555",
        "subtitleFontSize": 11,
        "offset": 8,
    }


def _base(
    title: str,
    unit: str,
    source: str,
    rows: Sequence[dict],
    width: Width,
    height: int,
    name: str,
    columns: Sequence[str],
) -> Spec:
    """The frame every chart shares: title + unit on top, the source line under the plot."""
    return {
        "$schema": SCHEMA,
        "title": _title(title, unit),
        "width": width,
        "height": height,
        "data": {"values": [dict(r) for r in rows]},
        "usermeta": {"armatlas": {"name": name, "columns": list(columns), "citation": source}},
        "config": {
            "font": FONT,
            "view": {"stroke": None},
            "axis": {"labelFontSize": 11},
            "legend": {"labelFontSize": 11, "labelLimit": 160},
            "mark": {"invalid": "break-paths-show-domains"},
        },
    }


def _source_axis(source: str) -> dict[str, Any]:
    """An x-axis whose title is the source line, small and left-aligned under the plot."""
    return {
        "title": source,
        "titleAnchor": "start",
        "titleAlign": "left",
        "titleFontWeight": "normal",
        "titleFontSize": 10,
        "titleColor": "#555",
        "titlePadding": 10,
        "titleLimit": 0,
    }


def _year_x(source: str) -> dict[str, Any]:
    axis = _source_axis(source) | {
        "format": "%Y",
        "tickCount": {"interval": "year", "step": 5},
        "labelAngle": 0,
    }
    return {"field": "date", "type": "temporal", "axis": axis, "title": source}


YEAR_DATE = {"calculate": "datetime(datum.year, 0, 1)", "as": "date"}


def _legend(columns: int = 3) -> dict[str, Any]:
    return {"orient": "bottom", "columns": columns, "title": None, "symbolType": "circle"}


def flows_chart(
    rows: Sequence[dict], title: str, source: str, width: Width = "container", height: int = 220
) -> Spec:
    """Imports and exports per year (rows: year, imports, exports); a year without a value is a gap."""
    long = [
        {"year": r["year"], "flow": label, "tiv": r[field]}
        for field, label in (("imports", "Imports"), ("exports", "Exports"))
        if any(x[field] is not None for x in rows)
        for r in rows
    ]
    spec = _base(title, TIV_UNIT, source, long, width, height, "flows", ["year", "flow", "tiv"])
    flows = sorted({r["flow"] for r in long}, key=list(FLOW_COLOURS).index)
    spec["transform"] = [YEAR_DATE]
    spec["mark"] = {"type": "line", "point": {"filled": True, "size": 30}, "strokeWidth": 2}
    spec["encoding"] = {
        "x": _year_x(source),
        "y": {"field": "tiv", "type": "quantitative", "title": None, "axis": {"format": ",.0f"}},
        "color": {
            "field": "flow",
            "type": "nominal",
            "legend": _legend(),
            "scale": {"domain": flows, "range": [FLOW_COLOURS[f] for f in flows]},
        },
        "tooltip": [
            {"field": "year", "type": "ordinal", "title": "Year"},
            {"field": "flow", "title": "Flow"},
            {"field": "tiv", "format": ",.1f", "title": "TIV (m)"},
        ],
    }
    return spec


def multi_flows_chart(
    rows: Sequence[dict], flow: str, title: str, source: str, width: Width = "container", height: int = 220
) -> Spec:
    """One flow ('imports' or 'exports') per year for several countries (rows: country_id, country, year, flow)."""
    data = [{"year": r["year"], "country": r["country"], "tiv": r[flow]} for r in rows]
    spec = _base(title, TIV_UNIT, source, data, width, height, flow, ["country", "year", "tiv"])
    spec["transform"] = [YEAR_DATE]
    spec["mark"] = {"type": "line", "point": {"filled": True, "size": 30}, "strokeWidth": 2}
    spec["encoding"] = {
        "x": _year_x(source),
        "y": {"field": "tiv", "type": "quantitative", "title": None, "axis": {"format": ",.0f"}},
        "color": {
            "field": "country",
            "type": "nominal",
            "legend": _legend(),
            "scale": colour_scale((r["country_id"], r["country"]) for r in rows),
        },
        "tooltip": [
            {"field": "country", "title": "Country"},
            {"field": "year", "type": "ordinal", "title": "Year"},
            {"field": "tiv", "format": ",.1f", "title": "TIV (m)"},
        ],
    }
    return spec


def partner_shares_chart(
    rows: Sequence[dict],
    title: str,
    source: str,
    top: int = 6,
    width: Width = "container",
    height: int = 160,
    name: str = "partners",
) -> Spec:
    """Share of each period's total by partner (rows: period, partner_id, partner, share, tiv, rank);
    the top N of every period shown, each partner in its own colour."""
    shown = [r for r in rows if r["rank"] <= top]
    spec = _base(
        title,
        SHARE_UNIT,
        source,
        shown,
        width,
        height,
        name,
        ["period", "rank", "partner", "tiv", "share", "deals"],
    )
    order = sorted(shown, key=lambda r: (r["rank"], r["period"]))
    spec["mark"] = {"type": "bar"}
    spec["encoding"] = {
        "y": {"field": "period", "type": "ordinal", "title": None},
        "x": {
            "field": "share",
            "type": "quantitative",
            "axis": _source_axis(source) | {"format": ".0%"},
            "scale": {"domain": [0, 1]},
            "title": source,
        },
        "color": {
            "field": "partner",
            "type": "nominal",
            "legend": _legend(),
            "scale": colour_scale((r["partner_id"] or r["partner"], r["partner"]) for r in order),
        },
        "order": {"field": "rank", "type": "quantitative"},
        "tooltip": [
            {"field": "period", "title": "Period"},
            {"field": "partner", "title": "Partner"},
            {"field": "share", "format": ".1%", "title": "Share"},
            {"field": "tiv", "format": ",.0f", "title": "TIV (m)"},
        ],
    }
    return spec


def category_chart(
    rows: Sequence[dict],
    share_field: str,
    title: str,
    source: str,
    width: Width = "container",
    height: int = 200,
    name: str = "categories",
) -> Spec:
    """Share by weapon category for the rows' period (rows: period, category, tiv, <share_field>)."""
    data = [
        {"period": r["period"], "category": r["category"], "tiv": r["tiv"], "share": r[share_field]}
        for r in rows
    ]
    spec = _base(
        title,
        "Share of the period's total, %",
        source,
        data,
        width,
        height,
        name,
        ["period", "category", "tiv", "share"],
    )
    spec["mark"] = {"type": "bar", "color": "#5b6770"}  # not a country colour: bars are categories
    spec["encoding"] = {
        "y": {"field": "category", "type": "nominal", "title": None, "sort": "-x"},
        "x": {
            "field": "share",
            "type": "quantitative",
            "axis": _source_axis(source) | {"format": ".0%"},
            "title": source,
        },
        "tooltip": [
            {"field": "period", "title": "Period"},
            {"field": "category", "title": "Category"},
            {"field": "share", "format": ".1%", "title": "Share"},
            {"field": "tiv", "format": ",.0f", "title": "TIV (m)"},
        ],
    }
    return spec


DEPENDENCE_MEASURES = {"top1_share": "Main supplier", "top3_share": "Three main suppliers"}


def dependence_chart(
    rows: Sequence[dict], title: str, source: str, width: Width = "container", height: int = 180
) -> Spec:
    """Main-supplier and top-three shares per period (rows: dependence metrics)."""
    data = [
        {"period": r["period"], "measure": label, "share": r[field], "top_supplier": r.get("top_supplier")}
        for field, label in DEPENDENCE_MEASURES.items()
        for r in rows
    ]
    spec = _base(
        title,
        "Share of the country's arms imports, %",
        source,
        data,
        width,
        height,
        "dependence",
        ["period", "measure", "share", "top_supplier"],
    )
    spec["mark"] = {"type": "line", "point": {"filled": True, "size": 40}, "strokeWidth": 2}
    spec["encoding"] = {
        "x": {
            "field": "period",
            "type": "ordinal",
            "axis": _source_axis(source) | {"labelAngle": 0},
            "title": source,
        },
        "y": {
            "field": "share",
            "type": "quantitative",
            "title": None,
            "axis": {"format": ".0%"},
            "scale": {"domain": [0, 1]},
        },
        "color": {
            "field": "measure",
            "type": "nominal",
            "legend": _legend(2),
            "scale": {"domain": list(DEPENDENCE_MEASURES.values()), "range": ["#c0392b", "#7f8c8d"]},
        },
        "tooltip": [
            {"field": "period", "title": "Period"},
            {"field": "measure", "title": "Measure"},
            {"field": "share", "format": ".1%", "title": "Share"},
            {"field": "top_supplier", "title": "Main supplier"},
        ],
    }
    return spec


def ranking_chart(
    rows: Sequence[dict],
    title: str,
    source: str,
    width: Width = "container",
    height: int = 260,
    name: str = "ranking",
) -> Spec:
    """Ranked entities by TIV for a period (rows: entity_id, name, tiv, share, rank), each in its colour."""
    data = [{"rank": r["rank"], "name": r["name"], "tiv": r["tiv"], "share": r["share"]} for r in rows]
    spec = _base(title, TIV_UNIT, source, data, width, height, name, ["rank", "name", "tiv", "share"])
    spec["mark"] = {"type": "bar"}
    spec["encoding"] = {
        "y": {"field": "name", "type": "nominal", "title": None, "sort": {"field": "rank"}},
        "x": {
            "field": "tiv",
            "type": "quantitative",
            "axis": _source_axis(source) | {"format": ",.0f"},
            "title": source,
        },
        "color": {
            "field": "name",
            "type": "nominal",
            "legend": None,
            "scale": colour_scale((r["entity_id"], r["name"]) for r in rows),
        },
        "tooltip": [
            {"field": "rank", "title": "Rank"},
            {"field": "name", "title": "Country"},
            {"field": "tiv", "format": ",.0f", "title": "TIV (m)"},
            {"field": "share", "format": ".1%", "title": "World share"},
        ],
    }
    return spec


def pipeline_chart(
    rows: Sequence[PipelineBySupplier],
    title: str,
    source: str,
    top: int = 10,
    width: Width = "container",
    height: int = 160,
) -> Spec:
    """TIV still on order, by supplier (rows: the pipeline's by_supplier summary)."""
    data = [
        {"supplier": r.supplier, "deals": r.deals, "tiv": r.outstanding_tiv, "share": r.share}
        for r in rows[:top]
    ]
    spec = _base(
        title, TIV_UNIT, source, data, width, height, "pipeline", ["supplier", "deals", "tiv", "share"]
    )
    spec["mark"] = {"type": "bar"}
    spec["encoding"] = {
        "y": {"field": "supplier", "type": "nominal", "title": None, "sort": "-x"},
        "x": {
            "field": "tiv",
            "type": "quantitative",
            "axis": _source_axis(source) | {"format": ",.0f"},
            "title": source,
        },
        "color": {
            "field": "supplier",
            "type": "nominal",
            "legend": None,
            "scale": colour_scale((r.supplier_id or r.supplier, r.supplier) for r in rows[:top]),
        },
        "tooltip": [
            {"field": "supplier", "title": "Supplier"},
            {"field": "deals", "title": "Open deals"},
            {"field": "tiv", "format": ",.0f", "title": "TIV on order (m)"},
            {"field": "share", "format": ".1%", "title": "Share"},
        ],
    }
    return spec


def spending_chart(
    rows: Sequence[dict],
    title: str,
    source: str,
    since: int | None = None,
    width: Width = "container",
    height: int = 200,
) -> Spec:
    """Military spending per year in constant US$ (rows: the spending series); gaps stay gaps."""
    base_year = next((r["base_year"] for r in rows if r.get("base_year")), None)
    data = [
        {"year": r["year"], "constant_usd": r["constant_usd"], "share_gdp": r["share_gdp"]}
        for r in rows
        if since is None or r["year"] >= since
    ]
    unit = f"US$ millions at constant {base_year} prices and exchange rates (money, unlike TIV)"
    spec = _base(title, unit, source, data, width, height, "spending", ["year", "constant_usd", "share_gdp"])
    spec["transform"] = [YEAR_DATE]
    spec["mark"] = {
        "type": "line",
        "point": {"filled": True, "size": 20, "color": "#2f8f5b"},
        "color": "#2f8f5b",
        "strokeWidth": 2,
    }
    spec["encoding"] = {
        "x": _year_x(source),
        "y": {"field": "constant_usd", "type": "quantitative", "title": None, "axis": {"format": ",.0f"}},
        "tooltip": [
            {"field": "year", "type": "ordinal", "title": "Year"},
            {"field": "constant_usd", "format": ",.0f", "title": f"US$ m ({base_year} prices)"},
            {"field": "share_gdp", "format": ".1%", "title": "Share of GDP"},
        ],
    }
    return spec


def evidence_chart(
    rows: Sequence[dict],
    unit: str,
    source: str,
    claimed: float | None = None,
    width: int = 260,
    height: int = 90,
) -> Spec:
    """A claim's evidence series as bars (rows: label, value); a red rule marks the claimed value."""
    spec = _base("Data behind the claim", unit, source, rows, width, height, "evidence", ["label", "value"])
    bars = {
        "mark": "bar",
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": None, "title": None},
            "x": {"field": "value", "type": "quantitative", "axis": _source_axis(source), "title": source},
        },
    }
    if claimed is None:
        spec.update(bars)
        return spec
    spec["layer"] = [
        bars,
        {
            "mark": {"type": "rule", "color": "red"},
            "data": {"values": [{"v": claimed}]},
            "encoding": {"x": {"field": "v", "type": "quantitative"}},
        },
    ]
    return spec


def world_map(
    rows: Sequence[dict],
    title: str,
    source: str,
    topojson_url: str,
    width: Width = "container",
    height: int = 380,
    name: str = "map",
) -> Spec:
    """Choropleth of TIV by country (rows: id = ISO 3166 numeric, name, tiv, share, rank); countries
    without identified transfers are drawn grey, not as zero. Geometry: world-atlas countries-110m."""
    spec = _base(title, TIV_UNIT, source, rows, width, height, name, ["rank", "name", "tiv", "share"])
    spec["title"]["subtitle"] = [TIV_UNIT, source]
    geo = {"url": topojson_url, "format": {"type": "topojson", "feature": "countries"}}
    spec["projection"] = {"type": "equalEarth"}
    spec["layer"] = [
        {"data": geo, "mark": {"type": "geoshape", "fill": "#e4e7ea", "stroke": "#fff", "strokeWidth": 0.5}},
        {
            "transform": [{"lookup": "id", "from": {"data": geo, "key": "id"}, "as": "geo"}],
            "mark": {"type": "geoshape", "stroke": "#fff", "strokeWidth": 0.5},
            "encoding": {
                "shape": {"field": "geo", "type": "geojson"},
                "color": {
                    "field": "tiv",
                    "type": "quantitative",
                    "scale": {"type": "sqrt", "scheme": "blues"},
                    "legend": {"title": "TIV (m)", "orient": "bottom-left", "format": ",.0f"},
                },
                "tooltip": [
                    {"field": "name", "title": "Country"},
                    {"field": "rank", "title": "Rank"},
                    {"field": "tiv", "format": ",.0f", "title": "TIV (m)"},
                    {"field": "share", "format": ".1%", "title": "World share"},
                ],
            },
        },
    ]
    return spec


def profile_charts(
    profile: CompositeResult[ProfileSummary], width: Width = "container"
) -> list[tuple[str, Spec]]:
    """(id, spec) of every chart of a country profile, for the parts it has rows in."""
    name = profile.summary.entity.name
    latest = profile.params["period"]
    parts = profile.parts
    source = profile.provenance.citation()
    out: list[tuple[str, Spec]] = []

    def rows(part: str) -> list[dict]:
        return parts[part].rows if part in parts else []

    if any(r["imports"] is not None or r["exports"] is not None for r in rows("flows")):
        out.append(
            ("flows", flows_chart(rows("flows"), f"{name}: arms imports and exports per year", source, width))
        )
    if rows("dependence.suppliers"):
        out.append(
            (
                "suppliers",
                partner_shares_chart(
                    rows("dependence.suppliers"),
                    f"{name}: main suppliers by period",
                    source,
                    width=width,
                    name="suppliers",
                ),
            )
        )
    if any(r["top1_share"] is not None for r in rows("dependence.metrics")):
        out.append(
            (
                "dependence",
                dependence_chart(
                    rows("dependence.metrics"), f"{name}: dependence on its main suppliers", source, width
                ),
            )
        )
    cats = [r for r in rows("dependence.categories") if r["period"] == latest]
    if cats:
        out.append(
            (
                "import-categories",
                category_chart(
                    cats,
                    "share_of_imports",
                    f"{name}: imports by weapon category, {latest}",
                    source,
                    width,
                    name="import-categories",
                ),
            )
        )
    if rows("exports.recipients"):
        out.append(
            (
                "recipients",
                partner_shares_chart(
                    rows("exports.recipients"),
                    f"{name}: main recipients by period",
                    source,
                    width=width,
                    name="recipients",
                ),
            )
        )
    out += _pipeline_and_spending(profile, name, width)
    return out


def _pipeline_and_spending(
    profile: CompositeResult[ProfileSummary], name: str, width: Width
) -> list[tuple[str, Spec]]:
    """The open-orders chart and the spending chart, each citing its own source."""
    out: list[tuple[str, Spec]] = []
    pipe = profile.summary.pipeline
    if isinstance(pipe, PipelineSummary) and pipe.by_supplier and "pipeline" in profile.parts:
        out.append(
            (
                "pipeline",
                pipeline_chart(
                    pipe.by_supplier,
                    f"{name}: arms on order, by supplier",
                    profile.parts["pipeline"].provenance.citation(),
                    width=width,
                ),
            )
        )
    series = profile.parts.get("spending.series")
    if series is not None and any(r["constant_usd"] is not None for r in series.rows):
        last = max(r["year"] for r in series.rows if r["constant_usd"] is not None)
        out.append(
            (
                "spending",
                spending_chart(
                    series.rows,
                    f"{name}: military spending per year",
                    series.provenance.citation(),
                    since=last - 34,
                    width=width,
                ),
            )
        )
    return out
