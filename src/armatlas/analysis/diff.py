"""Release comparison: the same question asked of two releases, row by row.

SIPRI revises past years in every edition (new deals found, TIV re-estimated), so a share
published last year is not the share in this year's data. Each query yields rows keyed by
entity; the comparison reports value_a, value_b, their change and rows that appear or vanish,
and splits each change into revision and method (`diff_method.py`) where both sides rest on
registers whose per-year figures may have been obtained differently.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import pyarrow as pa

from armatlas import columnar
from armatlas.analysis.context import ReleaseContext, release_context
from armatlas.analysis.diff_method import allocation_mix, rule_pairs, rule_values, split_change
from armatlas.analysis.entities import entity
from armatlas.analysis.flows import check_direction, partner_shares, period_totals
from armatlas.analysis.periods import Period, check_within, latest_period, parse_period
from armatlas.errors import QueryError
from armatlas.results import TIV_UNIT, Provenance, TableResult
from armatlas.summaries import DiffSummary, LargestChange

Rows = dict[str, dict[str, Any]]  # key -> {label, value, tiv, rank}


def _partners(direction: str) -> Callable[..., Rows]:
    def run(
        con: duckdb.DuckDBPyConnection, ctx: ReleaseContext, p: Period, *, country: str, **_: Any
    ) -> Rows:
        eid = entity(country).entity_id
        return {
            r["partner_id"]: {"label": r["partner"], "value": r["share"], "tiv": r["tiv"], "rank": r["rank"]}
            for r in partner_shares(con, ctx, direction, [p], [eid]).to_pylist()
        }

    return run


def _world_share(
    con: duckdb.DuckDBPyConnection,
    ctx: ReleaseContext,
    p: Period,
    *,
    country: str | None = None,
    direction: str = "export",
    **_: Any,
) -> Rows:
    d = check_direction(direction)
    eid = entity(country).entity_id if country else None
    names = dict(con.execute("SELECT entity_id, name FROM entity").fetchall())
    return {
        r["entity_id"]: {
            "label": names.get(r["entity_id"], r["entity_id"]),
            "value": r["share"],
            "tiv": r["tiv"],
            "rank": r["rank"],
        }
        for r in period_totals(con, ctx, d, [p]).to_pylist()
        if eid is None or r["entity_id"] == eid
    }


def _trends(
    con: duckdb.DuckDBPyConnection,
    ctx: ReleaseContext,
    p: Period,
    *,
    direction: str = "export",
    top: int | None = 10,
    **_: Any,
) -> Rows:
    from armatlas.analysis.trends import trends

    res = trends(con, direction=direction, period=p, top=top, release=ctx.release)
    return {
        r["entity_id"]: {"label": r["name"], "value": r["share"], "tiv": r["tiv"], "rank": r["rank"]}
        for r in res.rows
    }


QUERIES: dict[str, tuple[Callable[..., Rows], str]] = {
    "suppliers": (_partners("import"), "an importer's supplier shares (register); needs country="),
    "recipients": (_partners("export"), "an exporter's recipient shares (register); needs country="),
    "world-share": (_world_share, "shares of world exports or imports (direction=); country= for one"),
    "trends": (_trends, "the trends table's top exporters or importers (direction=, top=)"),
}


def _totals_basis(query: str, ctx: ReleaseContext) -> str:
    if query in ("suppliers", "recipients"):
        return f"register {ctx.require_register().file_name}"
    return "publisher TIV tables" if ctx.totals_basis == "tables" else "register deliveries"


def _common_period(period: str | Period | None, a: ReleaseContext, b: ReleaseContext) -> Period:
    """The period asked for, or the newest complete 5-year period both releases cover."""
    p = parse_period(period) if period else latest_period(min(a.last_year, b.last_year))
    for ctx in (a, b):
        check_within(p, ctx.first_year, ctx.last_year, f"release {ctx.release}")
    return p


def _rows(ra: Rows, rb: Rows) -> list[dict[str, Any]]:
    out = []
    for key in list(ra) + [k for k in rb if k not in ra]:
        a, b = ra.get(key), rb.get(key)
        out.append(
            {
                "key": key,
                "label": (a or b)["label"],  # type: ignore[index]
                "value_a": a["value"] if a else None,
                "value_b": b["value"] if b else None,
                "change": b["value"] - a["value"]
                if a and b and None not in (a["value"], b["value"])
                else None,
                "tiv_a": a["tiv"] if a else None,
                "tiv_b": b["tiv"] if b else None,
                "rank_a": a["rank"] if a else None,
                "rank_b": b["rank"] if b else None,
                "status": "both" if a and b else ("only_a" if a else "only_b"),
            }
        )
    out.sort(key=lambda r: (-(r["value_b"] if r["value_b"] is not None else r["value_a"] or 0), r["key"]))
    return out


_SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("label", pa.string()),
        ("value_a", pa.float64()),
        ("value_b", pa.float64()),
        ("change", pa.float64()),
        ("tiv_a", pa.float64()),
        ("tiv_b", pa.float64()),
        ("rank_a", pa.int64()),
        ("rank_b", pa.int64()),
        ("status", pa.string()),
        ("change_revision", pa.float64()),
        ("change_method", pa.float64()),
    ]
)


def _method(
    con: duckdb.DuckDBPyConnection,
    query: str,
    ca: ReleaseContext,
    cb: ReleaseContext,
    p: Period,
    rows: list[dict[str, Any]],
    params: dict[str, Any],
) -> dict[str, Any]:
    """Split each row's change into revision and method where both sides rest on registers."""
    on_registers = query in ("suppliers", "recipients") or "tables" not in (ca.totals_basis, cb.totals_basis)
    if not on_registers or ca.register is None or cb.register is None:
        for r in rows:
            r["change_revision"] = r["change_method"] = None
        return {"method_share_of_change": None}
    country = entity(params["country"]).entity_id if params.get("country") else None
    direction = check_direction(params.get("direction", "export"))
    va, vb = (rule_values(rule_pairs(con, c, p), query, country, direction) for c in (ca, cb))
    out = split_change(rows, va, vb)
    return {"allocation_a": allocation_mix(con, ca, p), "allocation_b": allocation_mix(con, cb, p), **out}


def compare_releases(
    con: duckdb.DuckDBPyConnection, query: str, release_a: str, release_b: str, **params: Any
) -> TableResult[DiffSummary]:
    """Run one query on two releases; change = value_b - value_a (share points)."""
    if query not in QUERIES:
        raise QueryError(
            f"Unknown comparison query {query!r}",
            value=query,
            hint="One of: " + "; ".join(f"{k} ({v[1]})" for k, v in QUERIES.items()),
        )
    run, _ = QUERIES[query]
    if query in ("suppliers", "recipients") and not params.get("country"):
        raise QueryError(f"The {query} comparison needs a country", hint="Pass country=NAME (--country).")
    ca, cb = release_context(con, release_a), release_context(con, release_b)
    p = _common_period(params.pop("period", None), ca, cb)
    rows = _rows(run(con, ca, p, **params), run(con, cb, p, **params))
    method = _method(con, query, ca, cb, p, rows, params)
    table = columnar.from_rows(rows, schema=_SCHEMA)
    changed = [r for r in rows if r["change"] is not None]
    biggest = max(changed, key=lambda r: abs(r["change"]), default=None)
    summary = DiffSummary(
        period=p.label,
        release_a=ca.release,
        release_b=cb.release,
        rows=len(rows),
        appeared=[r["label"] for r in rows if r["status"] == "only_b"],
        disappeared=[r["label"] for r in rows if r["status"] == "only_a"],
        largest_change=LargestChange(label=biggest["label"], change=biggest["change"]) if biggest else None,
        basis_a=_totals_basis(query, ca),
        basis_b=_totals_basis(query, cb),
        **method,
    )
    warnings = []
    if summary.basis_a != summary.basis_b and query not in ("suppliers", "recipients"):
        warnings.append(
            f"the releases rest on different bases ({summary.basis_a} vs {summary.basis_b}); "
            "part of the change is method, not revision"
        )
    share = method.get("method_share_of_change")
    if share is not None and share >= 0.05:
        warnings.append(
            f"{share:.0%} of the change comes from how the per-year figures were obtained "
            "(exact rows vs the split rule), not from revisions: see change_method"
        )
    notes = [n for c in (ca, cb) if c.register_note for n in [f"{c.release}: {c.register_note}"]]
    prov = Provenance(
        release=f"{ca.release} vs {cb.release}",
        snapshots=[*ca.provenance("").snapshots, *cb.provenance("").snapshots],
        basis=f"{query}: {summary.basis_a} vs {summary.basis_b}",
        notes=notes,
    )
    return TableResult(
        "diff",
        table,
        prov,
        params={
            "query": query,
            "release_a": ca.release,
            "release_b": cb.release,
            "period": p.label,
            **params,
        },
        units={
            "value_a": "share (fraction)",
            "value_b": "share (fraction)",
            "change": "value_b - value_a (share points, as a fraction)",
            "tiv_a": TIV_UNIT,
            "tiv_b": TIV_UNIT,
        },
        warnings=warnings,
        summary=summary,
    )
