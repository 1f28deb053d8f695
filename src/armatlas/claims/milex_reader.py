"""Military-spending figures: level (money), real change, share of GDP, share of world spending.

Read with the same slots as transfers (owner, years), checked against SIPRI's milex workbook.
Years: 'in 2024', 'last year' (the year before publication), 'compared with 2023' / 'the
previous year' (the base of a change), else the year before publication.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from armatlas.analysis.periods import Period
from armatlas.claims.extract import SentenceView
from armatlas.claims.kinds import ClaimKind

if TYPE_CHECKING:
    from armatlas.claims.reader import Reading

E = r"⟦e(\d+)⟧"
MILEX_WORDS = r"\b(?:spending|spent|expenditures?|budgets?|outlays?)\b"
_YEAR = re.compile(r"(?<![\d⟦])\b((?:19|20)\d{2})\b(?!\d|⟧)")


# "since the Six-Day War in 1967": a historical reference point, neither the year nor the base
_HISTORIC = re.compile(r"\bsince (?:the |its |their )?[^,⟦\d]{3,40}? in $")
# "38% more than in 2023", "compared with 2023", "up from 2015", "twice as much as in 2015": the base
_BASE = re.compile(r"(?:compared (?:to|with)|than(?: in)?|since|from|relative to|as in|over) $")


def _years(v: SentenceView, start: int, end: int, refs: bool = True) -> list[int]:
    """Years named in the template slice; without refs, the years a figure is *of* (no bases, no history)."""
    t = v.template
    out = []
    for m in _YEAR.finditer(t, start, end):
        before = t[max(0, m.start() - 50) : m.start()]
        if not refs and (_BASE.search(before) or _HISTORIC.search(before)):
            continue
        out.append(int(m.group(1)))
    return out


def _bases(v: SentenceView, start: int) -> list[int]:
    """Comparison years after start ('... more than in 2023'), nearest first."""
    t = v.template
    return [
        int(m.group(1))
        for m in _YEAR.finditer(t, start)
        if _BASE.search(t[max(0, m.start() - 50) : m.start()])
        and not _HISTORIC.search(t[max(0, m.start() - 50) : m.start()])
    ]


def _owner(v: SentenceView, seg: str, pos: int) -> str | None:
    from armatlas.claims.reader import sentence_topic

    if re.search(
        r"\b(?:global|world|world's|worldwide)\b(?: \w+)? (?:military |defen[cs]e )?(?:spending|expenditure|outlays)",
        seg,
    ) and not re.search(E, seg):
        return "WORLD"  # "Global military spending rose 9.4% to $2.7 trillion": the world's total
    if (m := re.search(rf"{E} \([^()⟦]*(?:⟦[nfm]\d+⟧[^()⟦]*)*$", seg)) and not v.entity(
        m.group(1)
    ).startswith("region:"):
        return v.entity(m.group(1))  # "was recorded in Ethiopia (+53% with a value of $1.3 billion"
    pats = [
        rf"{E}'s (?:\w+ )?(?:military|defen[cs]e|arms)? ?(?:spending|expenditures?|budgets?)",
        rf"(?:spending|expenditures?|budgets?) (?:across|in|of|by|for) (?:the )?{E}",
        rf"{E} spent",
        # "led by Lebanon with an increase of 6 percentage points, Israel up 0.9 percentage points"
        rf"{E},? (?:up|down|rising|falling|(?:with )?an? (?:increase|decrease|rise|fall|drop) of)(?: by)? $",
        # "followed by China with a six per cent increase, at a cost of $296 billion"
        rf"{E},? with (?:a |an |its )?(?:[^⟦.;]|⟦[nf]\d+⟧){{0,50}}$",
        rf"{E}(?: \w+)? (?:is|was|became|remains) (?:now )?the",
        # "the largest increase came from Iraq, whose military spending stood at $13.1 billion"
        rf"{E},? whose (?:military |defen[cs]e )?(?:spending|expenditures?|budgets?)",
        # "China's military expenditure reached $261 billion ..., while India's grew by 6.8 per cent": elided
        rf"{E}'s (?=(?:\w+ )?(?:rose|grew|increased|fell|declined|decreased|dropped|jumped|reached|stood|was|were)\b)",
    ]
    best = None
    for p in pats:
        for m in re.finditer(p, seg):
            if best is None or m.start() > best[0]:
                best = (m.start(), m.group(1))
    if best:
        return v.entity(best[1])
    countries = [x for x in re.findall(E, seg) if not v.entity(x).startswith("region:")]
    if re.search(r"\b(?:the|this|that) region\b", seg) and not countries:
        # "spending in the region rose 15%": the last region named (not "Germany ... the most in the region")
        for w in reversed(v.article.views[max(0, v.sentence.index - 1) : v.sentence.index + 1]):  # near only
            regs = [m.entity_id for _, m in w.entities() if m.entity_id.startswith("region:")]
            if regs:
                return regs[-1]
        return None
    if re.search(r"\b(?:its|it)\b", seg):
        return sentence_topic(v, pos)
    ents = [i for i, _ in v.entities() if v.template.index(f"⟦e{i}⟧") < pos]
    return v.entity(ents[0]) if ents else sentence_topic(v, pos)


def claim_year(v: SentenceView, qend: int) -> int | None:
    t = v.template
    after = _years(v, qend, min(len(t), qend + 30), refs=False)
    if after and re.match(r"^[^⟦]{0,12}\bin\b", t[qend:]):
        return after[0]
    ys = _years(v, 0, len(t), refs=False)
    if ys:
        return max(ys)
    pub = v.article.published(v.sentence.index)[1]
    inherited = (
        v.article.milex_year
        if v.article.segments and v.article.milex_segment == v.article.segments[v.sentence.index]
        else None
    )
    if inherited:
        return inherited
    return pub - 1 if pub else None


def read_milex_figure(
    v: SentenceView, st: Reading, code: str, idx: str, qpos: int, qend: int, start: int
) -> None:
    """One percentage or factor in a spending clause."""
    from armatlas.claims.reader import change_sign, respectively_owner

    t = v.template
    left, right = t[start:qpos], t[qend : qend + 60]
    owner = respectively_owner(v, t, qpos, "n")
    if (
        owner is None
        and st.last is not None
        and st.last.kind in (ClaimKind.MILEX_CHANGE, ClaimKind.MILEX_LEVEL)
        and st.last.sentence_index == v.sentence.index
        and not re.search(rf"{E}|\b(?:its|it|their|the country)\b", left)
    ):
        owner = st.last.subject[0]  # "..., 4.1% more than in 2020, but 14% less than in 2012": the same owner
    owner = owner or _owner(v, left, qpos)
    year = claim_year(v, qend)
    value = v.item(idx).value
    if owner is None or year is None:
        return
    v.article.milex_year, v.article.milex_segment = (
        year,
        v.article.segments[v.sentence.index] if v.article.segments else 0,
    )
    as_gdp = re.search(
        r"\bas (?:a )?(?:percentage|share|proportion|per ?cent) of (?:its |the country's )?(?:gdp|gross domestic product)"
        r"\b[^⟦]*$",
        left,
    )  # "defence expenditure as percentage of GDP remaining at a high 8%"
    if as_gdp or re.match(
        r"^\)?\s*of (?:\w+'s |its |the country's |⟦e\d+⟧'s )?(?:gdp|gross domestic product)", right
    ):
        c = v.add(ClaimKind.MILEX_BURDEN, [int(idx)], subject=[owner], value=value)
        c.periods, c.period_source = [Period(year, year)], "sentence"
        return
    if re.match(
        r"^\)?\s*of (?:\w+'s |its |the country's |⟦e\d+⟧'s )?(?:all |total |overall )?(?:the )?"
        r"(?:government|state|public|general government) (?:spending|expenditure|outlays|budget)",
        right,
    ):  # "about 19 per cent of total government spending"
        c = v.add(ClaimKind.MILEX_OTHER, [int(idx)], subject=[owner], value=value, scope="government")
        c.periods, c.period_source = [Period(year, year)], "sentence"
        return
    if re.match(
        r"^\)?\s*of (?:all |total |the total (?:volume |amount )?of |the )?(?:global|world|world's) "
        r"(?:military |defen[cs]e )?(?:spending|expenditure)",
        right,
    ):  # "9% of global military spending", "nine per cent of the total volume of global defence spending"
        lst = re.search(rf"((?:(?:the )?{E}(?:,? and |, ))+(?:the )?{E})", t[:qpos])
        subj = [v.entity(x) for x in re.findall(r"⟦e(\d+)⟧", lst.group(1))] if lst else [owner]
        c = v.add(ClaimKind.MILEX_SHARE, [int(idx)], subject=subj, value=value)
        c.periods, c.period_source = [Period(year, year)], "sentence"
        return
    sign = change_sign(v, t, start, qpos, qend, code)
    if sign is None:
        return
    base = _bases(v, qend) or _bases(v, start)
    y0 = base[0] if base else year - 1
    if base and y0 == year:
        y0 = year - 1
    if re.search(r"between ((?:19|20)\d{2}) and ((?:19|20)\d{2})", t):
        b = re.search(r"between ((?:19|20)\d{2}) and ((?:19|20)\d{2})", t)
        y0, year = int(b.group(1)), int(b.group(2))  # type: ignore[union-attr]
    elif (b2 := re.search(r"\bbetween ⟦p(\d+)⟧", t)) and (
        span := v.item(b2.group(1)).period
    ).end > span.start:
        y0, year = span.start, span.end  # "decreased by 30 percent between 2006 and 2015" (read as one range)
    from armatlas.claims.reader import stated_relation

    relation = stated_relation(left, v.item(idx).approximate)  # "jumped by nearly a quarter": almost
    burden = "point" in v.item(idx).text.lower() and re.search(
        r"\bburden\b|\bof (?:its |their |the country's )?(?:gdp|gross domestic product)\b|\bshare of gdp\b", t
    )
    kind = ClaimKind.MILEX_BURDEN if burden else ClaimKind.MILEX_CHANGE  # "Israel up 0.9 percentage points"
    c = v.add(kind, [int(idx)], subject=[owner], value=sign * value, relation=relation)
    c.periods, c.period_source = [Period(y0, y0), Period(year, year)], "sentence"
    st.last = c


_RATIO_TAIL = re.compile(
    rf"^ (?:higher|more|larger|greater|bigger)(?: on (?:its |their |the )?(?:military|defen[cs]e|armed forces))?"
    rf" than (?:that of |those of )?(?:the )?{E}|"
    rf"^ as (?:much|high|large|big) as (?:that of |those of )?(?:the )?{E}|^ (?:that|those) of (?:the )?{E}"
)


def read_milex_ratio(v: SentenceView, code: str, idx: str, qpos: int, qend: int, start: int) -> None:
    """'X's military spending was nine times higher than Y's': the ratio of the two levels in a year."""
    from armatlas.claims.reader import stated_relation

    t = v.template
    m = _RATIO_TAIL.match(t[qend : qend + 60])
    if not m or not re.search(MILEX_WORDS, t[start : qend + 60]):
        return
    owner = _owner(v, t[start:qpos], qpos)
    other = v.entity(next(g for g in m.groups() if g is not None))
    year = claim_year(v, qend)
    if owner is None or year is None or other == owner:
        return
    pieces = [int(idx)] + [int(g) for g in m.groups() if g is not None]
    c = v.add(
        ClaimKind.RATIO,
        pieces,
        subject=[owner],
        partner=other,
        value=v.item(idx).value,
        relation=stated_relation(t[start:qpos], v.item(idx).approximate),
        notes=["ratio of military spending, US$ current prices"],
    )
    c.periods, c.period_source = [Period(year, year)], "sentence"


def read_money(v: SentenceView) -> None:
    """'$86.1 billion', 'to $693 billion', 'a combined total of $1635 billion': spending levels in US$ bn."""
    from armatlas.claims.reader import after_spending

    t = v.template
    if not re.search(
        r"\b(?:military|defen[cs]e) (?:spending|expenditures?|budgets?)|\bspent\b|\bspending\b|\bexpenditures?\b|"
        r"\bmilitary budget\b|\bdefen[cs]e budget|\barms budgets?\b",
        t,
    ) and not (after_spending(v) and not re.search(r"\b(?:arms|weapons|imports?|exports?)\b", t)):
        return  # "Nigeria and South Africa rank 4th and 5th ($3.1 billion ...)" after a spending sentence
    if re.search(r"\bexports?\b|\bdeals?\b|\bcontracts?\b|\brevenues?\b|\bturnover\b|\bsales\b", t):
        return
    for m in re.finditer(r"⟦m(\d+)⟧", t):
        item = v.item(m.group(1))
        txt = item.text.lower()
        per_capita = re.match(r"^\s*(?:per (?:capita|person|head|citizen|inhabitant)|a head)\b", t[m.end() :])
        if not per_capita and not re.search(r"trillion|billion|million|\d\s*(?:tn|bn|b|m)\b", txt):
            continue  # a bare dollar amount is neither a national total nor said to be per person
        value = item.value / 1000 if ("million" in txt or re.search(r"\d\s*m\b", txt)) else item.value
        if "trillion" in txt or re.search(r"\d\s*tn\b", txt):
            value = item.value * 1000  # "$2.7 trillion": US$ bn like every level
        start = 0
        left = t[start : m.start()]
        combined = re.search(r"(?:combined|together|total of|joint)", left[-40:])
        lst = re.search(rf"((?:(?:the )?{E}(?:,? and |, ))+(?:the )?{E})", left) if combined else None
        if lst:  # "a combined total of $1635 billion": the listed countries together
            subj = [v.entity(x) for x in re.findall(r"⟦e(\d+)⟧", lst.group(1))]
        else:
            from armatlas.claims.reader import respectively_owner

            owner = respectively_owner(v, t, m.start(), "m")
            lead = re.match(rf"^(?: in (?:19|20)\d\d)?, (?:the )?{E}(?!'s)", t[m.end() :])
            if (
                owner is None
                and lead
                and re.search(r"^\s*with (?:a total of |spending of |a budget of )?$", left)
            ):
                owner = v.entity(lead.group(1))  # "With a total of $9.6 billion in 2018, Algeria had ..."
            owner = owner or _owner(v, left, m.start())
            subj = [owner] if owner else []
        if not subj:
            continue
        year = claim_year(v, m.end())
        k = m.group(1)
        pair = re.search(
            r"\bfrom ⟦m(?P<a>\d+)⟧ to ⟦m(?P<b>\d+)⟧ (?:from |between |in |over )?(?:the )?⟦p(?P<p>\d+)⟧", t
        )
        span = v.item(pair.group("p")).period if pair and k in (pair.group("a"), pair.group("b")) else None
        if pair and span is not None and span.end > span.start:
            # "fell from $40 billion to $38 billion from 2021 to 2022": the first level is the first year's
            year = span.start if k == pair.group("a") else span.end
        if year is None:
            continue
        v.article.milex_year, v.article.milex_segment = (
            year,
            v.article.segments[v.sentence.index] if v.article.segments else 0,
        )
        if per_capita:
            c = v.add(
                ClaimKind.MILEX_PER_CAPITA,
                [int(m.group(1))],
                subject=subj,
                value=item.value,
                notes=["US$ per person, current prices"],
            )
            c.periods, c.period_source = [Period(year, year)], "sentence"
            continue
        c = v.add(
            ClaimKind.MILEX_LEVEL,
            [int(m.group(1))],
            subject=subj,
            value=value,
            notes=["US$ billion, current prices (SIPRI's headline measure)"],
        )
        c.periods, c.period_source = [Period(year, year)], "sentence"


# Records and runs in a spending series, as news writes them.
_ORDN = r"(?:⟦o(?P<o>\d+)⟧|(?P<ow>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth))"
_YEARREF = r"(?:(?P<y>(?:19|20)\d\d)\b|⟦p(?P<p>\d+)⟧)"
_FALL = r"\b(?:fell|fallen|falls|declin\w*|decreas\w*|drop\w*|cut|lower|reduc\w*|down)\b"
_HISTORY = [
    # "the highest level ever recorded", "a record high", "an all-time high", "the highest ever"
    (
        re.compile(
            r"\b(?:highest|largest|biggest)(?: level| total| figure| amount)? (?:ever|on record)\b|"
            r"\brecord(?:-| )high\b|\ball-time high\b"
        ),
        "record_high",
    ),
    (
        re.compile(
            r"\blowest(?: level| total| figure)? (?:ever|on record)\b|\brecord(?:-| )low\b|\ball-time low\b"
        ),
        "record_low",
    ),
    (re.compile(rf"\bhighest(?: level| total| figure)? since (?:the end of )?{_YEARREF}"), "highest_since"),
    (re.compile(rf"\blowest(?: level| total| figure)? since (?:the end of )?{_YEARREF}"), "lowest_since"),
    # "has fallen for the fourth consecutive year", "the second consecutive year of decline"
    (
        re.compile(rf"\b(?:for|in) (?:the |a )?{_ORDN} (?:consecutive|straight|successive) year\b"),
        "consecutive",
    ),
    (re.compile(rf"\bthe {_ORDN} (?:consecutive|straight|successive) year of\b"), "consecutive"),
    # "the increase in 2021 was the first in Africa since 2014", "rose for the first time since 2014"
    (
        re.compile(rf"\b(?:the )?(?:first|⟦o(?P<first>\d+)⟧) (?:[\w⟦⟧]+ ){{0,6}}?since {_YEARREF}"),
        "first_since",
    ),
    # "the region's biggest annual spending increase over the past decade", "steepest rise since 2009"
    (
        re.compile(
            rf"\b(?:biggest|largest|steepest|sharpest|highest|fastest) (?:annual |yearly |year-on-year |"
            rf"single-year )?(?:\w+ )?(?:increase|rise|growth|jump|decrease|decline|drop|fall)\b"
            rf"(?: in (?:the )?[^.;⟦]{{0,20}})?(?: (?:since {_YEARREF}|(?:over|in) the (?:past|last) "
            rf"(?P<span>decade|(?:\w+|⟦k\d+⟧) (?:years|decades))))"
        ),
        "largest_since",
    ),
]
_TENS = {"decade": 10, "two decades": 20, "three decades": 30}


def _since(v: SentenceView, m: re.Match[str], year: int) -> int | None:
    g = m.groupdict()
    if g.get("y"):
        return int(g["y"])
    if g.get("p"):
        span = v.item(g["p"]).period
        return span.start if span else None
    if g.get("span"):
        words = g["span"]
        if words in _TENS:
            return year - _TENS[words]
        n = re.match(r"(\w+|⟦k(\d+)⟧) (years|decades)", words)
        if n:
            from armatlas.claims.timeexpr import WORD_NUMBERS

            k = v.item(n.group(2)).value if n.group(2) else WORD_NUMBERS.get(n.group(1))
            return year - int(k) * (10 if n.group(3) == "decades" else 1) if k else None
    return None


def read_milex_history(v: SentenceView) -> None:
    """Records and runs of a spending series: 'the highest level ever recorded', 'fell for the fourth
    consecutive year', 'the first increase since 2014', 'the biggest annual increase in a decade'."""
    from armatlas.analysis.periods import Period
    from armatlas.claims.numbers import ORDINALS

    t = v.template
    from armatlas.claims.reader import after_spending

    if not (re.search(MILEX_WORDS, t) or after_spending(v)) or re.search(
        r"\b(?:arms|weapons) (?:imports|exports|transfers)\b", t
    ):
        return
    for rx, rel in _HISTORY:
        for m in rx.finditer(t):
            if m.groupdict().get("first") and v.item(m.group("first")).value != 1:
                continue  # "the second ... since": not a first
            inside = re.search(r"\bin (?:the )?⟦e(\d+)⟧", m.group(0))  # "the first in Africa since 2014"
            owner = v.entity(inside.group(1)) if inside else _owner(v, t[: m.start()], m.start())
            if owner is None and re.search(
                r"\b(?:the|this|that) region's\b", t[max(0, m.start() - 15) : m.start()]
            ):
                owner = _owner(v, "the region", m.start())
            year = claim_year(v, m.end())
            if owner is None or year is None:
                continue
            value: float | None = None
            relation = rel
            falling = bool(re.search(_FALL, t[max(0, m.start() - 80) : m.end() + 20]))
            if rel == "consecutive":
                g = m.groupdict()
                value = float(v.item(g["o"]).value) if g.get("o") else float(ORDINALS[g["ow"]])
                relation = "consecutive_fall" if falling else "consecutive_rise"
            elif rel in ("first_since", "largest_since"):
                value = _since(v, m, year)
                if value is None:
                    continue
                kind = (
                    "fall"
                    if re.search(r"decreas|declin|drop|fall|fell", m.group(0))
                    or (rel == "first_since" and falling)
                    else "rise"
                )
                relation = f"{'first' if rel == 'first_since' else 'largest'}_{kind}_since"
            elif rel in ("highest_since", "lowest_since"):
                value = _since(v, m, year)
                if value is None:
                    continue
            c = v.add(ClaimKind.MILEX_HISTORY, [], subject=[owner], value=value, relation=relation)
            c.periods, c.period_source = [Period(year, year)], "sentence"
