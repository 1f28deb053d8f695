"""Read a SIPRI export as text: decode cp1252 (or UTF-8 re-saves) and split off the preamble."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from armatlas.errors import EncodingError, TruncatedFileError

# SIPRI's web exports are cp1252 ("Wärtsilä" is byte 0xE4); a user who re-saved the file in
# a spreadsheet may hand us UTF-8, which we accept. Anything else is an encoding error.
# 'Data generated: 18 May 2026 2:29:20 PM' (new site), 'Generated: 05 December 2018' (old site);
# 'Generated on …' and a missing colon are read the same.
_GENERATED = re.compile(r"^(?:Data )?generated(?:\s+on)?\s*:?\s+(.+?)\s*$", re.I)
_WEEKDAY = re.compile(r"^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)
# The publisher's stamp forms first (12-hour clock), then a 24-hour clock, ISO dates and US order.
_STAMPS = (
    "%d %b %Y %I:%M:%S %p",
    "%d %B %Y %I:%M:%S %p",
    "%d %b %Y",
    "%d %B %Y",
    "%d %b %Y %H:%M:%S",
    "%d %B %Y %H:%M:%S",
    "%d %b %Y %H:%M",
    "%d %B %Y %H:%M",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d, %Y %I:%M:%S %p",
    "%B %d, %Y %I:%M:%S %p",
)
# The old site's title line: "TIV of arms exports from Israel, 1950-2021".
_OLD_TITLE = re.compile(r"TIV of arms (exports|imports) (to|from) (.+?),\s*(\d{4})\s*-\s*(\d{4})", re.I)
_SCOPE = re.compile(
    r"from (.+?)\s+to (.+?)\s*\.\s*Deals with (.+?) for (?:the )?year range '([^']*)' to '([^']*)'"
)


@dataclass(frozen=True)
class Preamble:
    """The note lines above the header row, with what we read from them."""

    lines: tuple[str, ...]
    generated_at: datetime | None
    suppliers_scope: str | None
    recipients_scope: str | None
    selection: str | None
    year_from: str | None
    year_to: str | None


def decode(raw: bytes, file: Path | str) -> str:
    """Decode export bytes: UTF-8 (BOM or not), UTF-16 with its BOM, else cp1252; others refused."""
    if not raw.strip():
        raise TruncatedFileError("The file is empty", file=file, hint="Download it again.")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode Text" save: UTF-16 with its BOM
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise EncodingError(
                f"Not valid UTF-16 at byte {exc.start}",
                file=file,
                hint="The file starts as UTF-16 text but is damaged; save or download it again.",
            ) from None
    if b"\x00" in raw[:4096]:
        raise EncodingError(
            "The file contains NUL bytes (UTF-16 without its BOM, or binary?), not a SIPRI CSV export",
            file=file,
            hint="Export the data again as CSV from SIPRI, or save it as UTF-8/Windows-1252 text.",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise EncodingError(
            f"Byte 0x{raw[exc.start]:02X} at character {col} is neither UTF-8 nor Windows-1252",
            file=file,
            line=line,
            value=raw[max(0, exc.start - 20) : exc.start + 20].decode("latin-1"),
            hint="The file is not a SIPRI export in a known text encoding.",
        ) from None


def _note(line: str) -> str:
    """A preamble line as text: the empty cells a spreadsheet pads it with and quotes removed."""
    line = line.strip()
    if line.startswith('"'):  # a spreadsheet that quotes every cell: '"Generated: …","",""'
        for delimiter in (",", ";", "\t"):
            cells = next(csv.reader([line], delimiter=delimiter), [])
            text = [c.strip() for c in cells if c.strip()]
            if len(cells) > 1 and len(text) == 1:
                return text[0]
    line = line.rstrip(",;\t").strip()
    if len(line) > 1 and line[0] == '"' and line[-1] == '"':
        line = line[1:-1].replace('""', '"')
    return line


def read_preamble(lines: list[str]) -> Preamble:
    lines = [_note(ln) for ln in lines]
    generated = None
    scope = None
    for line in lines:
        m = _OLD_TITLE.search(line)
        if m and scope is None:
            return _old_site(lines, m)
        m = _GENERATED.search(line)
        if m:
            generated = _parse_stamp(m.group(1))
        m = _SCOPE.search(line)
        if m and scope is None:
            scope = m
    return Preamble(
        lines=tuple(lines),
        generated_at=generated,
        suppliers_scope=scope.group(1).strip() if scope else None,
        recipients_scope=scope.group(2).strip() if scope else None,
        selection=scope.group(3).strip() if scope else None,
        year_from=scope.group(4) if scope else None,
        year_to=scope.group(5) if scope else None,
    )


def _old_site(lines: list[str], title: re.Match[str]) -> Preamble:
    """Old-site tables: scope from the title, date from the 'Generated:' line."""
    generated = None
    for line in lines:
        m = _GENERATED.search(line)
        if m:
            generated = _parse_stamp(m.group(1))
    flow, prep, who = title.group(1).lower(), title.group(2).lower(), title.group(3).strip()
    who = "All countries" if who.lower() in ("all", "all countries") else who
    # "exports to X" / "imports to X": X receives; "exports from X": X supplies.
    suppliers, recipients = ("All countries", who) if prep == "to" else (who, "All countries")
    return Preamble(
        lines=tuple(lines),
        generated_at=generated,
        suppliers_scope=suppliers,
        recipients_scope=recipients,
        selection=f"{flow}",
        year_from=title.group(4),
        year_to=title.group(5),
    )


def _parse_stamp(text: str) -> datetime | None:
    """The publisher's generation stamp in any of the forms in `_STAMPS`, a weekday before it aside."""
    text = _WEEKDAY.sub("", " ".join(text.split()))
    for fmt in _STAMPS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None
