"""Qualitative claims the data can still test: reach, dependence, partners, sell-offs, budgets."""

from __future__ import annotations

import re

from armatlas.claims.extract import SentenceView
from armatlas.claims.kinds import ClaimKind, is_milex
from armatlas.claims.mentions import REGION_PREFIX

E = r"⟦e(\d+)⟧"


def _subject(v: SentenceView, pos: int | None = None) -> tuple[str | None, bool]:
    """The sentence's country (possessive first, else nearest before pos), else the article's."""
    ents = [(i, m) for i, m in v.entities() if not m.entity_id.startswith(REGION_PREFIX)]
    if pos is not None:
        before = [(i, m) for i, m in ents if v.template.index(f"⟦e{i}⟧") < pos]
        poss = [(i, m) for i, m in before if m.possessive]
        if poss:
            return poss[-1][1].entity_id, False
        if before:
            return before[-1][1].entity_id, False
    return v.article.main_entity, True


def _add(
    v: SentenceView, kind: ClaimKind, pos: int | None, pieces: list[int] | None = None, **kw: object
) -> None:
    subj, fallback = _subject(v, pos)
    if subj is None:
        return
    c = v.add(kind, pieces or [], subject=[subj], **kw)
    if fallback:
        c.notes.append("no country in the sentence; read as the article's main country")


def qual_rules(v: SentenceView) -> None:
    t = v.template
    if not any(c.kind == ClaimKind.EXPORTS_REACH for c in v.claims) and (
        m := re.search(
            r"\bexport\w*[^.;]*? to (many|several|numerous|dozens of|a number of|⟦k\d+⟧) countries", t
        )
    ):
        k = re.match(r"⟦k(\d+)⟧", m.group(1))
        _add(
            v,
            ClaimKind.EXPORTS_REACH,
            m.start(),
            direction="export",
            value=v.item(k.group(1)).value if k else None,
            relation="eq" if k else "many",
        )
    if (
        m := re.search(
            r"(?:reduc|lower|decreas|cut|end)\w*[^.;]*?dependen\w* on (?:foreign|external|western|imported|outside)",
            t,
        )
    ) and not re.search(r"⟦n\d+⟧", t):
        _add(v, ClaimKind.DEPENDENCE, m.end(), direction="import", relation="falling")
    if m := re.search(
        rf"(?:partnerships?|collaborations?|cooperation|alliances?) with (?:countries (?:like|such as) )?"
        rf"((?:{E}(?:, | and |, and )?)+)",
        t,
    ):
        ids = re.findall(r"⟦e(\d+)⟧", m.group(1))
        partners = [v.entity(i) for i in ids]
        subj, fallback = _subject(v, m.start())
        if subj in partners:
            subj, fallback = v.article.main_entity, True
        for i, p in zip(ids, partners, strict=True):
            if subj and p != subj:
                c = v.add(ClaimKind.PARTNERSHIP, [int(i)], subject=[subj], partner=p)
                if fallback:
                    c.notes.append("no country before the list; read as the article's main country")
    if m := re.search(
        r"\b(?:sell|sold|selling)\w*(?: off)?[^.;]*?\b(?:inherited|soviet-era|surplus|second-hand|used)\b", t
    ):
        _add(v, ClaimKind.SECOND_HAND_EXPORTS, m.start(), direction="export")
        sold = v.claims[-1] if v.claims and v.claims[-1].kind == ClaimKind.SECOND_HAND_EXPORTS else None
        if sold and not v.ranges():
            prev = [
                x
                for w in v.article.views[:-1]
                for x in w.claims
                if x.kind == ClaimKind.SECOND_HAND_EXPORTS and x.subject == sold.subject and x.periods
            ]
            if prev:
                sold.periods, sold.period_source = list(prev[-1].periods), "previous claim"
    if any(is_milex(c.kind) for c in v.claims):
        return  # the figures of the sentence are checked as spending claims
    if re.search(
        r"(?:increase|rise|rising|growth|growing|higher)\w* (?:in |of )?(?:the )?(?:military|defen[cs]e) "
        r"(?:budgets?|spending|expenditure)|(?:military|defen[cs]e) (?:budgets?|spending|expenditure) "
        r"(?:has |have )?(?:rose|risen|increased|grew|grown)",
        t,
    ):
        _add(v, ClaimKind.MILITARY_BUDGET, None, relation="rising")
