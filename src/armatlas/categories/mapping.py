"""Weapon descriptions and publisher category strings mapped to the twelve SIPRI categories.

The reviewed register lives beside this module in ``descriptions.csv`` (normalised
description, category, source note). It is read once per process; every lookup after that
is a dict access, because an ingest categorises ~30,000 rows.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from importlib import resources

from armatlas.errors import ParseError, UnknownDescriptionError

# The publisher's display strings, in the publisher's order (delivery-year layout spelling).
CATEGORIES: tuple[str, ...] = (
    "Aircraft",
    "Air defence systems",
    "Anti-submarine warfare weapons",
    "Armoured vehicles",
    "Artillery",
    "Engines",
    "Missiles",
    "Naval weapons",
    "Satellites",
    "Sensors",
    "Ships",
    "Other",
)

DESCRIPTIONS_FILE = "descriptions.csv"

# Whole-word typo fixes seen in the publisher's descriptions, applied after casefolding.
# Keep this small and reviewed: each entry names where the typo was seen.
TYPO_FIXES: dict[str, str] = {
    "iinfantry": "infantry",  # 2026 register: "iinfantry fighting vehicle turret" (2 rows)
}

# Publisher category spellings that differ from CATEGORIES by more than case/spacing.
_CATEGORY_ALIASES: dict[str, str] = {
    "air defense systems": "Air defence systems",  # US spelling seen in re-published copies
}

# Hyphen-like characters that copies of the data use in place of ASCII "-".
_DASHES = str.maketrans(
    {
        "\u2010": "-",  # hyphen
        "\u2011": "-",  # non-breaking hyphen
        "\u2012": "-",  # figure dash
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2212": "-",  # minus sign
        "\u00a0": " ",  # no-break space
    }
)
_SLASH = re.compile(r"\s*/\s*")
_WORD = re.compile(r"[^\W\d_]+")


def normalise_description(text: str) -> str:
    """Reduce a description to the key used in descriptions.csv.

    Releases differ in case ("VEHICLE ENGINE"), hyphenation ("air-search radar" vs
    "air search radar", "air-to surface"), spacing around slashes and typos; all of these
    collapse to one key: casefolded, hyphens and dashes as spaces, no spaces around "/",
    single spaces, known typos fixed. Abbreviations are NOT expanded here: "ASW torpedo" and
    "anti-submarine torpedo" are separate rows of the reviewed CSV.
    """
    s = text.translate(_DASHES).casefold().replace("-", " ")
    s = " ".join(_SLASH.sub("/", s).split())
    return _WORD.sub(lambda m: TYPO_FIXES.get(m.group(), m.group()), s)


@cache
def load_descriptions() -> dict[str, str]:
    """The reviewed register as {normalised description: category}, read once."""
    text = resources.files(__package__).joinpath(DESCRIPTIONS_FILE).read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for lineno, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        key = row["description"]
        category = row["category"]
        if key != normalise_description(key) or category not in CATEGORIES or key in table:
            raise ParseError(
                "Bad row in the category register",
                file=DESCRIPTIONS_FILE,
                line=lineno,
                value=key,
                hint="descriptions must be normalised, unique and mapped to one of CATEGORIES",
            )
        table[key] = category
    return table


@cache
def _canonical_categories() -> dict[str, str]:
    """{normalised category string: display string}, for canonical_category."""
    table = {normalise_description(c): c for c in CATEGORIES}
    table.update(_CATEGORY_ALIASES)
    return table


_raw_category_cache: dict[str, str] = {}
_raw_description_cache: dict[str, str | None] = {}


def canonical_category(
    value: str,
    *,
    file: str | None = None,
    line: int | None = None,
    column: str | None = None,
) -> str:
    """The CATEGORIES display string for a publisher category in any case or spacing."""
    found = _raw_category_cache.get(value)
    if found is not None:
        return found
    found = _canonical_categories().get(normalise_description(value))
    if found is None:
        raise ParseError(
            "Unknown armament category",
            file=file,
            line=line,
            column=column,
            value=value,
            hint="expected one of: " + ", ".join(CATEGORIES),
        )
    _raw_category_cache[value] = found
    return found


def categorise(
    description: str,
    publisher_category: str | None = None,
    *,
    file: str | None = None,
    line: int | None = None,
    column: str | None = None,
) -> str:
    """A row's SIPRI category: the publisher's own when the layout has one, else the register's."""
    if publisher_category:
        return canonical_category(publisher_category, file=file, line=line, column=column)
    if description in _raw_description_cache:
        found = _raw_description_cache[description]
    else:
        found = load_descriptions().get(normalise_description(description))
        _raw_description_cache[description] = found
    if found is None:
        raise UnknownDescriptionError(
            "Weapon description has no category",
            file=file,
            line=line,
            column=column,
            value=description,
            hint="add the normalised description to src/armatlas/categories/descriptions.csv after review",
        )
    return found
