"""Per-year deliveries of registers that list only delivery years, against exact figures.

The exact figures are read here straight from the April 2024 delivery-year CSV (csv module,
no armatlas code), and SIPRI's published numbers are typed from its fact sheets.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REGISTER_2026, REGISTER_ID_2024, REGISTER_TIDY

from armatlas.analysis.context import release_context
from armatlas.analysis.flows import period_totals
from armatlas.analysis.periods import Period
from armatlas.entities.register import load_register

pytestmark = pytest.mark.data  # reads the real snapshot files directly

P19_23 = Period(2019, 2023)


def _exact_rows() -> list[dict[str, str]]:
    lines = REGISTER_ID_2024.read_text(encoding="cp1252").splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("SIPRI AT Database ID"))
    return list(csv.DictReader(lines[start:]))


def _exact_sums(years: range) -> tuple[float, dict[str, float], dict[str, float]]:
    """World, per-recipient and per-supplier TIV in `years`, from the raw exact register."""
    world, rec, sup = 0.0, defaultdict(float), defaultdict(float)
    for r in _exact_rows():
        if int(r["Delivery year"]) in years and r["TIV delivery values"]:
            t = float(r["TIV delivery values"])
            world += t
            rec[r["Recipient"]] += t
            sup[r["Supplier"]] += t
    return world, rec, sup


def _tidy_release(con) -> str:
    """An undated file's release is named by its content digest (store/identity.py): ask the store."""
    return con.execute("SELECT release FROM snapshot WHERE file_name = ?", [REGISTER_TIDY.name]).fetchall()[
        0
    ][0]


def test_2026_register_world_change_is_sipris_published_one(atlas):
    # SIPRI, Trends in international arms transfers, 2025 (March 2026): +9.2% on 2016-20.
    res = atlas.trends(release="2026-05-18", period="2021-2025", compare="2016-2020")
    assert res.summary.world_change == pytest.approx(0.092, abs=0.01)
    # the headline figure is the headline period's world total, not the comparison period's
    assert res.summary.world_tiv > res.summary.world_tiv_compare


def test_2026_register_azerbaijan_israel_share_is_the_exact_one(atlas):
    exact = defaultdict(float)
    for r in _exact_rows():
        if (
            r["Recipient"] == "Azerbaijan"
            and 2017 <= int(r["Delivery year"]) <= 2021
            and r["TIV delivery values"]
        ):
            exact[r["Supplier"]] += float(r["TIV delivery values"])
    share_exact = exact["Israel"] / sum(exact.values())
    assert round(100 * share_exact, 1) == 59.3
    dep = atlas.dependence("Azerbaijan", periods=["2017-2021"], release="2026-05-18")
    israel = next(r for r in dep["suppliers"].rows if r["partner"] == "Israel")
    assert israel["share"] == pytest.approx(share_exact, abs=0.02)


def test_tidy_2024_register_world_and_countries_match_the_exact_release(con):
    world, rec, sup = _exact_sums(P19_23.years)
    ctx = release_context(con, _tidy_release(con))
    reg = load_register()
    for direction, exact in (("import", rec), ("export", sup)):
        rows = {r["entity_id"]: r for r in period_totals(con, ctx, direction, [P19_23]).to_pylist()}
        assert next(iter(rows.values()))["world_tiv"] == pytest.approx(world, rel=0.005)
        big = {n: t for n, t in exact.items() if t > 1000}
        assert len(big) > 10
        for name, tiv in big.items():
            got = rows[reg.resolve(name, "sipri_at")]["tiv"]
            assert got == pytest.approx(tiv, rel=0.03), (direction, name)


def test_every_row_says_how_its_year_was_obtained(con):
    rows = dict(
        con.execute(
            """SELECT s.layout || ':' || v.allocation, count(*) FROM delivery v JOIN snapshot s USING (snapshot_id)
           GROUP BY ALL"""
        ).fetchall()
    )
    # exact layout rows are exact; the tidy file finds its deals in the same release (data to
    # 2023); the 2026 register in the older April 2024 and February 2025 releases
    assert set(rows) >= {
        "delivery_years:exact",
        "tidy_register:same_release",
        "tidy_register:estimated",
        "web_register:prior_release",
        "web_register:estimated",
    }
    assert "web_register:same_release" not in rows and "tidy_register:prior_release" not in rows
    # the per-year TIV of every deal still adds up to its delivered TIV
    bad = con.execute(
        """SELECT count(*) FROM (SELECT d.deal_key, any_value(d.tiv_delivered) t, sum(v.tiv) s
           FROM deal d JOIN delivery v USING (deal_key) GROUP BY d.deal_key) WHERE abs(t - s) > 1e-6"""
    ).fetchall()
    assert bad[0][0] == 0


def test_a_known_deal_takes_the_exact_years_and_the_remainder(con):
    # Azerbaijan's Hermes-450 from Israel (order 2008): 10 delivered 2011-2013 in both files
    exact = [
        (int(r["Delivery year"]), int(r["Numbers delivered"]))
        for r in _exact_rows()
        if r["Recipient"] == "Azerbaijan" and r["Designation"] == "Hermes-450"
    ]
    got = con.execute(
        """SELECT v.year, v.units, v.allocation FROM delivery v JOIN deal d USING (deal_key)
           JOIN snapshot s ON s.snapshot_id = d.snapshot_id
           WHERE s.layout = 'web_register' AND d.recipient_id = 'azerbaijan' AND d.designation = 'Hermes-450'
           ORDER BY v.year"""
    ).fetchall()
    assert [(y, u) for y, u, _ in got] == sorted(exact)
    assert {a for *_, a in got} == {"prior_release"}


def test_result_is_the_same_whatever_the_ingest_order(tmp_path):
    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_file

    path = tmp_path / "reverse.duckdb"
    c = connect(path)
    for f in (REGISTER_2026, REGISTER_ID_2024):  # the register before the exact release
        ingest_file(c, f)
    q = """SELECT v.allocation, v.year, round(sum(v.tiv), 6) FROM delivery v JOIN snapshot s USING (snapshot_id)
           WHERE s.layout = 'web_register' AND v.year BETWEEN 2015 AND 2025 GROUP BY ALL ORDER BY ALL"""
    reverse = c.execute(q).fetchall()
    c.close()
    fwd = connect(tmp_path / "fwd.duckdb")
    for f in (REGISTER_ID_2024, REGISTER_2026):
        ingest_file(fwd, f)
    forward = fwd.execute(q).fetchall()
    fwd.close()
    assert forward == reverse and any(a == "prior_release" for a, *_ in forward)


def test_diff_separates_revisions_from_method(atlas):
    # Files with the same deals: under one method (the split rule on both) nothing was revised.
    same = atlas.compare_releases(
        "suppliers", "2024-04-13", _tidy_release(atlas.con), country="Azerbaijan", period="2017-2021"
    )
    assert max(abs(r["change_revision"]) for r in same.rows if r["change_revision"] is not None) < 0.002
    assert same.summary.allocation_a == {"exact": 1.0}
    # Two releases: every change is revision + method, and the summary says how much is method.
    res = atlas.compare_releases(
        "world-share", "2024-04-13", "2026-05-18", direction="export", period="2016-2020"
    )
    both = [r for r in res.rows if r["change"] is not None]
    assert all(r["change_revision"] + r["change_method"] == pytest.approx(r["change"]) for r in both)
    assert 0.0 < res.summary.method_share_of_change < 1.0
    assert res.summary.allocation_b is not None
    assert res.summary.allocation_b["estimated"] > 0 and "exact" not in res.summary.allocation_b


def _exact_edited(tmp_path: Path, name: str, edit: Callable[[list[str], list[str]], list[str]]) -> Path:
    """A copy of the April 2024 delivery-year register with its data rows edited (same release)."""
    lines = REGISTER_ID_2024.read_bytes().decode("cp1252").split("\n")
    start = next(i for i, ln in enumerate(lines) if ln.startswith("SIPRI AT Database ID")) + 1
    header = next(csv.reader([lines[start - 1]]))
    path = tmp_path / name
    path.write_bytes("\n".join(lines[:start] + edit(header, lines[start:])).encode("cp1252"))
    return path


def _tidy_rows(con) -> list[tuple]:
    """The tidy register's per-year rows by record position (deal keys differ between stores)."""
    return con.execute(
        """SELECT v.deal_key - (s.snapshot_id::BIGINT << 32), v.year, v.units, round(v.tiv, 6), v.allocation
           FROM delivery v JOIN snapshot s ON s.snapshot_id = v.snapshot_id
           WHERE s.layout = 'tidy_register' ORDER BY 1, 2"""
    ).fetchall()


def test_replacing_the_exact_release_rederives_the_registers_that_drew_on_it(tmp_path):
    """`ingest --replace` of the exact release leaves the tidy register as a fresh ingest of the
    new pair would: re-derived from the new rows, or split by the rule once it cannot use them."""
    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_file

    def without_russia_india(header: list[str], rows: list[str]) -> list[str]:
        return [r for r in rows if ",Russia,India," not in r]

    def one_delivery_in_2024(header: list[str], rows: list[str]) -> list[str]:
        # a 2024 row makes the release's newest year 2024, later than the tidy register's 2023
        year = header.index("Delivery year")
        i = next(i for i, r in enumerate(rows) if next(csv.reader([r]))[year : year + 1] == ["2023"])
        cells = next(csv.reader([rows[i]]))
        cells[year] = "2024"
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(cells)
        return [*rows[:i], out.getvalue(), *rows[i + 1 :]]

    def fresh(exact) -> list[tuple]:
        c = connect(tmp_path / f"fresh-{exact.stem}.duckdb")
        for f in (exact, REGISTER_TIDY):
            ingest_file(c, f)
        rows = _tidy_rows(c)
        c.close()
        return rows

    con = connect(tmp_path / "replaced.duckdb")
    for f in (REGISTER_ID_2024, REGISTER_TIDY):
        ingest_file(con, f)
    before = _tidy_rows(con)
    assert any(a == "same_release" for *_, a in before)
    for edit in (without_russia_india, one_delivery_in_2024):
        exact = _exact_edited(tmp_path, f"{edit.__name__}.csv", edit)
        assert ingest_file(con, exact, replace=True).status == "replaced"
        assert _tidy_rows(con) == fresh(exact) != before
    # The tidy register (newest year 2023) cannot draw on a release reaching 2024: all estimated.
    assert {a for *_, a in _tidy_rows(con)} == {"estimated"}
    con.close()
