"""SIPRI Military Expenditure Database workbook: every data sheet, faithfully.

The file name and sheet names change with every release (the constant-dollar sheet is
`Constant (2023) US$` in the 2025 release), so sheets are recognised by their name's words
and by a header row that starts with `Country`; the base year is read from the sheet name.

Cells keep SIPRI's meaning:
- a number in black is a reported figure, in blue a SIPRI estimate, in red highly uncertain;
- `...` (the legend writes `. .`) is "data unavailable" -> status 'missing', value NULL;
- `xxx` is "country did not exist or was not independent" -> status 'did_not_exist';
- a spreadsheet error (`#VALUE!`, `#REF!` ...: a re-saved workbook whose formula broke)
  -> status 'error', value NULL, and a warning naming the cell.
These are never turned into zeros, and never merged with each other.

The release is read from the workbook's content, never from its file properties (a re-save
changes those): the years its sheets cover (e.g. '1949-2020') and SIPRI's own stamp in the
sheet titles ('© SIPRI 2021'). Year headers are checked: a year column whose header was
renamed ('2019 (est.)') is read as that year with a warning, and a header that is no year
between year columns, or a gap in the years, fails instead of silently dropping a year.

Units (decided once, here): shares of GDP and of government spending are stored as the
fractions the workbook holds (0.0797 = 7.97 %) and converted to per cent only for display;
constant and current US$ are US$ millions; per capita is current US$; local currency is the
currency named on the row at current prices, converted by SIPRI to the latest currency.

SIPRI's own regions: the country sheets group countries under region and subregion header rows
(Egypt and Türkiye under "Middle East", unlike the arms-transfer regions), and the 'Regional
totals' sheet gives each region's and subregion's total (regions in bold, their subregions
below), in constant US$ b. plus the last year at current prices; those totals include SIPRI's
estimates for members without figures, so they are read, never re-summed from the countries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from armatlas import columnar
from armatlas.errors import LayoutError, ParseError
from armatlas.sources._xlsx import fetch_xlsx, open_workbook

if TYPE_CHECKING:
    from armatlas.sources._http import Progress
    from armatlas.sources.snapshot import Snapshot

SOURCE = {
    "id": "sipri_milex",
    "publisher": "Stockholm International Peace Research Institute (SIPRI)",
    "dataset": "SIPRI Military Expenditure Database",
    "homepage": "https://www.sipri.org/databases/milex",
    # SIPRI links the newest workbook from the homepage; the name changes every release.
    "url": "https://www.sipri.org/sites/default/files/SIPRI-Milex-data-1949-2024_2.xlsx",
    "licence": "Free to use with citation; armatlas never redistributes the data.",
    "citation": "Source: SIPRI Military Expenditure Database, {release}.",
}

MISSING = {"...", ". .", "..", ". . ."}
DID_NOT_EXIST = "xxx"
# Font colours in SIPRI's legend: "Figures in blue are SIPRI estimates. Figures in red
# indicate highly uncertain data."
BLUE, RED = "FF0000FF", "FFFF0000"
STATUSES = ("reported", "estimate", "uncertain", "missing", "did_not_exist", "error")
# What Excel (and POI, LibreOffice) write for a formula that cannot be computed.
ERROR_VALUES = frozenset(
    {"#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)
YEAR_IN_TEXT = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
STAMP = re.compile(r"©\s*SIPRI\s*(\d{4})", re.IGNORECASE)
SHARE_MEASURES = ("share_gdp", "share_govt")

COLUMNS = (
    "name",
    "sheet",
    "src_row",
    "measure",
    "year",
    "value",
    "status",
    "flags",
    "base_year",
    "unit",
    "period_note",
)


# Regional totals: one row per region, year and measure (US$ m, like the country sheets).
REGION_COLUMNS = ("region", "parent", "year", "measure", "value", "status", "base_year", "src_row")
CONSTANT_BASE = re.compile(r"constant\s*\(?\s*((?:19|20)\d\d)", re.IGNORECASE)
CURRENT_YEAR = re.compile(r"((?:19|20)\d\d)\s*\(\s*current", re.IGNORECASE)


@dataclass(frozen=True)
class SheetSpec:
    measure: str
    unit: str
    base_year: int | None


@dataclass
class ParsedMilex:
    """Every country-year cell of every data sheet, as columns, plus what was skipped."""

    file: str
    generated_at: datetime | None  # never from file properties; None unless the content dates it
    sheets: dict[str, str] = field(default_factory=dict)  # sheet name -> measure
    stamps: set[int] = field(default_factory=set)  # years of '© SIPRI YYYY' in the sheet titles
    warnings: list[str] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)
    region_rows: int = 0
    blank_cells: int = 0
    cols: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in COLUMNS})
    region_sheet: str | None = None  # 'Regional totals', when the workbook has it
    regions: dict[str, str | None] = field(default_factory=dict)  # region -> its parent (None: top)
    region_cols: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in REGION_COLUMNS})
    members: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # country -> groups

    @property
    def years(self) -> list[int]:
        return sorted(set(self.cols["year"]))

    @property
    def release(self) -> str:
        """Coverage read from the year columns, e.g. '1949-2024' (the file name may lie)."""
        ys = self.years
        return f"{ys[0]}-{ys[-1]}" if ys else "empty"

    @property
    def stamp(self) -> str | None:
        """SIPRI's own stamp, e.g. '© SIPRI 2021' (the newest where sheets differ)."""
        return f"© SIPRI {max(self.stamps)}" if self.stamps else None

    @property
    def names(self) -> list[tuple[str, int, str]]:
        """(name, first row, sheet) for every distinct country name, for entity checks."""
        seen: dict[str, tuple[str, int, str]] = {}
        for n, r, s in zip(self.cols["name"], self.cols["src_row"], self.cols["sheet"], strict=True):
            seen.setdefault(n, (n, r, s))
        return list(seen.values())

    def to_arrow(self) -> pa.Table:
        return columnar.table(
            self.cols,
            schema=pa.schema(
                [
                    ("name", pa.string()),
                    ("sheet", pa.string()),
                    ("src_row", pa.int32()),
                    ("measure", pa.string()),
                    ("year", pa.int16()),
                    ("value", pa.float64()),
                    ("status", pa.string()),
                    ("flags", pa.string()),
                    ("base_year", pa.int16()),
                    ("unit", pa.string()),
                    ("period_note", pa.string()),
                ]
            ),
        )

    def regions_arrow(self) -> pa.Table:
        """SIPRI's regional totals, one row per region, year and measure (US$ m)."""
        return columnar.table(
            self.region_cols,
            schema=pa.schema(
                [
                    ("region", pa.string()),
                    ("parent", pa.string()),
                    ("year", pa.int16()),
                    ("measure", pa.string()),
                    ("value", pa.float64()),
                    ("status", pa.string()),
                    ("base_year", pa.int16()),
                    ("src_row", pa.int32()),
                ]
            ),
        )


def classify_sheet(name: str) -> SheetSpec | None:
    """Measure of a sheet from its name's words; None for non-data sheets."""
    n = " ".join(name.lower().split())
    if "constant" in n:
        m = re.search(r"(19|20)\d\d", n)
        return SheetSpec("constant_usd", "US$ m, constant prices", int(m.group(0)) if m else None)
    if "current" in n and "us" in n:
        return SheetSpec("current_usd", "US$ m, current prices", None)
    if "gdp" in n:
        return SheetSpec("share_gdp", "fraction of GDP", None)
    if "capita" in n:
        return SheetSpec("per_capita", "US$, current prices", None)
    if "gov" in n:
        return SheetSpec("share_govt", "fraction of general government expenditure", None)
    if "local" in n and "financial" in n:
        return SheetSpec("local_currency_fy", "local currency, current prices, financial years", None)
    if "local" in n:
        return SheetSpec("local_currency_cy", "local currency, current prices, calendar years", None)
    return None


def parse(path: str | Path) -> ParsedMilex:
    """Read every data sheet of a SIPRI milex workbook (any release)."""
    path = Path(path)
    wb = open_workbook(path, "sipri.org/databases/milex")
    try:
        # wb.properties.modified is when someone last saved the file, not SIPRI's release date.
        out = ParsedMilex(path.name, None)
        for ws in wb.worksheets:  # regions first: the country sheets' header rows refer to them
            if "region" in ws.title.lower() and out.region_sheet is None and _parse_regions(ws, out):
                out.region_sheet = ws.title  # not in `sheets`: the snapshot's selection stays as it was
        for ws in wb.worksheets:
            if ws.title == out.region_sheet:
                continue
            spec = classify_sheet(ws.title)
            if spec is None or not _parse_sheet(ws, spec, out):
                out.skipped_sheets.append(ws.title)
            else:
                out.sheets[ws.title] = spec.measure
    finally:
        wb.close()
    _require_sheets(out)
    return out


def _require_sheets(out: ParsedMilex) -> None:
    found = set(out.sheets.values())
    needed = {"constant_usd", "current_usd", "share_gdp", "per_capita", "share_govt"}
    if needed - found:
        raise LayoutError(
            f"Workbook lacks data sheets for {sorted(needed - found)}",
            file=out.file,
            value=list(out.sheets) + out.skipped_sheets,
            hint="SIPRI may have renamed its sheets; extend classify_sheet()",
        )
    if len([m for m in out.sheets.values() if m == "constant_usd"]) != 1:
        raise LayoutError("Expected exactly one constant-US$ sheet", file=out.file, value=list(out.sheets))


def _parse_sheet(ws: Any, spec: SheetSpec, out: ParsedMilex) -> bool:
    """Append one sheet's cells; False when the sheet has no `Country` header row."""
    rows = ws.iter_rows()
    header: list[Any] | None = None
    header_row = 0
    for row in rows:
        if row and row[0].value is not None and str(row[0].value).strip().lower() == "country":
            header = [c.value for c in row]
            header_row = row[0].row
            break
        for c in row:
            if isinstance(c.value, str) and (m := STAMP.search(c.value)):
                out.stamps.add(int(m.group(1)))
    if header is None:
        return False
    years = _year_columns(header, out, ws.title, header_row)
    labels = {str(v).strip().lower(): i for i, v in enumerate(header) if isinstance(v, str) and v.strip()}
    notes_i = labels.get("notes")
    currency_i = labels.get("currency")
    period_i = next((i for k, i in labels.items() if "fiscal" in k or "reporting" in k), None)
    cols = out.cols
    group: tuple[str | None, str | None] = (None, None)
    for row in rows:
        if not row or row[0].value is None or not str(row[0].value).strip():
            continue
        values = [c.value for c in row]
        if all(v is None or v == "" for v in values[1:]):
            out.region_rows += 1  # "Africa", "North Africa" ...: headers between countries
            group = _group(out, str(values[0]).strip(), group)
            continue
        name = str(values[0]).strip()
        out.members.setdefault(name, group)
        r = row[0].row
        flags = _text(values, notes_i)
        currency = _text(values, currency_i)
        unit = f"{spec.unit} ({currency})" if currency else spec.unit
        period = _text(values, period_i)
        for i, year in years.items():
            cell = row[i] if i < len(row) else None
            status, value = _read_cell(cell, out.file, r, ws.title, year)
            if status is None:
                out.blank_cells += 1
                continue
            if status == "error" and cell is not None:  # an error status comes from a cell
                out.warnings.append(
                    f"{ws.title}!{year}, row {r} ({name}): spreadsheet error "
                    f"{str(cell.value).strip()} stored as a missing value"
                )
            cols["name"].append(name)
            cols["sheet"].append(ws.title)
            cols["src_row"].append(r)
            cols["measure"].append(spec.measure)
            cols["year"].append(year)
            cols["value"].append(value)
            cols["status"].append(status)
            cols["flags"].append(flags)
            cols["base_year"].append(spec.base_year)
            cols["unit"].append(unit)
            cols["period_note"].append(period)
    return True


def _group(
    out: ParsedMilex, header: str, now: tuple[str | None, str | None]
) -> tuple[str | None, str | None]:
    """(region, subregion) after a header row: a subregion keeps its region (from the regional
    totals sheet, else the region above it); a name the totals sheet lacks is a region."""
    if header in out.regions and out.regions[header] is not None:
        return out.regions[header], header
    if header in out.regions or now[0] is None or not out.regions:
        return header, None
    return now[0], header


def _parse_regions(ws: Any, out: ParsedMilex) -> bool:
    """SIPRI's regional totals (US$ b. in the sheet, US$ m here); False without a `Region` header."""
    base: int | None = None
    header: list[Any] | None = None
    rows = ws.iter_rows()
    for row in rows:
        first = row[0].value if row else None
        if isinstance(first, str) and (m := CONSTANT_BASE.search(first)) and base is None:
            base = int(m.group(1))
        if isinstance(first, str) and first.strip().lower() == "region":
            header = [c.value for c in row]
            break
    if header is None:
        return False
    cols: dict[int, tuple[int, str]] = {}
    for i, v in enumerate(header):
        if _is_year(v):
            cols[i] = (int(float(v)), "constant_usd")
        elif isinstance(v, str) and (m := CURRENT_YEAR.search(v)):
            cols[i] = (int(m.group(1)), "current_usd")
    parent: str | None = None
    rc = out.region_cols
    for row in rows:
        if not row or not isinstance(row[0].value, str) or not row[0].value.strip():
            continue
        name = row[0].value.strip()
        if name.lower() == "world":
            out.regions[name] = None
        elif getattr(getattr(row[0], "font", None), "b", False):  # regions bold, subregions not
            parent, out.regions[name] = name, None
        else:
            out.regions[name] = parent
        for i, (year, measure) in cols.items():
            cell = row[i] if i < len(row) else None
            v = None if cell is None else cell.value
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                continue  # ". ." too uncertain, "xxx" no independent member yet
            rc["region"].append(name)
            rc["parent"].append(out.regions[name])
            rc["year"].append(year)
            rc["measure"].append(measure)
            rc["value"].append(float(v) * 1000)
            rc["status"].append("uncertain" if _colour(cell) == RED else "reported")
            rc["base_year"].append(base if measure == "constant_usd" else None)
            rc["src_row"].append(row[0].row)
    return bool(rc["region"])


def _year_columns(header: list[Any], out: ParsedMilex, sheet: str, line: int) -> dict[int, int]:
    """Column index -> year; a renamed year header is read (with a warning), never dropped."""
    years = {i: int(float(v)) for i, v in enumerate(header) if _is_year(v)}
    if not years:
        raise LayoutError(
            "Header row has no year columns", file=out.file, line=line, column=sheet, value=header[:6]
        )
    first, last = min(years), max(years)
    # Columns between the year columns, and the one just beyond each end, should be years too.
    for i in [*range(first, last + 1), first - 1, last + 1]:
        if i in years or not 0 <= i < len(header):
            continue
        v = header[i]
        found = YEAR_IN_TEXT.findall(str(v)) if v is not None else []
        y = int(found[0]) if len(found) == 1 else None
        inside = first < i < last
        fits = (
            y is not None
            and y not in years.values()
            and (
                inside
                or (i == last + 1 and y == years[last] + 1)
                or (i == first - 1 and y == years[first] - 1)
            )
        )
        if fits:
            out.warnings.append(f"{sheet}: year header {v!r} (column {i + 1}) read as {y}")
            years[i] = y  # type: ignore[assignment]
        elif inside:
            raise LayoutError(
                "A column between the year columns has no year in its header",
                file=out.file,
                line=line,
                column=f"{sheet}!column {i + 1}",
                value=v,
                hint="The year header was renamed or deleted; restore it (e.g. 2019) so no year is dropped",
            )
    ordered = [years[i] for i in sorted(years)]
    missing = sorted(set(range(min(ordered), max(ordered) + 1)) - set(ordered))
    if missing or ordered != sorted(ordered) or len(set(ordered)) != len(ordered):
        raise LayoutError(
            "Year columns are not one unbroken run of years",
            file=out.file,
            line=line,
            column=sheet,
            value=f"missing {missing}" if missing else ordered,
            hint="A year header was renamed, deleted or duplicated; restore it",
        )
    return dict(sorted(years.items()))


def _is_year(v: Any) -> bool:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v).is_integer() and 1900 <= v <= 2100
    return isinstance(v, str) and v.strip().isdigit() and 1900 <= int(v.strip()) <= 2100


def _text(values: list[Any], i: int | None) -> str | None:
    if i is None or i >= len(values) or values[i] is None:
        return None
    t = str(values[i]).strip()
    if isinstance(values[i], float) and values[i].is_integer():
        t = str(int(values[i]))  # a footnote number alone is stored as a float by POI
    return t or None


def _read_cell(cell: Any, file: str, row: int, sheet: str, year: int) -> tuple[str | None, float | None]:
    """(status, value) of one data cell; (None, None) for an empty cell."""
    v = None if cell is None else cell.value
    if v is None or (isinstance(v, str) and not v.strip()):
        return None, None
    if isinstance(v, str) or getattr(cell, "data_type", None) == "e":
        s = str(v).strip()
        if s in ERROR_VALUES or getattr(cell, "data_type", None) == "e":
            return "error", None
        if s in MISSING:
            return "missing", None
        if s == DID_NOT_EXIST:
            return "did_not_exist", None
        raise ParseError(
            "Unexpected text in a data cell",
            file=file,
            line=row,
            column=f"{sheet}!{year}",
            value=v,
            hint='Expected a number, "..." (missing) or "xxx" (did not exist)',
        )
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise ParseError("Unexpected cell type", file=file, line=row, column=f"{sheet}!{year}", value=v)
    colour = _colour(cell)
    status = "estimate" if colour == BLUE else "uncertain" if colour == RED else "reported"
    return status, float(v)


def _colour(cell: Any) -> str | None:
    font = getattr(cell, "font", None)
    color = getattr(font, "color", None) if font is not None else None
    rgb = getattr(color, "rgb", None) if color is not None else None
    return rgb if isinstance(rgb, str) else None


def fetch(
    dest: str | Path | None = None,
    *,
    release: str | None = None,
    progress: Progress | None = None,
    url: str | None = None,
    today: date | None = None,
    **kw: Any,
) -> list[Snapshot]:
    """Download the workbook into an immutable snapshot `<dest>/sipri_milex/<date>[-N]/<file>`
    plus `meta.json` (the fetch contract of `sources/contract.py`; SIPRI links the current
    release only)."""
    from armatlas.sources.contract import current_only

    current_only("SIPRI's military expenditure database", release)
    return fetch_xlsx(
        SOURCE,
        url or SOURCE["url"],
        dest,
        default_name="sipri-milex.xlsx",
        today=today,
        progress=progress,
        **kw,
    )
