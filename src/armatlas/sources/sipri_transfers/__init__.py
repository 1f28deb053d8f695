"""SIPRI Arms Transfers Database: every export layout, detected from the file itself."""

from __future__ import annotations

import csv
from pathlib import Path

from armatlas.sources.sipri_transfers.delivery_years import parse_delivery_years
from armatlas.sources.sipri_transfers.detect import LAYOUTS, detect_layout, find_header
from armatlas.sources.sipri_transfers.records import ParsedRegister
from armatlas.sources.sipri_transfers.register import (
    TIDY_WIDTH,
    WEB_WIDTH,
    parse_register,
)
from armatlas.sources.sipri_transfers.text import decode, read_preamble
from armatlas.sources.sipri_transfers.tiv_tables import ParsedTivTable, parse_tiv_table

SOURCE = {
    "id": "sipri_arms_transfers",
    "publisher": "Stockholm International Peace Research Institute (SIPRI)",
    "dataset": "SIPRI Arms Transfers Database",
    "homepage": "https://www.sipri.org/databases/armstransfers",
    "licence": "Free to use with citation; armatlas never redistributes the data.",
    "citation": "Source: SIPRI Arms Transfers Database, data generated {generated}.",
}

__all__ = ["LAYOUTS", "SOURCE", "ParsedRegister", "ParsedTivTable", "detect_layout", "parse",
           "parse_bytes"]


def parse(path: str | Path) -> ParsedRegister | ParsedTivTable:
    """Read any SIPRI arms-transfer export; the layout is detected from its header."""
    path = Path(path)
    return parse_bytes(path.read_bytes(), path.name)


def parse_bytes(raw: bytes, file: str) -> ParsedRegister | ParsedTivTable:
    text = decode(raw, file)
    lines = text.split("\n", 25)[:25]
    layout, h = find_header([ln.rstrip("\r") for ln in lines], file)
    preamble = read_preamble([ln.rstrip("\r") for ln in lines[:h]])
    parts = text.split("\n", h + 1)
    header_line = parts[h].rstrip("\r")
    body = parts[h + 1] if len(parts) > h + 1 else ""
    first = h + 2  # 1-based line number of the first body line
    if layout.name in ("tiv_imports", "tiv_exports"):
        table = ParsedTivTable(layout.name, "import" if layout.name == "tiv_imports" else "export",
                               file, preamble)
        parse_tiv_table(table, next(csv.reader([header_line])), body, first)
        return table
    reg = ParsedRegister(layout.name, file, preamble)
    if layout.name == "delivery_years":
        parse_delivery_years(reg, body, first)
    else:
        parse_register(reg, body, first, WEB_WIDTH if layout.name == "web_register" else TIDY_WIDTH)
    return reg
