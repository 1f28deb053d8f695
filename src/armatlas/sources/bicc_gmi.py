"""BICC Global Militarisation Index (GMI) table: scores, ranks and the three sub-indicators.

The file in the snapshot is a third-party compilation (BICC's GMI columns joined with World
Risk Index columns); only the GMI columns are read, faithfully (empty cells stay None).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from armatlas.errors import LayoutError, ParseError

SOURCE = {
    "id": "bicc_gmi",
    "publisher": "Bonn International Centre for Conflict Studies (BICC)",
    "dataset": "Global Militarisation Index",
    "url": "https://gmi.bicc.de",
    "licence": "Free to use with citation; armatlas never redistributes the data.",
    "citation": "BICC, Global Militarisation Index (GMI)",
}
GMI_COLUMNS = (
    "iso3",
    "name",
    "year",
    "gmi_score",
    "milex_indicator",
    "personnel_indicator",
    "weapons_indicator",
    "gmi_rank",
)


@dataclass
class ParsedGmi:
    file: str
    rows: list[
        tuple[int, str, str, int, float | None, float | None, float | None, float | None, int | None]
    ] = field(default_factory=list)  # line, iso3, name, year, score, milex, personnel, weapons, rank


def is_gmi(path: Path) -> bool:
    """The BICC table by its folder or name (the header is checked when parsed)."""
    return path.suffix.lower() == ".csv" and (
        path.parent.name == "bicc_gmi" or path.name.lower().startswith("gmi")
    )


def parse(raw: bytes, file: str) -> ParsedGmi:
    text = raw.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not set(GMI_COLUMNS) <= set(reader.fieldnames):
        raise LayoutError(
            "Not a BICC GMI table (needs " + ", ".join(GMI_COLUMNS) + ")",
            file=file,
            value=reader.fieldnames,
            hint="Export the GMI table from gmi.bicc.de as CSV.",
        )
    out = ParsedGmi(file)
    for line, r in enumerate(reader, start=2):
        try:
            score, milex, personnel, weapons = (
                float(r[c]) if r[c].strip() else None for c in GMI_COLUMNS[3:7]
            )
            out.rows.append(
                (
                    line,
                    r["iso3"].strip(),
                    r["name"].strip(),
                    int(r["year"]),
                    score,
                    milex,
                    personnel,
                    weapons,
                    int(float(r["gmi_rank"])) if r["gmi_rank"].strip() else None,
                )
            )
        except ValueError as exc:
            raise ParseError(
                f"Unreadable GMI value: {exc}",
                file=file,
                line=line,
                value=",".join(str(v) for v in r.values())[:200],
            ) from None
    if not out.rows:
        raise ParseError("The GMI table has a header but no rows", file=file, line=1)
    return out
