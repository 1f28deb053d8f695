"""A release has one content: re-saved copies change nothing, other content is a conflict,
and every reader sees the same single register of a release."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REGISTER_2026, TIV_EXPORTS

from armatlas.atlas import open_atlas
from armatlas.errors import ArmatlasError, DataCheckError, ReleaseConflictError, StoreLockedError
from armatlas.store.aggregates import AGG_TABLES
from armatlas.store.db import connect
from armatlas.store.ingest import ingest_files, ingest_path
from armatlas.store.releases import list_releases, register_snapshot
from armatlas.store.schema import SCHEMA_VERSION


def india_2019_23(store: Path) -> tuple[float, int, int]:
    """India's 2019-23 imports, its deal rows and the release's deal count, as readers see them."""
    with open_atlas(store) as a:
        tiv = a.flows("India", periods=["2019-2023"], release="2026-05-18").rows[0]["tiv"]
        deals = len(a.deals(recipient=["India"], release="2026-05-18").rows)
        rel = next(r for r in a.releases().rows if r["release"] == "2026-05-18")
    return tiv, deals, rel["deals"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ident") / "s.duckdb"
    con = connect(path)
    ingest_path(con, REGISTER_2026)
    con.close()
    return path


def _copy(tmp: Path, name: str, data: bytes) -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p


@pytest.mark.data
def test_crlf_and_bom_copies_are_the_same_snapshot(store: Path, tmp_path: Path) -> None:
    raw = REGISTER_2026.read_bytes()
    before = india_2019_23(store)
    assert before[2] == 29916 and before[0] > 13000  # the register as read by test_store
    copies = [
        _copy(tmp_path, "crlf.csv", raw.replace(b"\n", b"\r\n")),
        _copy(tmp_path, "bom.csv", b"\xef\xbb\xbf" + raw),
        _copy(tmp_path, "both.csv", b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")),
    ]
    results = list(ingest_files(copies, store=store))
    assert [r.status for r in results] == ["unchanged"] * 3
    assert {r.snapshot_id for r in results} == {1}
    assert india_2019_23(store) == before  # not 2x, not a second register
    con = connect(store, read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM snapshot").fetchall()[0][0] == 1
        assert con.execute("SELECT count(*) FROM snapshot_file").fetchall()[0][0] == 3
    finally:
        con.close()
    # known by their bytes from now on: no second parse
    assert [r.status for r in ingest_files(copies[:1], store=store)] == ["unchanged"]


def _edited(raw: bytes) -> bytes:
    """The register with one real deal revalued (6 Mi-17 at 3 instead of 2.9 TIV each), consistently."""
    lines = raw.split(b"\n")
    i = next(i for i, ln in enumerate(lines) if ln.startswith(b"Afghanistan,"))
    assert lines[i].endswith(b",2.9,17.4,17.4")
    lines[i] = lines[i].replace(b",2.9,17.4,17.4", b",3,18,18", 1)
    return b"\n".join(lines)


@pytest.mark.data
def test_other_content_for_the_same_release_is_a_conflict(store: Path, tmp_path: Path) -> None:
    edited = _copy(tmp_path, "edited.csv", _edited(REGISTER_2026.read_bytes()))
    doubled_lines = REGISTER_2026.read_bytes().split(b"\n")
    doubled = _copy(
        tmp_path, "doubled.csv", b"\n".join(doubled_lines[:12] + doubled_lines[12:-1] * 2) + b"\n"
    )
    before = store.read_bytes()
    with pytest.raises(ReleaseConflictError) as e:
        list(ingest_files([edited], store=store))
    assert e.value.code == "release-conflict" and e.value.value == "2026-05-18"
    assert "--replace" in (e.value.hint or "") and e.value.file == edited.name
    # a file with every row doubled is not even a candidate: its duplicates fail the checks
    with pytest.raises(ArmatlasError) as e2:
        list(ingest_files([doubled], store=store, replace=True))
    assert "identical to the record" in str(e2.value)
    assert store.read_bytes() == before


@pytest.mark.data
def test_replace_swaps_the_release_and_never_sums(tmp_path: Path) -> None:
    store = tmp_path / "r.duckdb"
    con = connect(store)
    ingest_path(con, REGISTER_2026)
    ingest_path(con, TIV_EXPORTS)
    before = {x["release"]: x for x in list_releases(con)}  # cached until the snapshots change
    assert before["2026-05-18"]["files"] == REGISTER_2026.name
    edited = _copy(tmp_path, "edited.csv", _edited(REGISTER_2026.read_bytes()))
    r = ingest_path(con, edited, replace=True)
    assert r.status == "replaced" and r.release == "2026-05-18"
    rels = {x["release"]: x for x in list_releases(con)}
    assert rels["2026-05-18"]["deals"] == 29916 and rels["2026-05-18"]["files"] == "edited.csv"
    assert register_snapshot(con, "2026-05-18").file_name == "edited.csv"
    tiv = con.execute(
        "SELECT tiv_delivered FROM deal d JOIN snapshot s USING (snapshot_id) WHERE s.file_name = "
        "'edited.csv' AND recipient_name = 'Afghanistan' AND src_line = 13"
    ).fetchall()
    assert len(tiv) == 1
    assert con.execute("SELECT count(*) FROM deal").fetchall()[0][0] == 29916  # old rows gone
    assert con.execute("SELECT count(DISTINCT snapshot_id) FROM tiv_total").fetchall()[0][0] == 1  # untouched
    con.close()


@pytest.mark.data
def test_future_stamp_is_refused(tmp_path: Path) -> None:
    raw = REGISTER_2026.read_bytes()
    assert b"Data generated: 18 May 2026 " in raw[:2000]
    future = _copy(
        tmp_path,
        "future.csv",
        raw.replace(b"Data generated: 18 May 2026 ", b"Data generated: 18 May 3026 ", 1),
    )
    store = tmp_path / "f.duckdb"
    with pytest.raises(DataCheckError) as e:
        list(ingest_files([future], store=store))
    assert "future" in e.value.message and "3026" in str(e.value.value)
    assert not store.exists()  # refused before the store was even created


@pytest.mark.data
def test_old_store_is_migrated_and_digests_rebuilt(tmp_path: Path) -> None:
    """A schema-2 store (no content digest) learns it from its rows: a CRLF copy is still 'unchanged'."""
    store = tmp_path / "old.duckdb"
    con = connect(store)
    ingest_path(con, TIV_EXPORTS)
    con.execute("ALTER TABLE snapshot DROP COLUMN content_sha256")
    con.execute("DROP TABLE snapshot_file")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    con.close()
    crlf = _copy(
        tmp_path,
        TIV_EXPORTS.name.replace(".csv", "-crlf.csv"),
        TIV_EXPORTS.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"),
    )
    con = connect(store)
    try:
        assert ingest_path(con, crlf).status == "unchanged"
        assert con.execute("SELECT count(*) FROM snapshot").fetchall()[0][0] == 1
    finally:
        con.close()


HOLD = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'r'); print('ok', flush=True); time.sleep(30)"


@pytest.mark.parametrize("mode,kind", [("r", "reader"), ("w", "writer")])
def test_locked_store_says_who_holds_it(tmp_path: Path, mode: str, kind: str) -> None:
    store = tmp_path / "l.duckdb"
    connect(store).close()
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(store), mode], stdout=subprocess.PIPE, text=True)
    try:
        assert p.stdout is not None and p.stdout.readline().strip() == "ok"
        with pytest.raises(StoreLockedError) as e:
            connect(store)
        assert (
            e.value.code == "store-locked" and kind in e.value.message and f"PID {p.pid}" in e.value.message
        )
    finally:
        p.kill()
        p.wait()
    connect(store).close()  # the lock went with the process


@pytest.mark.data
def test_reader_upgrades_a_store_of_the_previous_schema(tmp_path: Path) -> None:
    """A store written by armatlas 0.1 (schema 2, per-year rows by its older split rule) opened by
    a reader: upgraded once, and its figures are those of a fresh ingest of the same file."""
    store = tmp_path / "old.duckdb"
    con = connect(store)
    ingest_path(con, REGISTER_2026)
    world = "SELECT sum(tiv) FROM delivery WHERE year BETWEEN 2016 AND 2020"
    fresh = con.execute(world).fetchall()[0][0]
    # What 0.1 left behind: no content digest, schema 2, and each deal's TIV on its first listed year.
    con.execute("ALTER TABLE snapshot DROP COLUMN content_sha256")
    con.execute("DROP TABLE snapshot_file")
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    for name in AGG_TABLES:  # 0.1 had no aggregates
        con.execute(f"DROP TABLE {name}")
    con.execute("""UPDATE delivery d SET tiv = CASE WHEN d.year = f.first THEN f.total ELSE 0 END
                   FROM (SELECT deal_key, min(year) AS first, sum(tiv) AS total FROM delivery GROUP BY 1) f
                   WHERE d.deal_key = f.deal_key""")
    con.close()
    with open_atlas(store) as atlas:
        assert atlas.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()[0][
            0
        ] == str(SCHEMA_VERSION)
        assert atlas.con.execute(world).fetchall()[0][0] == pytest.approx(fresh, rel=1e-9)
        # the per-release aggregates are rebuilt from the re-split rows, not left from before
        agg = "SELECT sum(tiv) FROM agg_flow WHERE year BETWEEN 2016 AND 2020"
        assert atlas.con.execute(agg).fetchall()[0][0] == pytest.approx(fresh, rel=1e-9)
