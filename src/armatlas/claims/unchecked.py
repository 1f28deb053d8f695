"""Nothing vanishes: sentences with a figure or a claim word that no claim was read from, and why.

Reasons: "prediction" (future tense, targets), "outside the data" (money other than military
spending, jobs, production), "not understood" (the checker saw a figure or a claim word but could
not tell what it measures). A non-English article gets a language warning instead of silence.
"""

from __future__ import annotations

import re

from armatlas.claims.extract import ArticleContext, Claim
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.timeexpr import is_future

_FIGURE = re.compile(
    r"\d|\b(?:percent|per cent|half|third|quarter|fifth|doubled|halved|tripled|fold)\b", re.I
)
_CLAIM_WORD = re.compile(
    r"\b(?:largest|biggest|top|leading|ranked|ranks|share|accounted|accounting|increased|decreased|"
    r"rose|fell|grew|declined|dropped|imports?|exports?|importer|exporter|supplier|spending|"
    r"expenditure|budget)\b",
    re.I,
)
_OUTSIDE = re.compile(r"\$|\b(?:dollars?|euros?|revenue|turnover|contracts? worth|jobs|employ\w*)\b", re.I)
_EN = {"the", "of", "and", "to", "in", "is", "was", "for", "that", "with", "by", "its", "from", "has"}
_OTHER = {
    "german": {"der", "die", "das", "und", "ist", "von", "mit", "nicht", "auf", "den", "ein", "eine", "für"},
    "French": {"le", "la", "les", "et", "des", "est", "du", "une", "dans", "pour", "sur", "qui", "pas"},
    "Spanish": {"el", "los", "las", "y", "del", "en", "que", "por", "una", "con", "para", "es"},
    "Russian": set(),
}


def language_warning(text: str) -> str | None:
    """A warning when the article does not read as English (the extractor reads English only)."""
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 20:
        return None
    if sum(1 for w in words if re.fullmatch(r"[\u0400-\u04ff]+", w)) > len(words) / 3:
        return "the article appears to be in Russian (Cyrillic); the claim checker reads English only, so no claims were read"
    en = sum(1 for w in words if w in _EN) / len(words)
    scores = {lang: sum(1 for w in words if w in ws) / len(words) for lang, ws in _OTHER.items() if ws}
    lang, best = max(scores.items(), key=lambda kv: kv[1])
    if best > en and best > 0.05:
        return (
            f"the article appears to be in {lang.capitalize()}, not English; the claim checker reads English only, "
            "so its figures were not read (see the unchecked sentences)"
        )
    return None


def _figures_left(ctx: ArticleContext, i: int, claims: list[Claim]) -> list[str]:
    """Percentages, factors and money amounts of a sentence that no claim's span covers."""
    from armatlas.claims.numbers import NumberMention

    if not ctx.views or len(ctx.views) <= i:
        return []
    v = ctx.views[i]
    if any(c.kind == ClaimKind.OUT_OF_SCOPE for c in claims):
        return []
    spans = [(c.start, c.end) for c in claims]
    out = []
    for it in v.items:
        if isinstance(it, NumberMention) and it.kind in ("percent", "factor", "money"):
            a, b = v.sentence.start + it.start, v.sentence.start + it.end
            if not any(x <= a and b <= y for x, y in spans):
                out.append(it.text)
    return out


def unchecked(ctx: ArticleContext, claims: list[Claim]) -> list[dict]:
    """Sentences with a figure or a claim word and no claim read from them, each with a reason."""
    covered = {c.sentence_index for c in claims}
    out = []
    for s in ctx.sentences:
        if re.match(r"(?i)(?:title|source|published|date|url):", s.text):
            continue
        if s.index in covered:
            left = _figures_left(ctx, s.index, [c for c in claims if c.sentence_index == s.index])
            if left:
                out.append(
                    {
                        "sentence_index": s.index,
                        "sentence": s.text,
                        "reason": "not understood: figure(s) "
                        + ", ".join(f"'{x}'" for x in left)
                        + " in a sentence whose other claims were read",
                    }
                )
            continue
        fig, word = _FIGURE.search(s.text), _CLAIM_WORD.search(s.text)
        if not fig and not word:
            continue
        if is_future(s.text):
            reason = "prediction or target, not a statement about the data"
        elif _OUTSIDE.search(s.text):
            reason = "outside the data (money values other than military spending, jobs or sales revenue)"
        elif fig:
            reason = "not understood: a figure the checker could not match to a measure, country and period"
        else:
            reason = "not understood: a claim word without a figure the checker could read"
        out.append({"sentence_index": s.index, "sentence": s.text, "reason": reason})
    return out
