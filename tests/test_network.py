"""Partner network: edge weights reconcile with the register, filters, centralities, exports."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from armatlas.analysis.network import network, pagerank
from armatlas.errors import InvalidPeriodError
from armatlas.store.db import fetch_one


@pytest.fixture(scope="module")
def net(con):
    return network(con, period="2021-2025")


def _register_sum(con, release: str, start: int, end: int, where: str = "TRUE") -> float:
    return fetch_one(
        con,
        f"""
        SELECT sum(v.tiv) FROM delivery v JOIN deal d USING (deal_key) JOIN snapshot s ON s.snapshot_id = v.snapshot_id
        WHERE s.release = ? AND s.layout IN ('web_register', 'delivery_years', 'tidy_register')
          AND v.year BETWEEN ? AND ? AND {where}""",
        [release, start, end],
    )[0]


def test_edge_weights_sum_to_register_deliveries(con, net) -> None:
    assert sum(e["tiv"] for e in net.edges.rows) == pytest.approx(
        _register_sum(con, "2026-05-18", 2021, 2025)
    )
    assert net.summary.tiv == pytest.approx(net.graph.size(weight="tiv"))
    old = network(con, period="2019-2023", release="2024-04-13")
    assert old.graph.size(weight="tiv") == pytest.approx(_register_sum(con, "2024-04-13", 2019, 2023))


def test_licensed_production_is_unknown_where_the_one_flag_covers_assembly_too(con, net) -> None:
    """The backend layout's 'Local production' flag also marks local assembly and components
    (Australia 2019-23: 78.5% flagged): the network must not call that licensed production."""
    old = network(con, period="2019-2023", release="2024-04-13")
    assert old.summary.licensed_edges is None and any("not known" in w for w in old.warnings)
    assert all(e["licensed_tiv"] is None and e["licensed"] is None for e in old.edges.rows)
    flagged = _register_sum(con, "2024-04-13", 2019, 2023, "d.local_production")
    assert flagged > 0  # the flag is there; only its meaning is too wide to be called licensed
    assert net.summary.licensed_edges is not None and net.summary.licensed_edges > 0


def test_flags_and_node_totals(con, net) -> None:
    licensed = _register_sum(con, "2026-05-18", 2021, 2025, "d.local_production")
    second = _register_sum(con, "2026-05-18", 2021, 2025, "d.second_hand")
    assert sum(e["licensed_tiv"] for e in net.edges.rows) == pytest.approx(licensed)
    assert sum(e["second_hand_tiv"] for e in net.edges.rows) == pytest.approx(second)
    assert all(e["licensed"] for e in net.edges.rows if e["licensed_tiv"] > 0)
    g = net.graph
    for n, a in g.nodes(data=True):
        assert a["exports"] == pytest.approx(g.out_degree(n, weight="tiv"))
        assert a["imports"] == pytest.approx(g.in_degree(n, weight="tiv"))
    us = g.nodes["united-states"]
    assert us["name"] == "United States" and us["kind"] == "state"
    top = max(g.nodes, key=lambda n: g.nodes[n]["exports"])
    assert top == "united-states"


def test_centralities(net) -> None:
    rows = net.nodes.rows
    assert sum(r["pagerank_supplier"] for r in rows) == pytest.approx(1.0)
    assert all(0 <= r["betweenness"] <= 1 for r in rows)
    assert max(rows, key=lambda r: r["pagerank_supplier"])["entity_id"] == "united-states"
    assert set(net.summary.centrality) == {"strength", "pagerank_supplier", "betweenness"}


def test_pagerank_small_graphs() -> None:
    g = nx.DiGraph()
    g.add_edge("a", "b", tiv=1.0)
    g.add_edge("b", "a", tiv=1.0)
    assert pagerank(g) == pytest.approx({"a": 0.5, "b": 0.5})
    # A star into one hub: the hub collects every leaf's rank.
    star = nx.DiGraph()
    for leaf in "xyz":
        star.add_edge(leaf, "hub", tiv=2.0)
    pr = pagerank(star)
    assert pr["hub"] > 3 * pr["x"] and sum(pr.values()) == pytest.approx(1.0)
    # Weights matter: the heavier of two targets ranks higher.
    w = nx.DiGraph()
    w.add_edge("s", "heavy", tiv=9.0)
    w.add_edge("s", "light", tiv=1.0)
    pr = pagerank(w)
    assert pr["heavy"] > pr["light"]
    assert pagerank(nx.DiGraph()) == {}


def test_focus_and_min_tiv(con, net) -> None:
    ego = network(con, period="2021-2025", focus="Azerbaijan")
    assert ego.graph.number_of_edges() > 0
    assert all("azerbaijan" in (u, v) for u, v in ego.graph.edges)
    assert ego.summary.top_partners is not None
    sup = ego.summary.top_partners.suppliers
    assert sum(p.share for p in sup) == pytest.approx(1.0)
    # Centralities are the whole network's, whatever the filter.
    assert ego.graph.nodes["azerbaijan"]["betweenness"] == pytest.approx(
        net.graph.nodes["azerbaijan"]["betweenness"]
    )
    big = network(con, period="2021-2025", min_tiv=1000)
    assert big.edges.rows and all(e["tiv"] >= 1000 for e in big.edges.rows)
    assert len(big.edges) == sum(1 for e in net.edges.rows if e["tiv"] >= 1000)


def test_exports(net, tmp_path) -> None:
    path = net.to_graphml(tmp_path / "net.graphml")
    back = nx.read_graphml(path)
    assert back.number_of_edges() == net.graph.number_of_edges()
    assert back.graph["period"] == "2021-2025" and "not money" in back.graph["units"]
    data = json.loads(net.to_json())
    assert len(data["nodes"]) == net.graph.number_of_nodes() and len(data["links"]) == len(net.edges)
    assert data["provenance"]["release"] == "2026-05-18"


def test_impossible_period(con) -> None:
    with pytest.raises(InvalidPeriodError):
        network(con, period="2031-2035")
