"""Milex workbooks of other releases: error cells, release from content, year headers, newest wins.

Expected values are read from the workbooks here with openpyxl, independently of the parser.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from conftest import SHARED
from spending_store import MILEX

from armatlas.analysis.spending import milex_snapshot
from armatlas.errors import LayoutError
from armatlas.sources.sipri_milex import ParsedMilex, _year_columns
from armatlas.store.db import connect
from armatlas.store.ingest import ingest_path

OTHER = SHARED / "data-other-releases"
RICK = OTHER / "SIPRI-Milex-data-1949-2020_0_Rick0701.xlsx"  # 2021 release, one #VALUE! cell
POI = OTHER / "SIPRI-Milex-data-1949-2023_Bingsongl.xlsx"  # re-saved by Apache POI, no 'modified'

pytestmark = pytest.mark.data


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return list(wb[sheet].iter_rows(values_only=True))
    finally:
        wb.close()


def workbook_cell(path: Path, sheet: str, country: str, year: int):
    rows = sheet_rows(path, sheet)
    header = next(r for r in rows if r and r[0] and str(r[0]).strip() == "Country")
    col = next(
        i for i, v in enumerate(header) if v is not None and str(v).strip() in (str(year), f"{year}.0")
    )
    return next(r for r in rows if r and r[0] and str(r[0]).strip() == country)[col]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    """The 2025 workbook first, then two older releases: ingest order must not decide."""
    con = connect(tmp_path_factory.mktemp("milex") / "m.duckdb")
    results = {p.name: ingest_path(con, p) for p in (MILEX, RICK, POI)}
    yield con, results
    con.close()


def _value(con, sid: int, entity: str, measure: str, year: int):
    return con.execute(
        "SELECT value, status FROM milex WHERE snapshot_id = ? AND entity_id = ? AND measure = ? "
        "AND year = ?",
        [sid, entity, measure, year],
    ).fetchall()


def test_value_error_cell_is_a_flagged_missing_value(store) -> None:
    con, results = store
    r = results[RICK.name]
    assert workbook_cell(RICK, "Share of Govt. spending", "Myanmar", 1997) == "#VALUE!"
    assert _value(con, r.snapshot_id, "myanmar", "share_govt", 1997) == [(None, "error")]
    errors = [w for w in r.warnings if "spreadsheet error" in w]
    assert len(errors) == 1 and "#VALUE!" in errors[0] and "Myanmar" in errors[0]
    # older spellings resolve by recorded rules, and say so
    assert any("'USA' read as united-states" in w for w in r.warnings)
    usa = workbook_cell(RICK, "Constant (2019) USD", "USA", 2020)
    assert _value(con, r.snapshot_id, "united-states", "constant_usd", 2020)[0][0] == pytest.approx(usa)


def test_release_comes_from_the_content_not_file_properties(store) -> None:
    con, results = store
    rows = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT file_name, release, generated_at, publisher_stamp, last_year FROM snapshot"
        ).fetchall()
    }
    # Rick's copy was re-saved in 2022, the POI copy has no 'modified' at all: neither date is used.
    assert rows[RICK.name] == ("1949-2020", None, "© SIPRI 2021", 2020)
    assert rows[POI.name] == ("1949-2022", None, "© SIPRI 2022", 2022)
    assert rows[MILEX.name][0] == "1949-2024" and rows[MILEX.name][3] == 2024
    india = workbook_cell(POI, "Share of GDP", "India", 2022)
    got = _value(con, results[POI.name].snapshot_id, "india", "share_gdp", 2022)
    assert got[0][0] == pytest.approx(india) and 0.01 < got[0][0] < 0.05


def test_newest_release_wins_not_the_last_ingested(store) -> None:
    con, results = store
    assert milex_snapshot(con) == results[MILEX.name].snapshot_id
    assert results[POI.name].snapshot_id > results[MILEX.name].snapshot_id  # ingested later


def _real_header() -> list:
    rows = sheet_rows(RICK, "Constant (2019) USD")
    return list(next(r for r in rows if r and r[0] == "Country"))


def test_a_renamed_year_header_is_read_or_refused_never_dropped() -> None:
    header = _real_header()
    i2019 = header.index(2019)
    assert header[i2019 + 2] == "2020 Current"  # SIPRI's extra column: not a second 2020
    base = _year_columns(list(header), ParsedMilex("f.xlsx", None), "Constant", 5)
    assert sorted(base.values()) == list(range(1949, 2021))
    renamed = list(header)
    renamed[i2019] = "2019 (est.)"
    out = ParsedMilex("f.xlsx", None)
    assert _year_columns(renamed, out, "Constant", 5) == base and "2019 (est.)" in out.warnings[0]
    last = list(header)
    last[i2019 + 1] = "2020*"  # the last year renamed: still read as 2020
    assert _year_columns(last, ParsedMilex("f.xlsx", None), "Constant", 5) == base
    for bad in ("Latest", None):
        broken = list(header)
        broken[i2019 - 10] = bad
        with pytest.raises(LayoutError) as e:
            _year_columns(broken, ParsedMilex("f.xlsx", None), "Constant", 5)
        assert e.value.line == 5 and "Constant" in (e.value.column or "")
