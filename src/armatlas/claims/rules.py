"""The claim rules: short patterns over a sentence template (see extract.py for markers).

Order matters: out-of-scope topics first (their percentages are not arms-transfer shares),
then changes, shares and ranks, then qualitative claims.
"""

from __future__ import annotations

import re

from armatlas.claims.extract import SentenceView
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.mentions import REGION_PREFIX
from armatlas.claims.timeexpr import WORD_NUMBERS, is_future

E = r"⟦e(\d+)⟧"
N = r"⟦n(\d+)⟧"
ARMS = r"(?:arms |weapons? |military )?"

TOPICS = {
    "jobs": r"job creation|\bjobs?\b|employment",
    "small_arms": r"small arms|\brifles\b|\bpistols\b|machine guns",
    "ammunition": r"ammunition|\bshells\b|cartridges",
    "grenades": r"grenades?",
    "unguided_bombs": r"free-fall|unguided|dumb bombs|gravity bombs",
    "domestic_production": r"local production|locali[sz]ation|largely meeting|meet(?:ing)? our own needs|military-grade products|"
    r"(?:is|are) (?:now )?producing|homegrown",
}
# Names the industry; alone it is context, next to an out-of-scope topic (jobs, ...) it says whose industry.
INDUSTRY = (
    r"defen[cs]e (?:industr|sector|compan|manufactur|firms?\b)|arms (?:industr|compan|manufactur|makers?\b)|"
    r"military[- ]industrial|military production|domestic(?:ally)? produc|indigenous(?:ly)? (?:produc|buil|develop)|"
    r"locally (?:produc|made|manufactur|assembl)"
)
TOPIC_WHY = {
    "money": "money values: SIPRI TIV measures volume, not the financial value of deals",
    "jobs": "employment is not in arms-transfer or spending data",
    "small_arms": "small arms are outside SIPRI's coverage of major conventional weapons",
    "ammunition": "ammunition is outside SIPRI's coverage of major conventional weapons",
    "grenades": "grenades are outside SIPRI's coverage of major conventional weapons",
    "unguided_bombs": "unguided (free-fall) bombs are outside SIPRI's coverage (guided weapons only)",
    "domestic_production": "domestic production and its share of procurement are not in arms-transfer data",
    "defence_industry": "the defence industry's output, quality and jobs are not in arms-transfer data",
    "prediction": "a prediction or target, not a statement about past transfers",
}
_UP = r"increased|increase|rose|risen|grew|grown|jumped|up|rise"
_DOWN = r"decreased|decrease|declined|decline|fell|fallen|dropped|drop|shrank|shrunk|down"
_DIR = re.compile(
    rf"{E}(?:'s)?(?: own)? {ARMS}(?P<d1>import|export)s?(?: (?:from|to) (?:{E}'s \w+ )?{E})?"
    rf"|(?P<d2>import|export)s? by {E}"
    rf"|\bits {ARMS}(?P<d3>import|export)s?(?: (?:from|to) {E})?"
    rf"|(?P<d4>import|export)s? (?:from|to) (?:{E}'s \w+ )?{E}"
)


def apply_all(v: SentenceView) -> None:
    from armatlas.claims.milex_reader import read_money
    from armatlas.claims.reader import read_quantities

    read_money(v)
    spending = any(c.kind.startswith("milex") for c in v.claims)
    skip_percent = out_of_scope(v) and not spending
    if not skip_percent:
        read_quantities(v)
        thresholds(v)
    ranks(v)
    from armatlas.claims.count_reader import read_counts

    read_counts(v)
    qualitative(v)


def _ents_before(v: SentenceView, pos: int, possessive: bool | None = None) -> list[int]:
    """Entity item indices whose marker lies before template position pos, nearest first."""
    out = []
    for m in re.finditer(E + r"('s)?", v.template[:pos]):
        if possessive is None or bool(m.group(2)) == possessive:
            out.append(int(m.group(1)))
    return out[::-1]


def _pos(v: SentenceView, code: str, i: int) -> int:
    return v.template.index(f"⟦{code}{i}⟧")


def _prev_view(v: SentenceView) -> SentenceView | None:
    idx = v.sentence.index
    return v.article.views[idx - 1] if idx > 0 and len(v.article.views) >= idx else None


def _about_country(v: SentenceView) -> str | None:
    """The country a sentence is about: its first named country, else its article's main one."""
    for _, m in v.entities():
        if not m.entity_id.startswith(REGION_PREFIX):
            return m.entity_id
    return v.article.segment_entity(v.sentence.index)


def out_of_scope(v: SentenceView) -> bool:
    """Topics the data cannot measure; True when the sentence's percentages belong to them."""
    t = v.template
    topics = [k for k, rx in TOPICS.items() if re.search(rx, t)]
    if re.search(r"⟦m\d+⟧", t) and not any(c.kind.startswith("milex") for c in v.claims):
        topics.insert(0, "money")
    if re.search(r"foreign dependency[^.]*from (?:around |some )?⟦n", t):
        topics.append("domestic_production")
    if not topics:
        return False
    if re.search(INDUSTRY, t) and "domestic_production" not in topics:
        topics.append("defence_industry")
    if is_future(v.sentence.text):
        topics.append("prediction")
    topics = list(dict.fromkeys(topics))
    c = v.add(ClaimKind.OUT_OF_SCOPE, [], topics=topics, notes=[TOPIC_WHY[k] for k in topics])
    if {"domestic_production", "defence_industry"} & set(topics) and (country := _about_country(v)):
        c.subject = [country]
    return bool({"money", "domestic_production"} & set(topics))


def changes(v: SentenceView) -> None:
    """'A's imports increased by N%', 'imports by A ... fell by N%', 'Japan's by 155 per cent'."""
    t = v.template
    last: dict | None = None
    for m in re.finditer(N, t):
        i, x = int(m.group(1)), m.start()
        pre = t[:x]
        if not re.search(
            rf"(?:{_UP}|{_DOWN})(?: \w+ly)?(?: by)?\s*\(?\s*$|{E}'s by\s*$|\bto {E} by\s*$"
            rf"|(?:{_UP}|{_DOWN}) its {ARMS}(?:import|export)s?\s*\(\s*$",
            pre,
        ):
            continue
        verbs = list(re.finditer(rf"\b(?:{_UP}|{_DOWN})\b", pre))
        if not verbs:
            continue
        sign = -1 if re.fullmatch(_DOWN, verbs[-1].group(0)) else 1
        subj = partner = direction = None
        if a := re.search(rf"{E}'s by\s*$", pre):
            words = re.findall(r"\b(import|export)s?\b", pre)
            subj = v.entity(a.group(1))
            direction = last["direction"] if last else (words[-1] if words else None)
            partner = last["partner"] if last else None
        elif (b := re.search(rf"\bto {E} by\s*$", pre)) and last:
            subj, direction, partner = last["subject"], last["direction"], v.entity(b.group(1))
        else:
            found = list(_DIR.finditer(pre))
            if not found:
                after = _DIR.search(t[m.end() : m.end() + 60])
                found = [after] if after and after.group("d3") else []
            if not found:
                continue
            d = found[-1]
            g = d.groupdict()
            direction = g["d1"] or g["d2"] or g["d3"] or g["d4"]
            ents = [int(x) for x in d.groups() if x and x.isdigit()]
            if g["d1"]:
                subj = v.entity(ents[0])
                partner = v.entity(ents[-1]) if len(ents) > 1 else None
            elif g["d2"]:
                subj = v.entity(ents[0])
            elif g["d3"]:
                before = _ents_before(v, d.start())
                subj = v.entity(before[0]) if before else None
                partner = v.entity(ents[0]) if ents else None
            else:
                partner = v.entity(ents[-1])
                earlier = [f for f in found[:-1] if f.group("d1") == direction and f.group(1)]
                subj = v.entity(earlier[-1].group(1)) if earlier else None
        if subj is None or direction is None:
            continue
        last = {"subject": subj, "direction": direction, "partner": partner}
        v.add(
            ClaimKind.CHANGE,
            [i],
            subject=[subj],
            partner=partner,
            direction=direction,
            value=sign * v.item(i).value,
        )


def global_shares(v: SentenceView) -> None:
    """'A accounted for N% of global arms exports', 'its share ... from N% to M%', combined lists."""
    t = v.template
    glob = r"(?:the )?(?:global|world|world's|total|international) (?:arms )?(imports?|exports?|arms market|arms transfers|transfers)"
    for m in re.finditer(rf"{N} of {glob}", t):
        i = int(m.group(1))
        word = m.group(2)
        direction = "import" if "import" in word else "export" if "export" in word else None
        post = t[m.end() :]
        if direction is None:
            direction = "import" if re.match(r"\s*went to", post) else "export"
        if re.match(r"\s*belong to these countries", post):
            prev = _prev_view(v)
            listed = [c.subject for c in (prev.claims if prev else []) if c.relation == "ordered"]
            if listed:
                v.add(
                    ClaimKind.GLOBAL_SHARE,
                    [i],
                    subject=list(listed[0]),
                    direction=direction,
                    value=v.item(i).value,
                    notes=["'these countries' read as the list in the previous sentence"],
                )
            continue
        if w := re.match(rf"\s*went to (?:the )?{E}", post):
            subj = [v.entity(w.group(1))]
        else:
            before = [e for e in _ents_before(v, m.start()) if not v.item(e).possessive or True]
            if not before:
                continue
            subj = [v.entity(before[0])]
        v.add(ClaimKind.GLOBAL_SHARE, [i], subject=subj, direction=direction, value=v.item(i).value)
    # "its share of global arms exports decreased from 22% to 16%, while France's share ..."
    for m in re.finditer(
        rf"(?:(its)|{E}'s) share(?: of {glob})? (?:\w+ )?(?:{_UP}|{_DOWN}) from {N} to {N}", t
    ):
        if m.group(1):
            before = _ents_before(v, m.start())
            if not before:
                continue
            holder = v.entity(before[0])
        else:
            holder = v.entity(m.group(2))
        direction = "import" if m.group(3) and "import" in m.group(3) else "export"
        if not m.group(3):
            direction = (
                "import"
                if re.search(r"share of (?:the )?(?:global|world) (?:arms )?imports", t)
                else "export"
            )
        ps = v.ranges()
        for n_idx, p in zip(
            (m.group(4), m.group(5)), (ps[:1], ps[-1:]) if len(ps) >= 2 else ([], []), strict=True
        ):
            c = v.add(
                ClaimKind.GLOBAL_SHARE,
                [int(n_idx)],
                subject=[holder],
                direction=direction,
                value=v.item(n_idx).value,
            )
            if p:
                c.periods, c.period_source = list(p), "sentence"
    for m in re.finditer(rf"{N} of these (?:refers|belongs?) to ((?:(?:the )?{E}(?:, |,? and )?)+)", t):
        ids = [v.entity(x) for x in re.findall(r"⟦e(\d+)⟧", m.group(2))]
        v.add(
            ClaimKind.GLOBAL_SHARE,
            [int(m.group(1))],
            subject=ids,
            direction="export",
            value=v.item(m.group(1)).value,
            notes=["'of these' read as a share of world exports (as SIPRI reports it)"],
        )


def supplier_shares(v: SentenceView) -> None:
    """Shares of an importer's imports by supplier, in the phrasings news reports use."""
    t = v.template
    verb = r"(?:purchases?|purchased|buys?|bought|imports?|imported|receives?|received|gets?|got|obtains?)"
    if h := re.search(rf"{E}(?:'s)? (?:\w+ )?{verb}\b", t):
        importer = v.entity(h.group(1))
        for m in re.finditer(rf"{N}[^⟦;]{{0,30}}?\bfrom {E}", t[h.end() :]):
            v.add(
                ClaimKind.SUPPLIER_SHARE,
                [int(m.group(1)), int(m.group(2))],
                subject=[importer],
                partner=v.entity(m.group(2)),
                direction="import",
                value=v.item(m.group(1)).value,
            )
    # "B remained A's main arms supplier (accounting for N% of its arms imports)";
    # "B became ... its main supplier, providing N% of its arms imports".
    for m in re.finditer(rf"(?:{E}'s|\bits) [\w\s-]*?supplier[^⟦]*?{N} of its {ARMS}imports", t):
        supplier_cands = [e for e in _ents_before(v, m.start(), possessive=False)]
        if not supplier_cands and m.group(1):
            continue
        buyer: str | None
        if m.group(1):
            buyer = v.entity(m.group(1))
            supplier = v.entity(supplier_cands[0]) if supplier_cands else None
        else:
            supplier = v.entity(supplier_cands[0]) if supplier_cands else None
            rest = [e for e in _ents_before(v, m.start()) if supplier_cands and e != supplier_cands[0]]
            buyer = v.entity(rest[0]) if rest else None
        if supplier and buyer:
            v.add(
                ClaimKind.SUPPLIER_SHARE,
                [int(m.group(2))],
                subject=[buyer],
                partner=supplier,
                direction="import",
                value=v.item(m.group(2)).value,
            )
    # "N% of arms imports by A in P were supplied by B, up from M% in P0"
    for m in re.finditer(
        rf"{N} of {ARMS}imports by {E}(?: in (⟦p\d+⟧))?[^⟦]*?supplied by (?:the )?{E}"
        rf"(?:, (?:up|down) from {N} in ⟦p(\d+)⟧)?",
        t,
    ):
        imp, sup = v.entity(m.group(2)), v.entity(m.group(4))
        c = v.add(
            ClaimKind.SUPPLIER_SHARE,
            [int(m.group(1)), int(m.group(4))],
            subject=[imp],
            partner=sup,
            direction="import",
            value=v.item(m.group(1)).value,
        )
        if m.group(3):
            c.periods, c.period_source = [v.item(m.group(3)[2:-1]).period], "sentence"
        if m.group(5):
            c0 = v.add(
                ClaimKind.SUPPLIER_SHARE,
                [int(m.group(5))],
                subject=[imp],
                partner=sup,
                direction="import",
                value=v.item(m.group(5)).value,
            )
            c0.periods, c0.period_source = [v.item(m.group(6)).period], "sentence"
    for m in re.finditer(rf"{N} of {E}'s {ARMS}imports (?:came|come|were supplied) from {E}", t):
        v.add(
            ClaimKind.SUPPLIER_SHARE,
            [int(m.group(1)), int(m.group(3))],
            subject=[v.entity(m.group(2))],
            partner=v.entity(m.group(3)),
            direction="import",
            value=v.item(m.group(1)).value,
        )
    for m in re.finditer(rf"{E} (?:accounted for|supplied|provided) {N} of {E}'s {ARMS}imports", t):
        v.add(
            ClaimKind.SUPPLIER_SHARE,
            [int(m.group(1)), int(m.group(2))],
            subject=[v.entity(m.group(3))],
            partner=v.entity(m.group(1)),
            direction="import",
            value=v.item(m.group(2)).value,
        )
    # Lists: "A's main suppliers were Israel (61%), Russia (22%) and Belarus (6.6%)"
    if h := re.search(rf"{E}'s [\w\s]*suppliers", t):
        importer = v.entity(h.group(1))
        for m in re.finditer(rf"{E} \({N}\)", t[h.end() :]):
            v.add(
                ClaimKind.SUPPLIER_SHARE,
                [int(m.group(1)), int(m.group(2))],
                subject=[importer],
                partner=v.entity(m.group(1)),
                direction="import",
                value=v.item(m.group(2)).value,
            )


def recipient_shares(v: SentenceView) -> None:
    """Shares of an exporter's exports by recipient."""
    t = v.template
    for m in re.finditer(rf"{E} (?:received|receives|took|accounted for) {N} of {E}'s {ARMS}exports", t):
        v.add(
            ClaimKind.RECIPIENT_SHARE,
            [int(m.group(1)), int(m.group(2))],
            subject=[v.entity(m.group(3))],
            partner=v.entity(m.group(1)),
            direction="export",
            value=v.item(m.group(2)).value,
        )
    for m in re.finditer(rf"{N} of {E}'s {ARMS}exports (?:went|go|were delivered) to {E}", t):
        v.add(
            ClaimKind.RECIPIENT_SHARE,
            [int(m.group(1)), int(m.group(3))],
            subject=[v.entity(m.group(2))],
            partner=v.entity(m.group(3)),
            direction="export",
            value=v.item(m.group(1)).value,
        )
    # "Russia sells 27 percent of its weapons to India, 14 to China and 14 to Algeria"
    if h := re.search(
        rf"{E}[^⟦]*?\b(?:sells|sold|exports|exported|delivers|delivered|supplies|supplied) "
        rf"(?=⟦n\d+⟧ of its)",
        t,
    ):
        exporter = v.entity(h.group(1))
        for m in re.finditer(rf"⟦[nk](\d+)⟧(?: of its {ARMS}(?:exports )?)?\s*to {E}", t[h.end() :]):
            v.add(
                ClaimKind.RECIPIENT_SHARE,
                [int(m.group(1)), int(m.group(2))],
                subject=[exporter],
                partner=v.entity(m.group(2)),
                direction="export",
                value=v.item(m.group(1)).value,
            )
    # "A purchases N percent of the weapons of this country" (the exporter of the sentence before)
    if buy := re.search(
        rf"{E} (?:purchases|buys|receives|imports) {N} of the (?:weapons|arms)(?: exports)? of "
        rf"(?:this country|{E})",
        t,
    ):
        seller = v.entity(buy.group(3)) if buy.group(3) else _previous_partner(v)
        if seller:
            v.add(
                ClaimKind.RECIPIENT_SHARE,
                [int(buy.group(1)), int(buy.group(2))],
                subject=[seller],
                partner=v.entity(buy.group(1)),
                direction="export",
                value=v.item(buy.group(2)).value,
                notes=[] if buy.group(3) else ["'this country' read as the last country named before"],
            )


def _previous_partner(v: SentenceView) -> str | None:
    prev = _prev_view(v)
    if prev is None:
        return None
    subj = {c.subject[0] for c in v.claims if c.subject} | {v.entity(i) for i, _ in v.entities()[:1]}
    for _, m in reversed(prev.entities()):
        if m.entity_id not in subj:
            return m.entity_id
    return None


def _num_word(text: str) -> int | None:
    return int(text) if text.isdigit() else WORD_NUMBERS.get(text)


def thresholds(v: SentenceView) -> None:
    from armatlas.claims.threshold_rules import threshold_rules

    threshold_rules(v)


def ranks(v: SentenceView) -> None:
    from armatlas.claims.rank_reader import read_ranks
    from armatlas.claims.rank_rules import rank_rules

    read_ranks(v)
    rank_rules(v)


def qualitative(v: SentenceView) -> None:
    from armatlas.claims.qual_rules import qual_rules

    qual_rules(v)
