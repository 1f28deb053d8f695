"""Vega-Lite specs built from result rows (data inline); shared by the web pages and reports.

Specs only arrange figures the analyses computed: no sums or shares are made here. Missing
values stay missing (a year with no deliveries is a gap, not a zero).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"  # an identifier only; never fetched
TIV_TITLE = "TIV (millions; volume, not money)"
Width = int | str

Spec = dict[str, Any]


def _base(title: str, rows: Sequence[dict], width: Width, height: int) -> Spec:
    return {"$schema": SCHEMA, "title": title, "width": width, "height": height,
            "data": {"values": list(rows)}, "config": {"font": "DejaVu Sans, Helvetica, Arial, sans-serif",
                                                       "view": {"stroke": None}}}


def flows_chart(rows: Sequence[dict], title: str, width: Width = "container", height: int = 220) -> Spec:
    """Imports and exports per year (rows: year, imports, exports)."""
    spec = _base(title, rows, width, height)
    spec["transform"] = [{"fold": ["imports", "exports"], "as": ["flow", "tiv"]},
                         {"filter": "datum.tiv != null"}]
    spec["mark"] = {"type": "line", "point": True}
    spec["encoding"] = {
        "x": {"field": "year", "type": "ordinal", "title": None, "axis": {"labelAngle": -45}},
        "y": {"field": "tiv", "type": "quantitative", "title": TIV_TITLE},
        "color": {"field": "flow", "type": "nominal", "title": None,
                  "scale": {"domain": ["imports", "exports"], "range": ["#c0392b", "#2c6fbb"]}},
        "tooltip": [{"field": "year"}, {"field": "flow"}, {"field": "tiv", "format": ",.0f"}],
    }
    return spec


def multi_flows_chart(rows: Sequence[dict], flow: str, title: str, width: Width = "container",
                      height: int = 220) -> Spec:
    """One flow ('imports' or 'exports') per year for several countries (rows carry `country`)."""
    spec = _base(title, rows, width, height)
    spec["transform"] = [{"filter": f"datum.{flow} != null"}]
    spec["mark"] = {"type": "line", "point": True}
    spec["encoding"] = {
        "x": {"field": "year", "type": "ordinal", "title": None, "axis": {"labelAngle": -45}},
        "y": {"field": flow, "type": "quantitative", "title": TIV_TITLE},
        "color": {"field": "country", "type": "nominal", "title": None},
        "tooltip": [{"field": "country"}, {"field": "year"}, {"field": flow, "format": ",.0f"}],
    }
    return spec


def partner_shares_chart(rows: Sequence[dict], title: str, top: int = 6, width: Width = "container",
                         height: int = 160) -> Spec:
    """Share of each period's total by partner (rows: period, partner, share, rank); top N shown."""
    spec = _base(title, rows, width, height)
    spec["transform"] = [{"filter": f"datum.rank <= {int(top)}"}]
    spec["mark"] = {"type": "bar"}
    spec["encoding"] = {
        "y": {"field": "period", "type": "ordinal", "title": None},
        "x": {"field": "share", "type": "quantitative", "title": f"share of the period's total (top {top})",
              "axis": {"format": "%"}, "scale": {"domain": [0, 1]}},
        "color": {"field": "partner", "type": "nominal", "title": None, "sort": {"field": "rank"},
                  "legend": {"orient": "bottom", "columns": 3}},
        "order": {"field": "rank", "type": "quantitative"},
        "tooltip": [{"field": "period"}, {"field": "partner"}, {"field": "share", "format": ".1%"},
                    {"field": "tiv", "format": ",.0f", "title": "TIV"}],
    }
    return spec


def category_chart(rows: Sequence[dict], share_field: str, title: str, width: Width = "container",
                   height: int = 200) -> Spec:
    """Share by weapon category for the rows' period(s) (rows: period, category, <share_field>)."""
    spec = _base(title, rows, width, height)
    spec["mark"] = {"type": "bar"}
    spec["encoding"] = {
        "y": {"field": "category", "type": "nominal", "title": None, "sort": "-x"},
        "x": {"field": share_field, "type": "quantitative", "title": "share", "axis": {"format": "%"}},
        "tooltip": [{"field": "period"}, {"field": "category"}, {"field": share_field, "format": ".1%"},
                    {"field": "tiv", "format": ",.0f", "title": "TIV"}],
    }
    return spec


def dependence_chart(rows: Sequence[dict], title: str, width: Width = "container", height: int = 180) -> Spec:
    """Top-supplier and top-3 shares per period (rows: dependence metrics)."""
    spec = _base(title, rows, width, height)
    spec["transform"] = [{"fold": ["top1_share", "top3_share"], "as": ["measure", "share"]},
                         {"filter": "datum.share != null"}]
    spec["mark"] = {"type": "line", "point": True}
    spec["encoding"] = {
        "x": {"field": "period", "type": "ordinal", "title": None},
        "y": {"field": "share", "type": "quantitative", "title": "share of imports", "axis": {"format": "%"},
              "scale": {"domain": [0, 1]}},
        "color": {"field": "measure", "type": "nominal", "title": None},
        "tooltip": [{"field": "period"}, {"field": "measure"}, {"field": "share", "format": ".1%"}],
    }
    return spec


def ranking_chart(rows: Sequence[dict], title: str, width: Width = "container", height: int = 260) -> Spec:
    """Ranked entities by TIV for a period (rows: name, tiv, rank)."""
    spec = _base(title, rows, width, height)
    spec["mark"] = {"type": "bar", "color": "#2c6fbb"}
    spec["encoding"] = {
        "y": {"field": "name", "type": "nominal", "title": None, "sort": {"field": "rank"}},
        "x": {"field": "tiv", "type": "quantitative", "title": TIV_TITLE},
        "tooltip": [{"field": "rank"}, {"field": "name"}, {"field": "tiv", "format": ",.0f", "title": "TIV"},
                    {"field": "share", "format": ".1%", "title": "world share"}],
    }
    return spec


def profile_charts(profile: Any, width: Width = "container") -> list[tuple[str, Spec]]:
    """(id, spec) of every chart of a country profile, for the parts it has rows in."""
    name = profile.summary["entity"]["name"]
    latest = profile.params["period"]
    parts = profile.parts
    out: list[tuple[str, Spec]] = []

    def rows(part: str) -> list[dict]:
        return parts[part].rows if part in parts else []

    if any(r["imports"] is not None or r["exports"] is not None for r in rows("flows")):
        out.append(("flows", flows_chart(rows("flows"), f"{name}: arms imports and exports per year", width)))
    sup = rows("dependence.suppliers")
    if sup:
        out.append(("suppliers", partner_shares_chart(sup, f"{name}: main suppliers by period", width=width)))
    if any(r["top1_share"] is not None for r in rows("dependence.metrics")):
        out.append(("dependence", dependence_chart(rows("dependence.metrics"),
                                                   f"{name}: dependence on its main suppliers", width)))
    cats = [r for r in rows("dependence.categories") if r["period"] == latest]
    if cats:
        out.append(("import-categories", category_chart(cats, "share_of_imports",
                                                        f"{name}: imports by weapon category, {latest}", width)))
    rec = rows("exports.recipients")
    if rec:
        out.append(("recipients", partner_shares_chart(rec, f"{name}: main recipients by period", width=width)))
    return out
