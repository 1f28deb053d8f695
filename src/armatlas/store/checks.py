"""Data checks run at ingest; a finding stops the ingest unless the allow-list explains it.

The allow-list names each known exception and why it is accepted, in the manner of
owid/etl's KNOWN_*_OUTLIERS: anything new fails loudly instead of slipping into figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from armatlas.errors import DataCheckError

# (check, recipient, designation, order year) -> reason
KNOWN_EXCEPTIONS: dict[tuple[str, str, str, int], str] = {
    (
        "delivery_before_order",
        "India",
        "Barak-LRAD",
        2017,
    ): "SIPRI dates the order 2017 but records a first delivery in 2016 (deliveries began "
    "under an earlier arrangement); kept as published.",
    (
        "delivery_before_order",
        "Ukraine",
        "ASRAAM",
        2023,
    ): "Missiles delivered in 2022 ahead of the 2023 contract date SIPRI gives; kept as published.",
    (
        "delivery_before_order",
        "Lithuania",
        "Javelin ATM",
        2016,
    ): "Part delivered in 2015 from US stocks before the 2016 order SIPRI dates; kept as published.",
    (
        "delivery_before_order",
        "Lithuania",
        "FGM-148 Javelin",
        2016,
    ): "Same deal as 'Javelin ATM' in the older description; kept as published.",
    (
        "delivery_before_order",
        "South Korea",
        "M-47 Patton",
        1958,
    ): "Aid deliveries from 1956 recorded under a 1958 order date; kept as published.",
    (
        "delivery_before_order",
        "Taiwan",
        "RF-101A Voodoo",
        1963,
    ): "Tidy (2024) variant: aid aircraft listed as delivered 1962 and 1965 against a 1963 "
    "order date; the 2026 release no longer has this row in this form.",
    (
        "delivered_without_tiv",
        "Thailand",
        "BTR-3",
        2008,
    ): "Tidy variant only: its author split the record at a line break in Comments and "
    "the delivered TIV was lost; deliveries are kept with unknown TIV.",
    (
        "delivered_without_tiv",
        "United Nations**",
        "Hermes-900",
        2015,
    ): "Tidy variant only: same line-break split as above; delivered TIV lost.",
}
# (check, layout) -> reason: a pattern that is a property of a whole layout, not a row.
KNOWN_LAYOUT_EXCEPTIONS: dict[tuple[str, str], str] = {
    (
        "delivered_exceeds_ordered",
        "tidy_register",
    ): "The tidy variant writes 0 where SIPRI leaves 'Number ordered' empty (not yet "
    "available); only rows with 0 ordered are waved through.",
}


@dataclass(frozen=True)
class Finding:
    check: str
    line: int
    column: str
    value: Any
    message: str
    key: tuple[str, str, int]  # recipient, designation, order year


def check_register(
    deals: dict[str, list[Any]],
    deliveries: dict[str, list[Any]],
    layout: str,
    last_year: int,
    seen: SeenRecords | None = None,
) -> list[Finding]:
    """Every check over a parsed register; returns findings, allowed ones included."""
    out: list[Finding] = []
    add = out.append
    d = deals
    tidy = layout == "tidy_register"
    no_years: list[int] = []
    # A record identical in every cell to an earlier one (a doubled file, a pasted block).
    # Records are compared by a 64-bit hash of every cell but the line (kept across the chunks
    # of one file in `seen`, without holding the records themselves).
    cells = [d[c] for c in d if c != "line"]
    hashes = list(map(hash, zip(*cells, strict=True)))
    earlier = seen.lookup(hashes) if seen is not None else {}
    local: dict[int, int] = {}
    # Only a hash seen twice, or seen in an earlier chunk, can make a finding: only those rows
    # are visited, in row order (usually none or a few).
    repeated = {h for h, k in Counter(hashes).items() if k > 1}
    twins = sorted({*earlier, *(i for i, h in enumerate(hashes) if h in repeated)} if repeated else earlier)
    for i in twins:
        line, h, before = d["line"][i], hashes[i], earlier.get(i)
        first = before if before is not None else local.setdefault(h, line)
        if first != line:
            rec = tuple(col[i] for col in cells)
            key = (rec[1], rec[3], rec[6])  # recipient, designation, order year
            add(
                Finding(
                    "duplicate_row",
                    line,
                    "Recipient",
                    rec[1],
                    f"identical to the record at line {first}",
                    key,
                )
            )
    if seen is not None:
        seen.add(hashes, d["line"])
    # Rows that may fail a check, found by whole-column arithmetic (a superset); each is then
    # checked one by one below, so the findings are exactly the row-by-row loop's.
    n = len(d["line"])
    rows_to_check = _candidates(d, deliveries, last_year, n)
    di, dy, dt = deliveries["deal_index"], deliveries["year"], deliveries["tiv"]
    positions: Any = range(len(di))
    if len(rows_to_check) < n:  # the delivery rows of those deals only
        positions = np.flatnonzero(np.isin(np.array(di, dtype=np.int64), rows_to_check)).tolist()
    per_deal_tiv: dict[int, float] = {}
    years_by_deal: dict[int, list[int]] = {}
    for j in positions:
        idx, y, tiv = di[j], dy[j], dt[j]
        if tiv is not None:
            per_deal_tiv[idx] = per_deal_tiv.get(idx, 0.0) + tiv
        if idx in years_by_deal:
            years_by_deal[idx].append(y)
        else:
            years_by_deal[idx] = [y]
    # Findings come out in the same order as the checks are listed, row by row.
    columns = (
        d["line"],
        d["recipient_name"],
        d["designation"],
        d["order_year"],
        d["tiv_unit"],
        d["tiv_order"],
        d["tiv_delivered"],
        d["n_ordered"],
        d["n_delivered"],
        d["n_ordered_est"],
        d["n_delivered_est"],
    )
    rows = ((i, *(c[i] for c in columns)) for i in rows_to_check)
    for i, line, rec, des, oy, tu, to, td, no, nd, no_est, nd_est in rows:
        key = (rec, des, oy)
        for col, v in (("tiv_unit", tu), ("tiv_order", to), ("tiv_delivered", td)):
            if v is not None and v < 0:
                add(Finding("tiv_negative", line, col, v, "TIV must not be negative", key))
        if no is not None and nd is not None and nd > no and not (no_est or nd_est):
            if not (tidy and no == 0):
                add(
                    Finding(
                        "delivered_exceeds_ordered",
                        line,
                        "Number delivered",
                        nd,
                        f"{nd} delivered but {no} ordered, and neither is flagged uncertain",
                        key,
                    )
                )
            else:
                add(
                    Finding(
                        "delivered_exceeds_ordered",
                        line,
                        "Number ordered",
                        no,
                        "0 ordered with deliveries",
                        key,
                    )
                )
        if oy is not None and not 1900 <= oy <= last_year:
            add(
                Finding(
                    "year_out_of_range",
                    line,
                    "Year of order",
                    oy,
                    f"order year outside 1900-{last_year}",
                    key,
                )
            )
        years = years_by_deal.get(i, no_years)
        for y in years:
            if not 1900 <= y <= last_year:
                add(
                    Finding(
                        "year_out_of_range",
                        line,
                        "Year(s) of delivery",
                        y,
                        f"delivery year outside 1900-{last_year}",
                        key,
                    )
                )
            elif oy is not None and y < oy:
                add(
                    Finding(
                        "delivery_before_order",
                        line,
                        "Year(s) of delivery",
                        y,
                        f"delivered in {y}, ordered in {oy}",
                        key,
                    )
                )
        if td is None:
            if years:
                add(
                    Finding(
                        "delivered_without_tiv",
                        line,
                        "SIPRI TIV of delivered weapons",
                        None,
                        "delivery years are listed but the delivered TIV is empty",
                        key,
                    )
                )
            continue
        summed = per_deal_tiv.get(i, 0.0)
        if abs(summed - td) > 0.01:
            add(
                Finding(
                    "tiv_years_sum",
                    line,
                    "SIPRI TIV of delivered weapons",
                    td,
                    f"per-year TIV adds up to {summed:g}, not {td:g}",
                    key,
                )
            )
        # Unit TIVs are printed rounded (0.05 may be 0.052), so allow half a unit of the last
        # printed digit per item delivered, plus 1%.
        if tu is not None and nd and abs(nd * tu - td) > nd * 0.005 + 0.05 + 0.01 * td:
            add(
                Finding(
                    "tiv_unit_times_units",
                    line,
                    "SIPRI TIV of delivered weapons",
                    td,
                    f"{nd} x {tu:g} TIV per unit is not {td:g}",
                    key,
                )
            )
    return out


def _candidates(
    d: dict[str, list[Any]], deliveries: dict[str, list[Any]], last_year: int, n: int
) -> list[int]:
    """Indexes of the rows that may fail a row check: every row that does, and a few near the
    tolerances (numpy sums may differ from Python's in the last bit). All rows if the columns
    are not plain numbers."""
    try:
        tu, to, td, no, nd, oy = (
            np.array(d[c], dtype=np.float64)  # None -> NaN, which compares False
            for c in ("tiv_unit", "tiv_order", "tiv_delivered", "n_ordered", "n_delivered", "order_year")
        )
        est = np.array(d["n_ordered_est"], dtype=bool) | np.array(d["n_delivered_est"], dtype=bool)
        di = np.array(deliveries["deal_index"], dtype=np.int64)
        yr = np.array(deliveries["year"], dtype=np.float64)
        tv = np.nan_to_num(np.array(deliveries["tiv"], dtype=np.float64))
    except (TypeError, ValueError):
        return list(range(n))
    if len(di) and (di.min() < 0 or di.max() >= n or np.isnan(yr).any()):
        return list(range(n))
    flag = (tu < 0) | (to < 0) | (td < 0)
    flag |= (nd > no) & ~est
    flag |= (oy < 1900) | (oy > last_year)
    bad = (yr < 1900) | (yr > last_year) | (yr < oy[di])
    flag[di[bad]] = True
    has_years = np.zeros(n, dtype=bool)
    has_years[di] = True
    flag |= np.isnan(td) & has_years
    margin = 1e-6 + 1e-9 * np.abs(np.nan_to_num(td))
    summed = np.bincount(di, weights=tv, minlength=n)
    flag |= np.abs(summed - td) > 0.01 - margin
    nd0 = np.nan_to_num(nd)
    flag |= ~np.isnan(tu) & (nd0 != 0) & (np.abs(nd0 * tu - td) > nd0 * 0.005 + 0.05 + 0.01 * td - margin)
    return [int(i) for i in np.flatnonzero(flag)]


def is_allowed(f: Finding, layout: str) -> bool:
    """Explained by the reviewed allow-list."""
    return (f.check, *f.key) in KNOWN_EXCEPTIONS or (
        f.check == "delivered_exceeds_ordered"
        and f.column == "Number ordered"
        and (f.check, layout) in KNOWN_LAYOUT_EXCEPTIONS
    )


class SeenRecords:
    """Hashes of the records read so far (with their lines) as two sorted numpy arrays: compact,
    so a file of millions of records does not keep millions of Python objects alive."""

    def __init__(self) -> None:
        self.hashes = np.empty(0, np.int64)
        self.lines = np.empty(0, np.int64)

    def lookup(self, hashes: list[int]) -> dict[int, int]:
        """{index: line of an earlier record with the same hash} for the hashes seen before."""
        out: dict[int, int] = {}
        if len(self.hashes):
            hs = np.array(hashes, dtype=np.int64)
            pos = np.searchsorted(self.hashes, hs).clip(0, len(self.hashes) - 1)
            hit = self.hashes[pos] == hs
            for i in np.flatnonzero(hit).tolist():
                out[i] = int(self.lines[pos[i]])
        return out

    def add(self, hashes: list[int], lines: list[int]) -> None:
        hs = np.concatenate([self.hashes, np.array(hashes, dtype=np.int64)])
        ls = np.concatenate([self.lines, np.array(lines, dtype=np.int64)])
        order = np.argsort(hs, kind="stable")
        keep = np.ones(len(order), bool)
        keep[1:] = hs[order][1:] != hs[order][:-1]  # first line of each hash
        self.hashes, self.lines = hs[order][keep], ls[order][keep]


def enforce(findings: list[Finding], layout: str, file: str) -> int:
    """Raise on the first finding the allow-list does not explain; return how many it did."""
    allowed = 0
    for f in findings:
        if is_allowed(f, layout):
            allowed += 1
            continue
        others = sum(1 for g in findings if g.check == f.check) - 1
        raise DataCheckError(
            f"Data check '{f.check}' failed: {f.message}"
            + (f" (and {others} more of this kind)" if others > 0 else ""),
            file=file,
            line=f.line,
            column=f.column,
            value=f.value,
            hint="If the publisher really published this, add it with its reason to "
            "KNOWN_EXCEPTIONS in src/armatlas/store/checks.py after review.",
        )
    return allowed
