"""The weapon category register against the real SIPRI registers (read here independently)."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from conftest import REGISTER_2026, REGISTER_ID_2024, REGISTER_ID_UKR, REGISTER_TIDY
from hypothesis import given
from hypothesis import strategies as st

from armatlas.categories import (
    CATEGORIES,
    canonical_category,
    categorise,
    load_descriptions,
    normalise_description,
)
from armatlas.errors import ParseError, UnknownDescriptionError

# (file, encoding, preamble lines, description column)
REGISTERS = (
    (REGISTER_2026, "cp1252", 11, "Weapon description"),
    (REGISTER_TIDY, "cp1252", 0, "Weapon description"),
    (REGISTER_ID_2024, "ascii", 11, "Description"),
    (REGISTER_ID_UKR, "ascii", 11, "Description"),
)

# Rows where the description register (ignoring the row's own category) disagrees with the
# publisher's `Armament category`: the publisher gives these descriptions two categories.
KNOWN_DISAGREEMENTS = {
    # Iron Dome, USA->Israel 2023: the only 'SAM system' row of 316 not in Air defence systems.
    ("sam system", "Other"),
    # C-602 CDS, China->Pakistan 2009: 13 other coastal-defence-system deals are Sensors.
    ("coastal defence system", "Artillery"),
}
AGREEMENT_FLOOR = 0.999


def read_rows(path: Path, encoding: str, preamble: int) -> list[dict[str, str]]:
    """Records after the preamble; drops split-record fragments such as ',3,9,,,...'."""
    text = path.read_text(encoding=encoding)
    body = "".join(text.splitlines(keepends=True)[preamble:])
    return [r for r in csv.DictReader(io.StringIO(body)) if r["Recipient"]]


@pytest.fixture(scope="module")
def registers() -> dict[Path, list[dict[str, str]]]:
    return {path: read_rows(path, enc, pre) for path, enc, pre, _ in REGISTERS}


@pytest.fixture(scope="module")
def raw_descriptions(registers: dict[Path, list[dict[str, str]]]) -> set[str]:
    return {row[col] for path, _, _, col in REGISTERS for row in registers[path]}


@pytest.mark.data
def test_registers_read_completely(registers: dict[Path, list[dict[str, str]]]) -> None:
    # Guards the independent reader: one record per deal row, none lost to split comments.
    sizes = {path.name: len(rows) for path, rows in registers.items()}
    assert sizes[REGISTER_2026.name] == 29916
    assert sizes[REGISTER_TIDY.name] == 29037
    assert sizes[REGISTER_ID_2024.name] == 27838
    assert sizes[REGISTER_ID_UKR.name] == 382


@pytest.mark.data
def test_every_description_in_every_register_maps(
    registers: dict[Path, list[dict[str, str]]],
) -> None:
    for path, _, _, col in REGISTERS:
        for i, row in enumerate(registers[path]):
            assert categorise(row[col], file=path.name, line=i) in CATEGORIES


@pytest.mark.data
def test_register_has_no_dead_rows(raw_descriptions: set[str]) -> None:
    # Every CSV row is a description seen in some register, and every one seen is in the CSV.
    seen = {normalise_description(d) for d in raw_descriptions}
    assert seen == set(load_descriptions())
    assert len(seen) == 325


def test_register_counts_per_category() -> None:
    counts = Counter(load_descriptions().values())
    assert counts["Aircraft"] == 64
    assert counts["Ships"] == 62
    assert counts["Missiles"] == 56
    assert counts["Sensors"] == 45
    # No ID-layout row uses it: ASW torpedoes are Missiles, ASW rocket launchers Naval weapons.
    assert counts["Anti-submarine warfare weapons"] == 0


@pytest.mark.data
def test_mapping_agrees_with_publisher_category(
    registers: dict[Path, list[dict[str, str]]],
) -> None:
    total = agree = 0
    disagreements: Counter[tuple[str, str]] = Counter()
    for path in (REGISTER_ID_2024, REGISTER_ID_UKR):
        for row in registers[path]:
            publisher = canonical_category(row["Armament category"])
            total += 1
            if categorise(row["Description"]) == publisher:
                agree += 1
            else:
                disagreements[(normalise_description(row["Description"]), publisher)] += 1
    assert total == 28220
    assert set(disagreements) == KNOWN_DISAGREEMENTS
    assert sum(disagreements.values()) == 3
    assert agree / total >= AGREEMENT_FLOOR


def test_publisher_category_is_preferred() -> None:
    assert categorise("coastal defence system") == "Sensors"
    assert categorise("coastal defence system", "Artillery") == "Artillery"
    assert categorise("SAM system", "Other") == "Other"
    # An empty publisher cell falls back to the register.
    assert categorise("SAM system", "") == "Air defence systems"


@pytest.mark.parametrize(
    ("variant", "other"),
    [
        ("air-search radar", "air search radar"),  # 2026 vs tidy register
        ("fire-control radar", "fire control radar"),
        ("ground-surveillance radar", "ground surveillance radar"),  # both in the 2026 register
        ("ASW Helicopter", "ASW helicopter"),  # tidy register
        ("VEHICLE ENGINE", "vehicle engine"),
        ("apc", "APC"),
        ("iinfantry fighting vehicle turret", "infantry fighting vehicle turret"),  # typo, 2026
        ("air/sea-search radar", "air/sea search radar"),
    ],
)
@pytest.mark.data
def test_normalisation_unifies_real_variants(variant: str, other: str, raw_descriptions: set[str]) -> None:
    assert {variant, other} <= raw_descriptions
    assert normalise_description(variant) == normalise_description(other)
    assert categorise(variant) == categorise(other)


def test_normalisation_of_spacing_and_dashes() -> None:
    # "air-to surface" is a 2026 typo for "air-to-surface".
    assert normalise_description("anti-ship/air-to surface/surface-to-surface missile") == (
        "anti ship/air to surface/surface to surface missile"
    )
    messy = "  Anti\u2013ship  /  ASW\u00a0torpedo "
    assert normalise_description(messy) == "anti ship/asw torpedo"
    assert categorise("Anti\u2013ship / ASW torpedo") == "Missiles"


@given(st.text())
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalise_description(text)
    assert normalise_description(once) == once


def test_unknown_description_fails_loudly() -> None:
    with pytest.raises(UnknownDescriptionError) as info:
        categorise("hand grenade", file="reg.csv", line=42, column="Weapon description")
    err = info.value
    assert (err.code, err.file, err.line, err.column, err.value) == (
        "unknown-description",
        "reg.csv",
        42,
        "Weapon description",
        "hand grenade",
    )
    assert "descriptions.csv" in (err.hint or "")


def test_canonical_category() -> None:
    assert canonical_category("AIR DEFENCE SYSTEMS") == "Air defence systems"
    assert canonical_category("  armoured   vehicles ") == "Armoured vehicles"
    assert canonical_category("anti submarine warfare weapons") == "Anti-submarine warfare weapons"
    assert [canonical_category(c) for c in CATEGORIES] == list(CATEGORIES)
    for garbage in ("", "Tanks", "Aircraft;Ships", "Missile"):
        with pytest.raises(ParseError) as info:
            canonical_category(garbage, file="x.csv", line=3, column="Armament category")
        assert (info.value.line, info.value.value) == (3, garbage)
    with pytest.raises(ParseError):
        categorise("tank", "Tanks")
