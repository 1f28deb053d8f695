"""SIPRI Arms Transfers Database: every export layout, detected from the file itself."""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from armatlas.errors import TruncatedFileError
from armatlas.sources.sipri_transfers.delivery_years import parse_delivery_years
from armatlas.sources.sipri_transfers.detect import LAYOUTS, HeaderMatch, detect_layout, match_header
from armatlas.sources.sipri_transfers.records import ParsedRegister
from armatlas.sources.sipri_transfers.register import (
    COMMENT_INDEX,
    iter_records,
    parse_plain,
    parse_register,
    plain_columns,
    split_plain,
)
from armatlas.sources.sipri_transfers.text import Preamble, decode, read_preamble
from armatlas.sources.sipri_transfers.tiv_tables import ParsedTivTable, parse_tiv_table

SOURCE = {
    "id": "sipri_arms_transfers",
    "publisher": "Stockholm International Peace Research Institute (SIPRI)",
    "dataset": "SIPRI Arms Transfers Database",
    "homepage": "https://www.sipri.org/databases/armstransfers",
    "licence": "Free to use with citation; armatlas never redistributes the data.",
    "citation": "Source: SIPRI Arms Transfers Database, data generated {generated}.",
}

__all__ = [
    "LAYOUTS",
    "SOURCE",
    "ParsedRegister",
    "ParsedTivTable",
    "RegisterStream",
    "detect_layout",
    "open_register",
    "parse",
    "parse_bytes",
]


def _encoding(path: Path) -> str | None:
    """'utf-8-sig' or 'cp1252' if the whole file decodes so (read in blocks), else None."""
    for enc in ("utf-8-sig", "cp1252"):
        dec = codecs.getincrementaldecoder(enc)()
        try:
            with path.open("rb") as fh:
                first = fh.read(4096)
                if b"\x00" in first or not first.strip():
                    return None
                dec.decode(first)
                while block := fh.read(1 << 23):
                    dec.decode(block)
                dec.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        if enc == "cp1252" and first.startswith(codecs.BOM_UTF8):
            return None
        return enc
    return None


def _raw_text(raw: bytes) -> str | None:
    """Bytes in memory decoded as `_encoding` would decode the file: UTF-8 (BOM dropped), else
    cp1252; None if neither decodes them or they do not look like text."""
    first = raw[:4096]
    if b"\x00" in first or not first.strip():
        return None
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(enc)
        except UnicodeDecodeError:
            continue
        if enc == "cp1252" and first.startswith(codecs.BOM_UTF8):
            return None
        return text
    return None


def _head_text(text: str, lines: int) -> str:
    """A prefix of the text that holds its first `lines` lines whole, to find the header in
    (a reader over all of a 4 MB text costs ~10 ms to set up): up to the (lines + 1)th line
    feed, which ends every kind of line break before it; the whole text if it has fewer."""
    at = 0
    for _ in range(lines + 1):
        at = text.find("\n", at) + 1
        if not at:
            return text
    return text[:at]


@dataclass
class RegisterStream:
    """A web or tidy register read record by record, for ingest in bounded chunks."""

    match: HeaderMatch
    preamble: Preamble
    file: str
    records: Iterator[tuple[int, list[str], bool]]
    handle: TextIO
    plain: tuple[list[int], list[str]] | None = None  # the whole body's records (split_plain)

    def chunks(self, size: int) -> Iterator[ParsedRegister]:
        """ParsedRegisters of up to `size` records each; `offset` is the first one's position."""
        offset = 0
        at = 0  # records of `plain` read so far
        memo: dict[str, dict[Any, Any]] = {}  # cell texts parsed so far, for every chunk
        while True:
            reg = ParsedRegister(self.match.name, self.file, self.preamble, offset=offset)
            if self.plain is not None:
                numbers, lines = self.plain
                m = self.match
                parse_plain(
                    reg,
                    numbers[at : at + size],
                    plain_columns(lines[at : at + size], m.width, m.delimiter),
                    m,
                    memo=memo,
                )
                at += size
            else:
                parse_register(reg, self.records, 0, self.match, limit=size, memo=memo)
            if reg.n_deals == 0 and not reg.rejects:
                if offset == 0:
                    raise TruncatedFileError("The register has a header but no records", file=self.file)
                return
            offset += reg.n_deals
            yield reg

    def close(self) -> None:
        self.handle.close()


def open_register(path: str | Path, raw: bytes | None = None) -> RegisterStream | None:
    """A streaming reader when the file is a web or tidy register in a plain encoding, else None
    (then `parse` reads it whole). `raw`: the file's bytes when the caller holds them; a file up
    to PLAIN_LIMIT is then decoded from them (once), a larger one still streamed from disk."""
    path = Path(path)
    fh: TextIO
    whole: str | None = None  # the decoded text, when the file is read from memory
    if raw is not None and len(raw) <= PLAIN_LIMIT:
        whole = _raw_text(raw)
        if whole is None:
            return None
        fh = io.StringIO(_head_text(whole, 25), newline="")
    else:
        enc = _encoding(path)
        if enc is None:
            return None
        fh = path.open(encoding=enc, newline="")
    head = [ln for ln in (fh.readline() for _ in range(25)) if ln]
    try:
        m = match_header([ln.rstrip("\r\n") for ln in head], str(path))
    except Exception:
        fh.close()
        raise
    if m.name not in ("web_register", "tidy_register"):
        fh.close()
        return None
    h = m.index
    preamble = read_preamble([ln.rstrip("\r\n") for ln in head[:h]])
    semis = head[h].rstrip("\r\n ").endswith(";") and m.delimiter == ","
    comment_at = m.columns[COMMENT_INDEX[len(m.columns)]]
    rest: Iterable[str] = fh
    if whole is not None or (not semis and path.stat().st_size <= PLAIN_LIMIT):
        # Read whole: a plain body (SIPRI's own exports are) is split in one go, not row by row.
        # The head's lines are the text's own (newline=""), so the body is the text after them.
        body = (
            whole[sum(map(len, head[: h + 1])) :] if whole is not None else "".join(head[h + 1 :]) + fh.read()
        )
        plain = None if semis else split_plain(body, h + 2, m.width, m.delimiter)
        if plain is not None:
            return RegisterStream(m, preamble, str(path), iter(()), fh, plain)
        rest, head = io.StringIO(body, newline=""), head[: h + 1]
    records = iter_records(
        itertools.chain(head[h + 1 :], rest), h + 2, m.width, str(path), comment_at, m.delimiter, semis
    )
    return RegisterStream(m, preamble, str(path), records, fh)


PLAIN_LIMIT = 64 << 20  # bytes: a register up to this size is read whole (and tried as plain)


def parse(path: str | Path) -> ParsedRegister | ParsedTivTable:
    """Read any SIPRI arms-transfer export; the layout is detected from its header."""
    path = Path(path)
    return parse_bytes(path.read_bytes(), path.name)


def parse_bytes(raw: bytes, file: str) -> ParsedRegister | ParsedTivTable:
    """Parse export bytes: decode, find the header by its meaning, read the body."""
    text = decode(raw, file)
    lines = [ln.rstrip("\r") for ln in text.split("\n", 25)[:25]]
    m = match_header(lines, file)
    h = m.index
    if lines[h].rstrip().endswith(";") and m.delimiter == ",":
        # A re-save that appended ';' to every line: drop it everywhere before reading.
        text = _TRAILING_SEMICOLON.sub(r"\1", text)
        lines = [ln.rstrip("\r") for ln in text.split("\n", 25)[:25]]
    preamble = read_preamble(lines[:h])
    parts = text.split("\n", h + 1)
    header_line = parts[h].rstrip("\r").removeprefix("\ufeff")
    body = parts[h + 1] if len(parts) > h + 1 else ""
    del text, parts
    first = h + 2  # 1-based line number of the first body line
    if m.layout.first_cell_only:
        table = ParsedTivTable(m.name, _direction(m), file, preamble, country=m.country)
        parse_tiv_table(
            table, next(csv.reader([header_line], delimiter=m.delimiter)), body, first, delimiter=m.delimiter
        )
        return table
    reg = ParsedRegister(m.name, file, preamble)
    if m.name == "delivery_years":
        parse_delivery_years(reg, body, first, m)
    else:
        parse_register(reg, body, first, m)
    return reg


_TRAILING_SEMICOLON = re.compile(r";[ \t]*(\r?)$", re.M)


def _direction(m: HeaderMatch) -> str:
    return "import" if m.name in ("tiv_imports", "tiv_country_imports") else "export"
