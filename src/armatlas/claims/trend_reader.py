"""Rises and falls stated without a figure: "Israel, the USA and France all increased their arms exports to
India", "declining Russian and Chinese arms exports", "Rises in sales by three of the top five arms exporters
— the United States, France and Germany —", "even if the volume of imports has fallen", "overall global arms
transfers decreased slightly".

Each is a change of relation rising or falling (judged on its sign). Several countries named together are one
claim that holds when every one of them moved that way (the evidence gives the least favourable country's
change), or one claim each when the sentence says so ("all", "both", "each"). A clause with a figure is the
figure readers' (reader.py), and a flat trend the plateau reader's.
"""

from __future__ import annotations

import re

from armatlas.claims.extract import SentenceView
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.mentions import REGION_PREFIX
from armatlas.claims.reader import DOWN, UP, periods_for, sentence_topic

_L = r"(?P<L>(?:(?:the )?⟦e\d+⟧(?:,? and |, ))*(?:the )?⟦e\d+⟧)"
_FLOW = r"(?:arms |weapons? )?(?P<flow>exports|imports|sales|purchases|deliveries)"
_PAST = (
    r"increased|rose|risen|grew|grown|expanded|climbed|soared|jumped|surged|"
    r"decreased|declined|fell|fallen|dropped|shrank|shrunk|contracted|slumped|plunged|reduced|cut"
)
_RULES = [
    # "Israel, the USA and France all increased their arms exports to India", "the US, France and Germany --
    # actually increased their exports"
    re.compile(
        rf"{_L}(?:\s*[-—–]+)?,? (?:have |has |had )?(?P<each>(?:all|both|each) )?(?:also |actually |even |further )*"
        rf"(?P<verb>{_PAST}) (?:their|its) {_FLOW}(?: (?:to|from) (?:the )?⟦e(?P<p>\d+)⟧)?"
    ),
    # "Germany's arms exports to Israel have also risen", "Russia's exports fell sharply"
    re.compile(
        rf"{_L}'s {_FLOW}(?: (?:to|from) (?:the )?⟦e(?P<p>\d+)⟧)? (?:have |has |had )?(?:also |further )?"
        rf"(?P<verb>{_PAST})\b"
    ),
    # "declining Russian and Chinese arms exports", "rising Turkish exports"
    re.compile(
        r"\b(?P<verb>rising|growing|increasing|expanding|declining|falling|shrinking|decreasing|dropping) "
        rf"{_L} {_FLOW}"
    ),
    # "Rises in sales by three of the top five arms exporters — the United States, France and Germany —"
    re.compile(
        rf"\b(?P<verb>rises|rise|increases|increase|growth|declines|decline|falls|fall|drops|drop|decreases|decrease)"
        rf" in {_FLOW} (?:by|of|from) (?:[^⟦.;]{{0,60}}?[—–-]+\s*)?{_L}"
    ),
]
# "even if the volume of imports has fallen": the flow of the sentence's country
_BARE = re.compile(rf"\b(?:the )?(?:volume of |level of )?{_FLOW} (?:has|have|had) (?P<verb>{_PAST})\b")
# "overall global arms transfers decreased slightly"
_WORLD = re.compile(
    rf"\b(?:overall |total )?(?:global|world|international|worldwide) (?:arms |weapons )?(?:transfers|trade|sales)"
    rf" (?:have |has |had )?(?P<verb>{_PAST})\b"
)
_FIGURE = re.compile(r"⟦[nf]\d+⟧")
_MOVES = re.compile(rf"\b(?:{UP}|{DOWN}|rises|declines|falls|drops|increases|decreases)\b")
_CLAUSE_END = re.compile(r"[;:]|\bwhile\b|\bbut\b|\bwhereas\b|\bwere\b|\bwas\b|\. ")


def _no_figure(t: str, end: int) -> bool:
    """No figure from the verb to the end of its clause ('rose by 17%' is the figure readers')."""
    rest = t[end:]
    stop = _CLAUSE_END.search(rest)
    return not _FIGURE.search(rest[: stop.start()] if stop else rest)


def _relation(verb: str) -> str:
    return (
        "falling"
        if re.fullmatch(DOWN + "|shrank|shrunk|contracted|slumped|plunged|declines|falls|drops", verb)
        else "rising"
    )


def read_trends(v: SentenceView) -> None:
    """The sentence's figure-less rises and falls of arms flows."""
    t = v.template
    if not any(
        w in t for w in ("export", "import", "sales", "purchases", "deliveries", "transfers", "trade")
    ):
        return  # no arms flow named
    if not _MOVES.search(t):
        return
    taken = [c for c in v.claims if c.kind in (ClaimKind.CHANGE, ClaimKind.WORLD_CHANGE)]
    for rx in _RULES:
        for m in rx.finditer(t):
            if not _no_figure(t, m.end()):
                continue
            ids = [int(x) for x in re.findall(r"⟦e(\d+)⟧", m.group("L"))]
            owners = [v.entity(i) for i in ids]
            if any(o.startswith(REGION_PREFIX) for o in owners) and len(owners) > 1:
                continue
            if any(set(c.subject) & set(owners) for c in taken):
                continue  # the figure readers read this flow already
            partner = v.entity(m.group("p")) if m.groupdict().get("p") else None
            direction = "import" if m.group("flow") in ("imports", "purchases") else "export"
            groups = [[o] for o in owners] if m.groupdict().get("each") else [owners]
            for g in groups:
                pieces = [ids[owners.index(o)] for o in g]
                c = v.add(
                    ClaimKind.CHANGE,
                    pieces,
                    subject=g,
                    partner=partner,
                    direction=direction,
                    relation=_relation(m.group("verb")),
                )
                c.periods, c.period_source = periods_for(v, True, None)
                taken.append(c)
    if not taken and (bare := _BARE.search(t)) and _no_figure(t, bare.end()):
        who = sentence_topic(v, bare.start())
        if who and who != "WORLD":
            c = v.add(
                ClaimKind.CHANGE,
                [],
                subject=[who],
                direction="import" if bare.group("flow") in ("imports", "purchases") else "export",
                relation=_relation(bare.group("verb")),
            )
            c.periods, c.period_source = periods_for(v, True, None)
    if (
        not any(c.kind == ClaimKind.WORLD_CHANGE for c in v.claims)
        and (world := _WORLD.search(t))
        and _no_figure(t, world.end())
    ):
        c = v.add(ClaimKind.WORLD_CHANGE, [], subject=["WORLD"], relation=_relation(world.group("verb")))
        c.periods, c.period_source = periods_for(v, True, None)
