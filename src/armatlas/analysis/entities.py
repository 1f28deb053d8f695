"""Turn user-typed country names into entity ids, once, at the edge of the analyses."""

from __future__ import annotations

from collections.abc import Sequence

from armatlas.entities.register import Entity, load_register


def entity(query: str) -> Entity:
    """Any name, alias or ISO3 ('Turkey', 'USA', 'aze'); UnknownCountryError with suggestions."""
    return load_register().find(query)


def entity_ids(queries: str | Sequence[str]) -> list[str]:
    qs = [queries] if isinstance(queries, str) else list(queries)
    return [entity(q).entity_id for q in qs]
