"""SIPRI Top 100 figures as news pages write them: the arms sales of the largest arms-producing companies,
all of them or those of one country or region, in US$, their change on the year before and their share.

"Earth's top 100 defense companies have increased their global arms sales by nearly five percent",
"US companies spent $246 billion, representing 59 percent of all sales in the top 100 and up 7.2 percent
from 2017", "the four listed German companies decreased by 3.8 percent", "This corresponded to an increase
of 4.6 percent compared to the previous year" (after a Top 100 sentence). A sentence is about the Top 100
when it names it (or arms-producing companies) or continues the sentence before that was; transfers
("global arms sales rose", SIPRI's transfer volumes) never name companies and stay with the transfer rules.
"""

from __future__ import annotations

import re

from armatlas.analysis.periods import Period
from armatlas.claims.extract import Claim, SentenceView
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.numbers import NumberMention
from armatlas.claims.reader import change_sign, stated_relation

WORLD = "WORLD"
# The companies themselves: "the top 100", "arms-producing companies", "US companies", "the 27 European arms
# producers listed"
_COMPANIES = r"(?:(?:arms|defen[cs]e|military|weapons?)[- ](?:producing )?)?(?:compan(?:y|ies)|producers|manufacturers|makers|firms|corporations|contractors)\b"
_COMPANIES_RX = re.compile(_COMPANIES)
_TOP100 = re.compile(
    r"\btop[- ]?(?:⟦k(?P<k>\d+)⟧|100\b|hundred\b)|(?:⟦k(?P<k2>\d+)⟧|\b100) largest (?:arms|defen[cs]e)|\barms[- ]producing\b"
)
_SALES = re.compile(r"\b(?:arms sales|sales|sold|sell|revenues?|turnover|spent|contributed|figures)\b")
# "US companies", "the four listed German companies", "The 27 European arms producers": whose companies
_OWNER = re.compile(
    rf"⟦e(\d+)⟧(?:[- ](?:based|headquartered))? (?:listed )?{_COMPANIES}|{_COMPANIES} (?:headquartered|based) in (?:the )?⟦e(\d+)⟧"
)
# "South Korea's arms sector accounted for 2.2 per cent" in a Top 100 passage: its companies
_SECTOR = re.compile(r"⟦e(\d+)⟧(?:'s)? (?:arms|defen[cs]e) (?:sector|industry)\b")
_CONTINUES = re.compile(r"^(?:this|that|these|they|it|their|its)\b")
# The year the figures are of; one after "from", "than", "compared to" is the base of a change
_YEAR = re.compile(r"(?<!from )(?<!than )(?<!to )(?<!with )(?<!since )\b((?:19|20)\d{2})\b")
_SHARE_WORDS = re.compile(
    r"^\)?,? ?(?:of (?:all |the |total )*(?:(?:arms|weapons) )?sales\b|of (?:the )?(?:sipri )?top|to (?:the )?(?:worldwide|global|world|total) "
    r"arms sales)"
)


# Words without which a sentence names no companies (a cheap test before the patterns)
_HINTS = (
    "top",
    "compan",
    "produc",
    "manufactur",
    "maker",
    "firm",
    "corporation",
    "contractor",
    "sector",
    "industr",
)


def read_industry(v: SentenceView) -> bool:
    """The sentence's Top 100 claims; True when it is about the Top 100 (no other rule then reads it)."""
    t = v.template
    prev = _previous(v)
    if prev is None and not any(h in t for h in _HINTS):
        return False
    names = _names_top100(v, t) or bool(
        (_COMPANIES_RX.search(t) and (_OWNER.search(t) or prev)) or (prev and _SECTOR.search(t))
    )
    if not (names or (prev and _CONTINUES.match(t))) or not (_SALES.search(t) or prev):
        return False
    year = _year(v, prev)
    owner, found = _owner(v, t, prev), False
    named = [(o.start(), v.entity(next(g for g in o.groups() if g))) for o in _OWNER.finditer(t)]
    for m in re.finditer(r"⟦([mn])(\d+)⟧", t):
        code, idx, qpos, qend = m.group(1), m.group(2), m.start(), m.end()
        item = v.item(idx)
        # the companies named before the figure in its own clause; "sales by companies headquartered in the US
        # ... declined, while sales by Russian-based companies increased by 20%": not the US's (no owner read)
        cut = max((b.end() for b in re.finditer(r"\bwhile\b|\bwhereas\b|\bbut\b|;", t[:qpos])), default=0)
        mine = [who for at, who in named if cut <= at < qpos]
        if mine:
            owner = mine[-1]
        elif cut and any(at < cut for at, _ in named):
            continue
        if code == "m":
            if "€" in item.text or "£" in item.text:
                continue  # the page's conversion, not SIPRI's US$ figure
            c = v.add(ClaimKind.INDUSTRY_SALES, [int(idx)], subject=[owner], value=_bn(item))
            c.periods, c.period_source = [Period(year, year)], "sentence"
        elif (sign := change_sign(v, t, 0, qpos, qend, code)) is not None:
            rel = stated_relation(t[max(0, qpos - 40) : qpos], item.approximate)
            c = v.add(
                ClaimKind.INDUSTRY_CHANGE, [int(idx)], subject=[owner], value=sign * item.value, relation=rel
            )
            c.periods, c.period_source = [Period(year - 1, year - 1), Period(year, year)], "sentence"
        elif _SHARE_WORDS.match(t[qend:]) or re.search(
            r"\b(?:share|representing|accounting for|accounted for|accounts for|account for|made up|makes up)\b[^⟦]*$",
            t[:qpos],
        ):
            c = v.add(ClaimKind.INDUSTRY_SHARE, [int(idx)], subject=[owner], value=item.value)
            c.periods, c.period_source = [Period(year, year)], "sentence"
        else:
            continue
        found = True
    return found or names


def _names_top100(v: SentenceView, t: str) -> bool:
    """'The top 100', 'the 100 largest arms companies', 'arms-producing': never 'the top-10 buyers'."""
    for m in _TOP100.finditer(t):
        k = m.group("k") or m.group("k2")
        if k is None or v.item(k).value == 100:
            return True
    return False


def _previous(v: SentenceView) -> Claim | None:
    """The last Top 100 claim of the sentence before (its owner and year carry on)."""
    i = v.sentence.index
    if i == 0 or len(v.article.views) < i:
        return None
    kinds = (ClaimKind.INDUSTRY_SALES, ClaimKind.INDUSTRY_CHANGE, ClaimKind.INDUSTRY_SHARE)
    got = [c for c in v.article.views[i - 1].claims if c.kind in kinds]
    return got[-1] if got else None


def _owner(v: SentenceView, t: str, prev: Claim | None) -> str:
    """Whose companies: the country or region named before 'companies', else the Top 100 as a whole
    (or, in a sentence that goes on from the one before, that sentence's)."""
    if m := _OWNER.search(t) or (_SECTOR.search(t) if prev is not None else None):
        return v.entity(next(g for g in m.groups() if g))
    if prev is not None and not _names_top100(v, t):
        return prev.subject[0]
    return WORLD


def _year(v: SentenceView, prev: Claim | None) -> int:
    """The year the sales are of: named in the sentence (the latest), else the sentence before's, else the
    year before publication (the Top 100 of a year comes out in the December after it)."""
    years = [int(y) for y in _YEAR.findall(v.sentence.text)]
    if years:
        return max(years)
    if prev is not None and prev.periods:
        return prev.periods[-1].end
    _, published = v.article.published(v.sentence.index)
    return (published or 0) - 1


def _bn(item: NumberMention) -> float:
    """A money figure in US$ bn ('$ 420 billion', '$8.4bn', '$850 million')."""
    txt = item.text.lower()
    if "trillion" in txt or re.search(r"\d\s*tn\b", txt):
        return item.value * 1000
    if "million" in txt or re.search(r"\d\s*m\b", txt):
        return item.value / 1000
    return item.value
