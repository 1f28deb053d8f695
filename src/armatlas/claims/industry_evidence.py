"""What the industry data show: next to a domestic-production sentence (Top 100, licensed production;
the claim itself stays not checkable), and for a Top 100 claim (sales, change, share) the figure it states.
"""

from __future__ import annotations

import duckdb

from armatlas.analysis.industry import industry
from armatlas.analysis.industry_totals import top100_total
from armatlas.claims.evidence import Evidence
from armatlas.claims.extract import Claim
from armatlas.claims.kinds import ClaimKind
from armatlas.claims.memo import Memo
from armatlas.errors import ArmatlasError
from armatlas.results import plain
from armatlas.summaries import LicensedSummary

INDUSTRY_TOPICS = ("domestic_production", "defence_industry")


def industry_evidence(
    con: duckdb.DuckDBPyConnection,
    country: str,
    reason: str,
    release: str | None = None,
    memo: Memo | None = None,
) -> Evidence:
    """Evidence for an out-of-scope industry sentence: the reason it is uncheckable plus what the data show."""
    try:
        res = (memo or Memo(con))(industry, country, release=release, full=False)  # no personnel, partners
    except ArmatlasError as exc:
        return Evidence(reason=f"{reason}; industry data unavailable: {exc.message}")
    s = res.summary
    shown = [s.statement] if s.statement else []
    lic = s.licensed if isinstance(s.licensed, LicensedSummary) else None
    if lic is not None and lic.deals:
        share = lic.share_of_imports
        pct = f", {share * 100:.1f}% of its imports (TIV delivered)" if share is not None else ""
        shown.append(
            f"{lic.deals} deal{'s' if lic.deals != 1 else ''} of licensed or local production "
            f"in the SIPRI register since {lic.since} ({', '.join(lic.suppliers)}){pct}"
        )
    elif lic is not None:
        shown.append("no licensed or local production recorded in the SIPRI register")
    notes = [f"the data show: {x}" for x in shown]
    notes.append("not checkable with any public data here: " + "; ".join(s.uncheckable))
    detail = {
        "industry": {
            "country": s.entity.entity_id if s.entity else country,
            "top100": {k: plain(getattr(s, k)) for k in ("coverage", "has_companies", "latest", "statement")},
            "licensed": {
                k: getattr(lic, k, None)
                for k in ("deals", "since", "suppliers", "tiv_delivered", "share_of_imports")
            },
        }
    }
    return Evidence(
        reason=reason,
        detail=detail,
        notes=notes,
        query={"function": "analysis.industry.industry", "country": country, "release": release},
    )


def top100_evidence(con: duckdb.DuckDBPyConnection, claim: Claim, memo: Memo | None = None) -> Evidence:
    """A Top 100 claim's figure: the group's arms sales (US$ bn), share of the Top 100 or real change."""
    if not claim.subject or not claim.periods:
        return Evidence(reason="no year or group of companies could be read", missing="period")
    year, group = claim.periods[-1].end, claim.subject[0]
    try:
        t = (memo or Memo(con))(top100_total, year, group)
    except ArmatlasError as exc:
        return Evidence(reason=exc.message)
    computed = {
        ClaimKind.INDUSTRY_SALES: t.arms_sales / 1000,
        ClaimKind.INDUSTRY_SHARE: t.share,
        ClaimKind.INDUSTRY_CHANGE: t.change,
    }[claim.kind]
    who = "the Top 100" if group == "WORLD" else f"the {t.companies} Top 100 companies based in {group}"
    notes = [
        f"{who} sold arms worth US$ {t.arms_sales / 1000:,.1f} bn in {year} "
        f"({t.share:.1f}% of the Top 100's US$ {t.top100_sales / 1000:,.1f} bn)"
    ]
    if t.change is not None:
        notes.append(f"real change on {year - 1}: {t.change:+.1f}% ({t.compared} companies compared)")
    return Evidence(
        computed=computed,
        detail={"top100": plain(t)},
        notes=notes,
        query={"function": "analysis.industry_totals.top100_total", "year": year, "group": group},
    )
