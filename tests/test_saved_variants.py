"""Real files as a spreadsheet or another locale re-saves them: same figures, or one clear error.

Each variant is made in tmp_path from a real file in ../shared by one change a user's tool or a
publisher makes (Excel's quoting and CRLF, a European locale's `;` and decimal comma, thousands
separators, tab-separated text, a DataBank export) and must read to the original's values.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from conftest import REGISTER_2026, SHARED

from armatlas.errors import LayoutError
from armatlas.sources import worldbank
from armatlas.sources.sipri_transfers import parse

pytestmark = pytest.mark.data  # reads the real snapshot files directly

WDI = SHARED / "data" / "worldbank_wdi"
WDI_CD = WDI / "API_MS.MIL.XPND.CD_DS2_en_csv_v2_47475.csv"
WDI_META = WDI / "Metadata_Country_API_MS.MIL.XPND.CD_DS2_en_csv_v2_47475.csv"
TIV_COLS = (13, 14, 15)  # the web register's three TIV columns


def _write(rows: list[list[str]], delimiter: str = ",", quote_all: bool = False, newline: str = "\n") -> str:
    out = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=newline).writerows(rows)
    return out.getvalue()


@pytest.fixture(scope="module")
def register_rows() -> list[list[str]]:
    """The 2026 register's preamble, header and first 1,500 deals, as the file's cells."""
    text = REGISTER_2026.read_bytes().decode("cp1252")
    return list(csv.reader(io.StringIO(text)))[: 12 + 1500]


def _deals(path: Path) -> list[tuple]:
    reg = parse(path)
    assert not reg.rejects, reg.rejects[:3]
    d = reg.deals
    return list(zip(*(d[c] for c in d if c != "line"), strict=True))


@pytest.fixture(scope="module")
def original(register_rows, tmp_path_factory) -> list[tuple]:
    p = tmp_path_factory.mktemp("orig") / "orig.csv"
    p.write_bytes(_write(register_rows).encode("cp1252"))
    return _deals(p)


def _with_tiv(rows: list[list[str]], change) -> list[list[str]]:
    out = []
    for i, r in enumerate(rows):
        if i > 11 and len(r) == 16:
            r = [change(c) if j in TIV_COLS and c else c for j, c in enumerate(r)]
        out.append(r)
    return out


def test_european_excel_save_reads_the_same_deals(tmp_path, register_rows, original):
    """`;` delimiter, decimal commas in TIV, every cell quoted, CRLF, UTF-8 with BOM."""
    rows = _with_tiv(register_rows, lambda c: c.replace(".", ","))
    # Afghanistan's Mi-17 from Russia: the file gives '17.4', the European save '17,4'
    assert rows[12][:2] == ["Afghanistan", "Russia"] and rows[12][15] == "17,4"
    p = tmp_path / "eu.csv"
    p.write_bytes(b"\xef\xbb\xbf" + _write(rows, ";", quote_all=True, newline="\r\n").encode("utf-8"))
    got = _deals(p)
    assert got == original
    reg = parse(p)
    assert reg.deals["tiv_delivered"][0] == float(register_rows[12][15]) == 17.4


def test_thousands_separators_and_tabs_read_the_same_deals(tmp_path, register_rows, original):
    def grouped(c: str) -> str:
        v = float(c)
        return f"{v:,}" if v >= 1000 else c

    rows = _with_tiv(register_rows, grouped)
    big = [r[15] for r in rows[12:] if len(r) == 16 and "," in r[15]]
    assert big, "the sample has deals of 1,000 TIV m or more"  # e.g. R-17 Elbrus to Afghanistan, '2,875.0'
    p = tmp_path / "grouped.csv"
    p.write_bytes(_write(rows).encode("cp1252"))
    assert _deals(p) == original
    t = tmp_path / "tabs.txt"
    t.write_bytes(_write(register_rows, "\t", newline="\r\n").encode("cp1252"))
    assert _deals(t) == original


def test_a_number_no_locale_explains_is_a_reject_naming_its_cell(tmp_path, register_rows):
    rows = [list(r) for r in register_rows[:20]]
    rows[12][15] = "1,7,4"  # neither grouped thousands nor one decimal comma
    p = tmp_path / "bad.csv"
    p.write_bytes(_write(rows).encode("cp1252"))
    reg = parse(p)
    assert [(r[0], r[1], r[2]) for r in reg.rejects] == [(13, "SIPRI TIV of delivered weapons", "1,7,4")]


def test_delivery_year_layout_saved_in_a_european_locale(tmp_path):
    src = SHARED / "data" / "sipri_arms_transfers"
    f = src / "trade-register_ID-layout_all-to-Ukraine_2000-2024_generated-2025-02-17.csv"
    rows = list(csv.reader(io.StringIO(f.read_text("cp1252"))))
    eu = [[c.replace(".", ",") if i > 11 else c for c in r] for i, r in enumerate(rows)]
    p = tmp_path / "id-eu.csv"
    p.write_bytes(_write(eu, ";").encode("cp1252"))
    a, b = parse(f), parse(p)
    assert not b.rejects and b.deals == {**a.deals, "line": b.deals["line"]}
    # the delivered TIV of the file's first row, read from its cell
    first = rows[12]
    assert any(abs(v - float(first[15])) < 1e-9 for v in b.deliveries["tiv"])


def _wdi_rows() -> list[list[str]]:
    return list(csv.reader(io.StringIO(WDI_CD.read_bytes().decode("utf-8-sig"))))


def _wdi_values(p: Path) -> list[tuple]:
    return [r[:4] for r in worldbank.parse(p, WDI_META).rows]


def _decimal_commas(rows: list[list[str]]) -> list[list[str]]:
    """The value cells (after the header on line 5, from the fifth column) as a European locale writes them."""
    return [
        [c.replace(".", ",") if i > 4 and j > 3 else c for j, c in enumerate(r)] for i, r in enumerate(rows)
    ]


@pytest.fixture(scope="module")
def wdi_original() -> list[tuple]:
    return _wdi_values(WDI_CD)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("excel", lambda rows: _write(rows, newline="\r\n").encode("cp1252")),  # quotes dropped, cp1252
        ("no-preamble", lambda rows: _write(rows[4:], quote_all=True).encode("utf-8")),
        ("eu", lambda rows: _write(_decimal_commas(rows), ";").encode("utf-8")),
    ],
)
def test_wdi_resaved_reads_the_same_values(tmp_path, wdi_original, name, make):
    p = tmp_path / f"API_{name}.csv"
    p.write_bytes(make(_wdi_rows()))
    assert _wdi_values(p) == wdi_original


def test_wdi_databank_export_reads_the_same_values(tmp_path, wdi_original):
    """DataBank's layout: Series columns first, `2000 [YR2000]` headers, `..` for missing, a footer."""
    rows = _wdi_rows()
    years = [c for c in rows[4][4:] if c]
    out = [["Series Name", "Series Code", "Country Name", "Country Code"] + [f"{y} [YR{y}]" for y in years]]
    out += [[r[2], r[3], r[0], r[1]] + [c or ".." for c in r[4 : 4 + len(years)]] for r in rows[5:] if r]
    out += [[], ["Data from database: World Development Indicators"], ["Last Updated: 03/28/2024"]]
    p = tmp_path / "databank.csv"
    p.write_bytes(_write(out).encode("utf-8"))
    got = _wdi_values(p)
    assert got == wdi_original
    usa = next(r for r in rows if len(r) > 1 and r[1] == "USA")
    assert ("United States", "USA", 2022, float(usa[rows[4].index("2022")])) in got


def test_wdi_header_without_indicator_columns_names_the_header(tmp_path):
    rows = _wdi_rows()
    rows[4] = ["Country Name", "Country Code", "Name", "Code", *rows[4][4:]]
    p = tmp_path / "API_bad.csv"
    p.write_bytes(_write(rows).encode("utf-8"))
    with pytest.raises(LayoutError) as e:
        worldbank.parse(p, WDI_META)
    assert e.value.line == 5 and "indicator" in e.value.message


def test_a_renamed_databank_csv_ingests_as_world_bank(tmp_path):
    """Dispatch reads the header, not the name: a DataBank `Data.csv` is not a SIPRI register."""
    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_path

    rows = _wdi_rows()
    years = [c for c in rows[4][4:] if c]
    out = [["Country Name", "Country Code", "Series Name", "Series Code"] + [f"{y} [YR{y}]" for y in years]]
    out += [r[:4] + [c or ".." for c in r[4 : 4 + len(years)]] for r in rows[5:] if r]
    p = tmp_path / "Data.csv"
    p.write_bytes(_write(out).encode("utf-8"))
    (tmp_path / WDI_META.name).write_bytes(WDI_META.read_bytes())  # tells countries from aggregates
    con = connect(tmp_path / "s.duckdb")
    ingest_path(con, p)
    usa = next(r for r in rows if len(r) > 1 and r[1] == "USA")
    sql = "SELECT value FROM indicator WHERE code = 'MS.MIL.XPND.CD' AND entity_id = 'united-states' AND year = 2022"
    got = con.execute(sql).fetchall()
    assert got == [(float(usa[rows[4].index("2022")]),)]


OLD_TIV = SHARED / "data-other-releases" / "TIV-Import-All-1950-2017-rs_dodomoon.csv"


def _tiv(t) -> tuple:
    return (t.layout, t.country, t.years, [r[1:] for r in t.rows], t.preamble.generated_at)


def test_old_site_tiv_table_quoted_by_excel_keeps_its_stamp_and_values(tmp_path):
    """Every cell quoted (padding `""` cells after the `Generated:` note), CRLF; and `;`-separated."""
    rows = list(csv.reader(io.StringIO(OLD_TIV.read_bytes().decode("cp1252"))))
    a = parse(OLD_TIV)
    assert a.preamble.generated_at is not None and a.preamble.generated_at.date().isoformat() == "2018-12-05"
    for name, text in (
        ("q.csv", _write(rows, quote_all=True, newline="\r\n")),
        ("s.csv", _write(rows, ";", quote_all=True)),
    ):
        p = tmp_path / name
        p.write_bytes(text.encode("cp1252"))
        assert _tiv(parse(p)) == _tiv(a)


@pytest.mark.parametrize(
    "stamp",
    [
        "Generated on 05 December 2018",
        "Generated: Wednesday, 05 December 2018",
        "Generated: 05 Dec 2018 14:03:10",
    ],
)
def test_other_forms_of_the_generated_line_give_the_same_day(tmp_path, stamp):
    text = OLD_TIV.read_bytes().decode("cp1252").replace("Generated: 05 December 2018", stamp, 1)
    p = tmp_path / "t.csv"
    p.write_bytes(text.encode("cp1252"))
    got = parse(p).preamble.generated_at
    assert got is not None and got.date().isoformat() == "2018-12-05"


OLD_ISR = SHARED / "data-other-releases" / "TIV-Export-ISR-1950-2021_360info_2022-07.csv"
NEW_SITE_NOTES = [
    ["Volume of transfers of major arms"],
    ["Figures are in millions of SIPRI trend-indicator values (TIVs)."],
    [""],
    ["Source: SIPRI Arms Transfers Database (c) SIPRI."],
    ["Data generated: 28 Jul 2022 9:10:08 AM"],
    [""],
]


def test_new_site_country_table_is_read_as_that_countrys_table(tmp_path):
    """The new site names a one-country table only in its total row ('Total exports to Israel'
    under 'Supplier'); made here from the old site's Israel table, it must not pass for every
    country's totals."""
    rows = list(csv.reader(io.StringIO(OLD_ISR.read_bytes().decode("cp1252"))))
    h = next(i for i, r in enumerate(rows) if len(r) > 2 and r[1] == "1950")
    header = ["Recipient", *rows[h][1:-1], "1950-2021"]
    body = [r for r in rows[h + 1 :] if r and r[0].strip()]
    body = [["Total exports from Israel" if r[0] == "Total" else r[0], *r[1:]] for r in body]
    p = tmp_path / "new-site-israel.csv"
    p.write_bytes(_write(NEW_SITE_NOTES + [header] + body).encode("cp1252"))
    old, new = parse(OLD_ISR), parse(p)
    assert (new.layout, new.country, new.direction) == ("tiv_country_exports", "Israel", "export")
    assert (new.preamble.suppliers_scope, new.preamble.recipients_scope) == ("Israel", "All countries")
    assert [r[1:] for r in new.rows] == [r[1:] for r in old.rows]
    india = next(r for r in body if r[0] == "India")
    expect = sum(float(c) for c in india[1:-1] if c.strip())
    assert sum(v for _, n, y, v, _ in new.rows if n == "India") == expect

    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_path

    con = connect(tmp_path / "s.duckdb")
    ingest_path(con, p)
    got = con.execute(
        "SELECT sum(tiv) FROM tiv_partner WHERE entity_id = 'israel' AND partner_id = 'india' AND direction = 'export'"
    ).fetchall()
    assert got == [(expect,)]


def test_a_total_row_that_contradicts_the_header_is_refused(tmp_path):
    rows = list(csv.reader(io.StringIO(OLD_ISR.read_bytes().decode("cp1252"))))
    h = next(i for i, r in enumerate(rows) if len(r) > 2 and r[1] == "1950")
    body = [
        ["Total exports to Israel" if r[0] == "Total" else r[0], *r[1:]] for r in rows[h + 1 :] if r and r[0]
    ]
    p = tmp_path / "bad.csv"
    p.write_bytes(
        _write(NEW_SITE_NOTES + [["Recipient", *rows[h][1:-1], "1950-2021"]] + body).encode("cp1252")
    )
    with pytest.raises(LayoutError) as e:
        parse(p)
    assert e.value.value == "Total exports to Israel" and e.value.line is not None


def test_excel_unicode_text_save_reads_the_same_deals(tmp_path, register_rows, original):
    """Excel's "Unicode Text": UTF-16 with a BOM, tab-separated, CRLF."""
    p = tmp_path / "unicode.txt"
    p.write_bytes(_write(register_rows, "\t", newline="\r\n").encode("utf-16"))
    assert _deals(p) == original
    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_path

    r = ingest_path(connect(tmp_path / "u.duckdb"), p)
    assert r.records == len(original) == 1500
