"""SIPRI Top 100 workbook: parser, company identity, ingest and fetch, on the real file."""

from __future__ import annotations

from pathlib import Path

import fake_publishers
import openpyxl
import pytest
from conftest import DATA
from fake_publishers import Reply, serve_file

fake_publisher = fake_publishers.fake_publisher  # the fixture, made visible to this module

TOP100 = DATA / "sipri_arms_industry" / "SIPRI-Top-100-2002-2018_0.xlsx"


@pytest.fixture(scope="module")
def parsed():
    from armatlas.sources.sipri_industry import parse

    return parse(TOP100)


@pytest.fixture(scope="module")
def sheet_cells():
    """The yearly sheets read directly with openpyxl, as lists of value tuples."""
    wb = openpyxl.load_workbook(TOP100, read_only=True, data_only=True)
    out = {ws.title.strip(): list(ws.iter_rows(values_only=True, max_col=12)) for ws in wb.worksheets}
    wb.close()
    return out


@pytest.mark.data
def test_largest_turkish_company_2018_equals_the_cell(parsed, sheet_cells):
    # Independently: the 2018 sheet's rows whose Country (column E) is Turkey; arms sales in F.
    turkish = [r for r in sheet_cells["2018"] if r[4] == "Turkey"]
    top = max(turkish, key=lambda r: r[5])
    assert top[2] == "ASELSAN" and top[5] == 1740
    ours = [r for r in parsed.rows() if r["year"] == 2018 and r["country"] == "Turkey"]
    best = max(ours, key=lambda r: r["arms_sales"])
    assert (best["company"], best["arms_sales"], best["rank"]) == ("ASELSAN", 1740.0, top[0])


@pytest.mark.data
def test_every_sheet_and_year_has_its_100_ranked_companies(parsed, sheet_cells):
    assert parsed.years == list(range(2002, 2019))
    assert parsed.skipped_sheets == {"filter": "no SIPRI title and not named after its year (a derived copy)"}
    for year in parsed.years:
        # Independently: integer ranks >= 1 in column A (subsidiaries carry 'S', or a slip 0).
        cells = sheet_cells[str(year)]
        n_sheet = sum(1 for r in cells if isinstance(r[0], int) and r[0] >= 1)
        n_ours = sum(1 for r in parsed.rows() if r["year"] == year and r["rank"] is not None)
        assert n_sheet == 100 and n_ours == 100, year


@pytest.mark.data
def test_unavailable_and_subsidiaries_keep_their_meaning(parsed):
    rows = {(r["year"], r["company"]): r for r in parsed.rows()}
    ga = rows[(2018, "General Atomics")]  # '. .' total sales and share in the sheet
    assert ga["total_sales"] is None and ga["arms_share_pct"] is None
    assert ga["unavailable"] == "total_sales,arms_share_pct" and ga["notes"] == "g"
    bae = rows[(2018, "BAE Systems Inc. (BAE Systems UK)")]
    assert bae["subsidiary"] and bae["rank"] is None and bae["arms_sales"] == 10800.0
    perspecta = rows[(2018, "Perspecta")]
    assert perspecta["rank_prev"] is None and perspecta["rank_prev_text"] == "-"
    # The 2002 sheet has no previous-rank column; 2017 prices are read at constant 2018 US$.
    assert rows[(2002, "Boeing")]["rank_prev"] is None
    assert rows[(2017, "ASELSAN")]["const_base_year"] == 2018
    assert any("Sukhoi (United Aircraft Corp. Russia)" in s for s in parsed.slips)
    notes = {(y, m): t for y, m, t in parsed.footnotes}
    assert notes[(2018, "i")].startswith("Melrose Industries acquired GKN in 2018")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_path

    con = connect(tmp_path_factory.mktemp("ind") / "s.duckdb")
    first = ingest_path(con, TOP100)
    again = ingest_path(con, TOP100)
    yield con, first, again
    con.close()


@pytest.mark.data
def test_ingest_once_with_companies_linked_to_countries(store):
    con, first, again = store
    assert (first.status, again.status, first.release) == ("ingested", "unchanged", "2002-2018")
    assert con.execute("SELECT count(*) FROM industry_rank WHERE rank IS NOT NULL").fetchone()[0] == 1700
    row = con.execute(
        "SELECT country_id, country FROM industry_company WHERE company_id = 'aselsan'"
    ).fetchone()
    assert row == ("turkiye", "Turkey")
    assert (
        con.execute(
            "SELECT count(*) FROM industry_company WHERE country = 'Trans-European' AND country_id IS NULL"
        ).fetchone()[0]
        >= 2
    )  # Airbus Group, MBDA


@pytest.mark.parametrize(
    ("old", "old_year", "new", "new_year"),
    [
        ("Finmeccanica", 2015, "Leonardo", 2016),
        ("DCNS", 2016, "Naval Group", 2017),
        ("EADS", 2013, "Airbus Group", 2014),
        ("L-3 Communications", 2015, "L3 Technologies", 2016),
        ("Israel Aircraft Industries", 2005, "Israel Aerospace Industries", 2006),
    ],
)
@pytest.mark.data
def test_renamed_companies_keep_one_identity(store, old, old_year, new, new_year):
    con = store[0]
    ids = con.execute(
        "SELECT DISTINCT company_id FROM industry_rank WHERE (company = ? AND year = ?) "
        "OR (company = ? AND year = ?)",
        [old, old_year, new, new_year],
    ).fetchall()
    assert len(ids) == 1


@pytest.mark.data
def test_acquisition_is_a_link_not_one_identity(store):
    con = store[0]
    ids = dict(
        con.execute(
            "SELECT company, company_id FROM industry_rank WHERE year = 2018 "
            "AND company IN ('Melrose Industries', 'GKN (Melrose Industries UK)')"
        ).fetchall()
    )
    assert ids["Melrose Industries"] != ids["GKN (Melrose Industries UK)"]
    link = con.execute(
        "SELECT kind, other_name FROM industry_link WHERE company_id = ?", [ids["Melrose Industries"]]
    ).fetchone()
    assert link == ("acquired_or_merged", "GKN")
    # Two companies that only swapped ranks are never merged.
    kmw, fin = (
        con.execute("SELECT DISTINCT company_id FROM industry_rank WHERE company = ?", [n]).fetchall()
        for n in ("Krauss-Maffei Wegmann", "Fincantieri")
    )
    assert len(kmw) == len(fin) == 1 and kmw != fin


@pytest.mark.data
def test_discover_takes_the_workbook():
    from armatlas.store.ingest import discover

    take, skipped = discover([DATA / "sipri_arms_industry"])
    assert take == [TOP100] and skipped == []


def _tiny_workbook(path: Path, country: str) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2018"
    ws.append(["The SIPRI Top 100 arms-producing and military services companies in the world, 2018"])
    ws.append(
        [
            "Rank (2018)",
            "Rank (2017)",
            "Company (c)",
            "Country (d)",
            "Arms Sales (2018)",
            "Total Sales (2018)",
        ]
    )
    ws.append([1, 1, "Acme Arms", country, 100, 200])
    wb.save(path)
    return path


def test_unknown_headquarters_is_an_error_naming_the_cell(tmp_path):
    from armatlas.errors import UnknownEntityError
    from armatlas.store.db import connect
    from armatlas.store.industry_ingest import ingest_industry

    con = connect(tmp_path / "s.duckdb")
    with pytest.raises(UnknownEntityError) as e:
        ingest_industry(con, _tiny_workbook(tmp_path / "SIPRI-Top-100-x.xlsx", "Atlantis"))
    assert (e.value.line, e.value.column, e.value.value) == (3, "2018!Country", "Atlantis")
    assert con.execute("SELECT count(*) FROM snapshot").fetchone()[0] == 0
    ok = ingest_industry(con, _tiny_workbook(tmp_path / "SIPRI-Top-100-y.xlsx", "Turkey"))
    assert ok.status == "ingested" and ok.release == "2018-2018"


def test_not_a_workbook_is_a_layout_error(tmp_path):
    from armatlas.errors import LayoutError
    from armatlas.sources.sipri_industry import parse

    bad = tmp_path / "SIPRI-Top-100-2002-2024.xlsx"
    bad.write_text("<html>moved</html>")
    with pytest.raises(LayoutError):
        parse(bad)


@pytest.mark.data
def test_fetch_follows_the_newest_link_on_the_page(fake_publisher, tmp_path):
    from armatlas.sources.sipri_industry import fetch

    page = (
        b'<a href="/files/SIPRI-Top-100-2002-2017.xlsx">old</a> '
        b'<a href="/files/SIPRI-Top-100-2002-2018_0.xlsx">new</a>'
    )
    fake_publisher.route("GET", "/databases/armsindustry", lambda r: Reply(page, content_type="text/html"))
    fake_publisher.route(
        "GET", "/files/SIPRI-Top-100-2002-2018_0.xlsx", serve_file(TOP100, "application/octet-stream")
    )
    (snap,) = fetch(tmp_path, page=fake_publisher.url + "/databases/armsindustry", retries=1, backoff=0)
    path = snap.path
    assert path.name == "SIPRI-Top-100-2002-2018_0.xlsx" and path.read_bytes() == TOP100.read_bytes()
    assert (path.parent / "meta.json").exists()
    assert not fake_publisher.hits("/files/SIPRI-Top-100-2002-2017.xlsx")


def test_fetch_refuses_an_error_page(fake_publisher, tmp_path):
    from armatlas.errors import ArmatlasError
    from armatlas.sources.sipri_industry import fetch

    fake_publisher.route(
        "GET", "/x/SIPRI-Top-100-2002-2024.xlsx", lambda r: Reply(b"<html/>", content_type="text/html")
    )
    with pytest.raises(ArmatlasError):
        fetch(tmp_path, url=fake_publisher.url + "/x/SIPRI-Top-100-2002-2024.xlsx", retries=1, backoff=0)
    assert not list(tmp_path.rglob("*.xlsx"))


@pytest.mark.data
def test_cli_fetch_industry_snapshots_and_ingests(fake_publisher, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from armatlas.cli.main import app

    monkeypatch.setenv("ARMATLAS_HOME", str(tmp_path))
    fake_publisher.route(
        "GET", "/f/SIPRI-Top-100-2002-2018_0.xlsx", serve_file(TOP100, "application/octet-stream")
    )
    r = CliRunner().invoke(
        app,
        [
            "fetch",
            "--source",
            "industry",
            "--industry-url",
            fake_publisher.url + "/f/SIPRI-Top-100-2002-2018_0.xlsx",
        ],
    )
    assert r.exit_code == 0, r.output
    assert "ingested  SIPRI-Top-100-2002-2018_0.xlsx" in r.output
    assert list((tmp_path / "snapshots" / "sipri_arms_industry").rglob("SIPRI-Top-100-2002-2018_0.xlsx"))


def test_newer_edition_headers_are_read_by_their_words(tmp_path):
    """Later editions say 'arms revenue', add a change column and a Notes column."""
    from armatlas.sources.sipri_industry import parse

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "2024"
    ws.append(["The SIPRI Top 100 arms-producing and military services companies, 2024"])
    ws.append(
        [
            "Rank 2024",
            "Rank 2023",
            "Company (c)",
            "Country (d)",
            "Arms revenue, 2024",
            "Arms revenue, 2023",
            "Change in arms revenue, 2023-24 (%)",
            "Total revenue, 2024",
            "Arms revenue as a share of total revenue, 2024 (%)",
        ]
    )
    ws.append([1, 1, "Lockheed Martin Corp.", "United States", 64650, 64360, 0.5, 71043, 91])
    ws.append([2, "-", "ASELSAN", "Türkiye", 3500, ". .", ". .", 3800, 92])
    path = tmp_path / "top100-2024.xlsx"
    wb.save(path)
    rows = {r["company"]: r for r in parse(path).rows()}
    assert rows["Lockheed Martin Corp."]["arms_share_pct"] == 91.0
    assert rows["Lockheed Martin Corp."]["arms_sales_prev"] == 64360.0
    assert rows["ASELSAN"]["unavailable"] == "arms_sales_prev" and rows["ASELSAN"]["rank_prev_text"] == "-"
