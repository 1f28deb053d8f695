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


# --- files of many indicators ---------------------------------------------------------------

GDP = WDI / "API_NY.GDP.MKTP.CD_DS2_en_csv_v2_26.csv"
POP = WDI / "API_SP.POP.TOTL_DS2_en_csv_v2_900.csv"
LABOUR = SHARED / "data-other-releases" / "API_MS.MIL.TOTL.TF.ZS_DS2_en_csv_v2_10224838.csv"  # not read
META = WDI / "Metadata_Country_API_MS.MIL.XPND.CD_DS2_en_csv_v2_47475.csv"


def _api_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    h = next(i for i, r in enumerate(rows) if r[:2] == ["Country Name", "Country Code"])
    return rows[h], [r for r in rows[h + 1 :] if r]


def _wdidata(dest: Path, sources: list[Path]) -> Path:
    """The real API_ files' rows in the bulk WDIData.csv shape: one header (Country Name,
    Country Code, Indicator Name, Indicator Code, 1960..), no preamble, a trailing comma,
    rows by economy and then indicator, as the bulk download writes them."""
    years = sorted({int(c) for p in sources for c in _api_rows(p)[0] if c.isdigit()})
    out = []
    for p in sources:
        header, rows = _api_rows(p)
        at = {int(c): i for i, c in enumerate(header) if c.isdigit()}
        out += [r[:4] + [r[at[y]] if y in at else "" for y in years] + [""] for r in rows]
    out.sort(key=lambda r: (r[0], r[3]))
    buf = io.StringIO()
    w = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(["Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, years), ""])
    w.writerows(out)
    dest.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    return dest


def _ingest_all(paths: list[Path], db: Path) -> list:
    from armatlas.store.ingest import ingest_files

    return [r for p in paths for r in ingest_files([p], store=db)]


def _by_code(db: Path) -> dict[str, list]:
    con = connect(db, read_only=True)
    rows = con.execute("SELECT code, entity_id, year, value FROM indicator ORDER BY ALL").fetchall()
    aggs = con.execute("SELECT code, wb_code, year, value FROM indicator_aggregate ORDER BY ALL").fetchall()
    con.close()
    out: dict[str, list] = {}
    for r in rows + aggs:
        out.setdefault(r[0], []).append(r[1:])
    return out


@pytest.fixture(scope="module")
def one_by_one(tmp_path_factory) -> dict[str, list]:
    """What the three real one-indicator files store, each with the metadata of its folder."""
    db = tmp_path_factory.mktemp("single") / "s.duckdb"
    _ingest_all([MIL_CD, GDP, POP], db)
    return _by_code(db)


@pytest.mark.parametrize("with_country_table", [True, False], ids=["WDICountry.csv", "no metadata"])
def test_wdidata_stores_the_used_indicators_as_their_own_files_do(tmp_path, one_by_one, with_country_table):
    folder = tmp_path / "WDI_CSV"
    folder.mkdir()
    bulk = _wdidata(folder / "WDIData.csv", [MIL_CD, GDP, POP, LABOUR])
    if with_country_table:  # the bulk download's country table: 'Table Name', 'Income Group'
        rows = list(csv.reader(io.StringIO(META.read_bytes().decode("utf-8-sig"))))
        at = {c: i for i, c in enumerate(rows[0])}
        table = [["Country Code", "Short Name", "Table Name", "Region", "Income Group"]]
        table += [[r[0], r[at["TableName"]], r[at["TableName"]], r[1], r[2]] for r in rows[1:] if r]
        (folder / "WDICountry.csv").write_bytes(
            b"\xef\xbb\xbf" + "\r\n".join(",".join(f'"{c}"' for c in r) for r in table).encode("utf-8")
        )
    db = tmp_path / "b.duckdb"
    from armatlas.store.ingest import discover

    files, _ = discover([folder])  # the folder, as `armatlas ingest FOLDER` finds it
    assert files == [bulk]
    results = _ingest_all(files, db)
    assert sorted(r.file for r in results) == [f"WDIData.csv#{c}" for c in sorted(one_by_one)]
    assert {r.status for r in results} == {"ingested"}
    assert sum("other indicator(s) not read" in w for r in results for w in r.warnings) == 1
    assert any("no Metadata_Country" in w for w in results[0].warnings) == (not with_country_table)
    got = _by_code(db)
    assert got == one_by_one and "MS.MIL.TOTL.TF.ZS" not in got
    # a figure read from the real file: US military spending in 2022
    header, rows = _api_rows(MIL_CD)
    usa = next(r for r in rows if r[1] == "USA")
    assert ("united-states", 2022, float(usa[header.index("2022")])) in got["MS.MIL.XPND.CD"]
    again = _ingest_all([bulk], db)
    assert {r.status for r in again} == {"unchanged"} and len(again) == 3


def test_databank_export_of_two_series_stores_each(tmp_path, one_by_one):
    """DataBank's layout with two series, rows by series (`2000 [YR2000]`, `..`, a footer)."""
    out = []
    for p in (MIL_CD, GDP):
        header, rows = _api_rows(p)
        years = [c for c in header[4:] if c.isdigit()]
        out += [r[:4] + [c or ".." for c in r[4 : 4 + len(years)]] for r in rows]
    head = ["Country Name", "Country Code", "Series Name", "Series Code"] + [f"{y} [YR{y}]" for y in years]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([head, *out, [], ["Data from database: WDI"]])
    p = tmp_path / "in" / "Data.csv"
    p.parent.mkdir()
    p.write_bytes(buf.getvalue().encode("utf-8"))
    (p.parent / META.name).write_bytes(META.read_bytes())
    db = tmp_path / "d.duckdb"
    results = _ingest_all([p], db)
    assert sorted(r.file for r in results) == ["Data.csv#MS.MIL.XPND.CD", "Data.csv#NY.GDP.MKTP.CD"]
    got = _by_code(db)
    assert got == {k: one_by_one[k] for k in ("MS.MIL.XPND.CD", "NY.GDP.MKTP.CD")}


def test_bulk_download_zip_is_read_as_it_is(tmp_path, one_by_one):
    """WDI_CSV.zip as the World Bank serves it: the data file streamed out of the zip, countries
    from its WDICountry.csv; the same stored values as the one-indicator files."""
    import zipfile

    data = _wdidata(tmp_path / "WDIData.csv", [MIL_CD, GDP, POP, LABOUR])
    rows = list(csv.reader(io.StringIO(META.read_bytes().decode("utf-8-sig"))))
    at = {c: i for i, c in enumerate(rows[0])}
    table = [["Country Code", "Table Name", "Region", "Income Group"]]
    table += [[r[0], r[at["TableName"]], r[1], r[2]] for r in rows[1:] if r]
    folder = tmp_path / "dl"
    folder.mkdir()
    z = folder / "WDI_CSV.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("WDIData.csv", data.read_bytes())
        zf.writestr("WDICountry.csv", "\r\n".join(",".join(f'"{c}"' for c in r) for r in table))
        zf.writestr("WDISeries.csv", '"Series Code","Topic"\r\n')
    from armatlas.store.ingest import discover

    assert discover([folder])[0] == [z]
    db = tmp_path / "z.duckdb"
    results = _ingest_all([z], db)
    assert sorted(r.file for r in results) == [f"WDI_CSV.zip#{c}" for c in sorted(one_by_one)]
    assert not any("no Metadata_Country" in w for r in results for w in r.warnings)
    assert _by_code(db) == one_by_one


def test_damaged_bulk_zip_is_a_parse_error(tmp_path):
    import zipfile

    from armatlas.errors import ParseError
    from armatlas.sources.worldbank_bulk import parse_multi

    data = _wdidata(tmp_path / "WDIData.csv", [MIL_CD, GDP])
    z = tmp_path / "WDI_CSV.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("WDIData.csv", data.read_bytes())
    raw = bytearray(z.read_bytes())
    raw[200:260] = bytes(60)  # inside the deflated data
    z.write_bytes(bytes(raw))
    with pytest.raises(ParseError) as e:
        parse_multi(z)
    assert "damaged" in e.value.message


def test_a_folder_finds_indicator_files_by_their_header(tmp_path, one_by_one):
    """The World Bank's pre-2017 file names (`ny.gdp.mktp.cd_Indicator_en_csv_v2.csv`, its
    metadata `Metadata_Country_<same>`) are found in a folder by their header, not their name."""
    from armatlas.store.ingest import discover

    folder = tmp_path / "old"
    folder.mkdir()
    name = "ny.gdp.mktp.cd_Indicator_en_csv_v2.csv"
    (folder / name).write_bytes(GDP.read_bytes())
    (folder / f"Metadata_Country_{name}").write_bytes(META.read_bytes())
    files, skipped = discover([folder])
    assert files == [folder / name] and not skipped
    db = tmp_path / "o.duckdb"
    (r,) = _ingest_all(files, db)
    assert r.status == "ingested" and not r.warnings
    assert _by_code(db) == {"NY.GDP.MKTP.CD": one_by_one["NY.GDP.MKTP.CD"]}


def test_header_check_never_cuts_a_character_in_two():
    """A UTF-8 file whose 8,192nd byte falls inside a character (the 2018 file's '’') is still
    an indicator file by its header (the head is cut at a line break, not in a character)."""
    from armatlas.sources import worldbank

    char = "\u2019".encode()  # three bytes in UTF-8
    lines = P1.read_bytes().split(b"\n")[4:]  # from the header on
    k = next(i for i, ln in enumerate(lines) if char in ln)
    body = b"\n".join([lines[0], lines[k], *lines[1:k], *lines[k + 1 :]])  # its row first
    at = body.index(char)
    lead = b"\xef\xbb\xbf" + b'"Data Source","'
    pad = 8191 - at - len(lead) - len(b'"\n')  # the character starts at byte 8191
    variant = lead + b"x" * pad + b'"\n' + body
    assert variant[8191:8194] == char
    assert worldbank.is_indicator_csv(variant)


def _series_in_columns(sources: list[Path]) -> bytes:
    """DataBank's other layout, built from the real files: a row per year and economy (`Time`,
    `Time Code`), one column per series ('Name [CODE]'), '..' for missing, a footer."""
    data = [_api_rows(p) for p in sources]
    years = sorted({int(c) for h, _ in data for c in h if c.isdigit()})
    cells = {}
    names = {}
    for header, rows in data:
        at = {int(c): i for i, c in enumerate(header) if c.isdigit()}
        for r in rows:
            names[r[1]] = r[0]
            for y, i in at.items():
                cells[r[3], r[1], y] = r[i] if i < len(r) else ""
    head = ["Time", "Time Code", "Country Name", "Country Code"] + [
        f"{rows[0][2]} [{rows[0][3]}]" for _, rows in data
    ]
    out = [head]
    for y in years:
        for code, name in names.items():
            out.append(
                [str(y), f"YR{y}", name, code] + [cells.get((r[0][3], code, y), "") or ".." for _, r in data]
            )
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(
        [*out, [], ["Data from database: World Development Indicators"]]
    )
    return buf.getvalue().encode("utf-8")


def test_databank_series_as_columns_stores_each_series(tmp_path, one_by_one):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "Data.csv").write_bytes(_series_in_columns([MIL_CD, GDP]))
    (folder / META.name).write_bytes(META.read_bytes())
    (folder / "one").mkdir()
    (folder / "one" / "Data.csv").write_bytes(_series_in_columns([MIL_CD]))
    (folder / "one" / META.name).write_bytes(META.read_bytes())
    db = tmp_path / "d.duckdb"
    results = _ingest_all([folder / "Data.csv"], db)
    assert sorted(r.file for r in results) == ["Data.csv#MS.MIL.XPND.CD", "Data.csv#NY.GDP.MKTP.CD"]
    assert _by_code(db) == {k: one_by_one[k] for k in ("MS.MIL.XPND.CD", "NY.GDP.MKTP.CD")}
    db1 = tmp_path / "one.duckdb"
    (single,) = _ingest_all([folder / "one" / "Data.csv"], db1)  # one series: a one-indicator file
    assert single.file == "Data.csv" and _by_code(db1) == {"MS.MIL.XPND.CD": one_by_one["MS.MIL.XPND.CD"]}


def test_databank_series_as_columns_bad_cell_names_line_and_series(tmp_path):
    from armatlas.errors import ParseError
    from armatlas.sources import worldbank

    lines = _series_in_columns([MIL_CD]).split(b"\r\n")
    usa = next(i for i, ln in enumerate(lines) if b",USA," in ln and ln.startswith(b"2020,"))
    lines[usa] = lines[usa].rsplit(b",", 1)[0] + b",12x4"
    p = tmp_path / "Data.csv"
    p.write_bytes(b"\r\n".join(lines))
    with pytest.raises(ParseError) as e:
        worldbank.parse(p, META)
    assert (e.value.line, e.value.value) == (usa + 1, "12x4") and "[MS.MIL.XPND.CD]" in e.value.column
