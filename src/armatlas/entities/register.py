"""The reviewed entity register: every source's names mapped to canonical entities.

Two doors, on purpose:
- `resolve(name, source)` is for parsers: an exact, per-source alias lookup. A name nobody
  reviewed is an error, never a guess.
- `find(query)` is for people: case-, accent- and punctuation-insensitive lookup of an id,
  display name, ISO3 code or any alias. Near misses get suggestions, never an automatic match.

The data live in entities.csv and aliases.csv beside this module, built and checked by
tools/build_entities.py from the publishers' files plus written-down hand decisions.
"""

from __future__ import annotations

import csv
import difflib
import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from armatlas.entities._normalise import normalise
from armatlas.errors import UnknownCountryError, UnknownEntityError

SOURCES = ("sipri_at", "sipri_milex", "worldbank", "bicc_gmi", "common")
KINDS = ("state", "historic_state", "territory", "non_state", "intl_org", "unknown")
HINT = "add it to src/armatlas/entities/aliases.csv after review"


@dataclass(frozen=True)
class Entity:
    """One canonical party: a state, historic state, territory, armed group, org or 'unknown'."""

    entity_id: str
    name: str
    iso3: str | None
    kind: str
    region: str | None
    subregion: str | None
    first_year: int | None
    last_year: int | None
    successor_id: str | None


class EntityRegister:
    """Lookups over the reviewed entities and their per-source aliases."""

    def __init__(self, entities: list[Entity], aliases: list[tuple[str, str, str]]) -> None:
        self._entities = {e.entity_id: e for e in entities}
        self._aliases = list(aliases)
        self._by_source: dict[str, dict[str, str]] = {s: {} for s in SOURCES}
        for source, alias, eid in aliases:
            self._by_source[source][alias] = eid
        # Every spelling a person might type, normalised; a key naming two entities is
        # ambiguous and answers with suggestions (the generator refuses to produce any).
        self._keys: dict[str, set[str]] = {}
        for e in entities:
            for k in (e.entity_id, e.name, e.iso3):
                if k:
                    self._keys.setdefault(normalise(k), set()).add(e.entity_id)
        for _, alias, eid in aliases:
            self._keys.setdefault(normalise(alias), set()).add(eid)

    def resolve(
        self,
        name: str,
        source: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> str:
        """Entity id of a name exactly as a source writes it (surrounding whitespace ignored)."""
        if source not in self._by_source:
            raise ValueError(f"unknown alias source {source!r}; expected one of {SOURCES}")
        eid = self._by_source[source].get(name.strip())
        if eid is None:
            raise UnknownEntityError(
                f"Name {name.strip()!r} is not in the entity register for source {source!r}",
                file=file,
                line=line,
                column=column,
                value=name,
                hint=HINT,
            )
        return eid

    def knows(self, name: str, source: str) -> bool:
        """Whether `resolve(name, source)` would answer (a reviewed alias of that source)."""
        return name.strip() in self._by_source.get(source, {})

    def find(self, query: str) -> Entity:
        """The entity a person means by an id, name, ISO3 code or alias, in any case or accent."""
        ids = self._keys.get(normalise(query), set())
        if len(ids) == 1:
            return self._entities[next(iter(ids))]
        if ids:  # ambiguous: name the candidates, choose none
            raise UnknownCountryError(query, sorted(self._entities[i].name for i in ids)[:5])
        raise UnknownCountryError(query, self._suggest(query))

    def _suggest(self, query: str) -> list[str]:
        """Up to five display names with keys close to the query (difflib), then containing it."""
        q = normalise(query)
        close = difflib.get_close_matches(q, list(self._keys), n=15, cutoff=0.75)
        if len(q) >= 3:
            close += sorted(k for k in self._keys if q in k)
        names: list[str] = []
        for key in close:
            for eid in sorted(self._keys[key]):
                name = self._entities[eid].name
                if name not in names:
                    names.append(name)
        return names[:5]

    def search(self, query: str | None = None) -> list[Entity]:
        """Entities whose id, name, ISO3 or any alias contains the query; all when None."""
        if query is None or not normalise(query):
            return self.all()
        q = normalise(query)
        hits = {eid for key, ids in self._keys.items() if q in key for eid in ids}
        return sorted((self._entities[i] for i in hits), key=lambda e: e.name.casefold())

    def get(self, entity_id: str) -> Entity:
        """The entity with this exact id."""
        try:
            return self._entities[entity_id]
        except KeyError:
            raise UnknownCountryError(entity_id, self._suggest(entity_id)) from None

    def all(self) -> list[Entity]:
        """Every entity, sorted by display name."""
        return sorted(self._entities.values(), key=lambda e: e.name.casefold())

    def continuity(self, entity_id: str) -> str:
        """Last successor of a historic state (soviet-union -> russia); only for the explicit option."""
        seen = [entity_id]
        current = self.get(entity_id)
        while current.successor_id and current.successor_id not in seen:
            seen.append(current.successor_id)
            current = self.get(current.successor_id)
        return current.entity_id

    def alias_rows(self) -> list[tuple[str, str, str]]:
        """(source, alias, entity_id) rows, for the store's entity_alias table."""
        return list(self._aliases)


def _int(text: str) -> int | None:
    return int(text) if text else None


def read_entities(text: str) -> list[Entity]:
    """Parse entities.csv; empty cells become None."""
    out = []
    for r in csv.DictReader(text.splitlines()):
        out.append(
            Entity(
                entity_id=r["entity_id"],
                name=r["name"],
                iso3=r["iso3"] or None,
                kind=r["kind"],
                region=r["region"] or None,
                subregion=r["subregion"] or None,
                first_year=_int(r["first_year"]),
                last_year=_int(r["last_year"]),
                successor_id=r["successor_id"] or None,
            )
        )
    return out


def read_aliases(text: str) -> list[tuple[str, str, str]]:
    """Parse aliases.csv into (source, alias, entity_id) rows."""
    return [(r["source"], r["alias"], r["entity_id"]) for r in csv.DictReader(text.splitlines())]


@functools.cache
def load_register() -> EntityRegister:
    """The packaged register, read once per process."""
    pkg = resources.files("armatlas.entities")
    entities = read_entities((pkg / "entities.csv").read_text(encoding="utf-8"))
    aliases = read_aliases((pkg / "aliases.csv").read_text(encoding="utf-8"))
    return EntityRegister(entities, aliases)
