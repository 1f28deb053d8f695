"""Counts of partner states: 'delivered major arms to 107 countries', 'at least 30 states supplied
military aid to Ukraine'. Exports reach is the number of recipient states of a supplier in the
period; supplier count the number of states that delivered to a recipient."""

from __future__ import annotations

import re

from armatlas.analysis.periods import Period
from armatlas.claims.extract import SentenceView
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.reader import headline, sentence_topic

E = r"⟦e(\d+)⟧"
_VERB = r"(?:export\w*|deliver\w*|suppl(?:y|ies|ied)|sold|sells?|transferred|sent)"
_STATES = r"(?:countries|states|recipients|nations|clients|customers)"


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
        rf"(?P<rel>at least |more than |over |some )?⟦k(?P<k>\d+)⟧ (?:states|countries) (?:have |had )?"
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
        since = re.search(r"(?:from|since) (?:\w+ )?((?:19|20)\d{2})\b(?!⟧)", t[m.end() : m.end() + 40])
        head = headline(v) or (v.article.headline_before(v.sentence.index) or (None, ""))[0]
        if since and head is not None and int(since.group(1)) <= head.end:
            c.periods, c.period_source = [Period(int(since.group(1)), head.end)], "sentence"
