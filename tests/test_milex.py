"""SIPRI milex workbook: parser and ingest against the real file, read independently here."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import duckdb
import fake_publishers
import openpyxl
import pytest
from fake_publishers import serve_file
from spending_store import MILEX, spending_store

from armatlas.analysis.spending import break_notes, spending
from armatlas.errors import FetchError, LayoutError
from armatlas.sources import sipri_milex
from armatlas.sources.sipri_milex import classify_sheet, parse
from armatlas.sources.snapshot import read_meta
from armatlas.store.db import connect
from armatlas.store.spending_ingest import ingest_milex

pytestmark = pytest.mark.data  # reads the real snapshot files directly

fake_publisher = fake_publishers.fake_publisher  # the fixture, made visible to this module
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect(str(spending_store()), read_only=True)
    yield c
    c.close()


@pytest.fixture(scope="module")
def workbook():
    wb = openpyxl.load_workbook(MILEX, read_only=True, data_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    wb.close()
    return sheets


def cell(rows: list[list], country: str, year: int):
    header = next(r for r in rows if r and r[0] == "Country")
    col = header.index(float(year)) if float(year) in header else header.index(year)
    return next(r for r in rows if r and r[0] == country)[col]


def test_share_of_gdp_matches_workbook(con, workbook):
    gdp = next(v for k, v in workbook.items() if "GDP" in k)
    for country, eid, year in [
        ("Ukraine", "ukraine", 2024),
        ("Algeria", "algeria", 2024),
        ("Türkiye", "turkiye", 2020),
    ]:
        expected = cell(gdp, country, year)
        got = con.execute(
            "SELECT value FROM milex WHERE entity_id=? AND year=? AND measure='share_gdp'", [eid, year]
        ).fetchall()[0][0]
        assert got == pytest.approx(expected)
        assert 0 < got < 1  # stored as a fraction, exactly as the workbook holds it


def test_constant_dollar_base_year_read_from_sheet_name(con, workbook):
    name = next(k for k in workbook if k.lower().startswith("constant"))
    base = int(re.search(r"\d{4}", name).group(0))
    assert con.execute("SELECT DISTINCT base_year FROM milex WHERE measure='constant_usd'").fetchall() == [
        (base,)
    ]
    assert classify_sheet("Constant (2025) US$").base_year == 2025
    assert classify_sheet("Footnotes") is None


def test_missing_and_did_not_exist_kept_apart(con, workbook):
    name = next(k for k in workbook if k.lower().startswith("constant"))
    flat = [c for r in workbook[name] for c in r[1:]]
    n_xxx, n_missing = flat.count("xxx"), flat.count("...")
    got = dict(
        con.execute("SELECT status, count(*) FROM milex WHERE measure='constant_usd' GROUP BY 1").fetchall()
    )
    assert got["did_not_exist"] == n_xxx > 0
    assert got["missing"] == n_missing > 0
    assert (
        con.execute(
            "SELECT count(*) FROM milex WHERE status IN ('missing','did_not_exist') AND value IS NOT NULL"
        ).fetchall()[0][0]
        == 0
    )


def test_region_rows_skipped_and_flags_kept(con):
    names = {r[0] for r in con.execute("SELECT DISTINCT name FROM milex").fetchall()}
    assert not {"Africa", "North Africa", "Middle East", "Europe"} & names
    assert {"USSR", "Türkiye", "Korea, South", "Congo, DR"} <= names
    assert con.execute("SELECT DISTINCT flags FROM milex WHERE name='Eritrea'").fetchall() == [("§‖19",)]


def test_estimates_and_known_outlier(con):
    # Blue figures are SIPRI estimates; Kuwait 1991 (117 % of GDP) is the one allowed share > 1.
    assert con.execute("SELECT count(*) FROM milex WHERE status='estimate'").fetchall()[0][0] > 1000
    assert con.execute("SELECT allowed_exceptions FROM snapshot WHERE source='sipri_milex'").fetchall() == [
        (1,)
    ]
    assert (
        con.execute(
            "SELECT value FROM milex WHERE entity_id='kuwait' AND year=1991 AND measure='share_gdp'"
        ).fetchall()[0][0]
        > 1
    )


def test_reingest_is_idempotent_and_bad_file_writes_nothing(tmp_path):
    c = connect(tmp_path / "s.duckdb")
    first = ingest_milex(c, MILEX)
    n = c.execute("SELECT count(*) FROM milex").fetchall()[0][0]
    assert ingest_milex(c, MILEX).status == "unchanged"
    assert c.execute("SELECT count(*) FROM milex").fetchall()[0][0] == n
    bad = tmp_path / "SIPRI-Milex-broken.xlsx"
    bad.write_bytes(b"<html>not a workbook</html>")
    with pytest.raises(LayoutError):
        ingest_milex(c, bad)
    assert c.execute("SELECT count(*) FROM snapshot").fetchall()[0][0] == 1
    assert first.records == len({r[0] for r in c.execute("SELECT DISTINCT entity_id FROM milex").fetchall()})
    c.close()


def test_spending_ukraine_2024(con, workbook):
    gdp = next(v for k, v in workbook.items() if "GDP" in k)
    res = spending(con, "ukraine", year=2024)
    assert res.summary.share_gdp == pytest.approx(cell(gdp, "Ukraine", 2024))
    header = next(r for r in gdp if r and r[0] == "Country")
    col = header.index(2024.0)
    top = max(
        (r for r in gdp if len(r) > col and r[0] != "Country" and isinstance(r[col], float)),
        key=lambda r: r[col],
    )[0]
    assert (top == "Ukraine") == (res.summary.world_rank_share_gdp == 1)
    g1 = next(g for g in res["growth"].rows if g["years"] == 1)
    const = next(v for k, v in workbook.items() if k.lower().startswith("constant"))
    assert g1["change"] == pytest.approx(cell(const, "Ukraine", 2024) / cell(const, "Ukraine", 2023) - 1)
    assert "russia" in {p["entity_id"] for p in res["peers"].rows}  # same subregion
    assert set(res.to_pandas("series").columns) >= {"year", "constant_usd", "share_gdp", "break"}


def test_break_notes_flag_redenomination():
    rows = [
        {"year": 2004, "local_currency": 1e15, "constant_usd": 10.0, "status": "reported"},
        {"year": 2005, "local_currency": 1e9, "constant_usd": 11.0, "status": "reported"},
        {"year": 2006, "local_currency": 1.1e9, "constant_usd": 12.0, "status": "reported"},
    ]
    notes = break_notes(rows)
    assert notes[0] is None and "redenomination" in notes[1] and notes[2] is None


def test_parse_detects_every_data_sheet():
    p = parse(MILEX)
    assert sorted(p.sheets.values()) == sorted(
        [
            "constant_usd",
            "current_usd",
            "share_gdp",
            "per_capita",
            "share_govt",
            "local_currency_fy",
            "local_currency_cy",
        ]
    )
    assert p.release == "1949-2024"


def test_fetch_keeps_workbook_bytes_and_refuses_an_html_page(fake_publisher, tmp_path):
    route = f"/sites/default/files/{MILEX.name}"
    fake_publisher.route("GET", route, serve_file(MILEX, XLSX))
    url = fake_publisher.url + route
    kw = {"url": url, "retries": 1, "backoff": 0.01, "today": date(2026, 11, 24)}
    (snap,) = sipri_milex.fetch(tmp_path, **kw)
    got = snap.path
    assert snap.source == "sipri_milex" and snap.meta["file_name"] == MILEX.name
    assert got == tmp_path / "sipri_milex" / "2026-11-24" / MILEX.name  # the shared snapshot layout
    assert got.read_bytes() == MILEX.read_bytes()
    meta = read_meta(got)
    assert meta["sha256"] == hashlib.sha256(MILEX.read_bytes()).hexdigest()
    assert meta["url"] == url and meta["bytes"] == MILEX.stat().st_size and meta["source"] == "sipri_milex"
    assert parse(got).release == "1949-2024"  # the kept file is the workbook, readable
    assert [s.path for s in sipri_milex.fetch(tmp_path, **kw)] == [
        got
    ]  # same bytes the same day: no second folder
    before = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    fake_publisher.fail(route, "html")  # an error page with status 200
    with pytest.raises(FetchError, match=r"not an \.xlsx workbook") as err:
        sipri_milex.fetch(tmp_path, **kw)
    assert err.value.file == url
    after = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # nothing touched, nothing added
