"""Other real SIPRI releases (../shared/data-other-releases): tolerant layouts, three-tier
resolution, row-level quarantine, --strict, the user overlay and `armatlas review`.

Expected values are read from the files themselves with the csv module, never from armatlas."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import REGISTER_2026, SHARED

from armatlas.errors import DataCheckError, UnknownDescriptionError, UnknownEntityError
from armatlas.sources.sipri_transfers import parse, parse_bytes
from armatlas.store.db import connect
from armatlas.store.ingest import ingest_file
from armatlas.store.overlay import Overlay, load_overlay

pytestmark = pytest.mark.data  # reads the real snapshot files directly

OTHER = SHARED / "data-other-releases"
BINGSONGL = OTHER / "trade-register_web_Bingsongl_2024-03.csv"
COLASDROIN = OTHER / "trade-register_web_ColasDroin_2025-03.csv"
RATDB = OTHER / "trade-register_ID-layout_backend_2000-2020_ratdb_2025-02-10.csv"
OLD_IMPORTS = OTHER / "TIV-Import-All-1950-2017-rs_dodomoon.csv"
OLD_ISRAEL = OTHER / "TIV-Export-ISR-1950-2021_360info_2022-07.csv"
NO_OVERLAY = Overlay()


def _rows(path: Path, skip: int) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("cp1252"))))[skip:]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """Every SIPRI file of the other releases, ingested with the default (tolerant) settings."""
    con = connect(tmp_path_factory.mktemp("other") / "o.duckdb")
    results = {
        p.name: ingest_file(con, p, overlay=NO_OVERLAY)
        for p in (COLASDROIN, BINGSONGL, RATDB, OLD_IMPORTS, OLD_ISRAEL)
    }
    yield con, results
    con.close()


def _one(con, sql, params=()):
    return con.execute(sql, list(params)).fetchall()


def test_every_other_release_ingests_by_default(store):
    _con, results = store
    assert {r.status for r in results.values()} == {"ingested"}
    layouts = {n: r.layout for n, r in results.items()}
    assert layouts[OLD_IMPORTS.name] == "tiv_imports"
    assert layouts[OLD_ISRAEL.name] == "tiv_country_exports"
    assert layouts[RATDB.name] == "delivery_years"


def test_publisher_slip_is_quarantined_not_the_file(store):
    con, results = store
    # Peru PR-72P, 1976: 0 ordered, 6 delivered (line 19171 of the file)
    raw = _rows(BINGSONGL, 0)
    line = next(i for i, r in enumerate(raw, 1) if r[:2] == ["Peru", "France"] and r[6] == "PR-72P")
    assert (raw[line - 1][4], raw[line - 1][8]) == ("0", "6")
    q = _one(
        con,
        "SELECT reason, src_line, column_name, value, tiv FROM quarantine q JOIN snapshot s "
        "USING (snapshot_id) WHERE s.file_name = ?",
        [BINGSONGL.name],
    )
    assert q == [("delivered_exceeds_ordered", line, "Number delivered", "6", float(raw[line - 1][15]))]
    body = [r for r in raw[12:] if r and r[0]]
    assert results[BINGSONGL.name].records == len(body) - 1
    # a known deal is stored with the file's TIV
    first = body[0]
    got = _one(
        con,
        "SELECT tiv_delivered FROM deal d JOIN snapshot s USING (snapshot_id) WHERE s.file_name = ? "
        "AND recipient_name = ? AND supplier_name = ? AND designation = ? AND order_year = ?",
        [BINGSONGL.name, first[0], first[1], first[6], int(first[2])],
    )
    assert got == [(float(first[15]),)]


def test_strict_fails_once_listing_every_finding():
    for path, exc, must in (
        (BINGSONGL, DataCheckError, ["delivered_exceeds_ordered: 1 row(s)", "line(s) 19171"]),
        (
            COLASDROIN,
            UnknownDescriptionError,
            ["torpdeo boat", "air-defence system", "long-range air-to-air missile/SAM"],
        ),
        (OLD_IMPORTS, UnknownEntityError, ["Turkey", "Swaziland", "Huthi rebels (Yemen)*", "Germany (FRG)"]),
    ):
        con = connect(":memory:")
        with pytest.raises(exc) as e:
            ingest_file(con, path, strict=True, overlay=NO_OVERLAY)
        msg = e.value.message
        assert msg.startswith("Strict ingest refused") and all(m in msg for m in must), (path.name, msg[:500])
        assert _one(con, "SELECT count(*) FROM snapshot") == [(0,)]
        con.close()


def test_derived_descriptions_are_stored_with_their_rule(store):
    con, _ = store
    rows = dict(
        (
            (v, (c, rule, n))
            for v, c, rule, n in _one(
                con,
                "SELECT value, resolved, rule, r.n_rows FROM resolution r JOIN snapshot s USING (snapshot_id) "
                "WHERE s.file_name = ? AND kind = 'description' AND tier = 'derived'",
                [COLASDROIN.name],
            )
        )
    )
    raw = [r for r in _rows(COLASDROIN, 12) if r and r[0]]
    assert rows["torpdeo boat"] == (
        "Ships",
        "spelling:torpdeo->torpedo",
        sum(1 for r in raw if r[7] == "torpdeo boat"),
    )
    assert rows["anti-aircraft gun/SAM system"][:2] == ("Air defence systems", "abbreviation")
    assert len(rows) == 10
    # the three descriptions no rule maps are quarantined, row by row, with their lines
    q = _one(
        con,
        "SELECT value, count(*) FROM quarantine q JOIN snapshot s USING (snapshot_id) "
        "WHERE s.file_name = ? GROUP BY 1 ORDER BY 1",
        [COLASDROIN.name],
    )
    expect = {}
    for r in raw:
        if r[7] in ("air-defence system", "aircraft jet engine", "armoured logistical vehicle"):
            expect[r[7]] = expect.get(r[7], 0) + 1
    assert q == sorted(expect.items())


def test_same_deal_in_another_release_resolves_a_description(store, tmp_path):
    con = connect(tmp_path / "s.duckdb")
    ingest_file(con, BINGSONGL, overlay=NO_OVERLAY)
    ingest_file(con, COLASDROIN, overlay=NO_OVERLAY)
    got = _one(con, "SELECT resolved, rule FROM resolution WHERE value = 'armoured logistical vehicle'")
    assert got == [("Armoured vehicles", "same_deal:release 2024-03-18")]
    con.close()


def test_old_site_all_countries_table(store):
    con, _ = store
    raw = _rows(OLD_IMPORTS, 0)
    hdr = next(r for r in raw if r and r[0] == "" and r[1] == "1950")
    india = next(r for r in raw if r and r[0] == "India")
    years = [str(y) for y in range(2013, 2018)]
    expect = sum(float(india[hdr.index(y)] or 0) for y in years)
    got = _one(
        con,
        "SELECT sum(tiv) FROM tiv_total t JOIN snapshot s USING (snapshot_id) WHERE s.file_name = ? "
        "AND entity_id = 'india' AND direction = 'import' AND year BETWEEN 2013 AND 2017",
        [OLD_IMPORTS.name],
    )
    assert got == [(expect,)]
    total = next(r for r in raw if r and r[0] == "Total")
    world = _one(
        con,
        "SELECT tiv FROM tiv_total t JOIN snapshot s USING (snapshot_id) WHERE s.file_name = ? "
        "AND entity_id = 'world' AND year = 2017",
        [OLD_IMPORTS.name],
    )
    assert world == [(float(total[hdr.index("2017")]),)]
    gen = _one(con, "SELECT release FROM snapshot WHERE file_name = ?", [OLD_IMPORTS.name])
    assert gen == [("2018-12-05",)]  # "Generated: 05 December 2018"
    # old spellings resolved by recorded rules
    derived = dict(
        _one(
            con,
            "SELECT value, rule FROM resolution r JOIN snapshot s USING (snapshot_id) "
            "WHERE s.file_name = ? AND tier = 'derived'",
            [OLD_IMPORTS.name],
        )
    )
    assert derived["Turkey"] == "common_name" and derived["PKK (Turkey)*"].startswith("rename_pattern")
    assert len(derived) == 11


def test_old_site_per_country_table(store):
    con, _ = store
    raw = _rows(OLD_ISRAEL, 0)
    hdr = next(r for r in raw if r and r[0] == "" and r[1] == "1950")
    total = next(r for r in raw if r and r[0] == "Total")
    india = next(r for r in raw if r and r[0] == "India")
    years = [str(y) for y in range(2017, 2022)]
    got = _one(
        con,
        "SELECT sum(tiv) FROM tiv_total t JOIN snapshot s USING (snapshot_id) WHERE s.file_name = ? "
        "AND entity_id = 'israel' AND direction = 'export' AND year BETWEEN 2017 AND 2021",
        [OLD_ISRAEL.name],
    )
    assert got == [(sum(float(total[hdr.index(y)] or 0) for y in years),)]
    got = _one(
        con,
        "SELECT sum(tiv) FROM tiv_partner t JOIN snapshot s USING (snapshot_id) WHERE s.file_name = ? "
        "AND entity_id = 'israel' AND partner_id = 'india' AND year BETWEEN 2017 AND 2021",
        [OLD_ISRAEL.name],
    )
    assert got == [(sum(float(india[hdr.index(y)] or 0) for y in years),)]


def test_delivery_year_release_known_deal(store):
    con, _ = store
    raw = [r for r in _rows(RATDB, 12) if r]
    sid = raw[0][0]
    expect = sum(float(r[15]) for r in raw if r[0] == sid)
    got = _one(
        con,
        "SELECT d.tiv_delivered, sum(v.tiv) FROM deal d JOIN delivery v USING (deal_key) "
        "WHERE d.sipri_id = ? GROUP BY 1",
        [int(sid)],
    )
    assert len(got) == 1 and abs(got[0][0] - expect) < 1e-9 and abs(got[0][1] - expect) < 1e-9


def _variant(tmp_path: Path, name: str, change) -> Path:
    text = REGISTER_2026.read_bytes().decode("cp1252")
    out = tmp_path / name
    out.write_bytes(change(text).encode("cp1252"))
    return out


def _deals(reg) -> list[tuple]:
    d = reg.deals
    cols = [c for c in d if c != "line"]
    return list(zip(*(d[c] for c in cols), strict=True))


@pytest.fixture(scope="module")
def original():
    return _deals(parse(REGISTER_2026))


def test_renamed_delivered_column_reads_the_same_deals(tmp_path, original):
    p = _variant(
        tmp_path,
        "renamed.csv",
        lambda t: t.replace(",Number delivered,", ",Deliveries in the Year Range,", 1),
    )
    assert _deals(parse(p)) == original


def test_trailing_semicolons_read_the_same_deals(tmp_path, original):
    p = _variant(
        tmp_path,
        "semi.csv",
        lambda t: "\n".join(ln[:-1] + ";\r" if ln.endswith("\r") else ln + ";" for ln in t.split("\n")),
    )
    reg = parse(p)
    assert _deals(reg) == original


def test_bom_no_preamble_and_reordered_columns(tmp_path, original):
    def change(t: str) -> str:
        lines = t.split("\n")[11:]  # header first, no preamble
        rows = list(csv.reader(lines))
        return "\n".join(
            ",".join(f'"{c}"' if ("," in c or '"' in c) else c for c in [r[1], r[0], *r[2:]])
            for r in rows
            if r
        )

    p = tmp_path / "bom.csv"
    p.write_bytes(b"\xef\xbb\xbf" + change(REGISTER_2026.read_bytes().decode("cp1252")).encode("utf-8"))
    reg = parse(p)
    assert reg.layout == "web_register" and reg.preamble.generated_at is None
    assert _deals(reg) == original


def test_renamed_and_semicolon_copies_ingest_like_the_original(tmp_path):
    con = connect(tmp_path / "v.duckdb")
    renamed = _variant(
        tmp_path, "r.csv", lambda t: t.replace(",Number delivered,", ",Deliveries in the Year Range,", 1)
    )
    a = ingest_file(con, REGISTER_2026, strict=True, overlay=NO_OVERLAY)
    b = ingest_file(con, renamed, strict=True, overlay=NO_OVERLAY)
    assert a.records == b.records == 29916
    cols = "recipient_id, supplier_id, designation, order_year, n_delivered, tiv_delivered, category"
    da = _one(con, f"SELECT {cols} FROM deal WHERE snapshot_id = ? ORDER BY src_line", [a.snapshot_id])
    db = _one(con, f"SELECT {cols} FROM deal WHERE snapshot_id = ? ORDER BY src_line", [b.snapshot_id])
    assert da == db
    con.close()


def _small(tmp_path: Path, transform, n: int = 200) -> Path:
    raw = REGISTER_2026.read_bytes()
    parts = raw.split(b"\n", 12)
    lines = parts[12].split(b"\n")[:n]
    out = tmp_path / "small.csv"
    out.write_bytes(b"\n".join(parts[:12]) + b"\n" + b"\n".join(transform(lines)) + b"\n")
    return out


def test_nan_inf_overflow_and_future_years_are_findings(tmp_path):
    def bad(ls):
        ls = list(ls)
        ls[0] = ls[0].replace(b",2.9,17.4,17.4", b",2.9,17.4,nan")
        ls[1] = ls[1].replace(b",4,,Mi-17,", b",99999999999,,Mi-17,")
        ls[2] = ls[2].replace(b",2,,", b",2,,", 1)
        c = next(csv.reader([ls[3].decode("cp1252")]))
        c[10] = "2031"
        ls[3] = ",".join(c).encode("cp1252")
        return ls

    p = _small(tmp_path, bad, 2000)
    con = connect(tmp_path / "n.duckdb")
    r = ingest_file(con, p, overlay=NO_OVERLAY)
    got = _one(con, "SELECT reason, src_line, column_name, value FROM quarantine ORDER BY src_line")
    assert ("parse-error", 13, "SIPRI TIV of delivered weapons", "nan") in got
    assert ("parse-error", 14, "Number ordered", "99999999999") in got
    assert ("year_out_of_range", 16, "Year(s) of delivery", "2031") in got
    assert r.quarantined == 3
    with pytest.raises(DataCheckError) as e:
        ingest_file(connect(":memory:"), p, strict=True, overlay=NO_OVERLAY)
    assert "'nan'" in e.value.message and "'99999999999'" in e.value.message and "2031" in e.value.message


def test_too_many_findings_fail_the_file_with_one_message(tmp_path):
    p = _small(tmp_path, lambda ls: [ln.replace(b",Russia,", b",Atlantis,") for ln in ls])
    con = connect(tmp_path / "t.duckdb")
    with pytest.raises(UnknownEntityError) as e:
        ingest_file(con, p, overlay=NO_OVERLAY)
    assert e.value.message.startswith("Too much of the file would be quarantined")
    assert "unknown-entity" in e.value.message and "'Atlantis'" in e.value.message
    assert _one(con, "SELECT count(*) FROM snapshot") == [(0,)]


def test_doubled_file_quarantines_every_copy(tmp_path):
    p = _small(tmp_path, lambda ls: [x for ln in ls[:60] for x in (ln, ln)])
    con = connect(tmp_path / "d.duckdb")
    with pytest.raises(DataCheckError) as e:
        ingest_file(con, p, overlay=NO_OVERLAY)
    assert "duplicate_row: 60 row(s)" in e.value.message


def test_review_writes_an_overlay_that_a_strict_ingest_accepts(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from armatlas.cli.main import app

    monkeypatch.setenv("ARMATLAS_HOME", str(tmp_path))
    out = CliRunner().invoke(app, ["review", str(COLASDROIN)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    for value in ("torpdeo boat", "air-defence system", "aircraft jet engine", "armoured logistical vehicle"):
        assert repr(value) in out.output
    ov = load_overlay(tmp_path)
    assert len(ov.descriptions) == 13 and ov.descriptions["torpdeo boat"] == "Ships"
    assert ov.descriptions["air defence system"] == "Air defence systems"
    con = connect(tmp_path / "armatlas.duckdb")
    r = ingest_file(con, COLASDROIN, strict=True)
    raw = [x for x in _rows(COLASDROIN, 12) if x and x[0]]
    assert r.records == len(raw) and r.quarantined == 0
    sha = _one(con, "SELECT overlay_sha256 FROM ingest_report")[0][0]
    assert sha.startswith("descriptions.csv:") and len(sha.split(":")[1]) == 64
    con.close()


def test_overlay_is_validated_on_load(tmp_path):
    from armatlas.errors import ParseError

    d = tmp_path / "mappings"
    d.mkdir()
    (d / "entities.csv").write_text("name,entity_id,note\nAtlantis,atlantis,x\n")
    with pytest.raises(ParseError) as e:
        load_overlay(tmp_path)
    assert e.value.line == 2 and e.value.column == "entity_id" and e.value.value == "atlantis"
    (d / "entities.csv").write_text("name,entity_id,note\nAtlantis,india,x\n")
    (d / "descriptions.csv").write_text("description,category\ndeath ray,Lasers\n")
    with pytest.raises(ParseError) as e:
        load_overlay(tmp_path)
    assert e.value.column == "category" and e.value.value == "Lasers"


def test_unknown_layout_still_names_header_and_layouts():
    from armatlas.errors import LayoutError

    with pytest.raises(LayoutError) as e:
        parse_bytes(b"Recipient,Supplier,Colour\nA,B,C\n", "odd.csv")
    assert "Recipient,Supplier,Colour" in e.value.value and "tiv_country_exports" in e.value.hint


def test_results_say_what_they_stand_on(store):
    from armatlas.analysis.flows import flows

    con, _ = store
    res = flows(con, "India", release="2025-03-13")
    notes = " | ".join(res.provenance.notes)
    rep = _one(
        con,
        "SELECT quarantined_rows, quarantined_tiv / file_tiv, derived_rows, derived_tiv / file_tiv "
        "FROM ingest_report r JOIN snapshot s USING (snapshot_id) WHERE s.file_name = ?",
        [COLASDROIN.name],
    )[0]
    assert f"{rep[0]} row(s) ({rep[1]:.2%} of its TIV) quarantined" in notes
    assert f"{rep[2]} row(s) ({rep[3]:.2%} of its TIV) rest on derived" in notes
    clean = flows(con, "India", release="2025-02-10")
    assert not any("quarantined" in n or "derived" in n for n in clean.provenance.notes)


def test_main_snapshot_ingests_strictly_with_the_same_figures(con, tmp_path):
    """The reference snapshot passes --strict and gives what the default ingest gives."""
    from conftest import AT

    strict = connect(tmp_path / "strict.duckdb")
    for f in sorted(AT.glob("*.csv")):
        ingest_file(strict, f, strict=True, overlay=NO_OVERLAY)
    q = (
        "SELECT s.file_name, count(*), round(sum(d.tiv_delivered), 6), count(DISTINCT d.category) "
        "FROM deal d JOIN snapshot s USING (snapshot_id) GROUP BY 1 ORDER BY 1"
    )
    assert strict.execute(q).fetchall() == con.execute(q).fetchall()
    q = (
        "SELECT s.file_name, t.entity_id, t.year, t.tiv FROM tiv_total t JOIN snapshot s USING (snapshot_id) "
        "ORDER BY 1, 2, 3"
    )
    assert strict.execute(q).fetchall() == con.execute(q).fetchall()
    assert strict.execute("SELECT count(*) FROM quarantine").fetchall() == [(0,)]
    strict.close()


def test_review_of_a_stored_release_lists_what_the_ingest_did(store):
    from armatlas.store.review import review_release

    con, _ = store
    rv = review_release(con, "2025-03-13")
    derived = {i.value: (i.derived, i.rule) for i in rv.items if i.derived}
    unknown = {i.value: i.suggestions[0] for i in rv.items if not i.derived}
    assert derived["torpdeo boat"] == ("Ships", "spelling:torpdeo->torpedo") and len(derived) == 10
    assert set(unknown) == {"air-defence system", "aircraft jet engine", "armoured logistical vehicle"}
    assert unknown["air-defence system"].startswith("Air defence systems")


def test_header_read_by_its_words(tmp_path, original):
    def change(t: str) -> str:
        return t.replace("Year(s) of delivery,status,", "Year(s) of Deliveries,Status,", 1).replace(
            ",SIPRI TIV of delivered weapons", ",SIPRI TIV of delivered weapons (in the year range)", 1
        )

    assert _deals(parse(_variant(tmp_path, "words.csv", change))) == original


def test_unreadable_delivery_year_row_holds_back_its_whole_deal(tmp_path):
    from collections import Counter

    from conftest import REGISTER_ID_UKR

    lines = REGISTER_ID_UKR.read_bytes().split(b"\n")
    ids = Counter(ln.split(b",")[0] for ln in lines[12:] if ln)
    sid = next(k for k, v in ids.items() if v > 1)
    i = next(j for j, ln in enumerate(lines) if j > 11 and ln.startswith(sid + b","))
    lines[i] = lines[i].replace(b",No,", b",Maybe,", 1)
    f = tmp_path / "ukr.csv"
    f.write_bytes(b"\n".join(lines))
    con = connect(tmp_path / "u.duckdb")
    r = ingest_file(con, f, overlay=NO_OVERLAY)
    assert r.records == len(ids) - 1 and r.quarantined == 1
    assert _one(con, "SELECT reason, src_line, value FROM quarantine") == [("parse-error", i + 1, "Maybe")]
    assert _one(con, "SELECT count(*) FROM deal WHERE sipri_id = ?", [int(sid)]) == [(0,)]
