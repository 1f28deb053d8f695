"""The partner network: a supplier -> recipient graph of one period, weighted by delivered TIV.

Centralities (named in the result's summary): `strength` is weighted degree (exports +
imports); `pagerank_supplier` is TIV-weighted PageRank on the recipient -> supplier graph, so a
supplier ranks high when it delivers to recipients who in turn matter; `betweenness` is weighted
betweenness on the directed graph with distance 1/TIV (brokers on heavy routes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx
import pyarrow as pa

from armatlas import columnar
from armatlas.analysis._common import arrow
from armatlas.analysis.context import release_context
from armatlas.analysis.counting import FLAG_ONLY_LAYOUTS, LICENCE_NOTE
from armatlas.analysis.entities import entity
from armatlas.analysis.periods import Period, check_within, latest_period, parse_period
from armatlas.errors import QueryError
from armatlas.results import TIV_UNIT, Provenance, TableResult, plain
from armatlas.summaries import NetworkEdge, NetworkSummary, Partner, TopPartners

TOP_N = 10
CENTRALITY_METHODS = {
    "strength": "weighted degree: TIV exported plus TIV imported in the period",
    "pagerank_supplier": "PageRank (damping 0.85) on the recipient->supplier graph weighted by TIV",
    "betweenness": "weighted betweenness on the directed graph, distance = 1/TIV, normalised",
}


@dataclass
class NetworkResult:
    """A graph plus node and edge tables that carry the same provenance."""

    graph: nx.DiGraph
    nodes: TableResult
    edges: TableResult
    provenance: Provenance
    params: dict[str, Any]
    summary: NetworkSummary
    warnings: list[str] = field(default_factory=list)
    kind: str = "network"

    def to_dict(self) -> dict[str, Any]:
        """Node-link JSON (D3 style: 'nodes' and 'links'), plus provenance and summary."""
        data = nx.node_link_data(self.graph, edges="links")
        return plain(
            {
                "kind": self.kind,
                "params": self.params,
                "summary": self.summary,
                "warnings": self.warnings,
                "provenance": self.provenance,
                "units": self.edges.units,
                "directed": data["directed"],
                "nodes": data["nodes"],
                "links": data["links"],
            }
        )

    def to_json(self, **kw: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)

    def to_graphml(self, path: str | Path) -> Path:
        """GraphML for Gephi/yEd; graph-level attributes say release and period."""
        g = self.graph.copy()
        # GraphML has no null: leave missing attributes out instead of writing 'None'.
        for _, attrs in list(g.nodes(data=True)) + [(None, a) for *_, a in g.edges(data=True)]:
            for k in [k for k, v in attrs.items() if v is None]:
                del attrs[k]
        g.graph.update(
            {
                "release": self.provenance.release,
                "period": self.params["period"],
                "units": TIV_UNIT,
                "source": self.provenance.citation(),
            }
        )
        path = Path(path)
        nx.write_graphml(g, path)
        return path


def pagerank(g: nx.DiGraph, weight: str = "tiv", alpha: float = 0.85, tol: float = 1e-10) -> dict[str, float]:
    """Weighted PageRank by power iteration (NetworkX's needs SciPy, which armatlas does not)."""
    n = g.number_of_nodes()
    if n == 0:
        return {}
    out_w = {u: sum(max(d.get(weight) or 0.0, 0.0) for *_, d in g.out_edges(u, data=True)) for u in g}
    rank = dict.fromkeys(g, 1.0 / n)
    for _ in range(200):
        dangling = alpha * sum(rank[u] for u in g if out_w[u] == 0) / n
        new = dict.fromkeys(g, (1.0 - alpha) / n + dangling)
        for u, v, d in g.edges(data=True):
            if out_w[u]:
                new[v] += alpha * rank[u] * max(d.get(weight) or 0.0, 0.0) / out_w[u]
        if sum(abs(new[u] - rank[u]) for u in g) < tol * n:
            return new
        rank = new
    return rank


def _edges(con: duckdb.DuckDBPyConnection, sid: int, p: Period, flag_only: bool) -> list[dict]:
    """Edges of one period. Licensed production is what the comments call licensed; a layout
    whose one flag also covers local assembly and components cannot tell it (None)."""
    licensed = (
        "NULL::DOUBLE AS licensed_tiv, NULL::BOOLEAN AS licensed"
        if flag_only
        else "sum(licensed_tiv) AS licensed_tiv, bool_or(licensed_tiv > 0) AS licensed"
    )
    return arrow(
        con,
        f"""
        SELECT supplier_id, recipient_id, sum(tiv) AS tiv,
               length(list_distinct(flatten(list(deal_keys)))) AS deals,
               {licensed},
               sum(second_hand_tiv) AS second_hand_tiv, bool_or(any_second_hand) AS second_hand,
               coalesce(sum(estimated_tiv), 0) AS estimated_tiv
        FROM agg_flow
        WHERE snapshot_id = ? AND year BETWEEN ? AND ?
        GROUP BY ALL ORDER BY tiv DESC, supplier_id, recipient_id""",
        [sid, p.start, p.end],
    ).to_pylist()


def _graph(con: duckdb.DuckDBPyConnection, edges: list[dict], totals: dict[str, dict]) -> nx.DiGraph:
    ids = {e["supplier_id"] for e in edges} | {e["recipient_id"] for e in edges}
    info = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT entity_id, name, kind, region FROM entity WHERE entity_id IN (SELECT unnest(?::VARCHAR[]))",
            [sorted(ids)],
        ).fetchall()
    }
    g = nx.DiGraph()
    for i in sorted(ids):
        name, kind, region = info.get(i, (i, None, None))
        g.add_node(i, name=name, kind=kind, region=region, **totals[i])
    for e in edges:
        u, v = e["supplier_id"], e["recipient_id"]
        g.add_edge(
            u,
            v,
            **{k: x for k, x in e.items() if k not in ("supplier_id", "recipient_id")},
            supplier_share=e["tiv"] / totals[u]["exports"] if totals[u]["exports"] else None,
            recipient_share=e["tiv"] / totals[v]["imports"] if totals[v]["imports"] else None,
        )
    return g


def _centralities(g: nx.DiGraph) -> None:
    """Add the centralities named in CENTRALITY_METHODS as node attributes."""
    pr = pagerank(g.reverse(copy=False))
    # Distance 1/TIV: heavy flows are short routes; zero-TIV edges (0-0.5 m) get a long one.
    dist = {(u, v): 1.0 / d["tiv"] if d["tiv"] > 0 else 1e6 for u, v, d in g.edges(data=True)}
    nx.set_edge_attributes(g, dist, "_distance")
    bc = nx.betweenness_centrality(g, weight="_distance", normalized=True)
    for _, _, d in g.edges(data=True):
        del d["_distance"]
    for n, a in g.nodes(data=True):
        a["strength"] = a["exports"] + a["imports"]
        a["pagerank_supplier"] = pr.get(n, 0.0)
        a["betweenness"] = bc.get(n, 0.0)


def network(
    con: duckdb.DuckDBPyConnection,
    *,
    period: str | Period | None = None,
    release: str | None = None,
    min_tiv: float = 0.0,
    focus: str | None = None,
) -> NetworkResult:
    """Supplier -> recipient graph of a period; `focus` keeps one entity's ego network.

    `min_tiv` and `focus` filter edges only; node totals and centralities are always those of
    the whole period's network.
    """
    if min_tiv < 0:
        raise QueryError("min_tiv cannot be negative", value=min_tiv)
    ctx = release_context(con, release)
    sid = ctx.require_register().snapshot_id
    p = parse_period(period) if period else latest_period(ctx.last_year)
    check_within(p, ctx.first_year, ctx.last_year, f"release {ctx.release}")
    ego = entity(focus).entity_id if focus else None
    flag_only = ctx.require_register().layout in FLAG_ONLY_LAYOUTS
    everything = _edges(con, sid, p, flag_only)
    # Node totals always over the whole period's register, whatever the filters keep.
    totals: dict[str, dict] = {}
    for e in everything:
        for i in (e["supplier_id"], e["recipient_id"]):
            totals.setdefault(i, {"exports": 0.0, "imports": 0.0})
        totals[e["supplier_id"]]["exports"] += e["tiv"]
        totals[e["recipient_id"]]["imports"] += e["tiv"]
    kept = [
        e
        for e in everything
        if e["tiv"] >= min_tiv and (ego is None or ego in (e["supplier_id"], e["recipient_id"]))
    ]
    # Centralities describe the whole period's network, not the filtered view.
    full = _graph(con, everything, totals)
    _centralities(full)
    g = nx.DiGraph(full.edge_subgraph((e["supplier_id"], e["recipient_id"]) for e in kept))
    warnings = [LICENCE_NOTE] if flag_only else []
    if ego and not kept:
        warnings.append(f"{focus} has no deliveries in {p} (at or above {min_tiv} TIV)")
    total = sum(e["tiv"] for e in kept)
    est = sum(e["estimated_tiv"] for e in kept)
    prov = ctx.provenance("register deliveries", estimated_share=est / total if total else None)
    params = {"period": p.label, "release": ctx.release, "min_tiv": min_tiv, "focus": ego}
    nodes = _node_table(g)
    edges = _edge_table(g)
    summary = NetworkSummary(
        period=p.label,
        nodes=g.number_of_nodes(),
        edges=g.number_of_edges(),
        tiv=total,
        licensed_edges=None if flag_only else sum(1 for *_, d in g.edges(data=True) if d["licensed"]),
        second_hand_edges=sum(1 for *_, d in g.edges(data=True) if d["second_hand"]),
        centrality=CENTRALITY_METHODS,
        top_edges=[
            NetworkEdge(supplier=r["supplier"], recipient=r["recipient"], tiv=r["tiv"])
            for r in edges.to_pylist()[:TOP_N]
        ],
        top_partners=_top_partners(edges.to_pylist(), ego) if ego else None,
    )
    units = {
        "tiv": TIV_UNIT,
        "exports": TIV_UNIT,
        "imports": TIV_UNIT,
        "strength": TIV_UNIT,
        "licensed_tiv": TIV_UNIT,
        "second_hand_tiv": TIV_UNIT,
    }
    return NetworkResult(
        g,
        TableResult("network_nodes", nodes, prov, params, units),
        TableResult("network_edges", edges, prov, params, units),
        prov,
        params,
        summary,
        warnings,
    )


def _node_table(g: nx.DiGraph) -> pa.Table:
    rows = [
        {
            "entity_id": n,
            **{
                k: a.get(k)
                for k in (
                    "name",
                    "kind",
                    "region",
                    "exports",
                    "imports",
                    "strength",
                    "pagerank_supplier",
                    "betweenness",
                )
            },
            "suppliers": g.in_degree(n),
            "recipients": g.out_degree(n),
        }
        for n, a in g.nodes(data=True)
    ]
    rows.sort(key=lambda r: (-r["strength"], r["entity_id"]))
    return columnar.from_rows(
        rows,
        schema=pa.schema(
            [
                ("entity_id", pa.string()),
                ("name", pa.string()),
                ("kind", pa.string()),
                ("region", pa.string()),
                ("exports", pa.float64()),
                ("imports", pa.float64()),
                ("strength", pa.float64()),
                ("pagerank_supplier", pa.float64()),
                ("betweenness", pa.float64()),
                ("suppliers", pa.int64()),
                ("recipients", pa.int64()),
            ]
        ),
    )


def _edge_table(g: nx.DiGraph) -> pa.Table:
    names = nx.get_node_attributes(g, "name")
    rows = [
        {"supplier_id": u, "recipient_id": v, "supplier": names[u], "recipient": names[v], **d}
        for u, v, d in g.edges(data=True)
    ]
    rows.sort(key=lambda r: (-r["tiv"], r["supplier_id"], r["recipient_id"]))
    cols = [
        ("supplier_id", pa.string()),
        ("recipient_id", pa.string()),
        ("supplier", pa.string()),
        ("recipient", pa.string()),
        ("tiv", pa.float64()),
        ("deals", pa.int64()),
        ("licensed_tiv", pa.float64()),
        ("licensed", pa.bool_()),
        ("second_hand_tiv", pa.float64()),
        ("second_hand", pa.bool_()),
        ("estimated_tiv", pa.float64()),
        ("supplier_share", pa.float64()),
        ("recipient_share", pa.float64()),
    ]
    return columnar.from_rows(rows, schema=pa.schema(cols))


def _top_partners(edges: list[dict], ego: str) -> TopPartners:
    """The focus entity's main suppliers and recipients, with their share of its flows."""
    sup = [
        Partner(partner_id=e["supplier_id"], partner=e["supplier"], tiv=e["tiv"], share=e["recipient_share"])
        for e in edges
        if e["recipient_id"] == ego
    ]
    rec = [
        Partner(partner_id=e["recipient_id"], partner=e["recipient"], tiv=e["tiv"], share=e["supplier_share"])
        for e in edges
        if e["supplier_id"] == ego
    ]
    return TopPartners(suppliers=sup[:TOP_N], recipients=rec[:TOP_N])
