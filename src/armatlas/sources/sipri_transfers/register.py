"""Parse the trade-register layouts that list delivery years but not per-year numbers.

Two layouts: the web export (16 columns, three unnamed `?` flag columns) and the 13-column
"tidy" variant without preamble or flags. Per-year deliveries are not in these files, so
they are split by the measured rule in `split.py` and marked `allocation = "estimated"`;
the store replaces them with a publisher's exact per-year rows for the same deal where it has
them (`store/allocation.py`). The per-year TIV of a deal always adds up to its delivered TIV.
"""

from __future__ import annotations

import bisect
import csv
import io
import itertools
import operator
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from armatlas.errors import ParseError, TruncatedFileError
from armatlas.sources.sipri_transfers.cells import CellReader
from armatlas.sources.sipri_transfers.detect import HeaderMatch
from armatlas.sources.sipri_transfers.records import (
    DEAL_COLUMNS,
    DELIVERY_COLUMNS,
    ParsedRegister,
    is_licensed_comment,
    is_second_hand,
)
from armatlas.sources.sipri_transfers.split import split_columns, split_deal
from armatlas.sources.sipri_transfers.uncertain import bracketed, bracketed_years

WEB_WIDTH = 16
_MISS: Any = object()  # cache sentinel: None is a parsed value


def _memo(cache: dict[str, Any], text: str, parse: Any, line: int, column: str) -> Any:
    """Parse a cell text once per distinct text; only successful parses are remembered, so a
    bad cell still fails at its own line and column."""
    value = cache.get(text, _MISS)
    if value is _MISS:
        value = cache[text] = parse(text, line, column)
    return value


TIDY_WIDTH = 13
# Where Comments sits among each layout's canonical columns, by width (read by the chunked ingest too).
COMMENT_INDEX = {WEB_WIDTH: 12, TIDY_WIDTH: 9}


def iter_records(
    body: str | Iterable[str],
    first_line: int,
    width: int,
    file: str,
    comment_at: int | None = None,
    delimiter: str = ",",
    semicolons: bool = False,
) -> Iterator[tuple[int, list[str], bool]]:
    """Yield (line, cells, rejoined) per record, re-joining records split by raw line breaks.

    SIPRI does not quote Comments, so a line break inside one splits the record: the first
    part has too few cells, or (in the tidy variant, padded by its author) the next line is a
    fragment with an empty Recipient that carries the rest of the record.
    """
    lines = io.StringIO(body) if isinstance(body, str) else body
    if semicolons:  # a re-save that appended ';' to every line
        lines = (_strip_semicolon(ln) for ln in lines)
    reader = csv.reader(lines, delimiter=delimiter)
    pending: list[str] | None = None
    pending_line = 0
    rejoined = False
    if comment_at is None:
        comment_at = COMMENT_INDEX[width]
    for row in reader:
        line = first_line + reader.line_num - 1
        # A row is blank when no cell has a non-space character (joined: one C call, not a
        # generator per row).
        if not row or not (row[0].strip() or "".join(row).strip()):
            continue
        if pending is not None and len(pending) < width:
            pending[-1] = pending[-1] + " " + row[0]
            pending.extend(row[1:])
            rejoined = True
        elif pending is not None and row[0] == "" and len(row) == width:
            tail = pending[comment_at + 1 :]
            if any(c.strip() for c in tail):
                raise ParseError(
                    "A line without Recipient follows a complete record",
                    file=file,
                    line=line,
                    column="Recipient",
                    value=",".join(row)[:200],
                )
            pending = pending[:comment_at] + [pending[comment_at] + " " + row[0]] + row[1:]
            pending = pending[:width]
            rejoined = True
        else:
            if pending is not None:
                yield pending_line, pending, rejoined
            pending, pending_line, rejoined = row, line, False
        if len(pending) > width:
            raise ParseError(
                f"Record has {len(pending)} cells, expected {width}",
                file=file,
                line=pending_line,
                value=",".join(pending)[:200],
                hint="An unquoted comma or a damaged file; export the register again.",
            )
    if pending is not None:
        if len(pending) < width:
            raise TruncatedFileError(
                f"The file ends in the middle of a record ({len(pending)} of {width} cells)",
                file=file,
                line=pending_line,
                value=",".join(pending)[:200],
                hint="The download was probably cut off; fetch or export it again.",
            )
        yield pending_line, pending, rejoined


def _strip_semicolon(line: str) -> str:
    end = len(line.rstrip("\r\n"))
    head = line[:end].rstrip(" \t")
    return head[:-1] + line[end:] if head.endswith(";") else line


def parse_register(
    reg: ParsedRegister,
    body: str | Iterator[tuple[int, list[str], bool]],
    first_line: int,
    m: HeaderMatch,
    limit: int | None = None,
    base: int = 0,
    memo: dict[str, dict[Any, Any]] | None = None,
) -> None:
    """Fill `reg` from the register body (the lines after the header), or from up to `limit`
    records of a shared record iterator (chunked ingest; deal indexes start at `base`; `memo`:
    the cell texts the file's earlier chunks parsed)."""
    cells = CellReader(reg.file, m.delimiter)
    web = len(m.columns) == WEB_WIDTH
    comment_at = m.columns[COMMENT_INDEX[len(m.columns)]]
    # Columns in another order, renamed or with extras: pick each field from its own column.
    cols = None if m.identity else m.columns
    # Rows are collected as tuples and transposed once at the end (no per-cell list appends);
    # repeated cell texts (years, counts, TIVs, flags) are parsed once each via dict caches.
    # A cache holds only texts that parsed, and parsing does not depend on the column, so a
    # bad cell still fails at its own line and column.
    deal_rows: list[tuple[Any, ...]] = []
    deliv_rows: list[tuple[Any, ...]] = []
    add_row, add_deliv = deal_rows.append, deliv_rows.append
    base = base or reg.n_deals
    ints: dict[str, int | None] = {}
    floats: dict[str, float | None] = {}
    year_sets: dict[str, list[int]] = {}
    flags: dict[str, bool] = {}
    licensed_cache: dict[str, bool] = {}
    second_hand_cache: dict[str, bool] = {}
    caches = (ints, floats, year_sets, flags, licensed_cache, second_hand_cache)

    records = (
        iter_records(body, first_line, m.width, reg.file, comment_at, m.delimiter)
        if isinstance(body, str)
        else body
    )
    batch = list(records if limit is None else itertools.islice(records, limit))
    if not batch and limit is None:
        raise TruncatedFileError("The register has a header but no records", file=reg.file, line=first_line)
    if _parse_columns(reg, batch, cols, web, cells, base, memo):
        return
    for line, row, rejoined in batch:
        if cols is not None:
            row = [row[i] if i is not None else "" for i in cols]
        try:
            parsed = _parse_row(row, line, rejoined, web, cells, caches, base + len(deal_rows))
        except ParseError as exc:
            reg.rejects.append((line, exc.column, exc.value, exc.message, row))
            continue
        add_row(parsed[0])
        for dv in parsed[1]:
            add_deliv(dv)
    if deal_rows:
        for col, values in zip(DEAL_COLUMNS, zip(*deal_rows, strict=True), strict=True):
            reg.deals[col].extend(values)
    if deliv_rows:
        for col, values in zip(DELIVERY_COLUMNS, zip(*deliv_rows, strict=True), strict=True):
            reg.deliveries[col].extend(values)


def _values(texts: Sequence[str], parse: Any, cache: dict[str, Any]) -> list[Any]:
    """A column's values: each distinct text parsed once (ParseError if one does not parse)."""
    for text in set(texts).difference(cache):
        cache[text] = parse(text, 0, "")
    return list(map(cache.__getitem__, texts))


def _licensed(comments: Sequence[str]) -> list[bool]:
    """`is_licensed_comment` of each comment, the regex run only on the distinct comments that
    hold "licen" (every alternative of LICENCE_RE does), found by `str.find` over them all
    joined by line breaks and lowered. Exact where lowering keeps every character's place and
    no character folds to an ASCII letter under re.IGNORECASE (LICENCE_SPECIAL); otherwise
    each distinct comment is searched."""
    texts = list(dict.fromkeys(comments))
    joined = "\n".join(texts)
    low = joined.lower()
    if len(low) != len(joined) or any(c in joined for c in LICENCE_SPECIAL):
        found = {t: is_licensed_comment(t) for t in texts}
        return list(map(found.__getitem__, comments))
    starts = list(itertools.accumulate((len(t) + 1 for t in texts), initial=0))
    held = set()
    at = low.find("licen")
    while at >= 0:
        held.add(bisect.bisect_right(starts, at) - 1)
        at = low.find("licen", at + 1)
    found = dict.fromkeys(texts, False)
    for i in held:
        found[texts[i]] = is_licensed_comment(texts[i])
    return list(map(found.__getitem__, comments))


# Characters re.IGNORECASE matches to an ASCII letter of another case fold ('İ', 'ı', 'ſ',
# the Kelvin sign): where one occurs, `_licensed` does not trust its lowered prefilter.
LICENCE_SPECIAL = ("\u0130", "\u0131", "\u017f", "\u212a")


def _sorted_years(cells: CellReader) -> Any:
    return lambda text, line, column: sorted(set(cells.year_list(text, line, column)))


def _parse_columns(
    reg: ParsedRegister,
    batch: list[tuple[int, list[str], bool]],
    cols: tuple[int | None, ...] | None,
    web: bool,
    cells: CellReader,
    base: int,
    memo: dict[str, dict[Any, Any]] | None = None,
) -> bool:
    """The batch column by column, the same values `_parse_row` gives row by row: every distinct
    cell text parsed once, the rest C-level maps. False (and nothing added) when any cell does
    not parse: the row-by-row path then reads the batch and names each bad cell's line/column."""
    if not batch:
        return True
    lines, rows, rejoined = zip(*batch, strict=True)
    if cols is not None:
        rows = tuple([row[i] if i is not None else "" for i in cols] for row in rows)
    width = WEB_WIDTH if web else TIDY_WIDTH
    if any(len(row) != width for row in rows):
        return False
    return _parse_column_lists(
        reg, list(lines), list(zip(*rows, strict=True)), list(rejoined), web, cells, base, memo
    )


def split_plain(text: str, first_line: int, width: int, delimiter: str) -> tuple[list[int], list[str]] | None:
    """A register body's records as (line numbers, line texts) when it is plain: no quote, NUL
    or lone CR, every line blank or one record of `width` cells that does not start with an
    empty cell. Then the csv reader would find the same cells, one record per line
    (`plain_columns` splits them). None otherwise (a quoted cell, a record broken over lines, a
    fragment, a wrong width): `iter_records` assembles those and names what is wrong."""
    if '"' in text or "\x00" in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = text.split("\n")
    if max(map(len, lines)) > csv.field_size_limit():
        return None  # the csv reader refuses such a cell: let it say so
    # Blank: nothing but delimiters and spaces (every cell empty or whitespace). Only a line that
    # is empty or starts with either can be one, or can start with an empty cell: the lines'
    # first characters say which (a C-level map and search, not a regex over the whole text).
    firsts = list(map(operator.itemgetter(slice(0, 1)), lines))
    odd = [c for c in set(firsts) if c == delimiter or not c.strip()]
    maybe = _positions(firsts, odd)
    blank = [i for i in maybe if not lines[i].replace(delimiter, "").strip()]
    if any(firsts[i] == delimiter for i in set(maybe).difference(blank)):
        return None  # a record that starts with an empty cell
    kept: Iterable[int] = range(len(lines))
    if blank:
        keep = bytearray(b"\x01") * len(lines)
        for i in blank:
            keep[i] = 0
        kept, lines = list(itertools.compress(kept, keep)), list(itertools.compress(lines, keep))
    if set(map(operator.methodcaller("count", delimiter), lines)) - {width - 1}:
        return None
    return list(map(first_line.__add__, kept)), lines


def _positions(items: list[str], wanted: Iterable[str]) -> list[int]:
    """The indices of the items equal to any of `wanted`, in order, found by C-level search."""
    out: list[int] = []
    for w in wanted:
        at = -1
        try:
            while True:
                at = items.index(w, at + 1)
                out.append(at)
        except ValueError:
            pass
    return sorted(out)


def plain_columns(lines: list[str], width: int, delimiter: str) -> list[list[str]]:
    """The cells of plain record lines (`split_plain`) as columns: one C-level split of them all."""
    cells = delimiter.join(lines).split(delimiter) if lines else []
    return [cells[k::width] for k in range(width)]


def parse_plain(
    reg: ParsedRegister,
    lines: list[int],
    columns: list[list[str]],
    m: HeaderMatch,
    base: int = 0,
    memo: dict[str, dict[Any, Any]] | None = None,
) -> None:
    """`parse_register` of records already split into columns (`split_plain`); a batch with a
    cell that does not parse goes through the row-by-row reader, which names it. `memo`: the
    cell texts parsed so far, shared by the chunks of one file (each distinct text once)."""
    cells = CellReader(reg.file, m.delimiter)
    web = len(m.columns) == WEB_WIDTH
    cols = None if m.identity else m.columns
    n = len(lines)
    picked = columns if cols is None else [columns[i] if i is not None else [""] * n for i in cols]
    if _parse_column_lists(reg, lines, picked, [False] * n, web, cells, base or reg.n_deals, memo):
        return
    rows = [list(r) for r in zip(*columns, strict=True)]
    parse_register(reg, iter(list(zip(lines, rows, [False] * n, strict=True))), 0, m, base=base)


def _parse_column_lists(
    reg: ParsedRegister,
    lines: list[int],
    columns: list[Any],
    rejoined: list[bool],
    web: bool,
    cells: CellReader,
    base: int,
    memo: dict[str, dict[Any, Any]] | None = None,
) -> bool:
    """`_parse_columns` once the batch is columns of the canonical layout."""
    n = len(lines)
    memo = {} if memo is None else memo
    ints: dict[str, int | None] = memo.setdefault("ints", {})
    floats: dict[str, float | None] = memo.setdefault("floats", {})
    none = [None] * n
    try:
        if web:
            (recipient, supplier, order_year, order_est, n_ordered, ordered_est, designation, description,
             n_delivered, delivered_est, years_text, status, comments, tiv_unit, tiv_order, tiv_delivered) = columns  # fmt: skip
            flags: dict[str, bool] = memo.setdefault("flags", {})
            order_est_b: list[Any] = _values(order_est, cells.flag, flags)
            ordered_est_b: list[Any] = _values(ordered_est, cells.flag, flags)
            delivered_est_b: list[Any] = _values(delivered_est, cells.flag, flags)
        else:
            (recipient, supplier, order_year, n_ordered, designation, description, n_delivered, years_text,
             status, comments, tiv_unit, tiv_order, tiv_delivered) = columns  # fmt: skip
            order_est_b = ordered_est_b = delivered_est_b = none  # this variant dropped the flags
        years = _values(years_text, _sorted_years(cells), memo.setdefault("years", {}))
        n_deliv = _values(n_delivered, cells.int_or_none, ints)
        tiv_deliv = _values(tiv_delivered, cells.float_or_none, floats)
        o_year = _values(order_year, cells.int_or_none, ints)
        n_ord = _values(n_ordered, cells.int_or_none, ints)
        t_unit = _values(tiv_unit, cells.float_or_none, floats)
        t_order = _values(tiv_order, cells.float_or_none, floats)
    except ParseError:
        return False
    # As in _parse_row: "0" is 0-0.5 m TIV if something was delivered, else "none".
    nothing = [not y and not d for y, d in zip(years, n_deliv, strict=True)]
    below_half = [t.strip() == "0" and not no for t, no in zip(tiv_delivered, nothing, strict=True)]
    tiv_deliv = [None if no else t for t, no in zip(tiv_deliv, nothing, strict=True)]
    status_s = list(map(str.strip, status))
    second_hand = _values(status_s, lambda t, _l, _c: is_second_hand(t), memo.setdefault("second_hand", {}))
    licensed = _licensed(comments)
    values: dict[str, list[Any]] = {
        "line": lines,
        "sipri_id": none,
        "recipient_name": list(map(str.strip, recipient)),
        "supplier_name": list(map(str.strip, supplier)),
        "designation": list(map(str.strip, designation)),
        "description": list(map(str.strip, description)),
        "publisher_category": none,
        "order_year": o_year,
        "order_year_est": order_est_b,
        "n_ordered": n_ord,
        "n_ordered_est": ordered_est_b,
        "n_delivered": n_deliv,
        "n_delivered_est": delivered_est_b,
        "delivery_years": list(map(str.strip, years_text)),
        "delivery_years_est": none,
        "status": [s or None for s in status_s],
        "second_hand": second_hand,
        "comments": [c.strip() or None for c in comments],
        "licensed": licensed,
        "licence_source": ["comment" if lic else None for lic in licensed],
        "tiv_unit": t_unit,
        "tiv_unit_new": none,
        "tiv_order": t_order,
        "tiv_delivered": tiv_deliv,
        "tiv_delivered_below_half": below_half,
        "rejoined": rejoined,
    }
    deals = reg.deals
    for col in DEAL_COLUMNS:
        if deals[col]:
            deals[col].extend(values[col])
        else:  # the chunk's first records: its own lists (a list shared by columns is copied)
            deals[col] = values[col] if values[col] is not none else [None] * n
    # The split rule (split.py), as _parse_row applies it, to every deal with delivery years.
    index, year, units, tiv = split_columns(years, n_deliv, tiv_deliv)
    if index:
        dl = reg.deliveries
        dl["deal_index"].extend(map(base.__add__, index))
        dl["year"].extend(year)
        dl["units"].extend(units)
        dl["tiv"].extend(tiv)
        dl["year_est"].extend([None] * len(index))
        dl["units_est"].extend(map(delivered_est_b.__getitem__, index))
        dl["allocation"].extend(["estimated"] * len(index))
    return True


def _parse_row(
    row: list[str],
    line: int,
    rejoined: bool,
    web: bool,
    cells: CellReader,
    caches: tuple[dict, ...],
    idx: int,
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """One record -> (deal tuple in DEAL_COLUMNS order, delivery tuples); ParseError if unreadable."""
    ints, floats, year_sets, flags, licensed_cache, second_hand_cache = caches
    if web:
        (
            recipient,
            supplier,
            order_year,
            order_est,
            n_ordered,
            ordered_est,
            designation,
            description,
            n_delivered,
            delivered_est,
            years_text,
            status,
            comments,
            tiv_unit,
            tiv_order,
            tiv_delivered,
        ) = row
        order_est_b = _memo(flags, order_est, cells.flag, line, "Year of order ?")
        ordered_est_b = _memo(flags, ordered_est, cells.flag, line, "Number ordered ?")
        delivered_est_b = _memo(flags, delivered_est, cells.flag, line, "Number delivered ?")
    else:
        (
            recipient,
            supplier,
            order_year,
            n_ordered,
            designation,
            description,
            n_delivered,
            years_text,
            status,
            comments,
            tiv_unit,
            tiv_order,
            tiv_delivered,
        ) = row
        order_est_b = ordered_est_b = delivered_est_b = None  # this variant dropped the flags
    # Bracketed cells (the old registers' notation for uncertain values, `uncertain.py`) never
    # parse on the column path, so only this row path reads them: value plus estimate flag.
    order_year, order_br = bracketed(order_year)
    n_ordered, ordered_br = bracketed(n_ordered)
    n_delivered, delivered_br = bracketed(n_delivered)
    years_text, years_br = bracketed_years(years_text)
    order_est_b = True if order_br else order_est_b
    ordered_est_b = True if ordered_br else ordered_est_b
    delivered_est_b = True if delivered_br else delivered_est_b
    # Same cell order as before, so the first bad cell of a row is the one reported.
    years = year_sets.get(years_text)
    if years is None:
        years = year_sets[years_text] = sorted(set(cells.year_list(years_text, line, "Year(s) of delivery")))
    n_deliv = _memo(ints, n_delivered, cells.int_or_none, line, "Number delivered")
    tiv_deliv = _memo(floats, tiv_delivered, cells.float_or_none, line, "SIPRI TIV of delivered weapons")
    # "0" means 0-0.5 m TIV *if* something was delivered. The 2026 register also writes "0"
    # for orders with nothing delivered yet (no delivery years, 0 delivered): that is "none".
    nothing_delivered = not years and not n_deliv
    below_half = tiv_delivered.strip() == "0" and not nothing_delivered
    if nothing_delivered:
        tiv_deliv = None
    status = status.strip()
    sh = second_hand_cache.get(status)
    if sh is None:
        sh = second_hand_cache[status] = is_second_hand(status)
    lic = licensed_cache.get(comments)
    if lic is None:
        lic = licensed_cache[comments] = is_licensed_comment(comments)
    o_year = _memo(ints, order_year, cells.int_or_none, line, "Year of order")
    n_ord = _memo(ints, n_ordered, cells.int_or_none, line, "Number ordered")
    t_unit = _memo(floats, tiv_unit, cells.float_or_none, line, "SIPRI TIV per unit")
    t_order = _memo(floats, tiv_order, cells.float_or_none, line, "SIPRI TIV for total order")
    # Order of DEAL_COLUMNS.
    deal = (
        line,
        None,
        recipient.strip(),
        supplier.strip(),
        designation.strip(),
        description.strip(),
        None,
        o_year,
        order_est_b,
        n_ord,
        ordered_est_b,
        n_deliv,
        delivered_est_b,
        years_text.strip(),
        None if years_br is None else True,
        status or None,
        sh,
        comments.strip() or None,
        lic,
        "comment" if lic else None,
        t_unit,
        None,
        t_order,
        tiv_deliv,
        below_half,
        rejoined,
    )
    out: list[tuple[Any, ...]] = []
    add_deliv = out.append
    if years:
        # Order of DELIVERY_COLUMNS; the split rule lives in split.py. The store may replace
        # these rows with a publisher's exact per-year rows (store/allocation.py).
        for y, u, t in split_deal(years, n_deliv, tiv_deliv):
            year_est = None if years_br is None else y in years_br
            add_deliv((idx, y, u, t, year_est, delivered_est_b, "estimated"))
    return deal, out
