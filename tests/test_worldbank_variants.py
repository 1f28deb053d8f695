"""World Bank files as users get them: without their Metadata_Country file, or in one file of
many indicators (WDIData.csv / WDICSV.csv, a DataBank export of several series).

Variants are built in tmp_path from the real files in ../shared; each must store the values
the original file (with its metadata) stores, read back from the store.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import SHARED

from armatlas.store.db import connect
from armatlas.store.ingest import ingest_path

pytestmark = pytest.mark.data

WDI = SHARED / "data" / "worldbank_wdi"
MIL_CD = WDI / "API_MS.MIL.XPND.CD_DS2_en_csv_v2_47475.csv"
P1 = SHARED / "data-other-releases" / "API_MS.MIL.TOTL.P1_DS2_en_csv_v2_10225185.csv"
INDICATOR = "SELECT entity_id, year, code, value FROM indicator ORDER BY ALL"
AGGREGATE = "SELECT wb_code, name, year, code, value FROM indicator_aggregate ORDER BY ALL"


def _stored(path: Path, db: Path) -> tuple[list, list, tuple[str, ...]]:
    con = connect(db)
    r = ingest_path(con, path)
    out = con.execute(INDICATOR).fetchall(), con.execute(AGGREGATE).fetchall()
    snapshots = con.execute("SELECT count(*) FROM snapshot").fetchall()
    con.close()
    assert snapshots == [(1,)] and r.status == "ingested"
    return *out, r.warnings


def _alone(src: Path, dest: Path, change=lambda b: b) -> Path:
    """The data file copied into a folder of its own: no Metadata_Country file beside it."""
    dest.mkdir()
    p = dest / src.name
    p.write_bytes(change(src.read_bytes()))
    return p


@pytest.mark.parametrize("src", [MIL_CD, P1], ids=["2026 spending", "2018 personnel"])
def test_without_metadata_stores_what_the_metadata_gives(tmp_path, src):
    want_ind, want_agg, _ = _stored(src, tmp_path / "a.duckdb")  # the real file, metadata beside it
    got_ind, got_agg, warnings = _stored(_alone(src, tmp_path / "alone"), tmp_path / "b.duckdb")
    assert got_ind == want_ind and got_agg == want_agg
    assert (
        len(warnings) == 1 and "no Metadata_Country file" in warnings[0] and "not stored" not in warnings[0]
    )
    # a value read from the file itself: the United States in the last year it has
    rows = list(csv.reader(io.StringIO(src.read_bytes().decode("utf-8-sig"))))
    header = next(r for r in rows if r[:2] == ["Country Name", "Country Code"])
    usa = next(r for r in rows if r[1:2] == ["USA"])
    year = max(int(h) for h, v in zip(header, usa, strict=False) if h.isdigit() and v)
    assert ("united-states", year, usa[3], float(usa[header.index(str(year))])) in got_ind


def test_without_metadata_a_code_nobody_knows_is_held_back_and_named(tmp_path):
    """'ALB' renamed 'XAB' (not in the register, not a World Bank aggregate): its values are not
    stored as a country or as an aggregate, and the warning names it with its line."""
    p = _alone(MIL_CD, tmp_path / "alone", lambda b: b.replace(b'"Albania","ALB"', b'"Albania","XAB"', 1))
    want_ind, want_agg, _ = _stored(MIL_CD, tmp_path / "a.duckdb")
    got_ind, got_agg, warnings = _stored(p, tmp_path / "b.duckdb")
    line = next(i for i, ln in enumerate(p.read_bytes().splitlines(), 1) if b'"XAB"' in ln)
    albania = [r for r in want_ind if r[0] == "albania"]
    assert albania and got_ind == [r for r in want_ind if r[0] != "albania"] and got_agg == want_agg
    assert f"1 code(s) neither, not stored: XAB ('Albania', line {line})" in warnings[0]


def test_zip_without_metadata_reads_like_the_csv_without_it(tmp_path):
    import zipfile

    z = tmp_path / "zip" / "API_MS.MIL.XPND.CD.zip"
    z.parent.mkdir()
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MIL_CD.name, MIL_CD.read_bytes())
    want_ind, want_agg, _ = _stored(MIL_CD, tmp_path / "a.duckdb")
    got_ind, got_agg, warnings = _stored(z, tmp_path / "b.duckdb")
    assert got_ind == want_ind and got_agg == want_agg and "no Metadata_Country file" in warnings[0]
