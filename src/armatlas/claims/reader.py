"""Quantity-first reading of a sentence: for each figure, its measure, roles and periods.

Instead of one phrase rule per wording, every percentage, factor or money amount is read by
slots that journalists fill in many orders:
- the measure: a change ("grew by", "a 9.7 percent decline", "doubled"), a share ("of X's
  imports", "accounted for", a list item "India (34%)"), or military spending;
- the whole a share is of (the world, a country's or a region's imports or exports), the part
  (the list item, the subject of "accounted for", the place after "to"), "respectively" lists;
- the owner and partner of a change ("X's exports to Y", "imports of Russian arms", "its");
- the periods: next to the figure, the sentence's headline and comparison ("compared with"),
  or inherited from the sentence before (see `periods_for`).
Each reading becomes a Claim; where the words allow more than one whole, the alternatives
travel with the claim and check.py keeps the reading the data support best.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from armatlas.analysis.periods import Period
from armatlas.claims.extract import Claim, SentenceView
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.mentions import REGION_PREFIX
from armatlas.claims.timeexpr import PeriodMention

E = r"⟦e(\d+)⟧"
Q = r"⟦([nf])(\d+)⟧"
ARMS = r"(?:(?:total|major|international|overall|conventional) )*(?:(?:arms?|weapons?|military|defen[cs]e) )?"
IMP = r"imports?|imported|purchases|procurement|acquisitions"
EXP = r"exports?|exported|sales|supplies|deliveries|shipments"
UP = (
    r"increased|increases|increase|rose|risen|rise|rises|grew|grown|grows|growth|jumped|jump|surged|surge|"
    r"soared|climbed|up|higher|more|expanded|doubled|tripled|increasing|rising|growing|jumping|surging|"
    r"soaring|climbing|expanding"
)
DOWN = (
    r"decreased|decreases|decrease|declined|declines|decline|fell|fallen|falls|dropped|drop|shrank|shrunk|"
    r"down|lower|less|dipped|plunged|slumped|contracted|halved|reduced|reduction|cut|decreasing|declining|fall|"
    r"falling|dropping|shrinking|plunging|reducing"
)
HEDGE = (
    r"(?:(?:about|around|almost|nearly|roughly|some|over|more than|less than|just under|just over|a|an|"
    r"whopping|a whopping|only|sharply|slightly|significantly|drastically|by|of|its|their) )*"
)
MILEX = (
    r"\b(?:military|defen[cs]e|arms) (?:spending|expenditure|budgets?|outlays?|burden)\b|\bspent\b|\bspenders?\b|"
    r"\bspending\b|\bexpenditures?\b"
)
WORLD = r"(?:global|world|world's|international|worldwide)"
_CLAUSE = re.compile(r";|\bwhile\b|\bwhereas\b|\bbut\b|:|\. ")
# "arms budgets", "spent $76 billion on arms": military spending, not arms transfers
_SPENT_ON_ARMS = re.compile(
    r"\b(?:arms|weapons) (?:budgets?|spending|expenditures?|outlays?)\b|"
    r"\b(?:spent|spends|spend|spending)\b[^.;]{0,40}?\bon (?:arms|weapons)\b"
)


@dataclass
class Reading:
    """What the quantity loop carries from one figure to the next in a sentence."""

    whole: str | None = None  # entity id, region id or 'world'
    direction: str | None = None
    last: Claim | None = None
    whole_first: bool = False  # the last share named its whole before the figure and its part after


def _dir(word: str | None) -> str | None:
    if not word:
        return None
    w = word.lower()
    if re.match(r"import|purchas|procure|acqui|buy|bought|recipient|client|customer", w):
        return "import"
    if re.match(r"export|sale|suppl|deliver|sell|sold|transfer|shipment", w):
        return "export"
    return None


def _clause_start(t: str, pos: int) -> int:
    starts = [m.end() for m in _CLAUSE.finditer(t[:pos])]
    return starts[-1] if starts else 0


def _clause_end(t: str, pos: int) -> int:
    m = _CLAUSE.search(t, pos)
    return m.start() if m else len(t)


def sentence_topic(v: SentenceView, pos: int) -> str | None:
    """Antecedent of 'its', 'it', 'the country': the first country of the sentence before pos,
    else the first country of the sentence before, else the article's main country."""
    for i, m in v.entities():
        if v.template.index(f"⟦e{i}⟧") < pos and not m.entity_id.startswith(REGION_PREFIX):
            return m.entity_id
    prev = (
        v.article.views[v.sentence.index - 1]
        if v.sentence.index > 0 and len(v.article.views) >= v.sentence.index
        else None
    )
    if prev is not None:
        for c in prev.claims:
            if (
                c.subject
                and not c.subject[0].startswith(REGION_PREFIX)
                and c.kind not in (ClaimKind.OUT_OF_SCOPE,)
            ):
                return c.subject[0]
        ents = [m.entity_id for _, m in prev.entities() if not m.entity_id.startswith(REGION_PREFIX)]
        if ents:
            return ents[0]
    return v.article.main_entity


def _last_region(v: SentenceView, pos: int) -> str | None:
    regs = [
        m.entity_id
        for i, m in v.entities()
        if m.entity_id.startswith(REGION_PREFIX) and v.template.index(f"⟦e{i}⟧") < pos
    ]
    return regs[-1] if regs else None


def marker_entity(v: SentenceView, idx: str | None, pos: int) -> str | None:
    """Entity of marker idx; pronouns and 'the country' resolve to the topic."""
    if idx is None:
        return None
    if idx in ("their", "they") and (
        grp := re.findall(
            rf"{E} (?:countries|states|nations)\b|\b(?:countries|states|nations) (?:in|of) (?:the )?{E}",
            v.template[:pos],
        )
    ):  # "European countries accounted for 33%, increasing their imports by 210%": the group's
        return v.entity(next(x for x in grp[-1] if x))
    if idx in ("its", "it", "it's", "their", "the country's", "the country", "they"):
        poss = [
            m.entity_id
            for i, m in v.entities()
            if m.possessive
            and v.template.index(f"⟦e{i}⟧") < pos
            and not m.entity_id.startswith(REGION_PREFIX)
        ]
        return poss[-1] if poss and idx in ("its", "their", "it's") else sentence_topic(v, pos)
    if idx in ("the continent", "the region"):
        return _last_region(v, pos)
    return v.entity(idx)


# -- the whole a share is of ------------------------------------------------------------------
_WHOLE_AFTER = [
    (
        re.compile(rf"^\)?\s*(?:share )?(?:of|in) (?:the )?(?:total )?{WORLD} (?:total|{ARMS}(?P<d>\w+))"),
        "world",
    ),
    (re.compile(r"^\)?\s*(?:share )?of (?:the )?(?:global|world) total"), "world"),
    # "India was the top importer, accounting for 11 percent of the total": the world's, as SIPRI reports
    (
        re.compile(
            r"^\)?\s*of the total(?=\s*[,.;)]|\s*$|\s+(?:in|during|over|between|for|from) (?:the )?⟦p)"
        ),
        "world",
    ),
    # "The US holds 36 percent of the total exports of arms", "4.4 percent of total imports": no owner, the world's
    (
        re.compile(
            rf"^\)?\s*of (?:the )?total {ARMS}(?P<d>exports|imports)\b(?! (?:of|by|to|from) (?:the )?⟦e)"
        ),
        "world",
    ),
    # "the top five accounted for 74 percent of all arms exports"
    (
        re.compile(rf"^\)?\s*of all (?:{WORLD} )?{ARMS}(?P<d>exports|imports)\b(?! (?:of|by|to|from)\b)"),
        "world",
    ),
    (
        re.compile(
            rf"^\)?\s*(?:share )?of (?:the )?(?:total )?(?:{E}'s|(?P<pro>its|their|the country's)) (?:total )?{ARMS}(?P<d>{IMP}|{EXP}|weapons|arms)"
        ),
        "poss",
    ),
    (
        re.compile(rf"^\)?\s*share of (?:the )?{ARMS}(?P<d>imports|exports)\b(?! (?:of|by|to|from)\b)"),
        "world",
    ),
    (re.compile(rf"^\)?\s*(?:share )?of (?:the )?(?:total )?{E} {ARMS}(?P<d>{IMP}|{EXP})"), "poss"),
    (
        re.compile(
            rf"^\)?\s*(?:share )?of (?:the )?{ARMS}(?P<d>{IMP}|{EXP}|arms|weapons)(?: (?:imported|exported|bought|purchased|sold))? (?:by|of|to) (?:the )?{E}"
        ),
        "poss",
    ),
]
_SHARE_OF = re.compile(
    rf"(?:{E}(?:'s)?|(?P<pro>its|their|the country's)) (?:(?P<w0>{WORLD}) |\w+ )?share(?: (?:of|in|on) (?:the )?(?:total )?"
    rf"(?:(?P<w>{WORLD}) )?{ARMS}(?P<d>{IMP}|{EXP}|arms|transfers|trade|(?:sales? )?market)?"
    rf"(?: (?:to|of|by) (?:the )?{E})?)?"
)
_CONTEXT_WHOLE = [
    # "the top three recipients of Türkiye's arms exports", "customers of Israeli arms"
    (
        re.compile(
            rf"(?:recipients|customers|clients|buyers|importers|destinations|markets) (?:of|for) (?:{E}'s|{E}) "
            rf"{ARMS}(?:{EXP}|arms|weapons)?"
        ),
        "export",
    ),
    # "Of the USA's arms exports, 35 per cent went to the Middle East"
    (re.compile(rf"\bof (?:the )?(?:total )?{E}'s {ARMS}(?P<d>exports|imports),"), None),
    # "the top three countries purchasing weapons from Israel are India, accounting for 37%"
    (
        re.compile(
            rf"(?:countries|states) (?:purchasing|buying|importing|receiving) (?:arms |weapons )?from (?:the )?{E}"
        ),
        "export",
    ),
    # "the top three arms suppliers to Israel", "Azerbaijan's main suppliers", "the country's main suppliers",
    # "Russia is the biggest exporter of arms to Nigeria accounting for 35 per cent"
    (
        re.compile(
            rf"(?:suppliers?|exporters?|sellers?) (?:of arms |of weapons )?to (?:the )?{E}|(?:{E}|(?P<pro>the country|its?))'s? (?:\w+ )*?(?:arms )?suppliers"
        ),
        "import",
    ),
    # "Russia's arms exports went to three countries", "exports of China went to"
    (
        re.compile(
            rf"(?:{E}'s {ARMS}|{E} {ARMS})(?P<d>{EXP}|{IMP})(?= (?:[\w-]+ ){{0,3}}(?:went|go|goes|going|were delivered|were sent|came|come)\b)"
        ),
        None,
    ),
    # "Azerbaijan purchased arms mainly from", "Russia sold arms to"
    (
        re.compile(
            rf"{E}(?: \w+){{0,2}} (?P<d>buys|bought|purchases|purchased|imports|imported|acquired|receives|received|obtained|"
            rf"sells|sold|exports|exported|supplies|supplied|delivers|delivered)\b"
        ),
        None,
    ),
    # "Among the arms supplied to Ukraine", "weapons delivered to India": the recipient's imports
    (
        re.compile(rf"\b(?:arms|weapons) (?:supplied|delivered|sold|exported|transferred) to (?:the )?{E}"),
        "import",
    ),
    # "exports of U.S.-made weapons", "the largest U.S. customer": the maker's exports
    (re.compile(rf"\b(?:exports|sales|deliveries) of {E}-(?:made|built|manufactured|produced) "), "export"),
    (re.compile(rf"{E} [\"“]?(?:customers?|clients?|buyers?)\b"), "export"),
    # "India was by far Russia's largest arms client"
    (
        re.compile(
            rf"{E}'s (?:\w+ )*?(?:arms )?(?:clients?|customers?|buyers?|recipients?|importers?|markets?)\b"
        ),
        "export",
    ),
    # "India is followed by Saudi Arabia (9.6%), Qatar (6.4%) ... among the top 10 arms importers"
    (
        re.compile(
            rf"\bthe (?:top|largest|biggest) ⟦k\d+⟧ {ARMS}(?P<d>importers|exporters|buyers|suppliers)\b(?! (?:to|of|for|from)\b)"
        ),
        "world",
    ),
    # "France as the second largest arms exporter (9.6%, 65 countries)": a ranked country's world share
    (
        re.compile(
            rf"(?:largest|biggest|leading|top) {ARMS}(?P<d>exporter|importer|supplier|seller|buyer|recipient)"
            rf"(?: in the world| globally| worldwide)? \($"
        ),
        "world",
    ),
    # "the world's largest arms buyers are India (13 %)"
    (
        re.compile(
            rf"{WORLD} (?:\w+ )?(?:largest|biggest|top|leading|main) {ARMS}(?P<d>buyers|importers|exporters|suppliers|sellers)"
        ),
        "world",
    ),
]


def _previous_country(v: SentenceView) -> str | None:
    """'This country': the last country of the sentence before that this sentence does not name."""
    i = v.sentence.index
    if i == 0 or len(v.article.views) < i:
        return None
    here = {m.entity_id for _, m in v.entities()}
    prev = [m.entity_id for _, m in v.article.views[i - 1].entities() if m.entity_id not in here]
    return prev[-1] if prev else None


def _whole_after(v: SentenceView, t: str, end: int) -> tuple[str | None, str | None]:
    r = t[end : end + 90]
    if (m := re.match(rf"^\)?\s*of (?:the )?{E}'s(?=\s*(?:[,.;)]|$|and\b))", r)) and (
        prev := re.search(rf"\bof (?:the )?{E}'s {ARMS}(?P<d>{IMP}|{EXP})\b", t[:end])
    ):  # "97 per cent of Japan's arms imports and 72 per cent of South Korea's": the same flow, elided
        return v.entity(m.group(1)), _dir(prev.group("d"))
    if m := re.match(
        rf"^\)?\s*of (?:the )?(?:total |all |its |their )?{ARMS}(?P<d>exports|imports) (?:went|go|were|was|came)",
        r,
    ):
        return sentence_topic(v, end), _dir(
            m.group("d")
        )  # "68 % of exports went to ...": the exporter named before
    if re.match(
        r"^\)?\s*of (?:the )?(?:arms|weapons)(?: exports)? (?:of|from) (?:this|that|the same) country", r
    ):
        return _previous_country(v), "export"
    for rx, what in _WHOLE_AFTER:
        m = rx.match(r)
        if not m:
            continue
        d = _dir(m.groupdict().get("d"))
        if d is None and what != "world":
            verb = re.search(
                r"\b(sells|sold|exports|exported|supplies|supplied|delivers|delivered|buys|bought|purchases|"
                r"purchased|imports|imported|receives|received)\b",
                t[max(0, end - 120) : end],
            )
            d = _dir(verb.group(1)) if verb else None
            d = d or (
                "import"
                if re.search(
                    r"purchas|bought|buy|receiv|procur|acquir|obtain|sourced", t[max(0, end - 120) : end]
                )
                else None
            )
        if what == "world":
            return "world", d
        idx = next((g for g in m.groups() if g and g.isdigit()), None) or m.groupdict().get("pro")
        if (
            idx in ("its", "their")
            and (
                to := re.findall(
                    rf"\b(?:supplier|exporter|seller)s? (?:of (?:arms|weapons) )?to (?:the )?{E}", t[:end]
                )
            )
        ):  # "the USA was only the third-largest arms supplier to Egypt ... and accounted for 15 per cent of its
            # arms imports": its = the importer, not the supplier
            return v.entity(to[-1]), d or "import"
        return marker_entity(v, idx, end), d
    return None, None


def _context_whole(v: SentenceView, t: str, start: int, pos: int) -> tuple[str | None, str | None]:
    seg = t[start:pos]
    best: tuple[int, str | None, str | None] | None = None
    for rx, what in _CONTEXT_WHOLE:
        for m in rx.finditer(seg):
            d = _dir(m.groupdict().get("d")) if what in (None, "world") else what
            if what == "world":
                cand = (m.start(), "world", d)
            else:
                idx = next((g for g in m.groups() if g and g.isdigit()), None)
                pro = m.groupdict().get("pro")
                if idx is None and pro:
                    who = marker_entity(v, pro, start + m.start())
                    if who is not None and not who.startswith(REGION_PREFIX):
                        cand = (m.start(), who, what)
                        if best is None or cand[0] >= best[0]:
                            best = cand
                    continue
                if idx is None:
                    continue
                if what is None and re.search(r"sol[dl]|export|suppl|deliver", m.group(0)):
                    d = "export"
                elif what is None and re.search(r"b[ou]|purchas|import|acqui|receiv|obtain", m.group(0)):
                    d = "import"
                cand = (m.start(), v.entity(idx), d)
            if best is None or cand[0] >= best[0]:
                best = cand
    return (best[1], best[2]) if best else (None, None)


# -- the part of a share ----------------------------------------------------------------------
def _part(v: SentenceView, t: str, start: int, qpos: int, qend: int) -> str | None:
    left, right = t[start:qpos], t[qend : qend + 60]
    if m := re.search(rf"{E}'s (?:was|is|stood at|at|reached) (?:about |around |nearly |almost )?$", left):
        return v.entity(m.group(1))  # "..., Qatar's was 13 percent and Pakistan's was 11 percent"
    if m := re.match(rf"^\)?,? (?:were|was|are|is) (?:the )?{E}-(?:made|built|manufactured|produced)", right):
        return v.entity(m.group(1))  # "Among the arms supplied to Ukraine, 45% were U.S.-made"
    if m := re.search(rf"{E} \((?:\w+ )?$", left):  # list item "India (34%)"
        return v.entity(m.group(1))
    if m := re.match(
        rf"^\)?,? ?(?:of [^,⟦]{{0,30}}? |of [^,]{{0,40}}?(?=went|go|were|was))?(?:went |go |goes |were delivered |was delivered |going )?to "
        rf"(?:(?:just |only )?(?:one|a single) (?:country|state|customer|recipient)\s*[—–:-]\s*)?(?:the )?{E}",
        right,
    ):
        return v.entity(m.group(1))  # "10 % to Myanmar", "68 % of exports went to the Asia ..."
    if m := re.match(rf"^ share, {E}", right):  # "with its 38 % share, India was ..."
        return v.entity(m.group(1))
    if m := re.match(
        rf"^\)?,? ?(?:of [^,⟦]{{0,25}}?)?from (?:the )?{E}", right
    ):  # "51% of weapons from Russia"
        return v.entity(m.group(1))
    if m := re.match(
        rf"^.{{0,80}}?\b(?:(?:were|was|are|is|been) (?:supplied|provided|delivered|produced|made) (?:by|in)|"
        rf"came from|come from|comes from|originated in|originated from) (?:the )?{E}",
        t[qend : qend + 120],
    ):
        return v.entity(m.group(1))
    if m := re.search(
        rf"(?:{E}|(the continent|the region|it|they))(?:'s)?(?: [\w-]+){{0,3}} (?:accounted for|accounting for|accounts for|"
        rf"account for|supplied|supplying|provided|providing|received|receiving|took|made up|makes up|delivered|"
        rf"represented|comprised|comprise|comprises|constitute|constitutes|constituted|had|has|holds|held)(?: \w+){{0,3}}\s*$",
        re.sub(
            r",? (?:which|who|that) (?=(?:accounted|accounts|account|supplied|provided|received|made|represented|held|had|has)\b)",
            " ",
            left,
        ),
    ):  # "Qatar and Israel, which accounted for 3.6%": the relative pronoun's antecedent
        return marker_entity(v, m.group(1) or m.group(2), qpos)
    if m := re.search(rf"(?:followed by|then|and|,) (?:the )?{E},? with (?:a |an )?$", left):
        return v.entity(
            m.group(1)
        )  # "India's share was 11 percent followed by Saudi Arabia with 9.6 percent"
    if shares := list(
        _SHARE_OF.finditer(left)
    ):  # the nearest: "the US share ... from 33% to 40%, France's share from 7.1%"
        m = shares[-1]
        return marker_entity(v, m.group(1) or m.group("pro"), qpos)
    if m := re.search(rf"{E}'s (?:\w+ ){{1,2}}(?:from|to) $", left):  # "while Russia's fell from 22% to 16%"
        return v.entity(m.group(1))

    if m := re.search(rf"{E}(?: \()?\s*$", left):  # elliptic list "Ukraine 16 %", "the middle east 8 %"
        return v.entity(m.group(1))
    return None


def _clause_subject(v: SentenceView, t: str, start: int, qpos: int, whole: str | None) -> str | None:
    """The first country named (not as a possessor) in the clause before the figure, other than the whole."""
    for m in re.finditer(rf"{E}(?!'s)", t[start:qpos]):
        e = v.entity(m.group(1))
        if e != whole:
            return e
    return None


def respectively_owner(v: SentenceView, t: str, qpos: int, code: str = "n") -> str | None:
    """'A, B and C, accounting for 16, 12 and 8.4 percent ... respectively': the k-th figure's country
    (code 'm' for money: "($3.1 billion and $2.9 billion, respectively)"; signs may lead: "–18% and –49%")."""
    if "respectively" not in t[qpos:]:
        return None
    runs = list(re.finditer(rf"(?:[+\-−–]?⟦{code}\d+⟧(?:,? and |, )?)+", t))
    run = next((r for r in runs if r.start() <= qpos < r.end()), None)
    if run is None:
        return None
    qs = [int(x) for x in re.findall(rf"⟦{code}(\d+)⟧", run.group(0))]
    if len(qs) < 2:
        return None
    lists = list(re.finditer(rf"(?:(?:the )?{E}(?:,? and |, ))+(?:the )?{E}", t[: run.start()]))
    here = int(re.match(rf"⟦{code}(\d+)⟧", t[qpos:]).group(1))  # type: ignore[union-attr]
    k = qs.index(here)
    ids = re.findall(r"⟦e(\d+)⟧", lists[-1].group(0)) if lists else []
    if len(ids) != len(
        qs
    ):  # "Germany's arms exports grew ... while China's declined ..., giving them 5.5 and 5.2 percent"
        named = list(dict.fromkeys(v.entity(x) for x in re.findall(r"⟦e(\d+)⟧", t[: run.start()])))
        return named[-len(qs) :][k] if len(named) >= len(qs) else None
    return v.entity(ids[k])


# -- changes ----------------------------------------------------------------------------------
_CHANGE_BEFORE = re.compile(rf"\b(?P<verb>{UP}|{DOWN})\b(?: [\w-]+ly)?(?: by)?(?: {HEDGE})?\s*\(?\s*$")
_CHANGE_NOUN_BEFORE = re.compile(
    rf"\b(?P<verb>increase|rise|decline|decrease|drop|fall|growth|jump|reduction) (?:of|by) {HEDGE}$"
)
_CHANGE_AFTER = re.compile(
    r"^\)?\s*(?:[\w-]+ )?(?P<verb>increase|rise|decline|decrease|drop|fall|growth|jump|reduction|surge|leap|hike|"
    r"plunge|slump|higher|lower|"
    r"more|less|up|down|fewer)\b"
)


_WITH_CHANGE = re.compile(rf"^(?: [\w-]+)? in (?:its |their )?{ARMS}(?P<d>{IMP}|{EXP}),\s*(?:the )?{E}")
# "increased substantially, 60 percent, 94 percent and 170 percent, respectively": each figure of the run
_RESPECTIVE_RUN = re.compile(
    rf"\b(?P<verb>{UP}|{DOWN})\b(?: [\w-]+ly)?,? (?:by )?(?:[+\-−–]?⟦n\d+⟧(?:,? and |, ))*$"
)


def change_sign(v: SentenceView, t: str, start: int, qpos: int, qend: int, kind: str) -> int | None:
    """+1 / -1 when the figure is a change, None when it is not."""
    if kind == "f":
        return 1
    left = t[start:qpos]
    if "respectively" in t[qend:] and (m := _RESPECTIVE_RUN.search(left)):
        return -1 if re.fullmatch(DOWN, m.group("verb")) else 1
    if m := re.search(
        r"(?:\(|,|\band)\s*([+\-−–])\s*$", left
    ):  # signed: "Egypt (+136 percent)", "(–18% and –49%"
        return 1 if m.group(1) == "+" else -1
    if re.search(rf"\b(?P<verb>{UP}|{DOWN}) (?:its |their |⟦e\d+⟧'s )?{ARMS}(?:{IMP}|{EXP}) \(\s*$", left):
        verb = re.search(
            rf"\b({UP}|{DOWN}) (?:its |their |⟦e\d+⟧'s )?{ARMS}(?:{IMP}|{EXP}) \(\s*$", left
        ).group(1)  # type: ignore[union-attr]
        return -1 if re.fullmatch(DOWN, verb) else 1
    if re.search(
        rf"(?:{E}'s|\bto (?:the )?{E}) by (?:{HEDGE})?$|\band {E}'s (?:{HEDGE})?$|"
        rf"(?:\bto|\band|,) (?:the )?{E} \(by (?:{HEDGE})?$",
        left,
    ):  # "Japan's by 155 per cent", "and to Egypt by 44%", "Egypt's imports rose 136% and Qatar's 361%",
        # "increased arms exports to China (by 39%) and Egypt (by 44%)"
        verbs = re.findall(rf"\b({UP}|{DOWN})\b", t[:qpos])
        if verbs:
            return -1 if re.fullmatch(DOWN, verbs[-1]) else 1
    if m := re.search(
        rf"\b(increase|rise|decrease|decline|fall|drop|growth|reduction) in {ARMS}(?:imports?|importation|exports?|"
        rf"exportation|purchases|transfers|sales)(?: (?:in|to|of|by) (?:the )?⟦e\d+⟧)? by (?:{HEDGE})?$",
        left,
    ):  # "a decrease in arms importation in Africa by 45 per cent"
        return -1 if re.fullmatch(DOWN, m.group(1)) else 1
    if (
        m := re.search(rf"\b({UP}|{DOWN})\b(?:[^⟦.;]|⟦p\d+⟧){{0,45}}?\bby (?:{HEDGE})?$", left)
    ) and not re.search(
        r"\b(?:made|make|makes) up\b", m.group(0)
    ):  # "increased its arms exports by 17%", "increased drastically, by 61%"
        return -1 if re.fullmatch(DOWN, m.group(1)) else 1
    if (
        re.search(rf"\band (?:{HEDGE})?$", left)
        and re.match(r"^ (?:higher |more |lower |less )?than (?:in )?(?:the )?⟦p", t[qend:])
        and (prev := re.findall(rf"\b({UP}|{DOWN})\b", t[:qpos]))
    ):  # "was increased 7.8 percent in 2014-2018 than in 2009-2013 and 23 percent than in 2004-2008"
        return -1 if re.fullmatch(DOWN, prev[-1]) else 1
    if re.search(r"\band by $", left) and (prev := re.findall(rf"\b({UP}|{DOWN})\b", t[:qpos])):
        return (
            -1 if re.fullmatch(DOWN, prev[-1]) else 1
        )  # "decreased by 13 per cent in 2016 and by 1.0 per cent in 2017"
    if re.search(
        r"\b(?:growth|increase|rise|decline|fall|drop|decrease)\b[^⟦.;]{0,50}?\b(?:reached|was|stood at|amounted to|totalled|of)"
        r" (?:a |an )?(?:record |whopping |staggering |mere )?$",
        left,
    ):
        return (
            -1 if re.search(r"\b(?:decline|fall|drop|decrease)\b[^⟦]*$", left) else 1
        )  # "growth ... reached a record 6633%"
    if left.rstrip().endswith("(") and (
        m := re.search(rf"\b({UP}|{DOWN})\b(?:[^⟦]|⟦e\d+⟧){{0,60}}\($", left)
    ):
        return (
            -1 if re.fullmatch(DOWN, m.group(1)) else 1
        )  # "a continued increase in arms transfers to the Middle East (61 percent)"
    for rx, s in ((_CHANGE_BEFORE, left), (_CHANGE_NOUN_BEFORE, left)):
        if m := rx.search(s):
            if m.group("verb") == "up" and re.search(
                r"\b(?:made|make|makes|making|set|sets|took|take|takes|taking|end|ended) up",
                s[max(0, m.start() - 8) : m.end()],
            ):
                return None
            tail = s[m.end("verb") :]
            if re.search(r"\b(?:to|from)\b", tail):  # "rose to 11%", "fell from 69%": a level, not a change
                return None
            return -1 if re.fullmatch(DOWN, m.group("verb")) else 1
    if m := _CHANGE_AFTER.match(t[qend : qend + 40]):
        if m.group("verb") in ("more", "less", "fewer") and not re.match(
            r"^\)?\s*(?:more|less|fewer) than", t[qend : qend + 40]
        ):
            return None
        return -1 if re.fullmatch(DOWN + "|fewer|plunge|slump", m.group("verb")) else 1
    return None


_FLOW = [
    # "Russia's arms exports to India", "India's imports of Russian arms", "US arms exports to Pakistan"
    re.compile(
        rf"(?:{E}(?:'s?|,? whose)?|(?P<pro>its|it's|their|the country's)) (?:own )?{ARMS}(?P<d>{IMP}|{EXP}|import|export|transfers)"
        rf"(?: (?:of {E} (?:arms|weapons)|(?:to|from) (?:the )?{E}))?"
    ),
    # "exports by Russia", "arms exports from Russia", "imports of major arms by states in Asia and Oceania"
    re.compile(
        rf"(?P<d>{IMP}|{EXP}) (?:of (?:major )?(?:arms|weapons) )?(?:by|from) (?:(?:the )?(?:states|countries) (?:in|of) )?(?:the )?{E}"
    ),
    # "European states imported", "Russia exported"
    re.compile(rf"{E}(?: states| countries)? (?P<d>imported|exported)"),
    # "arms transfers to the Middle East", "arms imports to the Middle East", "arms transfers in South America"
    re.compile(
        rf"(?P<d>transfers|deliveries|imports) (?:to|(?<=transfers )in) (?:(?:the )?(?:states|countries) (?:in|of) )?(?:the )?{E}"
    ),
    # "exports to India's neighbour China": the owner is the sentence's previous flow owner
    re.compile(rf"(?P<d>exports (?:to|from)|imports from) (?:{E}'s [\w-]+ )?(?:the )?{E}"),
    # "states in the Middle East increased arms imports by 25 percent": the verb's subject owns the flow
    # "China, with exports increasing 143 percent, overtook Germany"
    re.compile(rf"{E},? with (?:its |their )?{ARMS}(?P<d>imports|exports)\b"),
    # "France, the world's third-largest arms exporter, increased sales by almost 60%" (an appositive between)
    re.compile(
        rf"{E}(?: states| countries)?(?:,(?:[^,⟦;]|⟦o\d+⟧){{1,60}},)?,? (?:\w+ )?(?:{UP}|{DOWN}) (?:its |their )?{ARMS}"
        rf"(?P<d>imports|exports|sales|purchases)\b"
    ),  # "the sale of US arms to Pakistan", "deliveries of Russian weapons to India": owner, then partner
    re.compile(
        rf"(?P<d>sales?|exports|deliveries|supplies|transfers|shipments) of {E} (?:arms|weapons|military equipment)\b"
        rf"(?: to (?:the )?{E})?"
    ),
    # "arms importation in Africa": the place's imports
    re.compile(rf"(?P<d>importation|exportation) (?:in|of|by) (?:the )?{E}"),
]
_WORLD_FLOW = re.compile(
    rf"(?:{WORLD}|volume of|number of) (?:\w+ ){{0,3}}(?:arms |weapons? )?(?:trade|transfers?|transfer volume|flows?|sales?)\b|"
    rf"\barms transfers\b(?! to| in (?:the )?⟦e)|transfer volume|\b(?:sales|transfers|trade) (?:globally|worldwide)\b"
)


def flow_phrase(v: SentenceView, seg: str, pos: int) -> tuple[str | None, str | None, str | None] | None:
    """(owner, partner, direction) of the last flow phrase in seg; owner 'world' for world totals."""
    best: tuple[int, str | None, str | None, str | None] | None = None
    for i, rx in enumerate(_FLOW):
        for m in rx.finditer(seg):
            d = _dir(m.group("d"))
            ids = [g for g in m.groups() if g and g.isdigit()]
            if i == 0:
                owner = marker_entity(v, ids[0] if (m.group(1) and ids) else m.group("pro"), pos)
                partner = (
                    v.entity(ids[1])
                    if m.group(1) and len(ids) > 1
                    else (v.entity(ids[0]) if not m.group(1) and ids else None)
                )
            elif i == 1 and d == "import" and re.search(r"\bfrom\b", m.group(0)):
                continue
            elif i == 3:
                owner, partner, d = v.entity(ids[0]), None, "import"
            elif i == 4:
                if re.search(r"(?:⟦e\d+⟧(?:'s)?|arms|weapons|military|its|their) $", seg[: m.start()]):
                    continue
                prev = flow_phrase(v, seg[: m.start()], pos)
                if not prev or prev[0] in (None, "world"):
                    continue
                owner, partner = prev[0], v.entity(ids[-1])
            else:
                owner, partner = v.entity(ids[0]), (v.entity(ids[1]) if len(ids) > 1 else None)
            if best is None or m.end() >= best[0]:
                best = (m.end(), owner, partner, d)
    if best is None and (
        flow := re.search(
            r"\b(?:arms|military|weapons) (?P<d>imports|exports)\b|"
            rf", (?:increasing|raising|boosting|cutting|reducing)(?: its| their)? (?P<d2>imports|exports) (?:{HEDGE})?(?:⟦[nf]|$)",
            seg,
        )
    ):  # "..., increasing imports almost 100-fold": the participle's subject, the sentence's country
        best = (
            flow.end(),
            sentence_topic(v, pos),
            None,
            _dir(flow.group("d") or flow.group("d2")),
        )  # "growth in military imports": the topic's
    w = list(_WORLD_FLOW.finditer(seg))
    if w and (best is None or w[-1].end() > best[0]):
        return "world", None, None
    return best[1:] if best else None


def _previous_claim(v: SentenceView, st: Reading) -> tuple[str | None, str | None, str | None] | None:
    """Owner, partner and direction of the last transfer claim in this sentence or the one before."""
    cands = list(v.claims)
    i = v.sentence.index
    if i > 0 and len(v.article.views) >= i:
        cands = list(v.article.views[i - 1].claims) + cands
    for c in reversed(cands):
        if c.kind in (ClaimKind.CHANGE, ClaimKind.WORLD_CHANGE) and c.subject:
            return ("world" if c.kind == ClaimKind.WORLD_CHANGE else c.subject[0]), c.partner, c.direction
        if c.kind == ClaimKind.GLOBAL_SHARE and len(c.subject) == 1:
            return c.subject[0], None, c.direction
    return None


# -- periods ----------------------------------------------------------------------------------
def _period_near(v: SentenceView, t: str, qend: int) -> Period | None:
    if m := re.match(
        r"^\)?,?\s*(?:[\w-]+ ){0,2}?(?:in|for|during|between|over|of|from)? ?(?:the (?:period )?)?⟦p(\d+)⟧",
        t[qend : qend + 40],
    ):
        if re.match(r"^ (?:and|to) ⟦p\d+⟧", t[qend + m.end() :]):
            return None  # "from 5.5% to 5.8% between 2014-18 and 2019-23": a pair of periods for a pair of figures
        return v.item(m.group(1)).period
    # "40% of global arms exports in 2018-22": the period closing the figure's phrase
    if m := re.match(
        r"^ (?:share )?of (?:[^⟦,;]|⟦e\d+⟧)*? (?:in|for|during|over|from) (?:the (?:period )?)?⟦p(\d+)⟧",
        t[qend : qend + 80],
    ):
        return v.item(m.group(1)).period
    return None


def _comparison_items(v: SentenceView) -> set[int]:
    """Periods that are comparison points ('compared with 76% in 2009-13', 'than in 2014-18',
    '(7.2% in 2014-2018)', 'down from 1.5 percent in 2016-2020'), not the sentence's own."""
    t = v.template
    comp = {
        int(m.group(1))
        for m in re.finditer(
            r"(?:compared (?:to|with)|than|from|since|versus|vs\.?|relative to|against)(?: (?:in|during|between|the period of|"
            r"the|⟦[nk]\d+⟧|about|around))* ⟦p(\d+)⟧",
            t,
        )
    }
    comp |= {int(m.group(1)) for m in re.finditer(r"\(⟦n\d+⟧ (?:in |during )?⟦p(\d+)⟧\)", t)}
    # "compared to the previous five-year period (2015–2019)": the bracket names the base
    comp |= {
        int(m.group(1))
        for m in re.finditer(
            r"(?:compared (?:to|with)|than (?:in )?|from|versus|against) the (?:previous|preceding|prior|last) "
            r"(?:[\w-]+ )?period \(⟦p(\d+)⟧\)",
            t,
        )
    }
    # "remained at the same level as in 2015–19 and 2010–14": both are the points compared with
    for m in re.finditer(r"\bas (?:in|during) ⟦p(\d+)⟧((?:,? and ⟦p\d+⟧)*)", t):
        comp |= {int(m.group(1))} | {int(x) for x in re.findall(r"⟦p(\d+)⟧", m.group(2))}
    comp |= {
        i
        for i, it in enumerate(v.items)
        if isinstance(it, PeriodMention)
        and re.match(r"(?i)(?:from|since)\b", it.text)
        and not re.search(r"(?i)\b(?:to|until)\b", it.text)
    }
    # ("from 2005-2009" is a comparison point; "from 1990 to 2012" is a range of its own)
    from_to = {
        int(m.group(1))
        for m in re.finditer(r"\bfrom ⟦p(\d+)⟧", t)
        if re.search(r"(?i)\b(?:to|until)\b", v.item(m.group(1)).text)
    }
    return comp - from_to


def headline(v: SentenceView) -> Period | None:
    """The sentence's own period: its latest range that is not a comparison point; a relative span
    longer than a decade ("the largest importing region over the past 30 years") is background, not
    the period of the sentence's figures, when the sentence also names a range."""
    comp = _comparison_items(v)
    found = [
        (it.kind, it.period)
        for i, it in enumerate(v.items)
        if isinstance(it, PeriodMention) and it.kind in ("range", "relative") and i not in comp
    ]
    ps = [p for k, p in found if not (k == "relative" and p.length > 10)] or [p for _, p in found]
    return max(ps, key=lambda p: (p.end, p.length)) if ps else None


def periods_for(v: SentenceView, change: bool, near: Period | None) -> tuple[list[Period], str]:
    """Periods of a claim: next to the figure, else the sentence's, else inherited."""
    ranges = [
        it.period for it in v.items if isinstance(it, PeriodMention) and it.kind in ("range", "relative")
    ]
    head = headline(v)
    years = [
        int(y) for y in re.findall(r"\b(?:in|than in|than|from|to|and) ((?:19|20)\d{2})\b(?!⟧)", v.template)
    ]
    if change and not ranges and len(set(years)) >= 2:
        a, b = sorted(set(years))[-2:]
        return [Period(a, a), Period(b, b)], "years in the sentence"
    inherited = v.article.headline_before(v.sentence.index)
    if not change:
        if near:
            return [near], "next to the figure"
        if head:
            return [head], "sentence"
        if inherited:
            return [inherited[0]], inherited[1]
        return [], "none"
    uniq = sorted(set(ranges), key=lambda p: (p.end, p.start))
    if len(uniq) >= 2:
        newest = head or uniq[-1]
        older = [p for p in uniq if p.end < newest.end]
        base = older[-1] if older else uniq[0]
        if (
            base == newest
        ):  # "between 2011 and 2015 ... compared to the previous four years": the period before
            return [newest.previous(), newest], "sentence; comparison period taken as the one before"
        return [base, newest], "sentence"
    if len(uniq) == 1:
        p = uniq[0]
        if head is None and inherited and inherited[0].end > p.end:
            return [p, inherited[0]], "comparison in the sentence, period " + inherited[1]
        if p.end - p.start == 9:
            return _decade(p)
        return [p.previous(), p], "sentence; comparison period taken as the one before"
    if inherited:
        if inherited[0].end - inherited[0].start == 9:
            return _decade(inherited[0])
        return [inherited[0].previous(), inherited[0]], inherited[
            1
        ] + "; comparison period taken as the one before"
    return [], "none"


def _decade(p: Period) -> tuple[list[Period], str]:
    """'Rose by a quarter in the decade to 2020': SIPRI compares the decade's two five-year periods."""
    return [Period(p.start, p.start + 4), Period(p.start + 5, p.end)], (
        "a decade: its two five-year periods, as SIPRI compares them"
    )


def change_periods(v: SentenceView, t: str, qend: int) -> tuple[list[Period], str]:
    """A change's two periods. A comparison point written after another figure of the sentence
    ('a 5.5 percent increase ... and a 20 percent increase from 2005-2009') is that figure's, not this one's."""
    comp = _comparison_items(v)
    nxt = re.search(r"⟦[nfk]\d+⟧", t[qend:])
    after = t[qend : qend + nxt.start()] if nxt else t[qend:]
    mine = [int(x) for x in re.findall(r"⟦p(\d+)⟧", after) if int(x) in comp]
    others = [i for i in comp if i not in mine]
    head = headline(v)
    inherited = v.article.headline_before(v.sentence.index)
    newest = head or (inherited[0] if inherited else None)
    if mine and newest and v.item(mine[0]).period.end < newest.end:
        return [v.item(mine[0]).period, newest], "comparison next to the figure"
    if others and not mine and head is None and inherited:
        return [inherited[0].previous(), inherited[0]], inherited[
            1
        ] + "; comparison period taken as the one before"
    return periods_for(v, True, None)


def stated_relation(left: str, approximate: bool) -> str:
    """How the figure is stated: 'more than' gt, 'less than' lt, 'nearly' almost (at most, a little
    under), words such as 'a fifth' approx, else eq."""
    if re.search(r"(?:over|more than|above|upwards of) (?:a |an )?$", left):
        return "gt"
    if re.search(r"(?:under|less than|below|fewer than) (?:a |an )?$", left):
        return "lt"
    if re.search(r"(?:nearly|almost|close to|just under) (?:a |an )?$", left):
        return "almost"
    return "approx" if approximate else "eq"  # 'about 55%' keeps the figure's own rounding


# -- the loop ---------------------------------------------------------------------------------
def _pair_index(rest: str) -> str:
    """The index of the second figure of a pair ("from 32 ⟦…⟧ to ⟦n7⟧"); the caller has matched it."""
    m = re.match(r"^ (?:to|and) ⟦n(\d+)⟧", rest)
    if m is None:  # cannot happen after the caller's match; say so rather than guess
        raise ValueError(f"no second figure in {rest[:40]!r}")
    return m.group(1)


def read_quantities(v: SentenceView) -> None:
    """Every percentage and factor of the sentence read as a share or a change (see module doc)."""
    t = v.template
    st = Reading()
    for m in re.finditer(r"⟦([nfkx])(\d+)⟧", t):
        code, idx, qpos, qend = m.group(1), m.group(2), m.start(), m.end()
        if code == "x":  # "nine times higher than Pakistan's": a ratio of two spending levels
            from armatlas.claims.milex_reader import read_milex_ratio

            read_milex_ratio(v, code, idx, qpos, qend, _clause_start(t, qpos))
            continue
        if (
            code == "k"
        ):  # "27 percent of its weapons to India, 14 to China": a share list continued in bare figures
            pair = re.search(r"\bfrom $", t[:qpos]) and re.match(
                r"^ (?:to|and) ⟦n", t[qend:]
            )  # "from 32 to 37 percent"
            if not pair and not (
                st.last
                and st.last.kind.endswith("share")
                and re.match(r"^ (?:to|from) (?:the )?⟦e", t[qend:])
            ):
                continue
            if pair:
                _read_share(
                    v,
                    st,
                    t,
                    idx,
                    qpos,
                    qend,
                    _clause_start(t, qpos),
                    pair_of=_pair_index(t[qend:]),
                )
                continue
            code = "n"
        start = _clause_start(t, qpos)
        clause = _SPENT_ON_ARMS.sub("spending", t[start : _clause_end(t, qend)])
        if not re.search(rf"\b(?:{IMP}|{EXP}|arms|weapons|transfers?)\b", clause) and (
            re.search(MILEX, clause)
            or after_spending(v)
            or (st.last is not None and st.last.kind in (ClaimKind.MILEX_CHANGE, ClaimKind.MILEX_LEVEL))
            or (re.search(MILEX, t[:qpos]) and not re.search(rf"\b(?:{IMP}|{EXP}|arms|weapons)\b", t))
        ):  # "..., 1.7% lower than in 2020, but 29% higher than in 2012": the spending clause goes on
            from armatlas.claims.milex_reader import read_milex_figure

            read_milex_figure(v, st, code, idx, qpos, qend, start)
            continue
        sign = change_sign(v, t, start, qpos, qend, code)
        item = v.item(idx)
        if sign is not None:
            _read_change(v, st, t, idx, qpos, qend, start, sign * item.value)
        elif code == "n":
            _read_share(v, st, t, idx, qpos, qend, start)


def after_spending(v: SentenceView) -> bool:
    """'That's a 1.6 per cent rise compared to 2023' after a spending sentence: still about spending."""
    i = v.sentence.index
    if i == 0 or len(v.article.views) < i:
        return False
    kinds = {c.kind for c in v.article.views[i - 1].claims}
    return bool(kinds) and all(k.startswith("milex") for k in kinds)


def _read_change(
    v: SentenceView, st: Reading, t: str, idx: str, qpos: int, qend: int, start: int, value: float
) -> None:
    left = t[start:qpos]
    near = _period_near(v, t, qend)
    sm = list(_SHARE_OF.finditer(left))
    share_word = bool(sm) and not re.search(rf"\b(?:{IMP}|{EXP})\b", left[sm[-1].end() :])
    prev_share = st.last is not None and st.last.kind in (
        ClaimKind.GLOBAL_SHARE,
        ClaimKind.SUPPLIER_SHARE,
        ClaimKind.RECIPIENT_SHARE,
    )
    shares_here = [c.value for c in v.claims if c.kind.endswith("share") and c.value is not None]
    if len(shares_here) >= 2 and abs(abs(value) - abs(shares_here[-1] - shares_here[-2])) > 1.0:
        share_word = prev_share = (
            False  # two levels stated: a change that is not their difference is a volume change
        )
    if prev_share and (
        abs(value) > 100 or re.search(r"\band (?:were|was|are|is|have been|has been) $", left)
    ):
        # "its arms imports accounted for 5.8 per cent of the global total and were 212 per cent higher than in
        # 2010–14": the clause's flow again (no share moves by more than 100 points)
        prev_share = False
    if (
        share_word
        or (prev_share and re.match(r"^\)?\s*(?:more|less|higher|lower) than", t[qend : qend + 30]))
        or (prev_share and re.search(r"\b(?:increase|decrease|rise|fall|drop) of $", left))
    ):
        base = st.last
        direction: str | None
        if base is None:
            m = _SHARE_OF.search(left)
            if not m:
                return
            subj = marker_entity(v, m.group(1) or m.group("pro"), qpos)
            kind_whole = "world"
            direction = _dir(m.group("d")) or "export"
            partner = None
        else:
            subj, partner, direction = base.subject[0], base.partner, base.direction
            kind_whole = base.kind
        if subj is None:
            return
        level = _share_level(v, subj, kind_whole)
        if level is not None and abs(value) > level.value:  # type: ignore[operator]
            # "with 8.3% of the world's total imports. However, India's share has dropped by 9.3%": no share
            # of 8.3% drops by 9.3 points, so the figure is the flow's change (as SIPRI states it)
            ps, src = change_periods(v, t, qend)
            c = v.add(
                ClaimKind.CHANGE,
                [int(idx)],
                subject=[subj],
                direction=level.direction,
                value=value,
                notes=["a change larger than the share itself: read as the change of the flow"],
            )
            c.periods, c.period_source = ps, src
            st.last = c
            return
        if base is None and level is not None:
            direction = level.direction
        ps, src = periods_for(v, True, None)
        c = v.add(
            ClaimKind.SHARE_CHANGE,
            [int(idx)],
            subject=[subj],
            partner=partner,
            direction=direction,
            value=value,
            scope=None if kind_whole in ("world", "global_share") else kind_whole,
            notes=["read as a change in percentage points of the share"],
        )
        c.periods, c.period_source = ps, src
        st.last = c
        return
    if (
        (bm := re.search(rf"(?:\bto|\band|,) (?:the )?{E} \(by (?:{HEDGE})?$", left))
        and (fw := re.search(rf"\b{ARMS}(?P<d>exports|sales|deliveries|imports) (?:to|from) ", left))
    ):  # "the Russian Federation increased arms exports to China (by 39%) and Egypt (by 44%)": to each partner
        partner = v.entity(bm.group(1))
        owner = _clause_subject(v, t, start, start + fw.start(), partner)
        if owner is not None:
            c = v.add(
                ClaimKind.CHANGE,
                [int(bm.group(1)), int(idx)],
                subject=[owner],
                partner=partner,
                direction=_dir(fw.group("d")),
                value=value,
                relation=stated_relation(left, v.item(idx).approximate),
            )
            c.periods, c.period_source = change_periods(v, t, qend)
            st.last = c
            return
    if m := re.search(
        rf"{E} \(\s*(?:[+\-−–]|(?:up|down|rising|falling|an? (?:increase|decrease|rise|fall) of)(?: by)?\s)?$",
        left,
    ):
        # "driven by Saudi Arabia (+61 percent), Egypt (+136 percent)", "East Asia (down 6.1%), Oceania
        # (down 10%) and Southeast Asia (down 43%) decreased": each figure is its bracket's country's
        before = st.last if st.last and st.last.kind == ClaimKind.CHANGE else None
        words = re.findall(rf"\b({IMP}|{EXP})\b", t)
        direction = before.direction if before else (_dir(words[0]) if words else None)
        if direction is not None:
            c = v.add(
                ClaimKind.CHANGE,
                [int(m.group(1)), int(idx)],
                subject=[v.entity(m.group(1))],
                direction=direction,
                value=value,
                relation=stated_relation(left, v.item(idx).approximate),
            )
            c.periods, c.period_source = (
                (list(before.periods), before.period_source) if before else change_periods(v, t, qend)
            )
            st.last = c
            return
    elliptic = re.search(
        rf"(?:\bto (?:the )?{E} by|{E}'s(?: \w+)?(?: by)?|{E},? which (?:saw|recorded)) (?:{HEDGE})?$", left
    )
    fl = None if elliptic else flow_phrase(v, left, qpos)
    if (own := re.search(rf"{E} (?:more than |nearly |almost |roughly )?$", left)) and (
        verb_obj := re.match(rf"^ (?:its |their )?{ARMS}(?P<d>imports|exports)\b", t[qend:])
    ):  # "with Europe more than tripling imports": the factor is the verb, the country its subject
        fl = (v.entity(own.group(1)), None, _dir(verb_obj.group("d")))
    if re.match(r"^\s*with\b[^⟦]{0,40}$", left, re.IGNORECASE) and (
        lead := _WITH_CHANGE.match(t[qend : qend + 120])
    ):  # "With an increase of 192 percent in arms imports, Saudi Arabia was ...": the clause's subject
        fl = (v.entity(lead.group(2)), None, _dir(lead.group("d")))
    if (who := respectively_owner(v, t, qpos)) and fl and fl[0] not in (None, "world"):
        fl = (who, None, fl[2])  # "Israeli, South Korean and Turkish arms exports increased 60, 94 and 170%"
    if (
        fl is None
        and (
            sub := re.search(
                rf"{E}(?: countries| states| nations)? (?:saw|recorded|registered|posted) (?:a |an )?$", left
            )
        )
        and (
            noun := re.match(
                rf"^ (?:rise|increase|growth|jump|fall|decline|drop|decrease) in {ARMS}(?P<d>imports|exports)\b",
                t[qend:],
            )
        )
    ):  # "European countries saw a 155% rise in arms imports": the subject's flow named after the figure
        fl = (v.entity(sub.group(1)), None, _dir(noun.group("d")))
    if fl is None and not elliptic:
        fl = flow_phrase(v, t[qend : _clause_end(t, qend)][:80], qend)
    if fl is None:
        # Elliptic: "China's declined 7.8 percent", "the Middle East, which saw 25 percent growth"
        if (
            (m := re.search(rf"\bto (?:the )?{E} by (?:{HEDGE})?$", left))
            and st.last
            and st.last.kind == ClaimKind.CHANGE
        ):
            fl = (st.last.subject[0], v.entity(m.group(1)), st.last.direction)  # "... and to Egypt by 44%"
        elif m := re.search(
            rf"{E}(?:'s|,? which saw|,? which recorded|(?:,(?:[^,⟦]|⟦o\d+⟧){{1,40}},)? saw| (?:countries|states|nations) saw|"
            rf" (?:had |has |have )?(?:recorded|registered|posted|experienced))(?: \w+)?"
            rf"(?: (?:arms )?(?:trade|exports|imports|sales|purchases) \w+)?\s*(?:by )?(?:a |an )?"
            rf"(?:(?:\w+ )?(?:rise|increase|growth|jump|fall|decline|drop|decrease|reduction) (?:of |by ))?$",
            left,
        ):
            prev = (
                flow_phrase(v, t[:start], start)
                if st.last is None or st.last.kind not in (ClaimKind.CHANGE, ClaimKind.WORLD_CHANGE)
                else None
            )
            d = (
                st.last.direction
                if st.last and st.last.kind == ClaimKind.CHANGE
                else (prev[2] if prev else None)
            )
            region = v.entity(m.group(1)).startswith(REGION_PREFIX)
            if "which" in m.group(0) and region:
                d = "import"  # "the Middle East, which saw 25 percent growth": a region's arms imports
            elif d is None:  # "Arms imports by two of China's neighbours increased, Japan's by 155 per cent"
                words = re.findall(rf"\b({IMP}|{EXP})\b", t[:qpos]) or re.findall(
                    r"\b(import|export)(?:ing|ers?)\b", t[:qpos]
                )  # "As for arms exporting countries, the US ... saw a rise of 17%"
                d = _dir(words[-1]) if words else ("import" if region else None)
            if (
                d is None
            ):  # "while Turkey had recorded 170 percent increase": its flow named before in the article
                d = next(
                    (
                        c.direction
                        for w in reversed(v.article.views[: v.sentence.index])
                        for c in reversed(w.claims)
                        if c.kind == ClaimKind.CHANGE and c.subject == [v.entity(m.group(1))] and c.direction
                    ),
                    None,
                )
            fl = (v.entity(m.group(1)), None, d)
        elif m := re.search(rf"{E},? (?:which|that) (?:saw|recorded|registered|had)", left):
            fl = (
                v.entity(m.group(1)),
                None,
                "import" if v.entity(m.group(1)).startswith(REGION_PREFIX) else None,
            )
        elif (
            start > 0
            and re.match(r"^\s*\(?(?:was|were|is|are|has been|have been|had been)\b", left)
            and (prev := flow_phrase(v, t[:start], start)) is not None
        ):
            fl = prev  # "... remained at the same level (but was 18 per cent higher than in 2005–2009)"
        elif (prev := _previous_claim(v, st)) is not None:
            fl = prev  # "This represents a 122 percent increase", "was 52% lower in 2023 than in 2022"
        else:
            return
    owner, partner, direction = fl
    if owner is None:
        return
    ps, src = change_periods(v, t, qend)
    if near and ps and near != ps[-1]:
        ps = [near, ps[-1]] if near.end < ps[-1].end else ps
    kind = ClaimKind.WORLD_CHANGE if owner == "world" else ClaimKind.CHANGE
    c = v.add(
        kind,
        [int(idx)],
        subject=["WORLD" if owner == "world" else owner],
        partner=partner,
        direction=direction if kind == ClaimKind.CHANGE else None,
        value=value,
        relation=stated_relation(left, v.item(idx).approximate),
    )
    c.periods, c.period_source = ps, src
    st.last = c


def _read_share(
    v: SentenceView,
    st: Reading,
    t: str,
    idx: str,
    qpos: int,
    qend: int,
    start: int,
    pair_of: str | None = None,
) -> None:
    whole, direction = _whole_after(v, t, qend)
    if whole is None and (run := re.match(r"^(?:,? (?:and )?⟦n\d+⟧)+", t[qend:])):
        whole, direction = _whole_after(
            v, t, qend + run.end()
        )  # "12, 9.5 ... and 4.4 percent of total imports"
    if pair_of is not None:  # "from 32 to 37 percent of ...": the first figure reads like the second
        nxt = t.index(f"⟦n{pair_of}⟧")
        whole, direction = _whole_after(v, t, nxt + len(f"⟦n{pair_of}⟧"))
    if whole is None and (
        two := re.search(
            rf"{E}'s share (?:in|of) (?:the )?(?:total )?{E}'s (?:total )?{ARMS}(?P<d>imports|exports|purchases|sales)\b",
            t[start:qpos],
        )
    ):  # "The UAE's share in Türkiye's arms exports was 15 percent": of the second country's flow
        whole, direction = v.entity(two.group(2)), _dir(two.group("d"))
    if whole is None:
        sm = _SHARE_OF.search(t[start:qpos])
        if sm and (sm.group("w") or sm.group("w0")):
            whole, direction = "world", _dir(sm.group("d"))
        elif sm and sm.group(sm.lastindex or 1) and sm.groups()[-1]:
            whole, direction = v.entity(sm.groups()[-1]), _dir(sm.group("d")) or "import"
        elif sm and "market" in (sm.group("d") or ""):  # "its share on the arms sale market": the world's
            whole, direction = "world", _dir(sm.group("d"))
    if whole is None and st.whole:
        whole, direction = st.whole, st.direction
    if whole is None:
        whole, direction = _context_whole(v, t, 0, qpos)
    if whole is None:  # "With its 38 % share, India was by far Russia's largest arms client"
        whole, direction = _context_whole(v, t, qend, len(t))
    guessed = False
    if (
        whole is None
        and re.search(r"\beach (?:with|had|has|at) (?:\w+ )?$", t[:qpos])
        and (prev := v.article.last_whole)
    ):
        whole, direction = prev  # "each with 11 % shares": of the whole the sentence before named
    if whole is None and re.match(
        r"^\)?,? ?(?:of [^,]{0,30}?)?(?:came|come|comes|went|go|goes) (?:from|to)", t[qend:]
    ):
        fl = flow_phrase(
            v, t[:qpos], qpos
        )  # "Pakistan's imports increased by 61 per cent; 81 per cent came from China"
        if fl and fl[0] not in (None, "world"):
            whole, direction = fl[0], fl[2]
    if (
        whole is None
        and (fo := _FOCUS.search(t[start:qpos]))
        and not re.search(r"(?:⟦e\d+⟧(?:'s)?|its|their) (?:\w+ )?$", t[start : start + fo.start()])
        and (who := sentence_topic(v, start + fo.start())) not in (None, "WORLD")
        and not who.startswith(REGION_PREFIX)
    ):  # "arms supplies continued to focus on Pakistan (37 % share)": the exports of the country before
        whole, direction = who, _dir(fo.group("d"))
    if (
        whole is None
        and (lw := v.article.last_whole) is not None
        and lw[0] == "world"
        and (lv := _LEVEL_TO.search(t[start:qpos]))
    ):  # "Russia's arms exports sharply declined to about 8%" after world shares: its world share's level;
        # "four times the share of the second-ranked France (10%)": the share the article spoke of
        whole, direction = "world", _dir(lv.group("d")) if lv.group("d") else lw[1]
    named_share = (sm := _SHARE_OF.search(t[start:qpos])) is not None and sm.group("pro") is None
    if whole is None and (named_share or re.match(r"^\)?,? (?:and ⟦n\d+⟧ )?shares?\b", t[qend:])):
        whole, guessed = (
            "world",
            True,
        )  # "Germany's share rose from 5.5% to 5.8%": of the world's, unless said
    if (
        whole is None
        and re.search(rf"{E} (?:accounts|accounted|account) for (?:{HEDGE})?$", t[start:qpos])
        and re.match(r"^\s*(?:[,.;]|$)", t[qend:])
        and (before := _previous_world_share(v))
    ):  # "China accounts for 5.9%, but ..." after the world shares of the sentence before
        whole, direction = "world", before.direction
    if whole is None and v.article.last_whole and respectively_owner(v, t, qpos):
        # "Pakistan and Qatar followed, with 10 percent and 9.9 percent, respectively": the whole before
        whole, direction = v.article.last_whole
    if whole is None:
        return
    if (
        whole == "world"
        and re.match(
            r"^,? (?:which|that) (?:together |combined |jointly )?(?:constitutes?|constituted|accounts? for|accounted for|"
            r"makes? up|made up|represents?|represented)\b",
            re.split(r"⟦[nf]\d+⟧", t[start:qpos])[-1],
        )
    ):  # "The US holds 36 percent ... while Russia 21 percent, ... and China 5.2 percent which constitute almost
        # 75 percent of total arms exports": the countries whose shares the clause listed, together
        listed = [c for c in v.claims if c.kind == ClaimKind.GLOBAL_SHARE and len(c.subject) == 1]
        ids = list(dict.fromkeys(c.subject[0] for c in listed))
        if len(ids) >= 2:
            c = v.add(
                ClaimKind.GLOBAL_SHARE,
                [int(idx)],
                subject=ids,
                direction=direction or listed[-1].direction,
                value=v.item(idx).value,
                relation=stated_relation(t[start:qpos], v.item(idx).approximate),
            )
            c.periods, c.period_source = periods_for(v, False, _period_near(v, t, qend))
            st.last = c
            return
    group = re.search(
        rf"((?:(?:the )?{E}(?:,? and |, ))+(?:the )?{E})(?:,? (?:together|combined|jointly))?"
        rf" (?:accounted for|account for|accounts for|made up|make up|held|had)(?: \w+){{0,2}} $",
        t[start:qpos],
    )
    if (
        group and whole == "world" and direction
    ):  # "The US, France and Russia accounted for 71% of global arms exports"
        ids = list(dict.fromkeys(v.entity(x) for x in re.findall(r"⟦e(\d+)⟧", group.group(1))))
        c = v.add(
            ClaimKind.GLOBAL_SHARE,
            [int(idx)],
            subject=ids,
            direction=direction,
            value=v.item(idx).value,
            relation=stated_relation(t[start:qpos], v.item(idx).approximate),
        )
        c.periods, c.period_source = periods_for(v, False, _period_near(v, t, qend))
        st.last = c
        return
    if group:
        return  # a combined share of several partners: not one reading the checker can make
    since_figure = re.split(r"⟦[nf]\d+⟧", t[start:qpos])[-1]  # the words that lead to this figure
    if (
        whole == "world"
        and (
            grp := re.search(
                r"\b(?:the|these|those) (?:top (?:two|three|four|five|six|seven|eight|nine|ten|⟦k\d+⟧)\b(?! ⟦e)|"
                r"(?:two|three|four|five|six|seven|eight|nine|ten|⟦k\d+⟧) (?:largest|biggest|top|leading|main) )",
                since_figure,
            )
        )
        and "⟦e" not in since_figure[grp.end() :]
        and _named_list(v, since_figure) is None
    ):
        st.whole, st.direction = (
            whole,
            direction,
        )  # "..., with the U.S. accounting for 31 percent": same whole
        return  # "the top five accounted for 74 percent" with no list named: a group we cannot name
    if whole == "world" and (lst := _named_list(v, since_figure)):
        c = v.add(  # "the top five ... accounting between them for 33 percent of global imports"
            ClaimKind.GLOBAL_SHARE,
            [int(idx)],
            subject=list(lst.subject),
            direction=direction or lst.direction,
            value=v.item(idx).value,
            relation=stated_relation(t[start:qpos], v.item(idx).approximate),
        )
        if lst.periods:
            c.periods, c.period_source = list(lst.periods), lst.period_source
        else:
            c.periods, c.period_source = periods_for(v, False, _period_near(v, t, qend))
        st.last = c
        return
    each = re.search(
        rf"((?:(?:the )?{E}(?:,? and |, ))+(?:the )?{E}),? each (?:with|had|has|at|accounting for) (?:\w+ )?$",
        t[:qpos],
    )
    if each and whole is not None and direction:
        for x in re.findall(r"⟦e(\d+)⟧", each.group(1)):  # "Vietnam and China, each with 11 % shares"
            _add_share(v, st, t, idx, qpos, qend, start, whole, direction, v.entity(x))
        return
    if (
        st.whole_first
        and st.last is not None
        and st.last.partner
        and (el := re.search(rf"^(?:[^⟦]|⟦[ep]\d+⟧){{0,70}}?, and (?:the )?{E}\s*$", since_figure))
    ):  # "Dhaka procured 71% of its arms from China, and Myanmar 68%": the elided clause names a new whole
        _add_share(
            v, st, t, idx, qpos, qend, start, v.entity(el.group(1)), st.last.direction, st.last.partner
        )
        return
    part = respectively_owner(v, t, qpos) or _part(v, t, start, qpos, qend)
    if (
        part is None
        and st.last is not None
        and st.last.kind in (ClaimKind.SUPPLIER_SHARE, ClaimKind.RECIPIENT_SHARE, ClaimKind.GLOBAL_SHARE)
        and (
            re.search(
                r"(?:up|down|rising|falling|compared (?:to|with)|from|versus|against|than)\s+(?:\w+ )?$",
                t[start:qpos],
            )
        )
    ):
        part = (
            st.last.partner if st.last.kind != ClaimKind.GLOBAL_SHARE else st.last.subject[0]
        )  # "up from 35 per cent in 2014-18"
    if part is None and whole != "world":
        part = _clause_subject(v, t, start, qpos, whole)
    if part is None and whole == "world":
        cands = [i for i, _ in v.entities() if v.template.index(f"⟦e{i}⟧") < qpos]
        part = v.entity(cands[-1]) if cands else sentence_topic(v, qpos)
    if (
        part == whole
    ):  # "Russia is the biggest exporter of arms to Nigeria accounting for 35 per cent": not its own
        part = _clause_subject(v, t, start, qpos, whole)
    if part is None or part == whole:
        return
    _add_share(v, st, t, idx, qpos, qend, start, whole, direction, part, guessed)


_LEVEL_TO = re.compile(
    rf"(?:⟦e\d+⟧'s|\bits) (?:[\w-]+ )?{ARMS}(?P<d>imports|exports) (?:[\w-]+ly )?(?:{UP}|{DOWN}) to (?:{HEDGE})?$|"
    rf"\bshare of (?:the )?(?:[\w-]+ |⟦o\d+⟧-\w+ )?⟦e\d+⟧ \($"
)
# An owner-less flow and where it goes: "arms supplies continued to focus on", "exports went mainly to"
_FOCUS = re.compile(
    r"\b(?:arms |weapons )?(?P<d>exports|supplies|deliveries|sales)\b(?: \w+){0,3} "
    r"(?:focus(?:ed|es)? on|concentrated on|went (?:\w+ )?to|go(?:es)? (?:\w+ )?to)\b"
)


def _share_level(v: SentenceView, subj: str, kind_whole: str) -> Claim | None:
    """The share of the subject stated last, in this sentence or the one before (its level and direction)."""
    i = v.sentence.index
    near = list(v.claims) + (list(v.article.views[i - 1].claims) if 0 < i <= len(v.article.views) else [])
    kinds = (ClaimKind.GLOBAL_SHARE,) if kind_whole in ("world", "global_share") else (ClaimKind(kind_whole),)
    got = [c for c in near if c.kind in kinds and c.value is not None and subj in (c.subject + [c.partner])]
    return got[-1] if got else None


def _previous_world_share(v: SentenceView) -> Claim | None:
    """The last world share of the sentence before (a bare 'X accounts for N%' goes on with it)."""
    i = v.sentence.index
    if i == 0 or len(v.article.views) < i:
        return None
    got = [c for c in v.article.views[i - 1].claims if c.kind == ClaimKind.GLOBAL_SHARE]
    return got[-1] if got else None


def _world_direction(v: SentenceView) -> str | None:
    """'India's share globally was 11 percent': the direction of the article's last world share or rank."""
    i = v.sentence.index
    for w in reversed(v.article.views[: min(i, len(v.article.views))]):
        if v.article.segments and v.article.segments[w.sentence.index] != v.article.segments[i]:
            break
        for c in reversed(w.claims):
            if c.kind == ClaimKind.GLOBAL_SHARE or (c.kind == ClaimKind.RANK and c.scope == "world"):
                return c.direction
    return None


def _named_list(v: SentenceView, left: str) -> Claim | None:
    """The ranked list a share speaks of: 'between them', 'together', 'the five countries' after a
    list of the top importers or exporters in this sentence or the one before."""
    groups = list(
        re.finditer(
            r"\b(?:between them|together|combined|jointly|collectively)\b|\b(?:the|these|those) (?:top )?"
            r"(?:two|three|four|five|six|seven|eight|nine|ten|⟦k\d+⟧) (?:(?:largest|biggest|leading|main) )?(?:arms )?"
            r"(?:countries|states|nations|exporters|importers|suppliers|recipients)\b|\bthe top (?:two|three|four|five|⟦k\d+⟧)\b",
            left,
        )
    )
    if not groups or "⟦e" in left[groups[-1].end() :]:
        return None  # "the five largest arms exporters in the world are the United States (which sells 35%": the US's
    i = v.sentence.index
    cands = list(v.claims)
    if not cands and 0 < i <= len(v.article.views):
        cands = list(v.article.views[i - 1].claims)
    lists = [c for c in cands if c.kind == ClaimKind.RANK and c.relation == "ordered"]
    return lists[-1] if lists else None


def _add_share(
    v: SentenceView,
    st: Reading,
    t: str,
    idx: str,
    qpos: int,
    qend: int,
    start: int,
    whole: str,
    direction: str | None,
    part: str,
    guessed: bool = False,
) -> None:
    """The share claim once whole and part are known: direction, relation, span and periods."""
    if whole == "world" and (
        verb := re.search(
            r"\b(received|receiving|receives|took|imported|importing|bought|supplied|supplying|delivered|"
            r"exported|exporting|sold)\b(?: \w+){0,2}\s*$",
            t[start:qpos],
        )
    ):  # "Asia and Oceania ... received 43 percent of global transfers": the verb says which side
        direction = "import" if re.match(r"rec|took|imp|bou", verb.group(1)) else "export"
    if (direction is None or whole == "world") and re.match(
        r"^\)?,? ?(?:of [^,]{0,40}?)?(?:went|go|goes|going) to", t[qend:]
    ):
        direction = "import"  # "30 per cent of international arms transfers went to the Middle East"
    if direction is None:
        fl = flow_phrase(v, t[:qpos], qpos)
        direction = fl[2] if fl and fl[2] else None
    if (
        direction is None
    ):  # "the world's second largest importer ... accounted for 9.5 per cent of the global total"
        roles = re.findall(r"\b(import\w*|export\w*|buyers?|suppliers?|recipients?|sellers?)\b", t[:qpos])
        direction = (
            _dir(roles[-1]) if roles else ((_world_direction(v) or "export") if whole == "world" else None)
        )
    if direction is None:
        return
    value = v.item(idx).value
    left = t[start:qpos]
    relation = stated_relation(left, v.item(idx).approximate)
    pieces = [int(idx)]
    near_ent = [
        int(e.group(1))
        for e in re.finditer(E, t[max(start, qpos - 60) : qpos])
        if v.entity(e.group(1)) == part
    ]
    if near_ent:
        pieces.insert(0, near_ent[-1])
    if whole == "world":
        c = v.add(
            ClaimKind.GLOBAL_SHARE,
            pieces,
            subject=[part],
            direction=direction,
            value=value,
            relation=relation,
        )
    else:
        kind = ClaimKind.SUPPLIER_SHARE if direction == "import" else ClaimKind.RECIPIENT_SHARE
        c = v.add(
            kind, pieces, subject=[whole], partner=part, direction=direction, value=value, relation=relation
        )
    near = _period_near(v, t, qend)
    if (
        near is None
        and st.last is not None
        and st.last.kind == c.kind
        and re.search(r"\bfrom $", left) is None
    ):
        pair = re.search(r"\bfrom (?:\w+ )?⟦n(\d+)⟧[^⟦]*?\bto (?:\w+ )?$", t[:qpos])
        if pair and st.last.periods:
            ps, _ = periods_for(v, True, None)
            if ps:
                st.last.periods = ps[:1]
                near = ps[-1]
    if (
        near is None
        and st.last is not None
        and st.last.periods
        and st.last.kind == c.kind
        and re.search(
            r"(?:(?:up|down|rising|falling|increasing|decreasing|compared (?:to|with)) )?from (?:\w+ )?$",
            left,
        )
        and not re.match(r"^[^⟦]{0,20}\bto\b", t[qend:])
    ):
        near = st.last.periods[-1].previous()  # "was 9.8%, down from 11%": the period before
    if near is None and re.search(r"\bfrom (?:\w+ )?$", left) and re.search(r"^[^⟦]{0,20}\bto\b", t[qend:]):
        ps, _ = periods_for(v, True, None)
        near = ps[0] if ps else None
    if near is None:  # "Russia, between 2010-14, accounted for 72 per cent": the period inside the clause
        comp = _comparison_items(v)
        pairs = {int(x) for m in re.finditer(r"⟦p(\d+)⟧ (?:and|to) ⟦p(\d+)⟧", t) for x in m.groups()}
        inside = [int(x) for x in re.findall(r"⟦p(\d+)⟧", t[start:qpos]) if int(x) not in pairs]
        inside = [
            i
            for i in inside
            if i not in comp
            and re.search(
                r"\b(?:in|during|between|over|for)\s*$|^\W*$",
                t[max(0, t.index(f"⟦p{i}⟧") - 12) : t.index(f"⟦p{i}⟧")],
            )
        ]
        near = v.item(inside[-1]).period if inside else None
    ps, src = periods_for(v, False, near)
    c.periods, c.period_source = ps, src
    if guessed:
        c.notes.append(
            "the sentence does not say what the share is of; read as the world's (as SIPRI reports shares)"
        )
    st.whole, st.direction, st.last = whole, direction, c
    st.whole_first = whole != "world" and bool(
        re.match(rf"^\)?,? ?(?:of [^⟦]{{0,40}}?)?(?:from|to) (?:the )?{E}", t[qend : qend + 70])
    )
    v.article.last_whole = (whole, direction)
