"""Atlas.industry on the real files: Top 100 figures, licensed/local production, personnel."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA, SHARED

TOP100 = DATA / "sipri_arms_industry" / "SIPRI-Top-100-2002-2018_0.xlsx"
PERSONNEL = SHARED / "data-other-releases" / "API_MS.MIL.TOTL.P1_DS2_en_csv_v2_10225185.csv"
MILEX = DATA / "sipri_milex" / "SIPRI-Milex-data-1949-2024_2.xlsx"


@pytest.fixture(scope="module")
def ind_store(store_path: Path, tmp_path_factory) -> Path:
    """The session store plus the World Bank personnel file (an older vintage, other folder)."""
    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_path

    path = tmp_path_factory.mktemp("industry") / "armatlas.duckdb"
    shutil.copy(store_path, path)
    con = connect(path)
    ingest_path(con, PERSONNEL)
    con.close()
    return path


@pytest.fixture(scope="module")
def ind_atlas(ind_store: Path):
    from armatlas.atlas import open_atlas

    a = open_atlas(ind_store)
    yield a
    a.close()


@pytest.fixture(scope="module")
def sheet2018() -> list[tuple]:
    wb = openpyxl.load_workbook(TOP100, read_only=True, data_only=True)
    rows = list(wb["2018"].iter_rows(values_only=True, max_col=10))
    wb.close()
    return rows


def test_turkiye_companies_and_share_equal_the_sheet(ind_atlas, sheet2018):
    res = ind_atlas.industry("Türkiye")
    ranked = [r for r in sheet2018 if isinstance(r[0], int) and r[0] >= 1]
    turkish = [r for r in ranked if r[4] == "Turkey"]
    total = sum(r[5] for r in ranked)
    latest = res.summary.latest
    assert latest.year == 2018 and latest.n_companies == len(turkish) == 2
    assert latest.arms_sales == sum(r[5] for r in turkish) == 2810
    assert latest.share_of_top100 == pytest.approx(2810 / total)
    assert (latest.best_rank, latest.top_company) == (54, "ASELSAN")
    rows = {(r["year"], r["company"]): r for r in res["companies"].rows}
    assert rows[(2018, "Turkish Aerospace Industries")]["arms_sales"] == 1070
    years = {r["year"]: r for r in res["years"].rows}
    assert years[2009]["n_companies"] == 0 and years[2009]["arms_sales"] is None


def test_trend_uses_constant_prices(ind_atlas):
    t = ind_atlas.industry("Israel").summary.trend
    wb = openpyxl.load_workbook(TOP100, read_only=True, data_only=True)
    # 2014 sheet: constant-2018-price column (I); 2018 is the base year itself (column F).
    c2014 = sum(
        r[8]
        for r in wb["2014"].iter_rows(values_only=True, max_col=10)
        if isinstance(r[0], int) and r[0] >= 1 and r[3] == "Israel"
    )
    c2018 = sum(
        r[5]
        for r in wb["2018"].iter_rows(values_only=True, max_col=10)
        if isinstance(r[0], int) and r[0] >= 1 and r[4] == "Israel"
    )
    wb.close()
    assert (t.from_year, t.to_year) == (2014, 2018)
    assert t.change_const == pytest.approx(c2018 / c2014 - 1)


def test_azerbaijan_has_no_company_but_local_assembly_and_personnel(ind_atlas):
    res = ind_atlas.industry("Azerbaijan")
    s = res.summary
    assert s.has_companies is False
    assert "No company headquartered in Azerbaijan" in s.statement and "2002-2018" in s.statement
    partners = res["partners"].rows
    assert partners and partners[0]["supplier"] == "Israel" and partners[0]["n_companies"] == 3
    lic = {(r["supplier"], r["designation"], r["order_year"]): r for r in res["licensed"].rows}
    assert lic[("South Africa", "Marauder", 2011)]["basis"] == "local assembly"
    assert lic[("Israel", "Orbiter-1K", 2016)]["comments"].startswith(
        "Incl assembly/production in Azerbaijan"
    )
    assert s.licensed.since == 2009 and set(s.licensed.suppliers) == {"Israel", "South Africa"}
    # Personnel read independently from the World Bank CSV; spending from the milex workbook.
    with PERSONNEL.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = next(i for i, r in enumerate(rows) if r[:2] == ["Country Name", "Country Code"])
    aze = next(r for r in rows[head + 1 :] if r[1] == "AZE")
    personnel = float(aze[rows[head].index("2016")])
    wb = openpyxl.load_workbook(MILEX, read_only=True, data_only=True)
    ws = next(w for w in wb.worksheets if "current" in w.title.lower() and "us" in w.title.lower())
    cells = list(ws.iter_rows(values_only=True))
    hdr = next(r for r in cells if r and r[0] == "Country")
    usd_m = next(r for r in cells if r and r[0] == "Azerbaijan")[list(hdr).index(2016)]
    wb.close()
    p = s.personnel
    assert (p.year, p.personnel) == (2016, personnel)
    assert p.spending_per_soldier == pytest.approx(usd_m * 1e6 / personnel)


def test_ukraine_companies_and_licensed_production(ind_atlas):
    s = ind_atlas.industry("Ukraine").summary
    assert s.latest.top_company == "UkrOboronProm" and s.latest.arms_sales == 1300
    assert s.licensed.by_basis["licence"].deals >= 1


def test_cli_and_api_are_thin_adapters(ind_store, ind_atlas, monkeypatch):
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from armatlas.api import create_app
    from armatlas.cli.main import app

    monkeypatch.setenv("ARMATLAS_HOME", str(ind_store.parent))
    expected = ind_atlas.industry("Israel").to_dict()
    r = CliRunner().invoke(app, ["industry", "Israel", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout) == expected
    text = CliRunner().invoke(app, ["industry", "Azerbaijan"]).stdout
    assert "No company headquartered in Azerbaijan" in text and "Marauder" in text
    api = create_app(ind_store)
    try:
        assert TestClient(api).get("/api/v1/countries/Israel/industry").json() == expected
    finally:
        api.state.armatlas.close()


def test_profile_carries_the_industry_section(ind_atlas):
    prof = ind_atlas.profile("Türkiye")
    assert prof.summary.industry.latest == ind_atlas.industry("Türkiye").summary.latest
    assert "industry.years" in prof.parts


def test_a_country_the_edition_excludes_is_not_reported_as_having_none(ind_atlas):
    s = ind_atlas.industry("China").summary
    # Every 2002-2018 sheet title reads "... in the world (excluding China), <year>".
    assert s.has_companies is None and s.excluded_years == list(range(2002, 2019))
    assert "excludes China" in s.statement
    assert ind_atlas.industry("Azerbaijan").summary.excluded_years == []
