"""Typed results shared by every analysis: a table plus where its figures came from.

Interfaces never compute figures; they render these objects. Every result converts to
Arrow, pandas, Polars, plain dicts/JSON and CSV with the same field names.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from armatlas.frame import Frame

if TYPE_CHECKING:  # pyarrow is needed only once a result exists: `armatlas --help` skips it
    import pandas
    import polars
    import pyarrow as pa

TIV_UNIT = "TIV (SIPRI trend-indicator value, millions; a volume measure, not money)"

# A result's summary: a frozen dataclass of the analysis (`armatlas.summaries`). An unparameterised
# `TableResult` / `CompositeResult` is one whose summary type the annotation does not pin.
S = TypeVar("S")
ABSENT_WHEN_NONE = "absent_when_none"
# Metadata of a summary field left out of dicts/JSON when None (a key only some answers have):
# `x: T | None = field(default=None, metadata=ABSENT)`.
ABSENT = {ABSENT_WHEN_NONE: True}


@dataclass(frozen=True)
class NoSummary:
    """The summary of a result that has none (`{}` in JSON)."""


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

SOURCE_TITLES = {source: name for source, (name, _) in CITED_AS.items()}


def _cite(source: str, refs: list[SnapshotRef]) -> str:
    name, label = CITED_AS.get(source, (source, "data generated"))
    releases = sorted({r.release for r in refs if r.release})
    if (
        source in ("sipri_milex", "sipri_arms_industry") and releases
    ):  # its release is the year coverage, e.g. "1949-2024"
        name += f" ({', '.join(releases)})"
    gens = sorted({r.generated_at[:10] for r in refs if r.generated_at})
    return name + (f", {label} {', '.join(gens)}" if gens else "")


def csv_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula: text starting with = + - @ (or a tab
    or CR) gets a leading apostrophe (OWASP's advice); numbers and other text pass unchanged.
    Every CSV export writes its cells through this (tidy.cell adds rounding and lists)."""
    from armatlas.tidy import neutralise

    if value is None:
        return ""
    return neutralise(value) if isinstance(value, str) else value


def _clean(value: Any) -> Any:
    """JSON-safe: NaN -> None, dates -> ISO strings, dataclasses -> dicts (fields with
    ABSENT metadata left out when None)."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _clean(getattr(value, f.name))
            for f in fields(value)
            if not (f.metadata.get(ABSENT_WHEN_NONE) and getattr(value, f.name) is None)
        }
    return value


def arrow_json_rows(table: pa.Table) -> list[dict[str, Any]]:
    """A table's rows as `_clean` gives them, visiting only the columns that need it: text,
    integer, boolean and list-of-text values are JSON as they come; floats only lose NaN."""
    import pyarrow.types as pt

    rows = table.to_pylist()
    floats = [f.name for f in table.schema if pt.is_floating(f.type)]
    other = [f.name for f in table.schema if not pt.is_floating(f.type) and not _json_as_is(f.type)]
    if floats or other:
        for r in rows:
            for n in floats:
                v = r[n]
                if v is not None and v != v:
                    r[n] = None
            for n in other:
                r[n] = _clean(r[n])
    return rows


def json_rows(rows: Frame) -> list[dict[str, Any]]:
    """A result's rows as its JSON holds them (`Frame.json_rows`, or the Arrow path's cleaning)."""
    return rows.json_rows() if rows.plain else arrow_json_rows(rows.to_arrow())


def _json_as_is(t: pa.DataType) -> bool:
    """Arrow types whose Python values are JSON-safe without `_clean`."""
    import pyarrow.types as pt

    if pt.is_list(t) or pt.is_large_list(t):
        return _json_as_is(t.value_type)
    return pt.is_string(t) or pt.is_large_string(t) or pt.is_integer(t) or pt.is_boolean(t) or pt.is_null(t)


def plain(value: Any) -> Any:
    """A summary (or any result value) as the plain dict/list/number tree its JSON holds."""
    return _clean(value)


@dataclass
class TableResult(Generic[S]):
    """A table of figures, its units and parameters, and its provenance.

    `data` holds the rows as a `Frame` (an Arrow table given here is wrapped in one); `table`
    is the Arrow table, built from the Frame when first asked for."""

    kind: str
    data: Frame | pa.Table
    provenance: Provenance
    params: dict[str, Any] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    summary: S = field(default_factory=NoSummary)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        if not isinstance(self.data, Frame):
            self.data = Frame.wrap(self.data)

    @property
    def frame(self) -> Frame:
        """The rows (always a Frame once constructed)."""
        return cast(Frame, self.data)

    @property
    def table(self) -> pa.Table:
        return self.frame.to_arrow()

    @table.setter
    def table(self, value: pa.Table) -> None:
        self.data = Frame.wrap(value)

    def __len__(self) -> int:
        return self.frame.num_rows

    @property
    def rows(self) -> list[dict[str, Any]]:
        return self.frame.to_pylist()

    def to_arrow(self) -> pa.Table:
        return self.table

    def to_pandas(self) -> pandas.DataFrame:
        return self.table.to_pandas()

    def to_polars(self) -> polars.DataFrame:
        import polars as pl

        return pl.from_arrow(self.table)  # type: ignore[return-value]

    def to_dict(self) -> dict[str, Any]:
        out = _clean(
            {
                "kind": self.kind,
                "params": self.params,
                "units": self.units,
                "warnings": self.warnings,
                "summary": self.summary,
                "provenance": self.provenance,
            }
        )
        out["rows"] = json_rows(self.frame)
        return out

    def to_json(self, *, part: str | None = None, **kw: Any) -> str:
        if part is not None and part != self.kind:
            raise KeyError(f"{self.kind!r} is a single table and has no part {part!r}")
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)

    def to_csv(self, part: str | None = None) -> str:
        """Tidy CSV: one value per cell, rounded to its meaning, each row citing its source."""
        from armatlas.tidy import citation_text, csv_text

        if part is not None and part != self.kind:
            raise KeyError(f"{self.kind!r} is a single table and has no part {part!r}")
        return csv_text(self.table, self.units, citation_text(self.provenance))

    def write_folder(self, folder: str | Path) -> list[Path]:
        """The table as tidy CSV plus a Frictionless datapackage.json (units, release, citation, licence)."""
        from armatlas.tidy import write_package

        return write_package(
            Path(folder),
            self.kind,
            self.kind.replace("_", " "),
            self.provenance,
            self.params,
            [(self.kind, self)],
            SOURCE_TITLES,
        )

    def _repr_html_(self) -> str:
        """Jupyter shows the table with its units and citation."""
        from armatlas.tidy import html_table

        return html_table(self.kind, self, self.provenance)


@dataclass
class CompositeResult(Generic[S]):
    """Several tables answering one question (e.g. supplier dependence), plus a summary."""

    kind: str
    parts: dict[str, TableResult]
    provenance: Provenance
    params: dict[str, Any] = field(default_factory=dict)
    summary: S = field(default_factory=NoSummary)  # type: ignore[assignment]
    warnings: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> TableResult:
        try:
            return self.parts[name]
        except KeyError:
            raise KeyError(
                f"{self.kind} has no part {name!r}; its parts are: {', '.join(self.parts)}"
            ) from None

    def to_arrow(self, part: str | None = None) -> pa.Table:
        return self[part or next(iter(self.parts))].table

    def to_pandas(self, part: str | None = None) -> pandas.DataFrame:
        return self.to_arrow(part).to_pandas()

    def to_polars(self, part: str | None = None) -> polars.DataFrame:
        import polars as pl

        return pl.from_arrow(self.to_arrow(part))  # type: ignore[return-value]

    def to_dict(self) -> dict[str, Any]:
        out = _clean(
            {
                "kind": self.kind,
                "params": self.params,
                "summary": self.summary,
                "warnings": self.warnings,
                "provenance": self.provenance,
            }
        )
        out["parts"] = {
            k: {"units": _clean(v.units), "rows": json_rows(v.frame)} for k, v in self.parts.items()
        }
        return out

    def to_json(self, *, part: str | None = None, **kw: Any) -> str:
        if part is not None:
            return self[part].to_json(**kw)
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)

    def to_csv(self, part: str | None = None) -> str:
        """Tidy CSV of one part; naming the part is required when there are several."""
        if part is None and len(self.parts) > 1:
            from armatlas.errors import QueryError

            raise QueryError(
                f"This {self.kind} result has {len(self.parts)} tables; a CSV holds one",
                value=None,
                hint=f"Pick one with --part ({', '.join(self.parts)}), or write all "
                "of them with --out FOLDER.",
            )
        return self[part or next(iter(self.parts))].to_csv()

    def write_folder(self, folder: str | Path) -> list[Path]:
        """One tidy CSV per part plus a Frictionless datapackage.json (units, release, citation, licence)."""
        from armatlas.tidy import write_package

        s = plain(self.summary)
        subject = (
            s.get("importer") or s.get("supplier") or s.get("name") or (s.get("entity") or {}).get("name")
        )
        name = f"{self.kind}-{subject}" if subject else self.kind
        return write_package(
            Path(folder),
            name,
            f"{self.kind} {subject or ''}".strip(),
            self.provenance,
            self.params,
            list(self.parts.items()),
            SOURCE_TITLES,
        )

    def _repr_html_(self) -> str:
        """Jupyter shows each part as a table, with units and the citation."""
        from armatlas.tidy import html_table

        return "".join(
            html_table(k, v, self.provenance if i == len(self.parts) - 1 else None)
            for i, (k, v) in enumerate(self.parts.items())
        )
