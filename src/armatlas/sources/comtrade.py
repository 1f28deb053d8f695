"""UN Comtrade, HS chapter 93 (arms and ammunition): customs values in US$, with mirror flows.

SIPRI's register covers major conventional weapons only: small arms, ammunition, grenades and
bombs (HS 9301-9307) are outside it. Comtrade records them as customs values in current US$
by reporter and partner. A country that does not report still appears in its partners'
reports: its *mirror* exports are what partners report importing from it (CIF), labelled as
such and never mixed silently with what it reports itself (FOB).

Request and response shapes follow the public preview API as UN Comtrade documents it and
as its official client (`comtradeapicall`, PreviewGet.py) calls it:
`GET /public/v1/preview/C/A/HS?reporterCode=&partnerCode=&period=&cmdCode=&flowCode=` ->
`{"count": n, "data": [{refYear, reporterCode, flowCode, partnerCode, partner2Code, cmdCode,
customsCode, motCode, primaryValue, ...}], "error": ""}` (at most 500 rows without a key);
reporter codes come from `/files/v1/app/reference/Reporters.json`. NOT validated against the
live service here (no internet): tested only against the local fake publisher.

Not a snapshot source (no `fetch` under `sources/contract.py`, not in `armatlas fetch`): the
public API answers one query at a time (a reporter, a partner, some years; at most 500 rows
without a key) rather than publishing a release as a file, so there is nothing whole to keep,
date and ingest; the flows are fetched live, on request, with the shared downloader.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from armatlas.errors import FetchError, ParseError

SOURCE = {
    "id": "un_comtrade",
    "publisher": "United Nations Statistics Division",
    "dataset": "UN Comtrade (HS chapter 93: arms and ammunition)",
    "base_url": "https://comtradeapi.un.org",
    "licence": "UN Comtrade terms of use; armatlas never redistributes the data.",
    "citation": "Source: UN Comtrade, HS 93 (customs values, current US$; not SIPRI TIV).",
}
HS93 = ("9301", "9302", "9303", "9304", "9305", "9306", "9307")
HS93_NAMES = {
    "9301": "military weapons (other than revolvers, pistols and swords)",
    "9302": "revolvers and pistols",
    "9303": "other firearms (sporting, signal, humane killers)",
    "9304": "other arms (spring, air or gas guns, truncheons)",
    "9305": "parts and accessories of 9301-9304",
    "9306": "bombs, grenades, torpedoes, mines, missiles, cartridges, other ammunition",
    "9307": "swords, bayonets, lances and similar arms",
}
PREVIEW = "/public/v1/preview/C/A/HS"
REPORTERS = "/files/v1/app/reference/Reporters.json"
MAX_PREVIEW_ROWS = 500
UNIT = "US$, current prices (customs value: FOB for exports, CIF for imports; not SIPRI TIV)"


@dataclass(frozen=True)
class Flow:
    """One customs record, totals only (all customs procedures, all modes of transport)."""

    year: int
    reporter: int
    partner: int
    flow: str  # 'X' export, 'M' import
    cmd: str
    value_usd: float | None


def reporter_codes(base_url: str | None = None, **kw: Any) -> dict[str, int]:
    """ISO3 -> Comtrade reporter code, from Comtrade's reference file (current codes only)."""
    from armatlas.sources._http import fetch_body

    body = fetch_body((base_url or SOURCE["base_url"]) + REPORTERS, **kw)
    try:
        results = json.loads(body.data)["results"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ParseError(
            f"Comtrade reference file is not the documented JSON: {exc}", file=body.url
        ) from None
    out: dict[str, int] = {}
    for r in results:
        iso = r.get("reporterCodeIsoAlpha3")
        if iso and not r.get("isGroup") and not r.get("entryExpiredDate"):
            out[iso] = int(r.get("reporterCode", r.get("id")))
    return out


def parse(data: bytes, url: str = "") -> list[Flow]:
    """Total rows of a preview response; an error message inside an HTTP 200 is a FetchError."""
    try:
        doc = json.loads(data)
        rows = doc["data"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ParseError(f"Not a Comtrade preview response: {exc}", file=url, value=data[:80]) from None
    if doc.get("error"):
        raise FetchError(f"Comtrade answered with an error: {doc['error']}", file=url)
    if len(rows) >= MAX_PREVIEW_ROWS:
        raise FetchError(
            f"Comtrade preview returned {len(rows)} rows, its cap: the answer may be cut",
            file=url,
            hint="Ask for fewer years or partners per request",
        )
    out = []
    for r in rows:
        # Totals only: breakdowns by customs procedure / transport mode / second partner add up
        # to the C00 / 0 / 0 row and would double the value.
        if (
            str(r.get("customsCode", "C00")) != "C00"
            or int(r.get("motCode") or 0)
            or int(r.get("partner2Code") or 0)
        ):
            continue
        value = r.get("primaryValue")
        out.append(
            Flow(
                int(r["refYear"]),
                int(r["reporterCode"]),
                int(r["partnerCode"]),
                str(r["flowCode"]),
                str(r["cmdCode"]),
                None if value is None else float(value),
            )
        )
    return out


def fetch_flows(
    reporter: int | None,
    partner: int | None,
    years: list[int],
    flow: str,
    base_url: str | None = None,
    **kw: Any,
) -> list[Flow]:
    """HS 9301-9307 rows for one reporter (or all) and one partner (or all), one flow."""
    from armatlas.sources._http import fetch_body

    params = {
        "period": ",".join(map(str, years)),
        "cmdCode": ",".join(HS93),
        "flowCode": flow,
        "partner2Code": 0,
        "customsCode": "C00",
        "motCode": 0,
    }
    if reporter is not None:
        params["reporterCode"] = reporter
    if partner is not None:
        params["partnerCode"] = partner
    body = fetch_body((base_url or SOURCE["base_url"]) + PREVIEW, params=params, **kw)
    return parse(body.data, body.url)


def exports_with_mirror(
    country: int, years: list[int], base_url: str | None = None, **kw: Any
) -> list[dict[str, Any]]:
    """The country's HS 93 exports by partner, year and heading: as it reports them, and where
    it reports nothing for a partner and year, as the partner reports importing from it."""
    reported = [f for f in fetch_flows(country, None, years, "X", base_url, **kw) if f.partner != 0]
    mirror = [f for f in fetch_flows(None, country, years, "M", base_url, **kw) if f.reporter != country]
    have = {(f.year, f.partner) for f in reported}
    rows = [
        {
            "year": f.year,
            "partner": f.partner,
            "cmd": f.cmd,
            "value_usd": f.value_usd,
            "basis": "reported export (FOB)",
        }
        for f in reported
    ]
    rows += [
        {
            "year": f.year,
            "partner": f.reporter,
            "cmd": f.cmd,
            "value_usd": f.value_usd,
            "basis": "mirror: partner's reported import (CIF)",
        }
        for f in mirror
        if (f.year, f.reporter) not in have
    ]
    return sorted(rows, key=lambda r: (r["year"], r["partner"], r["cmd"], r["basis"]))
