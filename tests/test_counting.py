"""SIPRI's counting rules, checked against the raw files (read here with csv/openpyxl)."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest
from conftest import DATA, REGISTER_ID_2024, REGISTER_ID_UKR, TIV_IMPORTS

from armatlas.analysis.context import published_through, release_context
from armatlas.errors import InvalidPeriodError, ScopedReleaseError

MILEX = DATA / "sipri_milex" / "SIPRI-Milex-data-1949-2024_2.xlsx"


def _id_rows() -> list[dict[str, str]]:
    lines = REGISTER_ID_2024.read_text(encoding="cp1252").splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("SIPRI AT Database ID"))
    return list(csv.DictReader(lines[start:]))


def test_us_exports_2019_23_reach_107_recipient_states(atlas):
    raw = {
        r["Recipient"]
        for r in _id_rows()
        if r["Supplier"] == "United States" and 2019 <= int(r["Delivery year"]) <= 2023
    }
    # SIPRI marks organisations '**' and non-state actors '*'; unknown recipients are named so
    states = {n for n in raw if not n.endswith("*") and not n.lower().startswith("unknown")}
    assert len(states) == 107  # SIPRI, March 2024: "to 107 states"
    vol = atlas.exports("United States", periods=["2019-2023"], release="2024-04-13")["volume"].rows[-1]
    assert vol["recipients"] == 107
    assert vol["other_recipients"] == len(raw) - 107 and "NATO" in vol["other_recipient_names"]


def _workbook_share_gdp(year: int) -> dict[str, float]:
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(MILEX, read_only=True, data_only=True)["Share of GDP"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "Country")
    col = list(rows[header]).index(float(year))
    return {r[0]: r[col] for r in rows[header + 1 :] if len(r) > col and r[0] and isinstance(r[col], float)}


def test_the_eu_is_in_no_country_ranking(atlas):
    res = atlas.militarisation()
    assert all(r["entity_id"] != "european-union" for r in res.rows)
    year = res.params["year"]
    shares = _workbook_share_gdp(year)
    assert "European Union" in shares  # the workbook has it; a ranking must not
    countries = {n: v for n, v in shares.items() if n != "European Union"}
    for name in ("Kosovo", "Taiwan", "Croatia"):
        s = atlas.spending(name, year=year).summary
        assert s.world_rank_share_gdp == 1 + sum(v > countries[name] for v in countries.values())
    eu = atlas.spending("European Union", year=year).summary
    assert eu.share_gdp == pytest.approx(shares["European Union"]) and eu.world_rank_share_gdp is None


def test_trade_ranks_are_of_states_and_others_are_listed_apart(atlas):
    res = atlas.trends(direction="import", release="2026-05-18", top=None)
    assert [r["rank"] for r in res.rows] == sorted(r["rank"] for r in res.rows)
    names = {x.name for x in res.summary.not_ranked}
    assert "NATO" in names and not names & {r["name"] for r in res.rows}


def test_pipeline_headline_counts_ordered_items_only(atlas):
    p = atlas.pipeline(importer="India", release="2026-05-18")
    rows = p.rows
    ordered = [r for r in rows if not r["selected_only"]]
    selected = [r for r in rows if r["selected_only"]]
    assert selected and all("selected" in (r["comments"] or "").lower() for r in selected)
    assert p.summary.deals == len(ordered) and p.summary.selected_deals == len(selected)
    assert p.summary.outstanding_tiv == pytest.approx(
        sum(r["outstanding_tiv"] or 0 for r in ordered), abs=1e-3
    )
    assert p.summary.selected_only_tiv > 0


def test_licensed_and_local_production_mean_the_same_in_every_layout(atlas):
    rows = [
        r for r in _id_rows() if r["Recipient"] == "Australia" and 2019 <= int(r["Delivery year"]) <= 2023
    ]
    tiv = sum(float(r["TIV delivery values"] or 0) for r in rows)
    flagged = sum(float(r["TIV delivery values"] or 0) for r in rows if r["Local production"] == "Yes")
    exact = atlas.dependence("Australia", periods=["2019-2023"], release="2024-04-13")
    m = exact["metrics"].rows[-1]
    assert m["local_production_share"] == pytest.approx(flagged / tiv)
    assert m["licensed_share"] is None and any("cannot" in w or "not known" in w for w in exact.warnings)
    web = atlas.dependence("Australia", periods=["2019-2023"], release="2026-05-18")["metrics"].rows[-1]
    assert web["local_production_share"] == pytest.approx(flagged / tiv, abs=0.02)
    assert web["licensed_share"] < 0.5 * web["local_production_share"]


def test_a_release_of_one_country_refuses_world_figures(atlas):
    with pytest.raises(ScopedReleaseError, match="Ukraine"):
        atlas.trends(direction="import", release="2025-02-17", period="2019-2023")
    dep = atlas.dependence("Ukraine", periods=["2019-2023"], release="2025-02-17")
    assert dep["suppliers"].rows  # bilateral figures still work


def test_default_periods_stop_where_the_release_starts(atlas):
    """The to-Ukraine register starts in 2014: its profile shows 2014-2018 and 2019-2023 instead of
    refusing a 2009-2013 nobody asked for; a period asked for outside it is still refused."""
    lines = REGISTER_ID_UKR.read_text(encoding="cp1252").splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("SIPRI AT Database ID"))
    rows = list(csv.DictReader(lines[start:]))
    years = [int(r["Delivery year"]) for r in rows if r["Delivery year"]]
    assert min(years) == 2014
    tiv = sum(float(r["TIV delivery values"] or 0) for r in rows if 2019 <= int(r["Delivery year"]) <= 2023)
    prof = atlas.profile("Ukraine", release="2025-02-17")
    assert prof.summary.periods == ["2014-2018", "2019-2023"]
    assert prof.summary.dependence.latest.tiv == pytest.approx(tiv)
    dep = atlas.dependence("Ukraine", release="2025-02-17")
    assert [r["period"] for r in dep["metrics"].rows] == ["2014-2018", "2019-2023"]
    with pytest.raises(InvalidPeriodError, match="2009-2013"):
        atlas.dependence("Ukraine", periods=["2009-2013"], release="2025-02-17")
    with pytest.raises(
        InvalidPeriodError, match="Period 2030-2034 is outside"
    ):  # not the 2025-2029 it implies
        atlas.profile("India", period="2030-2034")


def test_the_first_period_says_it_has_nothing_before_it(atlas, con):
    """Trends of the register's first period: the error names that period and the missing
    comparison, not a 1945-1949 nobody asked for; with a comparison named, the next one works."""
    (first,) = con.execute(
        """SELECT min(v.year) FROM delivery v JOIN snapshot s ON s.snapshot_id = v.snapshot_id
           WHERE s.release = '2026-05-18'"""
    ).fetchone()
    assert first == 1950
    with pytest.raises(InvalidPeriodError, match="Period 1950-1954 has no earlier period") as err:
        atlas.trends(direction="import", period="1950-1954")
    assert "1955" in (err.value.hint or "")
    later = atlas.trends(direction="import", period="1955-1959", compare="1950-1954", top=1)
    assert later.params["compare"] == "1950-1954" and later.rows


def test_a_year_sipri_has_not_published_is_refused(con):
    assert published_through(datetime(2025, 2, 17)) == 2023  # before the March 2025 update
    assert published_through(datetime(2026, 5, 18)) == 2025
    ctx = release_context(con, "2025-02-17")
    assert ctx.last_year <= 2023
    from armatlas.analysis.flows import flows

    with pytest.raises(InvalidPeriodError, match="outside") as err:
        flows(con, "India", periods=["2020-2024"], release="2024-04-13")
    assert "March" in (err.value.hint or "")


def test_north_yemen_is_one_state(atlas, con):
    hits = [e for e in atlas.entities("Yemen").rows if "North Yemen" in e["name"]]
    assert len(hits) == 1
    raw = list(csv.reader(TIV_IMPORTS.read_text().splitlines()))
    hdr = next(r for r in raw if r and r[0] == "Recipient")
    both = [r for r in raw if r and "North Yemen" in r[0]]
    assert len(both) == 2  # SIPRI's table keeps two rows for the one state
    years = [str(y) for y in range(1950, 1991)]
    want = sum(float(r[hdr.index(y)] or 0) for r in both for y in years)
    got = con.execute(
        """SELECT sum(tiv) FROM tiv_total t JOIN snapshot s USING (snapshot_id)
                         WHERE s.layout = 'tiv_imports' AND t.entity_id = ? AND year <= 1990""",
        [hits[0]["entity_id"]],
    ).fetchall()[0][0]
    assert got == pytest.approx(want)


@pytest.mark.data  # reads a real file of ../shared itself (no store fixture)
def test_a_store_of_tiv_tables_only_names_the_release_that_answers(tmp_path):
    """No register: the refusal names the tables' release, and asked by name it ranks from them."""
    from armatlas.analysis.trends import trends
    from armatlas.errors import NoDataError
    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_path

    con = connect(tmp_path / "tables.duckdb")
    ingest_path(con, TIV_IMPORTS)
    with pytest.raises(NoDataError, match="all-to-all register") as err:
        trends(con, direction="import")
    assert "2024-10-13 (TIV tables)" in (err.value.hint or "") and "--release" in (err.value.hint or "")
    raw = list(csv.reader(TIV_IMPORTS.read_text().splitlines()))
    hdr = next(r for r in raw if r and r[0] == "Recipient")
    cols = [hdr.index(str(y)) for y in range(2019, 2024)]
    india = next(r for r in raw if r and r[0] == "India")
    top = trends(con, direction="import", period="2019-2023", release="2024-10-13", top=1).rows[0]
    assert top["name"] == "India"
    assert top["tiv"] == pytest.approx(sum(float(india[i] or 0) for i in cols))
    con.close()
