"""Release comparison: revisions between real releases, appear/disappear logic, CLI commands."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from armatlas.analysis.context import release_context
from armatlas.analysis.diff import compare_releases
from armatlas.analysis.flows import partner_shares, period_totals
from armatlas.analysis.periods import parse_period
from armatlas.errors import InvalidPeriodError, QueryError


def test_india_suppliers_revised_between_releases(con) -> None:
    res = compare_releases(con, "suppliers", "2024-04-13", "2026-05-18", country="India", period="2019-2023")
    rows = {r["key"]: r for r in res.rows}
    p = parse_period("2019-2023")
    for rel, col in (("2024-04-13", "value_a"), ("2026-05-18", "value_b")):
        ctx = release_context(con, rel)
        direct = {
            r["partner_id"]: r["share"]
            for r in partner_shares(con, ctx, "import", [p], ["india"]).to_pylist()
        }
        assert {k: r[col] for k, r in rows.items() if r[col] is not None} == pytest.approx(direct)
    ru = rows["russia"]
    assert round(ru["value_a"], 2) == 0.36  # as SIPRI published in March 2024
    assert ru["change"] == pytest.approx(ru["value_b"] - ru["value_a"]) and abs(ru["change"]) > 0.005
    assert sum(r["value_a"] or 0 for r in res.rows) == pytest.approx(1.0)
    assert sum(r["value_b"] or 0 for r in res.rows) == pytest.approx(1.0)


def test_us_world_export_share_tables_vs_register(con) -> None:
    res = compare_releases(
        con, "world-share", "2024-10-13", "2026-05-18", country="United States", period="2019-2023"
    )
    (row,) = res.rows
    ctx = release_context(con, "2024-10-13")
    table = next(
        r
        for r in period_totals(con, ctx, "export", [parse_period("2019-2023")]).to_pylist()
        if r["entity_id"] == "united-states"
    )
    assert row["value_a"] == pytest.approx(table["share"]) and row["tiv_a"] == pytest.approx(table["tiv"])
    assert res.summary.basis_a == "publisher TIV tables" and res.summary.basis_b == "register deliveries"
    assert res.warnings  # different bases: part of the change is method


def test_appear_and_disappear(con) -> None:
    res = compare_releases(
        con, "world-share", "2024-04-13", "2026-05-18", direction="import", period="2019-2023"
    )
    status = {r["status"] for r in res.rows}
    assert status <= {"both", "only_a", "only_b"}
    for r in res.rows:
        assert (r["value_a"] is None) == (r["status"] == "only_b")
        assert (r["value_b"] is None) == (r["status"] == "only_a")
        assert (r["change"] is None) == (r["status"] != "both")
    assert res.summary.appeared == [r["label"] for r in res.rows if r["status"] == "only_b"]


def test_trends_query(con) -> None:
    res = compare_releases(con, "trends", "2024-10-13", "2026-05-18", period="2019-2023", top=5)
    assert 5 <= len(res) <= 10
    assert res.rows[0]["key"] == "united-states"


def test_errors(con) -> None:
    with pytest.raises(QueryError):
        compare_releases(con, "nonsense", "2024-04-13", "2026-05-18")
    with pytest.raises(QueryError):
        compare_releases(con, "suppliers", "2024-04-13", "2026-05-18")
    with pytest.raises(InvalidPeriodError):  # 2024-04-13 ends in 2023
        compare_releases(con, "suppliers", "2024-04-13", "2026-05-18", country="India", period="2021-2025")


@pytest.fixture
def cli(store_path, monkeypatch):
    from armatlas.cli.main import register_all as register

    monkeypatch.setenv("ARMATLAS_HOME", str(store_path.parent))
    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_cli_commands(cli, tmp_path) -> None:
    r = cli("pipeline", "Azerbaijan", "--supplier", "Pakistan", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["rows"][0]["outstanding_units"] == 35
    r = cli(
        "cutoff",
        "India",
        "--supplier",
        "Russia",
        "--window",
        "2019-2023",
        "--release",
        "2024-04-13",
        "--json",
    )
    assert r.exit_code == 0, r.output
    assert round(json.loads(r.output)["summary"]["share_lost"], 2) == 0.36
    r = cli("network", "--focus", "Azerbaijan", "--graphml", str(tmp_path / "g.graphml"), "--csv")
    assert r.exit_code == 0 and (tmp_path / "g.graphml").exists()
    assert r.output.splitlines()[0].startswith("supplier_id,recipient_id")
    r = cli("diff", "suppliers", "--a", "2024-04-13", "--b", "2026-05-18", "-c", "India", "-p", "2019-2023")
    assert r.exit_code == 0 and "Russia" in r.output and "pp" in r.output
    for cmd in ("pipeline", "cutoff", "network", "diff"):
        assert cli(cmd, "--help").exit_code == 0


def test_cli_errors_propagate(cli) -> None:
    from armatlas.errors import UnknownCountryError

    r = cli("cutoff", "Azerbajan", "--supplier", "Russia")
    assert isinstance(r.exception, UnknownCountryError)
