"""World Bank files: data checks like the registers', changed files re-read, damaged files refused,
and the 2018 armed-forces personnel vintage ingested as indicators."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from conftest import SHARED

from armatlas.errors import DataCheckError, LayoutError, ParseError, ReleaseConflictError
from armatlas.sources import worldbank
from armatlas.store.db import connect
from armatlas.store.ingest import ingest_path

OTHER = SHARED / "data-other-releases"
P1 = OTHER / "API_MS.MIL.TOTL.P1_DS2_en_csv_v2_10225185.csv"
TF = OTHER / "API_MS.MIL.TOTL.TF.ZS_DS2_en_csv_v2_10224838.csv"

pytestmark = pytest.mark.data


def file_value(path: Path, code: str, year: int) -> float:
    """A value read from the bulk CSV with the csv module (BOM and preamble skipped by hand)."""
    lines = path.read_bytes().decode("utf-8-sig").splitlines()
    h = next(i for i, ln in enumerate(lines) if ln.startswith('"Country Name"'))
    rows = list(csv.reader(lines[h:]))
    col = rows[0].index(str(year))
    return float(next(r for r in rows if len(r) > 1 and r[1] == code)[col])


def copy_with(tmp: Path, src: Path, transform) -> Path:
    """A copy of a WDI file (and its metadata beside it) with its text transformed."""
    out = tmp / src.name
    out.write_bytes(transform(src.read_bytes()))
    meta = src.with_name(f"Metadata_Country_{src.name}")
    (tmp / meta.name).write_bytes(meta.read_bytes())
    return out


def test_personnel_vintage_2018_ingests_as_indicators(tmp_path: Path) -> None:
    assert P1.read_bytes()[:3] == b"\xef\xbb\xbf" and b"\r\n" in P1.read_bytes()[:400]  # BOM + CRLF
    con = connect(tmp_path / "wb.duckdb")
    try:
        r1, r2 = ingest_path(con, P1), ingest_path(con, TF)
        assert r1.release == r2.release == "2018-11-14"
        got = dict(
            con.execute(
                "SELECT code, value FROM indicator WHERE entity_id = 'india' AND year = 2016"
            ).fetchall()
        )
        assert got["MS.MIL.TOTL.P1"] == file_value(P1, "IND", 2016)
        assert got["MS.MIL.TOTL.TF.ZS"] == pytest.approx(file_value(TF, "IND", 2016))
        world = con.execute(
            "SELECT value FROM indicator_aggregate WHERE wb_code = 'WLD' AND year = 2016 "
            "AND code = 'MS.MIL.TOTL.P1'"
        ).fetchall()
        assert world == [(file_value(P1, "WLD", 2016),)]  # aggregates kept apart
    finally:
        con.close()


def _swap_cell(raw: bytes, code: str, year: int, new: str) -> bytes:
    """Replace one economy's value for a year, keeping every other byte."""
    text = raw.decode("utf-8-sig")
    lines = text.split("\r\n")
    h = next(i for i, ln in enumerate(lines) if ln.startswith('"Country Name"'))
    col = next(csv.reader([lines[h]])).index(str(year))
    i = next(i for i, ln in enumerate(lines) if f'"{code}"' in ln)
    cells = next(csv.reader([lines[i]]))
    cells[col] = new
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="").writerow(cells)
    lines[i] = buf.getvalue() + ","
    return b"\xef\xbb\xbf" + "\r\n".join(lines).encode()


@pytest.mark.parametrize("value,error", [("nan", ParseError), ("inf", ParseError), ("-5", DataCheckError)])
def test_non_finite_and_out_of_range_values_are_refused_with_their_cell(tmp_path: Path, value, error) -> None:
    bad = copy_with(tmp_path, P1, lambda b: _swap_cell(b, "IND", 2016, value))
    with pytest.raises(error) as e:
        worldbank.parse(bad)
    assert e.value.column == "2016" and e.value.line is not None and value in str(e.value.value)


def test_share_above_100_and_duplicate_rows_are_findings(tmp_path: Path) -> None:
    bad = copy_with(tmp_path, TF, lambda b: _swap_cell(b, "IND", 2016, "140"))
    with pytest.raises(DataCheckError, match="out of range"):
        worldbank.parse(bad)
    raw = P1.read_bytes().decode("utf-8-sig").split("\r\n")
    ind = next(ln for ln in raw if '"IND"' in ln)
    dup = copy_with(tmp_path, P1, lambda b: b + ind.encode() + b"\r\n")
    with pytest.raises(DataCheckError, match="Two values") as e:
        worldbank.parse(dup)
    assert e.value.line == len(raw) + 1 or e.value.line > 200


def test_renamed_year_header_fails_instead_of_dropping_a_year(tmp_path: Path) -> None:
    bad = copy_with(tmp_path, P1, lambda b: b.replace(b'"1999","2000"', b'"1999","Y2K"', 1))
    with pytest.raises(LayoutError) as e:
        worldbank.parse(bad)
    assert e.value.value == "Y2K"


def test_changed_file_with_the_same_last_updated_is_read_and_refused(tmp_path: Path) -> None:
    """The date says 'same vintage', the content says otherwise: a conflict, never 'unchanged'."""
    con = connect(tmp_path / "wb.duckdb")
    try:
        ingest_path(con, P1)
        changed = copy_with(tmp_path, P1, lambda b: _swap_cell(b, "IND", 2016, "3000000"))
        with pytest.raises(ReleaseConflictError):
            ingest_path(con, changed)
        r = ingest_path(con, changed, replace=True)
        assert r.status == "replaced"
        assert con.execute(
            "SELECT value FROM indicator WHERE entity_id = 'india' AND year = 2016"
        ).fetchall() == [(3000000.0,)]
    finally:
        con.close()


def test_damaged_zip_and_json_are_clear_errors(tmp_path: Path) -> None:
    z = tmp_path / "API_X.zip"
    good = io.BytesIO()
    with zipfile.ZipFile(good, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(P1.name, P1.read_bytes())
        zf.writestr(f"Metadata_Country_{P1.name}", P1.with_name(f"Metadata_Country_{P1.name}").read_bytes())
    data = good.getvalue()
    z.write_bytes(data[: len(data) // 2])  # cut in the middle
    with pytest.raises(ParseError, match="damaged"):
        worldbank.parse(z)
    j = tmp_path / "worldbank_wdi" / "2026-01-01" / "MS.MIL.TOTL.P1.json"
    j.parent.mkdir(parents=True)
    j.write_text('{"code": "MS.MIL.TOTL.P1", "rows": [')
    with pytest.raises(ParseError, match="JSON"):
        worldbank.parse(j)


def test_zip_member_over_the_cap_fails_before_it_is_inflated(tmp_path: Path) -> None:
    z = tmp_path / "API_bomb.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(P1.name, P1.read_bytes() * 40)  # ~4 MB inflated, tiny compressed
        zf.writestr(f"Metadata_Country_{P1.name}", b"x")
    with zipfile.ZipFile(z) as zf:
        with pytest.raises(ParseError, match="too large") as e:
            worldbank.read_member(zf, P1.name, z.name, cap=1_000_000)
        assert "bytes" in str(e.value.value)
