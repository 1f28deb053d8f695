"""Orders: "in 2018 it ordered 4 frigates and 30 combat helicopters from Turkey", "India signed a
deal for 26 Rafale-M jets from France", "Poland placed an order with South Korea for 180 tanks".

The buyer is the subject of the verb (a country, or 'it'/'the country' for the topic), the seller
the country after 'from' / 'with' (none when only a count follows: "in 2023 Japan ordered 400"); the year is the one the sentence names, else its period.
Plans and intentions ("plans to order", "will buy") are predictions, not orders.
"""

from __future__ import annotations

import re

from armatlas.analysis.periods import Period
from armatlas.claims.extract import SentenceView
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.mentions import REGION_PREFIX
from armatlas.claims.order_evidence import STATED

E = r"⟦e(\d+)⟧"
_VERB = (
    r"(?:ordered|has ordered|had ordered|signed (?:a |an )?(?:\w+ )?(?:deal|contract|agreement)s?(?: worth ⟦m\d+⟧)?"
    r"(?: (?:for|to buy|to purchase|to acquire))?|placed (?:an |a )?(?:\w+ )?orders? (?:for|with)|agreed to buy|"
    r"purchased|bought|contracted for)"
)
_ORDER = re.compile(
    rf"(?:(?P<who>{E})(?!'s)|\b(?P<pro>it|the country))(?:,[^,⟦]{{1,40}},)? (?:(?:has|had|have) )?(?:also |then |later |recently )?{_VERB}"
    rf"(?P<what>[^.;]{{0,120}}?)\b(?:from|with) (?:the )?{E}(?!'s)"
)
# "in 2023 Japan ordered 400 and planned to order 50 more": a count ordered, no seller named
_ORDER_ANY = re.compile(
    rf"(?:(?P<who>{E})(?!'s)|\b(?P<pro>it|the country)) (?:(?:has|had|have) )?(?:also |then |later |recently )?"
    rf"ordered (?P<what>⟦k\d+⟧)(?![^.;]{{0,120}}?\b(?:from|with) (?:the )?⟦e)"
)
_PLAN = re.compile(
    r"\b(?:plans?|planned|planning|intends?|wants?|will|would|could|may|might|expected|set) (?:to )?$"
)


def read_orders(v: SentenceView) -> None:
    """One order claim per buyer, seller and year the sentence states."""
    from armatlas.claims.reader import headline, sentence_topic

    t = v.template
    for m in list(_ORDER.finditer(t)) + list(_ORDER_ANY.finditer(t)):
        if _PLAN.search(t[max(0, m.start() - 25) : m.start()]) or re.search(
            r"\bto (?:order|buy)\b", m.group(0)[:30]
        ):
            continue
        if re.search(r"⟦n\d+⟧", m.group(0)) or (
            re.search(r"\b(?:purchased|bought|agreed to buy)\b", m.group(0))
            and not re.search(r"⟦k\d+⟧", m.group("what"))
        ):
            continue  # "purchased arms mainly from Israel (61%)": imports, not an order of so many systems
        who = re.sub(r"\D", "", m.group("who") or "")
        buyer = v.entity(who) if who else sentence_topic(v, m.start())
        seller_idx = m.groups()[-1] if m.re is _ORDER else None
        seller = v.entity(seller_idx) if seller_idx else None
        if not buyer or buyer == seller or REGION_PREFIX in buyer + (seller or ""):
            continue
        years = [int(y) for y in re.findall(r"\b((?:19|20)\d{2})\b(?!⟧)", t)]
        if years:
            period = Period(years[0], years[0])
        else:
            head = headline(v)
            got = v.article.headline_before(v.sentence.index)
            if head is None and got is None:
                continue
            period = head or got[0]  # type: ignore[index]  # "has also ordered 400 missiles": the report's period
        counts = [v.item(k).value for k in re.findall(r"⟦k(\d+)⟧", m.group("what"))]
        pieces = [int(x) for x in (who, seller_idx) if x]
        c = v.add(ClaimKind.ORDER, pieces, subject=[buyer], partner=seller, direction="import")
        c.periods, c.period_source = [period], "sentence" if years else "sentence's period"
        if counts:
            c.notes.append(STATED + ", ".join(f"{n:g}" for n in counts))
