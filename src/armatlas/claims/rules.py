"""The claim rules for one sentence (`apply_all`) and the out-of-scope topics.

Order matters: Top 100 sentences (companies' arms sales) are read alone, then spending figures, then out-of-scope topics (their percentages are not
arms-transfer shares), then the quantity-first reading of changes and shares (reader.py),
thresholds, ranks, counts and qualitative claims.
"""

from __future__ import annotations

import re

from armatlas.claims.extract import SentenceView
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.mentions import REGION_PREFIX
from armatlas.claims.timeexpr import is_future

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


def apply_all(v: SentenceView) -> None:
    from armatlas.claims.industry_reader import read_industry
    from armatlas.claims.milex_reader import read_milex_history, read_money
    from armatlas.claims.reader import read_quantities

    if read_industry(v):  # the SIPRI Top 100: companies' arms sales, neither transfers nor spending
        return
    read_money(v)
    read_milex_history(v)
    spending = any(c.kind.startswith("milex") for c in v.claims)
    skip_percent = out_of_scope(v) and not spending
    ranks(v)  # before the figures: "the top five ..., accounting between them for 33%" speaks of the list
    if not skip_percent:
        read_quantities(v)
        thresholds(v)
        from armatlas.claims.plateau_reader import read_plateaus

        read_plateaus(v)
    from armatlas.claims.count_reader import read_counts
    from armatlas.claims.trend_reader import read_trends

    read_counts(v)
    read_trends(v)  # rises and falls with no figure, after the figure readers
    from armatlas.claims.order_reader import read_orders

    read_orders(v)
    qualitative(v)


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
