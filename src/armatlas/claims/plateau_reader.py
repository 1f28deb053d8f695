"""Trends said without a figure: "has levelled off", "remained at roughly the same level",
"was stable" — a change of about zero, checked like any change of the flow the sentence names."""

from __future__ import annotations

import re

from armatlas.analysis.periods import Period
from armatlas.claims.extract import SentenceView
from armatlas.claims.kinds import ClaimKind

# The verb phrases journalists use for a flat five-year comparison.
_PLATEAU = re.compile(
    r"\b(?:has |have |had )?(?:levell?ed off|plateau(?:ed|s)?|flat-?lined|stagnated)\b|"
    r"\b(?:remained|remains|stayed|stays|was|were|is|are|held) (?:at )?(?:roughly |about |largely |broadly |"
    r"relatively |virtually |essentially |more or less )?(?:the same(?: level)?|stable|steady|flat|unchanged|"
    r"level)\b"
)


def read_plateaus(v: SentenceView) -> None:
    """One change claim (value 0, relation 'stable') per flat-trend phrase whose flow is named before it."""
    from armatlas.claims.reader import change_periods, flow_phrase, headline

    t = v.template
    for m in _PLATEAU.finditer(t):
        cuts = [
            x.end()
            for x in re.finditer(r";|\b(?:while|whereas|but|even though|although|though)\b", t[: m.start()])
        ]
        start = cuts[-1] if cuts else 0  # "... rose by a quarter even though sales globally remained stable"
        if re.search(r"⟦[nf]\d+⟧", t[start : m.start()]):
            return  # a figure before the phrase in its clause: the reader has the change (or the level)
        fl = flow_phrase(v, t[start : m.start()], m.start())
        if fl is None or fl[0] is None:
            continue
        owner, partner, direction = fl
        ps, src = change_periods(v, t, m.end())
        if (base := re.match(r"^ as (?:in|during) ⟦p(\d+)⟧", t[m.end() :])) and (
            now := headline(v) or _inherited(v)
        ):  # "remained at roughly the same level as in 2015–19": compared with that period
            ps, src = [v.item(base.group(1)).period, now], "compared with the period named"
        if len(ps) != 2:
            continue
        world = owner == "world"
        c = v.add(
            ClaimKind.WORLD_CHANGE if world else ClaimKind.CHANGE,
            [],
            subject=["WORLD" if world else owner],
            partner=partner,
            direction=None if world else direction,
            value=0.0,
            relation="stable",
        )
        c.start, c.end = v.sentence.start + _offset(v, m.start()), v.sentence.start + _offset(v, m.end())
        c.text = v.sentence.text[_offset(v, m.start()) : _offset(v, m.end())]
        c.periods, c.period_source = ps, src
        c.notes.append("a flat trend: read as a change of about zero")
        return


def _inherited(v: SentenceView) -> Period | None:
    got = v.article.headline_before(v.sentence.index)
    return got[0] if got else None


def _offset(v: SentenceView, tpos: int) -> int:
    """Character offset in the sentence of a template position (markers expand to their text)."""
    out, i = 0, 0
    for mk in re.finditer(r"⟦[a-z](\d+)⟧", v.template):
        if mk.start() >= tpos:
            break
        out += mk.start() - i + len(v.item(mk.group(1)).text)
        i = mk.end()
    return out + (tpos - i)
