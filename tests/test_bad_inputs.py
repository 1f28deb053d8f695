"""A catalogue of bad inputs, built from the real files at test time, run through the CLI.

For each case: the exit code, the stable error code, where it points (file, and line or column
where the input has one), no traceback or "this is a bug", and the store byte-for-byte
unchanged; for inputs that are accepted (a re-saved copy, the same file again), the figures
readers see are exactly unchanged.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import REGISTER_2026, REGISTER_ID_UKR, SHARED, TIV_EXPORTS

from armatlas.cli.app import run

OTHER = SHARED / "data-other-releases"
WDI_P1 = OTHER / "API_MS.MIL.TOTL.P1_DS2_en_csv_v2_10225185.csv"
WDI_TF = OTHER / "API_MS.MIL.TOTL.TF.ZS_DS2_en_csv_v2_10224838.csv"
MILEX_OLD = OTHER / "SIPRI-Milex-data-1949-2020_0_Rick0701.xlsx"

pytestmark = pytest.mark.data


# --- building bad files from real ones -----------------------------------------------------


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")


def register_rows(n: int = 60) -> tuple[list[bytes], list[bytes]]:
    """(preamble + header, first n records) of the 2026 register, as bytes lines."""
    lines = _lines(REGISTER_2026)
    h = next(i for i, ln in enumerate(lines) if ln.startswith(b"Recipient,Supplier"))
    return lines[: h + 1], lines[h + 1 : h + 1 + n]


def small_register(transform: Callable[[list[bytes]], list[bytes]] = lambda r: r, head=None) -> bytes:
    """The first 60 records of the 2026 register (a file of its own), transformed."""
    pre, rows = register_rows()
    return b"\n".join((head(pre) if head else pre) + transform(list(rows))) + b"\n"


def row_with(rows: list[bytes], old: bytes, new: bytes) -> list[bytes]:
    """The rows with the first occurrence of `old` (which must exist) replaced."""
    i = next(i for i, r in enumerate(rows) if old in r)
    rows[i] = rows[i].replace(old, new, 1)
    return rows


def undated(pre: list[bytes]) -> list[bytes]:
    return [ln for ln in pre if not ln.startswith(b"Data generated")]


def wdi_swap(path: Path, code: str, year: int, value: str) -> bytes:
    text = path.read_bytes().decode("utf-8-sig")
    lines = text.split("\r\n")
    h = next(i for i, ln in enumerate(lines) if ln.startswith('"Country Name"'))
    col = next(csv.reader([lines[h]])).index(str(year))
    i = next(i for i, ln in enumerate(lines) if f'"{code}"' in ln)
    cells = next(csv.reader([lines[i]]))
    cells[col] = value
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="").writerow(cells)
    lines[i] = buf.getvalue() + ","
    return b"\xef\xbb\xbf" + "\r\n".join(lines).encode()


def sub(path: Path, old: bytes, new: bytes) -> bytes:
    raw = path.read_bytes()
    assert old in raw, old
    return raw.replace(old, new, 1)


def wdi_json(value: str) -> bytes:
    """An armatlas World Bank API snapshot (the shape `fetch` writes) with one bad value."""
    return (
        '{"code": "MS.MIL.TOTL.P1", "name": "Armed forces personnel, total", "last_updated": "2018-11-14", '
        '"countries": [{"id": "IND", "iso2Code": "IN", "region": {"id": "SAS"}}], "rows": ['
        '{"indicator": {"id": "MS.MIL.TOTL.P1", "value": "Armed forces personnel, total"}, '
        '"country": {"id": "IN", "value": "India"}, "countryiso3code": "IND", "date": "2016", '
        f'"value": {value}}}]}}'
    ).encode()


def wdi_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def wdidata_nan() -> bytes:
    """The personnel file in the bulk WDIData.csv shape (no preamble) with a second indicator
    mixed in, and one value cell of the kept indicator written 'nan'."""
    rows = list(csv.reader(io.StringIO(WDI_P1.read_bytes().decode("utf-8-sig"))))[4:]
    body = [r for r in rows[1:] if r]
    other = [[*r[:3], "XX.OTHER.CODE", *r[4:]] for r in body]
    usa = next(i for i, r in enumerate(body) if r[1] == "USA")
    body[usa] = [*body[usa][:-3], "nan", *body[usa][-2:]]
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL).writerows([rows[0], *body, *other])
    return out.getvalue().encode("utf-8")


def wdi_bulk_zip_damaged() -> bytes:
    """The bulk download's zip (WDIData.csv inside) with bytes of its deflated data zeroed."""
    raw = bytearray(wdi_zip({"WDIData.csv": wdidata_nan().replace(b'"nan"', b'""')}))
    raw[200:260] = bytes(60)
    return bytes(raw)


def wdi_meta(path: Path) -> tuple[str, bytes]:
    m = path.with_name(f"Metadata_Country_{path.name}")
    return m.name, m.read_bytes()


# --- the catalogue --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], Path]  # writes the input into a folder, returns the path to ingest
    exit: int
    code: str | None  # stable error code; None for an accepted input
    where: tuple[str, ...] = ()  # strings the error's location must show (file name is implied)
    store: str = "base"  # 'base': the prepared store; 'none': no store yet (must stay absent)
    args: tuple[str, ...] = ()


def put(name: str, data: bytes | Callable[[], bytes], sub: str = "") -> Callable[[Path], Path]:
    def build(d: Path) -> Path:
        p = d / sub / name if sub else d / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data() if callable(data) else data)
        return p

    return build


def with_meta(name: str, data: Callable[[], bytes], src: Path) -> Callable[[Path], Path]:
    def build(d: Path) -> Path:
        p = d / name
        p.write_bytes(data())
        meta_name, meta = wdi_meta(src)
        (d / meta_name.replace(src.name, name)).write_bytes(meta)
        return p

    return build


R = REGISTER_2026.read_bytes
CASES = [
    # accepted: the same content in other bytes, or the same file again
    Case("register re-saved CRLF", put("r.csv", lambda: R().replace(b"\n", b"\r\n")), 0, None),
    Case("register with UTF-8 BOM", put("r.csv", lambda: b"\xef\xbb\xbf" + R()), 0, None),
    Case(
        "register BOM and CRLF", put("r.csv", lambda: b"\xef\xbb\xbf" + R().replace(b"\n", b"\r\n")), 0, None
    ),
    Case("register again", lambda d: REGISTER_2026, 0, None),
    Case(
        "TIV table re-saved CRLF",
        put("t.csv", lambda: TIV_EXPORTS.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")),
        0,
        None,
    ),
    Case("TIV table with BOM", put("t.csv", lambda: b"\xef\xbb\xbf" + TIV_EXPORTS.read_bytes()), 0, None),
    Case(
        "WDI re-saved LF",
        with_meta(WDI_P1.name, lambda: WDI_P1.read_bytes().replace(b"\r\n", b"\n"), WDI_P1),
        0,
        None,
    ),
    Case(
        "WDI as the zip the World Bank serves",
        put(
            "API_P1.zip",
            lambda: wdi_zip({WDI_P1.name: WDI_P1.read_bytes(), wdi_meta(WDI_P1)[0]: wdi_meta(WDI_P1)[1]}),
        ),
        0,
        None,
    ),
    # one release, one content
    Case(
        "register revalued, same release",
        put(
            "r.csv",
            lambda: R().replace(
                b",Mi-17,transport helicopter,6,,2011,Second hand",
                b",Mi-17,transport helicopter,6,,2011,New",
                1,
            ),
        ),
        1,
        "release-conflict",
    ),
    Case(
        "register with every row doubled",
        put(
            "r.csv", lambda: b"\n".join(_lines(REGISTER_2026)[:12] + _lines(REGISTER_2026)[12:-1] * 2) + b"\n"
        ),
        1,
        "data-check-failed",
    ),
    Case(
        "WDI changed, same Last Updated",
        with_meta(WDI_P1.name, lambda: wdi_swap(WDI_P1, "IND", 2016, "1"), WDI_P1),
        1,
        "release-conflict",
    ),
    Case(
        "TIV table changed, same stamp",
        put(
            "t.csv",
            lambda: (
                TIV_EXPORTS.read_bytes()
                .replace(b"Data generated", b"Data generated", 1)
                .replace(b"\n", b"\nExtra note\n", 1)
            ),
        ),
        0,
        None,
    ),
    # dates
    Case(
        "register stamped 3026",
        put("r.csv", lambda: R().replace(b"Data generated: 18 May 2026", b"Data generated: 18 May 3026", 1)),
        1,
        "data-check-failed",
        ("Data generated",),
        store="none",
    ),
    Case(
        "WDI Last Updated 3018",
        with_meta(
            WDI_P1.name, lambda: WDI_P1.read_bytes().replace(b'"2018-11-14"', b'"3018-11-14"', 1), WDI_P1
        ),
        1,
        "data-check-failed",
        ("Last Updated",),
        store="none",
    ),
    Case(
        "WDI year column 3000",
        with_meta(WDI_P1.name, lambda: WDI_P1.read_bytes().replace(b'"2017"', b'"3000"', 1), WDI_P1),
        1,
        "unknown-layout",
        store="none",
    ),
    # paths
    Case("path that does not exist", lambda d: d / "nope.csv", 1, "file-not-found", store="none"),
    Case("empty register file", put("e.csv", b""), 1, "truncated-file", store="none"),
    Case("file of NUL bytes", put("z.csv", b"\x00" * 4096), 1, "encoding-error", store="none"),
    Case(
        "UTF-16 register without its BOM",  # with the BOM it is read (test_saved_variants)
        put("u.csv", lambda: small_register().decode("cp1252").encode("utf-16-le")),
        1,
        "encoding-error",
        store="none",
    ),
    Case(
        "workbook bytes named .csv",
        put("w.csv", lambda: MILEX_OLD.read_bytes()[:50_000]),
        1,
        None,
        store="none",
    ),
    Case(
        "header only, no preamble match", put("h.csv", b"a,b,c\n1,2,3\n"), 1, "unknown-layout", store="none"
    ),
    # register cells (parser and checks: row-level quarantine or one grouped failure)
    Case("register cut mid-record", put("c.csv", lambda: small_register()[:-40]), 1, None, store="none"),
    Case(
        "register TIV nan",
        put("n.csv", lambda: small_register(lambda r: row_with(r, b",2.9,17.4,17.4", b",2.9,17.4,nan"))),
        0,
        None,
        store="none",
    ),
    Case(
        "register TIV inf",
        put("i.csv", lambda: small_register(lambda r: row_with(r, b",2.9,17.4,17.4", b",2.9,17.4,inf"))),
        0,
        None,
        store="none",
    ),
    Case(
        "register negative TIV",
        put("g.csv", lambda: small_register(lambda r: row_with(r, b",2.9,17.4,17.4", b",2.9,17.4,-17.4"))),
        0,
        None,
        store="none",
    ),
    Case(
        "register Number ordered 99999999999",
        put(
            "o.csv",
            lambda: small_register(
                lambda r: row_with(
                    r, b"Afghanistan,Russia,2010,?,6,", b"Afghanistan,Russia,2010,?,99999999999,"
                )
            ),
        ),
        0,
        None,
        store="none",
    ),
    Case(
        "register 1 MB comment",
        put(
            "m.csv",
            lambda: small_register(
                lambda r: row_with(r, b"Probably second-hand;", b"Probably second-hand;" + b"x" * 1_000_000)
            ),
        ),
        1,
        "parse-error",
        store="none",
    ),
    Case(
        "register stray quote",
        put(
            "q.csv",
            lambda: small_register(
                lambda r: row_with(r, b"Probably second-hand;", b'Probably "second-hand;')
            ),
        ),
        0,
        None,
        store="none",
    ),
    Case(
        "undated register with year 3000",
        put(
            "y.csv",
            lambda: small_register(
                lambda r: row_with(r, b",6,,2011,Second hand", b",6,,3000,Second hand"), head=undated
            ),
        ),
        0,
        None,
        store="none",
    ),
    Case(
        "register unknown recipient",
        put(
            "a.csv", lambda: small_register(lambda r: [r[0].replace(b"Afghanistan", b"Atlantis", 1)] + r[1:])
        ),
        0,
        None,
        store="none",
    ),
    Case(
        "register unknown description",
        put("d.csv", lambda: small_register(lambda r: row_with(r, b"transport helicopter", b"death ray"))),
        0,
        None,
        store="none",
    ),
    Case(
        "register every recipient unknown (strict)",
        put("s.csv", lambda: small_register(lambda r: [x.replace(b"Afghanistan", b"Atlantis") for x in r])),
        1,
        "unknown-entity",
        store="none",
        args=("--strict",),
    ),
    # TIV tables
    Case(
        "TIV table cut in half",
        put("t.csv", lambda: TIV_EXPORTS.read_bytes()[: len(TIV_EXPORTS.read_bytes()) // 2]),
        1,
        None,
        store="none",
    ),
    # World Bank
    Case(
        "WDI value nan",
        with_meta(WDI_P1.name, lambda: wdi_swap(WDI_P1, "IND", 2016, "nan"), WDI_P1),
        1,
        "parse-error",
        ("2016",),
        store="none",
    ),
    Case(
        "WDI value inf",
        with_meta(WDI_P1.name, lambda: wdi_swap(WDI_P1, "IND", 2016, "inf"), WDI_P1),
        1,
        "parse-error",
        ("2016",),
        store="none",
    ),
    Case(
        "WDI value not a number",
        with_meta(WDI_P1.name, lambda: wdi_swap(WDI_P1, "IND", 2016, "12,5"), WDI_P1),
        1,
        "parse-error",
        ("2016",),
        store="none",
    ),
    Case(
        "WDI negative personnel",
        with_meta(WDI_P1.name, lambda: wdi_swap(WDI_P1, "IND", 2016, "-5"), WDI_P1),
        1,
        "data-check-failed",
        ("2016",),
        store="none",
    ),
    Case(
        "WDI share above 100 %",
        with_meta(WDI_TF.name, lambda: wdi_swap(WDI_TF, "IND", 2016, "140"), WDI_TF),
        1,
        "data-check-failed",
        ("2016",),
        store="none",
    ),
    Case(
        "WDI duplicate row",
        with_meta(
            WDI_P1.name,
            lambda: (
                WDI_P1.read_bytes()
                + next(ln for ln in WDI_P1.read_bytes().split(b"\r\n") if b'"IND"' in ln)
                + b"\r\n"
            ),
            WDI_P1,
        ),
        1,
        "data-check-failed",
        store="none",
    ),
    Case(
        "WDI renamed year header",
        with_meta(
            WDI_P1.name, lambda: WDI_P1.read_bytes().replace(b'"1999","2000"', b'"1999","Y2K"', 1), WDI_P1
        ),
        1,
        "unknown-layout",
        store="none",
    ),
    Case(  # read anyway: economies by the entity register, a warning says what is missing
        "WDI without its metadata file",
        put(WDI_P1.name, WDI_P1.read_bytes),
        0,
        None,
        store="none",
    ),
    Case(
        "WDIData.csv (many indicators) with a nan cell",
        put("WDIData.csv", wdidata_nan),
        1,
        "parse-error",
        where=("line", "nan"),
        store="none",
    ),
    Case(
        "WDI_CSV.zip (the bulk download) damaged",
        put("WDI_CSV.zip", wdi_bulk_zip_damaged),
        1,
        "parse-error",
        store="none",
    ),
    Case(
        "WDI Latin-1 bytes",
        with_meta(WDI_P1.name, lambda: WDI_P1.read_bytes().replace(b"India", b"Ind\xeda", 1), WDI_P1),
        1,
        "encoding-error",
        store="none",
    ),
    Case(
        "WDI zip cut in half",
        put(
            "API_P1.zip",
            lambda: wdi_zip({WDI_P1.name: WDI_P1.read_bytes(), wdi_meta(WDI_P1)[0]: wdi_meta(WDI_P1)[1]})[
                :20_000
            ],
        ),
        1,
        "parse-error",
        store="none",
    ),
    Case(
        "WDI zip with a 65 MB member",
        put(
            "API_P1.zip",
            lambda: wdi_zip(
                {WDI_P1.name: b"\x00" * (65 * 1024 * 1024), wdi_meta(WDI_P1)[0]: wdi_meta(WDI_P1)[1]}
            ),
        ),
        1,
        "parse-error",
        store="none",
    ),
    Case(
        "WDI zip without the data file",
        put("API_P1.zip", lambda: wdi_zip({wdi_meta(WDI_P1)[0]: wdi_meta(WDI_P1)[1]})),
        1,
        "unknown-layout",
        store="none",
    ),
    Case(
        "WDI JSON cut short",
        put("MS.MIL.TOTL.P1.json", b'{"code": "MS.MIL.TOTL.P1", "rows": [', sub="worldbank_wdi/2026-01-01"),
        1,
        "parse-error",
        store="none",
    ),
    Case(
        "WDI JSON of another shape",
        put("MS.MIL.TOTL.P1.json", b"[1, 2, 3]", sub="worldbank_wdi/2026-01-01"),
        1,
        "unknown-layout",
        store="none",
    ),
    # TIV tables, cell by cell (a fresh store: the file is new content)
    Case(
        "TIV table cell nan",
        put("t.csv", lambda: sub(TIV_EXPORTS, b"United States,1388,", b"United States,nan,")),
        0,
        None,
        store="none",
    ),
    Case(
        "TIV table cell inf",
        put("t.csv", lambda: sub(TIV_EXPORTS, b"United States,1388,", b"United States,inf,")),
        0,
        None,
        store="none",
    ),
    Case(
        "TIV table negative cell",
        put("t.csv", lambda: sub(TIV_EXPORTS, b"United States,1388,", b"United States,-1388,")),
        0,
        None,
        store="none",
    ),
    Case(
        "TIV table text cell",
        put("t.csv", lambda: sub(TIV_EXPORTS, b"United States,1388,", b"United States,lots,")),
        0,
        None,
        store="none",
    ),
    Case(
        "TIV table stamped 3024",
        put(
            "t.csv", lambda: sub(TIV_EXPORTS, b"Data generated: 13 Oct 2024", b"Data generated: 13 Oct 3024")
        ),
        1,
        "data-check-failed",
        ("Data generated",),
        store="none",
    ),
    Case("TIV table of zero bytes", put("t.csv", b""), 1, "truncated-file", store="none"),
    Case(
        "TIV table header only",
        put("t.csv", lambda: TIV_EXPORTS.read_bytes().split(b"United States,")[0]),
        1,
        None,
        store="none",
    ),
    # the delivery-year (ID) layout
    Case(
        "ID layout re-saved CRLF",
        put("u.csv", lambda: REGISTER_ID_UKR.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")),
        0,
        None,
        store="none",
    ),
    Case(
        "ID layout cut mid-record",
        put("u.csv", lambda: REGISTER_ID_UKR.read_bytes()[:-25]),
        1,
        None,
        store="none",
    ),
    Case(
        "ID layout stamped 3025",
        put(
            "u.csv",
            lambda: sub(REGISTER_ID_UKR, b"Data generated: 17 Feb 2025", b"Data generated: 17 Feb 3025"),
        ),
        1,
        "data-check-failed",
        store="none",
    ),
    # registers: layout variants that must read the same, and a preamble without a header
    Case(
        "register preamble only",
        put("p.csv", lambda: b"\n".join(register_rows()[0][:-1]) + b"\n"),
        1,
        "unknown-layout",
        store="none",
    ),
    Case(
        "register with ';' closing every line",
        put(
            "r.csv",
            lambda: b"\n".join(
                x.rstrip(b"\r") + b";" if x.strip() else x for x in small_register().split(b"\n")
            ),
        ),
        0,
        None,
        store="none",
    ),
    # World Bank API snapshots
    Case(
        "WDI JSON with a NaN value",
        put("MS.MIL.TOTL.P1.json", lambda: wdi_json("NaN"), sub="worldbank_wdi/2026-01-01"),
        1,
        "parse-error",
        store="none",
    ),
    Case(
        "WDI JSON with Infinity",
        put("MS.MIL.TOTL.P1.json", lambda: wdi_json("Infinity"), sub="worldbank_wdi/2026-01-01"),
        1,
        "parse-error",
        store="none",
    ),
    Case(
        "WDI zip with two data files",
        put(
            "API_P1.zip",
            lambda: wdi_zip(
                {
                    WDI_P1.name: WDI_P1.read_bytes(),
                    WDI_TF.name: WDI_TF.read_bytes(),
                    wdi_meta(WDI_P1)[0]: wdi_meta(WDI_P1)[1],
                }
            ),
        ),
        1,
        "unknown-layout",
        store="none",
    ),
    Case(
        "WDI header only",
        with_meta(WDI_P1.name, lambda: WDI_P1.read_bytes().split(b'"Aruba"')[0], WDI_P1),
        1,
        "unknown-layout",
        store="none",
    ),
    # milex workbooks
    Case(
        "milex workbook cut in half",
        put("SIPRI-Milex-x.xlsx", lambda: MILEX_OLD.read_bytes()[:500_000]),
        1,
        "unknown-layout",
        store="none",
    ),
    Case("milex workbook of zero bytes", put("SIPRI-Milex-x.xlsx", b""), 1, "unknown-layout", store="none"),
    Case(
        "milex workbook that is a CSV",
        put("SIPRI-Milex-x.xlsx", lambda: small_register()),
        1,
        "unknown-layout",
        store="none",
    ),
]


# --- the harness ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 2026 register, the 2024 export table and the 2018 personnel vintage."""
    from armatlas.store.db import connect
    from armatlas.store.ingest import ingest_path

    path = tmp_path_factory.mktemp("base") / "armatlas.duckdb"
    con = connect(path)
    for f in (REGISTER_2026, TIV_EXPORTS, WDI_P1):
        ingest_path(con, f)
    con.close()
    return path


def figures(store: Path) -> tuple:
    """What readers see: releases, India's 2019-23 imports, its deals, the WDI values."""
    from armatlas.atlas import open_atlas

    with open_atlas(store) as a:
        rels = [
            (r["release"], r["deals"], r["delivery_rows"], r["tiv_table_cells"]) for r in a.releases().rows
        ]
        india = a.flows("India", periods=["2019-2023"], release="2026-05-18").rows[0]["tiv"]
        deals = len(a.deals(recipient=["India"], release="2026-05-18").rows)
        wdi = a.con.execute("SELECT count(*), sum(value) FROM indicator").fetchall()
        snaps = a.con.execute("SELECT count(*) FROM snapshot").fetchall()
    return rels, india, deals, wdi, snaps


def assert_finite(store: Path) -> None:
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        for table, col in (
            ("tiv_total", "tiv"),
            ("deal", "tiv_delivered"),
            ("delivery", "tiv"),
            ("indicator", "value"),
        ):
            bad = con.execute(
                f"SELECT count(*) FROM {table} WHERE isnan({col}) OR isinf({col}) OR {col} < 0"
            ).fetchall()[0][0]
            assert bad == 0, f"{table}.{col}: {bad} non-finite or negative values stored"
    finally:
        con.close()


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as e:
        run(args)
    out = capsys.readouterr()
    return int(e.value.code or 0), out.out + out.err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case: Case, base_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    home.mkdir()
    store = home / "armatlas.duckdb"
    if case.store == "base":
        shutil.copy(base_store, store)
    before = store.read_bytes() if store.exists() else None
    figs = figures(store) if case.store == "base" else None
    src = tmp_path / "in"
    src.mkdir()
    path = case.build(src)
    code, text = cli(["--home", str(home), "ingest", *case.args, str(path)], capsys)
    assert "Traceback" not in text and "this is a bug" not in text, text
    assert code == case.exit, text
    if case.exit == 0:
        if figs is not None:
            assert figures(store) == figs, text  # accepted: every figure exactly as before
        else:
            assert_finite(store)  # accepted, the bad rows held back: nothing non-finite or negative stored
        return
    if case.code is not None:
        assert f"error: {case.code}" in text, text
    assert path.name in text  # the error names the file
    for w in case.where:
        assert w in text, text
    if before is None:
        assert not store.exists(), "a refused file created the store"
    else:
        assert store.read_bytes() == before, "a refused file changed the store"


# --- the store itself and fetch ------------------------------------------------------------


def test_damaged_store_is_a_clear_error(base_store: Path, tmp_path: Path, capsys) -> None:
    home = tmp_path / "home"
    home.mkdir()
    raw = base_store.read_bytes()
    for damage in (b"garbage" * 5000, raw[: len(raw) // 3]):
        (home / "armatlas.duckdb").write_bytes(damage)
        code, text = cli(["--home", str(home), "releases"], capsys)
        assert code == 1 and "error: store-corrupt" in text and "Traceback" not in text, text
        code, text = cli(["--home", str(home), "ingest", str(TIV_EXPORTS)], capsys)
        assert code == 1 and "error: store-corrupt" in text, text


def test_disk_full_during_ingest_leaves_the_store_as_it_was(
    base_store: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    from armatlas.store import identity

    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(base_store, home / "armatlas.duckdb")
    before = (home / "armatlas.duckdb").read_bytes()

    def full(*a, **k):
        raise duckdb.IOException('Could not write file "armatlas.duckdb.wal": No space left on device')

    monkeypatch.setattr(identity, "copy_staged", full)
    code, text = cli(["--home", str(home), "ingest", str(REGISTER_ID_UKR)], capsys)
    assert code == 1 and "error: store-error" in text and "disk is full" in text, text
    monkeypatch.undo()
    from armatlas.store.db import connect

    con = connect(home / "armatlas.duckdb", read_only=True)
    try:  # rolled back: the Ukraine register is not there, the rest is
        assert con.execute(
            "SELECT count(*) FROM snapshot WHERE file_name = ?", [REGISTER_ID_UKR.name]
        ).fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM snapshot").fetchall() == [(3,)]
    finally:
        con.close()
    assert len(before) > 0


@pytest.mark.parametrize(
    "errno_name,words", [("ENOSPC", "disk is full"), ("EROFS", "not writable"), ("EACCES", "not writable")]
)
def test_fetch_into_a_full_or_read_only_home(
    tmp_path: Path, monkeypatch, errno_name: str, words: str
) -> None:
    import errno

    from armatlas.errors import FetchError
    from armatlas.sources import snapshot

    def fail(*a, **k):
        raise OSError(getattr(errno, errno_name), "simulated")

    monkeypatch.setattr(snapshot, "_place", fail)
    with pytest.raises(FetchError) as e:
        snapshot.write_snapshot(tmp_path / "snapshots", "sipri_milex", "x.xlsx", b"PK\x03\x04data")
    assert words in e.value.message and e.value.code == "fetch-failed"
