"""Mentions of countries in text: register aliases, demonyms, capitals, regions, possessives."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from armatlas.entities.register import load_register

# Reviewed demonyms: adjective -> entity id. "Soviet" stays the Soviet Union, never Russia.
DEMONYMS = {
    "Afghan": "afghanistan",
    "Algerian": "algeria",
    "American": "united-states",
    "Armenian": "armenia",
    "Australian": "australia",
    "Azerbaijani": "azerbaijan",
    "Belarusian": "belarus",
    "Brazilian": "brazil",
    "British": "united-kingdom",
    "Canadian": "canada",
    "Chinese": "china",
    "Egyptian": "egypt",
    "French": "france",
    "Georgian": "georgia",
    "German": "germany",
    "Greek": "greece",
    "Indian": "india",
    "Indonesian": "indonesia",
    "Iranian": "iran",
    "Iraqi": "iraq",
    "Israeli": "israel",
    "Italian": "italy",
    "Japanese": "japan",
    "Kazakh": "kazakhstan",
    "Pakistani": "pakistan",
    "Polish": "poland",
    "Qatari": "qatar",
    "Russian": "russia",
    "Saudi": "saudi-arabia",
    "Saudi Arabian": "saudi-arabia",
    "South Korean": "south-korea",
    "North Korean": "north-korea",
    "Soviet": "soviet-union",
    "Spanish": "spain",
    "Swedish": "sweden",
    "Syrian": "syria",
    "Turkish": "turkiye",
    "Ukrainian": "ukraine",
    "Emirati": "united-arab-emirates",
    "Vietnamese": "viet-nam",
    "Bangladeshi": "bangladesh",
    "Chilean": "chile",
    "Colombian": "colombia",
    "Argentine": "argentina",
    "Argentinian": "argentina",
    "Peruvian": "peru",
    "Venezuelan": "venezuela",
    "Mexican": "mexico",
    "Nigerian": "nigeria",
    "Moroccan": "morocco",
    "Norwegian": "norway",
    "Dutch": "netherlands",
    "Taiwanese": "taiwan",
    "Filipino": "philippines",
}
# Capitals and seats of government used as metonyms ("Kyiv demilitarised itself").
CAPITALS = {
    "Kyiv": "ukraine",
    "Kiev": "ukraine",
    "Moscow": "russia",
    "Kremlin": "russia",
    "Baku": "azerbaijan",
    "Ankara": "turkiye",
    "Beijing": "china",
    "Washington": "united-states",
    "New Delhi": "india",
    "Islamabad": "pakistan",
    "Paris": "france",
    "Berlin": "germany",
    "Tel Aviv": "israel",
    "Jerusalem": "israel",
    "Riyadh": "saudi-arabia",
    "Tehran": "iran",
    "Yerevan": "armenia",
    "Minsk": "belarus",
    "Tokyo": "japan",
    "Seoul": "south-korea",
    "Dhaka": "bangladesh",
    "Cairo": "egypt",
    "Doha": "qatar",
    "Abu Dhabi": "united-arab-emirates",
    "Canberra": "australia",
    "Hanoi": "viet-nam",
    "Warsaw": "poland",
    "Jakarta": "indonesia",
    "Manila": "philippines",
    "Algiers": "algeria",
    "Baghdad": "iraq",
    "Damascus": "syria",
    "Pyongyang": "north-korea",
    "Taipei": "taiwan",
    "Brasilia": "brazil",
    "Brasília": "brazil",
}
# Regions as SIPRI groups them (the entity register's `region`); aggregates, not entities.
REGIONS = {
    "Middle East": "Middle East",
    "Middle Eastern states": "Middle East",
    "Middle Eastern": "Middle East",
    "West Asia": "Middle East",  # SIPRI's Middle East is what Indian and Asian papers call West Asia
    "West Asian": "Middle East",
    "European states": "Europe",
    "Europe": "Europe",
    "European": "Europe",
    "Africa": "Africa",
    "African states": "Africa",
    "Asia and Oceania": "Asia & Oceania",
    "Asia & Oceania": "Asia & Oceania",
    "Americas": "Americas",
    "Asia and Pacific": "Asia & Oceania",
    "Asia and the Pacific": "Asia & Oceania",
    "Asia-Pacific": "Asia & Oceania",
    "Asia Pacific": "Asia & Oceania",
    "African": "Africa",
    "Asian": "Asia & Oceania",
    "Asia": "Asia & Oceania",
}
# Subregions as SIPRI groups them (the register's `subregion`), also ids 'region:...'.
SUBREGIONS = {
    "North Africa": "North Africa",
    "North African": "North Africa",
    "sub-Saharan Africa": "sub-Saharan Africa",
    "Sub-Saharan Africa": "sub-Saharan Africa",
    "sub-Saharan African": "sub-Saharan Africa",
    "East Asia": "East Asia",
    "East Asian": "East Asia",
    "South Asia": "South Asia",
    "South Asian": "South Asia",
    "Central Asia": "Central Asia",
    "Southeast Asia": "South East Asia",
    "South East Asia": "South East Asia",
    "South-East Asia": "South East Asia",
    "Southeast Asian": "South East Asia",
    "Oceania": "Oceania",
    "Western Europe": "Western Europe",
    "Central Europe": "Central Europe",
    "Eastern Europe": "Eastern Europe",
    "South America": "South America",
    "North America": "North America",
    "Central America and the Caribbean": "Central America and the Caribbean",
}
REGION_PREFIX = "region:"


def group_spec(eid: str) -> str:
    """'region:Europe' or 'subregion:North Africa': how flows.entity_group names a mention's group."""
    name = eid[len(REGION_PREFIX) :]
    return ("subregion:" if name in SUBREGIONS.values() else "region:") + name


@dataclass(frozen=True)
class Mention:
    """A stretch of text naming an entity (or a region, id 'region:...')."""

    entity_id: str
    start: int
    end: int
    text: str
    how: str  # name, demonym, capital, region
    possessive: bool = False


@functools.cache
def _lexicon() -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    reg = load_register()
    table: dict[str, tuple[str, str]] = {}
    kinds = {e.entity_id: e.kind for e in reg.all()}
    for e in reg.all():
        if e.kind != "unknown":
            table[e.name] = (e.entity_id, "name")
    for source, alias, eid in reg.alias_rows():
        if kinds.get(eid) == "unknown" or alias.endswith("*"):
            continue
        # ISO codes and WB/BICC spellings are for machines; keep only SIPRI and common names
        # plus short forms people write (US, UK, UAE).
        if source in ("worldbank", "bicc_gmi") and (alias.isupper() or "," in alias):
            continue
        if len(alias) < 2 or "," in alias:
            continue
        table.setdefault(alias, (eid, "name"))
    for word, eid in DEMONYMS.items():
        table[word] = (eid, "demonym")
    for word, eid in CAPITALS.items():
        table[word] = (eid, "capital")
    for word, region in {**REGIONS, **SUBREGIONS}.items():
        table[word] = (REGION_PREFIX + region, "region")
    words = sorted(table, key=len, reverse=True)
    # Case-sensitive on purpose: "US" the country, not "us" the pronoun.
    # "India's" and "the United States'" are possessive; "Sweden-based" names a seat, not a party.
    rx = re.compile(
        r"(?<![\w.])(" + "|".join(re.escape(w) for w in words) + r")(?![\w])(?!-(?:based|headquartered)\b)"
        r"(['’]s|(?<=s)['’](?!\w))?"
    )
    return rx, table


def find_mentions(text: str) -> list[Mention]:
    """Longest alias first, case-sensitive; "India's" is a possessive mention of India."""
    rx, table = _lexicon()
    out: list[Mention] = []
    for m in rx.finditer(text):
        word = m.group(1)
        eid, how = table[word]
        if (
            how == "capital"
            and not text[: m.start()].strip()
            and re.match(
                r"\s*(?::|\((?:AFP|Reuters|AP|PTI|IANS|ANI|Xinhua)\)|,? [A-Z][a-z]{2,8}\.? \d)",
                text[m.end() :],
            )
        ):
            continue  # a dateline ("New Delhi:", "Moscow (AFP) --"): where the report was filed, no party
        out.append(Mention(eid, m.start(1), m.end(1), word, how, bool(m.group(2))))
    return out
