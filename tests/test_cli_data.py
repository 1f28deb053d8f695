"""Data out: tidy CSV (one value per cell, rounded to its meaning, each row citing its source),
--part and --out for every part of a composite, a Frictionless datapackage.json, and results
that render in notebooks."""

from __future__ import annotations

import csv
import io
import json
import re

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from armatlas.cli.main import app
from armatlas.results import CompositeResult, Provenance, TableResult

runner = CliRunner()
NOISE = re.compile(r"^-?\d+\.\d{5,}$")  # e.g. 164.68900000000002


@pytest.fixture()
def home(store_path, monkeypatch, tmp_path):
    import shutil

    shutil.copy(store_path, tmp_path / "armatlas.duckdb")
    monkeypatch.setenv("ARMATLAS_HOME", str(tmp_path))
    return tmp_path


def cli(*args: str) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.stdout


def assert_tidy(
    text: str, source: str = "SIPRI Arms Transfers Database", empty_ok: bool = False
) -> list[dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows or empty_ok, text[:200]
    for row in rows:
        assert re.search(source, row["source"]), row["source"]  # every row cites its dataset and release
        for key, cell in row.items():
            assert not cell.startswith(("[", "{")), (key, cell)
            assert cell.lower() not in ("nan", "none", "true ", "false "), (key, cell)
            assert not NOISE.match(cell), (key, cell)
    return rows


CSV_COMMANDS = [
    ["trends", "--csv"],
    ["flows", "India", "--csv"],
    ["deals", "-r", "Azerbaijan", "--csv"],
    ["dependence", "Azerbaijan", "--csv", "--part", "metrics"],
    ["dependence", "Azerbaijan", "--part", "suppliers"],
    ["exports", "Türkiye", "--csv", "--part", "volume"],
    ["pipeline", "Azerbaijan", "--csv"],
    ["cutoff", "India", "-s", "Russia", "--csv", "--part", "categories"],
    ["network", "--csv"],
    ["releases", "--csv"],
    ["reconcile", "--csv"],
    ["profile", "Azerbaijan", "--csv", "--part", "flows"],
]


@pytest.mark.parametrize("args", CSV_COMMANDS, ids=[" ".join(a) for a in CSV_COMMANDS])
def test_csv_is_tidy_and_cited(home, args):
    assert_tidy(cli(*args))


def test_spending_csv_cites_milex(home):
    rows = assert_tidy(
        cli("spending", "Ukraine", "--csv", "--part", "series"), "SIPRI Military Expenditure Database"
    )
    assert rows[-1]["year"].isdigit()


def test_trends_partners_are_a_joined_string(home, atlas):
    rows = assert_tidy(cli("trends", "--csv"))
    top = atlas.trends().rows[0]
    first = top["partners"][0]
    assert rows[0]["name"] == top["name"]
    assert rows[0]["partners"].startswith(f"{first['partner']}: {round(first['share'], 4)}")


def test_exports_list_of_recipients_joined(home, atlas):
    rows = assert_tidy(cli("exports", "Türkiye", "--part", "volume"))
    names = atlas.exports("Türkiye")["volume"].rows[0]["recipient_names"]
    assert rows[0]["recipient_names"] == "; ".join(names)


def test_composite_csv_needs_a_part(home):
    r = runner.invoke(app, ["exports", "Türkiye", "--csv"])
    assert r.exit_code != 0
    assert "volume, recipients, categories" in str(r.exception)


def test_json_part(home, atlas):
    doc = json.loads(cli("dependence", "Azerbaijan", "--json", "--part", "suppliers"))
    assert doc["kind"] == "dependence.suppliers" and doc["provenance"]["release"] == "2026-05-18"
    assert doc["rows"] == json.loads(atlas.dependence("Azerbaijan")["suppliers"].to_json())["rows"]
    russia = next(r for r in doc["rows"] if r["period"] == "2011-2015" and r["partner"] == "Russia")
    assert russia["rank"] == 1 and 0.7 < russia["share"] < 0.85  # about three quarters (fact sheet: 76%)


def test_out_folder_is_a_frictionless_package(home, tmp_path):
    out = tmp_path / "aze"
    runner.invoke(app, ["profile", "Azerbaijan", "--out", str(out)])
    pkg = json.loads((out / "datapackage.json").read_text())
    assert pkg["profile"] == "tabular-data-package" and pkg["release"] == "2026-05-18"
    assert "SIPRI Arms Transfers Database" in pkg["citation"] and pkg["licenses"]
    assert all(not f.get("path", "https://").startswith("file:") for s in pkg["sources"] for f in s["files"])
    names = {r["name"] for r in pkg["resources"]}
    assert {"dependence.suppliers", "exports.volume", "flows"} <= names
    for res in pkg["resources"]:
        text = (out / res["path"]).read_text(encoding="utf-8")
        header = next(csv.reader(io.StringIO(text)))
        assert header == [f["name"] for f in res["schema"]["fields"]]
        tiv = next((f for f in res["schema"]["fields"] if f["name"] == "tiv"), None)
        if tiv:
            assert (
                tiv["type"] == "number" and "TIV" in tiv["description"] and "not money" in tiv["description"]
            )
        source = {"spending": "Military Expenditure", "industry": "SIPRI|World Bank"}.get(
            res["name"].split(".")[0], "SIPRI Arms Transfers"
        )
        assert_tidy(text, source, empty_ok=True)


def test_check_csv(home, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Russia supplied 36% of India's arms imports in 2019-2023.\n", encoding="utf-8")
    rows = assert_tidy(cli("check", str(article), "--csv"))
    assert rows[0]["kind"] == "supplier_share" and rows[0]["verdict"]


def test_cells_that_a_spreadsheet_would_run_are_neutralised():
    t = TableResult(
        "t",
        pa.table({"name": ['=HYPERLINK("x")', "@SUM(A1)", "Mig-29"], "v": [-1.5, 2.0, 0.1 + 0.2]}),
        Provenance(release="r"),
    )
    rows = list(csv.DictReader(io.StringIO(t.to_csv())))
    assert [r["name"] for r in rows] == ['\'=HYPERLINK("x")', "'@SUM(A1)", "Mig-29"]
    assert [r["v"] for r in rows] == ["-1.5", "2", "0.3"]  # numbers stay numbers; float noise gone


def test_notebook_html_and_part_errors():
    part = TableResult(
        "metrics",
        pa.table({"period": ["2020-2024"], "share": [0.25], "x": [float("nan")]}),
        Provenance(release="2026-05-18"),
        units={"share": "fraction"},
    )
    comp = CompositeResult("dependence", {"metrics": part}, Provenance(release="2026-05-18"))
    html = comp._repr_html_()
    assert "<table>" in html and "<td>0.25</td>" in html and "nan" not in html and "Source:" in html
    with pytest.raises(KeyError, match="its parts are: metrics"):
        comp["suppliers"]
