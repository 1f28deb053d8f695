"""Parse the backend layout: one row per deal and delivery year, exact units and TIV."""

from __future__ import annotations

import csv
import io

from armatlas.errors import ParseError, TruncatedFileError
from armatlas.sources.sipri_transfers.cells import CellReader
from armatlas.sources.sipri_transfers.detect import HeaderMatch
from armatlas.sources.sipri_transfers.records import ParsedRegister, is_second_hand

WIDTH = 17


def parse_delivery_years(reg: ParsedRegister, body: str, first_line: int, m: HeaderMatch) -> None:
    """Group rows by `SIPRI AT Database ID` into deals; keep every row as an exact delivery."""
    cells = CellReader(reg.file, m.delimiter)
    reader = csv.reader(io.StringIO(body), delimiter=m.delimiter)
    cols = None if m.identity else m.columns
    width = m.width
    by_id: dict[int, int] = {}
    rows = 0
    for row in reader:
        line = first_line + reader.line_num - 1
        if not row or not any(c.strip() for c in row):
            continue
        if len(row) != width:
            err = TruncatedFileError if len(row) < width else ParseError
            raise err(
                f"Record has {len(row)} cells, expected {width}",
                file=reg.file,
                line=line,
                value=",".join(row)[:200],
            )
        if cols is not None:
            row = [row[i] if i is not None else "" for i in cols]
        rows += 1
        try:
            _read_row(reg, cells, by_id, row, line)
        except ParseError as exc:
            reg.rejects.append((line, exc.column, exc.value, exc.message, row))
    if rows == 0:
        raise TruncatedFileError("The register has a header but no records", file=reg.file, line=first_line)


def _read_row(
    reg: ParsedRegister, cells: CellReader, by_id: dict[int, int], row: list[str], line: int
) -> None:
    """One delivery-year row: a new deal on its ID's first row, a delivery on every row."""
    (
        sid,
        supplier,
        recipient,
        designation,
        description,
        category,
        order_date,
        order_est,
        n_deliv,
        n_est,
        year,
        year_est,
        status,
        tiv_new,
        tiv_unit,
        tiv_value,
        local,
    ) = row
    sipri_id = cells.int_or_none(sid, line, "SIPRI AT Database ID")
    if sipri_id is None:
        raise ParseError(
            "Missing SIPRI AT Database ID", file=reg.file, line=line, column="SIPRI AT Database ID", value=sid
        )
    units = cells.int_or_none(n_deliv, line, "Numbers delivered")
    tiv = cells.float_or_none(tiv_value, line, "TIV delivery values")
    yr = cells.int_or_none(year, line, "Delivery year")
    idx = by_id.get(sipri_id)
    if idx is None:
        licensed = cells.yes_no(local, line, "Local production")
        idx = reg.add_deal(
            line=line,
            sipri_id=sipri_id,
            recipient_name=recipient.strip(),
            supplier_name=supplier.strip(),
            designation=designation.strip(),
            description=description.strip(),
            publisher_category=category.strip(),
            order_year=cells.int_or_none(order_date, line, "Order date"),
            order_year_est=cells.yes_no(order_est, line, "Order date is estimate"),
            n_ordered=None,
            n_ordered_est=None,
            n_delivered=0,
            n_delivered_est=False,
            delivery_years="",
            delivery_years_est=False,
            status=status.strip() or None,
            second_hand=is_second_hand(status),
            comments=None,
            licensed=licensed,
            licence_source="flag" if licensed else None,
            tiv_unit=cells.float_or_none(tiv_unit, line, "TIV deal unit"),
            tiv_unit_new=cells.float_or_none(tiv_new, line, "SIPRI estimate"),
            tiv_order=None,
            tiv_delivered=0.0,
            tiv_delivered_below_half=False,
            rejoined=False,
        )
        by_id[sipri_id] = idx
    _accumulate(reg, cells, idx, line, yr, units, tiv, n_est, year_est)
    reg.add_delivery(
        deal_index=idx,
        year=yr,
        units=units,
        tiv=tiv,
        year_est=cells.yes_no(year_est, line, "Delivery year is estimate"),
        units_est=cells.yes_no(n_est, line, "Numbers delivered is estimate"),
        allocation="exact",
    )


def _accumulate(
    reg: ParsedRegister,
    cells: CellReader,
    idx: int,
    line: int,
    year: int | None,
    units: int | None,
    tiv: float | None,
    n_est: str,
    year_est: str,
) -> None:
    """Deal totals are the sums of their delivery-year rows."""
    d = reg.deals
    d["n_delivered"][idx] = (d["n_delivered"][idx] or 0) + (units or 0)
    d["tiv_delivered"][idx] = (d["tiv_delivered"][idx] or 0.0) + (tiv or 0.0)
    d["n_delivered_est"][idx] = d["n_delivered_est"][idx] or cells.yes_no(
        n_est, line, "Numbers delivered is estimate"
    )
    d["delivery_years_est"][idx] = d["delivery_years_est"][idx] or cells.yes_no(
        year_est, line, "Delivery year is estimate"
    )
    if year is not None:
        years = [y for y in d["delivery_years"][idx].split("; ") if y]
        if str(year) not in years:
            years.append(str(year))
        d["delivery_years"][idx] = "; ".join(sorted(years))
