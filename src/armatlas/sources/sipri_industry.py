"""SIPRI Arms Industry Database: the Top 100 workbook, every yearly sheet, faithfully.

One sheet per year (newest first), a few title lines, a header row that starts with `Rank`,
then one row per company and the sheet's footnotes (`a`, `b`, ... with their text). Columns
move between editions (2002 has no previous-year rank; 2018 adds `Notes`; newer editions say
"arms revenue" where older ones say "arms sales"), so every column is recognised by the words
and years of its header, never by position.

Cells keep SIPRI's meaning:
- `S` in the rank column: a subsidiary, listed under its parent's name in brackets
  ("BAE Systems Inc. (BAE Systems UK)") and not counted among the 100;
- `-`/`–` as the previous rank: not in the Top 100 the year before;
- `. .` is "data not available" -> NULL, and the field is named in `unavailable`;
- arms sales and total sales are US$ millions at current prices, the share is the per cent
  the workbook prints, the constant-price column is in the base year its header names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from armatlas.errors import LayoutError, ParseError
from armatlas.sources._xlsx import fetch_xlsx, open_workbook

if TYPE_CHECKING:
    from armatlas.sources._http import Progress
    from armatlas.sources.snapshot import Snapshot

SOURCE = {
    "id": "sipri_arms_industry",
    "publisher": "Stockholm International Peace Research Institute (SIPRI)",
    "dataset": "SIPRI Arms Industry Database (Top 100)",
    "homepage": "https://www.sipri.org/databases/armsindustry",
    # The workbook is linked from the homepage; its name changes every December
    # (SIPRI-Top-100-2002-2018_0.xlsx, ...-2002-2024.xlsx), so fetch() reads the link there.
    "link_pattern": r"""href=["']([^"']*SIPRI-Top-100-(\d{4})-(\d{4})[^"']*\.xlsx)["']""",
    "licence": "Free to use with citation; armatlas never redistributes the data.",
    "citation": "Source: SIPRI Arms Industry Database, {release}.",
}

MISSING = {". .", "..", "...", ". . ."}
NOT_RANKED = {"-", "–", "—", "n.a.", ""}
SUBSIDIARY = "S"
COLUMNS = (
    "year",
    "sheet",
    "src_row",
    "rank",
    "rank_prev",
    "rank_prev_text",
    "subsidiary",
    "company",
    "notes",
    "country",
    "arms_sales",
    "arms_sales_prev",
    "total_sales",
    "arms_share_pct",
    "arms_sales_const",
    "const_base_year",
    "unavailable",
)
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")
_FOOTNOTE_MARK = re.compile(r"^[a-z]{1,2}$")


@dataclass
class ParsedIndustry:
    """Every company row of every yearly sheet, as columns, plus footnotes and what was skipped."""

    file: str
    modified: datetime | None
    retrieved: str | None = None  # "retrieved December 2019" from the sheets' source line
    sheets: dict[str, int] = field(default_factory=dict)  # sheet name -> year
    skipped_sheets: dict[str, str] = field(default_factory=dict)  # sheet name -> why
    footnotes: list[tuple[int, str, str]] = field(default_factory=list)  # (year, mark or 'title', text)
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)
    slips: list[str] = field(default_factory=list)  # publisher slips read by a recorded rule
    cols: dict[str, list[Any]] = field(default_factory=lambda: {c: [] for c in COLUMNS})

    @property
    def years(self) -> list[int]:
        return sorted(set(self.sheets.values()))

    @property
    def release(self) -> str:
        """Coverage read from the sheets, e.g. '2002-2018' (the file name may lie)."""
        ys = self.years
        return f"{ys[0]}-{ys[-1]}" if ys else "empty"

    def rows(self) -> list[dict[str, Any]]:
        return [
            dict(zip(COLUMNS, r, strict=True)) for r in zip(*(self.cols[c] for c in COLUMNS), strict=True)
        ]


@dataclass(frozen=True)
class _Header:
    row: int
    year: int
    index: dict[str, int]
    base_year: int | None
    ignored: list[str]


def is_top100(path: str | Path) -> bool:
    """Whether a workbook is a SIPRI Top 100 one: by its name, else by its first sheets' cells."""
    path = Path(path)
    if re.search(r"top[-_ ]?100", path.name, re.I) or path.parent.name == SOURCE["id"]:
        return True
    from armatlas.errors import LayoutError
    from armatlas.sources._xlsx import open_workbook

    try:
        wb = open_workbook(path, "")  # the shared opener keeps openpyxl's warnings quiet
    except LayoutError:  # not a workbook at all: the other parsers say why
        return False
    try:
        for ws in wb.worksheets[:3]:
            for row in ws.iter_rows(values_only=True, max_row=6, max_col=1):
                text = _str(row[0]).lower() if row else ""
                if "top 100 arms-producing" in text or re.match(r"rank \((19|20)\d\d\)", text):
                    return True
    finally:
        wb.close()
    return False


def parse(path: str | Path) -> ParsedIndustry:
    """Read every yearly sheet of a SIPRI Top 100 workbook (any edition)."""
    path = Path(path)
    wb = open_workbook(path, SOURCE["homepage"])
    try:
        out = ParsedIndustry(path.name, wb.properties.modified)
        for ws in wb.worksheets:
            _parse_sheet(ws, out)
    finally:
        wb.close()
    _fill_base_year(out)
    if not out.sheets:
        raise LayoutError(
            "No yearly Top 100 sheet found (a header row starting with 'Rank (YEAR)')",
            file=out.file,
            value=list(out.skipped_sheets),
            hint="Is this the SIPRI Top 100 workbook? SIPRI may have changed its layout",
        )
    return out


def _fill_base_year(out: ParsedIndustry) -> None:
    """The base year's own sheet has no constant-price column: its figures are at those prices."""
    bases = {b for b in out.cols["const_base_year"] if b is not None}
    if len(bases) != 1:
        return
    base = bases.pop()
    c = out.cols
    for i, y in enumerate(c["year"]):
        if y == base and c["arms_sales_const"][i] is None and c["arms_sales"][i] is not None:
            c["arms_sales_const"][i] = c["arms_sales"][i]
            c["const_base_year"][i] = base


def _parse_sheet(ws: Any, out: ParsedIndustry) -> None:
    """Append one sheet's company rows and footnotes, or record why the sheet was skipped."""
    rows = ws.iter_rows(values_only=True, max_col=30)  # some sheets claim 16,383 used columns
    title = ""
    header: _Header | None = None
    for n, row in enumerate(rows, 1):
        first = _str(row[0]) if row else ""
        if first.lower().startswith("rank"):
            header = _header(row, n, ws.title, out.file)
            break
        if first:
            title += " " + first
            if m := re.search(r"retrieved\s+(\w+\s+\d{4})", first, re.I):
                out.retrieved = m.group(1)
        if n > 20:
            break
    yearly = "top 100" in title.lower() or ws.title.strip() == (str(header.year) if header else "")
    if header is None or not yearly:
        out.skipped_sheets[ws.title] = (
            "no 'Rank (YEAR)' header row"
            if header is None
            else "no SIPRI title and not named after its year (a derived copy)"
        )
        return
    if header.year in out.sheets.values():
        out.skipped_sheets[ws.title] = f"a second sheet for {header.year}"
        return
    out.sheets[ws.title] = header.year
    # The title's own scope, e.g. "(excluding China)": kept as the sheet's note 'title', so an
    # answer about an excluded country says so instead of "no company".
    out.footnotes.append((header.year, "title", " ".join(title.split())))
    if header.ignored:
        out.ignored_columns[ws.title] = header.ignored
    for n, row in enumerate(rows, header.row + 1):
        _parse_row(row, n, ws.title, header, out)


def _header(row: tuple, n: int, sheet: str, file: str) -> _Header:
    """Which column holds what, from the header's words and years."""
    texts = [" ".join(_str(v).lower().split()) for v in row]
    rank_years = [int(y) for y in _YEAR.findall(texts[0])]
    if not rank_years:
        raise LayoutError("Rank header without a year", file=file, line=n, column=sheet, value=row[0])
    year = rank_years[0]
    index: dict[str, int] = {}
    base_year = None
    ignored = []
    for i, t in enumerate(texts):
        years = [int(y) for y in _YEAR.findall(t)]
        key = _classify(t, years, year)
        if key == "arms_sales_const":
            after = [int(y) for y in _YEAR.findall(t.split("constant", 1)[1])]
            base_year = after[0] if after else None
        if key and key not in index:
            index[key] = i
        elif t and not key:
            ignored.append(_str(row[i]))
    for need in ("rank", "company", "country", "arms_sales"):
        if need not in index:
            raise LayoutError(
                f"Header row has no {need!r} column",
                file=file,
                line=n,
                column=sheet,
                value=[_str(v) for v in row if v is not None],
                hint="SIPRI may have renamed a column; extend sipri_industry._classify()",
            )
    return _Header(n, year, index, base_year, ignored)


def _classify(t: str, years: list[int], year: int) -> str | None:
    """Field name of one header cell, or None for a column armatlas does not read."""
    if not t:
        return None
    this, prev = year in years, (year - 1) in years and year not in years
    if t.startswith("rank"):
        return "rank" if this else "rank_prev" if prev else None
    if t.startswith("company"):
        return "company"
    if t.startswith("note"):
        return "notes"
    if t.startswith("country"):
        return "country"
    if "change" in t:  # newer editions: "Change in arms revenue, 2023-24 (%)": derived, not read
        return None
    arms = "arms sales" in t or "arms revenue" in t
    if arms and ("%" in t or "share" in t):
        return "arms_share_pct"
    if arms and "constant" in t:
        return "arms_sales_const" if years and years[0] == year else None
    if arms:
        return "arms_sales" if this else "arms_sales_prev" if prev else None
    if ("total sales" in t or "total revenue" in t) and this:
        return "total_sales"
    return None


def _parse_row(row: tuple, n: int, sheet: str, h: _Header, out: ParsedIndustry) -> None:
    first = _str(row[0]) if row else ""
    company = _cell(row, h.index["company"])
    if _FOOTNOTE_MARK.match(first) and len(row) > 1 and isinstance(row[1], str) and len(row[1]) > 20:
        out.footnotes.append((h.year, first, " ".join(row[1].split())))
        return
    if not company or first.lower().startswith("footnote"):
        return
    rank, subsidiary = _rank(row[0], n, sheet, out.file)
    if rank == 0 and "(" in _str(company):
        # SIPRI slip (2002, 2005, 2006, 2008): a subsidiary, named with its parent in
        # brackets, carries rank 0 instead of 'S'; ranks start at 1.
        rank, subsidiary = None, True
        out.slips.append(f"{sheet!r} row {n}: rank 0 of {_str(company)!r} read as 'S' (subsidiary)")
    if rank is None and not subsidiary:
        return  # a stray cell below the table
    unavailable: list[str] = []
    vals = {
        k: _number(row, h.index.get(k), k, n, sheet, out.file, unavailable)
        for k in ("arms_sales", "arms_sales_prev", "total_sales", "arms_share_pct", "arms_sales_const")
    }
    prev_i = h.index.get("rank_prev")
    prev_raw = _cell(row, prev_i) if prev_i is not None else None
    rank_prev = (
        int(prev_raw) if isinstance(prev_raw, (int, float)) and not isinstance(prev_raw, bool) else None
    )
    if rank_prev == 0:  # the same slip in the previous-rank column
        rank_prev, prev_raw = None, SUBSIDIARY
    c = out.cols
    c["year"].append(h.year)
    c["sheet"].append(sheet)
    c["src_row"].append(n)
    c["rank"].append(rank)
    c["rank_prev"].append(rank_prev)
    c["rank_prev_text"].append(None if rank_prev is not None or prev_raw is None else _str(prev_raw))
    c["subsidiary"].append(subsidiary)
    c["company"].append(" ".join(_str(company).split()))
    c["notes"].append(_str(_cell(row, h.index.get("notes"))) or None)
    c["country"].append(_str(_cell(row, h.index["country"])) or None)
    for k, v in vals.items():
        c[k].append(v)
    c["const_base_year"].append(h.base_year if vals["arms_sales_const"] is not None else None)
    c["unavailable"].append(",".join(unavailable) or None)


def _rank(v: Any, n: int, sheet: str, file: str) -> tuple[int | None, bool]:
    if isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
        return int(v), False
    s = _str(v)
    if s == SUBSIDIARY:
        return None, True
    if s.isdigit():
        return int(s), False
    if not s:
        return None, False
    raise ParseError(
        "Unexpected rank",
        file=file,
        line=n,
        column=f"{sheet}!Rank",
        value=v,
        hint="Expected a number or 'S' (subsidiary)",
    )


def _number(
    row: tuple, i: int | None, name: str, n: int, sheet: str, file: str, unavailable: list[str]
) -> float | None:
    """A figure, or None for an empty cell or `. .` (then named in `unavailable`)."""
    v = _cell(row, i) if i is not None else None
    if v is None:
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if v < 0:
            raise ParseError("Negative figure", file=file, line=n, column=f"{sheet}!{name}", value=v)
        return float(v)
    s = _str(v)
    if s in MISSING:
        unavailable.append(name)
        return None
    if s in NOT_RANKED:
        return None
    try:
        return float(s.replace(",", ""))
    except ValueError:
        raise ParseError(
            "Unexpected text in a figure cell",
            file=file,
            line=n,
            column=f"{sheet}!{name}",
            value=v,
            hint="Expected a number or '. .' (not available)",
        ) from None


def _cell(row: tuple, i: int | None) -> Any:
    return row[i] if i is not None and i < len(row) else None


def _str(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


# -- fetch -------------------------------------------------------------------------------------
def newest_link(html: str, base: str, release: str | None = None) -> str:
    """Address of the newest Top 100 workbook linked from SIPRI's page (largest end year), or of
    the one whose years are `release` (`2002-2018`)."""
    from urllib.parse import urljoin

    found = [
        (int(m.group(3)), m.group(1))
        for m in re.finditer(SOURCE["link_pattern"], html)
        if release is None or f"{m.group(2)}-{m.group(3)}" == release
    ]
    if not found:
        raise ParseError(
            "No Top 100 workbook linked from the page" + (f" for {release}" if release else ""),
            file=base,
            value=release,
            hint="SIPRI may have moved the file; pass --industry-url with the workbook address",
        )
    return urljoin(base, max(found)[1])


def fetch(
    dest: str | Path | None = None,
    *,
    release: str | None = None,
    progress: Progress | None = None,
    url: str | None = None,
    page: str | None = None,
    today: date | None = None,
    **kw: Any,
) -> list[Snapshot]:
    """Download a workbook into a snapshot (the fetch contract of `sources/contract.py`); without
    `url`, the address is the newest workbook linked from SIPRI's page, or the one covering the
    years `release` names (`2002-2018`)."""
    from armatlas.sources._http import fetch_body

    if url is None:
        page = page or SOURCE["homepage"]
        url = newest_link(fetch_body(page, **kw).data.decode("utf-8", "replace"), page, release)
    return fetch_xlsx(
        SOURCE, url, dest, default_name="sipri-top-100.xlsx", today=today, progress=progress, **kw
    )
