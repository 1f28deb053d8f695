"""Recognise which SIPRI arms-transfer export layout a file is in, from the file itself."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from armatlas.errors import LayoutError


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    header: tuple[str, ...]  # exact header cells, whitespace-trimmed; "" for the unnamed flag columns
    first_cell_only: bool = False  # TIV tables: the year columns vary, match the first cell only


WEB_REGISTER = Layout(
    "web_register",
    "trade register (web export, 16 columns with '?' flag columns)",
    ("Recipient", "Supplier", "Year of order", "", "Number ordered", "", "Weapon designation",
     "Weapon description", "Number delivered", "", "Year(s) of delivery", "status", "Comments",
     "SIPRI TIV per unit", "SIPRI TIV for total order", "SIPRI TIV of delivered weapons"),
)
TIDY_REGISTER = Layout(
    "tidy_register",
    "trade register, 13 columns without preamble or flag columns",
    ("Recipient", "Supplier", "Year of order", "Number ordered", "Weapon designation",
     "Weapon description", "Number delivered", "Year(s) of delivery", "status", "Comments",
     "SIPRI TIV per unit", "SIPRI TIV for total order", "SIPRI TIV of delivered weapons"),
)
DELIVERY_YEARS = Layout(
    "delivery_years",
    "trade register, backend layout with one row per deal and delivery year",
    ("SIPRI AT Database ID", "Supplier", "Recipient", "Designation", "Description",
     "Armament category", "Order date", "Order date is estimate", "Numbers delivered",
     "Numbers delivered is estimate", "Delivery year", "Delivery year is estimate", "Status",
     "SIPRI estimate", "TIV deal unit", "TIV delivery values", "Local production"),
)
TIV_IMPORTS = Layout("tiv_imports", "TIV table of imports by recipient and year", ("Recipient",), True)
TIV_EXPORTS = Layout("tiv_exports", "TIV table of exports by supplier and year", ("Exports by",), True)

LAYOUTS: tuple[Layout, ...] = (WEB_REGISTER, TIDY_REGISTER, DELIVERY_YEARS, TIV_IMPORTS, TIV_EXPORTS)
_MAX_PREAMBLE = 20


def _cells(line: str) -> tuple[str, ...]:
    return tuple(c.strip() for c in next(csv.reader([line]), []))


def _matches(layout: Layout, cells: tuple[str, ...]) -> bool:
    if layout.first_cell_only:
        return bool(cells) and cells[0] == layout.header[0] and len(cells) > 3 and cells[1].isdigit()
    return cells == layout.header


def find_header(lines: list[str], file: Path | str = "<text>") -> tuple[Layout, int]:
    """Return the layout and the 0-based index of its header line among the first lines."""
    for i, line in enumerate(lines[:_MAX_PREAMBLE]):
        cells = _cells(line)
        for layout in LAYOUTS:
            if _matches(layout, cells):
                return layout, i
    found = next((ln for ln in lines[:_MAX_PREAMBLE] if ln.count(",") >= 3), lines[0] if lines else "")
    known = "; ".join(f"{lay.name}: {lay.description}" for lay in LAYOUTS)
    raise LayoutError(
        "The file is in no known SIPRI arms-transfer layout",
        file=file,
        line=(lines.index(found) + 1) if found in lines else None,
        value=found[:300],
        hint=f"Known layouts: {known}",
    )


def detect_layout(text_head: str) -> str:
    """Name of the layout of a file whose first lines are `text_head`; LayoutError if none."""
    return find_header(text_head.splitlines())[0].name
