"""The one core object every interface wraps: a store plus the analyses over it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from armatlas import config, frame
from armatlas.errors import QueryError
from armatlas.results import CompositeResult, Provenance, TableResult
from armatlas.store.db import connect

if TYPE_CHECKING:
    from armatlas.analysis.network import NetworkResult
    from armatlas.claims import Article, Dossier, Tolerances
    from armatlas.store.ingest import IngestResult
    from armatlas.summaries import (
        CutoffSummary,
        DealsSummary,
        DependenceSummary,
        DiffSummary,
        ExportsSummary,
        GmiSummary,
        IndustrySummary,
        MilitarisationSummary,
        PipelineSummary,
        PipelineUnavailable,
        ProfileSummary,
        ReconcileTotals,
        SensitivitySummary,
        SpendingSummary,
        TrendsSummary,
    )


class Atlas:
    """Read-only access to one armatlas store; methods return typed results."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path

    def close(self) -> None:
        self.con.close()

    def over(self, cursor: duckdb.DuckDBPyConnection) -> Atlas:
        """This store through `cursor` (one of this connection's, or a wrapper around one): it
        shares what a read-only connection reads of the store once (`store.scope.per_store`)."""
        from armatlas.store.scope import same_store

        same_store(self.con, cursor)
        return Atlas(cursor, self.path)

    def __enter__(self) -> Atlas:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- data and provenance -------------------------------------------------------------
    def releases(self) -> TableResult:
        from armatlas.store.releases import list_releases

        rows = list_releases(self.con)
        table = frame.from_rows(rows) if rows else frame.table({"release": []}, {"release": frame.STRING})
        return TableResult("releases", table, Provenance(release="all", basis="store snapshots"))

    def content_state(self) -> str:
        """What a tag of the store's content hashes (the server's ETag and cache keys): every
        snapshot's sha256 and the rows a re-ingest fills for a stored snapshot (a backfill
        changes answers, not snapshots), read afresh."""
        from armatlas.store import backfill

        shas = sorted(r[0] for r in self.con.execute("SELECT sha256 FROM snapshot").fetchall())
        return "\n".join([backfill.state(self.con), *shas])

    def snapshots(self) -> TableResult:
        # A file ingested from disk has a file:// URL in the store: shown as no URL (never a local path).
        table = self.con.sql(
            "SELECT * REPLACE (CASE WHEN url ILIKE 'http://%' OR url ILIKE 'https://%' THEN url END "
            "AS url) FROM snapshot ORDER BY snapshot_id"
        ).to_arrow_table()
        return TableResult("snapshots", table, Provenance(release="all", basis="store snapshots"))

    def entity(self, query: str) -> Any:
        from armatlas.entities.register import load_register

        return load_register().find(query)

    def entities(self, query: str | None = None) -> TableResult:
        """Canonical entities whose name, alias or ISO3 matches (the whole register without a query)."""
        return search_entities(query)

    def deals(
        self,
        *,
        recipient: str | list[str] | None = None,
        supplier: str | list[str] | None = None,
        from_year: int | None = None,
        to_year: int | None = None,
        category: str | None = None,
        release: str | None = None,
        pending_only: bool = False,
        status: str | None = None,
    ) -> TableResult[DealsSummary]:
        """Deals from the register, filtered by party, years (order or delivery), category and status."""
        from armatlas.analysis.deals import find_deals

        return find_deals(
            self.con,
            recipient=recipient,
            supplier=supplier,
            from_year=from_year,
            to_year=to_year,
            category=category,
            release=release,
            pending_only=pending_only,
            status=status,
        )

    def reconcile(
        self,
        *,
        release: str | None = None,
        tables_release: str | None = None,
        from_year: int | None = None,
        to_year: int | None = None,
    ) -> TableResult[dict[str, ReconcileTotals]]:
        """Register-derived annual totals against the publisher's own TIV tables."""
        from armatlas.analysis.reconcile import reconcile

        return reconcile(
            self.con, release=release, tables_release=tables_release, from_year=from_year, to_year=to_year
        )

    # -- trade analytics ---------------------------------------------------------------------
    def flows(
        self,
        entities: str | Sequence[str] | None = None,
        *,
        direction: str = "import",
        periods: Sequence[str] | None = None,
        release: str | None = None,
    ) -> TableResult:
        """Imports or exports of a country, a group (summed) or the world, per period."""
        from armatlas.analysis.flows import flows

        return flows(self.con, entities, direction=direction, periods=periods, release=release)

    def trends(
        self,
        *,
        direction: str = "export",
        period: str | None = None,
        compare: str | None = None,
        top: int | None = 10,
        release: str | None = None,
        continuity: bool = False,
    ) -> TableResult[TrendsSummary]:
        """The fact-sheet table: top exporters or importers, shares, change, main partners."""
        from armatlas.analysis.trends import trends

        return trends(
            self.con,
            direction=direction,
            period=period,
            compare=compare,
            top=top,
            release=release,
            continuity=continuity,
        )

    def dependence(
        self, importer: str, *, periods: Sequence[str] | None = None, release: str | None = None
    ) -> CompositeResult[DependenceSummary]:
        """Supplier dependence of an importer: shares, HHI, effective suppliers, categories."""
        from armatlas.analysis.dependence import dependence

        return dependence(self.con, importer, periods=periods, release=release)

    def exports(
        self, supplier: str, *, periods: Sequence[str] | None = None, release: str | None = None
    ) -> CompositeResult[ExportsSummary]:
        """Exports of a supplier: volume, world share, rank, recipients, categories."""
        from armatlas.analysis.exports import exports

        return exports(self.con, supplier, periods=periods, release=release)

    def profile(
        self, country: str, *, period: str | None = None, release: str | None = None
    ) -> CompositeResult[ProfileSummary]:
        """Everything on one country: flows, dependence, exports, pipeline, cut-off, spending."""
        from armatlas.analysis.profile import profile

        return profile(self.con, country, period=period, release=release)

    def pipeline(
        self,
        *,
        importer: str | None = None,
        supplier: str | list[str] | None = None,
        release: str | None = None,
    ) -> TableResult[PipelineSummary | PipelineUnavailable]:
        """Orders not yet (fully) delivered, valued at TIV per unit times outstanding units."""
        from armatlas.analysis.pipeline import pipeline

        return pipeline(self.con, importer=importer, supplier=supplier, release=release)

    def cutoff(
        self,
        importer: str,
        suppliers: Sequence[str],
        *,
        window: str | None = None,
        release: str | None = None,
    ) -> CompositeResult[CutoffSummary]:
        """What an importer would lose if these suppliers stopped: deliveries, pipeline, substitutes."""
        from armatlas.analysis.cutoff import cutoff

        return cutoff(self.con, importer, suppliers, window=window, release=release)

    def network(
        self,
        *,
        period: str | None = None,
        release: str | None = None,
        min_tiv: float = 0.0,
        focus: str | None = None,
    ) -> NetworkResult:
        """Supplier-recipient network of a period: edges, centralities, licensed and second-hand flows."""
        from armatlas.analysis.network import network

        return network(self.con, period=period, release=release, min_tiv=min_tiv, focus=focus)

    def compare_releases(
        self,
        query: str,
        release_a: str,
        release_b: str,
        *,
        country: str | None = None,
        period: str | None = None,
        direction: str | None = None,
        top: int | None = None,
    ) -> TableResult[DiffSummary]:
        """The same query (suppliers, recipients, world-share, trends) on two releases."""
        from armatlas.analysis.diff import compare_releases

        params: dict[str, object] = {"period": period}
        if country is not None:
            params["country"] = country
        if direction is not None:
            params["direction"] = direction
        if top is not None:
            params["top"] = top
        return compare_releases(self.con, query, release_a, release_b, **params)

    # -- spending ------------------------------------------------------------------------
    def spending(
        self,
        country: str,
        *,
        peers: Sequence[str] | None = None,
        year: int | None = None,
        periods: Sequence[int] = (1, 5, 10),
    ) -> CompositeResult[SpendingSummary]:
        """Military spending of a country (SIPRI): level, burden, growth, rank and peers."""
        from armatlas.analysis.spending import spending

        peer_ids = [self.entity(p).entity_id for p in peers] if peers else None
        return spending(self.con, self.entity(country).entity_id, peers=peer_ids, year=year, periods=periods)

    def indicators(self, country: str, *, codes: Sequence[str] | None = None) -> TableResult:
        """World Bank indicators stored for a country (newest vintage of each code)."""
        from armatlas.analysis.spending import indicators

        return indicators(self.con, self.entity(country).entity_id, codes)

    # -- industry ------------------------------------------------------------------------
    def industry(self, country: str, *, release: str | None = None) -> CompositeResult[IndustrySummary]:
        """The country's Top 100 companies, licensed production, personnel and spending per
        soldier; every field is documented in `armatlas.analysis.industry.industry`."""
        from armatlas.analysis.industry import industry

        return industry(self.con, self.entity(country).entity_id, release=release)

    def militarisation(
        self, *, year: int | None = None, weights: Mapping[str, float] | None = None, top: int | None = None
    ) -> TableResult[MilitarisationSummary]:
        """Military-burden index: BICC's GMI method on its two spending indicators only (see gmi())."""
        from armatlas.analysis.militarisation import militarisation

        return militarisation(self.con, year, weights, top=top)

    def gmi(self, *, year: int | None = None, top: int | None = None) -> TableResult[GmiSummary]:
        """Global Militarisation Index after BICC (spending and personnel), beside BICC's own."""
        from armatlas.analysis.gmi_result import gmi

        return gmi(self.con, year, top=top)

    def gmi_agreement(self, *, years: list[int] | None = None) -> TableResult:
        """Rank agreement of our GMI with BICC's, per year and indicator."""
        from armatlas.analysis.gmi_result import gmi_agreement

        return gmi_agreement(self.con, years)

    def sensitivity(
        self,
        *,
        year: int | None = None,
        weights: Mapping[str, float] | None = None,
        n_draws: int = 10000,
        concentration: float = 20.0,
        seed: int | None = 0,
        top_n: int = 10,
    ) -> TableResult[SensitivitySummary]:
        """How robust the militarisation ranks are to the weights (Dirichlet draws)."""
        from armatlas.analysis.militarisation import sensitivity

        return sensitivity(
            self.con, year, weights, n_draws=n_draws, concentration=concentration, seed=seed, top_n=top_n
        )

    # -- claims ---------------------------------------------------------------------------
    def check(
        self, article: Article | str, *, release: str | None = None, tolerances: Tolerances | None = None
    ) -> Dossier:
        """Check an article's claims against the data, claim by claim (text is parsed for its header)."""
        from armatlas.claims import check_article, parse_article

        if isinstance(article, str):
            if not article.strip():
                raise QueryError("The article is empty", hint="Paste the article's text.")
            article = parse_article(article)
        return check_article(self.con, article, release=release or None, tolerances=tolerances)


def search_entities(query: str | None = None) -> TableResult:
    """Entity look-up from the reviewed register: needs no store, so it works before any ingest."""
    from dataclasses import asdict

    from armatlas.entities.register import load_register

    ents = load_register().search(query)
    table = (
        frame.from_rows([asdict(e) for e in ents])
        if ents
        else frame.table({"entity_id": []}, {"entity_id": frame.STRING})
    )
    return TableResult(
        "entities", table, Provenance(release="register", basis="entity register"), params={"query": query}
    )


def open_atlas(path: str | Path | None = None) -> Atlas:
    """Open the store read-only (many readers may share it)."""
    p = Path(path) if path else config.store_path()
    return Atlas(connect(p, read_only=True), p)


def source_files(paths: Sequence[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The source files under these paths that armatlas ingests, and the ones skipped with why."""
    from armatlas.store.ingest import discover

    return discover(list(paths))


def ingest_files(
    files: Sequence[Path], path: str | Path | None = None, *, strict: bool = False, replace: bool = False
) -> Iterator[IngestResult]:
    """Write source files into the store, one transaction each, yielding each file's outcome
    (strict: reviewed names and descriptions only; any data-check finding fails the file;
    replace: a release stored with other content is replaced instead of refused). Each file
    is parsed and checked before the store is opened for writing."""
    from armatlas.store.ingest import ingest_files as store_ingest_files

    yield from store_ingest_files(
        list(files), store=Path(path) if path else None, strict=strict, replace=replace
    )
