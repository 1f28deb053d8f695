"""Download the current SIPRI Arms Transfers release from SIPRI's public backend.

The SIPRI web app (armstransfers.sipri.org) is a JavaScript front end over a JSON backend at
https://atbackend.sipri.org/api/p. It has no documented API; what we call was learned from
public code that downloads SIPRI data:

- datapumpernickel/Rat.db (R package; R/atdb_request.R, R/atdb_process.R and the recorded
  response tests/testthat/test_data/atbackend.sipri.org/api/p/trades/trade-register-csv-*.R):
  `POST /trades/trade-register-csv/` with a JSON `{"filters": [...], "logic": "AND"}` body;
  the answer is `application/json` `{"bytes": "<base64 of the CSV export>"}`. With an
  `exportOption` filter the CSV is the one-row-per-delivery-year "ID" layout; without it
  (as in other public callers that read a `Recipient,Supplier,...` header) it is the web
  register layout with `?` flag columns.
- tomasgonz/worldcountrygroups (its SIPRI fetch script, `_post`/`_get`/`fetch_real`):
  `GET /trades/getMaxYear` (plain text year) and `POST /trades/import-export-csv/` with
  `Year range 1`, `DeliveryType=delivered`, `Status=0` filters (plus `orderbyseller` for the
  exporters' table), answered with the same `{"bytes": base64}` envelope.

Nothing from the network is trusted: sizes are capped, the JSON, the base64 and the decoded
CSV (its SIPRI preamble and header layout) are all checked before anything is written.
The package never ships SIPRI data; users fetch it themselves (SIPRI: free use with citation,
reproduction of under 10% of a dataset).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx

from armatlas.errors import FetchError, LayoutError
from armatlas.sources._http import USER_AGENT, Body, Progress, fetch_body
from armatlas.sources.contract import current_only
from armatlas.sources.sipri_transfers.detect import find_header
from armatlas.sources.sipri_transfers.text import decode, read_preamble
from armatlas.sources.snapshot import Snapshot, snapshot_of, write_snapshot

BASE_URL = "https://atbackend.sipri.org/api/p"
FIRST_YEAR = 1950  # the database starts in 1950

SOURCE: dict[str, Any] = {
    "id": "sipri_arms_transfers",
    "publisher": "SIPRI",
    "publisher_name": "Stockholm International Peace Research Institute",
    "dataset": "Arms Transfers Database",
    "homepage": "https://www.sipri.org/databases/armstransfers",
    "app": "https://armstransfers.sipri.org/",
    "api": BASE_URL,
    "endpoints": {
        "max_year": "GET /trades/getMaxYear",
        "register": "POST /trades/trade-register-csv/",
        "tiv_tables": "POST /trades/import-export-csv/",
    },
    "licence": (
        "SIPRI allows free use of the data with citation; reproduction is limited to "
        "under 10% of a dataset, so armatlas never ships the data: users fetch it."
    ),
    "citation": "Source: SIPRI Arms Transfers Database, {generated}",
}


@dataclass(frozen=True)
class Product:
    """One file of a release: where it comes from and which layout it must be in."""

    key: str
    source_id: str  # snapshot series: <root>/<source_id>/<date>/<file_name>
    file_name: str
    endpoint: str
    layout: str
    body: Callable[[int], dict[str, Any]]


def _f(field: str, value1: Any = "", value2: Any = "", condition: str = "") -> dict[str, Any]:
    return {
        "field": field,
        "oldField": "",
        "condition": condition,
        "value1": value1,
        "value2": value2,
        "listData": [],
    }


def register_body(max_year: int, *, delivery_years: bool = False) -> dict[str, Any]:
    """Every deal with deliveries or open orders, 1950 to `max_year` (filters as in Rat.db)."""
    filters = [
        _f("Delivery year", FIRST_YEAR, max_year, "contains"),
        _f("Order year", 0, max_year, "contains"),
        _f("opendeals"),
    ]  # keep deals still on order (nothing delivered yet)
    if delivery_years:
        filters.append(_f("exportOption"))  # -> one row per deal and delivery year, with IDs
    return {"filters": filters, "logic": "AND"}


def tiv_table_body(max_year: int, *, exporters: bool) -> dict[str, Any]:
    """The TIV import (or, with `orderbyseller`, export) table for 1950 to `max_year`."""
    filters = [_f("Year range 1", FIRST_YEAR, max_year, "contains")]
    if exporters:
        filters.append(_f("orderbyseller"))
    filters += [_f("DeliveryType", "delivered"), _f("Status", "0")]
    return {"filters": filters, "logic": "AND"}


REGISTER = Product(
    "register",
    "sipri_transfers_register",
    "trade-register.csv",
    "/trades/trade-register-csv/",
    "web_register",
    register_body,
)
REGISTER_DELIVERIES = Product(
    "register_delivery_years",
    "sipri_transfers_register_delivery_years",
    "trade-register_delivery-years.csv",
    "/trades/trade-register-csv/",
    "delivery_years",
    lambda y: register_body(y, delivery_years=True),
)
TIV_IMPORTS = Product(
    "tiv_imports",
    "sipri_transfers_tiv_imports",
    "import-values.csv",
    "/trades/import-export-csv/",
    "tiv_imports",
    lambda y: tiv_table_body(y, exporters=False),
)
TIV_EXPORTS = Product(
    "tiv_exports",
    "sipri_transfers_tiv_exports",
    "export-values.csv",
    "/trades/import-export-csv/",
    "tiv_exports",
    lambda y: tiv_table_body(y, exporters=True),
)


def fetch(
    dest: Path | None = None,
    *,
    release: str | None = None,
    progress: Progress | None = None,
    base_url: str = BASE_URL,
    client: httpx.Client | None = None,
    today: date | None = None,
    timeout: float = 120.0,
    retries: int = 3,
    backoff: float = 1.0,
    max_bytes: int = 100_000_000,
    delivery_years: bool = True,
) -> list[Snapshot]:
    """Download the register and the TIV import/export tables into dated snapshot folders
    (the fetch contract of `sources/contract.py`; the backend serves the current release only).

    Every file is downloaded and checked before any is written, so a failure leaves the
    snapshot folder exactly as it was. With `delivery_years` (the default) the backend's
    one-row-per-delivery-year register (same release, other layout: exact per-year units and
    TIV) is fetched beside the web register, so a fetched release never rests on an
    estimated per-year split (store/allocation.py copies its exact rows to the register's deals).
    """
    from armatlas import config

    current_only("SIPRI's arms-transfers database", release)
    root = Path(dest) if dest is not None else config.snapshot_root()
    base = base_url.rstrip("/")
    products = [REGISTER, TIV_IMPORTS, TIV_EXPORTS] + ([REGISTER_DELIVERIES] if delivery_years else [])
    own = client is None
    cl = client or httpx.Client(
        timeout=httpx.Timeout(timeout),
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            # The backend serves the SIPRI web app; public callers send its origin.
            "Origin": "https://armstransfers.sipri.org",
            "Referer": "https://armstransfers.sipri.org/",
        },
    )
    kw: dict[str, Any] = {
        "client": cl,
        "timeout": timeout,
        "retries": retries,
        "backoff": backoff,
        "max_bytes": max_bytes,
        "progress": progress,
    }
    try:
        max_year = fetch_max_year(base, today=today, **kw)
        got = [(p, _fetch_product(base, p, max_year, kw)) for p in products]
    finally:
        if own:
            cl.close()
    out = []
    release = _register_release(got)
    for product, (body, meta) in got:
        meta.update(max_year=max_year, request=product.body(max_year))
        if product.key in (REGISTER.key, REGISTER_DELIVERIES.key) and release:
            # One download, one release: the delivery-year layout is the register's release
            # even when the backend stamps it on another day (ingest reads this, not the stamp).
            meta["release"] = release
        out.append(
            snapshot_of(write_snapshot(root, product.source_id, product.file_name, body, meta, today=today))
        )
    return out


def _register_release(got: list[tuple[Product, tuple[Body, dict[str, Any]]]]) -> str | None:
    """The release the web register of this download belongs to: the day SIPRI generated it."""
    stamp = next((meta.get("generated_at") for p, (_, meta) in got if p.key == REGISTER.key), None)
    return str(stamp)[:10] if stamp else None


def fetch_max_year(base: str, *, today: date | None = None, **kw: Any) -> int:
    """The last year with data in the database, as the backend reports it."""
    url = f"{base}/trades/getMaxYear"
    this_year = (today or datetime.now(UTC).date()).year

    def check(data: bytes) -> None:
        text = data.decode("ascii").strip().strip('"')
        if not text.isdigit() or not FIRST_YEAR < int(text) <= this_year + 1:
            raise ValueError(f"expected a year between {FIRST_YEAR} and {this_year + 1}, got {data[:40]!r}")

    kw = {**kw, "max_bytes": 64, "progress": None}
    body = fetch_body(url, validate=check, **kw)
    return int(body.data.decode("ascii").strip().strip('"'))


def _fetch_product(
    base: str, product: Product, max_year: int, kw: dict[str, Any]
) -> tuple[Body, dict[str, Any]]:
    found: dict[str, Any] = {}

    def validate(data: bytes) -> None:
        found.update(check_export(data, product.layout, product.file_name))

    body = fetch_body(
        base + product.endpoint,
        method="POST",
        json_body=product.body(max_year),
        transform=decode_bytes_envelope,
        validate=validate,
        **kw,
    )
    meta = {
        "publisher": SOURCE["publisher"],
        "dataset": SOURCE["dataset"],
        "dataset_id": SOURCE["id"],
        "product": product.key,
        **found,
    }
    meta["citation"] = SOURCE["citation"].format(generated=found.get("generated_text") or "date unknown")
    return body, meta


def decode_bytes_envelope(raw: bytes) -> bytes:
    """`{"bytes": "<base64>"}` -> the CSV bytes; anything else is refused."""
    try:
        doc = json.loads(raw)
    except ValueError:
        raise FetchError(
            "The answer is not JSON (an error page?)",
            value=raw[:120].decode("latin-1"),
            hint="SIPRI's backend may be down or changed; try again later",
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("bytes"), str):
        keys = sorted(doc)[:10] if isinstance(doc, dict) else type(doc).__name__
        raise FetchError(
            'The JSON answer has no "bytes" string',
            value=keys,
            hint="SIPRI's backend changed its answer format; check for an armatlas update",
        )
    try:
        data = base64.b64decode(doc["bytes"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise FetchError(
            f'The "bytes" field is not valid base64 ({exc})',
            value=doc["bytes"][:60],
            hint="The answer was corrupted in transit or the format changed; try again",
        ) from None
    if not data.strip():
        raise FetchError(
            "The backend returned an empty file", hint="SIPRI's backend may be mid-update; try again later"
        )
    return data


def check_export(data: bytes, layout: str, file_name: str) -> dict[str, Any]:
    """Check decoded bytes are a SIPRI export in `layout`; return layout and generated stamp."""
    text = decode(data, file_name)  # cp1252 (or UTF-8); EncodingError/TruncatedFileError
    lines = [ln.rstrip("\r") for ln in text.split("\n", 30)[:30]]
    try:
        found, h = find_header(lines, file_name)
    except LayoutError as exc:
        raise FetchError(
            f"The downloaded file is not a SIPRI export: {exc.message}", value=exc.value, hint=exc.hint
        ) from None
    if found.name != layout:
        raise FetchError(
            f"Expected the {layout} layout, got {found.name}",
            hint="The backend answered with another export; check for an armatlas update",
        )
    preamble = read_preamble(lines[:h])
    if not any(ln.startswith("Source: SIPRI") for ln in preamble.lines):
        raise FetchError(
            "The file lacks SIPRI's 'Source: SIPRI Arms Transfers Database' line",
            hint="Not a SIPRI export; nothing was written",
        )
    if len(lines) <= h + 1 or not lines[h + 1].strip():
        raise FetchError(
            "The export has a header but no data rows",
            hint="SIPRI's backend may be mid-update; try again later",
        )
    stamp = next(
        (ln.split(":", 1)[1].strip() for ln in preamble.lines if ln.startswith("Data generated:")), None
    )
    return {
        "layout": found.name,
        "generated_at": preamble.generated_at.isoformat() if preamble.generated_at else None,
        "generated_text": stamp,
    }
