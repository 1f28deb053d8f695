"""Evidence for military-spending claims from SIPRI's milex workbook (analysis.spending, analysis.shares)."""

from __future__ import annotations

import dataclasses

import duckdb

from armatlas.analysis.flows import entity_group
from armatlas.analysis.milex_regions import (
    RegionSpending,
    region_names,
    region_ranks,
    region_spending,
    spending_history,
)
from armatlas.analysis.shares import spending_group, spending_ratio
from armatlas.analysis.spending import spending
from armatlas.claims.evidence import Evidence
from armatlas.claims.extract import Claim
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.memo import Memo
from armatlas.claims.mentions import REGION_PREFIX, group_spec


def _ids(claim: Claim) -> list[str] | None:
    """The states summed (None: the world, as spending_group reads it)."""
    if claim.subject == ["WORLD"]:
        return None
    out: list[str] = []
    for s in claim.subject:
        out += (entity_group(group_spec(s))[1] or []) if s.startswith(REGION_PREFIX) else [s]
    return out


def milex_evidence(con: duckdb.DuckDBPyConnection, claim: Claim, memo: Memo | None = None) -> Evidence:
    """Level in US$ bn (current), real change (constant US$), share of GDP, share of world spending, rank."""
    run = memo or Memo(con)
    y1 = claim.periods[-1].end
    y0 = claim.periods[0].end if len(claim.periods) > 1 else None
    query = {
        "function": "spending"
        if len(claim.subject) == 1
        and not claim.subject[0].startswith(REGION_PREFIX)
        and claim.subject != ["WORLD"]
        else "spending_group",
        "entities": claim.subject,
        "year": y1,
        "base_year": y0,
    }
    single = query["function"] == "spending"
    if claim.kind == ClaimKind.MILEX_BURDEN and single and y0 is not None:
        a = run(spending, claim.subject[0], year=y0).summary.share_gdp
        b = run(spending, claim.subject[0], year=y1).summary.share_gdp
        return Evidence(  # "Israel up 0.9 percentage points": the change of the share of GDP, in points
            computed=100 * (b - a) if a is not None and b is not None else None,
            detail={"from_year": y0, "to_year": y1},
            query=query,
            notes=["change of military spending as a share of GDP, in percentage points"],
            reason=None if a is not None and b is not None else f"no share of GDP for {y0} or {y1}",
        )
    if claim.kind == ClaimKind.MILEX_BURDEN and single:
        s = run(spending, claim.subject[0], year=y1).summary
        v = s.share_gdp
        return Evidence(
            computed=100 * v if v is not None else None,
            detail={"year": y1},
            query=query,
            reason=None if v is not None else f"no share of GDP for {y1}",
        )
    if claim.kind == ClaimKind.MILEX_OTHER and single:
        v = run(spending, claim.subject[0], year=y1).summary.share_govt
        return Evidence(
            computed=100 * v if v is not None else None,
            detail={"year": y1},
            query=query,
            notes=["military spending as a share of government spending"],
            reason=None if v is not None else f"no share of government spending for {y1}",
        )
    if claim.kind == ClaimKind.MILEX_PER_CAPITA and single:
        s = run(spending, claim.subject[0], year=y1).summary
        v = s.per_capita
        return Evidence(
            computed=v,
            detail={"year": y1},
            query=query,
            notes=["US$ per person, current prices"],
            reason=None if v is not None else f"no spending per person for {y1}",
        )
    if claim.kind == ClaimKind.MILEX_HISTORY:
        h = run(spending_history, claim.subject[0], y1)
        return Evidence(
            computed=None,
            detail=dataclasses.asdict(h) if h else {},
            query=dict(query, function="spending_history"),
            notes=["real terms (constant US$): SIPRI's totals for regions and the world"],
            reason=None if h else f"no spending figure for {claim.subject[0]} in {y1}",
        )
    if claim.kind == ClaimKind.MILEX_RANK and claim.partner and claim.partner.startswith(REGION_PREFIX):
        return _region_rank(run, claim, y1, query)
    if claim.kind == ClaimKind.MILEX_RANK and single:
        s = run(spending, claim.subject[0], year=y1).summary
        rank = s.world_rank_current_usd
        return Evidence(
            computed=float(rank) if rank else None,
            detail={"year": y1, "ranks": {claim.subject[0]: rank}, "countries_ranked": s.countries_ranked},
            query=query,
        )
    if claim.kind == ClaimKind.MILEX_RANK and claim.relation == "ordered":
        ranks = {e: run(spending, e, year=y1).summary.world_rank_current_usd for e in claim.subject}
        return Evidence(  # "the top five spenders were A, B, C, D and E": each one's world rank
            computed=None,
            detail={"year": y1, "ranks": ranks},
            query=dict(query, function="spending"),
            reason=None if all(ranks.values()) else f"no world rank for every country in {y1}",
        )
    if claim.kind == ClaimKind.MILEX_CHANGE and single and y0 is not None:
        res = run(spending, claim.subject[0], year=y1, periods=(y1 - y0,))
        g = res["growth"].rows[0]
        ch = g["change"]
        return Evidence(
            computed=100 * ch if ch is not None else None,
            detail={"from_year": y0, "to_year": y1},
            query=query,
            notes=["real terms (constant US$), as SIPRI states changes"],
            reason=None if ch is not None else f"no spending figures for {y0} or {y1}",
        )
    if claim.kind == ClaimKind.RATIO and claim.partner:
        r = run(spending_ratio, _ids(claim) or [], [claim.partner], y1)
        return Evidence(
            computed=r["ratio"],
            detail={"year": y1, "current_usd": r["current_usd"], "other_current_usd": r["other_current_usd"]},
            query=dict(query, function="spending_ratio", partner=claim.partner),
            notes=["ratio of spending in US$, current prices"],
            reason=None if r["ratio"] is not None else f"no spending figures for both in {y1}",
        )
    if len(claim.subject) == 1 and claim.kind in (
        ClaimKind.MILEX_LEVEL,
        ClaimKind.MILEX_SHARE,
        ClaimKind.MILEX_CHANGE,
    ):
        name = "World" if claim.subject == ["WORLD"] else claim.subject[0][len(REGION_PREFIX) :]
        sipri = run(region_spending, name, y1, y0) if not single else None
        if sipri is not None:
            return _region_evidence(claim, sipri, query)
    g = run(spending_group, _ids(claim), y1, y0)
    world_note = (
        [
            "world: the sum of countries with figures in the workbook; SIPRI's own world total adds "
            "estimates for the others (a few per cent more)"
        ]
        if claim.subject == ["WORLD"]
        else []
    )
    stale = (
        []
        if single or run(region_names)
        else [
            "SIPRI's own regional totals are not in this store (its milex workbook was stored by an "
            "older armatlas): run `armatlas ingest` on the workbook again to read them"
        ]
    )
    if claim.kind == ClaimKind.MILEX_LEVEL:
        v = g["current_usd"]
        return Evidence(
            computed=v / 1000 if v is not None else None,
            detail={"year": y1, "countries": g["countries"], "world": claim.subject == ["WORLD"]},
            query=query,
            notes=["US$ billion, current prices", *world_note, *stale],
            reason=None if v is not None else f"no spending figure for {y1}",
        )
    if claim.kind == ClaimKind.MILEX_SHARE:
        v = g["share"]
        return Evidence(
            computed=100 * v if v is not None else None,
            detail={"year": y1},
            query=query,
            notes=[
                "world total: the sum of countries with figures in the workbook; SIPRI's own world "
                "total adds estimates for the others, so shares here run slightly high",
                *stale,
            ],
        )
    if claim.kind == ClaimKind.MILEX_CHANGE:
        v = g["change"]
        return Evidence(
            computed=100 * v if v is not None else None,
            detail={"from_year": y0, "to_year": y1},
            query=query,
            notes=["real terms (constant US$), summed over the group's states", *stale],
        )
    return Evidence(reason=f"no check for {claim.kind} of a group")


def _region_evidence(claim: Claim, r: RegionSpending, query: dict) -> Evidence:
    """A region's (or the world's) spending from SIPRI's own regional totals."""
    notes = [
        f"SIPRI's milex region {r.region} ({r.members} countries, its estimates for missing figures included)"
    ]
    if r.uncertain:
        notes.append("SIPRI marks this total as uncertain: over 10% of it is estimates for missing data")
    query = dict(query, function="region_spending", region=r.region)
    if claim.kind == ClaimKind.MILEX_LEVEL:
        v = r.current_usd
        return Evidence(
            computed=v / 1000 if v is not None else None,
            detail={
                "year": r.year,
                "countries": r.members,
                "region": r.region,
            },  # SIPRI's total: no "world" sum
            query=query,
            notes=["US$ billion, current prices", r.basis, *notes],
            reason=None if v is not None else r.basis,
        )
    if claim.kind == ClaimKind.MILEX_SHARE:
        v = r.world_share
        return Evidence(
            computed=100 * v if v is not None else None,
            detail={"year": r.year, "region": r.region},
            query=query,
            notes=["share of SIPRI's world total, both at current prices", *notes],
            reason=None if v is not None else r.basis,
        )
    v = r.change
    return Evidence(
        computed=100 * v if v is not None else None,
        detail={"from_year": r.change_from, "to_year": r.year, "region": r.region},
        query=query,
        notes=[f"real terms: SIPRI's totals at constant ({r.base_year}) prices", *notes],
        reason=None if v is not None else f"no SIPRI total for {r.region} in {r.change_from} or {r.year}",
    )


def _region_rank(run: Memo, claim: Claim, year: int, query: dict) -> Evidence:
    """'The subregion's biggest spender': ranks among the members of SIPRI's milex region."""
    region = claim.partner[len(REGION_PREFIX) :] if claim.partner else ""
    ranks = run(region_ranks, region, year)
    query = dict(query, function="region_ranks", region=region)
    if ranks is None:
        return Evidence(reason=f"no SIPRI military-spending region {region!r} in this store", query=query)
    got = {e: ranks.get(e) for e in claim.subject}
    one = got[claim.subject[0]] if len(claim.subject) == 1 else None
    return Evidence(
        computed=float(one) if one else None,
        detail={"year": year, "ranks": got, "region": region, "countries_ranked": len(ranks)},
        query=query,
        notes=[f"rank among the {len(ranks)} countries of SIPRI's {region} with figures for {year}"],
        reason=None if all(got.values()) else f"no {year} spending figure in {region} for {claim.subject}",
    )
