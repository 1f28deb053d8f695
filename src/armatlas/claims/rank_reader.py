"""Ranks read by slots: an ordinal or superlative, a role noun, a scope, and the ranked country.

"the world's second-largest arms importer", "the largest European arms importer", "India's
second largest arms supplier", "took the second place among exporters", "ranked 11th among the
world's largest arms suppliers", "the fifth-largest military spender in the world", "the number
two, Russia", "with Russia in third place" (role, scope and partner from the ranking before).
The role gives the direction (importer, buyer, recipient -> import; exporter,
supplier, seller -> export; spender -> military spending); the scope is the world, a region
("European", "in Europe") or a partner ("India's", "of arms to India").
"""

from __future__ import annotations

import re

from armatlas.claims.extract import SentenceView
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.mentions import REGION_PREFIX, SUBREGIONS
from armatlas.claims.numbers import ORDINALS

E = r"⟦e(\d+)⟧"
ORDW = r"(?:⟦o(?P<o>\d+)⟧|(?P<ow>second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth))"
SUP = r"(?:largest|biggest|top|leading|main|greatest)"
ROLE = (
    r"(?P<role>importers?|exporters?|suppliers?|buyers?|recipients?|clients?|customers?|sellers?|spenders?|"
    r"merchants?|dealers?|vendors?|"
    r"purchasers?|supplier of (?:major )?arms|exporter of (?:major )?(?:arms|weapons)|importer of (?:major )?(?:arms|weapons))"
)
ARMS = r"(?:(?:major |conventional )?(?:arms|weapons|military|defen[cs]e) )?"
_NUM_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}

_RANK = re.compile(
    rf"(?:(?P<world>world's|global|(?:the )?{E}'s|(?:the )?{E}|(?P<pro>its|their|the country's)) (?:long-standing |traditional |long-time |longtime |closest |key )?)?"
    rf"(?:(?:{ORDW}[- ])(?:{SUP} )?|(?P<sup>{SUP}) |number (?P<nw>one|two|three|four|five) )"
    rf"(?:(?P<reg>{E}) )?{ARMS}{ROLE}"
)
_PLACE = re.compile(  # "took third place", "ranked fifth", "(third place)", "pushed Saudi Arabia to fourth place"
    rf"(?:(?:took|takes|(?:(?:moved|moves|fell|falls|rose|rises|climbed|dropped|jumped|slipped|slid|advanced)(?: up| down| back)?"
    rf"(?: from (?:the )?⟦o\d+⟧(?: place| position| spot)?)? to)|(?:pushed|pushes|pushing|propelled|lifted|bumped|relegated) "
    rf"(?:the )?⟦e(?P<obj>\d+)⟧ (?:up |down |back )?to|in|ranked|ranks|was ranked|is ranked) |\()"
    rf"(?:the )?{ORDW}(?: place| position| spot)?(?: among| in the ranking of| in terms of)?"
    rf"(?P<rest>[^.;⟦]{{0,60}})"
)
# "the United States, number one on the list", "supplanted Russia as number two on the global list"
_LIST_PLACE = re.compile(
    r"\bnumber (?P<nw>one|two|three|four|five)(?: spot| position)? on the (?:global |world |world's )?(?:list|ranking|table)"
)
# A ranking named earlier in the sentence gives a role to a place without one ("The top 10 arms exporters
# ... but Russia fell to third place"; "As for arms exporting countries, ... number one on the list")
_ROLE_BEFORE = r"\b(import(?:ers?|ing|s)|export(?:ers?|ing|s)|suppliers?|buyers?|spenders?|recipients?)\b"
# "China overtook Germany as the third-largest", "it supplanted Russia as number two": the one before the verb
_TOOK_PLACE_OF = re.compile(
    rf"\b(?:overtook|overtaking|overtaken|overtakes|displaced|displacing|displaces|replaced|replacing|replaces|"
    rf"supplanted|supplanting|supplants|surpassed|surpassing|surpasses|edged out|pushed out|outpaced) (?:the )?{E} "
    rf"(?:as|to become) (?:the )?$"
)


def _direction(role: str) -> str | None:
    if re.match(r"import|buyer|recipient|client|customer|purchaser", role):
        return "import"
    if re.match(r"export|supplier|seller|merchant|dealer|vendor", role):
        return "export"
    return "spending" if role.startswith("spender") else None


def _subject(
    v: SentenceView, t: str, start: int, end: int, exclude: set[str]
) -> tuple[str | None, int | None]:
    """The country ranked: apposition before ('Russia, the world's ...'), the clause subject before,
    or the country right after ('the number two, Russia')."""
    left = t[:start]
    clause = re.split(r";|\bwhile\b|\bbut\b|, and\b|\band\b(?= ⟦e\d+⟧ (?:is|was|has|became))", left)[-1]
    if took := _TOOK_PLACE_OF.search(left):
        before = [
            (int(x.group(1)), v.entity(x.group(1)))
            for x in re.finditer(rf"{E}(?!'s)", left[: took.start()])
            if v.entity(x.group(1)) not in exclude and v.entity(x.group(1)) != v.entity(took.group(1))
        ]
        if before:
            return before[-1][1], before[-1][0]
        from armatlas.claims.reader import sentence_topic

        return sentence_topic(v, start), None
    if (m := re.match(rf"^,? (?:the )?{E}", t[end:])) and not re.search(
        r"\b(?:is|was|are|were|remains|became|as|emerged)\b", clause[-25:]
    ):
        return v.entity(m.group(1)), int(m.group(1))
    ents = [(int(m.group(1)), v.entity(m.group(1))) for m in re.finditer(rf"{E}(?!'s)", clause)]
    ents = [(i, e) for i, e in ents if e not in exclude]
    seg = [  # the last comma or dash part: "competition from China – whose exports rose 88% - the US has remained"
        (int(m.group(1)), v.entity(m.group(1)))
        for m in re.finditer(rf"{E}(?!'s)", re.split(r",|\s[–—-]\s", clause)[-1])
    ]
    seg = [(i, e) for i, e in seg if e not in exclude]
    if seg:  # "..., France has displaced the U.S. as India's second biggest supplier": the subject of its own phrase
        return seg[0][1], seg[0][0]
    if (
        m := re.search(rf"{E},\s*(?:the\s*(?:(?:sub-?region|region|continent|country)'s\s*)?)?$", clause)
    ) and v.entity(m.group(1)) not in exclude:
        return v.entity(m.group(1)), int(m.group(1))  # apposition: "Russia, the country's leading supplier"
    if ents:
        # "France overtaking them as", "India was", "China is also": the first country of the clause.
        return ents[0][1], ents[0][0]
    if re.search(
        r"\b(?:it|its)\b|\b(?:is|was|became|remains|remained|has been|found to be)\s+(?:now |also |still )?(?:the )?$",
        clause[-45:],
    ) and not re.search(r"\b(?:which|who|that)\b", clause[-45:]):
        from armatlas.claims.reader import sentence_topic

        return sentence_topic(
            v, start
        ), None  # "The Jewish State was found to be the world's eighth-largest ...": the topic
    if not ents and (
        m := re.match(
            rf"^(?: in the world| globally| worldwide)? (?:was|is|remains|remained|became) (?:the )?{E}(?!'s)",
            t[end:],
        )
    ):
        return v.entity(m.group(1)), int(m.group(1))  # "The largest arms importer was Ukraine"
    return None, None


_ELIDED = re.compile(
    rf"\band (?:the )?{ORDW}[- ](?:{SUP}) (?P<where>in the world|globally|worldwide|in (?:the )?{E})"
)
_ELIDED_SUBJECT = re.compile(
    rf"\b(?:the )?number (?P<nw>two|three|four|five)(?: spot| position)?, (?:the )?⟦e(?P<e1>\d+)⟧(?!'s)|"
    rf"⟦e(?P<e2>\d+)⟧ (?:came |comes |was |is |ranked |ranks |stood |stands )?in (?:the )?{ORDW}"
    rf"(?: place| position| spot)?(?= and\b| with\b|,|\.|$)"
)
# "the second-ranked France": the ranking named in this sentence or the one before
_RANKED_ADJ = re.compile(rf"{ORDW}-ranked (?:the )?⟦e(?P<e>\d+)⟧")
# "the fifth-largest recipient in 2021–25, up from tenth place in 2016–20": the same ranking, earlier
_RANK_BEFORE = re.compile(
    rf"\b(?:up|down|rising|climbing|falling|dropping|compared to|compared with) from (?:the )?{ORDW}"
    rf"(?: place| position| spot|[- ](?:largest|biggest))?(?: (?:in|during) ⟦p(?P<p>\d+)⟧)?"
)
_LARGEST_SHARE = re.compile(
    rf"{E} (?:still |also )?(?:accounts|accounted|account) for the (?:largest|biggest) share of "
    rf"(?:{E}'s|{E}) {ARMS}(?P<d>imports|exports)"
)


_SPENDING = r"\b(?:spending|spender|spenders|spent|expenditures?|military budgets?|defen[cs]e budgets?)\b"
# "the region's", "in the sub-region", "on the continent": the last region named (this sentence or the one before)
_REGION_WORD = re.compile(
    r"\b(?:the|this|that) (?:sub-?region|region|continent)(?:'s)?\b|\bthe (?:sub-?region|region|continent)'s\b"
)
# "Algeria had by far the highest military spending in Africa": a spending superlative
_SPENDING_TOP = re.compile(
    rf"(?:(?:by far|easily) )?the (?:(?:{ORDW})[- ])?(?:highest|largest|biggest|greatest) "
    rf"(?:military |defen[cs]e )?(?:spending|expenditure|budget)(?: (?:in|of|on) (?:the )?(?P<reg>{E}|continent|region|sub-?region))?"
)
# "Kenya, Uganda and Angola were, respectively, the third, fourth and fifth largest military spenders in
# sub-Saharan Africa", "Nigeria and South Africa rank 4th and 5th in Africa": one rank per country
_ORD1 = r"(?:⟦o\d+⟧|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
_RANK_LIST = re.compile(
    rf"(?P<list>(?:(?:the )?{E}(?:,? and |, ))+(?:the )?{E}),? (?:were|are|rank|ranked|come|came|placed|stood)"
    rf"(?:,? respectively,?)? (?:in )?(?:the )?(?P<ords>{_ORD1}(?:(?:,? and |, ){_ORD1})+)"
    rf"(?:,? respectively,?)?(?P<rest>[^.;]{{0,80}})"
)


def _region_word(v: SentenceView, t: str, start: int, end: int) -> str | None:
    """A region the rank is within: 'in Africa' right after, or 'the (sub)region' / 'the continent'."""
    after = t[end : end + 40]
    if (r := re.match(rf"^ (?:in|of|on) (?:the )?{E}", after)) and v.entity(r.group(1)).startswith(
        REGION_PREFIX
    ):
        return v.entity(r.group(1))
    near = t[max(0, start - 40) : end + 40]
    if w := _REGION_WORD.search(near):
        return _recent_region(v, start, sub="sub" in w.group(0))
    return None


def _recent_region(v: SentenceView, pos: int, sub: bool = False) -> str | None:
    """The last region (a subregion for 'the subregion') named before pos in the sentence, else in
    the sentence before."""

    def fits(eid: str) -> bool:
        return eid.startswith(REGION_PREFIX) and (not sub or eid[len(REGION_PREFIX) :] in SUBREGIONS.values())

    here = [m.entity_id for i, m in v.entities() if fits(m.entity_id) and v.template.index(f"⟦e{i}⟧") < pos]
    if here:
        return here[-1]
    i = v.sentence.index
    for w in reversed(v.article.views[max(0, i - 3) : min(i, len(v.article.views))]):  # a paragraph back
        before = [m.entity_id for _, m in w.entities() if fits(m.entity_id)]
        if before:
            return before[-1]
    return None


def _ranking_before(v: SentenceView, t: str) -> str | None:
    """'..., while Iran ranked fourth': a spending rank with no scope of its own continues the
    regional ranking of the sentence before (never when this one names the world)."""
    if re.search(r"\b(?:world|world's|global|globally|worldwide)\b", t):
        return None
    i = v.sentence.index
    for w in reversed(v.article.views[max(0, i - 2) : min(i, len(v.article.views))]):
        for c in reversed(w.claims):
            if c.kind == ClaimKind.MILEX_RANK and c.partner:
                return c.partner
    return None


def _milex_rank(
    v: SentenceView, end: int, pieces: list[int], subj: str | list[str], rank: float, region: str | None
) -> None:
    """A spending rank (world, or within a region); a list is one claim ranked from `rank` on."""
    from armatlas.analysis.periods import Period
    from armatlas.claims.milex_reader import claim_year

    c = v.add(
        ClaimKind.MILEX_RANK,
        pieces,
        subject=subj if isinstance(subj, list) else [subj],
        value=rank,
        relation="ordered" if isinstance(subj, list) else "eq",
        scope="region" if region else None,
        partner=region,
    )
    year = claim_year(v, end)
    if year:
        c.periods, c.period_source = [Period(year, year)], "sentence"


def _ordinal(v: SentenceView, word: str) -> float:
    m = re.match(r"⟦o(\d+)⟧", word)
    return float(v.item(m.group(1)).value) if m else float(ORDINALS[word])


def _read_rank_lists(v: SentenceView, t: str) -> None:
    from armatlas.claims.reader import after_spending

    for m in _RANK_LIST.finditer(t):
        ids = re.findall(r"⟦e(\d+)⟧", m.group("list"))
        ords = re.findall(_ORD1, m.group("ords"))
        if len(ids) != len(ords) or any(v.entity(x).startswith(REGION_PREFIX) for x in ids):
            continue
        rest = m.group("rest")
        role = re.search(r"(import\w*|export\w*|suppliers?|buyers?|spenders?|recipients?)", rest)
        spending = (
            role is None
            and (re.search(_SPENDING, t) or (re.search(r"⟦m\d+⟧", t) and after_spending(v)))
            and not re.search(r"\bimport|\bexport", t)
        )
        direction = _direction(role.group(1)) if role else ("spending" if spending else None)
        if direction is None:
            continue
        reg = re.search(rf"\b(?:in|of|on) (?:the )?{E}", rest)
        region = v.entity(reg.group(1)) if reg and v.entity(reg.group(1)).startswith(REGION_PREFIX) else None
        if region is None and (w := _REGION_WORD.search(rest)):
            region = _recent_region(v, m.start(), sub="sub" in w.group(0))
        if direction == "spending":  # one list claim, judged on each country's rank from the first
            ranks = [_ordinal(v, o) for o in ords]
            if ranks == [ranks[0] + k for k in range(len(ranks))]:
                _milex_rank(v, m.end(), [int(x) for x in ids], [v.entity(x) for x in ids], ranks[0], region)
            continue
        for x, o in zip(ids, ords, strict=True):
            pieces = [int(x)] + ([int(o[2:-1])] if o.startswith("⟦o") else [])
            if region:
                v.add(
                    ClaimKind.REGION_RANK,
                    pieces,
                    subject=[v.entity(x)],
                    partner=region,
                    direction=direction,
                    value=_ordinal(v, o),
                )
            else:
                v.add(
                    ClaimKind.RANK,
                    pieces,
                    subject=[v.entity(x)],
                    direction=direction,
                    scope="world",
                    value=_ordinal(v, o),
                )


def _read_spending_top(v: SentenceView, t: str) -> None:
    for m in _SPENDING_TOP.finditer(t):
        g = m.groupdict()
        rank = _ordinal(v, g["ow"] or f"⟦o{g['o']}⟧") if (g.get("o") or g.get("ow")) else 1.0
        reg = g.get("reg")
        region: str | None
        if reg and reg.startswith("⟦e"):
            region = v.entity(re.search(r"\d+", reg).group(0))  # type: ignore[union-attr]
            if not region.startswith(REGION_PREFIX):
                continue  # "the highest spending in Russia's history"
        else:
            region = _recent_region(v, m.start()) if reg else None
        subj, sidx = _subject(v, t, m.start(), m.end(), {region} if region else set())
        if subj is None or subj.startswith(REGION_PREFIX):
            continue
        _milex_rank(v, m.end(), [sidx] if sidx is not None else [], subj, rank, region)


# "Saudi Arabia, Qatar and Egypt ranked among the top ten largest importers", "Australia, China, South
# Korea and Pakistan were also ranked in the top 10": each listed country within the top n
_TOP_LIST = re.compile(
    rf"(?P<list>(?:(?:the )?{E}(?:,? and |, ))+(?:the )?{E}),? (?:were |are |was |is )?(?:also |all )?"
    rf"(?:ranked |ranking |rank |placed )?(?:among|in) the top (?:(?P<nw>[a-z]+)\b|⟦k(?P<k>\d+)⟧)(?P<rest>[^.;]{{0,60}})"
)


def _read_top_lists(v: SentenceView, t: str) -> None:
    from armatlas.claims.timeexpr import WORD_NUMBERS

    for m in _TOP_LIST.finditer(t):
        n = float(v.item(m.group("k")).value) if m.group("k") else WORD_NUMBERS.get(m.group("nw") or "")
        ids = re.findall(r"⟦e(\d+)⟧", m.group("list"))
        if not n or any(v.entity(x).startswith(REGION_PREFIX) for x in ids):
            continue
        roles = re.findall(_ROLE_BEFORE, m.group("rest")) or re.findall(_ROLE_BEFORE, t[: m.start()])
        i = v.sentence.index
        if not roles and 0 < i <= len(v.article.views):
            roles = re.findall(
                _ROLE_BEFORE, v.article.views[i - 1].template
            )  # "... 10th-largest importer. A, B ... in the top 10"
        direction = _direction(roles[-1]) if roles else None
        if direction not in ("import", "export"):
            continue
        v.add(
            ClaimKind.RANK,
            [int(x) for x in ids],
            subject=[v.entity(x) for x in ids],
            direction=direction,
            scope="world",
            relation="top_n",
            value=float(n),
        )


def read_ranks(v: SentenceView) -> None:
    """Every single-country rank statement in the sentence."""
    t = v.template
    _read_top_lists(v, t)
    lists = [(m.start(), m.end()) for m in _RANK_LIST.finditer(t)]
    _read_single(v, t, lists)
    _read_rank_lists(v, t)
    _read_spending_top(v, t)
    # "... the largest European arms importer and the fourth largest in the world": the role is the one before.
    prev = [c for c in v.claims if c.kind in (ClaimKind.RANK, ClaimKind.REGION_RANK) and c.relation == "eq"]
    for m in _ELIDED.finditer(t):
        if not prev:
            break
        g = m.groupdict()
        rank = float(v.item(g["o"]).value) if g.get("o") else float(ORDINALS[g["ow"]])
        last = prev[-1]
        if g["where"].startswith("in") and re.search(r"⟦e(\d+)⟧", g["where"]):
            reg = v.entity(re.search(r"⟦e(\d+)⟧", g["where"]).group(1))  # type: ignore[union-attr]
            if reg.startswith(REGION_PREFIX):
                v.add(
                    ClaimKind.REGION_RANK,
                    [int(g["o"])] if g.get("o") else [],
                    subject=list(last.subject),
                    partner=reg,
                    direction=last.direction,
                    value=rank,
                )
            continue
        v.add(
            ClaimKind.RANK,
            [int(g["o"])] if g.get("o") else [],
            subject=list(last.subject),
            direction=last.direction,
            scope="world",
            value=rank,
        )
    for m in _RANKED_ADJ.finditer(t):
        i = v.sentence.index
        roles = re.findall(_ROLE_BEFORE, t) or (
            re.findall(_ROLE_BEFORE, v.article.views[i - 1].template) if 0 < i <= len(v.article.views) else []
        )
        direction = _direction(roles[-1]) if roles else None
        if direction in ("import", "export"):
            g = m.groupdict()
            v.add(
                ClaimKind.RANK,
                [int(g["e"])] + ([int(g["o"])] if g.get("o") else []),
                subject=[v.entity(g["e"])],
                direction=direction,
                scope="world",
                value=float(v.item(g["o"]).value) if g.get("o") else float(ORDINALS[g["ow"]]),
            )
    for m in _RANK_BEFORE.finditer(t):
        ranked = [
            c for c in v.claims if c.kind in (ClaimKind.RANK, ClaimKind.REGION_RANK) and c.relation == "eq"
        ]
        if not ranked:
            break
        last, g = ranked[-1], m.groupdict()
        c = v.add(
            last.kind,
            [int(g["o"])] if g.get("o") else [],
            subject=list(last.subject),
            partner=last.partner,
            direction=last.direction,
            scope=last.scope,
            value=float(v.item(g["o"]).value) if g.get("o") else float(ORDINALS[g["ow"]]),
        )
        if g.get("p"):
            c.periods, c.period_source = [v.item(g["p"]).period], "next to the figure"
    # "... ahead of the number two, France", "followed by France in second place and Russia in third":
    # the rank without a role noun takes the role, scope and partner of the sentence's rank before it.
    for m in _ELIDED_SUBJECT.finditer(t):
        prev = [
            c
            for c in v.claims
            if c.kind in (ClaimKind.RANK, ClaimKind.REGION_RANK, ClaimKind.MILEX_RANK) and c.relation == "eq"
        ]
        i = v.sentence.index
        if not prev and 0 < i <= len(
            v.article.views
        ):  # "... the gap to the number two, Russia": the ranking before
            prev = [
                c
                for c in v.article.views[i - 1].claims
                if c.kind in (ClaimKind.RANK, ClaimKind.REGION_RANK, ClaimKind.MILEX_RANK)
                and c.relation == "eq"
                and c.value == 1.0
            ]
        g = m.groupdict()
        eidx = g["e1"] or g["e2"]
        if (
            not prev
            or eidx is None
            or v.entity(eidx) in prev[-1].subject
            or v.entity(eidx).startswith(REGION_PREFIX)
        ):
            continue
        last = prev[-1]
        rank = (
            float(v.item(g["o"]).value)
            if g.get("o")
            else float(ORDINALS[g["ow"]])
            if g.get("ow")
            else float(_NUM_WORDS[g["nw"]])
        )
        if any(c.subject == [v.entity(eidx)] and c.value == rank for c in prev):
            continue
        c = v.add(
            last.kind,
            [int(eidx)] + ([int(g["o"])] if g.get("o") else []),
            subject=[v.entity(eidx)],
            partner=last.partner,
            direction=last.direction,
            scope=last.scope,
            value=rank,
        )
        if last.kind == ClaimKind.MILEX_RANK:  # spending ranks carry their year from the reader
            c.periods, c.period_source = list(last.periods), last.period_source
    # "Russia still accounts for the largest share of Indian arms imports": its main supplier.
    for m in _LARGEST_SHARE.finditer(t):
        ids = [x for x in m.groups()[:-1] if x]
        sup, other = v.entity(ids[0]), v.entity(ids[1])
        imports = m.group("d") == "imports"
        v.add(
            ClaimKind.RANK,
            [int(ids[0])],
            subject=[sup],
            partner=other,
            direction="export" if imports else "import",
            scope="supplier_of" if imports else "recipient_of",
            value=1.0,
        )


def _region_ranking_before(v: SentenceView, direction: str) -> str | None:
    """The region of a ranking among its states stated in the sentence before (same direction)."""
    i = v.sentence.index
    if i == 0 or len(v.article.views) < i:
        return None
    regs = [
        c.partner
        for c in v.article.views[i - 1].claims
        if c.kind == ClaimKind.REGION_RANK and c.direction == direction
    ]
    return regs[-1] if regs else None


def _to_both(v: SentenceView, t: str, m: re.Match[str], end: int, rank: float) -> None:
    """'The USA is the main supplier to both states, accounting for 97 per cent of Japan's arms imports and
    72 per cent of South Korea's': one supplier rank per state, named after (else in the sentence before)."""
    subj, sidx = _subject(v, t, m.start(), m.end(), set())
    if subj is None:
        return
    after = list(dict.fromkeys(v.entity(x) for x in re.findall(E, t[m.end() + end :])))
    i = v.sentence.index
    before = [w for w in v.article.views[max(0, i - 1) : i]]
    states = [e for e in after if e != subj][:2]
    if len(states) < 2 and before:
        states = [e for e in dict.fromkeys(mm.entity_id for _, mm in before[-1].entities()) if e != subj][-2:]
    for st in states if len(states) == 2 else []:
        v.add(
            ClaimKind.RANK,
            [sidx] if sidx is not None else [],
            subject=[subj],
            partner=st,
            direction="export",
            scope="supplier_of",
            value=rank,
        )


def _read_single(v: SentenceView, t: str, lists: list[tuple[int, int]]) -> None:
    for m in list(_RANK.finditer(t)) + list(_PLACE.finditer(t)) + list(_LIST_PLACE.finditer(t)):
        if any(a <= m.start() < b for a, b in lists):
            continue  # "A, B and C were, respectively, the third, fourth and fifth largest": one per country
        g = m.groupdict()
        before = t[max(0, m.start() - 30) : m.start()]
        if (
            re.search(
                r"\b(?:among|one of|of)(?: the)?\s*$|(?:\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+)|⟦k\d+⟧)\s*$",
                before,
            )
            and not g.get("o")
            and not g.get("ow")
        ):
            continue  # "among the world's largest suppliers", "the five largest importers": a set, not a rank
        rank = (
            float(v.item(g["o"]).value)
            if g.get("o")
            else float(ORDINALS[g["ow"]])
            if g.get("ow")
            else float(_NUM_WORDS[g["nw"]])
            if g.get("nw")
            else 1.0
            if g.get("sup")
            else None
        )
        if rank is None:
            continue
        role = g.get("role") or ""
        rest = g.get("rest") or ""
        if not role:
            r = re.search(
                r"(import(?:ers?|s|ing)|export(?:ers?|s|ing)|suppliers?|buyers?|spenders?|recipients?)", rest
            )
            roles_before = re.findall(_ROLE_BEFORE, t[: m.start()])
            spending = re.search(_SPENDING, t) and not re.search(r"\b(?:import|export|arms transfer)", t)
            if not r and not (
                roles_before
                and re.search(
                    r"place|position|spot|list|ranking|table|^(?:was |is )?ranked|^ranks", m.group(0)
                )
            ):  # "U.S. was the biggest exporter, with China ranked fourth": the ranking named before
                if not spending:
                    continue
                roles_before = ["spenders"]  # "Israel came in second ... with spending of $27.5 billion"
            role = r.group(1) if r else roles_before[-1]
        if g.get("sup") == "main" and not re.match(r"supplier|spender", role):
            continue
        if (
            g.get("sup")
            and role.endswith("s")
            and re.match(r"^(?: \w+){0,6}? (?:being|are|were|include)\b", t[m.end() :])
        ):
            continue  # "the main suppliers were the US, ...": a ranked list (rank_rules), not one country's rank
        if (
            g.get("sup")
            and role.endswith("s")
            and re.search(
                rf"{E}(?: \([^()]*\))?(?:,? and |, )(?:the )?{E}(?: \([^()]*\))?,? (?:were|are) (?:also |now |still )?(?:the )?$",
                t[max(0, m.start() - 120) : m.start()],
            )
        ):
            continue  # "A (..) and B (..) were the largest military spenders": a list (rank_rules), not A's rank
        direction = _direction(role)
        text_after = t[m.end() : m.end() + 40]
        scope, partner = "world", None
        if g.get("pro"):
            from armatlas.claims.reader import marker_entity

            owner = marker_entity(v, g["pro"], m.start())
            if owner is None:
                continue
            scope, partner = ("supplier_of" if direction == "export" else "recipient_of"), owner
        elif g.get("world") and g["world"] not in ("world's", "global"):
            idx = next(x for x in (m.group("world"),) if x)
            eidx = re.search(r"⟦e(\d+)⟧", idx).group(1)  # type: ignore[union-attr]
            ent = v.entity(eidx)
            if ent.startswith(REGION_PREFIX) or (
                v.item(eidx).how in ("region", "demonym") and not idx.endswith("'s")
            ):
                scope, partner = ("region", ent) if ent.startswith(REGION_PREFIX) else ("world", None)
                if not ent.startswith(REGION_PREFIX):
                    continue
            else:
                scope, partner = ("supplier_of" if direction == "export" else "recipient_of"), ent
        reg = re.search(r"\d+", g["reg"]).group(0) if g.get("reg") else None  # type: ignore[union-attr]
        if reg and v.entity(reg).startswith(REGION_PREFIX):
            scope, partner = "region", v.entity(reg)
        elif reg:
            continue  # "the largest Chinese arms exporter": a company, not a country
        if (
            r := re.match(rf"^(?: of (?:major )?arms)? to (?:the )?{E}", text_after)
        ) and direction == "export":
            scope, partner = "supplier_of", v.entity(r.group(1))
        elif (
            r := re.match(rf"^ (?:of|for) (?:the )?{E}(?:'s)? (?:arms|weapons|military)", text_after)
        ) and direction == "import":  # "the leading recipient of Turkish arms": of that supplier's exports
            scope, partner = "recipient_of", v.entity(r.group(1))
        elif (
            (  # "the largest importer of conventional weapons in South America": a rank within the region
                r := re.match(
                    rf"^(?: of (?:major |conventional )?(?:arms|weapons))? (?:in|of|among) (?:the )?(?:states (?:in|of) )?{E}",
                    t[m.end() : m.end() + 70],
                )
            )
            and v.entity(r.group(1)).startswith(REGION_PREFIX)
        ):
            scope, partner = "region", v.entity(r.group(1))
        if "global" in rest or "world" in rest:
            scope = "world"
        elif (
            scope == "world"
            and direction in ("import", "export")
            and not re.search(r"world|global|internationally", t[max(0, m.start() - 40) : m.end() + 40])
            and (reg := _region_ranking_before(v, direction))
        ):  # "Nigeria ... one of the top five arms importers in sub-Saharan Africa. ... Nigeria came first place
            # as the largest arms importer": the ranking of the sentence before, in its region
            scope, partner = "region", reg
        if (
            both := re.match(r"^ to (?:both|the two) (?:states|countries|nations)\b", text_after)
        ) and direction == "export":
            _to_both(v, t, m, both.end(), rank)  # "the USA is the main supplier to both states"
            continue
        exclude = {partner} if partner else set()
        subj, sidx = _subject(v, t, m.start(), m.end(), exclude)
        if g.get("obj"):  # "pushed Saudi Arabia to fourth place": the one pushed
            subj, sidx = v.entity(g["obj"]), int(g["obj"])
        if subj is None and m.group(0).startswith(
            "("
        ):  # "Russia's arms exports declined to about 8% (third place)"
            owners = list(re.finditer(E, re.split(r";|\bwhile\b|\bbut\b", t[: m.start()])[-1]))
            subj, sidx = (v.entity(owners[-1].group(1)), int(owners[-1].group(1))) if owners else (None, None)
        if subj is None or (subj.startswith(REGION_PREFIX) and scope != "world"):
            continue
        pieces = [int(g["o"])] if g.get("o") else []
        if sidx is not None:
            pieces.insert(0, sidx)
        ahead = re.match(
            rf"^,? (?:after|behind) ((?:(?:the )?{E}(?:,? and |, ))+(?:the )?{E})",
            text_after + t[m.end() + 40 :],
        )
        if ahead and g.get("sup") and not g.get("o") and not g.get("ow"):
            rank = 1.0 + len(
                re.findall(E, ahead.group(1))
            )  # "the biggest spender after the US, China, Russia and India"
        if direction == "spending":
            if scope != "region" and (reg := _region_word(v, t, m.start(), m.end()) or _ranking_before(v, t)):
                scope, partner = (
                    "region",
                    reg,
                )  # "the subregion's biggest spender", "second ... in the region"
            if subj != partner:
                _milex_rank(v, m.end(), pieces, subj, rank, partner if scope == "region" else None)
            continue
        if scope == "region":
            c = v.add(
                ClaimKind.REGION_RANK,
                pieces,
                subject=[subj],
                partner=partner,
                direction=direction,
                value=rank,
            )
        elif scope in ("supplier_of", "recipient_of"):
            c = v.add(
                ClaimKind.RANK,
                pieces,
                subject=[subj],
                partner=partner,
                direction=direction,
                scope=scope,
                value=rank,
            )
        else:
            c = v.add(ClaimKind.RANK, pieces, subject=[subj], direction=direction, scope="world", value=rank)
        # "the world's second biggest arms exporter behind the U.S.": the one ahead is one rank up.
        if rank >= 2 and (b := re.match(rf"^,? (?:behind|after) (?:the )?{E}", text_after)):
            v.add(
                c.kind,
                [int(b.group(1))],
                subject=[v.entity(b.group(1))],
                partner=c.partner,
                direction=direction,
                scope=c.scope,
                value=rank - 1,
            )
