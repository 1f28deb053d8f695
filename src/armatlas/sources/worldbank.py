"""World Bank WDI indicators: the bulk `API_<code>_DS2` CSV layout and the API v2 JSON.

Bulk CSV quirks: UTF-8 with BOM; CRLF (LF where git normalised it); 4 preamble lines
("Data Source", "Last Updated Date"); a trailing empty column on every row; aggregates
(regions, income groups, "World") mixed with economies. The sibling `Metadata_Country_*`
file tells them apart: an empty Region marks an aggregate. Without it, only the World Bank's
aggregate codes (`AGGREGATE_CODES`) are marked and the store tells economies by its entity
register (`store/spending_ingest.py`), saying so in a warning.
Re-saved copies (quotes dropped, `;` and decimal commas, cp1252, other preamble lengths) and
DataBank exports (`Series Name`, `2000 [YR2000]`, `..`) are read by the header's meaning.

API v2 quirks: every page is a two-element array `[meta, rows]`; an error comes back with
HTTP 200 as `[{"message": [{"id": ..., "key": ..., "value": ...}]}]`; aggregates are told
apart by the country list, where their region id is "NA" ("Aggregates").
Values are kept in the publisher's unit (e.g. MS.MIL.XPND.GD.ZS is per cent of GDP).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
import zipfile
import zlib
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from armatlas.errors import ArmatlasError, DataCheckError, FetchError, LayoutError, ParseError
from armatlas.sources._numbers import locale_number, sniff_delimiter

if TYPE_CHECKING:
    from armatlas.sources._http import Progress
    from armatlas.sources.snapshot import Snapshot

SOURCE = {
    "id": "worldbank_wdi",
    "publisher": "World Bank",
    "dataset": "World Development Indicators",
    "homepage": "https://data.worldbank.org",
    "api": "https://api.worldbank.org/v2",
    "licence": "CC BY 4.0",
    "citation": "Source: World Bank, World Development Indicators ({code}), last updated {updated}.",
}
# The indicators armatlas reads (spending, GDP, population, health for the GMI), fetched by default.
CODES = (
    "MS.MIL.XPND.GD.ZS",
    "MS.MIL.XPND.CD",
    "NY.GDP.MKTP.CD",
    "SP.POP.TOTL",
    "SH.XPD.CHEX.GD.ZS",
    "SH.MED.PHYS.ZS",
)
# Armed-forces personnel (IISS via the World Bank), read by the industry profile and the index.
PERSONNEL = "MS.MIL.TOTL.P1"
# What armatlas reads from a file of many indicators (WDIData.csv, DataBank exports).
USED = (*CODES, PERSONNEL)
# The World Bank's aggregates (regions, income and lending groups, demographic-dividend and
# small-states groups, the World), as its Metadata_Country files list them (an empty Region),
# vintages 2018-2026. Used only for a file without its metadata: economies are then the codes
# the entity register knows, and a code that is neither is held back and named in a warning.
_AGGREGATES = (
    "AFE AFW ARB CEB CSS EAP EAR EAS ECA ECS EMU EUU FCS HIC HPC IBD IBT IDA IDB IDX INX LAC LCN LDC "
    "LIC LMC LMY LTE MEA MIC MNA NAC OED OSS PRE PSS PST SAS SSA SSF SST TEA TEC TLA TMN TSA TSS UMC WLD"
)
AGGREGATE_CODES = frozenset(_AGGREGATES.split())
# Values outside an indicator's range that are real; each entry says why (see check_rows).
KNOWN_OUTLIERS = {
    ("MS.MIL.XPND.GD.ZS", "KWT", 1991): "Gulf War reconstruction year: military spending was 117 % of GDP",
}
# A zip member larger than this is refused before it is read (the bulk CSVs are < 1 MB).
MAX_MEMBER = 64 * 1024 * 1024


@dataclass
class CountryMeta:
    code: str
    name: str
    region: str | None
    income_group: str | None

    @property
    def is_aggregate(self) -> bool:
        return not self.region


@dataclass
class ParsedIndicator:
    """One indicator's country-year values (non-empty cells only), economies and aggregates apart."""

    file: str
    layout: str  # 'bulk_csv' or 'api_json'
    code: str
    name: str
    last_updated: str | None
    # rows: (country name, country code, year, value, line or position)
    rows: list[tuple[str, str, int, float, int]] = field(default_factory=list)
    aggregates: set[str] = field(default_factory=set)
    metadata_file: str | None = None
    # False when no Metadata_Country file was found: only AGGREGATE_CODES are marked as
    # aggregates and the store tells economies by its entity register (spending_ingest).
    classified: bool = True

    @property
    def country_rows(self) -> list[tuple[str, str, int, float, int]]:
        return [r for r in self.rows if r[1] not in self.aggregates]

    @property
    def aggregate_rows(self) -> list[tuple[str, str, int, float, int]]:
        return [r for r in self.rows if r[1] in self.aggregates]


def parse(path: str | Path, metadata: str | Path | None = None) -> ParsedIndicator:
    """Read a bulk CSV, the zip World Bank serves, or an armatlas API snapshot (.json)."""
    path = Path(path)
    raw = path.read_bytes()
    if raw[:4] == b"PK\x03\x04":
        return _parse_zip(raw, path.name)
    if path.suffix.lower() == ".json":
        try:
            doc = json.loads(raw)
        except ValueError as exc:
            raise ParseError(
                f"Not valid JSON: {exc}",
                file=path.name,
                value=raw[:60],
                hint="The download is damaged; run `armatlas fetch --source worldbank` again",
            ) from None
        return parse_api_snapshot(doc, path.name)
    paths = [Path(metadata)] if metadata else find_metadata(path)
    return parse_csv(raw, path.name, load_metadata(paths), ",".join(p.name for p in paths) or None)


def load_metadata(paths: list[Path]) -> dict[str, CountryMeta] | None:
    """The country classification of these metadata files (None if there are none): the
    file's own first; the others only fill codes it lacks."""
    meta: dict[str, CountryMeta] | None = None
    for mp in paths:
        for code, m in read_country_metadata(mp.read_bytes(), mp.name).items():
            (meta := meta if meta is not None else {}).setdefault(code, m)
    return meta


def find_metadata(path: Path) -> list[Path]:
    """`Metadata_Country_<same stem>.csv` (or `WDICountry.csv`) beside the file first, then the
    other metadata files there.

    Some downloads lose their metadata file (SP.POP.TOTL here); country lists change little
    between vintages, and a code none of them knows is reported by parse_csv, not guessed.
    """
    exact = path.with_name(f"Metadata_Country_{path.name}")
    wdi = path.with_name("WDICountry.csv")  # the bulk WDI download's country table
    others = sorted(p for p in path.parent.glob("Metadata_Country_*.csv") if p != exact)
    return [p for p in (exact, wdi) if p.exists()] + others


def decode(raw: bytes, file: str) -> str:
    """UTF-8 as the World Bank serves it (with a BOM: bad bytes there are damage); Windows-1252
    from a spreadsheet re-save, which drops the BOM."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if not raw.startswith(b"\xef\xbb\xbf"):
            try:
                return raw.decode("cp1252")
            except UnicodeDecodeError:
                pass
        from armatlas.errors import EncodingError

        raise EncodingError(f"Not UTF-8: {exc.reason}", file=file, value=exc.start) from None


# Header cells by meaning (case, spacing and quotes aside): the bulk file's names and DataBank's.
_COLUMNS = {
    "country name": "name",
    "country": "name",
    "country code": "code",
    "indicator name": "ind_name",
    "series name": "ind_name",
    "indicator code": "ind_code",
    "series code": "ind_code",
    "time": "time",  # DataBank with series as columns and one row per economy and year
}
# DataBank's series columns: 'Military expenditure (current USD) [MS.MIL.XPND.CD]'.
_SERIES_COLUMN = re.compile(r"^(.*?)\s*\[([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+)\]\s*$")
# DataBank's Time cell: '2000' (its Time Code column says 'YR2000').
_TIME = re.compile(r"^(?:YR)?(\d{4})$", re.IGNORECASE)
# '1960' (bulk CSV) or '1960 [YR1960]' (DataBank export).
_YEAR = re.compile(r"^\s*(\d{4})(?:\s*\[YR\1\])?\s*$", re.IGNORECASE)
_MISSING = ("", "..")  # empty in the bulk file, '..' in DataBank exports: not available, never zero


def _fold(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").strip().strip('"').lower().split())


def _rows(text: str) -> tuple[list[list[str]], str]:
    lines = text.splitlines()
    head = next((ln for ln in lines[:10] if "country" in ln.lower() and "code" in ln.lower()), "")
    delimiter = sniff_delimiter(head)
    return list(csv.reader(lines, delimiter=delimiter)), delimiter


def read_country_metadata(raw: bytes, file: str) -> dict[str, CountryMeta]:
    """Country code -> region and income group; an empty Region marks an aggregate."""
    rows, _ = _rows(decode(raw, file))
    header = [_fold(c) for c in rows[0]] if rows else []
    if "country code" not in header or "region" not in header:
        raise LayoutError(
            "Not a World Bank Metadata_Country file", file=file, value=rows[0] if rows else None
        )
    # 'TableName'/'IncomeGroup' (Metadata_Country_*) or 'Table Name'/'Income Group' (WDICountry.csv)
    at = {h.replace(" ", ""): i for i, h in reversed(list(enumerate(header)))}

    def cell(r: list[str], name: str) -> str:
        i = at.get(name)
        return r[i].strip() if i is not None and i < len(r) else ""

    return {
        cell(r, "countrycode"): CountryMeta(
            cell(r, "countrycode"),
            cell(r, "tablename"),
            cell(r, "region") or None,
            cell(r, "incomegroup") or None,
        )
        for r in rows[1:]
        if cell(r, "countrycode")
    }


def _header(rows: list[list[str]], file: str) -> tuple[int, dict[str, int]]:
    """The header row among the first 10 and where each named column sits, by the names' meaning."""
    for h, row in enumerate(rows[:10]):
        at: dict[str, int] = {}
        for i, c in enumerate(row):
            if _fold(c) in _COLUMNS:
                at.setdefault(_COLUMNS[_fold(c)], i)
        if "name" in at and "code" in at:
            missing = [k for k in ("ind_name", "ind_code") if k not in at]
            if missing and "time" in at and _series_columns(row):
                return h, at  # series as columns, a row per economy and year
            if missing:
                raise LayoutError(
                    "The header has no indicator (or series) name and code columns",
                    file=file,
                    line=h + 1,
                    value=row[:6],
                    hint="Expected the World Bank bulk API_<code>_DS2 CSV or a DataBank export",
                )
            return h, at
    raise LayoutError(
        "No `Country Name` header in the first 10 lines",
        file=file,
        hint="Expected the World Bank bulk API_<code>_DS2 CSV layout",
    )


def _series_columns(header: list[str]) -> dict[int, tuple[str, str]]:
    """Column -> (series name, code) of DataBank's series columns ('Name [CODE]')."""
    return {
        i: (m.group(1), m.group(2)) for i, c in enumerate(header) if (m := _SERIES_COLUMN.match(c.strip()))
    }


def _whole_lines(head: bytes) -> bytes:
    """A file's first bytes up to its last line break: never a character cut in two (a line
    break is never inside a UTF-8 sequence), so a UTF-8 file's head decodes as UTF-8."""
    return head.rsplit(b"\n", 1)[0] if b"\n" in head else head


def is_indicator_csv(raw: bytes) -> bool:
    """Whether a CSV, whatever its name, is a World Bank indicator file (bulk or DataBank), from its header."""
    try:
        rows, _ = _rows(decode(_whole_lines(raw[:8192]), "<head>"))
        _header(rows, "<head>")
    except ArmatlasError:
        return False
    return True


def indicator_codes(raw: bytes) -> set[str]:
    """The indicator (series) codes in the rows of a file's first bytes; empty if it is not
    a World Bank indicator file."""
    try:
        rows, _ = _rows(decode(_whole_lines(raw), "<head>"))
        h, at = _header(rows, "<head>")
    except (ArmatlasError, UnicodeDecodeError):
        return set()
    if "time" in at:
        return {code for _, code in _series_columns(rows[h]).values()}
    need = max(at.values())
    return {r[at["ind_code"]].strip() for r in rows[h + 1 :] if len(r) > need and r[at["code"]].strip()}


def _value(cell: str, delimiter: str, file: str, line: int, column: str) -> float | None:
    t = cell.strip()
    if t in _MISSING:
        return None
    try:
        return number(t, file, line, column)
    except ParseError:
        plain = locale_number(t, delimiter != ",")
        if plain is None:
            raise
        return number(plain, file, line, column)


def parse_csv(
    raw: bytes, file: str, meta: dict[str, CountryMeta] | None, meta_file: str | None = None
) -> ParsedIndicator:
    """The bulk layout (preamble, header at the `Country Name` line, year columns, trailing
    comma) or a DataBank export, read by the header's meaning: quoting, case, delimiter, the
    number of preamble lines and the column order may differ from one save to another."""
    rows, delimiter = _rows(decode(raw, file))
    return read_indicators(iter(rows), file, delimiter, meta, meta_file)[0][0]


def read_indicators(
    rows: Iterator[list[str]],
    file: str,
    delimiter: str,
    meta: dict[str, CountryMeta] | None,
    meta_file: str | None = None,
    wanted: Collection[str] | None = None,
    layout: str = "bulk_csv",
) -> tuple[list[ParsedIndicator], set[str]]:
    """Each indicator's rows, and the codes of those left unread.

    Without `wanted` the file must hold one indicator. With it (a file of many: WDIData.csv,
    a DataBank export of several series) only the rows of those codes are kept, one
    ParsedIndicator each, as the rows stream by: the others are counted, never held."""
    head = list(itertools.islice(rows, 10))
    h, at = _header(head, file)
    updated = None
    for cells in head[:h]:
        if len(cells) >= 2 and _fold(cells[0]) == "last updated date":
            updated = cells[1].strip()
    header = head[h]
    if "time" in at:
        body = itertools.chain(head[h + 1 :], rows)
        return _read_series_columns(body, h, at, header, file, delimiter, meta, meta_file, wanted, layout)
    years = {i: int(m.group(1)) for i, c in enumerate(header) if (m := _YEAR.match(c))}
    _check_year_header(header, years, file, h + 1)
    found: dict[str, ParsedIndicator] = {}
    unread: set[str] = set()
    need = max(at.values())
    for n, row in enumerate(itertools.chain(head[h + 1 :], rows), start=h + 2):
        if len(row) <= need or not row[at["code"]].strip():
            continue  # blank, or DataBank's footer ('Data from database: ...', 'Last Updated: ...')
        ind_code = row[at["ind_code"]].strip()
        out = found.get(ind_code)
        if out is None:
            if wanted is None and found:
                raise ParseError(
                    "Two indicators in one file",
                    file=file,
                    line=n,
                    value=ind_code,
                    hint="`armatlas ingest` reads a file of several indicators (WDIData.csv, a DataBank "
                    "export of several series), one snapshot per indicator armatlas uses",
                )
            if wanted is not None and ind_code not in wanted:
                unread.add(ind_code)
                continue
            out = found[ind_code] = ParsedIndicator(
                file, layout, ind_code, row[at["ind_name"]].strip(), updated, metadata_file=meta_file
            )
        name, code = row[at["name"]].strip(), row[at["code"]].strip()
        before = len(out.rows)
        for i, year in years.items():
            v = _value(row[i], delimiter, file, n, str(year)) if i < len(row) else None
            if v is not None:
                out.rows.append((name, code, year, v, n))
        _classify(out, code, name, meta, file, n, has_values=len(out.rows) > before)
    if not found and wanted is None:
        raise LayoutError("No data rows", file=file)
    for out in found.values():
        check_rows(out)
    return list(found.values()), unread


def _read_series_columns(
    body: Iterator[list[str]],
    h: int,
    at: dict[str, int],
    header: list[str],
    file: str,
    delimiter: str,
    meta: dict[str, CountryMeta] | None,
    meta_file: str | None,
    wanted: Collection[str] | None,
    layout: str,
) -> tuple[list[ParsedIndicator], set[str]]:
    """DataBank with series as columns ('Name [CODE]') and a row per economy and year (`Time`):
    the same values as the other layouts, each cell named by its line and series column."""
    found: dict[int, ParsedIndicator] = {}
    unread: set[str] = set()
    for i, (name, code) in _series_columns(header).items():
        if wanted is not None and code not in wanted:
            unread.add(code)
        elif wanted is None and found:
            raise ParseError(
                "Two indicators in one file", file=file, line=h + 1, column=header[i], value=code
            )
        else:
            found[i] = ParsedIndicator(file, layout, code, name, None, metadata_file=meta_file)
    need = max(at.values())
    for n, row in enumerate(body, start=h + 2):
        if len(row) <= need or not row[at["code"]].strip():
            continue  # blank, or DataBank's footer
        when = row[at["time"]].strip()
        if not (m := _TIME.match(when)):
            raise ParseError("Not a year", file=file, line=n, column=header[at["time"]], value=when)
        name, code = row[at["name"]].strip(), row[at["code"]].strip()
        for i, out in found.items():
            v = _value(row[i], delimiter, file, n, header[i]) if i < len(row) else None
            if v is not None:
                out.rows.append((name, code, int(m.group(1)), v, n))
            _classify(out, code, name, meta, file, n, has_values=v is not None)
    for out in found.values():
        check_rows(out)
    return list(found.values()), unread


def number(cell: Any, file: str, line: int, column: str) -> float:
    """A finite number, or a ParseError naming the cell ('nan' and 'inf' parse as floats)."""
    try:
        v = float(cell)
    except (TypeError, ValueError):
        raise ParseError("Not a number", file=file, line=line, column=column, value=cell) from None
    if not math.isfinite(v):
        raise ParseError(
            "Not a finite number",
            file=file,
            line=line,
            column=column,
            value=cell,
            hint="NaN and infinity are not data; an empty cell means 'not available'",
        )
    return v


def _check_year_header(header: list[str], years: dict[int, int], file: str, line: int) -> None:
    """The year columns run without a gap: a renamed or deleted header would drop a year."""
    if not years:
        raise LayoutError("No year columns in the header", file=file, line=line, value=header[:6])
    first, last = min(years), max(years)
    for i in range(first, last + 1):
        if i not in years:
            raise LayoutError(
                "A column between the year columns has no year in its header",
                file=file,
                line=line,
                column=f"column {i + 1}",
                value=header[i],
                hint="Restore the year header so no year is dropped",
            )
    ys = [years[i] for i in range(first, last + 1)]
    if ys != list(range(ys[0], ys[0] + len(ys))):
        raise LayoutError(
            "Year columns are not one unbroken run of years", file=file, line=line, value=f"{ys[0]}..{ys[-1]}"
        )


class _Where(TypedDict):
    """Where a checked value sits, passed whole to the error."""

    file: str
    line: int
    column: str


def check_rows(out: ParsedIndicator) -> None:
    """Data checks like the registers': years on the calendar, one value per economy and
    year, values in the indicator's range (per cent in 0..100; levels not negative)."""
    this_year = datetime.now(UTC).year
    seen: dict[tuple[str, int], int] = {}
    percent = out.code.endswith(".ZS")
    signed = out.code.endswith(("ZG", ".KD.ZG")) or ".GR" in out.code
    for name, code, year, value, line in out.rows:
        where = _Where(file=out.file, line=line, column=str(year))
        if not 1900 <= year <= this_year:
            raise DataCheckError(
                "Year outside the calendar",
                value=year,
                **where,
                hint="A year after this one (or before 1900) cannot hold data",
            )
        if (code, year) in seen:
            raise DataCheckError(
                f"Two values for {code} in {year}",
                value=f"{name}: {value}",
                **where,
                hint=f"The first is at line {seen[code, year]}; keep one row per economy",
            )
        seen[code, year] = line
        if ((percent and not 0 <= value <= 100) or (not percent and not signed and value < 0)) and (
            out.code,
            code,
            year,
        ) not in KNOWN_OUTLIERS:
            raise DataCheckError(
                f"Value out of range for {out.code}",
                value=f"{name}: {value}",
                **where,
                hint="Per cent must lie in 0..100 and levels cannot be negative",
            )


def _classify(
    out: ParsedIndicator,
    code: str,
    name: str,
    meta: dict[str, CountryMeta] | None,
    file: str,
    line: int,
    *,
    has_values: bool,
) -> None:
    if meta is None:
        out.classified = False
        if code in AGGREGATE_CODES:
            out.aggregates.add(code)
        return
    m = meta.get(code)
    if m is None and not has_values:
        # e.g. INX "Not classified": in the data file, absent from metadata, always empty.
        out.aggregates.add(code)
        return
    if m is None:
        raise ParseError(
            "Economy code missing from the metadata file",
            file=file,
            line=line,
            column="Country Code",
            value=f"{code} ({name})",
            hint="Use the Metadata_Country file of the same download",
        )
    if m.is_aggregate:
        out.aggregates.add(code)


def _parse_zip(raw: bytes, file: str) -> ParsedIndicator:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            names = z.namelist()
            data = [n for n in names if n.startswith("API_") and n.endswith(".csv")]
            meta = [n for n in names if n.startswith("Metadata_Country_")]
            if len(data) != 1 or len(meta) > 1:
                raise LayoutError(
                    "Expected one API_*.csv and at most one Metadata_Country_*.csv", file=file, value=names
                )
            if not meta:  # read as a CSV without its metadata (see AGGREGATE_CODES)
                return parse_csv(read_member(z, data[0], file), f"{file}!{data[0]}", None)
            m = read_country_metadata(read_member(z, meta[0], file), meta[0])
            return parse_csv(read_member(z, data[0], file), f"{file}!{data[0]}", m, meta[0])
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise ParseError(
            f"The zip file is damaged: {exc}", file=file, hint="Download it again from data.worldbank.org"
        ) from None


def check_member_size(info: zipfile.ZipInfo, file: str, cap: int) -> None:
    """A zip member declared larger than `cap` is refused before it is inflated."""
    if info.file_size > cap:
        raise ParseError(
            "A file inside the zip is too large",
            file=f"{file}!{info.filename}",
            value=f"{info.file_size:,} bytes",
            hint=f"The World Bank's files are well under {cap:,} bytes",
        )


def read_member(z: zipfile.ZipFile, name: str, file: str, cap: int = MAX_MEMBER) -> bytes:
    """A zip member's bytes, refused past `cap` without inflating it (a zip bomb, or a wrong file).

    The declared size is checked first; the inflated stream is read in blocks and stopped at
    the cap too, because the declared size can lie.
    """
    info = z.getinfo(name)
    check_member_size(info, file, cap)
    out = bytearray()
    with z.open(info) as fh:
        while block := fh.read(1 << 20):
            out += block
            if len(out) > cap:
                raise ParseError(
                    "A file inside the zip is too large",
                    file=f"{file}!{name}",
                    value=f"over {cap:,} bytes",
                    hint="The zip's declared sizes are wrong",
                )
    return bytes(out)


# --- API v2 JSON ---------------------------------------------------------------------------


def check_page(payload: Any, url: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(meta, rows) of one API page; the HTTP-200 error shape becomes a FetchError."""
    if isinstance(payload, list) and payload and isinstance(payload[0], dict) and "message" in payload[0]:
        msgs = payload[0]["message"] or [{}]
        text = "; ".join(f"{m.get('key', '')}: {m.get('value', '')}".strip(": ") for m in msgs)
        raise FetchError(
            f"World Bank API error: {text}",
            file=url,
            value=msgs[0].get("id"),
            hint="Check the indicator code and the query parameters",
        )
    if not (isinstance(payload, list) and len(payload) == 2 and isinstance(payload[0], dict)):
        raise FetchError(
            "Unexpected World Bank API response shape",
            file=url,
            value=str(payload)[:120],
            hint="Expected a two-element [meta, rows] array",
        )
    rows = payload[1] or []  # a query with no data answers [meta, null]
    if not isinstance(rows, list):
        raise FetchError("API rows are not a list", file=url, value=str(rows)[:120])
    return payload[0], rows


def parse_api_snapshot(doc: Any, file: str) -> ParsedIndicator:
    """An armatlas API snapshot: {code, last_updated, rows: [...], countries: [...]}."""
    if not isinstance(doc, dict) or "rows" not in doc or "countries" not in doc:
        raise LayoutError("Not an armatlas World Bank API snapshot", file=file)
    aggregates = {c.get("id") for c in doc["countries"] if (c.get("region") or {}).get("id") == "NA"} | {
        c.get("iso2Code") for c in doc["countries"] if (c.get("region") or {}).get("id") == "NA"
    }
    out = ParsedIndicator(file, "api_json", doc.get("code", ""), doc.get("name", ""), doc.get("last_updated"))
    for pos, r in enumerate(doc["rows"], start=1):
        if r.get("value") is None:
            continue
        code = r.get("countryiso3code") or (r.get("country") or {}).get("id", "")
        name = (r.get("country") or {}).get("value", "")
        if not out.code:
            out.code, out.name = r["indicator"]["id"], r["indicator"]["value"]
        try:
            year = int(r["date"])
        except (KeyError, TypeError, ValueError):
            raise ParseError("Unreadable API row", file=file, line=pos, value=r) from None
        out.rows.append((name, code, year, number(r.get("value"), file, pos, "value"), pos))
        if code in aggregates or (r.get("country") or {}).get("id") in aggregates:
            out.aggregates.add(code)
    check_rows(out)
    return out


def fetch(
    dest: str | Path | None = None,
    *,
    release: str | None = None,
    progress: Progress | None = None,
    codes: tuple[str, ...] = CODES,
    base_url: str = SOURCE["api"],
    per_page: int = 20000,
    retries: int = 3,
    client: Any = None,
    today: date | None = None,
) -> list[Snapshot]:
    """Download each indicator (all pages) and the country list into an immutable snapshot per
    indicator (the fetch contract of `sources/contract.py`; the API serves the current vintage).

    Written by `write_snapshot` like every other source: `<dest>/worldbank_wdi/<date>[-N]/
    <code>.json` plus `meta.json`, so `armatlas ingest` finds it by its folder.
    """
    from armatlas.sources.contract import current_only

    current_only("The World Bank's indicators API", release)
    for code in codes:  # every code checked before anything is downloaded
        if not re.fullmatch(r"[A-Z0-9.]+", code):
            raise FetchError("Invalid indicator code", value=code)
    return [_fetch_one(code, dest, base_url, per_page, retries, client, today, progress) for code in codes]


def _fetch_one(
    code: str,
    dest: str | Path | None,
    base_url: str,
    per_page: int,
    retries: int,
    client: Any,
    today: date | None,
    progress: Progress | None,
) -> Snapshot:
    from armatlas import config
    from armatlas.sources.snapshot import snapshot_of, write_snapshot

    base = base_url.rstrip("/")
    url = f"{base}/country/all/indicator/{code}"
    retrieved = datetime.now(UTC).isoformat(timespec="seconds")
    meta, rows = _get_all(client, url, per_page, retries, progress)
    _, countries = _get_all(client, f"{base}/country", 400, retries, progress)
    updated = meta.get("lastupdated")
    doc = {
        "code": code,
        "name": rows[0]["indicator"]["value"] if rows else "",
        "last_updated": updated,
        "rows": rows,
        "countries": countries,
        "url": url,
    }
    data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    path = write_snapshot(
        Path(dest) if dest is not None else config.snapshot_root(),
        SOURCE["id"],
        f"{code}.json",
        data,
        {
            "url": url,
            "retrieved_at": retrieved,
            "generated_at": updated,
            "layout": "api_json",
            "publisher": SOURCE["publisher"],
            "dataset": SOURCE["dataset"],
            "licence": SOURCE["licence"],
            "selection": code,
            "citation": SOURCE["citation"].format(code=code, updated=updated or "unknown"),
        },
        today=today,
    )
    return snapshot_of(path)


def _get_all(
    client: Any, url: str, per_page: int, retries: int, progress: Progress | None
) -> tuple[dict[str, Any], list[Any]]:
    rows: list[Any] = []
    meta: dict[str, Any] = {}
    page, pages = 1, 1
    while page <= pages:
        params = {"format": "json", "per_page": per_page, "page": page}
        payload = _get_json(client, url, params, retries, progress)
        meta, part = check_page(payload, url)
        rows.extend(part)
        pages = int(meta.get("pages") or 1)
        page += 1
    return meta, rows


def _get_json(client: Any, url: str, params: dict[str, Any], retries: int, progress: Progress | None) -> Any:
    """One page through the shared downloader (timeouts, retries, size cap)."""
    from armatlas.sources._http import fetch_body

    body = fetch_body(url, params=params, retries=retries, client=client, progress=progress)
    try:
        return json.loads(body.data)
    except ValueError:
        raise FetchError("Response is not JSON", file=url, value=body.data[:80]) from None
