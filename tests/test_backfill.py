"""A store made before armatlas read SIPRI's regional totals from the milex workbook: ingesting
the same workbook again fills them for the stored snapshot ('completed'), and until then a
regional claim says why it falls back to a sum over countries. Figures are read from the
workbook with openpyxl."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from armatlas.claims import check_article, parse_article
from armatlas.store.db import connect
from armatlas.store.ingest import ingest_files
from tests.conftest import DATA
from tests.test_milex_regions import WORKBOOK, _regional_totals

pytestmark = pytest.mark.data

ARTICLE = "Published: 2025-04-28\n\nMilitary spending in the Middle East rose to $243 billion in 2024."


def _middle_east(store: Path) -> dict:
    con = duckdb.connect(str(store), read_only=True)
    try:
        (claim,) = check_article(con, parse_article(ARTICLE)).to_dict()["claims"]
    finally:
        con.close()
    return claim


def _counts(store: Path) -> tuple[int, int, int]:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return tuple(  # type: ignore[return-value]
            con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
            for t in ("milex_region", "milex_member", "snapshot")
        )
    finally:
        con.close()


def test_reingest_fills_regional_totals_an_older_store_lacks(tmp_path: Path) -> None:
    store = tmp_path / "armatlas.duckdb"
    register = next((DATA / "sipri_arms_transfers").glob("trade-register_*2026*.csv"))  # claims need one
    _, first = ingest_files([register, WORKBOOK], store=store)
    assert first.status == "ingested"
    fresh = _counts(store)
    published = _regional_totals()["Middle East"]["2024 (current prices)"]
    assert _middle_east(store)["computed"] == pytest.approx(published)

    con = connect(store)  # what a store of an armatlas that did not read the regions holds
    con.execute("DELETE FROM milex_region")
    con.execute("DELETE FROM milex_member")
    con.close()
    old = _middle_east(store)
    assert old["computed"] != pytest.approx(published)  # a sum over the register's region instead
    assert any("armatlas ingest" in n for n in old["evidence_notes"])

    (again,) = ingest_files([WORKBOOK], store=store)
    assert (again.status, again.snapshot_id) == ("completed", first.snapshot_id)
    assert _counts(store) == fresh  # the same rows, no second snapshot
    now = _middle_east(store)
    assert now["computed"] == pytest.approx(published)
    assert not any("armatlas ingest" in n for n in now["evidence_notes"])

    (third,) = ingest_files([WORKBOOK], store=store)
    assert third.status == "unchanged"
    assert _counts(store) == fresh


def _tags(store: Path) -> tuple[str, str]:
    """The content digest every analysis cache is keyed by, and the server's content tag."""
    from armatlas.analysis.context import store_content
    from armatlas.api.state import store_etag
    from armatlas.atlas import open_atlas

    with open_atlas(store) as atlas:
        return store_content(atlas.con), store_etag(atlas)


def test_content_tags_follow_a_backfill(tmp_path: Path) -> None:
    """A backfill changes no snapshot (same ids, files and digests) but changes answers: the
    content digest (process caches) and the server's tag (its response cache, /health, the data
    page) must change with it, and come back to the fresh store's once the rows are back."""
    from fastapi.testclient import TestClient

    from armatlas.api.app import create_app

    store = tmp_path / "armatlas.duckdb"
    (first,) = ingest_files([WORKBOOK], store=store)
    assert first.status == "ingested"
    fresh = _tags(store)
    con = connect(store)
    con.execute("DELETE FROM milex_region")
    con.execute("DELETE FROM milex_member")
    con.close()
    old = _tags(store)
    assert old[0] != fresh[0] and old[1] != fresh[1]
    with TestClient(create_app(store)) as client:
        assert client.get("/api/v1/health").json()["etag"] == old[1].strip('"')
    (again,) = ingest_files([WORKBOOK], store=store)
    assert again.status == "completed" and _tags(store) == fresh
    with TestClient(create_app(store)) as client:
        assert client.get("/api/v1/health").json()["etag"] == fresh[1].strip('"')
