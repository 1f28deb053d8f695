"""What the server hands out is safe to show and to open: no local paths in provenance, no
formulas in CSV cells, no 500 for a malformed form."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa
import pytest

pytest.importorskip("fastapi")
from conftest import DATA, REGISTER_2026
from fastapi.testclient import TestClient

from armatlas.results import Provenance, SnapshotRef, TableResult, csv_cell
from armatlas.serve import create_app


@pytest.fixture(scope="module")
def client(store_path: Path):
    app = create_app(store_path)
    yield TestClient(app)
    app.state.armatlas.close()


def test_provenance_names_files_never_local_paths(client) -> None:
    snaps = client.get("/api/v1/snapshots").json()["rows"]
    assert REGISTER_2026.name in {s["file_name"] for s in snaps}
    assert all(s["url"] is None or s["url"].startswith("https://") for s in snaps)
    for url in (
        "/api/v1/snapshots",
        "/api/v1/countries/India/profile",
        "/api/v1/trends",
        "/data",
        "/api/v1/snapshots?format=csv",
        "/api/v1/countries/India/spending",
    ):
        body = client.get(url).text
        assert "file:" not in body and str(DATA) not in body, url
    prov = client.get("/api/v1/countries/India/profile").json()["provenance"]
    assert prov["snapshots"][0]["file_name"] == REGISTER_2026.name


def test_publisher_urls_are_kept() -> None:
    args = (1, "sipri_arms_transfers", "f.csv", "web_register", "2026-05-18", None, "0" * 64)
    url = "https://backend.sipri.org/api/p/trades/trade-register-csv/"
    assert SnapshotRef(*args, url).url == url
    assert SnapshotRef(*args, "file:///home/me/f.csv").url is None


def test_csv_cells_cannot_be_formulas() -> None:
    hostile = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "Su-30MKI", "F-16C"]
    table = TableResult(
        "t",
        pa.table({"text": hostile, "tiv": [-5.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}),
        Provenance(release="test"),
    )
    rows = list(csv.reader(io.StringIO(table.to_csv())))[1:]
    assert [r[0] for r in rows] == ["'" + h for h in hostile[:5]] + hostile[5:]
    assert rows[0][1] == "-5.5"  # numbers are numbers, negative or not
    assert csv_cell(None) == "" and csv_cell(-3) == -3


def test_check_form_with_too_many_fields_is_422(client) -> None:
    body = "&".join(f"f{i}=x" for i in range(12)) + "&text=Armenia+imports+arms."
    resp = client.post(
        "/check",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded", "accept": "text/html"},
    )
    assert resp.status_code == 422 and "more than 10 fields" in resp.text
