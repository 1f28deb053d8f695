"""The one core object every interface wraps: a store plus the analyses over it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from armatlas import config
from armatlas.results import CompositeResult, Provenance, TableResult
from armatlas.store.db import connect


class Atlas:
    """Read-only access to one armatlas store; methods return typed results."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Atlas:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- data and provenance -------------------------------------------------------------
    def releases(self) -> TableResult:
        from armatlas.store.releases import list_releases

        rows = list_releases(self.con)
        table = pa.Table.from_pylist(rows) if rows else pa.table({"release": pa.array([], pa.string())})
        return TableResult("releases", table, Provenance(release="all", basis="store snapshots"))

    def snapshots(self) -> TableResult:
        table = self.con.sql("SELECT * FROM snapshot ORDER BY snapshot_id").to_arrow_table()
        return TableResult("snapshots", table, Provenance(release="all", basis="store snapshots"))

    def entity(self, query: str) -> Any:
        from armatlas.entities.register import load_register

        return load_register().find(query)

    def entities(self, query: str | None = None) -> TableResult:
        from dataclasses import asdict

        from armatlas.entities.register import load_register

        ents = load_register().search(query)
        table = pa.Table.from_pylist([asdict(e) for e in ents]) if ents else pa.table(
            {"entity_id": pa.array([], pa.string())})
        return TableResult("entities", table, Provenance(release="register", basis="entity register"),
                           params={"query": query})

    def deals(self, **kw: Any) -> TableResult:
        from armatlas.analysis.deals import find_deals

        return find_deals(self.con, **kw)

    def reconcile(self, **kw: Any) -> TableResult:
        from armatlas.analysis.reconcile import reconcile

        return reconcile(self.con, **kw)


    # -- trade analytics ---------------------------------------------------------------------
    def flows(self, entities: Any = None, **kw: Any) -> TableResult:
        from armatlas.analysis.flows import flows

        return flows(self.con, entities, **kw)

    def trends(self, **kw: Any) -> TableResult:
        from armatlas.analysis.trends import trends

        return trends(self.con, **kw)

    def dependence(self, importer: str, **kw: Any) -> CompositeResult:
        from armatlas.analysis.dependence import dependence

        return dependence(self.con, importer, **kw)

    def exports(self, supplier: str, **kw: Any) -> CompositeResult:
        from armatlas.analysis.exports import exports

        return exports(self.con, supplier, **kw)

    def profile(self, country: str, **kw: Any) -> CompositeResult:
        from armatlas.analysis.profile import profile

        return profile(self.con, country, **kw)

    def pipeline(self, **kw: Any) -> TableResult:
        from armatlas.analysis.pipeline import pipeline

        return pipeline(self.con, **kw)

    def cutoff(self, importer: str, suppliers: list[str], **kw: Any) -> CompositeResult:
        from armatlas.analysis.cutoff import cutoff

        return cutoff(self.con, importer, suppliers, **kw)

    def network(self, **kw: Any) -> Any:
        from armatlas.analysis.network import network

        return network(self.con, **kw)

    def compare_releases(self, query: str, release_a: str, release_b: str, **kw: Any) -> TableResult:
        from armatlas.analysis.diff import compare_releases

        return compare_releases(self.con, query, release_a, release_b, **kw)

    # -- spending ------------------------------------------------------------------------
    def spending(self, country: str, **kw: Any) -> CompositeResult:
        from armatlas.analysis.entities import entity
        from armatlas.analysis.spending import spending

        return spending(self.con, entity(country).entity_id, **kw)

    def militarisation(self, **kw: Any) -> TableResult:
        from armatlas.analysis.militarisation import militarisation

        return militarisation(self.con, **kw)

    def sensitivity(self, **kw: Any) -> TableResult:
        from armatlas.analysis.militarisation import sensitivity

        return sensitivity(self.con, **kw)


def open_atlas(path: str | Path | None = None) -> Atlas:
    """Open the store read-only (many readers may share it)."""
    p = Path(path) if path else config.store_path()
    return Atlas(connect(p, read_only=True), p)
