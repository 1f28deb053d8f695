"""One identity per company across the Top 100 sheets, through renames, and its country.

SIPRI prints the name a company had at the end of each financial year, so a renamed company
appears under two names (DCNS 2016 -> Naval Group 2017). Identity rules, in order:
1. the same name (case, accents and punctuation ignored) is the same company;
2. a rename: a ranked row whose previous-year rank points to a row of the previous sheet
   with exactly the arms sales it reports for that year, where the old name is absent from
   the new sheet and the new name absent from the old one (so two companies swapping ranks
   never merge);
3. the reviewed KNOWN_RENAMES below, for renames SIPRI re-ranked in the same edition.
A footnote saying a company acquired or merged with another (Melrose Industries / GKN 2018)
is recorded as a link of kind 'acquired_or_merged', never as one identity.
Subsidiaries ('S') are companies of their own (the name before the brackets), with the
parent named in the brackets kept beside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from armatlas.entities._normalise import normalise, slug
from armatlas.entities.register import load_register
from armatlas.errors import UnknownEntityError

# Renames the structural rule cannot see, because SIPRI re-ranked the previous year.
KNOWN_RENAMES = {
    ("Samsung Techwin", "Hanwha Techwin"): "Samsung Techwin sold to Hanwha and renamed in 2015",
    ("GenCorp", "Aerojet Rocketdyne"): "GenCorp renamed itself Aerojet Rocketdyne Holdings in 2015",
    ("ITT Exelis", "Exelis"): "ITT Exelis dropped the ITT prefix in 2012",
}
# Headquarters that are no country: kept as written, with no entity.
MULTINATIONAL = {
    "Trans-European": "ownership and control in more than one European country (SIPRI footnote)",
}
# Exact, reviewed register doors tried in turn for a headquarters country.
COUNTRY_SOURCES = ("sipri_at", "sipri_milex", "common")
_MERGER_NOTE = re.compile(r"\b(acquir\w*|merg\w*|result of)\b", re.I)
_PARENT = re.compile(r"^(?P<name>.+?)\s*\((?P<parent>[^()]+)\)\s*$")


@dataclass(frozen=True)
class Link:
    company_id: str
    other_id: str  # the same id for a rename
    other_name: str  # the old name (rename) or the other company's name (acquisition, merger)
    year: int
    kind: str  # 'renamed' (one identity) or 'acquired_or_merged' (two)
    evidence: str


def own_name(company: str, subsidiary: bool) -> tuple[str, str | None]:
    """(the company's own name, its parent as written) for a row."""
    m = _PARENT.match(company) if subsidiary else None
    return (m.group("name").strip(), m.group("parent").strip()) if m else (company, None)


class _Union:
    def __init__(self) -> None:
        self.up: dict[str, str] = {}

    def find(self, k: str) -> str:
        self.up.setdefault(k, k)
        while self.up[k] != k:
            self.up[k] = self.up[self.up[k]]
            k = self.up[k]
        return k

    def join(self, a: str, b: str) -> None:
        self.up[self.find(a)] = self.find(b)


def assign_ids(rows: list[dict[str, Any]], notes: dict[tuple[int, str], str]) -> tuple[list[str], list[Link]]:
    """Company id of every row (slug of its newest name), and the links between companies."""
    keys = [normalise(own_name(r["company"], r["subsidiary"])[0]) for r in rows]
    names_in: dict[int, set[str]] = {}
    for r, k in zip(rows, keys, strict=True):
        names_in.setdefault(r["year"], set()).add(k)
    ranked = {(r["year"], r["rank"]): i for i, r in enumerate(rows) if r["rank"] is not None}
    u = _Union()
    for k in keys:
        u.find(k)
    renames: list[tuple[int, int, str]] = []
    mergers: list[tuple[int, int, str]] = []
    for i, r in enumerate(rows):
        j = ranked.get((r["year"] - 1, r["rank_prev"])) if r["rank"] is not None else None
        if j is None or keys[i] == keys[j]:
            continue
        note = " ".join(notes.get((r["year"], m), "") for m in (r["notes"] or "").split(","))
        if _MERGER_NOTE.search(note):
            mergers.append((i, j, note.strip()))
        elif (
            r["arms_sales_prev"] is not None
            and r["arms_sales_prev"] == rows[j]["arms_sales"]
            and keys[j] not in names_in[r["year"]]
            and keys[i] not in names_in[r["year"] - 1]
        ):
            renames.append(
                (
                    i,
                    j,
                    f"rank {r['year'] - 1} = {r['rank_prev']} and arms sales "
                    f"{r['arms_sales_prev']:g} match {rows[j]['company']!r}",
                )
            )
    first = {k: i for i, k in reversed(list(enumerate(keys)))}
    for (old, new), why in KNOWN_RENAMES.items():
        a, b = first.get(normalise(old)), first.get(normalise(new))
        if a is not None and b is not None:
            renames.append((b, a, f"reviewed: {why}"))
    for i, j, _ in renames:
        u.join(keys[j], keys[i])
    newest: dict[str, tuple[int, str]] = {}
    for r, k in zip(rows, keys, strict=True):
        root = u.find(k)
        name = own_name(r["company"], r["subsidiary"])[0]
        if root not in newest or r["year"] > newest[root][0]:
            newest[root] = (r["year"], name)
    ids = [slug(newest[u.find(k)][1]) for k in keys]
    links = [Link(ids[i], ids[j], rows[j]["company"], rows[i]["year"], "renamed", ev) for i, j, ev in renames]
    links += [
        Link(ids[i], ids[j], rows[j]["company"], rows[i]["year"], "acquired_or_merged", ev)
        for i, j, ev in mergers
    ]
    return ids, links


def country_id(name: str | None, *, file: str, line: int, column: str) -> str | None:
    """Entity id of a headquarters country through the reviewed register; None if multinational."""
    if name is None or name in MULTINATIONAL:
        return None
    reg = load_register()
    for source in COUNTRY_SOURCES:
        try:
            return reg.resolve(name, source)
        except UnknownEntityError:
            continue
    raise UnknownEntityError(
        f"Headquarters country {name!r} is not in the entity register",
        file=file,
        line=line,
        column=column,
        value=name,
        hint="add it to the register (aliases.csv via tools/build_entities.py) "
        "or to MULTINATIONAL in store/industry_identity.py after review",
    )
