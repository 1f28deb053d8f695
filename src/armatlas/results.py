"""Typed results shared by every analysis: a table plus where its figures came from.

Interfaces never compute figures; they render these objects. Every result converts to
Arrow, pandas, Polars, plain dicts/JSON and CSV with the same field names.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pyarrow is needed only once a result exists: `armatlas --help` skips it
    import pandas
    import polars
    import pyarrow as pa

TIV_UNIT = "TIV (SIPRI trend-indicator value, millions; a volume measure, not money)"


@dataclass(frozen=True)
class SnapshotRef:
    """The source file a figure rests on."""

    snapshot_id: int
    source: str
    file_name: str
    layout: str
    release: str
    generated_at: str | None
    sha256: str
    url: str | None

    def __post_init__(self) -> None:
        object.__setattr__(self, "url", public_url(self.url))


def public_url(url: str | None) -> str | None:
    """The publisher's URL, or None for a file ingested from disk: results never show local paths."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


@dataclass
class Provenance:
    """Where a result's figures came from and how much of them rests on estimates."""

    release: str
    snapshots: list[SnapshotRef] = field(default_factory=list)
    basis: str = ""  # e.g. "register deliveries" or "publisher TIV tables"
    estimated_share: float | None = None  # share of TIV resting on the estimated per-year split
    excluded: list[str] = field(default_factory=list)  # entities or rows left out, and why
    notes: list[str] = field(default_factory=list)

    def citation(self) -> str:
        """One 'Source:' line naming each dataset the snapshots come from, with its dates."""
        by_source: dict[str, list[SnapshotRef]] = {}
        for s in self.snapshots:
            by_source.setdefault(s.source, []).append(s)
        if not by_source:  # results read from the store itself (releases, entities)
            return f"Source: {CITED_AS[DEFAULT_SOURCE][0]}."
        return "Source: " + "; ".join(_cite(src, refs) for src, refs in by_source.items()) + "."


DEFAULT_SOURCE = "sipri_arms_transfers"
# How each source is named in a citation, and what its generated_at date means there.
CITED_AS = {
    "sipri_arms_transfers": ("SIPRI Arms Transfers Database", "data generated"),
    "sipri_milex": ("SIPRI Military Expenditure Database", "data generated"),
    "worldbank_wdi": ("World Bank, World Development Indicators (CC BY 4.0)", "last updated"),
    "sipri_arms_industry": ("SIPRI Arms Industry Database", "data generated"),
}


def _cite(source: str, refs: list[SnapshotRef]) -> str:
    name, label = CITED_AS.get(source, (source, "data generated"))
    releases = sorted({r.release for r in refs if r.release})
    if source in ("sipri_milex", "sipri_arms_industry") and releases:  # its release is the year coverage, e.g. "1949-2024"
        name += f" ({', '.join(releases)})"
    gens = sorted({r.generated_at[:10] for r in refs if r.generated_at})
    return name + (f", {label} {', '.join(gens)}" if gens else "")


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula: text starting with = + - @ (or a tab
    or CR) gets a leading apostrophe (OWASP's advice); numbers and other text pass unchanged.
    Every CSV export writes its cells through this."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _clean(value: Any) -> Any:
    """JSON-safe: NaN -> None, dates -> ISO strings, dataclasses -> dicts."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return _clean(asdict(value))
    return value


@dataclass
class TableResult:
    """A table of figures, its units and parameters, and its provenance."""

    kind: str
    table: pa.Table
    provenance: Provenance
    params: dict[str, Any] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.table.num_rows

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.table.to_pylist()

    def to_arrow(self) -> pa.Table:
        return self.table

    def to_pandas(self) -> pandas.DataFrame:
        return self.table.to_pandas()

    def to_polars(self) -> polars.DataFrame:
        import polars as pl

        return pl.from_arrow(self.table)  # type: ignore[return-value]

    def to_dict(self) -> dict[str, Any]:
        return _clean({
            "kind": self.kind,
            "params": self.params,
            "units": self.units,
            "warnings": self.warnings,
            "summary": self.summary,
            "provenance": self.provenance,
            "rows": self.rows,
        })

    def to_json(self, **kw: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)

    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(self.table.column_names)
        for row in self.table.to_pylist():
            w.writerow([csv_cell(v) for v in row.values()])
        return buf.getvalue()


@dataclass
class CompositeResult:
    """Several tables answering one question (e.g. supplier dependence), plus a summary."""

    kind: str
    parts: dict[str, TableResult]
    provenance: Provenance
    params: dict[str, Any] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> TableResult:
        return self.parts[name]

    def to_arrow(self, part: str | None = None) -> pa.Table:
        return self.parts[part or next(iter(self.parts))].table

    def to_pandas(self, part: str | None = None) -> pandas.DataFrame:
        return self.to_arrow(part).to_pandas()

    def to_polars(self, part: str | None = None) -> polars.DataFrame:
        import polars as pl

        return pl.from_arrow(self.to_arrow(part))  # type: ignore[return-value]

    def to_dict(self) -> dict[str, Any]:
        return _clean({
            "kind": self.kind,
            "params": self.params,
            "summary": self.summary,
            "warnings": self.warnings,
            "provenance": self.provenance,
            "parts": {k: {"units": v.units, "rows": v.rows} for k, v in self.parts.items()},
        })

    def to_json(self, **kw: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)

    def to_csv(self, part: str | None = None) -> str:
        return self.parts[part or next(iter(self.parts))].to_csv()
