"""Sentence splitting that keeps character offsets into the article body."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations whose full stop does not end a sentence ("the U.S. accounted for ...").
_ABBREV = re.compile(
    r"(?:(?:^|\s)[A-Z]\.|\b(?:U\.S|U\.K|U\.N|U\.S\.A|Mr|Mrs|Ms|Dr|Prof|St|No|vs|e\.g|i\.e|etc|Inc|Ltd|Co|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.)$"
)
# A sentence ends at . ! ? (optionally followed by a closing quote) and whitespace, when
# the next character can start a sentence.
_END = re.compile(r"[.!?][\"”’)]?(?=\s+[\"“‘(]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


def _pieces(body: str) -> list[tuple[int, int]]:
    """Paragraph lines first (headlines have no full stop), then sentence ends inside them."""
    out: list[tuple[int, int]] = []
    for para in re.finditer(r"[^\n]+", body):
        start = para.start()
        for m in _END.finditer(para.group(0)):
            cut = para.start() + m.end()
            if _ABBREV.search(body[start:cut]):
                continue
            out.append((start, cut))
            start = cut
        out.append((start, para.end()))
    return out


def split_sentences(body: str) -> list[Sentence]:
    """Non-empty sentences, whitespace trimmed, offsets into `body`."""
    sents: list[Sentence] = []
    for a, b in _pieces(body):
        while a < b and body[a].isspace():
            a += 1
        while b > a and body[b - 1].isspace():
            b -= 1
        if b > a:
            sents.append(Sentence(len(sents), a, b, body[a:b]))
    return sents
