"""Counts of partner states: 'delivered major arms to 107 countries', 'at least 30 states supplied
military aid to Ukraine', 'the number of its export destinations, which stood at 12 in 2023 against 31
in 2019', 'it received arms from over 30 states'. Exports reach is the number of recipient states of a
supplier in the period; supplier count the number of states that delivered to a recipient."""

from __future__ import annotations

import re

from armatlas.analysis.periods import Period
from armatlas.claims.extract import SentenceView
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.reader import headline, marker_entity, periods_for, sentence_topic

E = r"⟦e(\d+)⟧"
_VERB = r"(?:export\w*|deliver\w*|suppl(?:y|ies|ied)|sold|sells?|transferred|sent)"
_STATES = r"(?:countries|states|recipients|nations|clients|customers)"
# "the number of its export destinations", "the number of customer countries", "Russia's number of clients"
_NUMBER_OF = re.compile(
    r"\bnumber of (?P<pro>its |their )?(?:(?:export|recipient|customer|client|importing) )?"
    r"(?:destinations|countries|states|recipients|customers|clients|markets|buyers)\b"
)


def _year(name: str) -> str:
    return rf"(?:in (?P<{name}>(?:19|20)\d{{2}})\b(?!⟧))"


# "which stood at 12 in 2023 against 31 in 2019", "increased from 41 to 53 countries"
_LEVELS = re.compile(
    rf"\bfrom (?:\w+ )?⟦k(?P<a>\d+)⟧(?: \w+)?(?: {_year('ya')})? to ⟦k(?P<b>\d+)⟧(?: \w+)?(?: {_year('yb')})?|"
    rf"\b(?:stood at|was|were|reached|totall?ed|fell to|rose to|dropped to|amounted to) ⟦k(?P<c>\d+)⟧(?: {_year('yc')})?"
    rf"(?:,? (?:against|compared (?:to|with)|versus|vs\.?|down from|up from|from) ⟦k(?P<d>\d+)⟧(?: {_year('yd')})?)?"
)
# "..., in 2023 it supplied only 12": the count repeated for another year with its noun elided
_ELIDED = re.compile(
    rf"\b(?:it|they) (?:\w+ )?{_VERB} (?:arms |weapons )?(?:to )?(?:only |just )?⟦k(\d+)⟧(?! ?%| per)"
)
# "it received transfers of major arms from over 30 states"
_FROM_STATES = re.compile(
    r"\b(?:received|receiving|imported|importing|bought|got|obtained)\b[^.;⟦]{0,50}? from "
    r"(?P<rel>at least |more than |over |some )?⟦k(?P<k>\d+)⟧ (?:states|countries|suppliers)\b"
)


def _year_period(v: SentenceView, pos: int) -> Period | None:
    """'in 2019, Russia supplied arms to 31 states': a single year in the clause before or just after."""
    t = v.template
    before = list(re.finditer(r"\bin ((?:19|20)\d{2})\b(?!⟧)", t[max(0, pos - 80) : pos]))
    after = list(re.finditer(r"\bin ((?:19|20)\d{2})\b(?!⟧)", t[pos : pos + 40]))
    m = before[-1] if before else after[0] if after else None
    return Period(int(m.group(1)), int(m.group(1))) if m else None


def read_counts(v: SentenceView) -> None:
    t = v.template
    for m in re.finditer(
        rf"\b{_VERB}\b[^.;⟦]{{0,40}}? to (?:some |about |around |more than |over |at least )?⟦k(\d+)⟧ {_STATES}",
        t,
    ):
        before = [x for x in re.finditer(rf"{E}(?:'s)?", t[: m.start()])]
        subj = v.entity(before[-1].group(1)) if before else sentence_topic(v, m.start())
        if subj is None:
            continue
        c = v.add(
            ClaimKind.EXPORTS_REACH,
            [int(m.group(1))],
            subject=[subj],
            direction="export",
            value=v.item(m.group(1)).value,
        )
        p = _year_period(v, m.start())
        if p is not None:
            c.periods, c.period_source = [p], "sentence"
    for m in re.finditer(
        rf"(?P<rel>at least |more than |over |some )?⟦k(?P<k>\d+)⟧ (?:states|countries) (?:that |which |who )?(?:have |had )?"
        rf"(?:supplied|delivered|sent|provided|donated)[^.;]{{0,50}}? to {E}",
        t,
    ):
        c = v.add(
            ClaimKind.SUPPLIER_COUNT,
            [int(m.group("k")), int(m.group(3))],
            subject=[v.entity(m.group(3))],
            value=v.item(m.group("k")).value,
            relation="gte" if m.group("rel") else "eq",
        )
        if y := re.match(
            r"^ in ((?:19|20)\d{2})\b(?!⟧)", t[m.end() :]
        ):  # "29 states that supplied arms to Ukraine in 2022"
            c.periods, c.period_source = [Period(int(y.group(1)), int(y.group(1)))], "sentence"
        since = re.search(r"(?:from|since) (?:\w+ )?((?:19|20)\d{2})\b(?!⟧)", t[m.end() : m.end() + 40])
        head = headline(v) or (v.article.headline_before(v.sentence.index) or (None, ""))[0]
        if since and head is not None and int(since.group(1)) <= head.end:
            c.periods, c.period_source = [Period(int(since.group(1)), head.end)], "sentence"
    if "⟦k" in t:
        _read_count_levels(v, t)
    for m in _RANKED_REACH.finditer(t):  # "France as the second largest arms exporter (9.6%, 65 countries)"
        c = v.add(
            ClaimKind.EXPORTS_REACH,
            [int(m.group(1)), int(m.group("k"))],
            subject=[v.entity(m.group(1))],
            direction="export",
            value=v.item(m.group("k")).value,
        )
        c.periods, c.period_source = periods_for(v, False, None)


# An exporter's ranking, then its figures in brackets: share and number of recipient states
_RANKED_REACH = re.compile(
    rf"{E} (?:as|is|was|remains|remained) (?:the )?(?:⟦o\d+⟧[- ])?(?:largest|biggest|leading|top) (?:arms )?"
    rf"(?:exporter|supplier|seller)(?: in the world| globally)? \((?:⟦n\d+⟧, )?⟦k(?P<k>\d+)⟧ (?:countries|states|recipients)\)"
)


def _read_count_levels(v: SentenceView, t: str) -> None:
    """Counts stated as levels of 'the number of ... destinations', elided repeats, and 'from N states'."""
    if n := _NUMBER_OF.search(t):
        before = [
            x
            for x in re.finditer(rf"{E}(?:'s)?", t[: n.start()])
            if not v.entity(x.group(1)).startswith("region:")
        ]
        subj = (
            marker_entity(v, "its", n.start())
            if n.group("pro")
            else (v.entity(before[-1].group(1)) if before else sentence_topic(v, n.start()))
        )
        for m in _LEVELS.finditer(t, n.end()):
            if subj is None or subj == "WORLD":
                break
            pairs = [(m.group(x), m.group("y" + x)) for x in ("ab" if m.group("a") else "cd")]
            ps, _ = periods_for(v, True, None)
            for k, (idx, year) in enumerate(pairs):
                if idx is None:
                    continue
                c = v.add(
                    ClaimKind.EXPORTS_REACH,
                    [int(idx)],
                    subject=[subj],
                    direction="export",
                    value=v.item(idx).value,
                )
                if year:
                    c.periods, c.period_source = [Period(int(year), int(year))], "sentence"
                elif m.group("a") and len(ps) == 2:
                    c.periods, c.period_source = [ps[k]], "a change between the sentence's periods"
            break
    reach = [c for c in v.claims if c.kind == ClaimKind.EXPORTS_REACH]
    if reach:
        for m in _ELIDED.finditer(t):
            at = v.sentence.start + v.item(m.group(1)).start
            if any(c.start <= at < c.end for c in reach):
                continue
            c = v.add(
                ClaimKind.EXPORTS_REACH,
                [int(m.group(1))],
                subject=list(reach[-1].subject),
                direction="export",
                value=v.item(m.group(1)).value,
            )
            p = _year_period(v, m.start())
            if p is not None:
                c.periods, c.period_source = [p], "sentence"
    for m in _FROM_STATES.finditer(t):
        before = [x for x in re.finditer(rf"{E}(?:'s)?", t[: m.start()])]
        subj = v.entity(before[-1].group(1)) if before else sentence_topic(v, m.start())
        if subj is None or subj.startswith("region:"):
            continue
        c = v.add(
            ClaimKind.SUPPLIER_COUNT,
            [int(m.group("k"))],
            subject=[subj],
            value=v.item(m.group("k")).value,
            relation="gte" if m.group("rel") else "eq",
        )
