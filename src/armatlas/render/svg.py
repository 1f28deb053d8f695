"""Vega-Lite spec -> SVG text without a browser (vl-convert), for reports and claim dossiers."""

from __future__ import annotations

from armatlas.render.charts import Spec

VL_VERSION = "6.4"  # the Vega-Lite line vl-convert renders with; the dashboard vendors the same line


def to_svg(spec: Spec) -> str:
    """The chart as standalone SVG markup (fonts as text, no script, no network)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec, vl_version=VL_VERSION)
