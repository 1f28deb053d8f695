"""One-off builder of src/armatlas/categories/descriptions.csv from the real SIPRI registers.

Run: .venv/bin/python tools/build_categories.py [DATA_DIR]
(DATA_DIR defaults to ../shared/data/sipri_arms_transfers next to the repo.)

Sources of a category, in order of trust:
1. publisher: the `Armament category` the ID (delivery-year) layouts give the description;
   where the publisher itself disagrees, CONFLICTS records the decision and why.
2. reviewed: descriptions seen only in the 2026 / tidy registers, decided by hand in REVIEWED.
   The script checks each decision against evidence: the same deal (recipient, supplier,
   order year, designation) listed in both the 2026 and the tidy register gives the older
   description, whose publisher category must agree unless the entry says why not.
"""

from __future__ import annotations

import csv
import io
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from armatlas.categories.mapping import CATEGORIES, normalise_description  # noqa: E402 - after the sys.path insert

OUT = REPO / "src" / "armatlas" / "categories" / "descriptions.csv"
DEFAULT_DATA = REPO.parent / "shared" / "data" / "sipri_arms_transfers"
REGISTER_2026 = "trade-register_all-to-all_generated-2026-05-18.csv"
REGISTER_TIDY = "trade-register_tidy-no-header_barnander_2024.csv"
ID_LAYOUTS = (
    "trade-register_ID-layout_all-to-all_1990-2023_generated-2024-04-13.csv",
    "trade-register_ID-layout_all-to-Ukraine_2000-2024_generated-2025-02-17.csv",
)

# The publisher's own ID-layout data give these descriptions two categories.
CONFLICTS: dict[str, tuple[str, str]] = {
    "sam system": (
        "Air defence systems",
        "publisher: Air defence systems in all rows but one (Iron Dome, USA->Israel 2023, "
        "'Other'), which looks like a data-entry slip; every other SAM system is an air "
        "defence system",
    ),
    "coastal defence system": (
        "Sensors",
        "publisher: Sensors for 13 deals (Exocet/NSM/Bastion/HY-2 CDS...), Artillery for one "
        "(C-602 CDS, China->Pakistan 2009); majority kept: the CDS row counts the launcher and "
        "radar/fire-control set, its missiles are listed separately as anti-ship missiles",
    ),
}

# Reasons shared by many reviewed entries (the publisher's ID layouts put every helicopter and
# aircraft type in Aircraft, every ship type in Ships, every radar in Sensors).
HELI = "helicopter type; the publisher puts every helicopter in Aircraft"
AIRCRAFT = "aircraft type; the publisher puts every aircraft in Aircraft"
SHIP = "ship type; the publisher puts every ship and craft in Ships"
RADAR = "radar; the publisher puts every radar in Sensors"
MISSILE = "guided missile; the publisher puts every missile in Missiles"

# Hand-reviewed descriptions that never occur in an ID layout: category, and a reason when
# the linked-deal evidence is absent or points elsewhere. Keys are normalised.
REVIEWED: dict[str, tuple[str, str]] = {
    "(armed) light helicopter": ("Aircraft", HELI),
    "(armed) maritime patrol aircraft": ("Aircraft", ""),
    "(armed) reconnaissance drone": ("Aircraft", "drone = UAV, publisher: Aircraft"),
    "(armed) trainer aircraft": ("Aircraft", ""),
    "(armed) transport helicopter": ("Aircraft", HELI),
    "aals/support ship": ("Ships", "AALS (amphibious assault ship) = Ships"),
    "aew aircraft": ("Aircraft", "like 'aew&c aircraft' (publisher: Aircraft)"),
    "air search/fire control radar": ("Sensors", ""),
    "air to surface missile": ("Missiles", ""),
    "air to surface/anti ship missile": ("Missiles", ""),
    "air to surface/surface to surface missile": ("Missiles", ""),
    "air/sea search/fire control radar": ("Sensors", ""),
    "airborne early warning aircraft": ("Aircraft", ""),
    "airborne early warning helicopter": ("Aircraft", ""),
    "airborne early warning radar": ("Sensors", ""),
    "airborne early warning/ground surveillance aircraft": ("Aircraft", ""),
    "aircraft electro optical system": ("Sensors", ""),
    "aircraft electro optical/radar system": ("Sensors", ""),
    "aircraft reconnaissance system": ("Sensors", ""),
    "amphibious assault ship": ("Ships", ""),
    "amphibious assault ship/frigate": ("Ships", ""),
    "anti aircraft gun system": ("Air defence systems", ""),
    "anti aircraft gun turret": ("Air defence systems", ""),
    "anti aircraft gun/surface to air missile system": ("Air defence systems", ""),
    "anti ballistic missile missile": ("Missiles", "2026 expansion of 'ABM missile'"),
    "anti ballistic missile system": ("Air defence systems", "2026 expansion of 'ABM system'"),
    "anti radar/air to surface missile": ("Missiles", ""),
    "anti ship/air to ground/surface to air missile": ("Missiles", ""),
    "anti ship/air to surface/surface to surface missile": ("Missiles", MISSILE),
    "anti ship/anti submarine torpedo": ("Missiles", ""),
    "anti ship/surface to surface missile": ("Missiles", ""),
    "anti submarine aircraft": ("Aircraft", ""),
    "anti submarine helicopter": ("Aircraft", ""),
    "anti submarine missile": ("Missiles", "publisher puts ASW torpedoes and missiles in Missiles"),
    "anti submarine mortar": (
        "Naval weapons",
        "like 'asw mrl' (publisher: Naval weapons); no ID-layout row uses the ASW category",
    ),
    "anti submarine rocket launcher": ("Naval weapons", ""),
    "anti submarine sonar": ("Sensors", ""),
    "anti submarine torpedo": ("Missiles", ""),
    "anti submarine/ship torpedo": ("Missiles", ""),
    "anti tank/air to surface missile": ("Missiles", ""),
    "apc/cp": ("Armoured vehicles", "APC command post version"),
    "armed drone": ("Aircraft", ""),
    "armed reconnaissance drone": ("Aircraft", ""),
    "armed ugv": ("Armoured vehicles", "armed unmanned ground vehicle (Type X, tracked)"),
    "armoured engineer vehicle": ("Armoured vehicles", ""),
    "armoured engineer/recovery vehicle": ("Armoured vehicles", ""),
    "armoured personnel carrier": ("Armoured vehicles", ""),
    "armoured personnel carrier/armoured supply vehicle": ("Armoured vehicles", "APC"),
    "armoured reconnaissance vehicle": ("Armoured vehicles", ""),
    "armoured reconnaissance/fire support vehicle": ("Armoured vehicles", ""),
    "armoured recovery vehicle": ("Armoured vehicles", ""),
    "armoured supply vehicle": ("Armoured vehicles", ""),
    "asw missile": ("Missiles", "publisher puts ASW torpedoes and missiles in Missiles"),
    "asw mortar": (
        "Naval weapons",
        "like 'asw mrl' (publisher: Naval weapons); no ID-layout row uses the ASW category",
    ),
    "asw rocket launcher": ("Naval weapons", "like 'asw mrl' (publisher: Naval weapons)"),
    "coastal defence gun": ("Artillery", "guns above 100 mm calibre (9.2 inch, 120 mm)"),
    "combat helicopter radar": ("Sensors", ""),
    "corvette/minesweeper": ("Ships", SHIP),
    "cruiser": ("Ships", SHIP),
    "electro optical fire control system": ("Sensors", ""),
    "electro optical system": ("Sensors", ""),
    "electronic warfare aircraft": ("Aircraft", AIRCRAFT),
    "fighter/ground attack aircraft": ("Aircraft", ""),
    "fighter/ground attack/electronic warfare aircraft": ("Aircraft", ""),
    "fire support vehicle": ("Armoured vehicles", ""),
    "frigate/landing ship": ("Ships", SHIP),
    "ground surveillance aircraft": ("Aircraft", ""),
    "ground surveillance radar": ("Sensors", ""),
    "ground/sea search radar": ("Sensors", RADAR),
    "guided rocket/air to surface missile": ("Missiles", ""),
    "gunboat": ("Ships", SHIP),
    "heavy transport helicopter": ("Aircraft", HELI),
    "ifv/apc turret": ("Other", "like 'ifv turret' and 'apc turret' (publisher: Other)"),
    "infantry fighting vehicle": ("Armoured vehicles", ""),
    "infantry fighting vehicle turret": ("Other", ""),
    "landing craft/patrol boat": ("Ships", SHIP),
    "landing/patrol craft": ("Ships", SHIP),
    "light aircraft/reconnaissance drone": ("Aircraft", ""),
    "light transport airship": ("Aircraft", ""),
    "long range air to air missile": ("Missiles", ""),
    "maritime patrol aircraft radar": ("Sensors", ""),
    "maritime patrol drone": ("Aircraft", ""),
    "minehunter/minesweeper": ("Ships", ""),
    "missile boat": ("Ships", ""),
    "mobile surface to air missile system": ("Air defence systems", ""),
    "multiple rocket launcher": ("Artillery", ""),
    "naval multiple rocket launcher": ("Naval weapons", ""),
    "naval surface to air missile system": ("Naval weapons", ""),
    "nuclear reactor": ("Engines", "ship propulsion (S5W for a submarine), like 'aip engine'"),
    "one way attack drone": ("Missiles", ""),
    "opv/support ship": ("Ships", SHIP),
    "opv/transport ship": ("Ships", SHIP),
    "patrol boat": ("Ships", ""),
    "patrol boat/transport craft": ("Ships", ""),
    "patrol ship": ("Ships", ""),
    "patrol ship/frigate": ("Ships", ""),
    "patrol ship/icebreaker": ("Ships", ""),
    "patrol ship/support ship": ("Ships", SHIP),
    "patrol ship/training ship": ("Ships", ""),
    "patrol ship/transport ship": ("Ships", SHIP),
    "patrol ship/tug": ("Ships", ""),
    "portable surface to air missile": ("Missiles", ""),
    "reconnaissance drone": ("Aircraft", ""),
    "reconnaissance satellite": ("Satellites", "like 'recce satellite' (publisher: Satellites)"),
    "reconnaissance/signals intelligence aircraft": ("Aircraft", ""),
    "reconnaissance/signals intelligence system": ("Sensors", ""),
    "self propelled air defence system": ("Air defence systems", ""),
    "self propelled anti aircraft gun": ("Air defence systems", ""),
    "self propelled gun turret": ("Artillery", ""),
    "ship nuclear reactor": ("Engines", "ship propulsion, like 'ship engine' (publisher: Engines)"),
    "short range air to air missile": ("Missiles", ""),
    "sigint helicopter": ("Aircraft", HELI),
    "sigint ship": ("Ships", SHIP),
    "signals intelligence aircraft": ("Aircraft", ""),
    "signals intelligence helicopter": ("Aircraft", HELI),
    "signals intelligence ship": ("Ships", SHIP),
    "signals intelligence system": ("Sensors", ""),
    "sonar": ("Sensors", "like 'asw sonar', 'submarine sonar' (publisher: Sensors)"),
    "ssb": ("Ships", "ballistic-missile submarine (Project-629)"),
    "submarine launched ballistic missile": ("Missiles", ""),
    "surface to air missile": ("Missiles", ""),
    "surface to air missile system": ("Air defence systems", ""),
    "surface to surface missile": ("Missiles", ""),
    "surface to surface missile launcher": ("Artillery", ""),
    "tank destroyer turret": ("Other", ""),
    "target tow aircraft": ("Aircraft", AIRCRAFT),
    "torpedo boat": ("Ships", ""),
    "transport aircraft/helicopter": ("Aircraft", ""),
    "transport/trainer aircraft": ("Aircraft", AIRCRAFT),
}


def read_register(path: Path, encoding: str, preamble: int) -> Iterator[dict[str, str]]:
    """Records of one register after its preamble; skips split-record fragments."""
    text = path.read_text(encoding=encoding)
    body = "".join(text.splitlines(keepends=True)[preamble:])
    for row in csv.DictReader(io.StringIO(body)):
        # tidy register: ",3,9,,,..." lines are remainders of records split by a line break
        description = row.get("Weapon description") or row.get("Description")
        if not row.get("Recipient") and not description:
            continue
        yield row


def deal_key(row: dict[str, str]) -> tuple[str, str, str, str]:
    """Same deal across the 2026 and tidy registers."""
    return (row["Recipient"], row["Supplier"], row["Year of order"], row["Weapon designation"])


def main(data: Path) -> int:
    publisher: dict[str, Counter[str]] = defaultdict(Counter)
    for name in ID_LAYOUTS:
        for row in read_register(data / name, "ascii", 11):
            publisher[normalise_description(row["Description"])][row["Armament category"]] += 1
    r26 = list(read_register(data / REGISTER_2026, "cp1252", 11))
    tidy = list(read_register(data / REGISTER_TIDY, "cp1252", 0))
    seen = Counter(normalise_description(r["Weapon description"]) for r in r26 + tidy)
    seen.update({d: sum(c.values()) for d, c in publisher.items()})

    tidy_by_deal: dict[tuple[str, str, str, str], set[str]] = defaultdict(set)
    for row in tidy:
        tidy_by_deal[deal_key(row)].add(normalise_description(row["Weapon description"]))
    linked: dict[str, Counter[str]] = defaultdict(Counter)
    for row in r26:
        for other in tidy_by_deal.get(deal_key(row), ()):
            linked[normalise_description(row["Weapon description"])][other] += 1

    rows: list[tuple[str, str, str]] = []
    problems: list[str] = []
    for desc in sorted(seen):
        if desc in publisher:
            counts = publisher[desc]
            if len(counts) > 1:
                if desc not in CONFLICTS:
                    problems.append(f"publisher conflict, no decision: {desc!r} {dict(counts)}")
                    continue
                category, note = CONFLICTS[desc]
            else:
                category = next(iter(counts))
                note = f"publisher: {category} in ID layouts ({counts[category]} rows)"
            rows.append((desc, category, note))
            continue
        if desc not in REVIEWED:
            problems.append(f"needs review: {desc!r} ({seen[desc]} rows, {dict(linked[desc])})")
            continue
        category, reason = REVIEWED[desc]
        evidence = [(o, n) for o, n in linked[desc].most_common() if o in publisher and o != desc]
        if evidence:
            other, n = evidence[0]
            other_cat = publisher[other].most_common(1)[0][0]
            note = f"reviewed; same deals listed as '{other}' in tidy register ({n}) -> {other_cat}"
            if other_cat != category and not reason:
                problems.append(f"{desc!r}: reviewed {category} but evidence says {other_cat}")
        else:
            note = "reviewed; no ID-layout evidence"
        if reason:
            note += f"; {reason}"
        rows.append((desc, category, note))
    for desc, (category, _) in {**CONFLICTS, **REVIEWED}.items():
        if category not in CATEGORIES:
            problems.append(f"{desc!r}: {category!r} is not a category")
        if desc not in seen:
            problems.append(f"stale entry (not in any register): {desc!r}")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["description", "category", "source_note"])
        writer.writerows(rows)
    per_category = Counter(c for _, c, _ in rows)
    print(f"wrote {len(rows)} descriptions to {OUT.relative_to(REPO)}")
    for category in CATEGORIES:
        print(f"  {category:32} {per_category[category]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA))
