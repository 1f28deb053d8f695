"""From an article to claims: sentences, mentions, periods, numbers, then the claim rules.

Each sentence is turned into a template in which every mention, period and number is a
marker (⟦e0⟧ entity, ⟦p0⟧ period, ⟦n0⟧ percent, ⟦k0⟧ count, ⟦o0⟧ ordinal, ⟦m0⟧ money), so
that the rules (`rules.py` and the readers it calls) are regular expressions over its structure.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from armatlas.analysis.periods import Period
from armatlas.claims.article import Article
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.mentions import REGION_PREFIX, Mention, find_mentions
from armatlas.claims.numbers import NumberMention, find_numbers
from armatlas.claims.sentences import Sentence, split_sentences
from armatlas.claims.timeexpr import PeriodMention, article_period, find_periods

_CODE = {"percent": "n", "count": "k", "ordinal": "o", "money": "m", "factor": "f", "multiple": "x"}


@dataclass
class Claim:
    """One checkable (or explicitly uncheckable) statement, located in the article."""

    kind: ClaimKind
    sentence_index: int
    start: int  # character span in the article body
    end: int
    subject: list[str] = field(default_factory=list)  # entity ids (several for combined claims)
    partner: str | None = None  # supplier, recipient or counterpart, by kind
    direction: str | None = None  # import / export
    periods: list[Period] = field(default_factory=list)  # oldest first
    period_source: str = "none"  # sentence, relative, article, previous claim, none
    value: float | None = None  # per cent (51.0), signed per-cent change, or a rank
    relation: str = (
        "eq"  # eq, lt, gt (share below/above value), top_n, not_top_n, ordered (subject is a list)
    )
    scope: str | None = None  # rank: world, supplier_of, recipient_of
    topics: list[str] = field(default_factory=list)  # out_of_scope: money, jobs, grenades, ...
    text: str = ""
    notes: list[str] = field(default_factory=list)
    sentence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "sentence_index": self.sentence_index,
            "span": [self.start, self.end],
            "sentence": self.sentence,
            "subject": self.subject,
            "partner": self.partner,
            "direction": self.direction,
            "periods": [p.label for p in self.periods],
            "period_source": self.period_source,
            "value": self.value,
            "relation": self.relation,
            "scope": self.scope,
            "topics": self.topics,
            "text": self.text,
            "notes": self.notes,
        }


@dataclass
class SentenceView:
    """A sentence with its markers; `item(i)` gives the mention, period or number behind ⟦xi⟧."""

    sentence: Sentence
    items: list[Mention | PeriodMention | NumberMention]
    template: str
    article: ArticleContext
    claims: list[Claim] = field(default_factory=list)

    def item(self, i: int | str) -> Any:
        return self.items[int(i)]

    def entity(self, i: int | str) -> str:
        return self.items[int(i)].entity_id  # type: ignore[union-attr]

    def entities(self) -> list[tuple[int, Mention]]:
        return [(i, it) for i, it in enumerate(self.items) if isinstance(it, Mention)]

    def ranges(self) -> list[Period]:
        """Periods named in the sentence (not 'since' reference points), oldest first, deduplicated."""
        ps = {
            it.period
            for it in self.items
            if isinstance(it, PeriodMention) and it.kind in ("range", "relative")
        }
        return sorted(ps)

    def add(self, kind: ClaimKind, pieces: list[int], **kw: Any) -> Claim:
        """A claim spanning the items `pieces` (indices), in body coordinates."""
        spans = [(self.items[i].start, self.items[i].end) for i in pieces] or [(0, len(self.sentence.text))]
        a = self.sentence.start + min(s for s, _ in spans)
        b = self.sentence.start + max(e for _, e in spans)
        c = Claim(kind, self.sentence.index, a, b, **kw)
        c.text = self.article.article.body[a:b]
        c.sentence = self.sentence.text
        self.claims.append(c)
        return c


@dataclass
class ArticleContext:
    """What every sentence can fall back on: the article's main entity and period."""

    article: Article
    main_entity: str | None
    period: Period | None
    period_note: str
    sentences: list[Sentence]
    views: list[SentenceView] = field(default_factory=list)
    headlines: list[Period | None] = field(default_factory=list)  # each sentence's own period
    segments: list[int] = field(default_factory=list)  # article number of each sentence (concatenations)
    milex_year: int | None = None  # the year the last spending figure was about
    milex_segment: int = 0
    last_whole: tuple[str, str | None] | None = None  # the whole (and direction) of the last share read
    dates: list[tuple[Any, int | None]] = field(
        default_factory=list
    )  # (date, year) each sentence was published

    def published(self, i: int) -> tuple[Any, int | None]:
        """Publication (date, year) of the article sentence i belongs to (concatenations carry headers)."""
        return self.dates[i] if self.dates else (self.article.published, self.article.published_year)

    def segment_entity(self, i: int) -> str | None:
        """The main country of the article sentence i belongs to (a concatenation's own, not the whole's)."""
        seg = self.segments[i] if self.segments else 0
        views = [w for j, w in enumerate(self.views) if not self.segments or self.segments[j] == seg]
        return _main_entity([m for w in views for _, m in w.entities()]) if views else self.main_entity

    def headline_before(self, i: int) -> tuple[Period, str] | None:
        """The period a sentence without one inherits: the nearest earlier sentence's headline in
        the same article, else the next one's (a lead that names its period later), else none."""
        seg = self.segments[i] if self.segments else 0
        for j in range(i - 1, -1, -1):
            if self.segments and self.segments[j] != seg:
                break
            if self.headlines[j] is not None:
                return self.headlines[j], f"inherited from sentence {j}"  # type: ignore[return-value]
        for j in range(i + 1, len(self.headlines)):
            if self.segments and self.segments[j] != seg:
                break
            if self.headlines[j] is not None:
                return self.headlines[j], f"named later, in sentence {j}"  # type: ignore[return-value]
        if self.period is not None:
            return self.period, self.period_note
        return None


# U+02BC (modifier letter apostrophe) stands for the apostrophe on some pages ("the worldʼs arms
# imports", "Franceʼs share"); one character for one, so every span stays where it was.
_APOSTROPHES = str.maketrans({"ʼ": "’"})


def _template(text: str, items: list[Any]) -> str:
    text = text.translate(_APOSTROPHES)
    out, pos = [], 0
    for i, it in enumerate(items):
        out.append(text[pos : it.start])
        code = "e" if isinstance(it, Mention) else "p" if isinstance(it, PeriodMention) else _CODE[it.kind]
        out.append(f"⟦{code}{i}⟧")
        pos = it.end
        if code == "e" and it.possessive and text[pos : pos + 1] in "'’" and text[pos + 1 : pos + 2] != "s":
            out.append("'s")  # "the United States' share" reads as "⟦e0⟧'s share"
            pos += 1
    out.append(text[pos:])
    return _DESCRIBED.sub("the country", "".join(out).replace("’", "'").lower())


# "The Kingdom's imports", "the Gulf country's main suppliers", "the Asian nation": a country named
# by what it is reads like "the country" (the topic); never an ordinal or superlative ("the second
# country purchasing arms from Israel" is a rank), never a plural ("the Gulf states").
_DESCRIBED = re.compile(
    r"\bthe (?:(?:[a-z]+(?:an|ese|ish|ic|i)|gulf|island|oil-rich|landlocked|nordic|baltic|balkan) ){1,2}"
    r"(?:country|nation|kingdom|emirate|republic|state)\b(?!s\b)(?!-)|\bthe (?:kingdom|emirate)\b(?!s\b)"
)


def _items(text: str, year: int | None) -> list[Any]:
    text = text.translate(_APOSTROPHES)
    periods = find_periods(text, year)
    mentions = [
        m
        for m in find_mentions(text)
        if not any(p.start <= m.start < p.end for p in periods) and text[m.end : m.end + 1] != "$"
    ]  # "US$8.4 billion": a currency, not the United States
    taken = [(p.start, p.end) for p in periods] + [(m.start, m.end) for m in mentions]
    numbers = find_numbers(text, taken)
    return sorted([*periods, *mentions, *numbers], key=lambda it: it.start)


def _main_entity(mentions: list[Mention]) -> str | None:
    """The country the article is about: mentioned most often (first mention breaks ties)."""
    counts = Counter(m.entity_id for m in mentions if not m.entity_id.startswith(REGION_PREFIX))
    if not counts:
        return None
    first: dict[str, int] = {}
    for i, m in enumerate(mentions):
        first.setdefault(m.entity_id, i)
    return max(counts, key=lambda e: (counts[e], -first[e]))


def extract_claims(article: Article) -> tuple[list[Claim], ArticleContext]:
    """Every claim in the article, in reading order, with the context used to read them."""
    from armatlas.claims import rules

    sents = split_sentences(article.body)
    year = article.published_year
    dates = _segment_dates(article, sents)
    per_sentence = [_items(s.text, d[1]) for s, d in zip(sents, dates, strict=True)]
    all_periods = [it for items in per_sentence for it in items if isinstance(it, PeriodMention)]
    all_mentions = [it for items in per_sentence for it in items if isinstance(it, Mention)]
    period, note = article_period(all_periods, year)
    ctx = ArticleContext(article, _main_entity(all_mentions), period, note, sents, dates=dates)
    from armatlas.claims.reader import headline

    views = [
        SentenceView(s, items, _template(s.text, items), ctx)
        for s, items in zip(sents, per_sentence, strict=True)
    ]
    ctx.headlines = [headline(w) if not _is_header(w) else None for w in views]
    seg, prev_header = 0, True
    for w in views:
        h = _is_header(w)
        seg += 1 if h and not prev_header else 0
        prev_header = h
        ctx.segments.append(seg)
        ctx.views.append(w)
    claims: list[Claim] = []
    for view in views:
        if not _is_header(view):
            rules.apply_all(view)
            _fill_periods(view)
        claims.extend(_dedupe(view.claims))
    return claims, ctx


def _segment_dates(article: Article, sents: list[Sentence]) -> list[tuple[Any, int | None]]:
    """Each sentence's publication date: the article's, or a later 'Published:' line's in a concatenation."""
    from armatlas.claims.article import parse_published

    cur: tuple[Any, int | None] = (article.published, article.published_year)
    out = []
    for s in sents:
        m = re.match(r"(?i)(?:published|date):\s*(.*)$", s.text)
        if m:
            d, y = parse_published(m.group(1))
            if y is not None:
                cur = (d, y)
        out.append(cur)
    return out


def _is_header(view: SentenceView) -> bool:
    """Header lines of a further article in a concatenation ('Title: ...', 'Published: ...')."""
    return bool(re.match(r"(?i)(?:title|source|published|date|url):", view.sentence.text))


def _fill_periods(view: SentenceView) -> None:
    """Claims without a period take the sentence's, else the article's (and say which)."""
    ctx = view.article
    for c in view.claims:
        if c.periods or c.kind == ClaimKind.OUT_OF_SCOPE:
            continue
        ranges = view.ranges()
        inherited = ctx.headline_before(view.sentence.index)
        head = ctx.headlines[view.sentence.index] if ctx.headlines else None
        if c.kind == ClaimKind.CHANGE and ranges:
            c.periods, c.period_source = ranges[-2:], "sentence"
        elif head is not None:  # the sentence's own period, not a comparison point ('up from 103 in 2014-18')
            c.periods, c.period_source = [head], "sentence"
        elif inherited is not None:
            c.periods = [inherited[0]]
            c.period_source = "inherited"
            c.notes.append(f"period not in the sentence; {inherited[1]} ({inherited[0].label})")
        if c.kind == ClaimKind.CHANGE and len(c.periods) == 1:
            c.periods = [c.periods[0].previous(), c.periods[0]]
            c.notes.append(f"comparison period taken as the {c.periods[1].length} years before")


def _dedupe(claims: list[Claim]) -> list[Claim]:
    seen, out = set(), []
    for c in claims:
        key = (
            c.kind,
            tuple(c.subject),
            c.partner,
            c.value,
            tuple(c.periods),
            c.relation,
            c.scope,
            c.direction,
        )
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out
