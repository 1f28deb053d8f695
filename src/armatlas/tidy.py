"""Tidy data out: CSV cells a spreadsheet or a script reads as they are, and Frictionless data
packages that carry units, release, citation and licence beside the tables.

A cell holds one value: lists become joined strings, records inside lists become "name: value",
missing is empty (never "nan"), floats are rounded to what they mean (TIV to the thousandth of a
million, shares to 0.01 percentage point) so float noise such as 164.68900000000002 never
reaches a file, and text that a spreadsheet would run as a formula is neutralised.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

if TYPE_CHECKING:
    from armatlas.results import Provenance, TableResult

SOURCE_COLUMN = "source"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

# Decimal places by what a column measures; names are the result field names.
_DECIMALS: list[tuple[re.Pattern[str], int]] = [
    (
        re.compile(r"(^|_)tiv($|_)|^(exports|imports|strength)$"),
        3,
    ),  # TIV millions: register units go to 0.001
    (re.compile(r"share|^change$|^value_[ab]$|^difference_share$|_gdp$|_govt$"), 4),  # fractions: 0.01 pp
    (re.compile(r"^hhi$|^score$"), 1),
    (re.compile(r"^effective_suppliers$|^milex_health$|^rank_(median|p05|p95)$"), 2),
    (re.compile(r"_usd$|^per_capita$|^local_currency$"), 1),  # money in millions (per capita: dollars)
    (re.compile(r"^pagerank|^betweenness$"), 4),
]


def decimals_for(column: str, unit: str | None = None) -> int | None:
    """Decimal places a column's figures mean; None = keep the value (noise removed only)."""
    if unit and unit.startswith("TIV"):
        return 3
    if unit and unit.startswith("fraction"):
        return 4
    if unit and unit.startswith("per cent"):  # 36.0 = 36%: 0.01 percentage point
        return 2
    for pattern, places in _DECIMALS:
        if pattern.search(column):
            return places
    return None


def number_cell(value: float, places: int | None) -> int | float:
    """Round to meaning; 12 significant digits otherwise (drops binary noise, keeps the data)."""
    v = round(value, places) if places is not None else float(f"{value:.12g}")
    return int(v) if v == int(v) and abs(v) < 1e15 else v


def neutralise(text: str) -> str:
    """Text a spreadsheet would run as a formula (=, +, -, @) is prefixed with an apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _item(value: Any) -> str:
    if isinstance(value, Mapping):  # e.g. a main partner {partner_id, partner, share} -> "Japan: 0.0915"
        return ": ".join(str(cell(k, v)) for k, v in value.items() if not k.endswith("_id"))
    return str(cell("", value))


def cell(column: str, value: Any, unit: str | None = None) -> Any:
    """One value as a tidy CSV cell."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_cell(value, decimals_for(column, unit))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return neutralise("; ".join(_item(v) for v in value))
    if isinstance(value, Mapping):
        return neutralise(_item(value))
    if isinstance(value, str):
        return neutralise(value)
    return value


def csv_text(table: pa.Table, units: Mapping[str, str], citation: str) -> str:
    """The table as tidy CSV, each row ending in the source citation."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    names = table.column_names
    w.writerow([*names, SOURCE_COLUMN])
    for row in table.to_pylist():
        w.writerow([*(cell(k, row[k], units.get(k)) for k in names), citation])
    return buf.getvalue()


def citation_text(prov: Provenance) -> str:
    """'SIPRI Arms Transfers Database, data generated 2026-05-18; release 2026-05-18'."""
    text = prov.citation().removeprefix("Source: ").rstrip(".")
    return f"{text}; release {prov.release}" if prov.release not in ("all", "register") else text


# -- Frictionless data package -----------------------------------------------------------------
_FIELD_TYPES = [
    (pa.types.is_boolean, "boolean"),
    (pa.types.is_integer, "integer"),
    (pa.types.is_floating, "number"),
    (pa.types.is_timestamp, "datetime"),
    (pa.types.is_date, "date"),
]


def _field(f: pa.Field, units: Mapping[str, str]) -> dict[str, Any]:
    ftype = next((name for test, name in _FIELD_TYPES if test(f.type)), "string")
    out: dict[str, Any] = {"name": f.name, "type": ftype}
    if ftype == "boolean":
        out["trueValues"], out["falseValues"] = ["true"], ["false"]
    if ftype == "datetime":
        out["format"] = "%Y-%m-%d %H:%M:%S"
    unit = units.get(f.name)
    if unit:
        out["description"] = unit
    elif ftype == "number" and decimals_for(f.name) == 4:
        out["description"] = "fraction (0.25 = 25%)"
    if pa.types.is_list(f.type):
        out["description"] = "list, items joined with '; '"
    return out


def resource_name(part: str) -> str:
    """A Frictionless resource name: lower case letters, digits, '-', '_', '.' (Türkiye -> turkiye)."""
    import unicodedata

    ascii_ = unicodedata.normalize("NFKD", part).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9._-]+", "-", ascii_.lower()).strip("-") or "table"


def _sources(prov: Provenance, titles: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each dataset with the files (name, checksum, release) the figures rest on; addresses only
    when they are the publisher's (a local file:// path says nothing to a reader elsewhere)."""
    seen: dict[str, dict[str, Any]] = {}
    for s in prov.snapshots:
        entry = seen.setdefault(s.source, {"title": titles.get(s.source, s.source), "files": []})
        public = s.url if s.url and s.url.startswith(("http://", "https://")) else None
        entry["files"].append(
            {
                "file": s.file_name,
                "sha256": s.sha256,
                "release": s.release,
                **({"path": public} if public else {}),
            }
        )
    return list(seen.values())


def _licences(prov: Provenance) -> list[dict[str, str]]:
    """The publishers' own terms, read from each source module's SOURCE record."""
    import importlib

    modules = {
        "sipri_arms_transfers": "armatlas.sources.sipri_transfers_fetch",
        "sipri_milex": "armatlas.sources.sipri_milex",
        "worldbank_wdi": "armatlas.sources.worldbank",
    }
    out = []
    for src in sorted({s.source for s in prov.snapshots} or {"sipri_arms_transfers"}):
        mod = modules.get(src)
        record = getattr(importlib.import_module(mod), "SOURCE", {}) if mod else {}
        out.append(
            {
                "name": src,
                "title": str(record.get("licence", "see the publisher's terms")),
                **({"path": str(record["homepage"])} if record.get("homepage") else {}),
            }
        )
    return out


def write_package(
    folder: Path,
    name: str,
    title: str,
    prov: Provenance,
    params: Mapping[str, Any],
    parts: Iterable[tuple[str, TableResult]],
    source_titles: Mapping[str, str],
) -> list[Path]:
    """One tidy CSV per part plus datapackage.json (Frictionless) describing them."""
    folder.mkdir(parents=True, exist_ok=True)
    cite = citation_text(prov)
    resources, written = [], []
    for part, res in parts:
        rname = resource_name(part)
        path = folder / f"{rname}.csv"
        path.write_text(
            csv_text(res.table, res.units, citation_text(res.provenance) or cite), encoding="utf-8"
        )
        written.append(path)
        fields = [_field(f, res.units) for f in res.table.schema]
        fields.append({"name": SOURCE_COLUMN, "type": "string", "description": "source citation of the row"})
        resources.append(
            {
                "name": rname,
                "path": path.name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields},
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": resource_name(name),
        "title": title,
        "description": f"{prov.citation()} {prov.basis}".strip(),
        "citation": prov.citation(),
        "release": prov.release,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "licenses": _licences(prov),
        "sources": _sources(prov, source_titles),
        "armatlas": {
            "params": {k: v for k, v in params.items() if v is not None},
            "notes": prov.notes,
            "excluded": prov.excluded,
            "estimated_share": prov.estimated_share,
        },
        "resources": resources,
    }
    path = folder / "datapackage.json"
    path.write_text(json.dumps(package, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return [*written, path]


# -- notebooks ---------------------------------------------------------------------------------
HTML_ROWS = 60


def html_table(name: str, res: TableResult, prov: Provenance | None, max_rows: int = HTML_ROWS) -> str:
    """An HTML table for Jupyter: tidy cells, units as header tooltips, citation underneath."""
    from html import escape

    names = res.table.column_names
    head = "".join(f'<th title="{escape(res.units.get(n, ""))}">{escape(n)}</th>' for n in names)
    rows = res.table.slice(0, max_rows).to_pylist()
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell(n, r[n], res.units.get(n))))}</td>" for n in names) + "</tr>"
        for r in rows
    )
    more = (
        f"<p><small>… {res.table.num_rows - max_rows} more rows</small></p>"
        if res.table.num_rows > max_rows
        else ""
    )
    cite = f"<p><small>{escape(prov.citation())} Release {escape(prov.release)}.</small></p>" if prov else ""
    return (
        f'<div class="armatlas-result"><table><caption>{escape(name)} ({res.table.num_rows} rows)</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{more}{cite}</div>"
    )
