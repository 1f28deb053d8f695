"""World Bank files of many indicators: the bulk WDI download's `WDIData.csv` / `WDICSV.csv`
(every indicator, every economy: ~400,000 rows, ~250 MB) and DataBank exports of several series.

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
import itertools
import re
from collections.abc import Collection
from pathlib import Path

from armatlas.errors import EncodingError, LayoutError
from armatlas.sources import worldbank
from armatlas.sources._numbers import sniff_delimiter

LAYOUT = "multi_indicator_csv"
# The bulk download's data file, by its names over the years.
_BULK_NAME = re.compile(r"^(WDIData|WDICSV)\.csv$", re.I)
HEAD = 1 << 20  # bytes read to tell a file of many indicators by its rows


def is_multi_indicator(path: Path) -> bool:
    """A World Bank indicator CSV (by its header) that is the bulk data file or whose first
    rows hold two indicators or more."""
    if path.suffix.lower() not in (".csv", ".txt") or path.name.startswith("Metadata_"):
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(HEAD)
    except OSError:
        return False
    if not worldbank.is_indicator_csv(head):
        return False
    return bool(_BULK_NAME.match(path.name)) or len(worldbank.indicator_codes(head)) > 1


def parse_multi(
    path: Path, wanted: Collection[str] = worldbank.USED
) -> tuple[list[worldbank.ParsedIndicator], set[str]]:
    """The wanted indicators of a file of many, and the codes of the others (not read)."""
    meta_paths = worldbank.find_metadata(path)
    meta = worldbank.load_metadata(meta_paths)
    try:
        with path.open(encoding=_encoding(path), newline="") as fh:
            head = list(itertools.islice(fh, 10))
            header = next((ln for ln in head if "country" in ln.lower() and "code" in ln.lower()), "")
            delimiter = sniff_delimiter(header)
            rows = csv.reader(itertools.chain(head, fh), delimiter=delimiter)
            found, unread = worldbank.read_indicators(
                rows,
                path.name,
                delimiter,
                meta,
                ",".join(p.name for p in meta_paths) or None,
                wanted=frozenset(wanted),
                layout=LAYOUT,
            )
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
