"""Recognise which SIPRI arms-transfer export layout a file is in, from its header's meaning.

A header cell is matched by what it means, not its exact text: cells are compared after
folding case, accents and punctuation, against the known names of each field (SIPRI's newer
register calls `Number delivered` `Deliveries in the Year Range`). Columns may come in any
order and extra named columns are ignored; the unnamed `?` flag columns of the web export are
recognised by their place right after the field they qualify. A header in no known layout
fails with the header found and the layouts known.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from armatlas.entities._normalise import normalise
from armatlas.errors import LayoutError
from armatlas.sources._numbers import sniff_delimiter


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    header: tuple[str, ...]  # the publisher's usual header cells; "" for unnamed flag columns
    first_cell_only: bool = False  # TIV tables: the year columns vary


# field -> spellings seen for it (SIPRI's web and backend exports, re-saved copies, client code)
REGISTER_FIELDS: dict[str, tuple[str, ...]] = {
    "recipient": ("Recipient", "Recipients", "Recipient country", "Buyer"),
    "supplier": ("Supplier", "Suppliers", "Supplier country", "Seller"),
    "order_year": ("Year of order", "Order year", "Year(s) of order", "Order date", "Year ordered"),
    "n_ordered": ("Number ordered", "Numbers ordered", "No. ordered", "Ordered"),
    "designation": ("Weapon designation", "Designation", "Weapon"),
    "description": ("Weapon description", "Description", "Weapon type"),
    "n_delivered": (
        "Number delivered",
        "Numbers delivered",
        "Deliveries in the Year Range",
        "Number delivered in the year range",
        "No. delivered",
        "Delivered",
    ),
    "delivery_years": (
        "Year(s) of delivery",
        "Year(s) of deliveries",
        "Years of delivery",
        "Delivery years",
        "Year of delivery",
        "Delivery year(s)",
    ),
    "status": ("status", "Status", "Condition"),
    "comments": ("Comments", "Comment", "Notes", "Remarks"),
    "tiv_unit": ("SIPRI TIV per unit", "TIV per unit", "SIPRI TIV unit", "TIV deal unit"),
    "tiv_order": (
        "SIPRI TIV for total order",
        "TIV for total order",
        "SIPRI TIV of total order",
        "TIV of total order",
        "TIV total order",
    ),
    "tiv_delivered": (
        "SIPRI TIV of delivered weapons",
        "TIV of delivered weapons",
        "SIPRI TIV delivered",
        "TIV delivered",
        "SIPRI TIV of deliveries",
        "TIV of deliveries in the year range",
    ),
}
# The web export's unnamed '?' column follows each of these fields.
FLAGGED = ("order_year", "n_ordered", "n_delivered")
WEB_ORDER = (
    "recipient",
    "supplier",
    "order_year",
    "?order_year",
    "n_ordered",
    "?n_ordered",
    "designation",
    "description",
    "n_delivered",
    "?n_delivered",
    "delivery_years",
    "status",
    "comments",
    "tiv_unit",
    "tiv_order",
    "tiv_delivered",
)
TIDY_ORDER = tuple(f for f in WEB_ORDER if not f.startswith("?"))

DELIVERY_YEAR_FIELDS: dict[str, tuple[str, ...]] = {
    "sipri_id": ("SIPRI AT Database ID", "SIPRI ID", "Deal ID", "AT Database ID"),
    "supplier": ("Supplier",),
    "recipient": ("Recipient",),
    "designation": ("Designation", "Weapon designation"),
    "description": ("Description", "Weapon description"),
    "category": ("Armament category", "Weapon category", "Category"),
    "order_year": ("Order date", "Year of order", "Order year"),
    "order_year_est": ("Order date is estimate", "Order year is estimate"),
    "n_delivered": ("Numbers delivered", "Number delivered"),
    "n_delivered_est": ("Numbers delivered is estimate", "Number delivered is estimate"),
    "year": ("Delivery year",),
    "year_est": ("Delivery year is estimate",),
    "status": ("Status",),
    "tiv_unit_new": ("SIPRI estimate",),
    "tiv_unit": ("TIV deal unit", "TIV per unit"),
    "tiv": ("TIV delivery values", "TIV delivery value", "TIV delivered"),
    "local": ("Local production", "Licensed production"),
}

WEB_REGISTER = Layout(
    "web_register",
    "trade register (web export, 16 columns with '?' flag columns)",
    (
        "Recipient",
        "Supplier",
        "Year of order",
        "",
        "Number ordered",
        "",
        "Weapon designation",
        "Weapon description",
        "Number delivered",
        "",
        "Year(s) of delivery",
        "status",
        "Comments",
        "SIPRI TIV per unit",
        "SIPRI TIV for total order",
        "SIPRI TIV of delivered weapons",
    ),
)
TIDY_REGISTER = Layout(
    "tidy_register",
    "trade register, 13 columns without preamble or flag columns",
    (
        "Recipient",
        "Supplier",
        "Year of order",
        "Number ordered",
        "Weapon designation",
        "Weapon description",
        "Number delivered",
        "Year(s) of delivery",
        "status",
        "Comments",
        "SIPRI TIV per unit",
        "SIPRI TIV for total order",
        "SIPRI TIV of delivered weapons",
    ),
)
DELIVERY_YEARS = Layout(
    "delivery_years",
    "trade register, backend layout with one row per deal and delivery year",
    tuple(v[0] for v in DELIVERY_YEAR_FIELDS.values()),
)
TIV_IMPORTS = Layout("tiv_imports", "TIV table of imports by recipient and year", ("Recipient",), True)
TIV_EXPORTS = Layout("tiv_exports", "TIV table of exports by supplier and year", ("Exports by",), True)
# The old SIPRI site's per-country tables: one country's exports by recipient, or its imports
# by supplier (a bilateral table, not totals of every country).
TIV_COUNTRY_EXPORTS = Layout(
    "tiv_country_exports", "old-site TIV table of one country's exports by recipient", ("",), True
)
TIV_COUNTRY_IMPORTS = Layout(
    "tiv_country_imports", "old-site TIV table of one country's imports by supplier", ("",), True
)

LAYOUTS: tuple[Layout, ...] = (
    WEB_REGISTER,
    TIDY_REGISTER,
    DELIVERY_YEARS,
    TIV_IMPORTS,
    TIV_EXPORTS,
    TIV_COUNTRY_EXPORTS,
    TIV_COUNTRY_IMPORTS,
)
_BY_NAME = {lay.name: lay for lay in LAYOUTS}
_MAX_PREAMBLE = 20
# Old-site titles: "TIV of arms exports to all, 1950-2017" (imports of every country),
# "TIV of arms exports from Israel, 1950-2021" (one country's exports by recipient).
_TITLE = re.compile(r"TIV of arms (exports|imports) (to|from|by) (.+?),\s*\d{4}\s*-\s*\d{4}", re.I)
_ALL = ("all", "all countries", "world")


@dataclass(frozen=True)
class HeaderMatch:
    """A recognised header: its layout, line, and where each field sits in a row."""

    layout: Layout
    index: int  # 0-based line of the header among the lines given
    columns: tuple[int | None, ...]  # canonical field order -> source column (None: absent)
    width: int  # cells per record in the file
    identity: bool  # the columns are already in canonical order
    country: str | None = None  # per-country TIV tables: the country the table is about
    delimiter: str = ","

    @property
    def name(self) -> str:
        return self.layout.name


def _key(text: str) -> str:
    return normalise(text.replace("\ufeff", ""))


def _synonyms(fields: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_key(s): f for f, spellings in fields.items() for s in spellings}


_REGISTER_KEYS = _synonyms(REGISTER_FIELDS)
_DY_KEYS = _synonyms(DELIVERY_YEAR_FIELDS)


# When a cell is no known spelling, its words decide: (field, words all present, words absent).
_KEYWORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("tiv_delivered", ("tiv", "deliver"), ()),
    ("tiv_order", ("tiv", "order"), ("unit",)),
    ("tiv_unit", ("tiv", "unit"), ()),
    ("delivery_years", ("year", "deliver"), ("tiv", "number")),
    ("order_year", ("year", "order"), ("tiv", "number")),
    ("n_delivered", ("deliver",), ("year", "tiv")),
    ("n_ordered", ("order",), ("year", "tiv")),
    ("designation", ("designation",), ()),
    ("description", ("description",), ()),
    ("comments", ("comment",), ()),
)


def _by_words(key: str) -> str | None:
    words = key.split()
    for f, need, avoid in _KEYWORDS:
        if all(any(w.startswith(n) for w in words) for n in need) and not any(
            any(w.startswith(a) for w in words) for a in avoid
        ):
            return f
    return None


def split_cells(line: str, delimiter: str = ",") -> list[str]:
    """The cells of one header line, a trailing ';' (re-saved files) removed."""
    line = line.rstrip("\r\n ").removeprefix("\ufeff")
    if delimiter == "," and line.endswith(";"):
        line = line[:-1]
    return next(csv.reader([line], delimiter=delimiter), [])


def _trim(cells: list[str]) -> list[str]:
    out = list(cells)
    while out and not out[-1].strip():
        out.pop()
    return out


def _match_register(cells: list[str]) -> HeaderMatch | None:
    found: dict[str, int] = {}
    last: str | None = None
    for i, c in enumerate(cells):
        if not c.strip():
            if last in FLAGGED and "?" + last not in found:
                found["?" + last] = i
            last = None
            continue
        f = _REGISTER_KEYS.get(_key(c)) or _by_words(_key(c))
        if f is None or f in found:
            last = None
            continue
        found[f] = i
        last = f
    if not all(f in found for f in TIDY_ORDER):
        return None
    web = any(f.startswith("?") for f in found)
    order = WEB_ORDER if web else TIDY_ORDER
    cols = tuple(found.get(f) for f in order)
    layout = WEB_REGISTER if web else TIDY_REGISTER
    return HeaderMatch(layout, 0, cols, len(cells), cols == tuple(range(len(cells))))


def _match_delivery_years(cells: list[str]) -> HeaderMatch | None:
    found: dict[str, int] = {}
    for i, c in enumerate(cells):
        f = _DY_KEYS.get(_key(c))
        if f is not None and f not in found:
            found[f] = i
    if not all(f in found for f in DELIVERY_YEAR_FIELDS):
        return None
    cols = tuple(found[f] for f in DELIVERY_YEAR_FIELDS)
    return HeaderMatch(DELIVERY_YEARS, 0, cols, len(cells), cols == tuple(range(len(cells))))


def _is_year(text: str) -> bool:
    t = text.strip()
    return len(t) == 4 and t.isdigit()


def _match_tiv_table(cells: list[str], title: re.Match[str] | None) -> HeaderMatch | None:
    cells = _trim(cells)
    if len(cells) < 3 or not _is_year(cells[1]):
        return None
    first = _key(cells[0])
    if first in ("recipient", "imports by", "importer", "importers"):
        return HeaderMatch(TIV_IMPORTS, 0, (), len(cells), True)
    if first in ("exports by", "supplier", "exporter", "exporters"):
        return HeaderMatch(TIV_EXPORTS, 0, (), len(cells), True)
    if first or title is None:
        return None
    flow, prep, who = title.group(1).lower(), title.group(2).lower(), title.group(3).strip()
    every = _key(who) in _ALL
    # "exports to X" / "imports to X": rows are X's suppliers; "exports from X": X's recipients.
    if (flow == "exports" and prep == "to") or flow == "imports":
        return HeaderMatch(
            TIV_IMPORTS if every else TIV_COUNTRY_IMPORTS, 0, (), len(cells), True, None if every else who
        )
    return HeaderMatch(
        TIV_EXPORTS if every else TIV_COUNTRY_EXPORTS, 0, (), len(cells), True, None if every else who
    )


def match_header(lines: list[str], file: Path | str = "<text>") -> HeaderMatch:
    """The header among the first lines of a file, with its layout and column positions."""
    title = None
    for i, line in enumerate(lines[:_MAX_PREAMBLE]):
        delimiter = sniff_delimiter(line)
        cells = split_cells(line, delimiter)
        if title is None and cells:
            title = _TITLE.search(cells[0])
        for matcher in (_match_register, _match_delivery_years):
            m = matcher(cells)
            if m is not None:
                return _at(m, i, delimiter)
        m = _match_tiv_table(cells, title)
        if m is not None:
            return _at(m, i, delimiter)
    found = next((ln for ln in lines[:_MAX_PREAMBLE] if ln.count(",") >= 3), lines[0] if lines else "")
    known = "; ".join(f"{lay.name}: {lay.description}" for lay in LAYOUTS)
    raise LayoutError(
        "The file is in no known SIPRI arms-transfer layout",
        file=file,
        line=(lines.index(found) + 1) if found in lines else None,
        value=found[:300],
        hint=f"Known layouts: {known}",
    )


def _at(m: HeaderMatch, index: int, delimiter: str) -> HeaderMatch:
    return HeaderMatch(m.layout, index, m.columns, m.width, m.identity, m.country, delimiter)


def find_header(lines: list[str], file: Path | str = "<text>") -> tuple[Layout, int]:
    """Return the layout and the 0-based index of its header line among the first lines."""
    m = match_header(lines, file)
    return m.layout, m.index


def detect_layout(text_head: str) -> str:
    """Name of the layout of a file whose first lines are `text_head`; LayoutError if none."""
    return find_header(text_head.splitlines())[0].name


def layout(name: str) -> Layout:
    return _BY_NAME[name]
