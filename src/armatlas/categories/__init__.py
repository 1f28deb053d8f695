"""Weapon category register: every SIPRI weapon description mapped to one of twelve categories."""

from armatlas.categories.mapping import (
    CATEGORIES,
    canonical_category,
    categorise,
    load_descriptions,
    normalise_description,
)

__all__ = [
    "CATEGORIES",
    "canonical_category",
    "categorise",
    "load_descriptions",
    "normalise_description",
]
