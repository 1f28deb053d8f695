"""`armatlas fetch` of a release's two register layouts, served by the local fake publisher.

The pair is real: SIPRI's web register generated 18 March 2024 and a recorded backend answer
in the delivery-year ("ID") layout generated 10 February 2025, before the March 2025 update,
so from the same (March 2024) database (../shared/data-other-releases/PROVENANCE.md). Of the
web register's deals delivered wholly in 2000-2020, 8,025 of 8,040 have the same supplier,
recipient, order year, number and TIV delivered in the ID file (the March 2025 register: 7,692
of 7,995). Expected figures are read here from the ID file with the csv module.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from pathlib import Path

import fake_publishers
import pytest
from conftest import SHARED
from fake_publishers import SIPRI_PREFIX, Reply

from armatlas.sources import sipri_transfers_fetch as sf
from armatlas.sources.snapshot import list_snapshots

pytestmark = pytest.mark.data

OTHER = SHARED / "data-other-releases"
WEB_2024 = OTHER / "trade-register_web_Bingsongl_2024-03.csv"
ID_2024 = OTHER / "trade-register_ID-layout_backend_2000-2020_ratdb_2025-02-10.csv"
RELEASE = "2024-03-18"  # the web register's own stamp


def _pair(req: fake_publishers.Request) -> Reply:
    """The backend's register: the ID layout when `exportOption` is asked for, else the web one."""
    exact = "exportOption" in fake_publishers._filters(req)
    return Reply((ID_2024 if exact else WEB_2024).read_bytes(), envelope=True)


def _id_rows() -> list[dict[str, str]]:
    lines = ID_2024.read_text(encoding="cp1252").splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("SIPRI AT Database ID"))
    return list(csv.DictReader(lines[start:]))


@pytest.fixture(scope="module")
def fetched_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Fetch the pair from the fake publisher and ingest the snapshot folder, as a user would."""
    from armatlas.store.ingest import discover, ingest_files

    tmp = tmp_path_factory.mktemp("pair")
    with fake_publishers.running() as pub:
        pub.route("POST", f"{SIPRI_PREFIX}/trades/trade-register-csv/", _pair)
        sf.fetch(
            tmp / "snapshots",
            base_url=pub.url + SIPRI_PREFIX,
            today=date(2025, 2, 10),
            timeout=30,
            retries=1,
            backoff=0.01,
        )
    store = tmp / "armatlas.duckdb"
    files, _ = discover([tmp / "snapshots"])
    list(ingest_files(files, store=store))
    return store, tmp / "snapshots"


def test_the_pair_lands_as_one_release(fetched_store) -> None:
    import duckdb

    from armatlas.store.releases import list_releases

    store, root = fetched_store
    metas = {s.meta["layout"]: s.meta for s in list_snapshots(root)}
    assert metas["delivery_years"]["release"] == metas["web_register"]["release"] == RELEASE
    con = duckdb.connect(str(store), read_only=True)
    try:
        rels = {r["release"]: r for r in list_releases(con)}
        stamps = con.execute(
            "SELECT layout, CAST(generated_at AS DATE) FROM snapshot WHERE release = ? ORDER BY layout",
            [RELEASE],
        ).fetchall()
    finally:
        con.close()
    assert "2025-02-10" not in rels  # the ID file's own stamp names no release of its own
    assert set(rels[RELEASE]["layouts"].split(", ")) == {"delivery_years", "web_register"}
    assert [(lay, str(d)) for lay, d in stamps if lay in ("delivery_years", "web_register")] == [
        ("delivery_years", "2025-02-10"),
        ("web_register", "2024-03-18"),
    ]


def test_a_deal_takes_the_exact_per_year_rows_of_its_release(fetched_store) -> None:
    import duckdb

    store, _ = fetched_store
    # Azerbaijan's T-72M1 tanks from Ukraine (order 2002): 3, 25 and 17 in 2004-2006 in the ID
    # file; an even or weighted split of the web register's 45 would not give these.
    exact = sorted(
        (int(r["Delivery year"]), int(r["Numbers delivered"]), float(r["TIV delivery values"]))
        for r in _id_rows()
        if (r["Recipient"], r["Supplier"], r["Designation"], r["Order date"])
        == ("Azerbaijan", "Ukraine", "T-72M1", "2002")
    )
    assert [u for _, u, _ in exact] == [3, 25, 17]
    con = duckdb.connect(str(store), read_only=True)
    try:
        got = con.execute(
            """SELECT v.year, v.units, v.tiv, v.allocation FROM delivery v JOIN deal d USING (deal_key)
               JOIN snapshot s ON s.snapshot_id = d.snapshot_id
               WHERE s.layout = 'web_register' AND d.recipient_name = 'Azerbaijan'
                 AND d.supplier_name = 'Ukraine' AND d.designation = 'T-72M1' AND d.order_year = 2002
               ORDER BY v.year"""
        ).fetchall()
    finally:
        con.close()
    assert [(y, u) for y, u, _, _ in got] == [(y, u) for y, u, _ in exact]
    assert [t for *_, t, _ in got] == pytest.approx([t for *_, t in exact], rel=1e-9)
    assert {a for *_, a in got} == {"same_release"}


def test_analyses_of_the_release_use_the_exact_rows(fetched_store) -> None:
    import duckdb

    from armatlas.atlas import open_atlas

    store, _ = fetched_store
    by_supplier: dict[str, float] = defaultdict(float)
    for r in _id_rows():
        if (
            r["Recipient"] == "Azerbaijan"
            and 2004 <= int(r["Delivery year"]) <= 2008
            and r["TIV delivery values"]
        ):
            by_supplier[r["Supplier"]] += float(r["TIV delivery values"])
    share = by_supplier["Ukraine"] / sum(by_supplier.values())
    assert round(100 * share, 1) == 66.3
    con = duckdb.connect(str(store), read_only=True)
    try:
        labels = con.execute(
            """SELECT DISTINCT v.allocation FROM delivery v JOIN deal d USING (deal_key)
               JOIN snapshot s ON s.snapshot_id = d.snapshot_id
               WHERE s.layout = 'web_register' AND d.recipient_name = 'Azerbaijan' AND v.year BETWEEN 2004 AND 2008"""
        ).fetchall()
    finally:
        con.close()
    assert labels == [("same_release",)]
    atlas = open_atlas(store)
    try:
        dep = atlas.dependence("Azerbaijan", periods=["2004-2008"], release=RELEASE)
    finally:
        atlas.close()
    ukraine = next(r for r in dep["suppliers"].rows if r["partner"] == "Ukraine")
    # The ID file prints per-year TIV to two decimals; the store keeps each deal's delivered TIV
    # as the web register prints it, shared out over the years in the ID file's proportions.
    assert ukraine["share"] == pytest.approx(share, abs=1e-4)
