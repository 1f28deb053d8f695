"""Parse SIPRI's import/export TIV tables: one row per entity, one column per year.

Cells: a number; `0` (often `0 `) meaning 0-0.5 m TIV; empty meaning no deliveries identified.
A year column that is empty for every row (the current, incomplete year) is "not published":
it is dropped and recorded, never read as zeros. The trailing `1950-2024`, `Percentage`, ...
columns are checked against the yearly cells, not stored.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field, replace
from typing import Any

from armatlas.errors import DataCheckError, LayoutError, ParseError, TruncatedFileError
from armatlas.sources.sipri_transfers.cells import CellReader
from armatlas.sources.sipri_transfers.text import Preamble

WORLD_PREFIX = "Total world"
# The old site's tables end with a bare "Total" row (the world, or the table's one country);
# their last header cell is "Total" instead of "1950-2017".
_TOTAL_ROW = re.compile(r"^Total(\s+world\b.*|\s+(exports|imports)\b.*)?$", re.I)
# The new site's one-country tables name their country only in the total row ('Total exports to
# Israel' under a 'Supplier' header: Israel's imports by supplier); there is no title line.
_COUNTRY_TOTAL = re.compile(r"^Total\s+(exports|imports)\s+(to|from)\s+(.+?)\s*$", re.I)
_EVERY = ("all", "all countries", "world")


@dataclass
class ParsedTivTable:
    layout: str
    direction: str  # "import" or "export"
    file: str
    preamble: Preamble
    country: str | None = None  # per-country tables: the country whose trade the table shows
    years: list[int] = field(default_factory=list)
    unpublished_years: list[int] = field(default_factory=list)
    # rows: (line, name, year, tiv, below_half); name is None for the total row (the world, or
    # in a per-country table the country itself; other names there are its partners)
    rows: list[tuple[int, str | None, int, float, bool]] = field(default_factory=list)
    rejects: list[tuple[int, str | None, object, str, list[str]]] = field(default_factory=list)

    @property
    def entity_names(self) -> list[tuple[int, str]]:
        seen: dict[str, int] = {}
        for line, name, *_ in self.rows:
            if name is not None and name not in seen:
                seen[name] = line
        return [(ln, n) for n, ln in seen.items()]


def _is_total_header(h: str) -> bool:
    h = h.strip()
    return ("-" in h and h.replace("-", "").isdigit()) or h.lower() == "total"


def is_total_row(name: str) -> bool:
    return bool(_TOTAL_ROW.match(name.strip()))


def parse_tiv_table(
    table: ParsedTivTable, header: list[str], body: str, first_line: int, delimiter: str = ","
) -> None:
    cells = CellReader(table.file, delimiter)
    year_cols = [(i, int(h)) for i, h in enumerate(header) if h.strip().isdigit()]
    total_col = next((i for i, h in enumerate(header) if _is_total_header(h)), None)
    parsed: list[tuple[int, str, dict[int, tuple[float, bool]], float | None]] = []
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    for row in reader:
        line = first_line + reader.line_num - 1
        if not row or not row[0].strip():
            continue
        if len(row) < len(header):
            raise TruncatedFileError(
                f"Row has {len(row)} of {len(header)} cells",
                file=table.file,
                line=line,
                value=",".join(row)[:200],
            )
        values: dict[int, tuple[float, bool]] = {}
        try:
            for i, year in year_cols:
                raw = row[i]
                v = cells.float_or_none(raw, line, str(year))
                if v is not None:
                    if v < 0:
                        raise ParseError(
                            "Negative TIV", file=table.file, line=line, column=str(year), value=raw
                        )
                    values[year] = (v, raw.strip() == "0")
            total = (
                cells.float_or_none(row[total_col], line, header[total_col])
                if total_col is not None
                else None
            )
        except ParseError as exc:
            table.rejects.append((line, exc.column, exc.value, exc.message, row))
            continue
        parsed.append((line, row[0].strip(), values, total))
    if not parsed:
        raise TruncatedFileError("The table has a header but no rows", file=table.file, line=first_line)
    _country_from_total_row(table, parsed)
    published = {y for _, _, vals, _ in parsed for y in vals}
    # Only trailing all-empty years are unpublished (the current, incomplete year); an empty
    # year in the middle (common in one country's table) is a year with no deliveries.
    last = max(published, default=0)
    table.years = [y for _, y in year_cols if y <= last]
    table.unpublished_years = [y for _, y in year_cols if y > last]
    for line, name, values, total in parsed:
        try:
            _check_total(table, line, name, values, total, header[total_col] if total_col is not None else "")
        except DataCheckError as exc:
            table.rejects.append((line, exc.column, exc.value, exc.message, ["row_total_mismatch", name]))
            continue
        entity = None if is_total_row(name) else name
        for year, (v, below) in sorted(values.items()):
            table.rows.append((line, entity, year, v, below))
    if not any(r[1] is None for r in table.rows):
        raise TruncatedFileError(
            f"No '{WORLD_PREFIX} …' or 'Total' row: the table looks cut off", file=table.file
        )


def _country_from_total_row(table: ParsedTivTable, parsed: list[tuple[int, str, Any, Any]]) -> None:
    """A table whose total row is one country's ('Total exports to X') is that country's table."""
    if table.country is not None:
        return
    for line, name, _, _ in parsed:
        m = _COUNTRY_TOTAL.match(name.strip())
        if m is None or m.group(3).lower() in _EVERY:
            continue
        # 'exports to X' / 'imports to X': X receives, the rows are its suppliers.
        rows_supply = m.group(2).lower() == "to"
        if rows_supply != (table.direction == "export"):
            raise LayoutError(
                "The total row names a country the header's rows cannot be partners of",
                file=table.file,
                line=line,
                value=name,
                hint="A 'Supplier' table totals 'exports to X'; a 'Recipient' table 'imports from X'",
            )
        country = m.group(3)
        table.country = country
        table.layout = "tiv_country_imports" if rows_supply else "tiv_country_exports"
        table.direction = "import" if rows_supply else "export"
        pre = table.preamble
        suppliers, recipients = ("All countries", country) if rows_supply else (country, "All countries")
        table.preamble = replace(pre, suppliers_scope=suppliers, recipients_scope=recipients)
        return


def _check_total(
    table: ParsedTivTable,
    line: int,
    name: str,
    values: dict[int, tuple[float, bool]],
    total: float | None,
    column: str,
) -> None:
    """The publisher's row total must equal the sum of its yearly cells within rounding."""
    if total is None:
        return
    s = sum(v for v, _ in values.values())
    # Each yearly cell is rounded to a whole number; the total is rounded from the unrounded sum.
    if abs(s - total) > 0.5 * max(len(values), 1) + 0.5:
        raise DataCheckError(
            f"Row total {total:g} differs from the sum of its years {s:g}",
            file=table.file,
            line=line,
            column=column,
            value=name,
        )
