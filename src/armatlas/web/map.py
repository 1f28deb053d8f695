"""The world map: each country's arms imports or exports in one 5-year period, a slider to move
through the periods; every choice is in the URL, so a map view can be shared."""

from __future__ import annotations

import json
from functools import cache
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from armatlas.atlas import Atlas
from armatlas.render.charts import world_map
from armatlas.web import STATIC
from armatlas.web.pages import PeriodQ, Release, blank, page

router = APIRouter(include_in_schema=False)
TOPOJSON = "/static/vendor/countries-110m.json"
FIRST_YEAR = 1950  # the register's first year


@cache
def iso_numeric() -> dict[str, str]:
    """ISO 3166 alpha-3 -> numeric id (as world-atlas names its shapes), from the vendored codes."""
    codes = json.loads((STATIC / "vendor" / "iso3166-codes.json").read_text(encoding="utf-8"))
    return {alpha3: numeric for _, alpha3, numeric, *_ in codes}


def five_year_periods(latest: str) -> list[str]:
    """Consecutive 5-year periods ending with `latest` (e.g. 2021-2025), back to the register's start
    (the first period is left out: trends compares each period with the one before)."""
    end = int(latest.split("-")[-1])
    out = []
    while end - 9 >= FIRST_YEAR:
        out.append(f"{end - 4}-{end}")
        end -= 5
    return out[::-1]


@router.get("/map", response_class=HTMLResponse)
async def world(
    request: Request,
    direction: Literal["import", "export"] = "import",
    period: PeriodQ = None,
    release: Release = None,
) -> HTMLResponse:
    period, release = blank(period), blank(release)

    def run(a: Atlas) -> dict[str, Any]:
        result = a.trends(direction=direction, period=period, top=1000, release=release)
        latest = a.trends(direction=direction, top=1, release=release).params["period"]
        iso3 = {e["entity_id"]: e["iso3"] for e in a.entities().rows}
        codes = iso_numeric()
        rows = [
            {
                "id": codes[iso3[r["entity_id"]]],
                "name": r["name"],
                "tiv": r["tiv"],
                "share": r["share"],
                "rank": r["rank"],
            }
            for r in result.rows
            if codes.get(iso3.get(r["entity_id"]) or "")
        ]
        unmapped = [r["name"] for r in result.rows if not codes.get(iso3.get(r["entity_id"]) or "")]
        p = result.params["period"]
        verb = "importers" if direction == "import" else "exporters"
        spec = world_map(
            rows,
            f"Arms {direction}s by country, {p}",
            result.provenance.citation(),
            TOPOJSON,
            name=f"{verb}-{p}",
        )
        return {
            "result": result,
            "chart": spec,
            "periods": five_year_periods(latest),
            "shown": p,
            "unmapped": unmapped,
        }

    return await page(request, "map.html", run, direction=direction, release=release)
