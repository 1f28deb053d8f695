"""World Bank WDI: bulk CSV (BOM, CRLF/LF, trailing column), zip, API v2 paging and errors."""

from __future__ import annotations

import csv
import hashlib
import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from spending_store import WDI

from armatlas.errors import FetchError
from armatlas.sources import worldbank
from armatlas.sources.snapshot import read_meta
from armatlas.store.db import connect
from armatlas.store.ingest import ingest_path
from armatlas.store.spending_ingest import ingest_worldbank

pytestmark = pytest.mark.data  # reads the real snapshot files directly

MIL_GDP = WDI / "API_MS.MIL.XPND.GD.ZS_DS2_en_csv_v2_211.csv"
DAY = date(2026, 11, 24)
MIL_CD_LF = WDI / "API_MS.MIL.XPND.CD_DS2_en_csv_v2_47475.csv"


def independent(path, code: str, year: int) -> float:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = next(r for r in rows if r and r[0] == "Country Name")
    row = next(r for r in rows if len(r) > 1 and r[1] == code)
    return float(row[header.index(str(year))])


def test_bulk_csv_value_and_aggregates():
    p = worldbank.parse(MIL_GDP)
    assert p.code == "MS.MIL.XPND.GD.ZS" and p.last_updated == "2026-02-24"
    ukr = {(c, y): v for _, c, y, v, _ in p.country_rows}
    assert ukr[("UKR", 2022)] == independent(MIL_GDP, "UKR", 2022)
    with open(WDI / f"Metadata_Country_{MIL_GDP.name}", encoding="utf-8-sig", newline="") as fh:
        empty_region = {r["Country Code"] for r in csv.DictReader(fh) if not r["Region"]}
    assert {"WLD", "EUU", "HIC"} <= p.aggregates
    assert empty_region <= p.aggregates
    assert not {c for _, c, *_ in p.country_rows} & empty_region


def test_lf_file_zip_and_missing_metadata():
    lf = worldbank.parse(MIL_CD_LF)  # git-normalised LF endings, BOM kept
    assert {(c, y): v for _, c, y, v, _ in lf.rows}[("USA", 2022)] == independent(MIL_CD_LF, "USA", 2022)
    z = worldbank.parse(WDI / "API_MS.MIL.XPND.GD.ZS_DS2_en_csv_v2_211.zip")
    assert sorted(z.rows, key=lambda r: (r[1], r[2])) == sorted(
        worldbank.parse(MIL_GDP).rows, key=lambda r: (r[1], r[2])
    )
    pop = worldbank.parse(WDI / "API_SP.POP.TOTL_DS2_en_csv_v2_900.csv")  # no metadata of its own
    assert "WLD" in pop.aggregates and "FRA" not in pop.aggregates


def test_ingest_keeps_aggregates_apart_and_zip_is_same_vintage(tmp_path):
    con = connect(tmp_path / "wb.duckdb")
    assert ingest_worldbank(con, MIL_GDP).status == "ingested"
    assert ingest_worldbank(con, WDI / "API_MS.MIL.XPND.GD.ZS_DS2_en_csv_v2_211.zip").status == "unchanged"
    assert (
        con.execute("SELECT count(*) FROM indicator WHERE entity_id IN ('WLD','world')").fetchall()[0][0] == 0
    )
    got = con.execute("SELECT value FROM indicator WHERE entity_id='ukraine' AND year=2022").fetchall()[0][0]
    assert got == independent(MIL_GDP, "UKR", 2022)
    assert con.execute("SELECT count(*) FROM indicator_aggregate WHERE wb_code='WLD'").fetchall()[0][0] > 30
    con.close()


# --- API v2 against a local server ------------------------------------------------------------

ROWS = [
    {
        "indicator": {"id": "MS.MIL.XPND.GD.ZS", "value": "Military expenditure (% of GDP)"},
        "country": {"id": cid, "value": name},
        "countryiso3code": iso3,
        "date": str(year),
        "value": val,
        "unit": "",
        "obs_status": "",
        "decimal": 1,
    }
    for cid, name, iso3 in [("UA", "Ukraine", "UKR"), ("1W", "World", "WLD"), ("FR", "France", "FRA")]
    for year, val in [(2022, 25.6), (2023, None)]
]
COUNTRIES = [
    {"id": "UKR", "iso2Code": "UA", "region": {"id": "ECS"}},
    {"id": "WLD", "iso2Code": "1W", "region": {"id": "NA", "value": "Aggregates"}},
    {"id": "FRA", "iso2Code": "FR", "region": {"id": "ECS"}},
]


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        u = urlparse(self.path)
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        Handler.hits.append(self.path)
        if "BAD.CODE" in u.path:  # World Bank answers errors with HTTP 200
            body = [
                {
                    "message": [
                        {
                            "id": "120",
                            "key": "Invalid value",
                            "value": "The provided parameter value is not valid",
                        }
                    ]
                }
            ]
        elif u.path.endswith("/country"):
            body = [{"page": 1, "pages": 1, "per_page": 400, "total": 3}, COUNTRIES]
        else:
            per, page = int(q["per_page"]), int(q["page"])
            pages = -(-len(ROWS) // per)
            body = [
                {
                    "page": page,
                    "pages": pages,
                    "per_page": per,
                    "total": len(ROWS),
                    "lastupdated": "2026-02-24",
                },
                ROWS[(page - 1) * per : page * per],
            ]
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *a) -> None:
        pass


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/v2"
    srv.shutdown()
    srv.server_close()


def test_api_fetch_pages_and_parses(server, tmp_path):
    Handler.hits.clear()
    (snap,) = worldbank.fetch(tmp_path, codes=("MS.MIL.XPND.GD.ZS",), base_url=server, per_page=2, today=DAY)
    path = snap.path
    assert sum("/indicator/" in h for h in Handler.hits) == 3  # 6 rows, 2 a page
    # the shared snapshot layout: <root>/worldbank_wdi/<date>/<code>.json + meta.json
    assert path == tmp_path / "worldbank_wdi" / "2026-11-24" / "MS.MIL.XPND.GD.ZS.json"
    assert sorted(p.name for p in path.parent.iterdir()) == ["MS.MIL.XPND.GD.ZS.json", "meta.json"]
    meta = read_meta(path)
    assert meta["bytes"] == path.stat().st_size
    assert meta["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert meta["source"] == "worldbank_wdi" and meta["generated_at"] == "2026-02-24"
    assert meta["url"] == f"{server}/country/all/indicator/MS.MIL.XPND.GD.ZS"
    p = worldbank.parse(path)
    assert p.layout == "api_json" and p.last_updated == "2026-02-24"
    assert {(c, y, v) for _, c, y, v, _ in p.country_rows} == {("UKR", 2022, 25.6), ("FRA", 2022, 25.6)}
    assert p.aggregates == {"WLD"}
    con = connect(tmp_path / "api.duckdb")
    res = ingest_path(con, path)  # `armatlas ingest` dispatches it by its worldbank_wdi folder
    assert (res.status, res.records) == ("ingested", 2)
    assert con.execute("SELECT count(*) FROM indicator").fetchall()[0][0] == 2
    assert con.execute("SELECT source, layout, selection, url FROM snapshot").fetchall() == [
        ("worldbank_wdi", "api_json", "MS.MIL.XPND.GD.ZS", meta["url"])
    ]  # url read from meta.json
    con.close()
    # identical bytes the same day: the existing snapshot, no new folder
    again = worldbank.fetch(tmp_path, codes=("MS.MIL.XPND.GD.ZS",), base_url=server, per_page=2, today=DAY)
    assert [s.path for s in again] == [path]
    assert [d.name for d in (tmp_path / "worldbank_wdi").iterdir()] == ["2026-11-24"]


def test_api_error_with_http_200(server, tmp_path):
    with pytest.raises(FetchError, match="The provided parameter value is not valid"):
        worldbank.fetch(tmp_path, codes=("BAD.CODE",), base_url=server)
    assert not list(tmp_path.rglob("*"))  # nothing written, not even an empty folder


def test_check_page_shapes():
    with pytest.raises(FetchError, match="Unexpected"):
        worldbank.check_page({"not": "a list"}, "u")
    assert worldbank.check_page([{"pages": 1}, None], "u") == ({"pages": 1}, [])
