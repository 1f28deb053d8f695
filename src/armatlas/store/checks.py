"""Data checks run at ingest; a finding stops the ingest unless the allow-list explains it.

The allow-list names each known exception and why it is accepted, in the manner of
owid/etl's KNOWN_*_OUTLIERS: anything new fails loudly instead of slipping into figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from armatlas.errors import DataCheckError

# (check, recipient, designation, order year) -> reason
KNOWN_EXCEPTIONS: dict[tuple[str, str, str, int], str] = {
    ("delivery_before_order", "India", "Barak-LRAD", 2017):
        "SIPRI dates the order 2017 but records a first delivery in 2016 (deliveries began "
        "under an earlier arrangement); kept as published.",
    ("delivery_before_order", "Ukraine", "ASRAAM", 2023):
        "Missiles delivered in 2022 ahead of the 2023 contract date SIPRI gives; kept as published.",
    ("delivery_before_order", "Lithuania", "Javelin ATM", 2016):
        "Part delivered in 2015 from US stocks before the 2016 order SIPRI dates; kept as published.",
    ("delivery_before_order", "Lithuania", "FGM-148 Javelin", 2016):
        "Same deal as 'Javelin ATM' in the older description; kept as published.",
    ("delivery_before_order", "South Korea", "M-47 Patton", 1958):
        "Aid deliveries from 1956 recorded under a 1958 order date; kept as published.",
    ("delivery_before_order", "Taiwan", "RF-101A Voodoo", 1963):
        "Tidy (2024) variant: aid aircraft listed as delivered 1962 and 1965 against a 1963 "
        "order date; the 2026 release no longer has this row in this form.",
    ("delivered_without_tiv", "Thailand", "BTR-3", 2008):
        "Tidy variant only: its author split the record at a line break in Comments and "
        "the delivered TIV was lost; deliveries are kept with unknown TIV.",
    ("delivered_without_tiv", "United Nations**", "Hermes-900", 2015):
        "Tidy variant only: same line-break split as above; delivered TIV lost.",
}
# (check, layout) -> reason: a pattern that is a property of a whole layout, not a row.
KNOWN_LAYOUT_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("delivered_exceeds_ordered", "tidy_register"):
        "The tidy variant writes 0 where SIPRI leaves 'Number ordered' empty (not yet "
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


def check_register(deals: dict[str, list[Any]], deliveries: dict[str, list[Any]], layout: str,
                   last_year: int) -> list[Finding]:
    """Every check over a parsed register; returns findings, allowed ones included."""
    out: list[Finding] = []
    d = deals
    per_deal_tiv: dict[int, float] = {}
    for idx, tiv in zip(deliveries["deal_index"], deliveries["tiv"], strict=True):
        if tiv is not None:
            per_deal_tiv[idx] = per_deal_tiv.get(idx, 0.0) + tiv
    years_by_deal: dict[int, list[int]] = {}
    for idx, y in zip(deliveries["deal_index"], deliveries["year"], strict=True):
        years_by_deal.setdefault(idx, []).append(y)
    for i in range(len(d["line"])):
        key = (d["recipient_name"][i], d["designation"][i], d["order_year"][i])
        line = d["line"][i]

        def add(check: str, column: str, value: Any, msg: str) -> None:
            out.append(Finding(check, line, column, value, msg, key))

        for col in ("tiv_unit", "tiv_order", "tiv_delivered"):
            v = d[col][i]
            if v is not None and v < 0:
                add("tiv_negative", col, v, "TIV must not be negative")
        no, nd = d["n_ordered"][i], d["n_delivered"][i]
        if no is not None and nd is not None and nd > no and not (d["n_ordered_est"][i] or d["n_delivered_est"][i]):
            if not (layout == "tidy_register" and no == 0):
                add("delivered_exceeds_ordered", "Number delivered", nd,
                    f"{nd} delivered but {no} ordered, and neither is flagged uncertain")
            else:
                out.append(Finding("delivered_exceeds_ordered", line, "Number ordered", no,
                                   "0 ordered with deliveries", key))
        oy = d["order_year"][i]
        if oy is not None and not 1900 <= oy <= last_year:
            add("year_out_of_range", "Year of order", oy, f"order year outside 1900-{last_year}")
        for y in years_by_deal.get(i, []):
            if not 1900 <= y <= last_year:
                add("year_out_of_range", "Year(s) of delivery", y, f"delivery year outside 1900-{last_year}")
            elif oy is not None and y < oy:
                add("delivery_before_order", "Year(s) of delivery", y, f"delivered in {y}, ordered in {oy}")
        td = d["tiv_delivered"][i]
        if td is not None and abs(per_deal_tiv.get(i, 0.0) - td) > 0.01:
            add("tiv_years_sum", "SIPRI TIV of delivered weapons", td,
                f"per-year TIV adds up to {per_deal_tiv.get(i, 0.0):g}, not {td:g}")
        tu = d["tiv_unit"][i]
        # Unit TIVs are printed rounded (0.05 may be 0.052), so allow half a unit of the last
        # printed digit per item delivered, plus 1%.
        if td is not None and tu is not None and nd and abs(nd * tu - td) > nd * 0.005 + 0.05 + 0.01 * td:
            add("tiv_unit_times_units", "SIPRI TIV of delivered weapons", td,
                f"{nd} x {tu:g} TIV per unit is not {td:g}")
        if td is None and years_by_deal.get(i):
            add("delivered_without_tiv", "SIPRI TIV of delivered weapons", None,
                "delivery years are listed but the delivered TIV is empty")
    return out


def enforce(findings: list[Finding], layout: str, file: str) -> int:
    """Raise on the first finding the allow-list does not explain; return how many it did."""
    allowed = 0
    for f in findings:
        if (f.check, *f.key) in KNOWN_EXCEPTIONS or (
            f.check == "delivered_exceeds_ordered" and f.column == "Number ordered"
            and (f.check, layout) in KNOWN_LAYOUT_EXCEPTIONS
        ):
            allowed += 1
            continue
        others = sum(1 for g in findings if g.check == f.check) - 1
        raise DataCheckError(
            f"Data check '{f.check}' failed: {f.message}"
            + (f" (and {others} more of this kind)" if others > 0 else ""),
            file=file, line=f.line, column=f.column, value=f.value,
            hint="If the publisher really published this, add it with its reason to "
                 "KNOWN_EXCEPTIONS in src/armatlas/store/checks.py after review.",
        )
    return allowed
