"""Threshold claims about supplier shares: 'less than half of A's imports', 'most of which came from B'.

Such claims carry relation 'lt' or 'gt' and the threshold as a per cent (50.0), so the verdict
compares the computed share with the threshold instead of with a figure.
"""

from __future__ import annotations

import re

from armatlas.claims.extract import SentenceView
from armatlas.claims.kinds import ClaimKind

E = r"⟦e(\d+)⟧"
ARMS = r"(?:arms |weapons? |military )?"
# Quantifier words -> (relation, threshold in per cent). "Most" and "the majority" mean over half.
_Q = {
    "less than half": ("lt", 50.0),
    "under half": ("lt", 50.0),
    "fewer than half": ("lt", 50.0),
    "more than half": ("gt", 50.0),
    "over half": ("gt", 50.0),
    "most": ("gt", 50.0),
    "the majority": ("gt", 50.0),
    "the bulk": ("gt", 50.0),
    "the vast majority": ("gt", 50.0),
}
Q = "(" + "|".join(sorted((re.escape(k) for k in _Q), key=len, reverse=True)) + ")"
_SHARE_VERB = (
    r"(?:made up|make up|makes up|accounted for|accounts for|account for|supplied|supplies|provided|provides|"
    r"represented|represents|constituted|comprised|were|was)"
)
_CAME = r"(?:came|come|comes|were supplied|was supplied|were delivered|originated)"


def _before(v: SentenceView, pos: int) -> list[tuple[int, bool]]:
    """(entity item index, possessive) of entity markers before template position pos, nearest first."""
    return [(int(m.group(1)), bool(m.group(2))) for m in re.finditer(E + r"('s)?", v.template[:pos])][::-1]


def _add(
    v: SentenceView, q: str, importer: str, supplier: str, pieces: list[int], note: str | None = None
) -> None:
    rel, threshold = _Q[q]
    c = v.add(
        ClaimKind.SUPPLIER_SHARE,
        pieces,
        subject=[importer],
        partner=supplier,
        direction="import",
        value=threshold,
        relation=rel,
    )
    c.notes.append(
        f"threshold claim: '{q}' read as a share {'below' if rel == 'lt' else 'above'} {threshold:g}%"
    )
    if note:
        c.notes.append(note)


def threshold_rules(v: SentenceView) -> None:
    """Supplier-share claims stated as 'less/more than half', 'most' or 'the majority'."""
    t = v.template
    # "deliveries from B (or the Soviet Union before 1991) made up less than half of A's arms imports"
    for m in re.finditer(
        rf"(?:deliveries|imports|arms|weapons|supplies|transfers) from {E}(?: \([^)]*\))? "
        rf"{_SHARE_VERB} {Q} of {E}'s {ARMS}imports",
        t,
    ):
        _add(v, m.group(2), v.entity(m.group(3)), v.entity(m.group(1)), [int(m.group(1)), int(m.group(3))])
    # "B accounted for / supplied more than half of A's arms imports"
    for m in re.finditer(rf"{E} (?:\w+ )?{_SHARE_VERB} {Q} of {E}'s {ARMS}imports", t):
        _add(v, m.group(2), v.entity(m.group(3)), v.entity(m.group(1)), [int(m.group(1)), int(m.group(3))])
    # "most of A's arms imports came from B"
    for m in re.finditer(rf"{Q} of {E}'s {ARMS}imports {_CAME} from (?:the )?{E}", t):
        _add(v, m.group(1), v.entity(m.group(2)), v.entity(m.group(3)), [int(m.group(2)), int(m.group(3))])
    # "A's own arms imports shrank ..., substituting imported arms -- most of which came from B":
    # the relative clause hangs on imports; the importer is the nearest country before it,
    # a possessive one first ("A's imports").
    for m in re.finditer(
        rf"(?:imports?|imported (?:arms|weapons|systems))[^⟦]{{0,40}}?(?:,|--|—|–)\s*{Q} of "
        rf"(?:which|them|these) {_CAME} from (?:the )?{E}",
        t,
    ):
        supplier = v.entity(m.group(2))
        cands = [(i, p) for i, p in _before(v, m.end()) if v.entity(i) != supplier]
        poss = [i for i, p in cands if p]
        pick = poss[0] if poss else (cands[0][0] if cands else None)
        if pick is not None:
            _add(
                v,
                m.group(1),
                v.entity(pick),
                supplier,
                [int(m.group(2))],
                "'which' read as the imports of the country named before",
            )
