"""Claims in words, with display names: "Israel's share of Azerbaijan's arms imports, 2017–2021"."""

from __future__ import annotations

from armatlas.claims.extract import Claim
from armatlas.claims.kinds import ClaimKind

_DIR = {"import": "imports", "export": "exports", None: "transfers"}


def name(eid: str | None) -> str:
    """Display name of an entity id ('israel' -> 'Israel'), a region ('region:Europe' -> 'Europe')."""
    if not eid:
        return "?"
    if eid == "WORLD":
        return "the world"
    if eid.startswith("region:"):
        return eid.split(":", 1)[1]
    from armatlas.entities.register import load_register

    try:
        return load_register().get(eid).name
    except Exception:  # an id the register no longer knows: show it as it is
        return eid


def _names(ids: list[str]) -> str:
    ns = [name(i) for i in ids]
    return ns[0] if len(ns) == 1 else ", ".join(ns[:-1]) + " and " + ns[-1]


def _poss(ids: list[str]) -> str:
    s = _names(ids)
    return s + ("'" if s.endswith("s") else "'s")


def _span(c: Claim) -> str:
    ps = [p.label.replace("-", "–") for p in c.periods]
    return (
        " to ".join(ps[-2:])
        if c.kind.endswith("change") and len(ps) > 1
        else (ps[-1] if ps else "period unknown")
    )


def describe(c: Claim) -> str:
    """What the claim asserts, in words, without the figure."""
    k, d, per = c.kind, _DIR.get(c.direction, "transfers"), _span(c)
    if k == ClaimKind.SUPPLIER_SHARE:
        return f"{_poss([c.partner or '?'])} share of {_poss(c.subject)} arms imports, {per}"
    if k == ClaimKind.RECIPIENT_SHARE:
        return f"{_poss([c.partner or '?'])} share of {_poss(c.subject)} arms exports, {per}"
    if k == ClaimKind.GLOBAL_SHARE:
        return f"{_poss(c.subject)} share of world arms {d}, {per}"
    if k == ClaimKind.SHARE_CHANGE:
        whose = (
            f"{_poss([c.partner])} share of {_poss(c.subject)} arms {d}"
            if c.partner
            else f"{_poss(c.subject)} share of world arms {d}"
        )
        return f"change in {whose}, {per} (percentage points)"
    if k == ClaimKind.CHANGE:
        with_ = f" {'to' if c.direction == 'export' else 'from'} {name(c.partner)}" if c.partner else ""
        return f"change in {_poss(c.subject)} arms {d}{with_}, {per}"
    if k == ClaimKind.WORLD_CHANGE:
        return f"change in the volume of international arms transfers, {per}"
    if k in ("rank", "region_rank"):
        role = "importers" if c.direction == "import" else "exporters"
        if c.relation in ("ordered", "top_n", "not_top_n"):
            return f"{_names(c.subject)} among the world's largest arms {role}, {per}"
        if c.scope == "supplier_of":
            return f"{_poss(c.subject)} rank among {_poss([c.partner or '?'])} arms suppliers, {per}"
        if c.scope == "recipient_of":
            return f"{_poss(c.subject)} rank among {_poss([c.partner or '?'])} arms recipients, {per}"
        where = f"{name(c.partner)}'s" if k == ClaimKind.REGION_RANK else "the world's"
        return f"{_poss(c.subject)} rank among {where} arms {role}, {per}"
    if k == ClaimKind.MILEX_LEVEL:
        return f"{_poss(c.subject)} military spending, {per} (US$ billion, current prices)"
    if k == ClaimKind.MILEX_CHANGE:
        return f"real change in {_poss(c.subject)} military spending, {per}"
    if k == ClaimKind.RATIO:
        return f"{_poss(c.subject)} military spending as a multiple of {_poss([c.partner or '?'])}, {per}"
    if k == ClaimKind.MILEX_BURDEN:
        return f"{_poss(c.subject)} military spending as a share of GDP, {per}"
    if k == ClaimKind.MILEX_OTHER:
        return f"{_poss(c.subject)} military spending as a share of government spending, {per}"
    if k == ClaimKind.MILEX_SHARE:
        return f"{_poss(c.subject)} share of world military spending, {per}"
    if k == ClaimKind.MILEX_PER_CAPITA:
        return f"{_poss(c.subject)} military spending per person, {per} (US$, current prices)"
    if k == ClaimKind.MILEX_RANK:
        among = f"{name(c.partner)}'s" if c.partner else "the world's"
        return f"{_poss(c.subject)} rank among {among} military spenders, {per}"
    if k == ClaimKind.MILEX_HISTORY:
        return f"{_poss(c.subject)} military spending against its own record (real terms), {per}"
    if k == ClaimKind.EXPORTS_REACH:
        return f"number of states {_names(c.subject)} exported major arms to, {per}"
    if k == ClaimKind.SUPPLIER_COUNT:
        return f"number of states that delivered major arms to {_names(c.subject)}, {per}"
    if k == ClaimKind.ORDER:
        seller = f" with {name(c.partner)}" if c.partner else ""
        return f"orders placed by {name(c.subject[0])}{seller}, {per}"
    if k == ClaimKind.PARTNERSHIP:
        return f"{_poss(c.subject)} arms ties with {name(c.partner)}"
    if k == ClaimKind.SECOND_HAND_EXPORTS:
        return f"second-hand share of {_poss(c.subject)} arms exports, {per}"
    if k == ClaimKind.DEPENDENCE:
        return f"{_poss(c.subject)} dependence on arms imports"
    if k == ClaimKind.MILITARY_BUDGET:
        return f"trend of {_poss(c.subject)} military spending"
    if k == ClaimKind.OUT_OF_SCOPE:
        return "outside the data: " + ", ".join(t.replace("_", " ") for t in c.topics)
    return k


def stated(c: Claim) -> str:
    """The figure as the article states it: '61%', 'rank 4', 'at least 30', 'rising'."""
    v = c.value
    if c.relation in ("ordered", "top_n", "not_top_n"):
        return {
            "ordered": "in this order",
            "top_n": f"within the top {v:g}" if v else "top",
            "not_top_n": f"not in the top {v:g}" if v else "not top",
        }[c.relation]
    if c.relation == "stable":
        return "stable (about 0%)"
    if c.kind == ClaimKind.MILEX_HISTORY:
        what = c.relation.replace("_", " ").replace("since", "since " + f"{v:g}" if v else "since")
        return f"{v:g} {what}" if v and c.relation.startswith("consecutive") else what
    if v is None:
        return {"rising": "rising", "falling": "falling", "many": "many"}.get(c.relation, "–")
    unit = {
        ClaimKind.MILEX_LEVEL: " bn",
        ClaimKind.MILEX_PER_CAPITA: "",
        ClaimKind.RANK: "",
        ClaimKind.REGION_RANK: "",
        ClaimKind.MILEX_RANK: "",
        ClaimKind.EXPORTS_REACH: "",
        ClaimKind.SUPPLIER_COUNT: "",
    }.get(c.kind, "%")
    sign = "+" if c.kind.endswith("change") and v > 0 else ""
    rel = {
        "gt": "more than ",
        "lt": "less than ",
        "almost": "nearly ",
        "approx": "about ",
        "gte": "at least ",
    }.get(c.relation, "")
    pre = "$" if c.kind in (ClaimKind.MILEX_LEVEL, ClaimKind.MILEX_PER_CAPITA) else ""
    return f"{rel}{'rank ' if 'rank' in c.kind else ''}{pre}{sign}{round(v, 1):g}{unit}"


def computed(kind: ClaimKind, value: float | None) -> str:
    """The data's figure with the precision it deserves."""
    if value is None:
        return "–"
    if kind in (
        ClaimKind.RANK,
        ClaimKind.REGION_RANK,
        ClaimKind.MILEX_RANK,
        ClaimKind.EXPORTS_REACH,
        ClaimKind.SUPPLIER_COUNT,
        ClaimKind.PARTNERSHIP,
    ):
        return f"{value:g}"
    if kind == ClaimKind.MILEX_LEVEL:
        return f"${value:,.1f} bn"
    if kind == ClaimKind.MILEX_PER_CAPITA:
        return f"${value:,.0f}"
    sign = "+" if kind.endswith("change") and value > 0 else ""
    return f"{sign}{value:.1f}%"
