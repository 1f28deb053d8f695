"""release="nearest": the release an article's author could have seen, and the verdicts on it."""

from __future__ import annotations

import json

import pytest

from armatlas.analysis.context import release_context
from armatlas.analysis.flows import period_totals
from armatlas.analysis.periods import parse_period
from armatlas.claims import check_article, parse_article, read_article
from armatlas.claims.release_pick import nearest_release
from armatlas.store.releases import list_releases
from tests.conftest import SHARED

ARTICLES = SHARED / "articles"


def test_apa_2019_falls_back_to_oldest_and_its_change_is_checked_there(con) -> None:
    d = check_article(con, read_article(str(ARTICLES / "apa-2019-azerbaijan-imports.txt")), release="nearest")
    dated = sorted(r["generated_at"] for r in list_releases(con) if r["generated_at"] is not None)
    assert dated[0].date().isoformat() > "2019-03-11"  # every release postdates the article
    assert d.provenance.release == "2024-04-13"
    assert "oldest available" in d.release_choice and d.release_choice in d.notes
    assert json.loads(d.to_json())["release_choice"] == d.release_choice
    change = next(c for c in d.claims if c.claim.kind == "change" and c.claim.subject == ["azerbaijan"])
    ctx = release_context(con, "2024-04-13")
    tiv = {
        r["period"]: r["tiv"]
        for r in period_totals(
            con, ctx, "import", [parse_period("2009-2013"), parse_period("2014-2018")]
        ).to_pylist()
        if r["entity_id"] == "azerbaijan"
    }
    want = 100 * (tiv["2014-2018"] / tiv["2009-2013"] - 1)
    assert change.evidence.computed == pytest.approx(want)
    assert change.verdict.verdict == ("consistent" if abs(want - 15) <= 5 else "inconsistent")
    assert change.evidence.query["release"] == "2024-04-13"


@pytest.mark.parametrize(
    "published,want,why",
    [
        ("2024-04-13", "2024-04-13", "latest generated on or before"),  # generated the same day counts
        ("2024-12-01", "2024-10-13", "latest generated on or before"),
        # 2025-02-17 is a to-Ukraine register only: never the basis of shares, so skipped.
        ("2025-03-01", "2024-10-13", "latest generated on or before"),
        ("2026-06-01", "2026-05-18", "latest generated on or before"),
        ("2025", "2024-10-13", "year only"),
        ("2010-01-01", "2024-04-13", "oldest available"),
    ],
)
def test_nearest_release_rule(con, published: str, want: str, why: str) -> None:
    rel, reason = nearest_release(con, parse_article(f"Published: {published}\n\nText."))
    assert rel == want and why in reason


def test_ukraine_only_release_exists_but_is_skipped(con) -> None:
    ukr = [r for r in list_releases(con) if r["release"] == "2025-02-17"]
    assert ukr and ukr[0]["recipients_scope"] == "Ukraine"


def test_undated_article_uses_newest_and_says_so(con) -> None:
    d = check_article(
        con, parse_article("Russia supplied 36% of India's arms imports in 2019–23."), release="nearest"
    )
    assert d.provenance.release == release_context(con).release
    assert "no date" in d.release_choice


def test_cli_release_nearest(store_path, monkeypatch, tmp_path) -> None:
    import typer
    from typer.testing import CliRunner

    from armatlas.cli.check_cmds import register

    monkeypatch.setenv("ARMATLAS_HOME", str(store_path.parent))
    app = typer.Typer()
    register(app)

    @app.command()
    def _noop() -> None:
        pass

    out = tmp_path / "d.md"
    res = CliRunner().invoke(
        app,
        [
            "check",
            str(ARTICLES / "azernews-2025-defence-development.txt"),
            "--release",
            "nearest",
            "--output",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    text = out.read_text()
    assert "- Editions: release 2024-10-13" in text
