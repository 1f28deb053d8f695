"""Order pipeline: outstanding units and TIV from the real register, planned years from comments."""

from __future__ import annotations

import csv

import pytest
from conftest import REGISTER_2026

from armatlas.analysis.pipeline import pipeline, planned_delivery


def _raw_rows(recipient: str, designation: str) -> list[list[str]]:
    """Rows of the 2026 web register read with the csv module, independently of the parser."""
    with open(REGISTER_2026, encoding="cp1252", newline="") as f:
        return [r for r in csv.reader(f) if len(r) >= 16 and r[0] == recipient and r[6] == designation]


def test_jf17_outstanding_matches_register_row(con) -> None:
    (raw,) = _raw_rows("Azerbaijan", "JF-17 Thunder Block-3")
    ordered, delivered, unit = int(raw[4]), int(raw[8]), float(raw[13])
    res = pipeline(con, importer="Azerbaijan", supplier="Pakistan")
    (row,) = [r for r in res.rows if r["designation"] == "JF-17 Thunder Block-3"]
    assert row["outstanding_units"] == ordered - delivered == 35
    assert row["outstanding_tiv"] == pytest.approx((ordered - delivered) * unit)
    assert (row["planned_first"], row["planned_last"], row["planned_uncertain"]) == (2025, 2027, True)
    assert row["estimated"]  # 'Number delivered' carries a '?' in the register


def test_summary_adds_up(con) -> None:
    res = pipeline(con, importer="Azerbaijan")
    total = sum(r["outstanding_tiv"] or 0 for r in res.rows)
    assert res.summary.outstanding_tiv == pytest.approx(total)
    assert sum(g.outstanding_tiv for g in res.summary.by_supplier) == pytest.approx(total)
    assert sum(g.share for g in res.summary.by_category) == pytest.approx(1.0)
    assert all(r["outstanding_units"] > 0 for r in res.rows if r["outstanding_units"] is not None)
    selected = [r for r in res.rows if r["selected_only"]]
    assert [r["designation"] for r in selected] == ["SAM-120"]  # 'Selected but not yet ordered'


def test_world_pipeline_excludes_complete_orders(con) -> None:
    res = pipeline(con)
    assert all(r["n_ordered"] is None or (r["n_delivered"] or 0) < r["n_ordered"] for r in res.rows)
    # Orders of unknown size that already had deliveries cannot be judged complete or not.
    assert res.summary.unknown_size_with_deliveries_left_out > 0
    assert all((r["n_delivered"] or 0) == 0 for r in res.rows if r["size_unknown"])


def test_delivery_year_layout_has_no_pipeline(con) -> None:
    res = pipeline(con, importer="India", release="2024-04-13")
    assert len(res) == 0 and res.summary.available is False
    assert "Number ordered" in res.warnings[0]
    assert "outstanding_tiv" in res.table.column_names


def test_unknown_country(con) -> None:
    from armatlas.errors import UnknownCountryError

    with pytest.raises(UnknownCountryError):
        pipeline(con, importer="Azerbajan")


@pytest.mark.parametrize(
    ("comment", "expected"),
    [
        ("$4.6 b deal; delivery probably planned 2025-2027", (2025, 2027, "range", True)),
        ("Delivery planned from 2026", (2026, None, "from", False)),
        ("delivery planned by 2030", (None, 2030, "by", False)),
        ("Delivery planned 2026", (2026, 2026, "year", False)),
        ("delivery planned 2026-28 (delayed from 2024)", (2026, 2028, "range", False)),
        ("delivery planned 2012-2034/2038", (2012, 2038, "range", False)),
        ("dlivery planned by 2027", (None, 2027, "by", False)),
        ("Second-hand but modernized before delivery", None),
        (None, None),
    ],
)
def test_planned_delivery(comment: str | None, expected: tuple | None) -> None:
    p = planned_delivery(comment)
    assert (None if p is None else (p.first, p.last, p.kind, p.uncertain)) == expected
