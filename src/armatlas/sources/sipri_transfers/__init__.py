"""SIPRI Arms Transfers Database: every export layout, detected from the file itself."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from armatlas.sources.sipri_transfers.delivery_years import parse_delivery_years
from armatlas.sources.sipri_transfers.detect import LAYOUTS, HeaderMatch, detect_layout, match_header
from armatlas.sources.sipri_transfers.records import ParsedRegister
from armatlas.sources.sipri_transfers.register import parse_register
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
    """Parse export bytes: decode, find the header by its meaning, read the body."""
    text = decode(raw, file)
    lines = [ln.rstrip("\r") for ln in text.split("\n", 25)[:25]]
    m = match_header(lines, file)
    h = m.index
    if lines[h].rstrip().endswith(";") and m.delimiter == ",":
        # A re-save that appended ';' to every line: drop it everywhere before reading.
        text = _TRAILING_SEMICOLON.sub(r"\1", text)
        lines = [ln.rstrip("\r") for ln in text.split("\n", 25)[:25]]
    preamble = read_preamble(lines[:h])
    parts = text.split("\n", h + 1)
    header_line = parts[h].rstrip("\r").removeprefix("\ufeff")
    body = parts[h + 1] if len(parts) > h + 1 else ""
    del text, parts
    first = h + 2  # 1-based line number of the first body line
    if m.layout.first_cell_only:
        table = ParsedTivTable(m.name, _direction(m), file, preamble, country=m.country)
        parse_tiv_table(table, next(csv.reader([header_line], delimiter=m.delimiter)), body, first,
                        delimiter=m.delimiter)
        return table
    reg = ParsedRegister(m.name, file, preamble)
    if m.name == "delivery_years":
        parse_delivery_years(reg, body, first, m)
    else:
        parse_register(reg, body, first, m)
    return reg


_TRAILING_SEMICOLON = re.compile(r";[ \t]*(\r?)$", re.M)


def _direction(m: HeaderMatch) -> str:
    return "import" if m.name in ("tiv_imports", "tiv_country_imports") else "export"
