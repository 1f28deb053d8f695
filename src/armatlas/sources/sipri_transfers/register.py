"""Parse the trade-register layouts that list delivery years but not per-year numbers.

Two layouts: the web export (16 columns, three unnamed `?` flag columns) and the 13-column
"tidy" variant without preamble or flags. Per-year deliveries are not in these files, so
they are split by a documented rule and marked `allocation = "estimated"`:

    units: the delivered number spread evenly over the listed years, the remainder going to
           the earliest years (10 over 3 years -> 4, 3, 3);
    TIV:   the delivered TIV in proportion to those units (evenly by year when the number
           delivered is unknown or zero).
The per-year TIV of a deal always adds up to its delivered TIV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from armatlas.errors import ParseError, TruncatedFileError
from armatlas.sources.sipri_transfers.cells import CellReader
from armatlas.sources.sipri_transfers.records import (
    ParsedRegister,
    is_licensed_comment,
    is_second_hand,
)

WEB_WIDTH = 16
TIDY_WIDTH = 13
_COMMENTS = {WEB_WIDTH: 12, TIDY_WIDTH: 9}


def iter_records(body: str, first_line: int, width: int, file: str) -> Iterator[tuple[int, list[str], bool]]:
    """Yield (line, cells, rejoined) per record, re-joining records split by raw line breaks.

    SIPRI does not quote Comments, so a line break inside one splits the record: the first
    part has too few cells, or (in the tidy variant, padded by its author) the next line is a
    fragment with an empty Recipient that carries the rest of the record.
    """
    reader = csv.reader(io.StringIO(body))
    pending: list[str] | None = None
    pending_line = 0
    rejoined = False
    comment_at = _COMMENTS[width]
    for row in reader:
        line = first_line + reader.line_num - 1
        if not row or not any(c.strip() for c in row):
            continue
        if pending is not None and len(pending) < width:
            pending[-1] = pending[-1] + " " + row[0]
            pending.extend(row[1:])
            rejoined = True
        elif pending is not None and row[0] == "" and len(row) == width:
            tail = pending[comment_at + 1 :]
            if any(c.strip() for c in tail):
                raise ParseError(
                    "A line without Recipient follows a complete record", file=file, line=line,
                    column="Recipient", value=",".join(row)[:200],
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
                f"Record has {len(pending)} cells, expected {width}", file=file, line=pending_line,
                value=",".join(pending)[:200],
                hint="An unquoted comma or a damaged file; export the register again.",
            )
    if pending is not None:
        if len(pending) < width:
            raise TruncatedFileError(
                f"The file ends in the middle of a record ({len(pending)} of {width} cells)",
                file=file, line=pending_line, value=",".join(pending)[:200],
                hint="The download was probably cut off; fetch or export it again.",
            )
        yield pending_line, pending, rejoined


def parse_register(reg: ParsedRegister, body: str, first_line: int, width: int) -> None:
    """Fill `reg` from the register body (the lines after the header)."""
    cells = CellReader(reg.file)
    n = 0
    for line, row, rejoined in iter_records(body, first_line, width, reg.file):
        if width == WEB_WIDTH:
            (recipient, supplier, order_year, order_est, n_ordered, ordered_est, designation,
             description, n_delivered, delivered_est, years, status, comments, tiv_unit,
             tiv_order, tiv_delivered) = row
            order_est_b = cells.flag(order_est, line, "Year of order ?")
            ordered_est_b = cells.flag(ordered_est, line, "Number ordered ?")
            delivered_est_b = cells.flag(delivered_est, line, "Number delivered ?")
        else:
            (recipient, supplier, order_year, n_ordered, designation, description, n_delivered,
             years, status, comments, tiv_unit, tiv_order, tiv_delivered) = row
            order_est_b = ordered_est_b = delivered_est_b = None  # this variant dropped the flags
        n += 1
        _add_deal(reg, cells, line, rejoined, recipient, supplier, order_year, order_est_b,
                  n_ordered, ordered_est_b, designation, description, n_delivered,
                  delivered_est_b, years, status, comments, tiv_unit, tiv_order, tiv_delivered)
    if n == 0:
        raise TruncatedFileError("The register has a header but no records", file=reg.file,
                                 line=first_line)


def _add_deal(reg: ParsedRegister, cells: CellReader, line: int, rejoined: bool, recipient: str,
              supplier: str, order_year: str, order_est: bool | None, n_ordered: str,
              ordered_est: bool | None, designation: str, description: str, n_delivered: str,
              delivered_est: bool | None, years_text: str, status: str, comments: str,
              tiv_unit: str, tiv_order: str, tiv_delivered: str) -> None:
    years = cells.year_list(years_text, line, "Year(s) of delivery")
    n_deliv = cells.int_or_none(n_delivered, line, "Number delivered")
    tiv_deliv = cells.float_or_none(tiv_delivered, line, "SIPRI TIV of delivered weapons")
    # "0" means 0-0.5 m TIV *if* something was delivered. The 2026 register also writes "0"
    # for orders with nothing delivered yet (no delivery years, 0 delivered): that is "none".
    nothing_delivered = not years and not n_deliv
    below_half = tiv_delivered.strip() == "0" and not nothing_delivered
    if nothing_delivered:
        tiv_deliv = None
    status = status.strip()
    idx = reg.add_deal(
        line=line, sipri_id=None, recipient_name=recipient.strip(), supplier_name=supplier.strip(),
        designation=designation.strip(), description=description.strip(), publisher_category=None,
        order_year=cells.int_or_none(order_year, line, "Year of order"), order_year_est=order_est,
        n_ordered=cells.int_or_none(n_ordered, line, "Number ordered"), n_ordered_est=ordered_est,
        n_delivered=n_deliv, n_delivered_est=delivered_est, delivery_years=years_text.strip(),
        delivery_years_est=None, status=status or None, second_hand=is_second_hand(status),
        comments=comments.strip() or None, licensed=is_licensed_comment(comments),
        licence_source="comment" if is_licensed_comment(comments) else None,
        tiv_unit=cells.float_or_none(tiv_unit, line, "SIPRI TIV per unit"), tiv_unit_new=None,
        tiv_order=cells.float_or_none(tiv_order, line, "SIPRI TIV for total order"),
        tiv_delivered=tiv_deliv, tiv_delivered_below_half=below_half, rejoined=rejoined,
    )
    if years:
        for year, units, tiv in split_deliveries(years, n_deliv, tiv_deliv):
            reg.add_delivery(deal_index=idx, year=year, units=units, tiv=tiv, year_est=None,
                             units_est=delivered_est, allocation="estimated")


def split_deliveries(years: list[int], n: int | None, tiv: float | None
                     ) -> list[tuple[int, int | None, float | None]]:
    """The documented split rule (see the module docstring)."""
    years = sorted(set(years))
    k = len(years)
    if n:
        base, extra = divmod(n, k)
        units = [base + (1 if i < extra else 0) for i in range(k)]
        tivs = [None if tiv is None else tiv * u / n for u in units]
        return list(zip(years, units, tivs, strict=True))
    tivs = [None if tiv is None else tiv / k for _ in years]
    return [(y, None, t) for y, t in zip(years, tivs, strict=True)]
