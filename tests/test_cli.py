"""The CLI end to end: every command documents itself, errors are short panels, and
`fetch` → `ingest` → `profile` works against a local fake publisher."""

from __future__ import annotations

import csv
import io
import json

import fake_publishers
import pytest
from fake_publishers import SIPRI_PREFIX
from typer.testing import CliRunner

from armatlas.cli.main import app

fake_publisher = fake_publishers.fake_publisher
runner = CliRunner()


def commands() -> list[str]:
    import typer.main

    return sorted(typer.main.get_command(app).commands)


def test_commands_have_help():
    names = commands()
    for expected in (
        "fetch",
        "ingest",
        "releases",
        "entities",
        "deals",
        "reconcile",
        "profile",
        "trends",
        "dependence",
        "exports",
        "pipeline",
        "cutoff",
        "network",
        "diff",
        "spending",
        "militarisation",
        "indicators",
        "flows",
        "serve",
        "report",
        "check",
    ):
        assert expected in names
    for name in names:
        r = runner.invoke(app, [name, "--help"])
        assert r.exit_code == 0 and "Usage" in r.output, name
        doc = typer_doc(name)
        assert doc, f"command {name} has no help text"


def typer_doc(name: str) -> str:
    import typer.main

    return typer.main.get_command(app).commands[name].help or ""


@pytest.fixture()
def home(store_path, monkeypatch, tmp_path):
    """An ARMATLAS_HOME whose store is the session store (copied: commands open it themselves)."""
    import shutil

    shutil.copy(store_path, tmp_path / "armatlas.duckdb")
    monkeypatch.setenv("ARMATLAS_HOME", str(tmp_path))
    return tmp_path


def test_profile_json_is_the_same_as_the_python_api(home, atlas):
    r = runner.invoke(app, ["profile", "Azerbaijan", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    py = atlas.profile("Azerbaijan").to_dict()
    assert doc["summary"]["dependence"]["latest"] == py["summary"]["dependence"]["latest"]
    assert doc["provenance"]["release"] == "2026-05-18"


def test_deals_csv_for_azerbaijan_partners(home):
    r = runner.invoke(app, ["deals", "-r", "Azerbaijan", "-s", "Pakistan", "--csv"])
    assert r.exit_code == 0, r.output
    assert r.output.startswith("supplier,recipient,designation")
    rows = list(csv.DictReader(io.StringIO(r.output)))
    jf17 = next(x for x in rows if x["designation"] == "JF-17 Thunder Block-3")
    # The register: 40 ordered at 23.8 TIV each (952), 5 delivered in 2025 (119); whole numbers stay whole.
    assert (jf17["tiv_order"], jf17["tiv_delivered"], jf17["n_ordered"]) == ("952", "119", "40")
    assert jf17["source"] == "SIPRI Arms Transfers Database, data generated 2026-05-18; release 2026-05-18"


def test_unknown_country_is_a_short_error_with_suggestions(home):
    import subprocess
    import sys

    from armatlas.cli.app import run  # noqa: F401 - the entry point's handler is what users see

    out = subprocess.run(
        [sys.executable, "-m", "armatlas", "profile", "Azerbajan"],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "COLUMNS": "120"},
    )
    assert out.returncode == 1
    assert "unknown-country" in out.stderr and "Azerbaijan" in out.stderr
    assert "Traceback" not in out.stderr


def test_impossible_period_is_an_error(home):
    r = runner.invoke(app, ["dependence", "India", "--period", "2030-2034"])
    assert r.exit_code != 0


@pytest.mark.data
def test_fetch_ingest_profile_against_a_local_publisher(fake_publisher, tmp_path, monkeypatch):
    monkeypatch.setenv("ARMATLAS_HOME", str(tmp_path))
    r = runner.invoke(
        app, ["fetch", "--source", "sipri-at", "--sipri-url", fake_publisher.url + SIPRI_PREFIX]
    )
    assert r.exit_code == 0, r.output
    snaps = sorted((tmp_path / "snapshots").rglob("meta.json"))
    assert len(snaps) == 4  # register, its delivery-year layout, import table, export table
    r = runner.invoke(app, ["releases", "--json"])
    rels = {x["release"] for x in json.loads(r.output)["rows"]}
    assert {"2026-05-18", "2024-10-13"} <= rels
    from armatlas.atlas import open_atlas

    with open_atlas(tmp_path / "armatlas.duckdb") as atlas:
        snap = next(s for s in atlas.snapshots().rows if s["layout"] == "web_register")
        assert snap["url"].startswith(fake_publisher.url)  # provenance from meta.json
        assert atlas.profile("Azerbaijan").summary.pipeline.outstanding_tiv > 0
    r = runner.invoke(
        app, ["fetch", "--source", "sipri-at", "--sipri-url", fake_publisher.url + SIPRI_PREFIX]
    )
    assert r.exit_code == 0 and "unchanged" in r.output


EVERY_COMMAND = [
    ["releases"],
    ["entities", "kor"],
    ["deals", "-r", "Azerbaijan"],
    ["reconcile", "--top", "3"],
    ["diff", "suppliers", "--a", "2024-04-13", "--b", "2026-05-18", "-c", "India", "-p", "2019-2023"],
    ["profile", "Azerbaijan"],
    ["trends"],
    ["flows", "India"],
    ["dependence", "India"],
    ["exports", "Türkiye"],
    ["pipeline", "Azerbaijan"],
    ["cutoff", "India", "-s", "Russia"],
    ["network", "--focus", "India"],
    ["spending", "Ukraine"],
    ["militarisation"],
    ["indicators", "India"],
    ["industry", "Israel"],
]


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=[" ".join(a) for a in EVERY_COMMAND])
def test_every_command_renders_its_terminal_view(home, args):
    """The terminal view of each command runs end to end (a renderer's NameError shows here)."""
    r = runner.invoke(app, args)
    assert r.exit_code == 0, (r.output, r.exception)
    assert "Traceback" not in r.output
    if args[0] != "industry":  # its view (industry's own) cites in its own words
        assert "Source:" in r.output


@pytest.mark.data  # reads a real file of ../shared itself (no store fixture)
def test_releases_of_a_store_without_arms_transfer_data_say_so(monkeypatch, tmp_path):
    """A store with only the milex workbook: no empty table, a sentence that says what a release is."""
    from spending_store import MILEX

    from armatlas.store.db import connect
    from armatlas.store.spending_ingest import ingest_milex

    con = connect(tmp_path / "armatlas.duckdb")
    ingest_milex(con, MILEX)
    assert con.execute("SELECT count(*) FROM deal").fetchone()[0] == 0
    con.close()
    monkeypatch.setenv("ARMATLAS_HOME", str(tmp_path))
    r = runner.invoke(app, ["releases"])
    assert r.exit_code == 0, r.output
    assert "Releases in the store: none." in r.output and "armatlas ingest PATH" in r.output
    assert json.loads(runner.invoke(app, ["releases", "--json"]).output)["rows"] == []
