"""Provenance.citation(): each result cites the datasets its snapshots come from, with dates."""

from __future__ import annotations

import csv

import duckdb
import openpyxl
import pytest
from conftest import REGISTER_2026
from spending_store import MILEX, WDI, spending_store

from armatlas.analysis.spending import indicators, spending
from armatlas.results import Provenance, SnapshotRef


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect(str(spending_store()), read_only=True)
    yield c
    c.close()


def last_updated(path) -> str:
    """The bulk file's own 'Last Updated Date' line, read without armatlas."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return next(r[1] for r in csv.reader(fh) if r and r[0] == "Last Updated Date")


def milex_dates() -> tuple[str, str]:
    """(year coverage, workbook date) of the milex workbook, read without armatlas."""
    wb = openpyxl.load_workbook(MILEX, read_only=True)
    modified = wb.properties.modified.date().isoformat()
    ws = next(w for w in wb.worksheets if w.title.lower().startswith("constant"))
    header = next(r for r in ws.iter_rows(values_only=True) if r and r[0] == "Country")
    wb.close()
    years = [int(v) for v in header if isinstance(v, (int, float))]
    return f"{min(years)}-{max(years)}", modified


def test_spending_cites_the_milex_database_with_release_and_date(con):
    coverage, _ = milex_dates()
    res = spending(con, "ukraine", year=2024)
    # the release is the workbook's own coverage; its file date (changed by any re-save) is not cited
    assert res.provenance.citation() == f"Source: SIPRI Military Expenditure Database ({coverage})."
    assert "Arms Transfers" not in res.provenance.citation()
    assert not any("Source:" in n for n in res.provenance.notes)  # said once, by citation()


def test_indicators_cite_the_world_bank_with_each_vintage(con):
    codes = ["MS.MIL.XPND.GD.ZS", "SP.POP.TOTL"]
    res = indicators(con, "ukraine", codes)
    dates = sorted(
        {
            last_updated(WDI / f)
            for f in ("API_MS.MIL.XPND.GD.ZS_DS2_en_csv_v2_211.csv", "API_SP.POP.TOTL_DS2_en_csv_v2_900.csv")
        }
    )
    assert len(dates) == 2  # two vintages, both named
    assert res.provenance.citation() == (
        f"Source: World Bank, World Development Indicators (CC BY 4.0), last updated {', '.join(dates)}."
    )


def test_mixed_sources_each_cited_in_order_and_transfers_unchanged():
    generated = REGISTER_2026.stem.rsplit("generated-", 1)[1]  # "2026-05-18" from the file name
    at = SnapshotRef(
        1,
        "sipri_arms_transfers",
        REGISTER_2026.name,
        "web",
        generated,
        f"{generated} 14:29:20",
        "0" * 64,
        None,
    )
    wb = SnapshotRef(
        2, "worldbank_wdi", "x.csv", "bulk_csv", "2026-02-24", "2026-02-24 00:00:00", "1" * 64, None
    )
    assert Provenance(generated, [at]).citation() == (
        f"Source: SIPRI Arms Transfers Database, data generated {generated}."
    )
    assert Provenance(generated, [at, wb, at]).citation() == (
        f"Source: SIPRI Arms Transfers Database, data generated {generated}; "
        "World Bank, World Development Indicators (CC BY 4.0), last updated 2026-02-24."
    )
    undated = SnapshotRef(3, "sipri_milex", "m.xlsx", "xlsx", "", None, "2" * 64, None)
    assert Provenance("", [undated]).citation() == "Source: SIPRI Military Expenditure Database."


def test_rows_in_json_lose_nan_and_give_dates_as_iso_text() -> None:
    """Rows are cleaned per column type (floats lose NaN; dates, structs and lists of numbers
    through the general cleaner; text, integers, booleans and lists of text as they are)."""
    import datetime as dt
    import json

    import pyarrow as pa

    from armatlas.results import CompositeResult, TableResult

    t = pa.Table.from_arrays(
        [
            pa.array([1.5, float("nan"), None]),
            pa.array([dt.date(2024, 3, 11), None, dt.date(2025, 1, 2)]),
            pa.array([{"x": float("nan")}, {"x": 2.0}, None]),
            pa.array([[1.0, float("nan")], [], None]),
            pa.array([["a"], [], None]),
            pa.array([1, None, 3]),
            pa.array(["é", None, "b"]),
        ],
        names=["f", "d", "s", "lf", "ls", "i", "t"],
    )
    want = [
        {"f": 1.5, "d": "2024-03-11", "s": {"x": None}, "lf": [1.0, None], "ls": ["a"], "i": 1, "t": "é"},
        {"f": None, "d": None, "s": {"x": 2.0}, "lf": [], "ls": [], "i": None, "t": None},
        {"f": None, "d": "2025-01-02", "s": None, "lf": None, "ls": None, "i": 3, "t": "b"},
    ]
    one = TableResult("t", t, Provenance("r", []))
    assert one.to_dict()["rows"] == want and json.loads(one.to_json())["rows"] == want
    both = CompositeResult("c", {"a": one}, Provenance("r", []))
    assert both.to_dict()["parts"] == {"a": {"units": {}, "rows": want}}
