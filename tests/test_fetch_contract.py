"""One fetch contract for every source (sources/contract.py), against the local fake publisher only.

`fetch(dest=None, *, release=None, progress=None, ...) -> list[Snapshot]`; `armatlas fetch`
goes through the registry `SOURCES`, so a source is wired once.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
from datetime import date
from pathlib import Path

import fake_publishers
import pytest
from conftest import DATA
from fake_publishers import Reply, serve_file

from armatlas.errors import FetchError
from armatlas.sources.contract import SOURCES

MILEX = DATA / "sipri_milex" / "SIPRI-Milex-data-1949-2024_2.xlsx"
TOP100 = DATA / "sipri_arms_industry" / "SIPRI-Top-100-2002-2018_0.xlsx"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DAY = date(2026, 11, 24)
fake_publisher = fake_publishers.fake_publisher


def test_every_registered_source_has_the_contract_signature() -> None:
    assert list(SOURCES) == ["sipri-at", "milex", "worldbank", "industry"]
    for s in SOURCES.values():
        fn = importlib.import_module(s.module).fetch
        params = inspect.signature(fn).parameters
        first = next(iter(params.values()))
        assert (first.name, first.default) == ("dest", None), s.name
        for name in ("release", "progress"):
            assert params[name].kind is inspect.Parameter.KEYWORD_ONLY and params[name].default is None
        assert s.url_option in params, (s.name, s.url_option)
        assert inspect.signature(fn).return_annotation == "list[Snapshot]", s.name


@pytest.mark.parametrize("name", ["sipri-at", "milex", "worldbank"])
def test_a_past_release_is_refused_before_any_request(name, fake_publisher, tmp_path) -> None:
    with pytest.raises(FetchError) as err:
        SOURCES[name].fetch(tmp_path, release="2019-03-11", url=fake_publisher.url + "/x")
    assert err.value.code == "fetch-failed" and err.value.value == "2019-03-11"
    assert "current release" in err.value.message and "armatlas ingest" in (err.value.hint or "")
    assert not fake_publisher.hits("/x") and not list(tmp_path.rglob("*"))


@pytest.mark.data
def test_registry_fetch_reports_progress_and_returns_the_snapshot(fake_publisher, tmp_path) -> None:
    route = f"/sites/default/files/{MILEX.name}"
    fake_publisher.route("GET", route, serve_file(MILEX, XLSX))
    seen: list[tuple[int, int | None]] = []
    (snap,) = SOURCES["milex"].fetch(
        tmp_path, progress=lambda d, t: seen.append((d, t)), url=fake_publisher.url + route
    )
    size = MILEX.stat().st_size
    assert seen and seen[-1] == (size, size)  # every byte counted, against the announced length
    assert snap.source == "sipri_milex" and snap.path.read_bytes() == MILEX.read_bytes()
    assert snap.meta["sha256"] == hashlib.sha256(MILEX.read_bytes()).hexdigest()
    assert snap.folder == snap.path.parent and snap.folder.parent == tmp_path / "sipri_milex"


@pytest.mark.data
def test_industry_release_picks_that_workbook_not_the_newest(fake_publisher, tmp_path) -> None:
    from armatlas.sources.sipri_industry import fetch

    page = (
        b'<a href="/files/SIPRI-Top-100-2002-2018_0.xlsx">2018</a> '
        b'<a href="/files/SIPRI-Top-100-2002-2024.xlsx">2024</a>'
    )
    fake_publisher.route("GET", "/databases/armsindustry", lambda r: Reply(page, content_type="text/html"))
    fake_publisher.route("GET", "/files/SIPRI-Top-100-2002-2018_0.xlsx", serve_file(TOP100, XLSX))
    kw = {"page": fake_publisher.url + "/databases/armsindustry", "retries": 1, "backoff": 0, "today": DAY}
    (snap,) = fetch(tmp_path, release="2002-2018", **kw)
    assert snap.path.name == TOP100.name and snap.path.read_bytes() == TOP100.read_bytes()
    assert not fake_publisher.hits("/files/SIPRI-Top-100-2002-2024.xlsx")
    with pytest.raises(Exception, match="No Top 100 workbook linked from the page for 1999-2001"):
        fetch(tmp_path, release="1999-2001", **kw)


@pytest.mark.data
def test_cli_fetch_goes_through_the_registry(fake_publisher, tmp_path, monkeypatch) -> None:
    from typer.testing import CliRunner

    from armatlas.cli.main import app

    monkeypatch.setenv("ARMATLAS_HOME", str(tmp_path))
    route = f"/files/{MILEX.name}"
    fake_publisher.route("GET", route, serve_file(MILEX, XLSX))
    args = ["fetch", "--source", "milex", "--milex-url", fake_publisher.url + route, "--no-ingest"]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    kept = list((tmp_path / "snapshots" / "sipri_milex").rglob(MILEX.name))
    assert len(kept) == 1 and kept[0].read_bytes() == MILEX.read_bytes()
    r = CliRunner().invoke(app, [*args, "--release", "1949-2020"])
    assert isinstance(r.exception, FetchError) and "current release" in r.exception.message
    r = CliRunner().invoke(app, ["fetch", "--source", "comtrade", "--no-ingest"])
    assert r.exit_code == 2 and "unknown source(s): comtrade" in r.output


WDI = DATA / "worldbank_wdi"
YEARS = range(2015, 2024)


def _csv_rows(path: Path) -> tuple[str, list[list[str]]]:
    """(last updated date, data rows) of a World Bank bulk CSV, read with the csv module alone."""
    import csv

    lines = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    updated = next(r[1] for r in lines if r and r[0] == "Last Updated Date")
    head = next(i for i, r in enumerate(lines) if r[:2] == ["Country Name", "Country Code"])
    return updated, [lines[head]] + [r for r in lines[head + 1 :] if len(r) > 4]


def _wdi_routes(pub, prefix: str) -> dict[tuple[str, str, int], float]:
    """The real bulk CSVs served in the API's [meta, rows] shape; returns {(code, iso3, year): value}."""
    import csv
    import json

    meta = list(
        csv.DictReader(
            (WDI / "Metadata_Country_API_MS.MIL.XPND.GD.ZS_DS2_en_csv_v2_211.csv").open(encoding="utf-8-sig")
        )
    )
    countries = [
        {
            "id": m["Country Code"],
            "iso2Code": "",
            "name": m["TableName"],
            "region": {"id": "NA" if not m["Region"] else "X", "value": m["Region"] or "Aggregates"},
        }
        for m in meta
    ]
    pub.route(
        "GET",
        prefix + "/country",
        lambda r: Reply(
            json.dumps([{"page": 1, "pages": 1}, countries]).encode(), content_type="application/json"
        ),
    )
    values: dict[tuple[str, str, int], float] = {}
    for path in sorted(WDI.glob("API_*.csv")):
        updated, rows = _csv_rows(path)
        head, body = rows[0], rows[1:]
        cols = {int(h): i for i, h in enumerate(head) if h.isdigit() and int(h) in YEARS}
        api = []
        for r in body:
            for y, i in cols.items():
                v = float(r[i]) if r[i] else None
                api.append(
                    {
                        "indicator": {"id": r[3], "value": r[2]},
                        "country": {"id": r[1], "value": r[0]},
                        "countryiso3code": r[1],
                        "date": str(y),
                        "value": v,
                    }
                )
                if v is not None:
                    values[r[3], r[1], y] = v
        page = json.dumps([{"page": 1, "pages": 1, "lastupdated": updated}, api]).encode()
        code = body[0][3]
        pub.route(
            "GET",
            f"{prefix}/country/all/indicator/{code}",
            lambda r, page=page: Reply(page, content_type="application/json"),
        )
    return values


@pytest.mark.data
def test_cli_fetch_worldbank_keeps_every_indicator_and_ingests_its_values(
    fake_publisher, tmp_path, monkeypatch
) -> None:
    """`armatlas fetch --source worldbank`: six indicators, each its own snapshot, values as published."""
    import duckdb
    from typer.testing import CliRunner

    from armatlas.cli.main import app

    monkeypatch.setenv("ARMATLAS_HOME", str(tmp_path))
    values = _wdi_routes(fake_publisher, "/v2")
    r = CliRunner().invoke(
        app, ["fetch", "--source", "worldbank", "--worldbank-url", fake_publisher.url + "/v2"]
    )
    assert r.exit_code == 0, r.output
    kept = sorted(
        p.name for p in (tmp_path / "snapshots" / "worldbank_wdi").rglob("*.json") if p.name != "meta.json"
    )
    assert kept == sorted(f"{c}.json" for c in {k[0] for k in values})
    assert r.output.count("ingested") == 6
    con = duckdb.connect(str(tmp_path / "armatlas.duckdb"), read_only=True)
    try:
        got = con.execute(
            "SELECT value FROM indicator WHERE code = 'MS.MIL.XPND.GD.ZS' AND entity_id = 'france' AND year = 2022"
        ).fetchall()
        world = con.execute(
            "SELECT value FROM indicator_aggregate WHERE code = 'SP.POP.TOTL' AND wb_code = 'WLD' AND year = 2023"
        ).fetchall()
    finally:
        con.close()
    assert got == [(values["MS.MIL.XPND.GD.ZS", "FRA", 2022],)]
    assert world == [(values["SP.POP.TOTL", "WLD", 2023],)]
