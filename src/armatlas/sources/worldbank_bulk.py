"""World Bank files of many indicators: the bulk WDI download's `WDIData.csv` / `WDICSV.csv`
(every indicator, every economy: ~400,000 rows, ~250 MB), also inside its zip (`WDI_CSV.zip`,
read as it is), and DataBank exports of several series.

Read as a stream: only the rows of the indicators armatlas uses (`worldbank.USED`, by code)
are kept, one `ParsedIndicator` each; every other row is parsed and dropped as it goes by, so
memory follows the indicators kept, not the file. Countries are told from aggregates by the
`WDICountry.csv` (or a `Metadata_Country_*` file) beside it, else as `worldbank.parse` does
without metadata. The layout is the same header as the one-indicator files (`worldbank._header`
reads it); the bulk file has no `Last Updated Date` line, so its release is named by content.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Collection
from pathlib import Path
from typing import IO

from armatlas.errors import EncodingError, LayoutError, ParseError
from armatlas.sources import worldbank
from armatlas.sources._numbers import sniff_delimiter

LAYOUT = "multi_indicator_csv"
# The bulk download's data file, by its names over the years.
_BULK_NAME = re.compile(r"^(WDIData|WDICSV)\.csv$", re.I)
HEAD = 1 << 20  # bytes read to tell a file of many indicators by its rows
MAX_DATA = 4 << 30  # a zipped data file declared larger is refused (the real one is ~0.3 GB)


def is_multi_indicator(path: Path) -> bool:
    """A World Bank indicator CSV (by its header) that is the bulk data file or whose first
    rows hold two indicators or more; or the bulk download's zip (`WDI_CSV.zip`: a
    `WDIData.csv`/`WDICSV.csv` inside)."""
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as z:
                return _data_member(z) is not None
        except (OSError, zipfile.BadZipFile):
            return False
    if path.suffix.lower() not in (".csv", ".txt") or path.name.startswith("Metadata_"):
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(8192)  # what is_indicator_csv reads: a register ingest pays no more
            if not worldbank.is_indicator_csv(head):
                return False
            head += fh.read(HEAD - len(head))
    except OSError:
        return False
    return bool(_BULK_NAME.match(path.name)) or len(worldbank.indicator_codes(head)) > 1


def is_indicator_file(path: Path) -> bool:
    """Any World Bank indicator file by its content, whatever its name: a CSV whose header is an
    indicator file's (one indicator or many: the pre-2017 `ny.gdp.mktp.cd_Indicator_en_csv_v2.csv`,
    a DataBank `Data.csv`, WDIData.csv), or the bulk download's zip."""
    if path.suffix.lower() == ".zip":
        return is_multi_indicator(path)
    if path.suffix.lower() not in (".csv", ".txt") or path.name.startswith("Metadata_"):
        return False
    try:
        with path.open("rb") as fh:
            return worldbank.is_indicator_csv(fh.read(8192))
    except OSError:
        return False


def parse_multi(
    path: Path, wanted: Collection[str] = worldbank.USED
) -> tuple[list[worldbank.ParsedIndicator], set[str]]:
    """The wanted indicators of a file of many, and the codes of the others (not read)."""
    if path.suffix.lower() == ".zip":
        found, unread = _parse_zip(path, frozenset(wanted))
    else:
        meta_paths = worldbank.find_metadata(path)
        meta = worldbank.load_metadata(meta_paths)
        meta_names = ",".join(p.name for p in meta_paths) or None
        try:
            with path.open(encoding=_encoding(path), newline="") as fh:
                found, unread = _read(fh, path.name, meta, meta_names, frozenset(wanted))
        except UnicodeDecodeError as exc:  # a byte Windows-1252 leaves undefined (0x81, 0x8D ...)
            raise EncodingError(
                f"Neither UTF-8 nor Windows-1252: {exc.reason}",
                file=path.name,
                hint="Download the file again from the World Bank",
            ) from None
    if not found:
        raise LayoutError(
            "None of the indicators armatlas reads is in the file",
            file=path.name,
            value=", ".join(sorted(unread)[:10]) + (" ..." if len(unread) > 10 else ""),
            hint="armatlas reads " + ", ".join(wanted),
        )
    return found, unread


def _read(
    fh: IO[str],
    file: str,
    meta: dict[str, worldbank.CountryMeta] | None,
    meta_names: str | None,
    wanted: frozenset[str],
) -> tuple[list[worldbank.ParsedIndicator], set[str]]:
    """The rows of an open text stream, the delimiter sniffed from its header line."""
    head = list(itertools.islice(fh, 10))
    header = next((ln for ln in head if "country" in ln.lower() and "code" in ln.lower()), "")
    delimiter = sniff_delimiter(header)
    rows = csv.reader(itertools.chain(head, fh), delimiter=delimiter)
    return worldbank.read_indicators(rows, file, delimiter, meta, meta_names, wanted=wanted, layout=LAYOUT)


def _data_member(z: zipfile.ZipFile) -> zipfile.ZipInfo | None:
    return next((i for i in z.infolist() if _BULK_NAME.match(i.filename.rsplit("/", 1)[-1])), None)


def _parse_zip(path: Path, wanted: frozenset[str]) -> tuple[list[worldbank.ParsedIndicator], set[str]]:
    """The bulk download's zip read as it is: its data file streamed out of the zip (never
    inflated whole), countries from its `WDICountry.csv` (or a `Metadata_Country_*` member)."""
    try:
        with zipfile.ZipFile(path) as z:
            info = _data_member(z)
            if info is None:
                raise LayoutError(
                    "No WDIData.csv or WDICSV.csv in the zip", file=path.name, value=z.namelist()[:10]
                )
            worldbank.check_member_size(info, path.name, MAX_DATA)  # the stream stops there too
            metas = [
                i.filename
                for i in z.infolist()
                if i.filename.rsplit("/", 1)[-1].lower() == "wdicountry.csv"
                or i.filename.rsplit("/", 1)[-1].startswith("Metadata_Country_")
            ][:1]
            meta = None
            if metas:
                meta = worldbank.read_country_metadata(
                    worldbank.read_member(z, metas[0], path.name), metas[0]
                )
            file = f"{path.name}!{info.filename}"
            with z.open(info) as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as fh:
                return _read(fh, file, meta, metas[0] if metas else None, wanted)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            f"Not UTF-8: {exc.reason}", file=path.name, hint="Download the zip again"
        ) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise ParseError(
            f"The zip file is damaged: {exc}",
            file=path.name,
            hint="Download it again from data.worldbank.org",
        ) from None


def file_sha256(path: Path) -> str:
    """The file's sha256, read in blocks."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def member_sha256(file_sha: str, code: str) -> str:
    """A stable identity for one indicator of a multi-indicator file (the store keeps one
    snapshot per indicator, each with its own sha256)."""
    return hashlib.sha256(f"{file_sha}#{code}".encode()).hexdigest()


def _encoding(path: Path) -> str:
    """UTF-8 (with or without its BOM) as the World Bank serves it; Windows-1252 from a
    spreadsheet re-save without a BOM. Checked over the whole file in blocks."""
    with path.open("rb") as fh:
        bom = fh.read(3) == codecs.BOM_UTF8
        fh.seek(0)
        dec = codecs.getincrementaldecoder("utf-8")()
        offset = 0
        try:
            while block := fh.read(1 << 22):
                dec.decode(block)
                offset += len(block)
            dec.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            if bom:
                raise EncodingError(
                    f"Not UTF-8: {exc.reason}", file=path.name, value=offset + exc.start
                ) from None
            return "cp1252"
    return "utf-8-sig"
