"""Build the reviewed entity register (entities.csv, aliases.csv) from the data snapshot.

Why a script: the register is checked in and reviewed by people, but every row must be
reproducible from the publishers' files plus the hand decisions written down below. Nothing
here is fuzzy: a source name maps to an entity only through an exact hand table entry, an exact
equality with a SIPRI name, or an exact code join on the reviewed ISO3 column.

    .venv/bin/python tools/build_entities.py [DATA_DIR]          # rewrite both CSVs
    .venv/bin/python tools/build_entities.py [DATA_DIR] --check  # fail if they are stale

The run fails (listing the names) when a source name has no mapping; add a reviewed entry below.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from armatlas.entities._normalise import normalise, slug

OUT = Path(__file__).resolve().parents[1] / "src" / "armatlas" / "entities"
ENTITY_FIELDS = [
    "entity_id",
    "name",
    "iso3",
    "kind",
    "region",
    "subregion",
    "first_year",
    "last_year",
    "successor_id",
]

# --- SIPRI arms-transfer names that are not simply slug(name) of their own entity -----------
SIPRI_AT_TO_ID = {
    # Older releases abbreviate; the 2026 register spells it out.
    "UAE": "united-arab-emirates",
    # SIPRI's 2026 register files the General National Congress/GNA deals (2015-2020) under
    # "Libya" itself (same deals: Bayraktar TB-2 2019, Kirpi 2019, Typhoon 2015); older releases
    # kept "Libya GNC" apart. No asterisk: SIPRI treats it as the government, not a rebel group.
    "Libya GNC": "libya",
    # Same non-state actor, renamed between releases (2024 abbreviation -> 2026 full name).
    "Libya HoR*": "house-of-representatives-libya",
    "PIJ (Israel/Palestine)*": "palestinian-islamic-jihad-israel-palestine",
    "East Germany (GDR)": "east-germany",
    # One state: the Yemen Arab Republic (1962-90) is North Yemen. SIPRI keeps a row of its own
    # for the 1966-69 deliveries to the republican side; counted and ranked once, as one state.
    "Yemen Arab Republic (North Yemen)": "north-yemen",
    # Kept apart from each other: a missing supplier is not a missing recipient.
    "unknown supplier(s)": "unknown-supplier",
    "unknown recipient(s)": "unknown-recipient",
}
DISPLAY_NAME = {"turkiye": "Türkiye", "east-germany": "East Germany"}

# --- ISO 3166-1 alpha-3 (ISO 3166-3 former codes for historic states) -------------------------
# Reviewed by hand; XKX is the user-assigned code the World Bank and EU use for Kosovo.
ISO3 = {
    "afghanistan": "AFG",
    "albania": "ALB",
    "algeria": "DZA",
    "angola": "AGO",
    "antigua-and-barbuda": "ATG",
    "argentina": "ARG",
    "armenia": "ARM",
    "aruba": "ABW",
    "australia": "AUS",
    "austria": "AUT",
    "azerbaijan": "AZE",
    "bahamas": "BHS",
    "bahrain": "BHR",
    "bangladesh": "BGD",
    "barbados": "BRB",
    "belarus": "BLR",
    "belgium": "BEL",
    "belize": "BLZ",
    "benin": "BEN",
    "bhutan": "BTN",
    "bolivia": "BOL",
    "bosnia-herzegovina": "BIH",
    "botswana": "BWA",
    "brazil": "BRA",
    "brunei": "BRN",
    "bulgaria": "BGR",
    "burkina-faso": "BFA",
    "burundi": "BDI",
    "cabo-verde": "CPV",
    "cambodia": "KHM",
    "cameroon": "CMR",
    "canada": "CAN",
    "central-african-republic": "CAF",
    "chad": "TCD",
    "chile": "CHL",
    "china": "CHN",
    "colombia": "COL",
    "comoros": "COM",
    "congo": "COG",
    "costa-rica": "CRI",
    "cote-divoire": "CIV",
    "croatia": "HRV",
    "cuba": "CUB",
    "cyprus": "CYP",
    "czechia": "CZE",
    "czechoslovakia": "CSK",
    "denmark": "DNK",
    "djibouti": "DJI",
    "dominican-republic": "DOM",
    "dr-congo": "COD",
    "east-germany": "DDR",
    "ecuador": "ECU",
    "egypt": "EGY",
    "el-salvador": "SLV",
    "equatorial-guinea": "GNQ",
    "eritrea": "ERI",
    "estonia": "EST",
    "eswatini": "SWZ",
    "ethiopia": "ETH",
    "fiji": "FJI",
    "finland": "FIN",
    "france": "FRA",
    "gabon": "GAB",
    "gambia": "GMB",
    "georgia": "GEO",
    "germany": "DEU",
    "ghana": "GHA",
    "greece": "GRC",
    "grenada": "GRD",
    "guatemala": "GTM",
    "guinea": "GIN",
    "guinea-bissau": "GNB",
    "guyana": "GUY",
    "haiti": "HTI",
    "honduras": "HND",
    "hungary": "HUN",
    "iceland": "ISL",
    "india": "IND",
    "indonesia": "IDN",
    "iran": "IRN",
    "iraq": "IRQ",
    "ireland": "IRL",
    "israel": "ISR",
    "italy": "ITA",
    "jamaica": "JAM",
    "japan": "JPN",
    "jordan": "JOR",
    "kazakhstan": "KAZ",
    "kenya": "KEN",
    "kiribati": "KIR",
    "kosovo": "XKX",
    "kuwait": "KWT",
    "kyrgyzstan": "KGZ",
    "laos": "LAO",
    "latvia": "LVA",
    "lebanon": "LBN",
    "lesotho": "LSO",
    "liberia": "LBR",
    "libya": "LBY",
    "lithuania": "LTU",
    "luxembourg": "LUX",
    "madagascar": "MDG",
    "malawi": "MWI",
    "malaysia": "MYS",
    "maldives": "MDV",
    "mali": "MLI",
    "malta": "MLT",
    "marshall-islands": "MHL",
    "mauritania": "MRT",
    "mauritius": "MUS",
    "mexico": "MEX",
    "micronesia": "FSM",
    "moldova": "MDA",
    "mongolia": "MNG",
    "montenegro": "MNE",
    "morocco": "MAR",
    "mozambique": "MOZ",
    "myanmar": "MMR",
    "namibia": "NAM",
    "nepal": "NPL",
    "netherlands": "NLD",
    "new-zealand": "NZL",
    "nicaragua": "NIC",
    "niger": "NER",
    "nigeria": "NGA",
    "north-korea": "PRK",
    "north-macedonia": "MKD",
    "norway": "NOR",
    "oman": "OMN",
    "pakistan": "PAK",
    "palau": "PLW",
    "palestine": "PSE",
    "panama": "PAN",
    "papua-new-guinea": "PNG",
    "paraguay": "PRY",
    "peru": "PER",
    "philippines": "PHL",
    "poland": "POL",
    "portugal": "PRT",
    "qatar": "QAT",
    "romania": "ROU",
    "russia": "RUS",
    "rwanda": "RWA",
    "saint-kitts-and-nevis": "KNA",
    "saint-vincent": "VCT",
    "samoa": "WSM",
    "saudi-arabia": "SAU",
    "senegal": "SEN",
    "serbia": "SRB",
    "seychelles": "SYC",
    "sierra-leone": "SLE",
    "singapore": "SGP",
    "slovakia": "SVK",
    "slovenia": "SVN",
    "solomon-islands": "SLB",
    "somalia": "SOM",
    "south-africa": "ZAF",
    "south-korea": "KOR",
    "south-sudan": "SSD",
    "south-yemen": "YMD",
    "soviet-union": "SUN",
    "spain": "ESP",
    "sri-lanka": "LKA",
    "sudan": "SDN",
    "suriname": "SUR",
    "sweden": "SWE",
    "switzerland": "CHE",
    "syria": "SYR",
    "taiwan": "TWN",
    "tajikistan": "TJK",
    "tanzania": "TZA",
    "thailand": "THA",
    "timor-leste": "TLS",
    "togo": "TGO",
    "tonga": "TON",
    "trinidad-and-tobago": "TTO",
    "tunisia": "TUN",
    "turkiye": "TUR",
    "turkmenistan": "TKM",
    "tuvalu": "TUV",
    "uganda": "UGA",
    "ukraine": "UKR",
    "united-arab-emirates": "ARE",
    "united-kingdom": "GBR",
    "united-states": "USA",
    "uruguay": "URY",
    "uzbekistan": "UZB",
    "vanuatu": "VUT",
    "venezuela": "VEN",
    "viet-nam": "VNM",
    "western-sahara": "ESH",
    "yemen": "YEM",
    "yugoslavia": "YUG",
    "zambia": "ZMB",
    "zimbabwe": "ZWE",
}

# --- Historic states: (first_year, last_year, successor for the explicit continuity option) ---
# North Yemen has no iso3: ISO kept YEM for the unified Yemen. Biafra and Katanga were
# secessionist states; folding them into Nigeria/DR Congo is not a continuity anyone asks for.
HISTORIC = {
    "soviet-union": (1922, 1991, "russia"),
    "czechoslovakia": (1918, 1992, "czechia"),
    # SIPRI uses "Yugoslavia" for the SFRY (to 1991/92) and "Serbia" for the FRY from 1992.
    "yugoslavia": (1918, 1992, "serbia"),
    "east-germany": (1949, 1990, "germany"),
    "north-yemen": (1918, 1990, "yemen"),
    "south-yemen": (1967, 1990, "yemen"),
    "south-vietnam": (1955, 1975, "viet-nam"),
    "biafra": (1967, 1970, None),
    "katanga": (1960, 1963, None),
}

# --- Economies only the World Bank lists (no SIPRI arms-transfer name) ------------------------
# kind 'territory' = a dependent territory, not a sovereign state.
AMERICAS_CARIB = ("Americas", "Central America and the Caribbean")
OCEANIA = ("Asia & Oceania", "Oceania")
W_EUROPE = ("Europe", "Western Europe")
EXTRA = {  # entity_id: (name, iso3 or "", kind, (region, subregion))
    "andorra": ("Andorra", "AND", "state", W_EUROPE),
    "american-samoa": ("American Samoa", "ASM", "territory", OCEANIA),
    "bermuda": ("Bermuda", "BMU", "territory", ("Americas", "North America")),
    # CHI is a World Bank code, not ISO 3166 (Jersey JEY and Guernsey GGY are separate there).
    "channel-islands": ("Channel Islands", "", "territory", W_EUROPE),
    "curacao": ("Curacao", "CUW", "territory", AMERICAS_CARIB),
    "cayman-islands": ("Cayman Islands", "CYM", "territory", AMERICAS_CARIB),
    "dominica": ("Dominica", "DMA", "state", AMERICAS_CARIB),
    "faroe-islands": ("Faroe Islands", "FRO", "territory", W_EUROPE),
    "gibraltar": ("Gibraltar", "GIB", "territory", W_EUROPE),
    "greenland": ("Greenland", "GRL", "territory", ("Americas", "North America")),
    "guam": ("Guam", "GUM", "territory", OCEANIA),
    "hong-kong": ("Hong Kong", "HKG", "territory", ("Asia & Oceania", "East Asia")),
    "isle-of-man": ("Isle of Man", "IMN", "territory", W_EUROPE),
    "saint-lucia": ("Saint Lucia", "LCA", "state", AMERICAS_CARIB),
    "liechtenstein": ("Liechtenstein", "LIE", "state", W_EUROPE),
    "macao": ("Macao", "MAC", "territory", ("Asia & Oceania", "East Asia")),
    "saint-martin": ("Saint Martin (French part)", "MAF", "territory", AMERICAS_CARIB),
    "monaco": ("Monaco", "MCO", "state", W_EUROPE),
    "northern-mariana-islands": ("Northern Mariana Islands", "MNP", "territory", OCEANIA),
    "new-caledonia": ("New Caledonia", "NCL", "territory", OCEANIA),
    "nauru": ("Nauru", "NRU", "state", OCEANIA),
    "puerto-rico": ("Puerto Rico", "PRI", "territory", AMERICAS_CARIB),
    "french-polynesia": ("French Polynesia", "PYF", "territory", OCEANIA),
    "san-marino": ("San Marino", "SMR", "state", W_EUROPE),
    "sao-tome-and-principe": ("Sao Tome and Principe", "STP", "state", ("Africa", "sub-Saharan Africa")),
    "sint-maarten": ("Sint Maarten (Dutch part)", "SXM", "territory", AMERICAS_CARIB),
    "turks-and-caicos-islands": ("Turks and Caicos Islands", "TCA", "territory", AMERICAS_CARIB),
    "british-virgin-islands": ("British Virgin Islands", "VGB", "territory", AMERICAS_CARIB),
    "us-virgin-islands": ("US Virgin Islands", "VIR", "territory", AMERICAS_CARIB),
}
KIND_OVERRIDE = {"aruba": "territory", "western-sahara": "territory"}

# --- Regions for entities the milex workbook does not list (SIPRI's scheme, by hand) ---------
REGION = {
    "antigua-and-barbuda": AMERICAS_CARIB,
    "aruba": AMERICAS_CARIB,
    "bahamas": AMERICAS_CARIB,
    "barbados": AMERICAS_CARIB,
    "grenada": AMERICAS_CARIB,
    "saint-kitts-and-nevis": AMERICAS_CARIB,
    "saint-vincent": AMERICAS_CARIB,
    "suriname": ("Americas", "South America"),
    "bhutan": ("Asia & Oceania", "South Asia"),
    "maldives": ("Asia & Oceania", "South Asia"),
    "south-vietnam": ("Asia & Oceania", "South East Asia"),
    "kiribati": OCEANIA,
    "marshall-islands": OCEANIA,
    "micronesia": OCEANIA,
    "palau": OCEANIA,
    "samoa": OCEANIA,
    "solomon-islands": OCEANIA,
    "tonga": OCEANIA,
    "tuvalu": OCEANIA,
    "vanuatu": OCEANIA,
    "comoros": ("Africa", "sub-Saharan Africa"),
    "biafra": ("Africa", "sub-Saharan Africa"),
    "katanga": ("Africa", "sub-Saharan Africa"),
    "western-sahara": ("Africa", "North Africa"),
    "northern-cyprus": W_EUROPE,  # beside Cyprus, as SIPRI groups Cyprus
    "palestine": ("Middle East", None),
    "south-yemen": ("Middle East", None),
}
# Non-state actors get the region of the place they fought in (never its state's entity).
# Colonial-era movements: the territory, not the colonial power SIPRI names in brackets.
NON_STATE_HOME = {
    "anc-south-africa": "south-africa",
    "amal-lebanon": "lebanon",
    "anti-castro-rebels-cuba": "cuba",
    "armas-guatemala": "guatemala",
    "contras-nicaragua": "nicaragua",
    "darfur-rebels-sudan": "sudan",
    "elf-ethiopia": "ethiopia",
    "eplf-ethiopia": "ethiopia",
    "fan-chad": "chad",
    "fmln-el-salvador": "el-salvador",
    "fnla-angola": "angola",
    "frelimo-portugal": "mozambique",
    "gunt-chad": "chad",
    "haiti-rebels": "haiti",
    "hamas-palestine": "palestine",
    "hezbollah-lebanon": "lebanon",
    "house-of-representatives-libya": "libya",
    "houthi-rebels-yemen": "yemen",
    "indonesia-rebels": "indonesia",
    "khmer-rouge-cambodia": "cambodia",
    "kurdistan-regional-government-iraq": "iraq",
    "lf-lebanon": "lebanon",
    "lra-uganda": "uganda",
    "ltte-sri-lanka": "sri-lanka",
    "lebanon-palestinian-rebels": "lebanon",
    "mnlf-philippines": "philippines",
    "mpla-portugal": "angola",
    "mta-myanmar": "myanmar",
    "mujahedin-afghanistan": "afghanistan",
    "nla-macedonia": "north-macedonia",
    "ntc-libya": "libya",
    "northern-alliance-afghanistan": "afghanistan",
    "paigc-portugal": "guinea-bissau",
    "pkk-turkiye": "turkiye",
    "plo-israel": "palestine",
    "prc-israel-palestine": "palestine",
    "palestinian-islamic-jihad-israel-palestine": "palestine",
    "pathet-lao-laos": "laos",
    "provisional-ira-uk": "united-kingdom",
    "rpf-rwanda": "rwanda",
    "rsf-sudan": "sudan",
    "ruf-sierra-leone": "sierra-leone",
    "sla-lebanon": "lebanon",
    "sna-somalia": "somalia",
    "spla-sudan": "sudan",
    "southern-rebels-yemen": "yemen",
    "syria-rebels": "syria",
    "uic-somalia": "somalia",
    "unita-angola": "angola",
    "ukraine-rebels": "ukraine",
    "united-wa-state-myanmar": "myanmar",
    "viet-cong-south-vietnam": "south-vietnam",
    "viet-minh-france": "viet-nam",
    "zapu-zimbabwe": "zimbabwe",
    "unknown-rebel-group": None,
}

# --- Milex workbook names that differ from the SIPRI arms-transfer spelling -----------------
MILEX_TO_ID = {
    "Bosnia and Herzegovina": "bosnia-herzegovina",
    "Cape Verde": "cabo-verde",
    "Congo, DR": "dr-congo",
    "Congo, Republic": "congo",
    "Eswatini": "eswatini",
    "Gambia, The": "gambia",
    "German Democratic Republic": "east-germany",
    "Korea, North": "north-korea",
    "Korea, South": "south-korea",
    "Kyrgyz Republic": "kyrgyzstan",
    "Timor Leste": "timor-leste",
    "Türkiye": "turkiye",
    "USSR": "soviet-union",
    "United States of America": "united-states",
    "Yemen, North": "north-yemen",
    "European Union": "european-union",
}
# World Bank codes with no reviewed ISO3 above (joined by code, never by name).
WORLDBANK_CODE_TO_ID = {"CHI": "channel-islands"}
# Spellings (and SIPRI's own typos) of earlier milex workbooks, reviewed by hand: the 2021
# release (data to 2020) writes these; the current workbook no longer does.
MILEX_OTHER_RELEASES = {
    "Central African Rep.": "central-african-republic",
    "Dominican Rep.": "dominican-republic",
    "Trinidad & Tobago": "trinidad-and-tobago",
    "German DR": "east-germany",
    "Slovak Rep.": "slovakia",
    "Congo, Repubic of": "congo",
    "Norh Macedonia": "north-macedonia",
}

# --- User-facing English forms (source 'common') --------------------------------------------
COMMON = {
    "turkiye": ["Turkey", "Türkiye", "Turkiye", "Republic of Turkey"],
    "united-states": ["USA", "US", "U.S.", "U.S.A.", "United States of America", "America"],
    "united-kingdom": ["UK", "U.K.", "Britain", "Great Britain"],
    "russia": ["Russia", "Russian Federation"],
    "soviet-union": ["USSR", "Soviet Union", "U.S.S.R."],
    "south-korea": ["South Korea", "Republic of Korea", "ROK", "Korea, South"],
    "north-korea": ["North Korea", "DPRK", "Democratic People's Republic of Korea"],
    "iran": ["Iran", "Islamic Republic of Iran"],
    "syria": ["Syria", "Syrian Arab Republic"],
    "czechia": ["Czech Republic", "Czechia"],
    "cote-divoire": ["Ivory Coast", "Côte d'Ivoire"],
    "dr-congo": ["DR Congo", "DRC", "Democratic Republic of the Congo", "Congo-Kinshasa", "Zaire"],
    "congo": ["Republic of the Congo", "Congo-Brazzaville"],
    "united-arab-emirates": ["UAE", "Emirates", "United Arab Emirates"],
    "myanmar": ["Burma"],
    "eswatini": ["Swaziland"],
    "north-macedonia": ["Macedonia"],
    "cabo-verde": ["Cape Verde"],
    "timor-leste": ["East Timor"],
    "viet-nam": ["Vietnam"],
    "bosnia-herzegovina": ["Bosnia", "Bosnia and Herzegovina"],
    "east-germany": ["GDR", "East Germany", "German Democratic Republic"],
    "germany": ["West Germany", "FRG"],
    "czechoslovakia": ["Czechoslovakia"],
    "yugoslavia": ["Yugoslavia", "SFRY"],
    "moldova": ["Republic of Moldova"],
    "laos": ["Lao PDR"],
    "brunei": ["Brunei Darussalam"],
    "saint-vincent": ["Saint Vincent and the Grenadines"],
    "palestine": ["State of Palestine"],
    "kyrgyzstan": ["Kyrgyz Republic"],
    "netherlands": ["Holland"],
    "european-union": ["EU", "European Union"],
    "nato": ["NATO"],
    "united-nations": ["UN", "United Nations"],
    "african-union": ["African Union"],
    "osce": ["OSCE"],
}


# --- Reading every entity name from the snapshot --------------------------------------------
AT = "sipri_arms_transfers"
REGISTER_2026 = "trade-register_all-to-all_generated-2026-05-18.csv"
REGISTERS = [  # (file, encoding, header line index)
    (REGISTER_2026, "cp1252", 11),
    ("trade-register_tidy-no-header_barnander_2024.csv", "cp1252", 0),
    ("trade-register_ID-layout_all-to-all_1990-2023_generated-2024-04-13.csv", "ascii", 11),
    ("trade-register_ID-layout_all-to-Ukraine_2000-2024_generated-2025-02-17.csv", "ascii", 11),
]
TIV_TABLES = [
    "import-export-values_1950-2024_importers_generated-2024-10-13.csv",
    "import-export-values_1950-2024_exporters_generated-2024-10-13.csv",
]
MILEX = "sipri_milex/SIPRI-Milex-data-1949-2024_2.xlsx"
MILEX_REGIONS = {"Africa", "Americas", "Asia & Oceania", "Europe", "Middle East"}


def register_names(path: Path, encoding: str, header: int) -> set[str]:
    """Recipient and Supplier names of a trade register, whitespace-trimmed."""
    with path.open(encoding=encoding, newline="") as f:
        rows = list(csv.reader(f))
    cols = [rows[header].index("Recipient"), rows[header].index("Supplier")]
    out = set()
    for row in rows[header + 1 :]:
        # An unquoted line break in Comments leaves a fragment such as `,3,9,,,,,,,,,,`
        # (tidy file, twice): its first cell is empty and it names nobody.
        if not row or not row[0].strip():
            continue
        out.update(row[c].strip() for c in cols)
    return out


def tiv_table_names(path: Path) -> set[str]:
    """Row names of a TIV import/export table; the `Total world ...` row is no entity."""
    with path.open(encoding="ascii", newline="") as f:
        rows = list(csv.reader(f))
    start = next(i for i, r in enumerate(rows) if r and r[0] in ("Recipient", "Exports by"))
    return {
        r[0].strip() for r in rows[start + 1 :] if r and r[0].strip() and not r[0].startswith("Total world")
    }


def read_milex(data: Path) -> tuple[set[str], dict[str, tuple[str, str | None]]]:
    """Country names of every data sheet, with the region/subregion header rows above them."""
    import openpyxl

    wb = openpyxl.load_workbook(data / MILEX, read_only=True, data_only=True)
    regions: dict[str, tuple[str, str | None]] = {}
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        header = next((i for i, r in enumerate(rows) if r and r[0] == "Country"), None)
        if header is None:  # front page, regional totals, footnotes
            continue
        region: str | None = None
        sub: str | None = None
        for row in rows[header + 1 :]:
            first = str(row[0]).strip() if row and row[0] is not None else ""
            if not first:
                continue
            if all(c in (None, "") for c in row[1:]):  # a region or subregion header row
                region, sub = (first, None) if first in MILEX_REGIONS else (region, first)
                continue
            if region is None:
                raise ValueError(f"{ws.title}: country {first!r} before any region header")
            regions.setdefault(first, (region, sub))
    return set(regions), regions


def worldbank_names(data: Path) -> dict[str, set[str]]:
    """Country Code -> Country Names of non-aggregate rows in every WDI API_*.csv."""
    wdi = data / "worldbank_wdi"
    region: dict[str, str] = {}
    for meta in sorted(wdi.glob("Metadata_Country_*.csv")):
        with meta.open(encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f):
                region[r["Country Code"]] = region.get(r["Country Code"], "") or r["Region"]
    out: dict[str, set[str]] = {}
    for api in sorted(wdi.glob("API_*.csv")):
        with api.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        start = next(i for i, r in enumerate(rows) if r[:2] == ["Country Name", "Country Code"])
        for r in rows[start + 1 :]:
            # Aggregates have an empty Region; INX "Not classified" has no metadata row at all.
            if r and region.get(r[1].strip()):
                out.setdefault(r[1].strip(), set()).add(r[0].strip())
    return out


def bicc_names(data: Path) -> dict[str, set[str]]:
    """iso3 -> names in the GMI country-year file."""
    out: dict[str, set[str]] = {}
    for path in sorted((data / "bicc_gmi").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                out.setdefault(r["iso3"].strip(), set()).add(r["name"].strip())
    return out


def read_all_names(data: Path) -> dict:
    """Every entity name of every source file, grouped by alias source."""
    at: set[str] = set()
    for name, enc, header in REGISTERS:
        at |= register_names(data / AT / name, enc, header)
    for name in TIV_TABLES:
        at |= tiv_table_names(data / AT / name)
    return {
        "sipri_at": at,
        "sipri_milex": read_milex(data)[0],
        "worldbank": worldbank_names(data),
        "bicc_gmi": bicc_names(data),
    }


def sipri_kind(name: str) -> str:
    """Kind from SIPRI's own marks: '**' intl org, '*' non-state, 'unknown ...' unknown."""
    if name.endswith("**"):
        return "intl_org"
    if name.endswith("*"):
        return "non_state"
    if name.startswith("unknown "):
        return "unknown"
    return "state"


def build_entities(
    at_names: dict[str, str], newest: set[str], milex: dict[str, tuple[str, str | None]]
) -> dict[str, dict[str, str]]:
    """One row per entity, from SIPRI arms-transfer names plus the hand tables above."""
    ents: dict[str, dict[str, str]] = {}
    # Newest-register spellings first, so they set the display name.
    for name in sorted(at_names, key=lambda n: (n not in newest, n)):
        eid = at_names[name]
        if eid in ents:
            continue
        kind = KIND_OVERRIDE.get(eid, sipri_kind(name))
        display = DISPLAY_NAME.get(eid, name.rstrip("*").strip())
        ents[eid] = {"entity_id": eid, "name": display, "iso3": "", "kind": kind}
    for eid, (name, iso3, kind, _) in EXTRA.items():
        ents[eid] = {"entity_id": eid, "name": name, "iso3": iso3, "kind": kind}
    for eid, row in ents.items():
        row["iso3"] = row["iso3"] or ISO3.get(eid, "")
        first, last, succ = HISTORIC.get(eid, (None, None, None))
        if eid in HISTORIC:
            row["kind"] = "historic_state"
        row.update(first_year=str(first or ""), last_year=str(last or ""), successor_id=succ or "")
        row["region"], row["subregion"] = region_of(eid, row["kind"], milex)
    return ents


def region_of(eid: str, kind: str, milex: dict[str, tuple[str, str | None]]) -> tuple[str, str]:
    """Milex workbook grouping first, then the reviewed hand tables."""
    if eid in milex:
        region, sub = milex[eid]
    elif eid in EXTRA:
        region, sub = EXTRA[eid][3]
    elif eid in REGION:
        region, sub = REGION[eid]
    elif kind == "non_state":
        home = NON_STATE_HOME[eid]  # KeyError = a new actor that needs a reviewed entry
        return region_of(home, "state", milex) if home else ("", "")
    else:
        return "", ""
    return region or "", sub or ""


def main(argv: list[str]) -> int:
    """Read every source name, map it, write (or --check) the two CSVs."""
    check = "--check" in argv
    args = [a for a in argv if not a.startswith("--")]
    data = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "shared" / "data"
    names = read_all_names(data)
    newest = register_names(data / AT / REGISTER_2026, "cp1252", 11)

    at_ids = {n: SIPRI_AT_TO_ID.get(n, slug(n)) for n in names["sipri_at"]}
    milex_regions = read_milex(data)[1]
    milex_ids: dict[str, tuple[str, str | None]] = {}
    ents_pre = build_entities(at_ids, newest, {})
    by_name = {r["name"]: eid for eid, r in ents_pre.items()} | {n: at_ids[n] for n in at_ids}
    alias_rows: set[tuple[str, str, str]] = set()
    missing: list[str] = []
    for n in names["sipri_at"]:
        alias_rows.add(("sipri_at", n, at_ids[n]))
    for n in names["sipri_milex"]:
        eid = MILEX_TO_ID.get(n, by_name.get(n))
        if eid is None:
            missing.append(f"sipri_milex {n!r}")
            continue
        alias_rows.add(("sipri_milex", n, eid))
        milex_ids[eid] = milex_regions[n]
    ents = build_entities(at_ids, newest, milex_ids)
    by_iso = {r["iso3"]: eid for eid, r in ents.items() if r["iso3"]}
    for code, wb_names in names["worldbank"].items():
        eid = WORLDBANK_CODE_TO_ID.get(code, by_iso.get(code))
        if eid is None:
            missing.append(f"worldbank {code!r} {wb_names}")
            continue
        alias_rows.update(("worldbank", a, eid) for a in [code, *wb_names])
    for code, gmi_names in names["bicc_gmi"].items():
        eid = by_iso.get(code)
        if eid is None:
            missing.append(f"bicc_gmi {code!r} {gmi_names}")
            continue
        alias_rows.update(("bicc_gmi", a, eid) for a in [code, *gmi_names])
    alias_rows.update(("sipri_milex", n, eid) for n, eid in MILEX_OTHER_RELEASES.items())
    for eid, forms in COMMON.items():
        alias_rows.update(("common", a, eid) for a in forms)
    if missing:
        print("unmapped names (add a reviewed entry):\n  " + "\n  ".join(missing))
        return 1
    problems = validate(ents, alias_rows)
    if problems:
        print("\n".join(problems))
        return 1
    return write_or_check(ents, alias_rows, check)


def validate(ents: dict[str, dict[str, str]], aliases: set[tuple[str, str, str]]) -> list[str]:
    """Invariants a reviewer would otherwise check by eye."""
    out = []
    isos = [r["iso3"] for r in ents.values() if r["iso3"]]
    out += [f"duplicate iso3 {c}" for c in set(isos) if isos.count(c) > 1]
    out += [f"alias to unknown entity {a}" for a in aliases if a[2] not in ents]
    out += [
        f"bad successor {r}" for r in ents.values() if r["successor_id"] and r["successor_id"] not in ents
    ]
    keys: dict[str, set[str]] = {}
    for eid, r in ents.items():
        for k in (eid, r["name"], r["iso3"]):
            if k:
                keys.setdefault(normalise(k), set()).add(eid)
    for _, a, eid in aliases:
        keys.setdefault(normalise(a), set()).add(eid)
    out += [f"ambiguous lookup key {k!r}: {sorted(v)}" for k, v in keys.items() if len(v) > 1]
    used = {a[2] for a in aliases}
    out += [f"entity with no alias {e}" for e in ents if e not in used]
    return out


def write_or_check(ents: dict[str, dict[str, str]], aliases: set[tuple[str, str, str]], check: bool) -> int:
    """Write sorted CSVs (stable diffs) or compare them with what is checked in."""
    texts = {}
    buf = io.StringIO()
    w = csv.DictWriter(buf, ENTITY_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(sorted(ents.values(), key=lambda r: r["entity_id"]))
    texts["entities.csv"] = buf.getvalue()
    buf = io.StringIO()
    w2 = csv.writer(buf, lineterminator="\n")
    w2.writerow(["source", "alias", "entity_id"])
    w2.writerows(sorted(aliases))
    texts["aliases.csv"] = buf.getvalue()
    stale = [
        n for n, t in texts.items() if not (OUT / n).exists() or (OUT / n).read_text(encoding="utf-8") != t
    ]
    if check:
        print("stale: " + ", ".join(stale) if stale else "up to date")
        return 1 if stale else 0
    for n, t in texts.items():
        (OUT / n).write_text(t, encoding="utf-8")
    print(f"{len(ents)} entities, {len(aliases)} aliases written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
