"""Rank claims: world ranks, main/second supplier, top recipients, top lists and 'not among'."""

from __future__ import annotations

import re

from armatlas.claims.extract import Claim, SentenceView
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.mentions import REGION_PREFIX
from armatlas.claims.numbers import ORDINALS
from armatlas.claims.timeexpr import WORD_NUMBERS

E = r"⟦e(\d+)⟧"
ORDM = r"⟦o(\d+)⟧"
ORD = rf"(?:{ORDM}|(main|top|leading|biggest|largest))"
_SPENDING_WORDS = (
    r"\b(?:spending|spender|spenders|spent|expenditures?|military budgets?|defen[cs]e budgets?)\b"
)
_N = r"two|three|four|five|six|seven|eight|nine|ten|⟦k\d+⟧"


def _ord(v: SentenceView, idx: str | None, word: str | None) -> float:
    if idx:
        return v.item(idx).value
    if word is None:
        raise ValueError("an ordinal needs a marker or a word")  # ORD always captures one of them
    return float(ORDINALS[word])


def _before(v: SentenceView, pos: int, possessive: bool | None = None) -> list[int]:
    out = []
    for m in re.finditer(E + r"('s)?", v.template[:pos]):
        if possessive is None or bool(m.group(2)) == possessive:
            out.append(int(m.group(1)))
    return out[::-1]


def _count(text: str) -> int | None:
    return int(text) if text.isdigit() else WORD_NUMBERS.get(text)


def rank_rules(v: SentenceView) -> None:
    t = v.template
    # World and regional ranks are read by rank_reader (slots, with scope); the rules below cover
    # supplier and recipient ranks and lists.
    # Supplier ranks: "B remained A's main arms supplier", "B displaced C as A's second biggest
    # supplier", "the second largest supplier of arms to A", "with B as its main supplier".
    # "A's imports from B, the country's long-standing leading supplier": 'the country's' is the
    # importer named before the supplier, like 'its'.
    for m in re.finditer(
        rf"(?:{E}'s|\bits|\bthe country's) (?:long-standing |traditional |longtime |long-time )?{ORD}"
        rf"(?:[- ](?:largest|biggest))? (?:arms )?supplier\b",
        t,
    ):
        importer = v.entity(m.group(1)) if m.group(1) else None
        disp = re.search(rf"{E}(?:'s)? (?:has |had )?displaced (?:the )?{E} as $", t[: m.start()])
        cands = [int(disp.group(1))] if disp else _before(v, m.start(), possessive=False)
        if not cands:
            continue
        supplier = v.entity(cands[0])
        if importer is None:
            rest = [e for e in _before(v, _pos(v, cands[0])) if v.entity(e) != supplier]
            importer = v.entity(rest[0]) if rest else None
        if importer and importer != supplier:
            v.add(
                ClaimKind.RANK,
                [cands[0]] + ([int(m.group(2))] if m.group(2) else []),
                subject=[supplier],
                partner=importer,
                direction="export",
                scope="supplier_of",
                value=_ord(v, m.group(2), m.group(3)),
            )
    for m in re.finditer(
        rf"{E} (?:displaced (?:the )?{E} )?as the {ORD} (?:largest |biggest )?supplier of arms to {E}", t
    ):
        v.add(
            ClaimKind.RANK,
            [int(m.group(1)), int(m.group(5))],
            subject=[v.entity(m.group(1))],
            partner=v.entity(m.group(5)),
            direction="export",
            scope="supplier_of",
            value=_ord(v, m.group(3), m.group(4)),
        )
    for m in re.finditer(rf"with {E} as its (main|leading|largest) supplier", t):
        rest = [e for e in _before(v, m.start()) if v.entity(e) != v.entity(m.group(1))]
        if rest:
            v.add(
                ClaimKind.RANK,
                [int(m.group(1))],
                subject=[v.entity(m.group(1))],
                partner=v.entity(rest[-1]),
                direction="export",
                scope="supplier_of",
                value=1.0,
            )
    # Recipient ranks: "A is the 2nd country purchasing arms from B"; "they became B's second
    # and third largest recipients" (they = the recipients named before in the sentence).
    for m in re.finditer(
        rf"{E} is (?:also )?the {ORDM} (?:largest )?country (?:purchasing|buying|importing|receiving) "
        rf"(?:arms|weapons) from {E}",
        t,
    ):
        v.add(
            ClaimKind.RANK,
            [int(m.group(1)), int(m.group(3))],
            subject=[v.entity(m.group(1))],
            partner=v.entity(m.group(3)),
            direction="import",
            scope="recipient_of",
            value=v.item(m.group(2)).value,
        )
    for m in re.finditer(rf"they became {E}'s {ORDM} and {ORDM} (?:largest|biggest) recipients", t):
        exporter = v.entity(m.group(1))
        recips = [
            c.partner
            for c in v.claims
            if c.kind == ClaimKind.CHANGE and c.partner and c.subject == [exporter]
        ]
        recips = [r for r in recips if r][-2:]
        for r, o in zip(recips, (m.group(2), m.group(3)), strict=False):  # at most two recipients
            v.add(
                ClaimKind.RANK,
                [int(o)],
                subject=[r],
                partner=exporter,
                direction="import",
                scope="recipient_of",
                value=v.item(o).value,
                notes=["'they' read as the recipients named before in the sentence"],
            )
    _lists(v)
    _partner_lists(v)
    _followed_by(v)


def _followed_by(v: SentenceView) -> None:
    """'The U.S. is followed by France, Russia, China, ...': an ordered list from the leader's stated rank
    (in this sentence or the one before: 'The United States remain the biggest arms seller in the world')."""
    t = v.template
    if "followed by" not in t:
        return
    for m in re.finditer(
        rf"{E} (?:is|was|are|were) (?:\w+ )?followed by (?P<L>(?:(?:the )?{E}(?:,? and |, ))+(?:the )?{E})(?=[.;]|$)",
        t,
    ):
        lead = v.entity(m.group(1))
        i = v.sentence.index
        seg = v.article.segments[i] if v.article.segments else 0
        back = [
            w
            for w in v.article.views[max(0, i - 3) : i]
            if not v.article.segments or v.article.segments[w.sentence.index] == seg
        ]
        prior = [c for w in back for c in w.claims] + list(v.claims)
        ranks = [c for c in prior if c.kind == ClaimKind.RANK and c.relation == "eq" and c.subject == [lead]]
        if not ranks or ranks[-1].value is None:
            continue
        last = ranks[-1]
        ids = [int(m.group(1))] + [int(x) for x in re.findall(r"⟦e(\d+)⟧", m.group("L"))]
        c = v.add(
            ClaimKind.RANK,
            ids,
            subject=[v.entity(x) for x in ids],
            partner=last.partner,
            direction=last.direction,
            scope=last.scope,
            relation="ordered",
            value=last.value,
        )
        c.notes.append(f"the list starts at {lead}'s rank stated before ({last.value:g})")


# A ranking among one country's partners, then its list: "with the main recipients being Saudi Arabia, Japan
# and Kuwait", "the top-10 buyers of American weapons are Qatar and Israel", "the top three countries purchasing
# weapons from Israel are India, accounting for 37%, Philippines (12%), and the U.S.", "the main suppliers were
# the United States, which ...". The partner is the one named in the phrase, else the last country before it.
_PARTNER_ROLE = re.compile(
    rf"\b(?:the |(?P<pro>its|their) )?(?:(?:top|largest|biggest|main|leading)(?:[- ](?P<n>{_N}))?|(?P<n2>{_N}) (?:largest|biggest|main))"
    rf" (?:(?:arms|weapons) )?(?:(?P<rec>recipients|buyers|customers|clients|importers)|(?P<sup>suppliers|exporters|sellers)|"
    rf"(?:countries|states) (?:purchasing|buying|importing|receiving) (?:arms |weapons )?from (?:the )?⟦e(?P<pf>\d+)⟧)"
    rf"(?: (?:of|for|to) (?:the )?⟦e(?P<po>\d+)⟧(?:'s)?(?: (?:arms|weapons)(?: industry| exports)?)?)? (?:being|are|were|include|included)"
    rf"(?: the)? (?P<L>{E}(?:(?: \([^().;]{{1,40}}\))?(?:, accounting for ⟦n\d+⟧)?(?:,? and |, )(?:the )?{E})*)"
)
# "Israel is mentioned among the top three clients of Germany's arms industry"
_AMONG_PARTNER = re.compile(
    rf"{E} (?:is|was|are|were)(?: \w+)? among the (?:top|largest|biggest|main) (?P<n>{_N}) (?:arms )?"
    rf"(?:(?P<rec>clients|customers|buyers|recipients|importers)|suppliers|exporters) (?:of|for|to) (?:the )?{E}"
)


def _partner_lists(v: SentenceView) -> None:
    t = v.template
    if (
        " are " not in t
        and " were " not in t
        and " being " not in t
        and " include" not in t
        and " among " not in t
    ):
        return  # neither list nor membership
    for m in _PARTNER_ROLE.finditer(t):
        ids = [int(x) for x in re.findall(r"⟦e(\d+)⟧", m.group("L"))]
        named = m.group("pf") or m.group("po")
        cands = [int(named)] if named else [i for i in _before(v, m.start()) if i not in ids][:1]
        if cands:
            partner: str | None = v.entity(cands[0])
        else:  # "its top three customers are Qatar, ...": the sentence's country
            from armatlas.claims.reader import marker_entity

            partner = marker_entity(v, m.group("pro"), m.start()) if m.group("pro") else None
        if partner is None:
            continue
        subj = [v.entity(i) for i in ids if v.entity(i) != partner]
        n = _count_or_k(v, m.group("n") or m.group("n2"))
        recip = m.group("sup") is None
        if (
            len(subj) > 1
            and not (n and len(subj) < n)
            and re.search(r"⟦n\d+⟧", t[m.start("L") :].split(";")[0])
        ):
            continue  # "the top three recipients ... were A, B and C, accounting for 16, 12 and 8.4 percent": the shares
        kw = {
            "partner": partner,
            "scope": "recipient_of" if recip else "supplier_of",
            "direction": "import" if recip else "export",
        }
        if n and len(subj) < n:
            v.add(ClaimKind.RANK, ids, subject=subj, relation="top_n", value=float(n), **kw)
        elif len(subj) > 1:
            v.add(ClaimKind.RANK, ids, subject=subj, relation="ordered", value=1.0, **kw)
        elif subj:
            v.add(ClaimKind.RANK, ids, subject=subj, value=1.0, **kw)
    for m in _AMONG_PARTNER.finditer(t):
        n = _count_or_k(v, m.group("n"))
        recip = m.group("rec") is not None
        if n:
            v.add(
                ClaimKind.RANK,
                [int(m.group(1)), int(m.group(4))],
                subject=[v.entity(m.group(1))],
                partner=v.entity(m.group(4)),
                scope="recipient_of" if recip else "supplier_of",
                direction="import" if recip else "export",
                relation="top_n",
                value=float(n),
            )


def _count_or_k(v: SentenceView, word: str | None) -> int | None:
    """'three' or a count marker ('top-⟦k1⟧') as a number."""
    if not word:
        return None
    if k := re.match(r"⟦k(\d+)⟧", word):
        return int(v.item(k.group(1)).value)
    return _count(word)


def _pos(v: SentenceView, i: int) -> int:
    return v.template.index(f"⟦e{i}⟧")


def _ids(v: SentenceView, text: str) -> list[str]:
    return [v.entity(x) for x in re.findall(r"⟦e(\d+)⟧", text)]


def _lists(v: SentenceView) -> None:
    t = v.template
    # ", and" before ", ": the list's last item; an item may carry a bracket ("the United States (which sells
    # 35% of the world's weapons), Russia (22%), France")
    lst = rf"((?:(?:the )?{E}(?: \([^().;]{{1,70}}+\))?(?:,? and |, )?)+)"
    # "The largest exporters of weapons in the world are the USA, Russia, China, France and Germany",
    # "the five largest importers (Saudi Arabia, India, ...)", "the world's largest arms buyers are India (13 %), ..."
    role = (
        r"(?:(?P<ie>import|export)ers|(?P<buy>buyers|purchasers|recipients)|suppliers|sellers|"
        r"(?P<sp>(?:military )?spenders))"
    )
    sup = r"(?:largest|biggest|top|leading)"
    # ... and the list first: "SIPRI identified India, Saudi Arabia, Qatar, Australia and China as the top
    # five arms importers", "the US, Russia, France, China, and Germany as the five biggest arms exporters"
    before = rf"{lst},? (?:as|were|are) (?:the )?(?:world's )?(?:(?:\w+|⟦k\d+⟧) )?{sup}(?: (?:\w+|⟦k\d+⟧))? (?:arms )?{role}"
    after = rf"{sup} (?:(?:\w+|⟦k\d+⟧) ){{0,2}}(?:(?:arms|weapons) )?{role}(?:(?:[^⟦.;]|⟦p\d+⟧)*? (?:are|were) (?:the )?| \(|\s*[—–-]+\s*(?:the )?){lst}"
    for rx in (after, before):
        for m in re.finditer(rx.replace(lst, f"(?P<L>{lst[1:-1]})", 1), t):
            # a region is where the ranking is, never one of the ranked ("America's main allies in Asia, Japan
            # ($47.6 billion) and South Korea ($43.9 billion) were the largest military spenders")
            pieces = [
                int(x)
                for x in re.findall(r"⟦e(\d+)⟧", m.group("L"))
                if not v.entity(x).startswith(REGION_PREFIX)
            ]
            ids = [v.entity(x) for x in pieces]
            if len(ids) < 2:
                continue
            if m.group(
                "sp"
            ):  # "The top five spenders are the United States, China, Russia, Germany, and India"
                # "North Africa's two biggest spenders – Algeria and Morocco": the region's top spenders
                reg = re.search(rf"{E}'s (?:\w+ |⟦k\d+⟧ )?$", t[max(0, m.start() - 30) : m.start()])
                reg = reg or re.match(
                    rf"^ in (?:the )?{E}", t[m.end() :]
                )  # "... the largest spenders in Asia"
                region = v.entity(reg.group(1)) if reg else None
                region = region if region and region.startswith(REGION_PREFIX) else None
                c = v.add(
                    ClaimKind.MILEX_RANK,
                    pieces,
                    subject=ids,
                    relation="ordered",
                    scope="region" if region else None,
                    partner=region,
                )
                _spending_year(v, c, m.end())
                continue
            direction = m.group("ie") or ("import" if m.group("buy") else "export")
            some = re.search(
                r"\b(?:\w+|⟦k\d+⟧) of (?:the )?(?:world's )?(?:(\w+|⟦k(\d+)⟧) )?$", t[: m.start()]
            )
            if some and not some.group(
                1
            ):  # "three of the top five arms exporters—the USA, France and Germany"
                some = re.match(rf"{sup} (\w+|⟦k(\d+)⟧) ", m.group(0))
            n = (v.item(some.group(2)).value if some.group(2) else _count(some.group(1))) if some else None
            if some and n:  # "three of the world's five largest exporters -- the US, France and Germany"
                v.add(
                    ClaimKind.RANK,
                    pieces,
                    subject=ids,
                    direction=direction,
                    scope="world",
                    relation="top_n",
                    value=float(n),
                )
                continue
            v.add(ClaimKind.RANK, pieces, subject=ids, direction=direction, scope="world", relation="ordered")
    # "The top five countries that exported the most weapons were the US, Russia, France, Germany and China",
    # "Saudi Arabia, India, Egypt, Australia and Algeria were the five countries that imported the most weapons"
    most = r"(?:countries|states|nations) (?:that|which) (?P<d>import|export)ed the most(?: (?:major )?(?:arms|weapons))?"
    for rx in (
        rf"\b(?:the )?(?:top|largest|biggest|leading)? ?(?:\w+|⟦k\d+⟧) {most},? (?:were|are|:) (?:the )?{lst}",
        rf"{lst},? (?:were|are) (?:the )?(?:top )?(?:\w+|⟦k\d+⟧) {most}",
    ):
        for m in re.finditer(rx.replace(lst, f"(?P<L>{lst[1:-1]})", 1), t):
            _world_list(v, [int(x) for x in re.findall(r"⟦e(\d+)⟧", m.group("L"))], m.group("d"), "ordered")
    # "India is now the fifth-largest military spender. The top five — the United States, China, ...":
    # no role noun; the ranking is the one the sentence before (or this one) stated.
    for m in re.finditer(
        rf"\bthe top (?:two|three|four|five|six|seven|eight|nine|ten|⟦k\d+⟧)\s*[—–-]+\s*(?:the )?{lst}", t
    ):
        ids = _ids(v, m.group(1))
        i = v.sentence.index
        prior = list(v.claims) + (
            list(v.article.views[i - 1].claims) if 0 < i <= len(v.article.views) else []
        )
        ranks = [c for c in prior if c.kind in (ClaimKind.RANK, ClaimKind.MILEX_RANK) and c.relation == "eq"]
        if len(ids) < 2 or not ranks or (ranks[-1].kind == ClaimKind.RANK and ranks[-1].scope != "world"):
            continue
        last = ranks[-1]
        pieces = [int(x) for x in re.findall(r"⟦e(\d+)⟧", m.group(1))]
        c = v.add(
            last.kind,
            pieces,
            subject=ids,
            direction=last.direction,
            relation="ordered",
            scope="world" if last.kind == ClaimKind.RANK else None,
        )
        if last.kind == ClaimKind.MILEX_RANK:
            c.periods, c.period_source = list(last.periods), last.period_source
    # "the first two spots were occupied by the United States and China": a ranking from the top
    for m in (
        ()
        if " by " not in t
        else re.finditer(
            rf"\bthe (?:⟦o\d+⟧|top) (?:two|three|four|five|⟦k\d+⟧) (?:spots|places|positions|ranks) (?:were|are|have been) "
            rf"(?:occupied|taken|held|filled) by {lst}",
            t,
        )
    ):
        pieces = [int(x) for x in re.findall(r"⟦e(\d+)⟧", m.group(1))]
        if len(pieces) < 2:
            continue
        if re.search(_SPENDING_WORDS, t) and not re.search(r"\b(?:import|export|arms transfer)", t):
            c = v.add(
                ClaimKind.MILEX_RANK,
                pieces,
                subject=[v.entity(x) for x in pieces],
                relation="ordered",
                value=1.0,
            )
            _spending_year(v, c, m.end())
        elif roles := re.findall(r"\b(import|export)(?:ers|ing)\b", t[: m.start()]):
            v.add(
                ClaimKind.RANK,
                pieces,
                subject=[v.entity(x) for x in pieces],
                direction=roles[-1],
                scope="world",
                relation="ordered",
                value=1.0,
            )
    # "Nigeria emerged as one of the top five arms importers in sub-Saharan Africa": within the top n there
    for one in re.finditer(
        rf"{E},? (?:\w+ ){{0,3}}?(?:one of|among) the (?:top|largest|biggest|leading) (?P<n>{_N}) (?:major )?(?:arms |weapons )?"
        rf"(?P<d>import|export)ers (?:in|of) (?:the )?(?:{E}|(?P<w>world))",
        t,
    ):
        n = _count_or_k(v, one.group("n"))
        place = v.entity(one.group(4)) if one.group(4) else None
        if not n or (place is not None and not place.startswith(REGION_PREFIX)):
            continue
        if place is not None:
            v.add(
                ClaimKind.REGION_RANK,
                [int(one.group(1)), int(one.group(4))],
                subject=[v.entity(one.group(1))],
                partner=place,
                direction=one.group("d"),
                relation="top_n",
                value=float(n),
            )
        else:
            v.add(
                ClaimKind.RANK,
                [int(one.group(1))],
                subject=[v.entity(one.group(1))],
                direction=one.group("d"),
                scope="world",
                relation="top_n",
                value=float(n),
            )
    # "Five of the world's top 10 arms-importing countries in 2015–19 were in the Middle East: Saudi Arabia, ...,
    # Egypt (16 per cent), the UAE (9.7 per cent), Iraq (9.7 per cent) and Qatar": the countries after the colon
    for m in re.finditer(
        r"\b(?:\w+|⟦k\d+⟧) of the (?:world's )?top ⟦k(?P<k>\d+)⟧ (?:arms[- ])?(?P<d>import|export)(?:ers|ing countries|ing states)"
        r"[^:;.]*: (?P<rest>[^;.]*)",
        t,
    ):
        pieces = [
            int(x)
            for x in re.findall(r"⟦e(\d+)⟧", m.group("rest"))
            if not v.entity(x).startswith(REGION_PREFIX)
        ]
        _world_list(v, pieces, m.group("d"), "top_n", v.item(m.group("k")).value)
    # "Three Middle Eastern states were among the top 10 importers in 2019–23: Saudi Arabia, Qatar and Egypt."
    for m in re.finditer(rf"among the top ⟦k(\d+)⟧ (?:arms )?(import|export)ers[^:]*: {lst}", t):
        ids = _ids(v, m.group(3))
        v.add(
            ClaimKind.RANK,
            [int(x) for x in re.findall(r"⟦e(\d+)⟧", m.group(3))],
            subject=ids,
            direction=m.group(2),
            scope="world",
            relation="top_n",
            value=v.item(m.group(1)).value,
        )
    # "Armenia is not represented ... among 25 arms exporting countries and 40 importing countries."
    for m in re.finditer(
        rf"{lst} (?:is|are|was|were) not [^⟦]*?among ((?:⟦k\d+⟧ (?:arms )?(?:import|export)ing countries(?: and )?)+)",
        t,
    ):
        ids = _ids(v, m.group(1))
        for k, d in re.findall(r"⟦k(\d+)⟧ (?:arms )?(import|export)ing", m.group(3)):
            v.add(
                ClaimKind.RANK,
                [int(x) for x in re.findall(r"⟦e(\d+)⟧", m.group(1))] + [int(k)],
                subject=ids,
                direction=d,
                scope="world",
                relation="not_top_n",
                value=v.item(k).value,
            )
    # "A and B are not ranked among the first three countries to which C sells the most arms."
    for m in re.finditer(
        rf"{lst} (?:is|are|was|were) not (?:ranked )?among the (?:first|top|⟦o\d+⟧) (\w+) countries to which {E} "
        rf"(?:sells|exports|delivers)",
        t,
    ):
        n = _count(m.group(3))
        if n:
            ids = _ids(v, m.group(1))
            v.add(
                ClaimKind.RANK,
                [int(x) for x in re.findall(r"⟦e(\d+)⟧", m.group(1))] + [int(m.group(4))],
                subject=ids,
                partner=v.entity(m.group(4)),
                direction="import",
                scope="recipient_of",
                relation="not_top_n",
                value=float(n),
            )


def _world_list(
    v: SentenceView, pieces: list[int], direction: str, relation: str, value: float | None = None
) -> None:
    """A world ranking of the listed countries (two at least): ordered, or all within the top n."""
    if len(pieces) >= 2:
        v.add(
            ClaimKind.RANK,
            pieces,
            subject=[v.entity(x) for x in pieces],
            direction=direction,
            scope="world",
            relation=relation,
            value=value,
        )


def _spending_year(v: SentenceView, c: Claim, pos: int) -> None:
    """A spending ranking is of one year: the year the sentence (or the one before) names."""
    from armatlas.analysis.periods import Period
    from armatlas.claims.milex_reader import claim_year

    year = claim_year(v, pos)
    if year:
        c.periods, c.period_source = [Period(year, year)], "sentence"
