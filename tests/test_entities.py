"""The entity register against the real snapshot: every name resolves, sources agree."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from conftest import (
    DATA,
    REGISTER_2026,
    REGISTER_ID_2024,
    REGISTER_ID_UKR,
    REGISTER_TIDY,
    TIV_EXPORTS,
    TIV_IMPORTS,
)

from armatlas.entities import Entity, EntityRegister, load_register
from armatlas.entities.register import KINDS, SOURCES
from armatlas.errors import UnknownCountryError, UnknownEntityError

MILEX = DATA / "sipri_milex" / "SIPRI-Milex-data-1949-2024_2.xlsx"
WDI = DATA / "worldbank_wdi"
BICC = DATA / "bicc_gmi"


# --- independent readers of every name in the snapshot -----------------------------------


def register_names(path: Path, encoding: str) -> set[tuple[str, int]]:
    """(name, line) of Recipient/Supplier cells; the header is found, not assumed."""
    with path.open(encoding=encoding, newline="") as f:
        reader = csv.reader(f)
        rows = [(reader.line_num, r) for r in reader]
    hi = next(i for i, (_, r) in enumerate(rows) if "Recipient" in r and "Supplier" in r)
    header = rows[hi][1]
    cols = [header.index("Recipient"), header.index("Supplier")]
    out = set()
    for line, r in rows[hi + 1 :]:
        if r and r[0].strip():  # skip line-break fragments such as `,3,9,,,,,,,,,,`
            out.update((r[c].strip(), line) for c in cols)
    return out


def tiv_names(path: Path) -> set[str]:
    with path.open(encoding="ascii", newline="") as f:
        rows = list(csv.reader(f))
    hi = next(i for i, r in enumerate(rows) if r and r[0] in ("Recipient", "Exports by"))
    return {r[0].strip() for r in rows[hi + 1 :] if r and r[0].strip()} - {
        "Total world import",
        "Total world export",
    }


@pytest.fixture(scope="session")
def reg() -> EntityRegister:
    return load_register()


@pytest.fixture(scope="session")
def at_names() -> dict[str, tuple[Path, int | None]]:
    out: dict[str, tuple[Path, int | None]] = {}
    for path, enc in [
        (REGISTER_2026, "cp1252"),
        (REGISTER_TIDY, "cp1252"),
        (REGISTER_ID_2024, "ascii"),
        (REGISTER_ID_UKR, "ascii"),
    ]:
        for name, line in register_names(path, enc):
            out.setdefault(name, (path, line))
    for path in (TIV_IMPORTS, TIV_EXPORTS):
        for name in tiv_names(path):
            out.setdefault(name, (path, None))
    return out


@pytest.fixture(scope="session")
def milex_names() -> set[str]:
    wb = openpyxl.load_workbook(MILEX, read_only=True, data_only=True)
    names = set()
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        hi = next((i for i, r in enumerate(rows) if r and r[0] == "Country"), None)
        if hi is None:
            continue
        for r in rows[hi + 1 :]:
            # Region header rows have only a first cell; countries have notes or values.
            if r and r[0] and any(c not in (None, "") for c in r[1:]):
                names.add(str(r[0]).strip())
    return names


@pytest.fixture(scope="session")
def wb_rows() -> set[tuple[str, str]]:
    """(Country Name, Country Code) of non-aggregate rows in every WDI API file."""
    region: dict[str, str] = {}
    for meta in WDI.glob("Metadata_Country_*.csv"):
        with meta.open(encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                region[r["Country Code"]] = region.get(r["Country Code"]) or r["Region"]
    out = set()
    for api in WDI.glob("API_*.csv"):
        with api.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        hi = next(i for i, r in enumerate(rows) if r[:2] == ["Country Name", "Country Code"])
        out |= {(r[0].strip(), r[1].strip()) for r in rows[hi + 1 :] if r and region.get(r[1])}
    return out


# --- coverage: every name of every file resolves ----------------------------------------


@pytest.mark.data
def test_every_sipri_transfer_name_resolves(reg, at_names):
    assert len(at_names) == 268  # 258 in the 2026 register + 10 older spellings
    for name, (path, line) in at_names.items():
        reg.resolve(name, "sipri_at", file=path, line=line)


@pytest.mark.data
def test_fragment_lines_are_not_names(reg, at_names):
    # The tidy file's two Comments line-break fragments would otherwise "name" 3 and 0.25.
    assert "3" not in at_names and "0.25" not in at_names
    with pytest.raises(UnknownEntityError):
        reg.resolve("3", "sipri_at")


@pytest.mark.data
def test_every_milex_name_resolves(reg, milex_names):
    assert len(milex_names) == 174
    assert {"Türkiye", "USSR", "Korea, South", "Congo, DR", "German Democratic Republic"} <= milex_names
    for name in milex_names:
        reg.resolve(name, "sipri_milex", file=MILEX)


@pytest.mark.data
def test_every_worldbank_name_and_code_resolves(reg, wb_rows):
    codes = {c for _, c in wb_rows}
    assert len(codes) == 217 and "INX" not in codes and "WLD" not in codes
    for name, code in wb_rows:
        assert reg.resolve(name, "worldbank") == reg.resolve(code, "worldbank"), (name, code)


@pytest.mark.data
def test_every_bicc_name_and_iso3_resolves(reg):
    path = next(BICC.glob("*.csv"))
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len({r["iso3"] for r in rows}) == 164
    for line, r in enumerate(rows, start=2):
        eid = reg.resolve(r["name"], "bicc_gmi", file=path, line=line)
        assert reg.resolve(r["iso3"], "bicc_gmi", file=path, line=line) == eid
        assert reg.get(eid).iso3 == r["iso3"]


def test_resolve_strips_whitespace(reg):
    assert reg.resolve("  Azerbaijan ", "sipri_at") == "azerbaijan"


# --- sources agree on the same things ----------------------------------------------------


@pytest.mark.parametrize(
    "expected, spellings",
    [
        (
            "turkiye",
            [
                ("sipri_at", "Turkiye"),
                ("sipri_milex", "Türkiye"),
                ("worldbank", "TUR"),
                ("worldbank", "Turkiye"),
                ("bicc_gmi", "Turkey"),
                ("common", "Turkey"),
            ],
        ),
        ("soviet-union", [("sipri_at", "Soviet Union"), ("sipri_milex", "USSR")]),
        (
            "south-korea",
            [
                ("sipri_at", "South Korea"),
                ("sipri_milex", "Korea, South"),
                ("worldbank", "Korea, Rep."),
                ("bicc_gmi", "Korea, Republic of"),
            ],
        ),
        (
            "dr-congo",
            [
                ("sipri_at", "DR Congo"),
                ("sipri_milex", "Congo, DR"),
                ("worldbank", "Congo, Dem. Rep."),
                ("bicc_gmi", "Congo, Democratic Republic of the"),
            ],
        ),
        (
            "congo",
            [
                ("sipri_at", "Congo"),
                ("sipri_milex", "Congo, Republic"),
                ("worldbank", "Congo, Rep."),
                ("bicc_gmi", "Congo, Republic of"),
            ],
        ),
        (
            "united-states",
            [
                ("sipri_at", "United States"),
                ("sipri_milex", "United States of America"),
                ("worldbank", "USA"),
                ("bicc_gmi", "United States of America"),
            ],
        ),
        ("east-germany", [("sipri_at", "East Germany (GDR)"), ("sipri_milex", "German Democratic Republic")]),
        ("north-yemen", [("sipri_at", "North Yemen"), ("sipri_milex", "Yemen, North")]),
        (
            "bosnia-herzegovina",
            [
                ("sipri_at", "Bosnia-Herzegovina"),
                ("sipri_milex", "Bosnia and Herzegovina"),
                ("worldbank", "BIH"),
            ],
        ),
        (
            "united-arab-emirates",
            [("sipri_at", "UAE"), ("sipri_at", "United Arab Emirates"), ("worldbank", "ARE")],
        ),
        ("palestine", [("sipri_at", "Palestine"), ("worldbank", "West Bank and Gaza")]),
        ("kosovo", [("sipri_at", "Kosovo"), ("sipri_milex", "Kosovo"), ("worldbank", "XKX")]),
        (
            "eswatini",
            [
                ("sipri_at", "eSwatini"),
                ("sipri_milex", "Eswatini"),
                ("worldbank", "SWZ"),
                ("bicc_gmi", "Swaziland"),
            ],
        ),
        (
            "house-of-representatives-libya",
            [("sipri_at", "Libya HoR*"), ("sipri_at", "House of Representatives (Libya)*")],
        ),
    ],
)
def test_sources_agree(reg, expected, spellings):
    assert [reg.resolve(a, s) for s, a in spellings] == [expected] * len(spellings)


@pytest.mark.data
def test_worldbank_codes_join_to_entity_iso3(reg, wb_rows):
    mismatched = {c for _, c in wb_rows if reg.get(reg.resolve(c, "worldbank")).iso3 != c}
    assert mismatched == {"CHI"}  # Channel Islands: a World Bank code, no ISO 3166 code


# --- historic states, non-state actors, organisations ------------------------------------


def test_soviet_union_stays_itself(reg):
    su = reg.get(reg.resolve("Soviet Union", "sipri_at"))
    assert (su.entity_id, su.kind, su.iso3) == ("soviet-union", "historic_state", "SUN")
    assert (su.first_year, su.last_year) == (1922, 1991)
    assert reg.find("USSR") == su and reg.continuity("soviet-union") == "russia"
    assert reg.continuity("russia") == "russia"


@pytest.mark.parametrize(
    "name, eid, iso3, successor",
    [
        ("Czechoslovakia", "czechoslovakia", "CSK", "czechia"),
        ("Yugoslavia", "yugoslavia", "YUG", "serbia"),
        ("East Germany (GDR)", "east-germany", "DDR", "germany"),
        ("South Yemen", "south-yemen", "YMD", "yemen"),
    ],
)
def test_historic_states_are_not_their_successors(reg, name, eid, iso3, successor):
    e = reg.get(reg.resolve(name, "sipri_at"))
    assert (e.entity_id, e.kind, e.iso3, e.successor_id) == (eid, "historic_state", iso3, successor)
    assert reg.continuity(eid) == successor


@pytest.mark.data
def test_sipri_marks_set_the_kind(reg, at_names):
    singles = [n for n in at_names if n.endswith("*") and not n.endswith("**")]
    doubles = [n for n in at_names if n.endswith("**")]
    assert len(singles) == 57 and len(doubles) == 6
    for n in singles:
        e = reg.get(reg.resolve(n, "sipri_at"))
        assert e.kind == "non_state" and e.iso3 is None, n
    for n in doubles:
        e = reg.get(reg.resolve(n, "sipri_at"))
        assert e.kind == "intl_org" and e.iso3 is None, n
    unmarked = {reg.get(reg.resolve(n, "sipri_at")).kind for n in at_names if not n.endswith("*")}
    assert "non_state" not in unmarked and "intl_org" not in unmarked


def test_non_state_actors_are_never_their_state(reg):
    assert reg.resolve("Hezbollah (Lebanon)*", "sipri_at") == "hezbollah-lebanon"
    assert reg.resolve("Lebanon", "sipri_at") == "lebanon"
    assert reg.resolve("Hamas (Palestine)*", "sipri_at") != reg.resolve("Palestine", "sipri_at")
    assert reg.get("hezbollah-lebanon").region == "Middle East"


def test_unknown_parties_stay_apart(reg):
    sup = reg.resolve("unknown supplier(s)", "sipri_at")
    rec = reg.resolve("unknown recipient(s)", "sipri_at")
    assert sup != rec and {reg.get(sup).kind, reg.get(rec).kind} == {"unknown"}


# --- errors -------------------------------------------------------------------------------


def test_unknown_name_raises_with_location(reg):
    with pytest.raises(UnknownEntityError) as info:
        reg.resolve("Atlantis ", "sipri_at", file=REGISTER_2026, line=42, column="Recipient")
    err = info.value
    assert (err.file, err.line, err.column, err.value) == (str(REGISTER_2026), 42, "Recipient", "Atlantis ")
    assert "sipri_at" in err.message and "aliases.csv" in err.hint


def test_resolve_is_per_source(reg):
    # 'Turkey' is BICC's spelling, not SIPRI's: strict lookups do not cross sources.
    with pytest.raises(UnknownEntityError):
        reg.resolve("Turkey", "sipri_at")
    with pytest.raises(ValueError):
        reg.resolve("Turkiye", "no-such-source")


# --- find / search for people -------------------------------------------------------------


@pytest.mark.parametrize(
    "query, eid",
    [
        ("Turkey", "turkiye"),
        ("turkey", "turkiye"),
        ("TÜRKIYE", "turkiye"),
        ("tur", "turkiye"),
        ("USA", "united-states"),
        ("usa", "united-states"),
        ("UK", "united-kingdom"),
        ("uk", "united-kingdom"),
        ("aze", "azerbaijan"),
        ("Côte d’Ivoire", "cote-divoire"),
        ("soviet-union", "soviet-union"),
        ("hezbollah (lebanon)", "hezbollah-lebanon"),
    ],
)
def test_find(reg, query, eid):
    assert reg.find(query).entity_id == eid


def test_find_suggests_but_never_guesses(reg):
    with pytest.raises(UnknownCountryError) as info:
        reg.find("Azerbajan")
    assert "Azerbaijan" in info.value.suggestions and len(info.value.suggestions) <= 5


def test_search(reg):
    assert [e.entity_id for e in reg.search("yemen")][:3] == [
        "houthi-rebels-yemen",
        "north-yemen",
        "south-yemen",
    ]
    assert len(reg.search(None)) == len(reg.all()) == 292  # North Yemen once (two SIPRI rows)


# --- register invariants ------------------------------------------------------------------


def test_register_invariants(reg):
    ents = reg.all()
    isos = [e.iso3 for e in ents if e.iso3]
    assert len(isos) == len(set(isos))
    ids = {e.entity_id for e in ents}
    assert all(e.successor_id in ids for e in ents if e.successor_id)
    assert {e.kind for e in ents} <= set(KINDS)
    assert {s for s, _, _ in reg.alias_rows()} == set(SOURCES)
    assert {eid for _, _, eid in reg.alias_rows()} == ids  # every entity has an alias
    assert all(isinstance(e, Entity) for e in ents)


@pytest.mark.data
def test_checked_in_csvs_match_the_generator():
    """entities.csv/aliases.csv are exactly what tools/build_entities.py builds from the data."""
    import subprocess
    import sys

    tool = Path(__file__).resolve().parents[1] / "tools" / "build_entities.py"
    done = subprocess.run(
        [sys.executable, str(tool), str(DATA), "--check"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and "up to date" in done.stdout, done.stdout + done.stderr
