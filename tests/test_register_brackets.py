"""SIPRI's bracket notation for uncertain values: `(2010)`, `(6)`, `2011; (2012)`.

SIPRI's registers print an uncertain year of order, number or delivery year in brackets (the
web export moved the flag into its `?` columns). Variants are built in tmp_path from real
registers in ../shared by bracketing a few cells; each must read to the file's own values
with the estimate flags set, and to exactly the original's values everywhere else.
Expected values are read from the files with the csv module, never from armatlas.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import REGISTER_2026, REGISTER_TIDY, SHARED

from armatlas.sources.sipri_transfers import parse
from armatlas.sources.sipri_transfers.uncertain import bracketed, bracketed_years
from armatlas.store.db import connect
from armatlas.store.ingest import ingest_file
from armatlas.store.overlay import Overlay

COLASDROIN = SHARED / "data-other-releases" / "trade-register_web_ColasDroin_2025-03.csv"
# web register columns: order year, its '?', number ordered, its '?', ..., number delivered, its '?', years
OY, OY_Q, NO, NO_Q, ND, ND_Q, YEARS, TIV_DELIVERED = 2, 3, 4, 5, 8, 9, 10, 15


def _cells(line: bytes) -> list[str]:
    return next(csv.reader([line.decode("cp1252")]))


def _line(cells: list[str]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue().encode("cp1252")


def _pick(lines: list[bytes], start: int, width: int, count: int, min_years: int = 2) -> list[int]:
    """Indexes of complete records with at least `min_years` delivery years and no '?' flags."""
    years_at = YEARS if width == 16 else 7
    found = []
    for i in range(start, len(lines)):
        c = _cells(lines[i]) if lines[i].strip() else []
        if len(c) != width or len(c[years_at].split(";")) < min_years:
            continue
        if width == 16 and (c[OY_Q] or c[NO_Q] or c[ND_Q]):
            continue
        found.append(i)
        if len(found) == count:
            break
    return found


def _bracket_web(cells: list[str]) -> list[str]:
    """Order year, number ordered, number delivered and the last delivery year in brackets."""
    c = list(cells)
    years = [y.strip() for y in c[YEARS].split(";")]
    c[OY], c[NO], c[ND] = f"({c[OY]})", f"({c[NO]})", f"({c[ND]})"
    c[YEARS] = "; ".join(years[:-1] + [f"({years[-1]})"])
    return c


def _variant(src: Path, dest: Path, picks: int, width: int = 16) -> tuple[Path, dict[int, list[str]]]:
    """A copy with `picks` records bracketed; their original cells by file line."""
    lines = src.read_bytes().split(b"\n")
    header = next(i for i, ln in enumerate(lines) if ln.startswith(b"Recipient,"))
    chosen = _pick(lines, header + 1, width, picks)
    originals = {i + 1: _cells(lines[i]) for i in chosen}
    for i in chosen:
        lines[i] = _line(_bracket_web(_cells(lines[i])))
    dest.write_bytes(b"\n".join(lines))
    return dest, originals


def _by_line(reg) -> dict[int, dict]:
    d = reg.deals
    return {ln: {c: d[c][i] for c in d} for i, ln in enumerate(d["line"])}


FLAGS = ("order_year_est", "n_ordered_est", "n_delivered_est", "delivery_years_est", "delivery_years")


@pytest.mark.data
def test_bracketed_cells_of_an_older_release_read_as_flagged_values(tmp_path):
    """March 2025 register: five deals bracketed read to the file's values, flagged as estimates."""
    variant, originals = _variant(COLASDROIN, tmp_path / "brackets.csv", 5)
    plain, got = parse(COLASDROIN), parse(variant)
    assert not got.rejects and got.n_deals == plain.n_deals
    before, after = _by_line(plain), _by_line(got)
    changed = {ln for ln in after if after[ln] != before[ln]}
    assert len(changed) == 5
    for ln in changed:
        a, b = after[ln], before[ln]
        assert {k: v for k, v in a.items() if k not in FLAGS} == {
            k: v for k, v in b.items() if k not in FLAGS
        }
        assert a["order_year_est"] and a["n_ordered_est"] and a["n_delivered_est"] and a["delivery_years_est"]
        assert a["delivery_years"] == b["delivery_years"]  # the years as listed, brackets read
    assert changed == set(originals)
    for ln in changed:
        c = originals[ln]  # the file's own values of the bracketed deal
        assert after[ln]["order_year"] == int(c[OY])
        assert after[ln]["n_ordered"] == int(c[NO]) and after[ln]["n_delivered"] == int(c[ND])
        assert after[ln]["tiv_delivered"] == float(c[TIV_DELIVERED])
    # per-year rows: the same split, only the bracketed (last) year flagged
    idx = {ln: i for i, ln in enumerate(got.deals["line"])}
    dl = got.deliveries
    for ln in changed:
        rows = [k for k, di in enumerate(dl["deal_index"]) if di == idx[ln]]
        years = [dl["year"][k] for k in rows]
        assert [dl["year_est"][k] for k in rows] == [y == max(years) for y in years]
        assert all(dl["units_est"][k] for k in rows)
        assert sum(dl["tiv"][k] for k in rows) == pytest.approx(after[ln]["tiv_delivered"])


@pytest.mark.data
def test_bracketed_register_ingests_with_its_flags_and_the_same_figures(tmp_path):
    """2026 register, first 3,000 records: the store holds the bracketed deals' TIV and years,
    flagged; totals equal the unbracketed copy's."""
    raw = REGISTER_2026.read_bytes().split(b"\n")
    plain = tmp_path / "plain.csv"
    plain.write_bytes(b"\n".join(raw[: 12 + 3000]) + b"\n")
    variant, originals = _variant(plain, tmp_path / "brackets.csv", 3)
    # one release, two contents: each in its own store (one store refuses a second content)
    con_a, con = connect(tmp_path / "a.duckdb"), connect(tmp_path / "b.duckdb")
    a = ingest_file(con_a, plain, strict=True, overlay=Overlay())
    b = ingest_file(con, variant, strict=True, overlay=Overlay())
    assert a.records == b.records
    total = "SELECT sum(tiv_delivered), sum(n_delivered), count(*) FROM deal WHERE snapshot_id = ?"
    assert con_a.execute(total, [a.snapshot_id]).fetchall() == con.execute(total, [b.snapshot_id]).fetchall()
    per_year = "SELECT year, sum(tiv) FROM delivery GROUP BY year ORDER BY year"
    assert con_a.execute(per_year).fetchall() == con.execute(per_year).fetchall()
    con_a.close()
    for line, c in originals.items():
        row = con.execute(
            "SELECT order_year, order_year_est, n_delivered, n_delivered_est, delivery_years_est, tiv_delivered, "
            "deal_key FROM deal WHERE snapshot_id = ? AND src_line = ?",
            [b.snapshot_id, line],
        ).fetchall()
        assert len(row) == 1
        oy, oy_est, nd, nd_est, years_est, tiv, key = row[0]
        assert (oy, nd, tiv) == (int(c[OY]), int(c[ND]), float(c[TIV_DELIVERED]))
        assert oy_est and nd_est and years_est
        last = max(int(y) for y in c[YEARS].split(";"))
        per_year = con.execute(
            "SELECT year, year_est FROM delivery WHERE deal_key = ? ORDER BY year", [key]
        ).fetchall()
        assert per_year == [(y, y == last) for y, _ in per_year]
    con.close()


@pytest.mark.data
def test_tidy_register_brackets_flag_only_the_bracketed_cells(tmp_path):
    """The 13-column variant has no '?' columns: a bracketed cell is flagged, others stay unknown (NULL)."""
    lines = REGISTER_TIDY.read_bytes().split(b"\n")
    i = _pick(lines, 1, 13, 1)[0]
    c = _cells(lines[i])
    c[2], c[6] = f"({c[2]})", f"({c[6]})"  # order year, number delivered
    lines[i] = _line(c)
    p = tmp_path / "tidy.csv"
    p.write_bytes(b"\n".join(lines))
    reg = parse(p)
    assert not reg.rejects
    deals = _by_line(reg)
    mine = deals[i + 1]
    assert (mine["order_year"], mine["n_delivered"]) == (int(c[2][1:-1]), int(c[6][1:-1]))
    assert mine["order_year_est"] is True and mine["n_delivered_est"] is True
    assert mine["n_ordered_est"] is None and mine["delivery_years_est"] is None
    assert {d["order_year_est"] for ln, d in deals.items() if ln != i + 1} == {None}


@pytest.mark.data
def test_bad_bracketed_cells_are_rejects_naming_the_cell_as_written(tmp_path):
    lines = REGISTER_2026.read_bytes().split(b"\n")
    picks = _pick(lines, 12, 16, 2)
    a, b = _cells(lines[picks[0]]), _cells(lines[picks[1]])
    a[OY] = f"({a[OY]}"  # unbalanced
    b[YEARS] = b[YEARS].replace(";", "; (", 1)  # a bracket opened and never closed
    lines[picks[0]], lines[picks[1]] = _line(a), _line(b)
    p = tmp_path / "bad.csv"
    p.write_bytes(b"\n".join(lines[: 12 + 2000]))
    rejects = {(r[0], r[1], r[2]) for r in parse(p).rejects}
    bad_year = b[YEARS].split(";")[1].strip()  # a year list's error names the item that fails
    assert rejects == {
        (picks[0] + 1, "Year of order", a[OY]),
        (picks[1] + 1, "Year(s) of delivery", bad_year),
    }


def test_bracket_forms():
    assert bracketed("(2010)") == ("2010", True)
    assert bracketed(" ( 6 ) ") == ("6", True)
    assert bracketed("2010") == ("2010", False)
    assert bracketed("(20x0)") == ("(20x0)", False)
    assert bracketed("((6))") == ("((6))", False)
    assert bracketed_years("2011; (2012)") == ("2011; 2012", frozenset({2012}))
    assert bracketed_years("(2011; 2012)") == ("2011; 2012", frozenset({2011, 2012}))
    assert bracketed_years("2011; 2012") == ("2011; 2012", None)
    assert bracketed_years("(2011; 2012") == ("(2011; 2012", None)
    assert bracketed_years("(2011)) ") == ("(2011)) ", None)
    assert bracketed_years("(abc)") == ("(abc)", None)


@pytest.mark.data
def test_unknown_dots_read_as_missing(tmp_path):
    """SIPRI's '. .' (information unknown) in a year or number cell is read like an empty cell."""
    lines = REGISTER_2026.read_bytes().split(b"\n")
    i = _pick(lines, 12, 16, 1)[0]
    c = _cells(lines[i])
    c[NO] = ". ."
    lines[i] = _line(c)
    p = tmp_path / "dots.csv"
    p.write_bytes(b"\n".join(lines[: 12 + 500]))
    reg = parse(p)
    assert not reg.rejects
    deal = _by_line(reg)[i + 1]
    assert deal["n_ordered"] is None and deal["tiv_delivered"] == float(c[TIV_DELIVERED])


def test_year_ranges():
    from armatlas.sources.sipri_transfers.cells import year_span

    assert year_span("2009-2011") == [2009, 2010, 2011]
    assert year_span("1997-98") == [1997, 1998]
    assert year_span("1999 - 2001") == [1999, 2000, 2001]
    assert year_span("2011-2009") is None and year_span("2009") is None and year_span("1900-2050") is None
    assert bracketed_years("(2009-11); 2013") == ("2009-11; 2013", frozenset({2009, 2010, 2011}))


def _consecutive(years: str) -> bool:
    ys = [int(y) for y in years.split(";") if y.strip()]
    return len(ys) >= 3 and ys == list(range(ys[0], ys[-1] + 1))


@pytest.mark.data
def test_delivery_years_written_as_ranges_read_to_the_same_deliveries(tmp_path):
    """The older registers' '2009-2011' (and '(2009-11)', uncertain) for consecutive years: the
    same per-year rows as the listed years of the real file."""
    lines = COLASDROIN.read_bytes().split(b"\n")
    header = next(i for i, ln in enumerate(lines) if ln.startswith(b"Recipient,"))
    picks = [
        i
        for i in range(header + 1, len(lines))
        if len(c := _cells(lines[i])) == 16 and _consecutive(c[YEARS])
    ][:6]
    for k, i in enumerate(picks):
        c = _cells(lines[i])
        ys = [y.strip() for y in c[YEARS].split(";")]
        c[YEARS] = f"{ys[0]}-{ys[-1]}" if k % 2 else f"({ys[0]}-{ys[-1][2:]})"
        lines[i] = _line(c)
    p = tmp_path / "ranges.csv"
    p.write_bytes(b"\n".join(lines))
    plain, got = parse(COLASDROIN), parse(p)
    assert not got.rejects and got.n_deals == plain.n_deals

    def per_year(reg, line):
        i = reg.deals["line"].index(line)
        dl = reg.deliveries
        return [
            (dl["year"][k], dl["units"][k], dl["tiv"][k]) for k, d in enumerate(dl["deal_index"]) if d == i
        ]

    for k, i in enumerate(picks):
        assert per_year(got, i + 1) == per_year(plain, i + 1) != []
        j = got.deals["line"].index(i + 1)
        assert got.deals["delivery_years_est"][j] is (None if k % 2 else True)
